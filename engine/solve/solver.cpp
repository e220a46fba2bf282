#include "stratagem/solve/solver.hpp"

#include <cmath>
#include <map>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <stdexcept>

#include <fmt/format.h>

#include "stratagem/game/rational.hpp"
#include "stratagem/solve/backward_induction.hpp"
#include "stratagem/solve/dominance.hpp"
#include "stratagem/solve/enumerate.hpp"
#include "stratagem/solve/exact.hpp"
#include "stratagem/solve/lemke_howson.hpp"
#include "stratagem/solve/lp_solvers.hpp"
#include "stratagem/solve/pure.hpp"
#include "stratagem/solve/sequence_lcp.hpp"
#include "stratagem/solve/subgame_perfect.hpp"
#include "stratagem/solve/support_newton.hpp"
#include "stratagem/solve/support.hpp"

namespace stratagem {

namespace {

/// Probabilities within rounding of 0 or 1 become exactly 0 or 1 (a solver's 1 - 1e-17 is a
/// pure strategy, and JSON should not print 1.0000000000000002).
/// A probability cleaned of rounding: within 1e-13 of 0 or 1 it becomes 0 or 1, and within a
/// 1e-14 of a simple fraction (denominator at most 2^16) it becomes that fraction's nearest
/// double, so 0.4999999999999999 prints as 0.5. Moves a value by less than 1e-13.
double tidy_probability(double v) {
  constexpr double kRounding = 1e-13;
  if (std::abs(v) < kRounding) return 0.0;
  if (std::abs(v - 1.0) < kRounding) return 1.0;
  if (!(v > 0.0 && v < 1.0)) return v;
  // A pure function of v, and equilibria share their probabilities: a per-thread memo.
  constexpr std::size_t kMemo = 4096;
  thread_local std::unordered_map<double, double> memo;
  if (const auto it = memo.find(v); it != memo.end()) return it->second;
  if (memo.size() >= kMemo) memo.clear();
  const mpq_class q = simplest_rational(v, 1e-14);
  const double tidied = q.get_den() > (1U << 16) ? v : nearest_double(q);
  memo.emplace(v, tidied);
  return tidied;
}

void tidy(MixedProfile& profile) {
  for (int p = 0; p < profile.num_players(); ++p) {
    for (double& v : profile.probabilities(p)) v = tidy_probability(v);
  }
}

using SolveFunction = std::function<SolveResult(const NormalFormGame&, const SolveOptions&, SolveContext&)>;

/// Solves the normalized game (every player's payoffs mapped into [0, 1]) and reports each
/// equilibrium against the original game.
SolveFunction with_normalized_payoffs(SolveFunction solve) {
  return [solve = std::move(solve)](const NormalFormGame& game, const SolveOptions& options,
                                    SolveContext& context) {
    const NormalFormGame normalized = normalized_payoffs(game);
    SolveResult result = solve(normalized, options, context);
    for (auto& eq : result.equilibria) {
      if (const auto fractions = exact_probabilities(eq)) {
        // Exact fractions known: the doubles are their nearest values, never snapped (a
        // probability of 1e-19 stays 1e-19).
        std::vector<std::vector<double>> probabilities;
        for (const auto& side : *fractions) {
          std::vector<double> row;
          for (const auto& q : side) row.push_back(nearest_double(q));
          probabilities.push_back(std::move(row));
        }
        auto exact = std::move(eq.exact);
        eq = describe_equilibrium(game, std::move(eq.method), MixedProfile(std::move(probabilities)));
        eq.exact = std::move(exact);
      } else {
        auto exact = std::move(eq.exact);
        eq = make_equilibrium(game, std::move(eq.method), std::move(eq.profile));
        eq.exact = std::move(exact);
      }
    }
    return result;
  };
}

/// A tolerance is never coarser than this fraction of the game's payoff resolution (the
/// smallest gap between two payoffs of a player, relative to the player's range): a regret of
/// a thousandth of the smallest payoff difference is still clearly not zero.
constexpr double kResolutionFraction = 1e-3;
/// The smallest relative tolerance that double arithmetic honours on payoffs in [0, 1].
constexpr double kDoubleTolerance = 1e-12;
/// Below this payoff resolution the pivoting and Newton steps of the double-precision solvers
/// (whose internal tolerances are about 1e-9) cannot be trusted to separate payoffs, so every
/// equilibrium they return is confirmed in exact arithmetic.
constexpr double kExactBelowResolution = 1e-6;
/// Two-player games up to this many actions in all get exact vertex enumeration then.
constexpr int kMaxExactEnumerationActions = 40;

/// Tightens the tolerance to the game's payoff resolution. When that would ask doubles for
/// more than they can give, every equilibrium found is confirmed in exact arithmetic and the
/// candidates that are not exact equilibria are dropped (and counted in an analysis).
SolveFunction with_resolution_guard(std::string method, bool finds_all, SolveFunction solve) {
  return [method = std::move(method), finds_all, solve = std::move(solve)](
             const NormalFormGame& game, const SolveOptions& options, SolveContext& context) {
    const double resolution = payoff_resolution(game);
    SolveOptions tuned = options;
    tuned.tolerance = std::max(std::min(options.tolerance, kResolutionFraction * resolution),
                               std::min(options.tolerance, kDoubleTolerance));
    SolveResult result = solve(game, tuned, context);
    if (resolution >= kExactBelowResolution || result.status == SolveStatus::kFailed) return result;
    if (finds_all && game.num_players() == 2 &&
        game.num_actions(0) + game.num_actions(1) <= kMaxExactEnumerationActions &&
        result.status == SolveStatus::kOk) {
      // Every extreme equilibrium, from rational pivoting.
      EnumerationResult exact = enumerate_extreme_equilibria_exact(game, context);
      for (auto& eq : exact.equilibria) eq.method = method;
      result.equilibria = std::move(exact.equilibria);
      if (exact.status != SolveStatus::kOk) {
        result.status = exact.status;
        result.message = exact.message;
      }
      Analysis analysis{.key = "numerics_" + method, .data = nlohmann::json::object(), .text = {}};
      analysis.data = {{"payoff_resolution", resolution}, {"exact_enumeration", true}};
      analysis.text.push_back(fmt::format(
          "payoff differences as small as {:.3g} of the payoff range are beyond what double "
          "precision separates reliably: the equilibria are those of exact vertex enumeration",
          resolution));
      result.analyses.push_back(std::move(analysis));
      return result;
    }
    std::vector<Equilibrium> kept;
    std::size_t rejected = 0, unverifiable = 0;
    for (auto& eq : result.equilibria) {
      const ExactEquilibrium exact = recover_exact(game, eq.profile);
      if (exact.status == ExactStatus::kFailed) {
        ++rejected;
        continue;
      }
      if (exact.status == ExactStatus::kNotVerifiable) ++unverifiable;
      kept.push_back(std::move(eq));
    }
    bool replaced = false;
    if (kept.empty() && rejected > 0 && game.num_players() == 2 &&
        game.num_actions(0) + game.num_actions(1) <= kMaxExactEnumerationActions) {
      // Every candidate failed the exact check: an equilibrium from exact vertex enumeration.
      EnumerationResult exact = enumerate_extreme_equilibria_exact(game, context);
      if (!exact.equilibria.empty()) {
        kept.push_back(std::move(exact.equilibria.front()));
        kept.back().method = method;
        replaced = true;
      }
    }
    result.equilibria = std::move(kept);
    Analysis analysis{.key = "numerics_" + method, .data = nlohmann::json::object(), .text = {}};
    analysis.data = {{"payoff_resolution", resolution},
                     {"exact_check", true},
                     {"rejected", rejected},
                     {"not_verifiable", unverifiable}};
    analysis.text.push_back(fmt::format(
        "payoff differences as small as {:.3g} of the payoff range are beyond double precision: "
        "every equilibrium was checked in exact arithmetic ({} candidate{} rejected{})",
        resolution, rejected, rejected == 1 ? "" : "s",
        unverifiable > 0 ? fmt::format(", {} not verifiable", unverifiable) : std::string()));
    if (replaced) {
      analysis.text.push_back("the equilibrium listed comes from exact vertex enumeration instead");
    }
    analysis.data["replaced_by_exact_enumeration"] = replaced;
    result.analyses.push_back(std::move(analysis));
    return result;
  };
}

/// The message of a solver that claims an equilibrium and found none.
std::string none_found_message(const std::string& method) {
  return method + " found no equilibrium, yet every finite game has one: the solver failed on "
                  "this game (numerical trouble); try another method, e.g. enumerate or --exact";
}

}  // namespace

Equilibrium make_equilibrium(const NormalFormGame& game, std::string method,
                             MixedProfile profile) {
  tidy(profile);
  return describe_equilibrium(game, std::move(method), std::move(profile));
}

Equilibrium describe_equilibrium(const NormalFormGame& game, std::string method,
                                 MixedProfile profile) {
  Equilibrium eq;
  eq.method = std::move(method);
  eq.payoffs = expected_payoffs(game, profile);
  eq.max_regret = max_regret(game, profile);
  eq.pure = profile.is_pure();
  eq.profile = std::move(profile);
  return eq;
}

void SolverRegistry::add(SolverEntry entry) {
  if (find(entry.name) != nullptr) {
    throw std::invalid_argument("solver '" + entry.name + "' is registered twice");
  }
  if (entry.affine_invariant) {
    entry.solve = with_resolution_guard(entry.name, entry.finds_all, std::move(entry.solve));
  }
  entry.solve = with_exact_verification(entry.name, std::move(entry.solve));  // SolveOptions::exact
  if (entry.affine_invariant) entry.solve = with_normalized_payoffs(std::move(entry.solve));
  if (entry.finds_one && entry.solve) {
    entry.solve = [name = entry.name, solve = std::move(entry.solve)](
                      const NormalFormGame& game, const SolveOptions& options, SolveContext& context) {
      SolveResult result = solve(game, options, context);
      if (result.status == SolveStatus::kOk && result.equilibria.empty() && !context.stop_requested()) {
        result.status = SolveStatus::kFailed;
        result.message = none_found_message(name);
      }
      return result;
    };
  }
  if (entry.finds_one && entry.solve_tree) {
    entry.solve_tree = [name = entry.name, solve = std::move(entry.solve_tree)](
                           const GameTree& tree, const SolveOptions& options, SolveContext& context) {
      TreeSolveResult result = solve(tree, options, context);
      for (auto& eq : result.equilibria) {
        for (auto& set : eq.behaviour) {
          for (double& v : set) v = tidy_probability(v);
        }
      }
      if (result.status == SolveStatus::kOk && result.equilibria.empty() && !context.stop_requested()) {
        result.status = SolveStatus::kFailed;
        result.message = none_found_message(name);
      }
      return result;
    };
  }
  entries_.push_back(std::move(entry));
}

const SolverEntry* SolverRegistry::find(const std::string& name) const {
  for (const auto& e : entries_) {
    if (e.name == name) return &e;
  }
  return nullptr;
}

std::vector<std::string> SolverRegistry::names() const {
  std::vector<std::string> out;
  for (const auto& e : entries_) out.push_back(e.name);
  return out;
}

void register_builtin_solvers(SolverRegistry& registry) {
  register_pure(registry);       // all pure Nash equilibria, n players
  register_dominance(registry);  // iterated elimination of dominated actions
  register_support(registry);    // all Nash equilibria of two-player games
  register_support_newton(registry);  // mixed equilibria of n-player games (support + Newton)
  register_lemke_howson(registry);  // Lemke-Howson paths, two-player games
  register_enumerate(registry);     // extreme equilibria and components by vertex enumeration
  register_zero_sum(registry);   // value and optimal strategies of constant-sum games (LP)
  register_maximin(registry);    // each player's security level and strategy (LP)
  register_correlated(registry); // an optimal correlated equilibrium and small polytopes' vertices
  register_backward_induction(registry);  // subgame-perfect equilibria of perfect-information trees
  register_subgame_perfect(registry);     // subgame-perfect equilibria, imperfect information
  register_sequence_lcp(registry);        // Nash equilibria of two-player trees (sequence form)
}

const SolverRegistry& builtin_solvers() {
  static const SolverRegistry registry = [] {
    SolverRegistry r;
    register_builtin_solvers(r);
    return r;
  }();
  return registry;
}

std::vector<Equilibrium> deduplicate(std::vector<Equilibrium> equilibria, double tol) {
  std::vector<Equilibrium> out;
  for (auto& eq : equilibria) {
    bool seen = false;
    for (const auto& kept : out) {
      if (kept.profile.distance(eq.profile) <= tol) {
        seen = true;
        break;
      }
    }
    if (!seen) out.push_back(std::move(eq));
  }
  return out;
}

}  // namespace stratagem
