#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "stratagem/game/tree.hpp"
#include "stratagem/solve/solver.hpp"

namespace stratagem {


/// Options of solve_subgame_perfect.
struct SubgamePerfectOptions {
  /// Cap on equilibria kept per subgame and reported; on trees of more than 2,000 nodes it is
  /// lowered to 2,000,000 / nodes (at least 1) to bound memory.
  std::size_t max_equilibria = 1'000;
  double tolerance = 1e-9;             ///< regret tolerance passed to the normal-form solvers
};

/// What solve_subgame_perfect returns.
/// Where a tree lacks perfect recall.
struct RecallDefect {
  int infoset = -1;            ///< the first information set (tree order) concerned
  bool absent_minded = false;  ///< one of its nodes follows another on a path
};

/// The first information set at which `tree` lacks perfect recall (its nodes reached after
/// different own moves of its player, or one following another), nullopt with perfect recall.
/// O(nodes * depth).
[[nodiscard]] std::optional<RecallDefect> first_recall_defect(const GameTree& tree);

struct SubgamePerfectResult {
  SolveStatus status = SolveStatus::kOk;  ///< kLimitReached when the cap cut combinations
  std::string message;
  std::vector<BehaviorEquilibrium> equilibria;
  /// Imperfect recall (no absent-mindedness): the equilibria found in mixed strategies whose
  /// behaviour strategies turned out not to be subgame-perfect equilibria (dropped).
  std::size_t dropped_imperfect_recall = 0;
  std::optional<RecallDefect> recall_defect;
  /// Roots of the subgames solved, innermost first (each a node starting a proper subgame, and
  /// the root).
  std::vector<int> subgames;
};

/// Subgame-perfect equilibria of a tree with perfect recall, imperfect information allowed: the
/// proper subgames (a node whose subtree contains every node of every information set it meets)
/// are solved bottom-up. Each subgame, with its inner subgames replaced by the values of their
/// equilibria, is solved in its reduced normal form by support enumeration (two players, at most 24
/// strategies in all), Lemke-Howson from every label (larger two-player subgames: some
/// equilibria, at least one) or pure equilibria (other player counts); mixed strategies become behaviour strategies. Every
/// combination of inner equilibria is followed, so ties and several equilibria give several SPE
/// (for degenerate subgames, the extreme equilibria support enumeration finds). Each result is
/// verified in every subgame. Without perfect recall (not absent-minded) a profile is kept only
/// when it passes that verification with payoffs recomputed from its behaviour strategies
/// (`dropped_imperfect_recall` counts the others; kFailed when nothing is left); absent-minded
/// trees give kFailed at once. Throws InvalidGame when a subgame's reduced form exceeds the
/// default game limits. Exponential in subgame size; meant for small trees.
[[nodiscard]] SubgamePerfectResult solve_subgame_perfect(const GameTree& tree,
                                                         const SubgamePerfectOptions& options,
                                                         SolveContext& context);

/// The largest gain from deviating in any subgame under the behaviour profile `behaviour`
/// (as in BehaviorEquilibrium), over every player and every proper subgame (and the whole tree).
/// Enumerates each deviator's pure strategies in each subgame: exponential, small trees only.
[[nodiscard]] double behaviour_max_gain(const GameTree& tree,
                                        const std::vector<std::vector<double>>& behaviour);

/// Roots of the proper subgames of `tree` (non-terminal nodes whose subtree contains every node
/// of every information set it meets), increasing; always includes the root unless it is a
/// terminal. O(nodes^2).
[[nodiscard]] std::vector<int> subgame_roots(const GameTree& tree);

/// Registers "subgame-perfect" (metadata for `stratagem solvers`; it applies to game trees,
/// which `stratagem tree FILE.efg` solves, not to strategic-form games).
void register_subgame_perfect(SolverRegistry& registry);

}  // namespace stratagem
