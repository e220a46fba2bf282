// `stratagem solvers` and `stratagem explain FILE`.
#include <algorithm>
#include <iostream>

#include <boost/program_options.hpp>
#include <fmt/format.h>

#include "cli/cli.hpp"
#include "stratagem/io/report.hpp"

namespace po = boost::program_options;

namespace stratagem::cli {

int run_solvers(const std::vector<std::string>& args) {
  if (!args.empty() && args[0] != "--help" && args[0] != "-h") {
    throw UsageError("'solvers' takes no arguments");
  }
  std::size_t width = 0;
  for (const auto& e : builtin_solvers().all()) width = std::max(width, e.name.size());
  for (const auto& e : builtin_solvers().all()) {
    std::cout << fmt::format("{:<{}}  {}\n{:<{}}  applies to: {}\n", e.name, width, e.summary, "",
                             width, e.applies_to);
  }
  return kExitOk;
}

int run_explain(const std::vector<std::string>& args) {
  po::options_description desc("stratagem explain FILE [options]");
  std::string file;
  std::vector<std::string> sets;
  desc.add_options()("help,h", "show this help")(
      "set", po::value(&sets), "override a parameter: --set name=value (repeatable)")(
      "allow-outside-range", "accept --set values outside the declared range")(
      "file", po::value(&file), "input file");
  const auto parsed = parse_command_line(args, desc, file, "missing FILE");
  if (!parsed) return kExitOk;
  const po::variables_map& vm = *parsed;
  const LoadedGame loaded = load_game(file, sets, vm.count("allow-outside-range") > 0);
  std::cout << loaded.title << "\n\n";
  if (loaded.scenario && !loaded.scenario->description().empty()) {
    std::cout << loaded.scenario->description() << "\n\n";
  }
  std::cout << render_game(*loaded.game, loaded.labels) << "\n";
  if (loaded.scenario && loaded.scenario->game_type() == "repeated") {
    std::cout << "The stage game (one round)\n\n" << explain_game(*loaded.game, loaded.labels) << "\n";
    const RepeatedRun run = run_repeated_analysis(*loaded.scenario, loaded.parameters, {}, {});
    std::cout << "The repeated game\n\n" << render_text(run.facts, *loaded.game, loaded.labels) << "\n";
    for (const auto& a : run.analyses) std::cout << explain_profile(a, *loaded.game, loaded.labels) << "\n";
    return kExitOk;
  }
  std::cout << explain_game(*loaded.game, loaded.labels);
  return kExitOk;
}

}  // namespace stratagem::cli
