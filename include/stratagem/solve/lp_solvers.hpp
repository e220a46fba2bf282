#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "stratagem/game/normal_form.hpp"
#include "stratagem/game/profile.hpp"
#include "stratagem/solve/solver.hpp"

namespace stratagem {

// Solvers built on linear programming (COIN-OR Clp): values of constant-sum games, security
// (maximin) strategies, and correlated equilibria. Every function is thread-safe and reads the
// game through const&.

/// A player's security (maximin) strategy in a two-player game.
struct SecurityStrategy {
  SolveStatus status = SolveStatus::kOk;  ///< kFailed when the LP solver fails (see message)
  std::string message;
  double value = 0.0;            ///< security level: the best worst-case expected payoff
  std::vector<double> strategy;  ///< a mixture attaining it, in the game's action order
};

/// The mixture of `player` (0 or 1) maximising its worst expected payoff over the opponent's
/// pure actions: max v s.t. sum_a x_a u(a, b) >= v for every opponent action b, x a
/// distribution. One LP with (actions + 1) variables and (opponent actions + 1) rows.
/// Throws InvalidGame unless the game has two players.
[[nodiscard]] SecurityStrategy security_strategy(const NormalFormGame& game, int player);

/// Why `game` is not a two-player constant-sum game (u0 + u1 the same at every profile,
/// within `tolerance` times the largest payoff), naming two profiles whose sums differ; or
/// nullopt when it is one.
[[nodiscard]] std::optional<std::string> constant_sum_violation(const NormalFormGame& game,
                                                                double tolerance = 1e-9);

/// Value and optimal strategies of a constant-sum two-player game.
struct ZeroSumSolution {
  SolveStatus status = SolveStatus::kOk;  ///< kFailed when an LP fails (see message)
  std::string message;
  double value = 0.0;     ///< value to the first player (the second gets constant - value)
  double constant = 0.0;  ///< u0 + u1 at every profile
  MixedProfile profile;   ///< both players' optimal (maximin = minimax) strategies
};

/// Solves a constant-sum game by the minimax theorem: each player's security strategy (one LP
/// each); together they form an equilibrium and the security levels add up to the constant.
/// Throws InvalidGame with constant_sum_violation()'s reason for other games.
[[nodiscard]] ZeroSumSolution solve_zero_sum(const NormalFormGame& game);

/// Options of solve_correlated().
struct CorrelatedOptions {
  std::string objective = "welfare";   ///< "welfare" (sum of payoffs) or a player's name
  std::size_t max_profiles = 100'000;  ///< larger games are refused (LP size)
  std::size_t vertex_profiles = 16;    ///< list the polytope's vertices up to this many profiles
  std::size_t max_bases = 400'000;     ///< exhaustive vertex enumeration up to this many bases
  int sampled_objectives = 300;        ///< otherwise: LPs with this many random objectives
  std::uint64_t seed = 1;              ///< seed of the random objectives
};

/// A correlated equilibrium: a distribution over pure profiles (indexed like the game's
/// profiles) from which no player gains by disobeying a recommendation.
struct CorrelatedEquilibrium {
  std::vector<double> distribution;  ///< probability of each profile index
  std::vector<double> payoffs;       ///< each player's expected payoff
  double objective_value = 0.0;      ///< the objective at this distribution
  double max_violation = 0.0;        ///< largest incentive-constraint violation, recomputed
};

/// Result of solve_correlated().
struct CorrelatedResult {
  SolveStatus status = SolveStatus::kOk;  ///< kFailed when the LP fails, kCancelled if stopped
  std::string message;
  CorrelatedEquilibrium optimum;  ///< maximises the objective
  /// Vertices of the correlated-equilibrium polytope (games with at most
  /// options.vertex_profiles profiles), in a deterministic order; see vertices_complete.
  std::vector<CorrelatedEquilibrium> vertices;
  /// True when `vertices` is every vertex (exhaustive basis enumeration); false when they come
  /// from LPs with sampled objectives, i.e. a subset.
  bool vertices_complete = false;
  std::string vertex_method;  ///< how `vertices` were found, in words ("" when not computed)
};

/// Why `objective` is not usable for `game` ("welfare" or a player's name), or nullopt.
[[nodiscard]] std::optional<std::string> objective_error(const NormalFormGame& game,
                                                         const std::string& objective);

/// Largest violation of the incentive constraints by `distribution` over profile indices:
/// max over players i and actions a != a' of sum_{s: s_i = a} p(s) (u_i(a', s_-i) - u_i(s)),
/// or 0 when all hold. O(num_profiles * sum of action counts).
[[nodiscard]] double max_incentive_violation(const NormalFormGame& game,
                                             std::span<const double> distribution);

/// A correlated equilibrium maximising `options.objective` by one LP over distributions on
/// pure profiles (num_profiles variables, sum_i m_i (m_i - 1) incentive rows), n players.
/// For small games also the vertices of the polytope of correlated equilibria: every vertex
/// solves the equation sum p = 1 with num_profiles - 1 linearly independent tight inequalities,
/// so trying all such subsets finds all of them (when there are at most options.max_bases
/// subsets); otherwise LPs with sampled objectives give a subset (marked incomplete). Throws
/// std::invalid_argument for a bad objective (objective_error) and InvalidGame for a game with
/// more than options.max_profiles profiles.
[[nodiscard]] CorrelatedResult solve_correlated(const NormalFormGame& game,
                                                const CorrelatedOptions& options,
                                                SolveContext& context);

/// Registers "zero-sum" (equilibrium + analysis "zero_sum").
void register_zero_sum(SolverRegistry& registry);
/// Registers "maximin" (analysis "maximin"; no equilibria).
void register_maximin(SolverRegistry& registry);
/// Registers "correlated" (analysis "correlated"; no equilibria).
void register_correlated(SolverRegistry& registry);

}  // namespace stratagem
