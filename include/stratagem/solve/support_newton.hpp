#pragma once

#include <cstddef>
#include <vector>

#include "stratagem/solve/solver.hpp"

namespace stratagem {

/// What solve_support_newton examined.
struct SupportNewtonResult {
  std::vector<Equilibrium> equilibria;  ///< verified, deduplicated, in canonical order
  std::size_t support_profiles = 0;     ///< support profiles in the game
  std::size_t examined = 0;             ///< support profiles examined (all unless stopped/capped)
  /// Supports holding a continuum of equilibria (singular Jacobian) whose centre is listed
  /// (only when no isolated equilibrium was found).
  std::size_t continua = 0;
  SolveStatus status = SolveStatus::kOk;
  std::string message;
};

/// Nash equilibria of a game with any number of players by support enumeration: for every
/// support profile (one non-empty set of actions per player, smallest first) the indifference
/// equations -- each player's actions in its support earn the same payoff v_i, each player's
/// probabilities sum to 1 -- are solved by Newton's method from several starting points (the
/// centre of the supports, then seeded random ones until 12 in a row find nothing new, at most
/// 64). A solution with positive probabilities
/// on the support and no profitable deviation outside it (max regret recomputed, <= tolerance)
/// is an equilibrium. For two players the equations are linear, so each support profile is solved
/// exactly and the result is complete for nondegenerate games (it matches `support`); for three
/// or more players they are polynomial and a support profile may have several solutions, so an
/// equilibrium can be missed when no start converges to it. Every pure equilibrium is found
/// (single-action supports need no Newton step). Degenerate games (three or more players) with
/// no isolated equilibrium: where a support holds a continuum of equilibria (singular
/// Jacobian) and the support's centre (uniform on every support) is an exact equilibrium, the
/// centre is listed and counted in `continua`. Extreme points of continua that lie on no
/// smaller support are not enumerated (use `enumerate` for two players). Parallel over support profiles (oneTBB).
/// kLimitReached when the game has more than `options.max_supports` (at most 10^6) support
/// profiles: then only its pure equilibria are searched, exactly, by `solve_pure`. kCancelled
/// when stopped.
[[nodiscard]] SupportNewtonResult solve_support_newton(const NormalFormGame& game,
                                                       const SolveOptions& options,
                                                       SolveContext& context);

/// Registers "support-newton".
void register_support_newton(SolverRegistry& registry);

}  // namespace stratagem
