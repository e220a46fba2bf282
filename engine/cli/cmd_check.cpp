// `stratagem validate FILE` and `stratagem check FILE`.
#include <iostream>

#include <boost/program_options.hpp>
#include <fmt/format.h>

#include "cli/cli.hpp"
#include <cmath>

#include "stratagem/scenario/expect.hpp"

namespace po = boost::program_options;

namespace stratagem::cli {
namespace {

std::string single_file(const std::vector<std::string>& args, const char* command, bool& help) {
  po::options_description desc(fmt::format("stratagem {} FILE", command));
  std::string file;
  desc.add_options()("help,h", "show this help")("file", po::value(&file), "input file");
  help = !parse_command_line(args, desc, file, "missing FILE");
  return file;
}

}  // namespace

/// Evaluates the repeated-game assertions (entries with `profile:`) of the expect: block.
std::vector<ExpectationOutcome> check_repeated(const Scenario& scenario) {
  std::vector<ExpectationOutcome> out;
  for (const auto& ex : repeated_expectations(scenario)) {
    const ParameterValues values = scenario.with_overrides(ex.at, false, scenario.file());
    RepeatedOptions options;
    options.delta = ex.delta;
    options.noise = ex.noise;
    options.critical_delta = ex.critical_delta.has_value() || ex.critical_delta_nash.has_value();
    const RepeatedRun run = run_repeated_analysis(scenario, values, {ex.profile}, options);
    const ProfileAnalysis& a = run.analyses.front();
    ExpectationOutcome o;
    o.summary = fmt::format("line {}: profile {}{}", ex.mark.line, ex.profile,
                            ex.delta ? fmt::format(" at delta {}", *ex.delta) : std::string());
    const ProfileCheck& c = ex.noise > 0.0 ? *a.noisy_check : a.check;
    if (ex.subgame_perfect && *ex.subgame_perfect != c.subgame_perfect) {
      o.details.push_back(fmt::format("expected {}subgame perfect, it is {}", *ex.subgame_perfect ? "" : "not ",
                                      c.subgame_perfect ? "" : "not"));
    }
    if (ex.nash && *ex.nash != c.nash) {
      o.details.push_back(fmt::format("expected {}a Nash equilibrium, it is {}", *ex.nash ? "" : "not ",
                                      c.nash ? "" : "not"));
    }
    const auto compare = [&](const std::optional<std::optional<double>>& want,
                             const std::optional<DeltaSet>& got, const char* what) {
      if (!want || !got) return;
      const auto found = got->critical();
      if (!*want && found) {
        o.details.push_back(fmt::format("expected {} never, found {}", what, *found));
      } else if (*want && !found) {
        o.details.push_back(fmt::format("expected {} {}, found never", what, **want));
      } else if (*want && std::abs(**want - *found) > ex.tolerance) {
        o.details.push_back(fmt::format("expected {} {}, found {}", what, **want, *found));
      }
    };
    compare(ex.critical_delta, a.spe_deltas, "critical delta");
    compare(ex.critical_delta_nash, a.nash_deltas, "critical delta (Nash)");
    o.passed = o.details.empty();
    out.push_back(std::move(o));
  }
  return out;
}

int run_validate(const std::vector<std::string>& args) {
  bool help = false;
  const std::string file = single_file(args, "validate", help);
  if (help) return kExitOk;
  const LoadedGame loaded = load_game(file, {}, false);
  std::string shape;
  if (loaded.game) {
    for (int p = 0; p < loaded.game->num_players(); ++p) {
      shape += (p ? " x " : "") + std::to_string(loaded.game->num_actions(p));
    }
  }
  if (loaded.tree) {
    std::cout << fmt::format("{}: ok ({}, game tree, {} players, {} nodes, {} information sets; "
                             "reduced normal form {}",
                             file, loaded.kind, loaded.tree->num_players(),
                             loaded.tree->num_nodes(), loaded.tree->infosets().size(),
                             loaded.game ? shape : "not built: " + loaded.reduced_error);
  } else {
    std::cout << fmt::format("{}: ok ({}, {} players, {} profiles: {}", file, loaded.kind,
                             loaded.game->num_players(), loaded.game->num_profiles(), shape);
  }
  if (loaded.scenario) {
    std::cout << fmt::format("; {} parameters, {} expect assertions",
                             loaded.scenario->parameters().size(),
                             loaded.scenario->expectations().size() +
                                 repeated_expectations(*loaded.scenario).size());
  }
  std::cout << ")\n";
  return kExitOk;
}

int run_check(const std::vector<std::string>& args) {
  bool help = false;
  const std::string file = single_file(args, "check", help);
  if (help) return kExitOk;
  const Scenario scenario = Scenario::load(file);
  if (scenario.expectations().empty() && repeated_expectations(scenario).empty()) {
    throw InputError({file, 0, 0}, "the file has no expect: block to check",
                     "add expect: [{method: pure, equilibria: [...]}]");
  }
  SolveContext context(&stop_flag());
  const auto outcomes = check_expectations(scenario, builtin_solvers(), {}, context);
  std::size_t failed = 0, total = outcomes.size();
  for (const auto& o : outcomes) {
    std::cout << (o.passed ? "PASS " : "FAIL ") << file << ":" << o.summary << "\n";
    for (const auto& d : o.details) std::cout << "       " << d << "\n";
    failed += o.passed ? 0 : 1;
  }
  for (const auto& o : check_repeated(scenario)) {
    std::cout << (o.passed ? "PASS " : "FAIL ") << file << ":" << o.summary << "\n";
    for (const auto& d : o.details) std::cout << "       " << d << "\n";
    failed += o.passed ? 0 : 1;
    ++total;
  }
  std::cout << fmt::format("{}: {} passed, {} failed\n", file, total - failed, failed);
  return failed == 0 ? kExitOk : kExitBadInput;
}

}  // namespace stratagem::cli
