#pragma once

// Private to enumerate: all vertices of best-response polytopes { z >= 0 : M z <= 1 }, found by a
// parallel search of the graph of lexicographically feasible bases.

#include <Eigen/Dense>
#include <cstddef>
#include <vector>

#include "solve/polytope.hpp"
#include "stratagem/solve/solver.hpp"

namespace stratagem::detail {

/// A vertex of a best-response polytope: its labels (every tight constraint) and coordinates.
struct PolytopeVertex {
  BitSet labels;
  std::vector<double> coords;
};

/// A guess at the number of lexicographically feasible bases of { z >= 0 : M z <= 1 } for a
/// random k x d matrix M, from counts measured on random games (5 x 5: ~30, 10 x 10: ~900,
/// 15 x 15: 17,000 to 70,000; about 1.95 times more for each action added to both sides).
/// Sizes the visited-basis table, which grows when the guess is low, and decides whether a game
/// is worth a second thread.
[[nodiscard]] std::size_t expected_bases(Eigen::Index rows, Eigen::Index cols);

/// One polytope { z >= 0 : M z <= 1 } to search: M, and the label of each tableau variable
/// (decision variables first, then slacks).
struct PolytopeSpec {
  const Eigen::MatrixXd& m;
  const std::vector<int>& var_label;
};

/// The vertices of each polytope (label sets only, sorted), and whether the search finished.
struct VertexSearchResult {
  std::vector<std::vector<PolytopeVertex>> vertices;  ///< one list per polytope, in spec order
  bool complete = false;  ///< false when a stop was requested: the lists are then partial
  /// True when the search stopped at its memory budget (see search_vertices); the lists are
  /// then partial too.
  bool memory_limit = false;
  std::size_t bases = 0;  ///< bases visited, over all polytopes
};

/// Searches all the polytopes together, in one pass of oneTBB tasks (call it inside the arena
/// whose threads should do the work). Coordinates are left empty: enumerate computes them from
/// the labels, for the vertices that take part in an equilibrium.
/// `max_bytes` bounds the memory of the search: the tableaux that pending bases keep alive (one
/// per partly explored parent; 64 KiB each for a 64 x 64 game) and the visited-basis tables (24
/// bytes a slot). A search that would go beyond stops, with memory_limit set.
[[nodiscard]] VertexSearchResult search_vertices(const std::vector<PolytopeSpec>& polytopes,
                                                 const SolveContext& context,
                                                 std::size_t max_bytes);

}  // namespace stratagem::detail
