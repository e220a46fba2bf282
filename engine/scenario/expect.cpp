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

/// Largest difference between `expected` (named information sets only; unnamed moves 0) and
/// the behaviour strategies `behaviour`.
double behaviour_distance(const GameTree& tree, const ExpectedProfile& expected,
                          const std::vector<std::vector<double>>& behaviour) {
  double d = 0.0;
  for (int h = 0; h < static_cast<int>(tree.infosets().size()); ++h) {
    const InfoSet& set = tree.infoset(h);
    const auto it = expected.find(set.label);
    if (it == expected.end()) continue;
    for (std::size_t m = 0; m < set.moves.size(); ++m) {
      const auto p = it->second.find(set.moves[m]);
      const double want = p == it->second.end() ? 0.0 : p->second;
      d = std::max(d, std::abs(behaviour[static_cast<std::size_t>(h)][m] - want));
    }
  }
  return d;
}

/// "{label: move, label: {a: 0.5, b: 0.5}}" over the information sets in `shown` (all when
/// empty), in tree order.
std::string describe_behaviour(const GameTree& tree,
                               const std::vector<std::vector<double>>& behaviour,
                               const std::vector<std::string>& shown) {
  std::vector<std::string> parts;
  for (int h = 0; h < static_cast<int>(tree.infosets().size()); ++h) {
    const InfoSet& set = tree.infoset(h);
    if (!shown.empty() && find_index(shown, set.label) < 0) continue;
    const auto& mix = behaviour[static_cast<std::size_t>(h)];
    const auto pure = std::find_if(mix.begin(), mix.end(), [](double p) { return p > 1 - 1e-12; });
    if (pure != mix.end()) {
      parts.push_back(fmt::format("{}: {}", set.label, set.moves[static_cast<std::size_t>(pure - mix.begin())]));
      continue;
    }
    std::vector<std::string> moves;
    for (std::size_t m = 0; m < mix.size(); ++m) {
      if (mix[m] > 1e-12) moves.push_back(fmt::format("{}: {}", set.moves[m], format_number(mix[m])));
    }
    parts.push_back(fmt::format("{}: {{{}}}", set.label, fmt::join(moves, ", ")));
  }
  return fmt::format("{{{}}}", fmt::join(parts, ", "));
}

/// One `expect:` entry of a tree method on a tree scenario: equilibria keyed by information set.
ExpectationOutcome check_tree_expectation(const Expectation& ex, const SolverEntry& solver,
                                          CompiledScenario& compiled,
                                          const ParameterValues& values,
                                          const SolveOptions& options, SolveContext& context) {
  if (!solver.is_tree_solver()) {
    throw InputError(ex.mark, fmt::format("method '{}' does not solve game trees", ex.method),
                     "key the expected equilibria by actor for a strategic-form method");
  }
  const GameTree tree = compiled.bind_tree(values);
  if (solver.tree_check) {
    if (auto why = solver.tree_check(tree)) {
      throw InputError(ex.mark, fmt::format("method '{}' does not apply: {}", ex.method, *why),
                       "run 'stratagem solvers' for the tree methods");
    }
  }
  SolveOptions local = options;
  const TreeSolveResult result = solver.solve_tree(tree, local, context);
  ExpectationOutcome outcome;
  outcome.expectation = &ex;
  outcome.summary = fmt::format("line {}: {} {}", ex.mark.line, ex.method, at_text(ex.at));
  std::vector<std::string> shown;  // the information sets this entry names
  for (const auto& expected : ex.equilibria) {
    for (const auto& [label, moves] : expected) {
      if (find_index(shown, label) < 0) shown.push_back(label);
    }
  }
  std::vector<bool> matched(result.equilibria.size(), false);
  for (const auto& expected : ex.equilibria) {
    bool hit = false;
    for (std::size_t i = 0; i < result.equilibria.size(); ++i) {
      if (behaviour_distance(tree, expected, result.equilibria[i].behaviour) <= ex.tolerance) {
        matched[i] = true;
        hit = true;
      }
    }
    if (!hit) {
      std::vector<std::string> parts;
      for (const auto& [label, moves] : expected) {
        std::vector<std::string> mix;
        for (const auto& [move, p] : moves) mix.push_back(fmt::format("{}: {}", move, format_number(p)));
        parts.push_back(fmt::format("{}: {{{}}}", label, fmt::join(mix, ", ")));
      }
      outcome.details.push_back(fmt::format("missing: {{{}}}", fmt::join(parts, ", ")));
    }
  }
  if (ex.exact_set && !ex.equilibria.empty()) {
    for (std::size_t i = 0; i < result.equilibria.size(); ++i) {
      if (!matched[i]) {
        outcome.details.push_back(
            "unexpected: " + describe_behaviour(tree, result.equilibria[i].behaviour, shown));
      }
    }
  }
  if (ex.exact_set && ex.equilibria.empty() && !ex.count && !result.equilibria.empty()) {
    outcome.details.push_back(fmt::format("expected no equilibria, found {}",
                                          result.equilibria.size()));
  }
  if (ex.count && static_cast<int>(result.equilibria.size()) != *ex.count) {
    outcome.details.push_back(fmt::format("expected {} equilibria, found {}", *ex.count,
                                          result.equilibria.size()));
  }
  if (result.status != SolveStatus::kOk) {
    outcome.details.push_back(fmt::format("the solver stopped early: {}", result.message));
  }
  for (const auto& eq : result.equilibria) {
    if (eq.max_gain > 1e-6) {
      outcome.details.push_back(fmt::format("equilibrium with max gain {:.3g}: {}", eq.max_gain,
                                            describe_behaviour(tree, eq.behaviour, {})));
    }
  }
  outcome.summary += fmt::format(": {} equilibri{} found", result.equilibria.size(),
                                 result.equilibria.size() == 1 ? "um" : "a");
  outcome.passed = outcome.details.empty();
  return outcome;
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
    if (ex.by_infoset) {
      outcomes.push_back(check_tree_expectation(ex, *solver, *compiled, values, options, context));
      continue;
    }
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
