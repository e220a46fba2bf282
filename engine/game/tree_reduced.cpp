// The reduced normal form of a game tree: each player's reduced pure strategies (moves at the
// information sets the player's own earlier moves leave reachable) and the expected payoffs of
// every profile over chance, in doubles or, when they would round or the tree has exact data,
// in rationals.
#include "stratagem/game/tree.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <stdexcept>
#include <utility>

#include "stratagem/scenario/error.hpp"

namespace stratagem {

namespace {

using Assignment = std::vector<int>;  // move per local infoset of one player, -1 = unassigned

/// Joins two partial assignments; false when they disagree somewhere.
bool join(const Assignment& a, const Assignment& b, Assignment& out) {
  out = a;
  for (std::size_t k = 0; k < b.size(); ++k) {
    if (b[k] < 0) continue;
    if (out[k] >= 0 && out[k] != b[k]) return false;
    out[k] = b[k];
  }
  return true;
}

class StrategyEnumerator {
 public:
  StrategyEnumerator(const GameTree& tree, int player, std::size_t cap)
      : tree_(tree), player_(player), cap_(cap), local_(tree.infosets().size(), -1) {
    const auto& mine = tree.player_infosets(player);
    for (std::size_t k = 0; k < mine.size(); ++k) local_[mine[k]] = static_cast<int>(k);
    size_ = mine.size();
    cap_ = std::min(cap_, kMaxReducedStrategyCells / std::max<std::size_t>(1, size_));
  }

  /// The player's partial strategies for the subtree at `node`, assuming it is reached.
  std::vector<Assignment> at(int node) {
    const TreeNode& n = tree_.node(node);
    if (n.kind == NodeKind::kTerminal) return {Assignment(size_, -1)};
    if (n.kind == NodeKind::kDecision && n.player == player_) {
      std::vector<Assignment> out;
      const int k = local_[n.infoset];
      for (std::size_t m = 0; m < n.children.size(); ++m) {
        for (auto& a : at(n.children[m])) {
          if (a[k] >= 0 && a[k] != static_cast<int>(m)) continue;  // same set deeper: no recall
          a[k] = static_cast<int>(m);
          out.push_back(std::move(a));
          check(out.size());
        }
      }
      return out;
    }
    std::vector<Assignment> acc{Assignment(size_, -1)};
    for (int child : n.children) {
      const auto part = at(child);
      std::vector<Assignment> next;
      Assignment joined;
      for (const auto& a : acc) {
        for (const auto& b : part) {
          if (join(a, b, joined)) {
            next.push_back(joined);
            check(next.size());
          }
        }
      }
      acc = std::move(next);
    }
    return acc;
  }

 private:
  void check(std::size_t n) const {
    if (n > cap_) {
      throw InvalidGame(fmt::format(
          "the reduced normal form is too large: {} has more than {} reduced strategies over {} "
          "information sets (up to {:.3g} by a count from the leaves); solve the tree directly "
          "(backward-induction, subgame-perfect, sequence-lcp)",
          tree_.player_name(player_), cap_, size_, reduced_strategy_bound(tree_, player_)));
    }
  }

  const GameTree& tree_;
  int player_;
  std::size_t cap_;
  std::vector<int> local_;
  std::size_t size_ = 0;
};

/// a * b, clearing `exact` when the double product rounds.
double product(double a, double b, bool& exact) {
  const double p = a * b;
  if (std::fma(a, b, -p) != 0.0) exact = false;
  return p;
}

/// a + b, clearing `exact` when the double sum rounds (Knuth's two-sum).
double sum(double a, double b, bool& exact) {
  const double s = a + b;
  const double bb = s - a;
  if ((a - (s - bb)) + (b - bb) != 0.0) exact = false;
  return s;
}

/// Expected payoffs of a pure profile (move per global infoset) from `node`. `exact` is
/// cleared when any step rounds, so that the caller can redo the profile in rationals.
void accumulate(const GameTree& tree, const std::vector<int>& moves, int node, double weight,
                std::vector<double>& out, bool& exact) {
  const TreeNode& n = tree.node(node);
  switch (n.kind) {
    case NodeKind::kTerminal:
      for (std::size_t p = 0; p < out.size(); ++p) {
        out[p] = sum(out[p], product(weight, n.payoffs[p], exact), exact);
      }
      return;
    case NodeKind::kChance:
      for (std::size_t m = 0; m < n.children.size(); ++m) {
        if (n.probabilities[m] > 0.0) {
          accumulate(tree, moves, n.children[m], product(weight, n.probabilities[m], exact), out,
                     exact);
        }
      }
      return;
    case NodeKind::kDecision: {
      const int m = moves[n.infoset];
      if (m < 0) throw std::logic_error("reduced strategy leaves a reached information set open");
      accumulate(tree, moves, n.children[m], weight, out, exact);
      return;
    }
  }
}

/// accumulate() in rational arithmetic, from the tree's exact data.
void accumulate_exact(const GameTree& tree, const std::vector<int>& moves, int node,
                      const mpq_class& weight, std::vector<mpq_class>& out) {
  const TreeNode& n = tree.node(node);
  switch (n.kind) {
    case NodeKind::kTerminal:
      for (std::size_t p = 0; p < out.size(); ++p) {
        out[p] += weight * tree.exact_payoff(node, static_cast<int>(p));
      }
      return;
    case NodeKind::kChance:
      for (std::size_t m = 0; m < n.children.size(); ++m) {
        if (n.probabilities[m] > 0.0) {
          accumulate_exact(tree, moves, n.children[m],
                           weight * tree.exact_probability(node, static_cast<int>(m)), out);
        }
      }
      return;
    case NodeKind::kDecision: {
      const int m = moves[n.infoset];
      if (m < 0) throw std::logic_error("reduced strategy leaves a reached information set open");
      accumulate_exact(tree, moves, n.children[m], weight, out);
      return;
    }
  }
}

}  // namespace

double reduced_strategy_bound(const GameTree& tree, int player) {
  const int count = tree.num_nodes();
  std::vector<double> bound(static_cast<std::size_t>(count), 1.0);
  for (int id = count - 1; id >= 0; --id) {
    const TreeNode& n = tree.node(id);
    if (n.kind == NodeKind::kTerminal) continue;
    const bool mine = n.kind == NodeKind::kDecision && n.player == player;
    double b = mine ? 0.0 : 1.0;
    for (const int c : n.children) {
      b = mine ? b + bound[static_cast<std::size_t>(c)] : b * bound[static_cast<std::size_t>(c)];
    }
    bound[static_cast<std::size_t>(id)] = b;
  }
  return count == 0 ? 1.0 : bound[0];
}

ReducedNormalForm reduce_to_normal_form(const GameTree& tree, GameLimits limits) {
  const int n = tree.num_players();
  std::vector<std::vector<Assignment>> strategies(n);
  std::vector<std::vector<std::string>> labels(n);
  std::size_t profiles = 1;
  for (int p = 0; p < n; ++p) {
    const auto& mine = tree.player_infosets(p);
    if (mine.empty()) {
      strategies[p] = {Assignment{}};
      labels[p] = {"-"};
      continue;
    }
    strategies[p] = StrategyEnumerator(tree, p, limits.max_profiles).at(0);
    std::sort(strategies[p].begin(), strategies[p].end());
    strategies[p].erase(std::unique(strategies[p].begin(), strategies[p].end()),
                        strategies[p].end());
    for (const auto& s : strategies[p]) {
      std::vector<std::string> parts;
      for (std::size_t k = 0; k < s.size(); ++k) {
        parts.push_back(s[k] < 0 ? "*" : tree.infoset(mine[k]).moves[s[k]]);
      }
      labels[p].push_back(fmt::format("{}", fmt::join(parts, ".")));
    }
    if (profiles > limits.max_profiles / strategies[p].size()) {
      throw InvalidGame(fmt::format(
          "the reduced normal form is too large: more than {} strategy profiles; solve the tree "
          "directly or raise the game-size limit",
          limits.max_profiles));
    }
    profiles *= strategies[p].size();
  }

  std::vector<std::string> players = tree.player_names();
  NormalFormBuilder builder(players, labels, limits);
  builder.set_title(tree.title());
  std::vector<int> moves(tree.infosets().size(), -1);
  std::vector<double> payoffs(n);
  const bool rational_data = tree.has_exact_data();
  std::vector<mpq_class> exact_sums(static_cast<std::size_t>(n));
  for (std::size_t idx = 0; idx < builder.num_profiles(); ++idx) {
    const auto profile = builder.peek().profile(idx);
    for (int p = 0; p < n; ++p) {
      const auto& mine = tree.player_infosets(p);
      const auto& s = strategies[p][profile[p]];
      for (std::size_t k = 0; k < mine.size(); ++k) moves[mine[k]] = s[k];
    }
    bool rounded = rational_data;
    if (!rounded) {
      std::fill(payoffs.begin(), payoffs.end(), 0.0);
      bool no_rounding = true;
      accumulate(tree, moves, 0, 1.0, payoffs, no_rounding);
      rounded = !no_rounding;
    }
    if (rounded) {
      // Rational data (fractions, decimals), or doubles whose chance-weighted sum rounds
      // (1e19 / 2 + 1 / 2): the expected payoffs in rationals, so ties stay ties.
      for (auto& v : exact_sums) v = 0;
      accumulate_exact(tree, moves, 0, mpq_class(1), exact_sums);
      for (int p = 0; p < n; ++p) builder.set_exact_payoff(idx, p, exact_sums[p]);
      continue;
    }
    builder.set_payoffs(idx, payoffs);
  }
  return ReducedNormalForm{.game = std::move(builder).build(), .strategies = std::move(strategies)};
}

NormalFormGame reduced_normal_form(const GameTree& tree, GameLimits limits) {
  return reduce_to_normal_form(tree, limits).game;
}

int reduced_strategy_index(const ReducedNormalForm& reduced, const GameTree& tree, int player,
                           std::span<const int> infoset_moves) {
  const auto& mine = tree.player_infosets(player);
  std::vector<int> local(tree.infosets().size(), -1);
  for (std::size_t k = 0; k < mine.size(); ++k) local[mine[k]] = static_cast<int>(k);
  // Information sets reached when the player follows `infoset_moves` and others play anything.
  Assignment wanted(mine.size(), -1);
  std::vector<int> stack{0};
  while (!stack.empty()) {
    const int id = stack.back();
    stack.pop_back();
    const TreeNode& n = tree.node(id);
    if (n.kind == NodeKind::kDecision && n.player == player) {
      const int m = infoset_moves[n.infoset];
      if (m < 0 || m >= static_cast<int>(n.children.size())) {
        throw std::invalid_argument(fmt::format("no move given at {}'s information set '{}'",
                                                tree.player_name(player),
                                                tree.infoset(n.infoset).label));
      }
      wanted[local[n.infoset]] = m;
      stack.push_back(n.children[m]);
    } else {
      for (int c : n.children) stack.push_back(c);
    }
  }
  const auto& list = reduced.strategies[player];
  const auto it = std::find(list.begin(), list.end(), wanted);
  if (it == list.end()) {
    throw std::invalid_argument(fmt::format(
        "no reduced strategy of {} matches the behaviour strategy", tree.player_name(player)));
  }
  return static_cast<int>(it - list.begin());
}

MixedProfile reduced_mixed_profile(const ReducedNormalForm& reduced, const GameTree& tree,
                                   const BehaviourProfile& behaviour) {
  check_behaviour_profile(tree, behaviour);
  std::vector<std::vector<double>> mixed;
  for (int p = 0; p < tree.num_players(); ++p) {
    const auto& mine = tree.player_infosets(p);
    auto& probs = mixed.emplace_back();
    for (const auto& strategy : reduced.strategies[static_cast<std::size_t>(p)]) {
      double prob = 1.0;
      for (std::size_t k = 0; k < mine.size(); ++k) {
        const int move = strategy[k];
        if (move < 0) continue;  // excluded by the player's own earlier move
        prob *= behaviour[static_cast<std::size_t>(mine[k])][static_cast<std::size_t>(move)];
      }
      probs.push_back(prob);
    }
  }
  return MixedProfile(mixed);
}

}  // namespace stratagem
