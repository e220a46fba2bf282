#include "stratagem/scenario/expect.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "stratagem/io/report.hpp"

namespace stratagem {
namespace {

int find_index(const std::vector<std::string>& names, const std::string& name) {
  const auto it = std::find(names.begin(), names.end(), name);
  return it == names.end() ? -1 : static_cast<int>(it - names.begin());
}

std::string at_text(const ParameterValues& at) {
  if (at.empty()) return "at defaults";
  std::vector<std::string> parts;
  for (const auto& [k, v] : at) parts.push_back(fmt::format("{}={}", k, format_number(v)));
  return fmt::format("at {}", fmt::join(parts, ", "));
}

}  // namespace

MixedProfile to_mixed_profile(const NormalFormGame& game, const ExpectedProfile& expected,
                              const SourceMark& mark) {
  std::vector<std::vector<double>> probs;
  for (int p = 0; p < game.num_players(); ++p) {
    probs.emplace_back(static_cast<std::size_t>(game.num_actions(p)), 0.0);
  }
  for (const auto& [actor, moves] : expected) {
    const int p = find_index(game.player_names(), actor);
    if (p < 0) {
      throw InputError(mark, fmt::format("unknown actor '{}'{}", actor,
                                         did_you_mean(actor, game.player_names())));
    }
    for (const auto& [move, prob] : moves) {
      const int a = find_index(game.action_names(p), move);
      if (a < 0) {
        throw InputError(mark, fmt::format("unknown move '{}' for actor '{}'{}", move, actor,
                                           did_you_mean(move, game.action_names(p))));
      }
      probs[p][a] = prob;
    }
  }
  return MixedProfile(probs);
}

std::vector<ExpectationOutcome> check_expectations(const Scenario& scenario,
                                                   const SolverRegistry& registry,
                                                   const SolveOptions& options,
                                                   SolveContext& context) {
  std::vector<ExpectationOutcome> outcomes;
  auto compiled = scenario.compile();
  for (const auto& ex : scenario.expectations()) {
    const SolverEntry* solver = registry.find(ex.method);
    if (solver == nullptr) {
      throw InputError(ex.mark, fmt::format("unknown method '{}'{}", ex.method,
                                            did_you_mean(ex.method, registry.names())),
                       "run 'stratagem solvers' for the list");
    }
    const ParameterValues values = scenario.with_overrides(ex.at, false, scenario.file());
    const NormalFormGame game = compiled->bind(values);
    if (auto why = solver->check(game)) {
      throw InputError(ex.mark, fmt::format("method '{}' does not apply: {}", ex.method, *why));
    }
    ExpectationOutcome outcome;
    outcome.expectation = &ex;
    outcome.summary = fmt::format("line {}: {} {}", ex.mark.line, ex.method, at_text(ex.at));
    SolveOptions local = options;
    const SolveResult result = solver->solve(game, local, context);
    const auto& labels = game.player_names();
    std::vector<bool> matched(result.equilibria.size(), false);
    for (const auto& expected : ex.equilibria) {
      const MixedProfile want = to_mixed_profile(game, expected, ex.mark);
      bool hit = false;
      for (std::size_t i = 0; i < result.equilibria.size(); ++i) {
        if (result.equilibria[i].profile.distance(want) <= ex.tolerance) {
          matched[i] = true;
          hit = true;
        }
      }
      if (!hit) outcome.details.push_back("missing: " + describe_profile(game, want, labels));
    }
    if (ex.exact_set && !ex.equilibria.empty()) {
      for (std::size_t i = 0; i < result.equilibria.size(); ++i) {
        if (!matched[i]) {
          outcome.details.push_back(
              "unexpected: " + describe_profile(game, result.equilibria[i].profile, labels));
        }
      }
    }
    if (ex.exact_set && ex.equilibria.empty() && !ex.count && !ex.survivors &&
        !result.equilibria.empty()) {
      outcome.details.push_back(fmt::format("expected no equilibria, found {}",
                                            result.equilibria.size()));
    }
    if (ex.count && static_cast<int>(result.equilibria.size()) != *ex.count) {
      outcome.details.push_back(fmt::format("expected {} equilibria, found {}", *ex.count,
                                            result.equilibria.size()));
    }
    if (ex.survivors) {
      const nlohmann::json* found = nullptr;
      for (const auto& a : result.analyses) {
        if (a.key == "dominance") found = &a.data["survivors"];
      }
      if (found == nullptr) {
        outcome.details.push_back("method reports no dominance survivors");
      } else {
        for (const auto& [actor, moves] : *ex.survivors) {
          if (!found->contains(actor)) {
            outcome.details.push_back(fmt::format("unknown actor '{}'", actor));
            continue;
          }
          auto got = (*found)[actor].get<std::vector<std::string>>();
          auto want = moves;
          std::sort(got.begin(), got.end());
          std::sort(want.begin(), want.end());
          if (got != want) {
            outcome.details.push_back(fmt::format("{} survivors: expected [{}], found [{}]", actor,
                                                  fmt::join(want, ", "), fmt::join(got, ", ")));
          }
        }
      }
    }
    for (const auto& eq : result.equilibria) {
      if (eq.max_regret > 1e-6) {
        outcome.details.push_back(fmt::format("equilibrium with max regret {:.3g}: {}",
                                              eq.max_regret,
                                              describe_profile(game, eq.profile, labels)));
      }
    }
    outcome.summary += fmt::format(": {} equilibri{} found", result.equilibria.size(),
                                   result.equilibria.size() == 1 ? "um" : "a");
    outcome.passed = outcome.details.empty();
    outcomes.push_back(std::move(outcome));
  }
  return outcomes;
}

}  // namespace stratagem
