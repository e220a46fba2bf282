#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "stratagem/game/tree.hpp"
#include "stratagem/solve/solver.hpp"

namespace stratagem {

/// One step of backward induction: at a decision node, the mover compares the values of its
/// moves (given the continuation already fixed below) and picks a best one.
struct BackwardStep {
  int node = -1;                    ///< decision node (prefix-order id)
  int player = -1;                  ///< the player who moves there
  std::vector<double> move_values;  ///< the mover's value of each move, in move order
  std::vector<int> best_moves;      ///< every move within tolerance of the best value
  int chosen = -1;                  ///< the move this equilibrium takes
};

/// A subgame-perfect equilibrium in pure behaviour strategies.
struct TreeEquilibrium {
  /// Move taken at each node (index into the node's moves); -1 at chance and terminal nodes.
  std::vector<int> moves;
  /// Expected payoff of each player from the root.
  std::vector<double> payoffs;
  /// Nodes reached with positive probability, in prefix order (with chance, several branches).
  std::vector<int> path;
  /// The reasoning, bottom-up (decision nodes in reverse prefix order).
  std::vector<BackwardStep> steps;
  /// Verification: the largest gain any player could get by deviating in any subgame (a best
  /// response recomputed independently); <= tolerance for a true SPE.
  double max_gain = 0.0;
};

/// Options of solve_backward_induction.
struct BackwardInductionOptions {
  double tolerance = 1e-9;              ///< values within tolerance * max(1, |best|) tie
  std::size_t max_equilibria = 10'000;  ///< cap on equilibria reported (ties multiply them)
};

/// What solve_backward_induction returns.
struct BackwardInductionResult {
  SolveStatus status = SolveStatus::kOk;  ///< kLimitReached when ties gave more than the cap
  std::string message;
  std::vector<TreeEquilibrium> equilibria;
};

/// Every subgame-perfect equilibrium in pure behaviour strategies of a perfect-information tree:
/// at each decision node every best move is kept, so ties give several equilibria (the product
/// of the tied choices over the tree, each with its own continuation values), all reported
/// unless more than `options.max_equilibria` (then the first ones and kLimitReached). Chance
/// nodes take expectations. Each equilibrium is verified by recomputing every player's
/// best-response value in every subgame. Throws InvalidGame when the tree has an information set
/// with more than one node. O(nodes * equilibria).
[[nodiscard]] BackwardInductionResult solve_backward_induction(
    const GameTree& tree, const BackwardInductionOptions& options = {});

/// The move per information set of a pure behaviour profile given per node (perfect
/// information: each information set is one node), for reduced_strategy_index().
[[nodiscard]] std::vector<int> infoset_moves(const GameTree& tree, const TreeEquilibrium& eq);

/// The largest gain from deviating in any subgame under the pure behaviour profile `moves`
/// (move per node): for every decision node and every player, the best-response value from that
/// node minus the profile's value. O(nodes * players).
[[nodiscard]] double subgame_max_gain(const GameTree& tree, const std::vector<int>& moves);

/// A registry entry for a solver of game trees: listed by `stratagem solvers`, but since the
/// registry runs on strategic-form games, its check always answers "run 'stratagem tree'".
[[nodiscard]] SolverEntry tree_solver_entry(std::string name, std::string summary,
                                            std::string applies_to);

/// Registers "backward-induction" (metadata for `stratagem solvers`; it applies to game trees,
/// which `stratagem tree FILE.efg` solves, not to strategic-form games).
void register_backward_induction(SolverRegistry& registry);

}  // namespace stratagem
