#pragma once

#include <cstdint>
#include <limits>
#include <vector>

#include "stratagem/solve/solver.hpp"

namespace stratagem {

/// A count that does not fit: support_pair_count() returns this instead of overflowing.
inline constexpr std::uint64_t kSaturatedCount = std::numeric_limits<std::uint64_t>::max();

/// The number of equal-size support pairs of an m x n game, sum over k of C(m, k) C(n, k), in
/// integers; kSaturatedCount when it exceeds what 64 bits hold. O(min(m, n)^2).
[[nodiscard]] std::uint64_t support_pair_count(int m, int n);

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
