// The sequence-form LCP shared by the Lemke paths (sequence_lcp.cpp), their starts
// (sequence_lcp_starts.cpp) and the exact recovery (sequence_lcp_exact.cpp). Private to the engine.
#pragma once

#include <Eigen/Dense>
#include <Eigen/SparseCore>
#include <array>
#include <cstdint>
#include <string>
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

/// The sequences of `player` chosen by a best response to `values` (the payoff of each of the
/// player's sequences against the opponent): the empty sequence and the best move at every
/// information set, reached or not; near-ties go to the move `prefer` plays most, then the first.
[[nodiscard]] std::vector<char> best_response_sequences(const Lcp& lcp, int player,
                                                        const Eigen::VectorXd& values,
                                                        const BehaviourProfile& prefer);

/// A starting profile of a Lemke path and its name for the report.
struct SequenceLcpStart {
  std::string name;
  BehaviourProfile behaviour;
};

/// The starts `options` asks for (priors, centroid, one per move, random), at most
/// options.max_starts. Throws std::invalid_argument for a malformed prior.
[[nodiscard]] std::vector<SequenceLcpStart> make_starts(const Lcp& lcp,
                                                        const SequenceLcpOptions& options);

/// profile := (1 - weight) profile + weight r, r a random completely mixed profile from `seed`.
void blend_with_random(BehaviourProfile& profile, double weight, std::uint64_t seed);

/// Seed number `index` of a stream rooted at `seed` (splitmix64).
[[nodiscard]] std::uint64_t start_seed(std::uint64_t seed, std::uint64_t index);

}  // namespace stratagem::detail
