#include "stratagem/game/tree.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <set>
#include <stdexcept>
#include <utility>

namespace stratagem {

bool GameTree::is_perfect_information() const {
  return std::all_of(infosets_.begin(), infosets_.end(),
                     [](const InfoSet& h) { return h.nodes.size() == 1; });
}

std::vector<std::string> GameTree::history(int node) const {
  std::vector<std::string> out;
  for (int n = node; nodes_[n].parent >= 0; n = nodes_[n].parent) {
    out.push_back(nodes_[nodes_[n].parent].moves[nodes_[n].parent_move]);
  }
  std::reverse(out.begin(), out.end());
  return out;
}

std::string GameTree::node_name(int node) const {
  if (!nodes_[node].label.empty()) return nodes_[node].label;
  const auto moves = history(node);
  if (moves.empty()) return "root";
  return fmt::format("{}", fmt::join(moves, " > "));
}

// ---------------------------------------------------------------------------------------------
// Builder

GameTreeBuilder::GameTreeBuilder(std::vector<std::string> players) : players_(std::move(players)) {
  if (players_.empty()) throw InvalidGame("a game tree needs at least one player");
  std::set<std::string> seen;
  for (const auto& p : players_) {
    if (!seen.insert(p).second) {
      throw InvalidGame(fmt::format("two players are called '{}'", p));
    }
  }
}

void GameTreeBuilder::set_player_labels(std::vector<std::string> labels) {
  if (labels.size() != players_.size()) {
    throw InvalidGame(fmt::format("{} player labels for {} players", labels.size(),
                                  players_.size()));
  }
  labels_ = std::move(labels);
}

int GameTreeBuilder::add(Pending pending) {
  pending_.push_back(std::move(pending));
  return static_cast<int>(pending_.size()) - 1;
}

int GameTreeBuilder::add_terminal(std::vector<double> payoffs, std::string label,
                                  std::string outcome) {
  Pending p;
  p.node.kind = NodeKind::kTerminal;
  p.node.payoffs = std::move(payoffs);
  p.node.label = std::move(label);
  p.node.outcome = std::move(outcome);
  return add(std::move(p));
}

int GameTreeBuilder::add_decision(DecisionSpec spec) {
  Pending p;
  p.node.kind = NodeKind::kDecision;
  p.node.player = spec.player;
  p.node.moves = std::move(spec.moves);
  p.node.children = std::move(spec.children);
  p.node.label = std::move(spec.label);
  p.infoset_label = spec.infoset_label ? std::move(*spec.infoset_label) : spec.infoset;
  p.infoset_key = std::move(spec.infoset);
  return add(std::move(p));
}

int GameTreeBuilder::add_decision(int player, std::vector<std::string> moves,
                                  std::vector<int> children, std::string label) {
  DecisionSpec spec;
  spec.player = player;
  spec.moves = std::move(moves);
  spec.children = std::move(children);
  spec.label = std::move(label);
  return add_decision(std::move(spec));
}

int GameTreeBuilder::add_chance(std::vector<std::string> moves, std::vector<double> probabilities,
                                std::vector<int> children, std::string label) {
  Pending p;
  p.node.kind = NodeKind::kChance;
  p.node.moves = std::move(moves);
  p.node.probabilities = std::move(probabilities);
  p.node.children = std::move(children);
  p.node.label = std::move(label);
  return add(std::move(p));
}

namespace {

/// The exact values to keep: empty when every value is exactly its double.
std::vector<mpq_class> needed_exact(std::vector<mpq_class> values) {
  for (const mpq_class& v : values) {
    if (mpq_class(v.get_d()) != v) return values;
  }
  return {};
}

}  // namespace

void GameTreeBuilder::set_exact_payoffs(int id, std::vector<mpq_class> payoffs) {
  if (id < 0 || id >= static_cast<int>(pending_.size()) ||
      pending_[static_cast<std::size_t>(id)].node.kind != NodeKind::kTerminal ||
      payoffs.size() != pending_[static_cast<std::size_t>(id)].node.payoffs.size()) {
    throw InvalidGame(fmt::format("exact payoffs for node {} do not match a terminal node", id));
  }
  pending_[static_cast<std::size_t>(id)].node.exact_payoffs = needed_exact(std::move(payoffs));
}

void GameTreeBuilder::set_exact_probabilities(int id, std::vector<mpq_class> probabilities) {
  if (id < 0 || id >= static_cast<int>(pending_.size()) ||
      pending_[static_cast<std::size_t>(id)].node.kind != NodeKind::kChance ||
      probabilities.size() != pending_[static_cast<std::size_t>(id)].node.probabilities.size()) {
    throw InvalidGame(fmt::format("exact probabilities for node {} do not match a chance node", id));
  }
  pending_[static_cast<std::size_t>(id)].node.exact_probabilities =
      needed_exact(std::move(probabilities));
}

bool GameTree::has_exact_data() const {
  return std::any_of(nodes_.begin(), nodes_.end(), [](const TreeNode& n) {
    return !n.exact_payoffs.empty() || !n.exact_probabilities.empty();
  });
}

namespace {

std::string builder_node_name(const TreeNode& node, int id) {
  return node.label.empty() ? fmt::format("node #{}", id) : fmt::format("node '{}'", node.label);
}

}  // namespace

GameTree GameTreeBuilder::build(int root) && {
  const int count = static_cast<int>(pending_.size());
  if (root < 0 || root >= count) throw InvalidGame(fmt::format("unknown root node {}", root));
  const int n_players = static_cast<int>(players_.size());

  // Check each node on its own.
  for (int id = 0; id < count; ++id) {
    const TreeNode& node = pending_[id].node;
    const std::string name = builder_node_name(node, id);
    if (node.kind == NodeKind::kTerminal) {
      if (static_cast<int>(node.payoffs.size()) != n_players) {
        throw InvalidGame(
            fmt::format("{}: {} payoffs for {} players", name, node.payoffs.size(), n_players));
      }
      for (double v : node.payoffs) {
        if (!std::isfinite(v)) throw InvalidGame(fmt::format("{}: a payoff is not finite", name));
      }
      continue;
    }
    if (node.moves.empty()) throw InvalidGame(fmt::format("{} has no moves", name));
    if (node.moves.size() != node.children.size()) {
      throw InvalidGame(fmt::format("{} has {} moves but {} children", name, node.moves.size(),
                                    node.children.size()));
    }
    std::set<std::string> labels;
    for (const auto& m : node.moves) {
      if (!labels.insert(m).second) {
        throw InvalidGame(fmt::format("{}: move '{}' is listed twice", name, m));
      }
    }
    if (node.kind == NodeKind::kDecision && (node.player < 0 || node.player >= n_players)) {
      throw InvalidGame(fmt::format("{}: player {} does not exist (the game has {})", name,
                                    node.player + 1, n_players));
    }
    if (node.kind == NodeKind::kChance) {
      if (node.probabilities.size() != node.moves.size()) {
        throw InvalidGame(fmt::format("{}: {} probabilities for {} moves", name,
                                      node.probabilities.size(), node.moves.size()));
      }
      double sum = 0.0;
      for (std::size_t m = 0; m < node.moves.size(); ++m) {
        const double p = node.probabilities[m];
        if (!std::isfinite(p) || p < 0.0) {
          throw InvalidGame(fmt::format("{}: probability {} of move '{}' is not a probability",
                                        name, p, node.moves[m]));
        }
        sum += p;
      }
      if (std::abs(sum - 1.0) > 1e-9) {
        throw InvalidGame(fmt::format("{}: chance probabilities sum to {}, not 1", name, sum));
      }
    }
  }

  // Walk from the root in prefix order, checking that every node is used exactly once.
  std::vector<int> new_id(count, -1);
  std::vector<int> order;
  order.reserve(count);
  std::vector<std::pair<int, int>> stack{{root, -1}};  // (builder id, builder parent)
  while (!stack.empty()) {
    const auto [id, parent] = stack.back();
    stack.pop_back();
    if (id < 0 || id >= count) {
      throw InvalidGame(fmt::format("{} has an unknown child {}",
                                    builder_node_name(pending_[parent].node, parent), id));
    }
    if (new_id[id] >= 0) {
      throw InvalidGame(fmt::format("{} is used twice (a tree node has one parent)",
                                    builder_node_name(pending_[id].node, id)));
    }
    new_id[id] = static_cast<int>(order.size());
    order.push_back(id);
    const auto& children = pending_[id].node.children;
    for (auto it = children.rbegin(); it != children.rend(); ++it) stack.emplace_back(*it, id);
  }
  for (int id = 0; id < count; ++id) {
    if (new_id[id] < 0) {
      throw InvalidGame(fmt::format("{} is not reachable from the root",
                                    builder_node_name(pending_[id].node, id)));
    }
  }

  GameTree tree;
  tree.title_ = std::move(title_);
  tree.comment_ = std::move(comment_);
  tree.players_ = players_;
  tree.labels_ = labels_;
  tree.player_infosets_.assign(players_.size(), {});
  tree.nodes_.resize(count);
  std::map<std::pair<int, std::string>, int> keyed;  // (player, key) -> infoset
  for (int k = 0; k < count; ++k) {
    Pending& p = pending_[order[k]];
    TreeNode node = std::move(p.node);
    for (std::size_t m = 0; m < node.children.size(); ++m) {
      node.children[m] = new_id[node.children[m]];
    }
    if (node.kind == NodeKind::kDecision) {
      int h = -1;
      if (!p.infoset_key.empty()) {
        const auto it = keyed.find({node.player, p.infoset_key});
        if (it != keyed.end()) h = it->second;
      }
      if (h < 0) {
        h = static_cast<int>(tree.infosets_.size());
        tree.infosets_.push_back(InfoSet{
            .player = node.player, .label = p.infoset_label, .moves = node.moves, .nodes = {}});
        tree.player_infosets_[node.player].push_back(h);
        if (!p.infoset_key.empty()) keyed[{node.player, p.infoset_key}] = h;
      } else if (tree.infosets_[h].moves != node.moves) {
        throw InvalidGame(fmt::format(
            "information set '{}' of {}: {} has moves {{{}}} but an earlier node of the set has "
            "{{{}}}; nodes a player cannot tell apart must offer the same moves",
            tree.infosets_[h].label, players_[node.player], builder_node_name(node, order[k]),
            fmt::join(node.moves, ", "), fmt::join(tree.infosets_[h].moves, ", ")));
      }
      node.infoset = h;
      tree.infosets_[h].nodes.push_back(k);
    }
    tree.nodes_[k] = std::move(node);
  }
  for (int k = 0; k < count; ++k) {
    const auto& children = tree.nodes_[k].children;
    for (std::size_t m = 0; m < children.size(); ++m) {
      tree.nodes_[children[m]].parent = k;
      tree.nodes_[children[m]].parent_move = static_cast<int>(m);
    }
  }
  return tree;
}


namespace {

/// Lowest and highest payoff of `player` over the leaves (0, 0 without leaves).
std::pair<double, double> tree_payoff_bounds(const GameTree& tree, int player) {
  double lo = std::numeric_limits<double>::infinity();
  double hi = -lo;
  for (const TreeNode& n : tree.nodes()) {
    if (n.kind != NodeKind::kTerminal) continue;
    const double u = n.payoffs[static_cast<std::size_t>(player)];
    lo = std::min(lo, u);
    hi = std::max(hi, u);
  }
  return lo <= hi ? std::pair{lo, hi} : std::pair{0.0, 0.0};
}

}  // namespace

double payoff_scale(const GameTree& tree) {
  double scale = 0.0;
  for (int p = 0; p < tree.num_players(); ++p) {
    const auto [lo, hi] = tree_payoff_bounds(tree, p);
    scale = std::max(scale, hi - lo);
  }
  return scale > 0.0 && std::isfinite(scale) ? scale : 1.0;
}

double payoff_resolution(const GameTree& tree) {
  double resolution = 1.0;
  std::vector<double> values;
  for (int p = 0; p < tree.num_players(); ++p) {
    values.clear();
    for (const TreeNode& n : tree.nodes()) {
      if (n.kind == NodeKind::kTerminal) values.push_back(n.payoffs[static_cast<std::size_t>(p)]);
    }
    std::sort(values.begin(), values.end());
    if (values.empty() || !(values.back() > values.front())) continue;
    const double range = values.back() - values.front();
    for (std::size_t i = 1; i < values.size(); ++i) {
      const double gap = values[i] - values[i - 1];
      if (gap > 0.0) resolution = std::min(resolution, gap / range);
    }
  }
  return resolution;
}

GameTree normalized_payoffs(const GameTree& tree) {
  GameTree out = tree;
  for (int p = 0; p < tree.num_players(); ++p) {
    const auto [lo, hi] = tree_payoff_bounds(tree, p);
    const PayoffNormalization map = payoff_normalization(lo, hi);
    for (TreeNode& n : out.nodes_) {
      if (n.kind != NodeKind::kTerminal) continue;
      double& u = n.payoffs[static_cast<std::size_t>(p)];
      u = (u - map.low) / map.unit;  // exact: a power of two
    }
  }
  return out;
}

void check_behaviour_profile(const GameTree& tree, const BehaviourProfile& behaviour) {
  if (behaviour.size() != tree.infosets().size()) {
    throw std::invalid_argument(
        fmt::format("the behaviour profile has {} information sets; the tree has {}",
                    behaviour.size(), tree.infosets().size()));
  }
  for (std::size_t h = 0; h < behaviour.size(); ++h) {
    if (behaviour[h].size() != tree.infoset(static_cast<int>(h)).moves.size()) {
      throw std::invalid_argument(fmt::format(
          "the behaviour profile has {} probabilities at information set {}; it has {} moves",
          behaviour[h].size(), h, tree.infoset(static_cast<int>(h)).moves.size()));
    }
  }
}

std::string GameTree::infoset_name(int h) const {
  const InfoSet& set = infosets_[static_cast<std::size_t>(h)];
  return set.label.empty() ? node_name(set.nodes.front()) : set.label;
}

std::vector<double> reach_probabilities(const GameTree& tree, const BehaviourProfile& behaviour) {
  check_behaviour_profile(tree, behaviour);
  std::vector<double> reach(tree.nodes().size(), 0.0);
  if (reach.empty()) return reach;
  reach[0] = 1.0;
  for (int id = 0; id < tree.num_nodes(); ++id) {  // prefix order: parents first
    const TreeNode& n = tree.node(id);
    for (std::size_t m = 0; m < n.children.size(); ++m) {
      double p = 0.0;
      if (n.kind == NodeKind::kChance) {
        p = n.probabilities[m];
      } else {
        p = behaviour[static_cast<std::size_t>(n.infoset)][m];
      }
      reach[static_cast<std::size_t>(n.children[m])] = reach[static_cast<std::size_t>(id)] * p;
    }
  }
  return reach;
}

std::vector<double> behaviour_payoffs(const GameTree& tree, const BehaviourProfile& behaviour) {
  const auto reach = reach_probabilities(tree, behaviour);
  std::vector<double> out(static_cast<std::size_t>(tree.num_players()), 0.0);
  for (int id = 0; id < tree.num_nodes(); ++id) {
    const TreeNode& n = tree.node(id);
    if (n.kind != NodeKind::kTerminal || reach[static_cast<std::size_t>(id)] == 0.0) continue;
    for (std::size_t p = 0; p < out.size(); ++p) {
      out[p] += reach[static_cast<std::size_t>(id)] * n.payoffs[p];
    }
  }
  return out;
}

std::vector<std::optional<std::vector<double>>> infoset_beliefs(const GameTree& tree,
                                                                const BehaviourProfile& behaviour) {
  const auto reach = reach_probabilities(tree, behaviour);
  std::vector<std::optional<std::vector<double>>> out;
  for (const InfoSet& h : tree.infosets()) {
    double total = 0.0;
    for (int v : h.nodes) total += reach[static_cast<std::size_t>(v)];
    if (total <= 1e-15) {
      out.emplace_back(std::nullopt);
      continue;
    }
    std::vector<double> b;
    for (int v : h.nodes) b.push_back(reach[static_cast<std::size_t>(v)] / total);
    out.emplace_back(std::move(b));
  }
  return out;
}

}  // namespace stratagem
