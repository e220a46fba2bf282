#pragma once

#include <string>
#include <vector>

#include "stratagem/solve/solver.hpp"

namespace stratagem {

/// One Lemke–Howson path, from the artificial equilibrium (0, 0) with one label dropped.
/// Labels are 1-based: 1..m are the row player's actions, m+1..m+n the column player's.
struct LemkeHowsonPath {
  int start_label = 0;        ///< the label dropped first
  int pivots = 0;             ///< pivots taken along the path (both tableaux)
  int equilibrium = -1;       ///< 0-based index into LemkeHowsonResult::equilibria; -1 if failed
  std::vector<int> entering;  ///< label of the variable entering at each pivot (verbose only)
};

/// Equilibria reached and the paths that reached them.
struct LemkeHowsonResult {
  SolveStatus status = SolveStatus::kOk;
  std::string message;                  ///< why, when status != kOk
  std::vector<Equilibrium> equilibria;  ///< distinct, in order of first arrival (by start label)
  std::vector<LemkeHowsonPath> paths;   ///< one per start label, ascending
};

/// Lemke–Howson complementary pivoting on the best-response polytopes of a two-player game
/// (payoffs first moved into [1, 2]), in two tableaux with the lexicographic minimum-ratio test,
/// so degenerate games neither cycle nor stall. Runs from `options.start_label` (1..m+n) when
/// set, else from every label 1..m+n (paths in parallel with oneTBB, `options.threads`; results
/// do not depend on the thread count). Each path ends at an extreme equilibrium; the distinct
/// ones are returned through make_equilibrium (max regret recomputed). Not every equilibrium
/// need be reached. Each path costs O(pivots * m * n); pivots are usually few but can grow
/// exponentially on adversarial games.
/// Throws InvalidGame unless the game has two players, std::invalid_argument for a start label
/// out of range. Cancellable through `context` (status kCancelled).
[[nodiscard]] LemkeHowsonResult run_lemke_howson(const NormalFormGame& game,
                                                 const SolveOptions& options,
                                                 SolveContext& context);

/// The equilibria of run_lemke_howson.
[[nodiscard]] std::vector<Equilibrium> solve_lemke_howson(const NormalFormGame& game,
                                                          const SolveOptions& options,
                                                          SolveContext& context);

/// The "lemke_howson" analysis: data {"paths": [{"start_label", "dropped" (player and action),
/// "pivots", "equilibrium" (1-based, null if the path failed), "entering" (with
/// options.verbose_paths)}]}, text one line per path.
[[nodiscard]] Analysis lemke_howson_analysis(const NormalFormGame& game,
                                             const LemkeHowsonResult& result);

/// Registers "lemke-howson".
void register_lemke_howson(SolverRegistry& registry);

}  // namespace stratagem
