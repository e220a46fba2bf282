#pragma once

#include <vector>

#include "stratagem/solve/solver.hpp"

namespace stratagem {

/// All pure-strategy Nash equilibria of an n-player game, in increasing profile-index order.
/// A profile is an equilibrium when no player has an action with a strictly higher payoff
/// (exact comparison: ties are equilibria); at most options.max_equilibria of them, the first in
/// profile order. Parallel over profiles with oneTBB.
/// O(num_profiles * sum of action counts).
[[nodiscard]] std::vector<Equilibrium> solve_pure(const NormalFormGame& game,
                                                  const SolveOptions& options,
                                                  SolveContext& context);

/// Registers "pure".
void register_pure(SolverRegistry& registry);

}  // namespace stratagem
