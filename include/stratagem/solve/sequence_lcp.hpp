#pragma once

#include <gmpxx.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "stratagem/game/tree.hpp"
#include "stratagem/solve/solver.hpp"
#include "stratagem/solve/tree_best_response.hpp"

namespace stratagem {

/// Options of solve_sequence_lcp.
///
/// Each start is a "prior": a behaviour profile of both players (behaviour[h][m] over every
/// information set of the tree, as in BehaviorEquilibrium). The starts, in order: each of `priors`,
/// or the centroid (every move of an information set equally likely) when `priors` is empty; with
/// `all_starts`, also the centroid (when `priors` was given) and, for each player, information set
/// with two or more moves and move: that player at the centroid except for playing that move there,
/// the other player a pure best reply to it; then `random_starts` random completely mixed profiles.
/// At most `max_starts` are followed. At the start each player best replies to the start, ties
/// broken towards the start's own moves, so a start that is a pure equilibrium leads to itself.
/// Starts that are not completely mixed reach equilibria that are not perfect too (e.g. an entry
/// deterred by a threat); completely mixed ones do not.
struct SequenceLcpOptions {
  /// An equilibrium is reported only when its recomputed gain (sequence_form_nash_gain) is at most
  /// tolerance * max(1, largest absolute leaf payoff).
  double tolerance = 1e-9;
  /// Pivots allowed on one path; 0 = automatic (10 000 or 100 per row of the LCP, the larger).
  /// Lexicographic pivoting cannot cycle, so the bound only guards against numerical breakdown.
  int max_pivots = 0;
  /// Also the starts from each single move (more equilibria, one path per move).
  bool all_starts = true;
  /// Additional starts from random completely mixed profiles; start i is seeded by (seed, i).
  int random_starts = 0;
  std::uint64_t seed = 1;
  /// Explicit starting profiles; each needs a distribution over the moves of every information set
  /// (std::invalid_argument otherwise).
  std::vector<BehaviourProfile> priors{};
  /// Cap on the number of starts followed.
  std::size_t max_starts = 100;
  /// Recover every equilibrium in rational arithmetic from its final basis and verify it exactly
  /// (SequenceLcpResult::exact). O(rows^3) rational operations per equilibrium: small trees.
  bool exact = false;
  /// Paths run in parallel with oneTBB; 0 = all cores. Results do not depend on it.
  int threads = 0;
};

/// One Lemke path, from one start.
struct SequenceLcpPath {
  /// "centroid", "prior 2", "random 3", "Player 1 plays 'bet' at 'K', Player 2 a best reply"
  std::string start;
  int pivots = 0;  ///< complementary pivots taken, restarts included
  /// Times the path was started again from the start mixed with 0.1% of a random profile after it
  /// failed (a path can end in a ray when the start's best replies tie).
  int restarts = 0;
  int equilibrium = -1;  ///< index into SequenceLcpResult::equilibria; -1 when the path failed
  std::string failure;   ///< why, when equilibrium == -1 ("cancelled" when stopped)
};

/// An equilibrium recovered in rational arithmetic. The game is read exactly: payoffs and chance
/// probabilities as the simplest fractions within 1e-12 (relative) of the doubles, so 0.1 is 1/10
/// and 0.333... is 1/3.
struct ExactBehaviorEquilibrium {
  /// The final basis gives a non-negative exact solution whose plans satisfy the sequence-form
  /// constraints, no player gains exactly by a best response, and it is within 1e-6 of the
  /// floating-point equilibrium.
  bool verified = false;
  std::string message;                            ///< why not, when not verified
  std::vector<std::vector<mpq_class>> behaviour;  ///< [h][m], as BehaviorEquilibrium::behaviour
  std::vector<mpq_class> payoffs;                 ///< expected payoff of each player
};

/// What solve_sequence_lcp returns.
struct SequenceLcpResult {
  /// kOk; kCancelled when stopped (the equilibria listed were found before); kFailed when a path
  /// ended without a verified equilibrium (numerical breakdown, pivot limit) or an exact check
  /// failed; `message` says which. The equilibria listed are verified in every case.
  SolveStatus status = SolveStatus::kOk;
  std::string message;
  /// Distinct equilibria (behaviour within 1e-7 counts as the same), in order of first finding.
  /// `max_gain` is sequence_form_nash_gain (Nash, not subgame perfection).
  std::vector<BehaviorEquilibrium> equilibria;
  std::vector<SequenceLcpPath> paths;  ///< one per start, in start order
  /// With SequenceLcpOptions::exact: one per equilibrium, same order; otherwise empty.
  std::vector<ExactBehaviorEquilibrium> exact;
};

/// Nash equilibria of a two-player tree with perfect recall by Lemke's algorithm on the linear
/// complementarity problem of the sequence form (Koller, Megiddo and von Stengel 1996), with the
/// covering vector of a starting profile (von Stengel, van den Elzen and Talman 2002): along the
/// path each player best responds to a mixture of the opponent's current strategy and the start,
/// the start's weight falling from 1 to 0. Pivoting is lexicographic (it cannot cycle on degenerate
/// games), on a dense tableau with a pivot tolerance, refactorised from the original system every
/// 100 pivots and at the end, where the final basis is solved again to clean up the solution.
/// Different starts may reach different equilibria; a path can only reach equilibria of index +1,
/// so some equilibria (e.g. the mixed one between two pure ones) are never found.
///
/// Throws InvalidGame when the tree does not have two players or lacks perfect recall, and
/// std::invalid_argument for a malformed prior. Honours context.stop_requested() between pivots.
/// Each path takes O(pivots * rows^2) with rows = number of sequences plus information sets
/// (typically a few pivots per row); paths run in parallel. Thread-safe.
[[nodiscard]] SequenceLcpResult solve_sequence_lcp(const GameTree& tree,
                                                   const SequenceLcpOptions& options,
                                                   SolveContext& context);


/// Registers "sequence-lcp" (a tree solver; every start, exact verification with
/// SolveOptions::exact; the paths as the analysis "sequence_lcp_paths").
void register_sequence_lcp(SolverRegistry& registry);

}  // namespace stratagem
