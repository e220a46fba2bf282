#pragma once

#include <string>
#include <vector>

#include "stratagem/solve/solver.hpp"

namespace stratagem {

/// One elimination: `player`'s action `action` is dominated by `by` (indices in the original game).
struct DominanceStep {
  int round = 0;     ///< 1-based round of elimination
  int player = 0;
  int action = 0;
  int by = 0;
  bool strict = true;  ///< strictly dominated (false: weakly)
};

/// Result of iterated elimination.
struct DominanceResult {
  std::vector<DominanceStep> steps;
  /// Surviving actions of each player (indices in the original game).
  std::vector<std::vector<int>> survivors;
  /// The reduced game on the surviving actions.
  NormalFormGame reduced;
};

/// Iterated elimination of actions dominated by pure actions. Each round removes, for every
/// player at once, all actions dominated in the current reduced game; rounds repeat until
/// nothing changes. With `weak`, an action is also removed when another is at least as good
/// everywhere and strictly better somewhere (the order-dependent weak procedure, done in
/// rounds; the result is documented as one possible outcome). Exact comparisons.
[[nodiscard]] DominanceResult eliminate_dominated(const NormalFormGame& game, bool weak);

/// The sub-game of `game` on the given actions (indices into the original game).
[[nodiscard]] NormalFormGame restrict_game(const NormalFormGame& game,
                                           const std::vector<std::vector<int>>& actions);

/// Registers "dominance".
void register_dominance(SolverRegistry& registry);

}  // namespace stratagem
