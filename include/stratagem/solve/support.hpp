#pragma once

#include <vector>

#include "stratagem/solve/solver.hpp"

namespace stratagem {

/// All Nash equilibria of a two-player game by support enumeration: for every pair of supports
/// (sizes may differ, so degenerate games are covered) solve the indifference equations, keep
/// non-negative solutions with no profitable deviation. For nondegenerate games this is every
/// equilibrium; for degenerate games it finds equilibria on every support pair whose
/// indifference system has a unique solution (the extreme points of each component where
/// found), deduplicated. Parallel over support pairs with oneTBB. O(4^n * n^3) for n x n.
[[nodiscard]] std::vector<Equilibrium> solve_support(const NormalFormGame& game,
                                                     const SolveOptions& options,
                                                     SolveContext& context);

/// Registers "support".
void register_support(SolverRegistry& registry);

}  // namespace stratagem
