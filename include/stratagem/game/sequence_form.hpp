#pragma once

#include <Eigen/Dense>
#include <vector>

#include "stratagem/game/tree.hpp"

namespace stratagem {

/// A sequence of one player: the empty sequence, or the player's last move (information set and
/// move) together with the sequence that leads to that information set.
struct Sequence {
  int infoset = -1;  ///< -1 for the empty sequence
  int move = -1;     ///< index into the information set's moves; -1 for the empty sequence
  int parent = -1;   ///< the sequence leading to `infoset`; -1 for the empty sequence
};

/// The sequence form of a two-player tree with perfect recall (Koller, Megiddo and von Stengel):
/// realization plans x (player 0) and y (player 1) satisfy E x = e, F y = f, x, y >= 0, and the
/// expected payoffs are x' A y and x' B y. Sequence 0 of each player is the empty sequence; the
/// sequences of an information set's moves are consecutive, in move order, and information sets
/// come in tree order. A value type.
struct SequenceForm {
  std::vector<Sequence> sequences[2];  ///< per player
  /// Rows: the empty sequence (x_0 = 1), then one per information set of the player (in
  /// GameTree::player_infosets order): sum of the set's move sequences = its parent sequence.
  Eigen::MatrixXd constraints[2];
  /// Right-hand sides: (1, 0, ..., 0).
  Eigen::VectorXd rhs[2];
  /// payoffs[p](i, j): player p's payoff summed over the leaves reached by sequence i of player
  /// 0 and sequence j of player 1, each weighted by its chance probability.
  Eigen::MatrixXd payoffs[2];
  /// first_sequence[h]: the sequence of move 0 at information set h (move m is at + m).
  std::vector<int> first_sequence;
};

/// Most entries the dense matrices of a sequence form (payoffs and constraints) may have: 400 MB.
inline constexpr std::size_t kMaxSequenceFormEntries = 50'000'000;

/// The sequence form of `tree`. Throws InvalidGame when the tree does not have exactly two players
/// or lacks perfect recall (two nodes of an information set reached by different own sequences),
/// or when its matrices would have more than kMaxSequenceFormEntries entries (checked before
/// they are allocated).
/// O(nodes + sequences^2).
[[nodiscard]] SequenceForm sequence_form(const GameTree& tree);

/// The realization plan of `player` for the behaviour strategies `behaviour[h][m]` (all
/// information sets of the tree, as in BehaviorEquilibrium). O(sequences).
[[nodiscard]] Eigen::VectorXd realization_plan(const SequenceForm& form, int player,
                                               const std::vector<std::vector<double>>& behaviour);

/// Behaviour strategies from a realization plan of `player`, written into `behaviour` for that
/// player's information sets (sized for every information set of the tree); an unreached set
/// gets its first move. O(sequences).
void behaviour_from_plan(const SequenceForm& form, const GameTree& tree, int player,
                         const Eigen::VectorXd& plan, std::vector<std::vector<double>>& behaviour);

}  // namespace stratagem
