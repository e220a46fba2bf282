// `stratagem validate FILE` and `stratagem check FILE`.
#include <iostream>

#include <boost/program_options.hpp>
#include <fmt/format.h>

#include "cli/cli.hpp"
#include "stratagem/scenario/expect.hpp"

namespace po = boost::program_options;

namespace stratagem::cli {
namespace {

std::string single_file(const std::vector<std::string>& args, const char* command, bool& help) {
  po::options_description desc(fmt::format("stratagem {} FILE", command));
  std::string file;
  desc.add_options()("help,h", "show this help")("file", po::value(&file), "input file");
  po::positional_options_description pos;
  pos.add("file", 1);
  po::variables_map vm;
  po::store(po::command_line_parser(args).options(desc).positional(pos).run(), vm);
  po::notify(vm);
  help = vm.count("help") > 0;
  if (help) {
    std::cout << desc << "\n";
    return "";
  }
  if (file.empty()) throw UsageError("missing FILE");
  return file;
}

}  // namespace

int run_validate(const std::vector<std::string>& args) {
  bool help = false;
  const std::string file = single_file(args, "validate", help);
  if (help) return kExitOk;
  const LoadedGame loaded = load_game(file, {}, false);
  std::string shape;
  for (int p = 0; p < loaded.game->num_players(); ++p) {
    shape += (p ? " x " : "") + std::to_string(loaded.game->num_actions(p));
  }
  std::cout << fmt::format("{}: ok ({}, {} players, {} profiles: {}", file, loaded.kind,
                           loaded.game->num_players(), loaded.game->num_profiles(), shape);
  if (loaded.scenario) {
    std::cout << fmt::format("; {} parameters, {} expect assertions",
                             loaded.scenario->parameters().size(),
                             loaded.scenario->expectations().size());
  }
  std::cout << ")\n";
  return kExitOk;
}

int run_check(const std::vector<std::string>& args) {
  bool help = false;
  const std::string file = single_file(args, "check", help);
  if (help) return kExitOk;
  const Scenario scenario = Scenario::load(file);
  if (scenario.expectations().empty()) {
    throw InputError({file, 0, 0}, "the file has no expect: block to check",
                     "add expect: [{method: pure, equilibria: [...]}]");
  }
  SolveContext context(&stop_flag());
  const auto outcomes = check_expectations(scenario, builtin_solvers(), {}, context);
  int failed = 0;
  for (const auto& o : outcomes) {
    std::cout << (o.passed ? "PASS " : "FAIL ") << file << ":" << o.summary << "\n";
    for (const auto& d : o.details) std::cout << "       " << d << "\n";
    failed += o.passed ? 0 : 1;
  }
  std::cout << fmt::format("{}: {} passed, {} failed\n", file, outcomes.size() - failed, failed);
  return failed == 0 ? kExitOk : kExitBadInput;
}

}  // namespace stratagem::cli
