// `stratagem repeated FILE`: self-enforcement of strategy profiles in a repeated game.
#include <iostream>

#include <boost/program_options.hpp>
#include <fmt/format.h>

#include "cli/cli.hpp"
#include "cli/options.hpp"
#include "stratagem/io/report.hpp"
#include "stratagem/repeated/analysis.hpp"
#include "stratagem/scenario/repeated.hpp"

namespace po = boost::program_options;

namespace stratagem::cli {

RepeatedRun run_repeated_analysis(const Scenario& scenario, const ParameterValues& values,
                                  const std::vector<std::string>& checks, const RepeatedOptions& options) {
  RepeatedRun run{.setup = bind_repeated(scenario, values), .facts = {}, .analyses = {}};
  if (checks.empty() && run.setup.profiles.empty()) {
    throw InputError({scenario.file(), 0, 0}, "the scenario declares no profiles: to analyse",
                     "add game: profiles: {name: {actor: strategy, ...}}, or use --check STRATEGY,STRATEGY");
  }
  if (options.delta && !(*options.delta > 0.0 && *options.delta < 1.0)) {
    throw InputError({"--delta", 0, 0}, fmt::format("discount factor {} is not in (0, 1)", *options.delta),
                     "use a number strictly between 0 and 1, e.g. --delta 0.9");
  }
  if (!(options.noise >= 0.0 && options.noise < 1.0)) {
    throw InputError({"--noise", 0, 0}, fmt::format("noise {} is not in [0, 1)", options.noise),
                     "a probability that an intended move is replaced, e.g. --noise 0.05");
  }
  run.facts = stage_facts(run.setup.game.stage);
  if (checks.empty()) {
    for (std::size_t k = 0; k < run.setup.profiles.size(); ++k) {
      run.analyses.push_back(analyze_profile(run.setup.game, run.setup.profile_names[k], run.setup.profiles[k], options));
    }
  } else {
    for (const auto& spec : checks) {
      run.analyses.push_back(analyze_profile(run.setup.game, spec, resolve_profile(scenario, run.setup, spec), options));
    }
  }
  return run;
}

int run_repeated(const std::vector<std::string>& args) {
  po::options_description desc("stratagem repeated FILE [options]");
  std::string file, format = "text";
  std::vector<std::string> sets, checks;
  double delta = 0.0, noise = 0.0;
  desc.add_options()
      ("help,h", "show this help")
      ("check", po::value(&checks), "analyse this profile: a profile name, a shared strategy, or "
                                    "STRATEGY,STRATEGY,... one per actor (repeatable); default: every profile")
      ("profile", po::value(&checks), "same as --check")
      ("delta", real_value(&delta, "--delta", 0.0, 1.0),
       "common discount factor instead of the file's (a decimal or a fraction, e.g. 9/10)")
      ("noise", real_value(&noise, "--noise", 0.0, 1.0, "0"),
       "probability that each intended move is replaced by another")
      ("critical-delta", "report the discount factors at which each profile is SPE / Nash (default on)")
      ("no-critical-delta", "skip the search for critical discount factors")
      ("payoff-set", "show only the stage game's minmax values and folk-theorem region")
      ("set", po::value(&sets), "override a parameter: --set name=value (repeatable)")
      ("allow-outside-range", "accept --set values outside the declared range")
      ("format,f", po::value(&format)->default_value("text"), "text | json")
      ("file", po::value(&file), "scenario file (type: repeated)");
  const auto parsed = parse_command_line(args, desc, file, "missing FILE (a scenario with game: type: repeated)");
  if (!parsed) return kExitOk;
  const po::variables_map& vm = *parsed;
  if (format != "text" && format != "json") throw UsageError("--format must be text or json");
  const LoadedGame loaded = load_game(file, sets, vm.count("allow-outside-range") > 0);
  if (!loaded.scenario || loaded.scenario->game_type() != "repeated") {
    throw InputError({file, 0, 0}, "not a repeated-game scenario",
                     "write game: {type: repeated, stage: ..., discount: ..., strategies: ...}");
  }
  RepeatedOptions options;
  if (vm.count("delta")) options.delta = delta;
  options.noise = noise;
  options.critical_delta = vm.count("no-critical-delta") == 0;
  const bool only_facts = vm.count("payoff-set") > 0;
  if (only_facts) options.critical_delta = false;
  const RepeatedRun run = run_repeated_analysis(*loaded.scenario, loaded.parameters, checks, options);
  const NormalFormGame& stage = run.setup.game.stage;
  for (const auto& w : run.setup.warnings) std::cerr << w << "\n";
  if (format == "json") {
    nlohmann::json j;
    j["stratagem"] = 1;
    j["source"] = file;
    j["parameters"] = loaded.parameters;
    j["discount"] = run.setup.game.delta;
    j["continuation"] = run.setup.game.continuation;
    j["stage"] = to_json(run.facts, stage);
    auto profiles = nlohmann::json::array();
    if (!only_facts) {
      for (const auto& a : run.analyses) profiles.push_back(to_json(a, stage));
    }
    j["profiles"] = profiles;
    std::cout << j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    return kExitOk;
  }
  std::cout << loaded.title << "\n  source: " << file << "\n";
  std::vector<std::string> ds;
  for (double d : run.setup.game.delta) ds.push_back(format_payoff(d));
  std::cout << fmt::format("  discount {}{}\n\n", fmt::join(ds, "/"),
                           run.setup.game.continuation < 1.0
                               ? fmt::format(", continuation probability {}", format_payoff(run.setup.game.continuation))
                               : std::string());
  std::cout << "Stage game\n" << render_game(stage, loaded.labels) << "\n";
  std::cout << render_text(run.facts, stage, loaded.labels) << "\n";
  if (only_facts) return kExitOk;
  for (const auto& a : run.analyses) std::cout << render_text(a, stage, loaded.labels) << "\n";
  return kExitOk;
}

}  // namespace stratagem::cli
