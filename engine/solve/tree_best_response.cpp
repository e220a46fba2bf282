// Each player's best response on a game tree, by backward recursion over the player's own
// sequences: the independent check of tree equilibria.
#include "stratagem/solve/tree_best_response.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <limits>

namespace stratagem {
namespace {

/// Probability of move `m` at decision or chance node `n` under `behaviour`.
double move_probability(const TreeNode& n, std::size_t m, const BehaviourProfile& behaviour) {
  return n.kind == NodeKind::kChance ? n.probabilities[m]
                                     : behaviour[static_cast<std::size_t>(n.infoset)][m];
}

/// Best-response payoff of `player` against chance and the others' behaviour, by backward recursion
/// over the player's own sequences: the value of a sequence is what its leaves pay (weighted by the
/// others' and chance's probabilities) plus, for each information set that follows it, the best
/// move's value.
double best_response_payoff(const GameTree& tree, int player, const BehaviourProfile& behaviour) {
  const auto& sets = tree.player_infosets(player);
  const std::size_t num_sets = tree.infosets().size();
  std::vector<int> base(num_sets, -1);  // sequence of move 0 at each of the player's sets
  int count = 1;                        // sequence 0: the empty sequence
  for (int h : sets) {
    base[static_cast<std::size_t>(h)] = count;
    count += static_cast<int>(tree.infoset(h).moves.size());
  }
  std::vector<int> parent(num_sets, -1);  // own sequence leading to each of the player's sets
  std::vector<int> own(static_cast<std::size_t>(tree.num_nodes()), 0);
  std::vector<double> others(static_cast<std::size_t>(tree.num_nodes()), 0.0);
  std::vector<double> value(static_cast<std::size_t>(count), 0.0);
  others[0] = 1.0;
  for (int id = 0; id < tree.num_nodes(); ++id) {
    const TreeNode& n = tree.node(id);
    const auto uid = static_cast<std::size_t>(id);
    if (n.kind == NodeKind::kTerminal) {
      value[static_cast<std::size_t>(own[uid])] +=
          others[uid] * n.payoffs[static_cast<std::size_t>(player)];
      continue;
    }
    const bool mine = n.kind == NodeKind::kDecision && n.player == player;
    if (mine) {
      int& recorded = parent[static_cast<std::size_t>(n.infoset)];
      if (recorded < 0) {
        recorded = own[uid];
      } else if (recorded != own[uid]) {
        throw InvalidGame(
            fmt::format("{} does not have perfect recall: the nodes of information set '{}' are "
                        "reached after different own moves",
                        tree.player_name(player), tree.infoset_name(n.infoset)));
      }
    }
    for (std::size_t m = 0; m < n.children.size(); ++m) {
      const auto c = static_cast<std::size_t>(n.children[m]);
      own[c] = mine ? base[static_cast<std::size_t>(n.infoset)] + static_cast<int>(m) : own[uid];
      others[c] = others[uid] * (mine ? 1.0 : move_probability(n, m, behaviour));
    }
  }
  // A set's successors have larger indices (their first node follows one of its nodes).
  std::vector<double> continuation(static_cast<std::size_t>(count), 0.0);
  for (auto it = sets.rbegin(); it != sets.rend(); ++it) {
    const auto h = static_cast<std::size_t>(*it);
    double best = -std::numeric_limits<double>::infinity();
    for (std::size_t m = 0; m < tree.infoset(*it).moves.size(); ++m) {
      const auto s = static_cast<std::size_t>(base[h]) + m;
      best = std::max(best, value[s] + continuation[s]);
    }
    continuation[static_cast<std::size_t>(parent[h])] += best;
  }
  return value[0] + continuation[0];
}

}  // namespace

double sequence_form_nash_gain(const GameTree& tree, const BehaviourProfile& behaviour) {
  // behaviour_payoffs checks the profile's shape.
  const std::vector<double> payoffs = behaviour_payoffs(tree, behaviour);
  double gain = 0.0;
  for (int p = 0; p < tree.num_players(); ++p) {
    gain = std::max(
        gain, best_response_payoff(tree, p, behaviour) - payoffs[static_cast<std::size_t>(p)]);
  }
  return gain;
}

}  // namespace stratagem
