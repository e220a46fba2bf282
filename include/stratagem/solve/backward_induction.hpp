#pragma once

#include <cstddef>
#include <functional>
#include <optional>
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
  /// Cap on equilibria reported (ties multiply them); on trees of more than 200 nodes it is
  /// lowered to 2,000,000 / nodes (at least 1) to bound memory and output.
  std::size_t max_equilibria = 10'000;
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
/// with more than one node. O(nodes * equilibria). Polls `context` every few thousand nodes: when
/// stopped, returns the equilibria assembled so far with status kCancelled.
[[nodiscard]] BackwardInductionResult solve_backward_induction(
    const GameTree& tree, const BackwardInductionOptions& options = {},
    const SolveContext& context = SolveContext());

/// The move per information set of a pure behaviour profile given per node (perfect
/// information: each information set is one node), for reduced_strategy_index().
[[nodiscard]] std::vector<int> infoset_moves(const GameTree& tree, const TreeEquilibrium& eq);

/// The largest gain from deviating in any subgame under the pure behaviour profile `moves`
/// (move per node): for every decision node and every player, the best-response value from that
/// node minus the profile's value. O(nodes * players).
[[nodiscard]] double subgame_max_gain(const GameTree& tree, const std::vector<int>& moves);

/// Advances the mixed-radix `counter` (digit k below radix[k], last digit fastest); false, with the
/// counter back at zero, after the last combination. Used to combine the continuations of subtrees.
[[nodiscard]] bool next_combination(std::vector<int>& counter, const std::vector<std::size_t>& radix);

/// One backward-induction step in words: "after in, Incumbent compares fight = -1, accommodate
/// = 1: chooses accommodate" (ties named).
[[nodiscard]] std::string describe_step(const GameTree& tree, const BackwardStep& step);

/// A pure subgame-perfect equilibrium as behaviour strategies (probability 1 on the chosen move
/// at each information set), with its reasoning sentences.
[[nodiscard]] BehaviorEquilibrium to_behaviour(const GameTree& tree, const TreeEquilibrium& eq);

/// A registry entry for a solver of game trees: `tree_check` and `solve_tree` as given; its
/// strategic-form `check` answers that it solves trees.
[[nodiscard]] SolverEntry tree_solver_entry(
    std::string name, std::string summary, std::string applies_to,
    std::function<std::optional<std::string>(const GameTree&)> tree_check,
    std::function<TreeSolveResult(const GameTree&, const SolveOptions&, SolveContext&)> solve_tree);

/// Registers "backward-induction" (a tree solver).
void register_backward_induction(SolverRegistry& registry);

}  // namespace stratagem
