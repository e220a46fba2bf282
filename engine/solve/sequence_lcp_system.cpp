// The linear complementarity problem of a two-player tree's sequence form (Koller, Megiddo and
// von Stengel), as sequence-lcp's Lemke paths pivot on it: its construction and size check.
#include <fmt/format.h>

#include <Eigen/SparseCore>
#include <vector>

#include "solve/sequence_lcp_system.hpp"
#include "stratagem/game/sequence_form.hpp"

namespace stratagem {

// ---------------------------------------------------------------------------------------------
// The LCP
//
// Realization plans x (player 1, n1 sequences) and y (player 2, n2 sequences), constraint matrices
// E, F, payoffs A, B (scaled), a starting profile with plans xs, ys, and the scalar z0:
//
//   (A)  a - E'p + A y + (A ys) z0 = 0        a >= 0, a complementary to x
//   (B)  b - F'q + B'x + (B'xs) z0 = 0        b >= 0, b complementary to y
//   (E)  E x + e z0 = e                       x >= 0
//   (F)  F y + f z0 = f                       y >= 0
//
// p and q are free. x / (1 - z0) is a best response to y + ys z0 (a realization plan), and
// y / (1 - z0) to x + xs z0: at z0 = 1 both players face the start, at z0 = 0 the solution is an
// equilibrium. Variables: x [0, n1), y [n1, n), a [n, n + n1), b [n + n1, 2n), z0 = 2n, then p (k1)
// and q (k2), which stay basic throughout and so are kept out of the tableau. Rows: (A), (B), (E),
// (F).
//
// Start: z0 = 1, x = y = 0, p and q the best-response values to the start. Basic: z0, x of the best
// move at every information set of player 1, y of the empty sequence and of the best move at every
// set of player 2, the other slacks. The pair (x_0, a_0) is missing: raising a_0 only raises p_0
// (an unbounded ray), raising x_0 lowers z0 and starts the path. Ties are broken lexicographically
// against the columns of the starting basis, for which the start is trivially lexicographically
// feasible.

namespace detail {

Lcp make_lcp(const GameTree& tree) {
  Lcp lcp;
  lcp.tree = &tree;
  lcp.form = sequence_form(tree);
  const SequenceForm& f = lcp.form;
  lcp.n1 = static_cast<int>(f.sequences[0].size());
  lcp.n2 = static_cast<int>(f.sequences[1].size());
  lcp.k1 = static_cast<int>(f.constraints[0].rows());
  lcp.k2 = static_cast<int>(f.constraints[1].rows());
  lcp.n = lcp.n1 + lcp.n2;
  lcp.rows = lcp.n + lcp.k1 + lcp.k2;
  // The pivoting tableau is dense: rows x (2n + 1 + k1 + k2) entries. Refuse before allocating.
  const double tableau = static_cast<double>(lcp.rows) *
                         static_cast<double>(2 * lcp.n + 1 + lcp.k1 + lcp.k2);
  if (tableau > static_cast<double>(kMaxSequenceFormEntries)) {
    throw InvalidGame(fmt::format(
        "the tree is too large for sequence-lcp: {} + {} sequences give a {:.3g}-entry tableau "
        "({:.3g} GB; the limit is {} entries); use backward-induction or subgame-perfect",
        lcp.n1, lcp.n2, tableau, tableau * 8e-9, kMaxSequenceFormEntries));
  }
  // Pivoting sees each player's payoffs mapped onto [0, 1] (the minimum subtracted, divided by a
  // power of two at least the range): the same path whatever the payoffs' scale and shift.
  // Realization plans weight the leaves by probabilities summing to 1, so the shift changes
  // every payoff of a player by the same constant and the equilibria stay the same.
  const SequenceForm unit = sequence_form(normalized_payoffs(tree));
  lcp.a = unit.payoffs[0];
  lcp.b = unit.payoffs[1];

  const int n1 = lcp.n1, k1 = lcp.k1, k2 = lcp.k2, n = lcp.n;
  const int p0 = 2 * n + 1;
  const int q0 = p0 + k1;
  std::vector<Eigen::Triplet<double>> entries;
  auto add_block = [&](int row, int col, const Eigen::MatrixXd& block) {
    for (int j = 0; j < block.cols(); ++j) {
      for (int i = 0; i < block.rows(); ++i) {
        if (block(i, j) != 0.0) entries.emplace_back(row + i, col + j, block(i, j));
      }
    }
  };
  add_block(0, n1, lcp.a);                                          // (A): A y
  add_block(0, p0, -f.constraints[0].transpose());                  //      - E'p
  add_block(n1, 0, lcp.b.transpose());                              // (B): B'x
  add_block(n1, q0, -f.constraints[1].transpose());                 //      - F'q
  for (int i = 0; i < n; ++i) entries.emplace_back(i, n + i, 1.0);  // slacks a, b
  add_block(n, 0, f.constraints[0]);                                // (E): E x
  add_block(n + k1, n1, f.constraints[1]);                          // (F): F y
  add_block(n, 2 * n, f.rhs[0]);                                    //      + e z0
  add_block(n + k1, 2 * n, f.rhs[1]);                               //      + f z0
  lcp.system.resize(lcp.rows, q0 + k2);
  lcp.system.setFromTriplets(entries.begin(), entries.end());
  lcp.rhs = Eigen::VectorXd::Zero(lcp.rows);
  lcp.rhs.segment(n, k1) = f.rhs[0];
  lcp.rhs.segment(n + k1, k2) = f.rhs[1];
  return lcp;
}

}  // namespace detail

}  // namespace stratagem
