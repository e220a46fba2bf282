#pragma once

#include <string>
#include <vector>

#include "stratagem/solve/solver.hpp"

namespace stratagem {

/// A maximal Nash subset ("clique") of a two-player game: sets of row strategies X and column
/// strategies Y, extreme points of the best-response polytopes, such that every pair in X x Y is
/// an extreme equilibrium and neither set can grow. Every profile in conv(X) x conv(Y) is an
/// equilibrium. Indices are 0-based into the owning EnumerationResult.
struct NashClique {
  std::vector<int> row_vertices;     ///< indices into EnumerationResult::row_strategies, ascending
  std::vector<int> column_vertices;  ///< indices into EnumerationResult::column_strategies
  std::vector<int> equilibria;       ///< the extreme equilibria X x Y, ascending indices
};

/// A connected component of the equilibrium set: the union of cliques linked by shared
/// extreme equilibria (two cliques' products meet exactly when they share one).
struct NashComponent {
  std::vector<int> cliques;     ///< indices into EnumerationResult::cliques, ascending
  std::vector<int> equilibria;  ///< every extreme equilibrium of the component, ascending
};

/// Everything vertex enumeration learns about a two-player game.
struct EnumerationResult {
  SolveStatus status = SolveStatus::kOk;
  std::string message;  ///< why, when status != kOk
  /// Every extreme Nash equilibrium, in a deterministic order (profiles as flat vectors,
  /// row strategy then column strategy, lexicographically descending, like "support").
  std::vector<Equilibrium> equilibria;
  /// Distinct row strategies used by `equilibria`, numbered by first use.
  std::vector<std::vector<double>> row_strategies;
  /// Distinct column strategies used by `equilibria`, numbered by first use.
  std::vector<std::vector<double>> column_strategies;
  std::vector<int> row_vertex;     ///< row strategy of each equilibrium (index)
  std::vector<int> column_vertex;  ///< column strategy of each equilibrium (index)
  /// Maximal cliques, sorted by (row_vertices, column_vertices).
  std::vector<NashClique> cliques;
  /// Connected components, sorted by smallest equilibrium index.
  std::vector<NashComponent> components;
  std::size_t row_polytope_vertices = 0;  ///< vertices of P = {x >= 0 : B'x <= 1}, x = 0 included
  std::size_t column_polytope_vertices = 0;  ///< vertices of Q = {y >= 0 : Ay <= 1}, y = 0 included
};

/// All extreme Nash equilibria of a two-player game, degenerate games included, by vertex
/// enumeration of the best-response polytopes P = {x >= 0 : B'x <= 1} and Q = {y >= 0 : Ay <= 1}
/// (payoffs first moved into [1, 2], which changes no equilibrium). Vertices are found by a
/// graph search over lexicographically feasible bases (each basis has one neighbour per
/// entering variable, so degenerate polytopes are covered without enumerating every degenerate
/// basis); a vertex's labels are all its tight constraints. Completely labelled pairs (x, y),
/// x != 0, y != 0, normalised, are the extreme equilibria; their maximal cliques and connected
/// components describe the whole equilibrium set.
///
/// Parallel with oneTBB (`options.threads`, 0 = all cores): both polytopes at once, each
/// search spread over tasks, and the matching over vertices of P. Output never depends on the
/// thread count. Cost: proportional to the number of lexicographic bases times m * n.
/// Throws InvalidGame unless the game has two players and at most 128 actions in total.
/// Cancellable through `context` (status kCancelled, equilibria so far not reported).
[[nodiscard]] EnumerationResult enumerate_extreme_equilibria(const NormalFormGame& game,
                                                             const SolveOptions& options,
                                                             SolveContext& context);

/// enumerate_extreme_equilibria in rational arithmetic, from the game's exact payoffs
/// (NormalFormGame::exact_payoff): every pivot, ratio test and zero test is exact, so ties are
/// ties however small the payoff differences; every equilibrium carries its exact fractions.
/// Single-threaded; each pivot costs (m + n)^2 rational operations, so it suits games where
/// doubles cannot separate the payoffs (payoff_resolution) rather than large ones.
[[nodiscard]] EnumerationResult enumerate_extreme_equilibria_exact(const NormalFormGame& game,
                                                                   SolveContext& context);

/// The equilibria of enumerate_extreme_equilibria.
[[nodiscard]] std::vector<Equilibrium> solve_enumerate(const NormalFormGame& game,
                                                       const SolveOptions& options,
                                                       SolveContext& context);

/// The "components" analysis of an enumeration: data
/// {"cliques": [{"index", "x_vertices", "y_vertices", "equilibria"}],
///  "components": [{"index", "cliques", "equilibria"}]}, with 1-based indices throughout;
/// x_vertices (y_vertices) lists, for each row (column) strategy of the clique, the first
/// equilibrium that uses it. Text: one line per clique and component.
[[nodiscard]] Analysis components_analysis(const EnumerationResult& result);

/// Registers "enumerate".
void register_enumerate(SolverRegistry& registry);

}  // namespace stratagem
