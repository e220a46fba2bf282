// The sequence-form LCP shared by the Lemke paths (sequence_lcp.cpp) and the exact recovery
// (sequence_lcp_exact.cpp). Private to the engine.
#pragma once

#include <Eigen/Dense>
#include <Eigen/SparseCore>
#include <array>
#include <vector>

#include "stratagem/game/rational.hpp"
#include "stratagem/game/sequence_form.hpp"
#include "stratagem/solve/sequence_lcp.hpp"

namespace stratagem::detail {

/// Sizes and the parts of the system shared by every path.
struct Lcp {
  const GameTree* tree = nullptr;
  SequenceForm form;
  int n1 = 0, n2 = 0, k1 = 0, k2 = 0;
  int n = 0;     ///< n1 + n2: tableau rows
  int rows = 0;  ///< n + k1 + k2: rows of the whole system
  /// Sequence-form payoffs, each player's divided by the player's largest absolute leaf payoff.
  Eigen::MatrixXd a;
  Eigen::MatrixXd b;
  /// rows x (2n + 1 + k1 + k2), sparse; the (A), (B) part of the z0 column depends on the start and
  /// is left out here.
  Eigen::SparseMatrix<double> system;
  Eigen::VectorXd rhs;

  [[nodiscard]] int z0() const { return 2 * n; }
  [[nodiscard]] int num_vars() const { return 2 * n + 1; }  ///< variables in the tableau
  [[nodiscard]] int complement(int var) const { return var < n ? var + n : var - n; }
};

/// The LCP of a two-player tree (sequence_form() throws InvalidGame without perfect recall).
[[nodiscard]] Lcp make_lcp(const GameTree& tree);

/// Exact sequence-form payoff matrices: the same leaves as sequence_form(), read as the simplest
/// fractions within 1e-12.
[[nodiscard]] std::array<RationalMatrix, 2> exact_payoffs(const Lcp& lcp);

/// The equilibrium of the final basis `basis` (tableau variables of the n sign-constrained rows)
/// solved again in rational arithmetic and checked exactly; `approx` is the floating-point
/// equilibrium it must match within 1e-6.
[[nodiscard]] ExactBehaviorEquilibrium recover_exact(const Lcp& lcp,
                                                     const std::array<RationalMatrix, 2>& payoffs,
                                                     const std::vector<int>& basis,
                                                     const BehaviourProfile& approx);

}  // namespace stratagem::detail
