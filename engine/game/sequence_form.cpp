#include "stratagem/game/sequence_form.hpp"

#include <fmt/format.h>

#include <utility>

namespace stratagem {

SequenceForm sequence_form(const GameTree& tree) {
  if (tree.num_players() != 2) {
    throw InvalidGame(fmt::format("the sequence form is built for two players; this tree has {}",
                                  tree.num_players()));
  }
  SequenceForm form;
  form.first_sequence.assign(tree.infosets().size(), -1);
  for (int p = 0; p < 2; ++p) {
    form.sequences[p].push_back(Sequence{});
  }
  // Walk the tree in prefix order keeping each player's current sequence; a set's sequences are
  // created at its first node, where the parent sequence is recorded and later nodes checked.
  std::vector<int> parent_of_set(tree.infosets().size(), -1);
  std::vector<std::pair<int, int>> seq_at(tree.num_nodes(), {0, 0});
  std::vector<double> chance_weight(tree.num_nodes(), 1.0);
  std::vector<std::pair<std::pair<int, int>, std::pair<double, int>>> leaves;  // (seqs, (w, node))
  for (int id = 0; id < tree.num_nodes(); ++id) {
    const TreeNode& n = tree.node(id);
    const auto [s0, s1] = seq_at[id];
    if (n.kind == NodeKind::kTerminal) {
      leaves.push_back({{s0, s1}, {chance_weight[id], id}});
      continue;
    }
    for (std::size_t m = 0; m < n.children.size(); ++m) {
      const int c = n.children[m];
      seq_at[c] = seq_at[id];
      chance_weight[c] = chance_weight[id];
      if (n.kind == NodeKind::kChance) chance_weight[c] *= n.probabilities[m];
    }
    if (n.kind != NodeKind::kDecision) continue;
    const int p = n.player;
    const int own = p == 0 ? s0 : s1;
    const int h = n.infoset;
    if (form.first_sequence[h] < 0) {
      parent_of_set[h] = own;
      form.first_sequence[h] = static_cast<int>(form.sequences[p].size());
      for (std::size_t m = 0; m < n.moves.size(); ++m) {
        form.sequences[p].push_back(
            Sequence{.infoset = h, .move = static_cast<int>(m), .parent = own});
      }
    } else if (parent_of_set[h] != own) {
      throw InvalidGame(fmt::format(
          "{} does not have perfect recall: the nodes of information set '{}' are reached after "
          "different own moves",
          tree.player_name(p), tree.infoset(h).label));
    }
    for (std::size_t m = 0; m < n.children.size(); ++m) {
      auto& seq = seq_at[n.children[m]];
      (p == 0 ? seq.first : seq.second) = form.first_sequence[h] + static_cast<int>(m);
    }
  }
  // Dense matrices: refuse before allocating when they would not fit the budget.
  const double n0 = static_cast<double>(form.sequences[0].size());
  const double n1 = static_cast<double>(form.sequences[1].size());
  const double entries = 2.0 * n0 * n1 +
                         static_cast<double>(tree.player_infosets(0).size() + 1) * n0 +
                         static_cast<double>(tree.player_infosets(1).size() + 1) * n1;
  if (entries > static_cast<double>(kMaxSequenceFormEntries)) {
    throw InvalidGame(fmt::format(
        "the sequence form is too large: {} x {} sequences need {:.3g} matrix entries ({:.3g} GB; "
        "the limit is {} entries); use backward-induction or subgame-perfect, which work on the "
        "tree itself",
        form.sequences[0].size(), form.sequences[1].size(), entries, entries * 8e-9,
        kMaxSequenceFormEntries));
  }
  for (int p = 0; p < 2; ++p) {
    const auto& sets = tree.player_infosets(p);
    const int cols = static_cast<int>(form.sequences[p].size());
    form.constraints[p] = Eigen::MatrixXd::Zero(static_cast<int>(sets.size()) + 1, cols);
    form.rhs[p] = Eigen::VectorXd::Zero(static_cast<int>(sets.size()) + 1);
    form.constraints[p](0, 0) = 1.0;
    form.rhs[p](0) = 1.0;
    for (std::size_t k = 0; k < sets.size(); ++k) {
      const int h = sets[k];
      const int row = static_cast<int>(k) + 1;
      form.constraints[p](row, parent_of_set[h]) = -1.0;
      for (std::size_t m = 0; m < tree.infoset(h).moves.size(); ++m) {
        form.constraints[p](row, form.first_sequence[h] + static_cast<int>(m)) = 1.0;
      }
    }
  }
  const int rows = static_cast<int>(form.sequences[0].size());
  const int cols = static_cast<int>(form.sequences[1].size());
  for (int p = 0; p < 2; ++p) form.payoffs[p] = Eigen::MatrixXd::Zero(rows, cols);
  for (const auto& [seqs, leaf] : leaves) {
    const auto& payoffs = tree.node(leaf.second).payoffs;
    for (int p = 0; p < 2; ++p) {
      form.payoffs[p](seqs.first, seqs.second) += leaf.first * payoffs[p];
    }
  }
  return form;
}

Eigen::VectorXd realization_plan(const SequenceForm& form, int player,
                                 const std::vector<std::vector<double>>& behaviour) {
  const auto& seqs = form.sequences[player];
  Eigen::VectorXd plan(static_cast<int>(seqs.size()));
  plan(0) = 1.0;
  // Parents come before their children: a set's sequences are created after its parent's.
  for (std::size_t s = 1; s < seqs.size(); ++s) {
    plan(static_cast<int>(s)) = plan(seqs[s].parent) * behaviour[seqs[s].infoset][seqs[s].move];
  }
  return plan;
}

void behaviour_from_plan(const SequenceForm& form, const GameTree& tree, int player,
                         const Eigen::VectorXd& plan, std::vector<std::vector<double>>& behaviour) {
  for (int h : tree.player_infosets(player)) {
    const int first = form.first_sequence[h];
    const std::size_t moves = tree.infoset(h).moves.size();
    const double reach = plan(form.sequences[player][first].parent);
    std::vector<double> probs(moves, 0.0);
    if (reach > 1e-15) {
      for (std::size_t m = 0; m < moves; ++m) probs[m] = plan(first + static_cast<int>(m)) / reach;
    } else {
      probs[0] = 1.0;
    }
    behaviour[h] = std::move(probs);
  }
}

}  // namespace stratagem
