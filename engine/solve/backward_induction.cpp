#include "stratagem/solve/backward_induction.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <utility>

#include "stratagem/io/report.hpp"

namespace stratagem {
namespace {

/// One subgame-perfect continuation of the subtree at a node: its value, the move taken there
/// (decision nodes) and which continuation each child uses.
struct Continuation {
  std::vector<double> value;
  int move = -1;
  std::vector<int> child;  ///< index into the child's continuations, one per child
};

bool ties(double a, double best, double tolerance) {
  return a >= best - tolerance * std::max(1.0, std::abs(best));
}


}  // namespace

/// Advances a mixed-radix counter; false after the last combination.
bool next_combination(std::vector<int>& counter, const std::vector<std::size_t>& radix) {
  for (std::size_t k = counter.size(); k-- > 0;) {
    if (static_cast<std::size_t>(++counter[k]) < radix[k]) return true;
    counter[k] = 0;
  }
  return false;
}

std::vector<int> infoset_moves(const GameTree& tree, const TreeEquilibrium& eq) {
  std::vector<int> out(tree.infosets().size(), -1);
  for (int id = 0; id < tree.num_nodes(); ++id) {
    const TreeNode& n = tree.node(id);
    if (n.kind == NodeKind::kDecision && out[n.infoset] < 0) out[n.infoset] = eq.moves[id];
  }
  return out;
}

double subgame_max_gain(const GameTree& tree, const std::vector<int>& moves) {
  const int n_players = tree.num_players();
  const int count = tree.num_nodes();
  std::vector<std::vector<double>> value(count), best(count);
  double gain = 0.0;
  for (int id = count - 1; id >= 0; --id) {
    const TreeNode& n = tree.node(id);
    value[id].assign(n_players, 0.0);
    best[id].assign(n_players, 0.0);
    switch (n.kind) {
      case NodeKind::kTerminal:
        value[id] = n.payoffs;
        best[id] = n.payoffs;
        break;
      case NodeKind::kChance:
        for (std::size_t m = 0; m < n.children.size(); ++m) {
          for (int p = 0; p < n_players; ++p) {
            value[id][p] += n.probabilities[m] * value[n.children[m]][p];
            best[id][p] += n.probabilities[m] * best[n.children[m]][p];
          }
        }
        break;
      case NodeKind::kDecision: {
        const int chosen = n.children[moves[id]];
        value[id] = value[chosen];
        for (int p = 0; p < n_players; ++p) {
          if (p == n.player) {
            double b = best[n.children[0]][p];
            for (int c : n.children) b = std::max(b, best[c][p]);
            best[id][p] = b;
          } else {
            best[id][p] = best[chosen][p];
          }
        }
        break;
      }
    }
    for (int p = 0; p < n_players; ++p) gain = std::max(gain, best[id][p] - value[id][p]);
  }
  return gain;
}

BackwardInductionResult solve_backward_induction(const GameTree& tree,
                                                 const BackwardInductionOptions& options,
                                                 const SolveContext& context) {
  for (const auto& h : tree.infosets()) {
    if (h.nodes.size() > 1) {
      throw InvalidGame(fmt::format(
          "backward induction needs perfect information, but {}'s information set '{}' has {} "
          "nodes; use the reduced normal form (stratagem solve FILE.efg) for this tree",
          tree.player_label(h.player), h.label, h.nodes.size()));
    }
  }
  const int count = tree.num_nodes();
  // Memory: each node keeps up to `cap` continuations and each reported equilibrium a move per
  // node, so the cap shrinks on large trees to keep cap * nodes within a fixed budget.
  constexpr std::size_t kBudget = 2'000'000;
  const std::size_t cap = std::clamp<std::size_t>(kBudget / static_cast<std::size_t>(count), 1,
                                                  std::max<std::size_t>(1, options.max_equilibria));
  BackwardInductionResult result;
  bool truncated = false;
  const auto cancelled = [&] {
    result.status = SolveStatus::kCancelled;
    result.message = result.equilibria.empty()
                         ? "stopped before any equilibrium was assembled"
                         : fmt::format("stopped after {} equilibria; others may be missing",
                                       result.equilibria.size());
    return result;
  };

  // Bottom-up: children have larger ids than their parent.
  std::vector<std::vector<Continuation>> conts(count);
  for (int id = count - 1; id >= 0; --id) {
    if (id % 1024 == 0 && context.stop_requested()) return cancelled();
    const TreeNode& n = tree.node(id);
    if (n.kind == NodeKind::kTerminal) {
      conts[id].push_back(Continuation{.value = n.payoffs, .move = -1, .child = {}});
      continue;
    }
    std::vector<std::size_t> radix;
    for (int c : n.children) radix.push_back(conts[c].size());
    std::vector<int> counter(n.children.size(), 0);
    auto& out = conts[id];
    do {
      if (n.kind == NodeKind::kChance) {
        std::vector<double> v(tree.num_players(), 0.0);
        for (std::size_t m = 0; m < n.children.size(); ++m) {
          const auto& cv = conts[n.children[m]][counter[m]].value;
          for (std::size_t p = 0; p < v.size(); ++p) v[p] += n.probabilities[m] * cv[p];
        }
        out.push_back(Continuation{.value = std::move(v), .move = -1, .child = counter});
      } else {
        double best = conts[n.children[0]][counter[0]].value[n.player];
        for (std::size_t m = 1; m < n.children.size(); ++m) {
          best = std::max(best, conts[n.children[m]][counter[m]].value[n.player]);
        }
        for (std::size_t m = 0; m < n.children.size(); ++m) {
          const auto& cv = conts[n.children[m]][counter[m]].value;
          if (ties(cv[n.player], best, options.tolerance)) {
            if (out.size() >= cap) {
              truncated = true;
              break;
            }
            out.push_back(Continuation{.value = cv, .move = static_cast<int>(m), .child = counter});
          }
        }
      }
      if (out.size() >= cap) {
        // Stop only when more would follow.
        std::vector<int> probe = counter;
        if (next_combination(probe, radix)) truncated = true;
        break;
      }
    } while (next_combination(counter, radix));
  }

  // Expand the root's continuations into full behaviour profiles.
  for (std::size_t r = 0; r < conts[0].size(); ++r) {
    if (context.stop_requested()) return cancelled();
    TreeEquilibrium eq;
    eq.moves.assign(count, -1);
    std::vector<int> selected(count, -1);
    std::vector<std::pair<int, int>> stack{{0, static_cast<int>(r)}};
    while (!stack.empty()) {
      const auto [id, k] = stack.back();
      stack.pop_back();
      selected[id] = k;
      const Continuation& c = conts[id][k];
      eq.moves[id] = c.move;
      const auto& children = tree.node(id).children;
      for (std::size_t m = 0; m < children.size(); ++m) stack.emplace_back(children[m], c.child[m]);
    }
    eq.payoffs = conts[0][r].value;
    for (int id = count - 1; id >= 0; --id) {
      const TreeNode& n = tree.node(id);
      if (n.kind != NodeKind::kDecision) continue;
      const Continuation& c = conts[id][selected[id]];
      BackwardStep step{
          .node = id, .player = n.player, .move_values = {}, .best_moves = {}, .chosen = c.move};
      for (std::size_t m = 0; m < n.children.size(); ++m) {
        step.move_values.push_back(conts[n.children[m]][c.child[m]].value[n.player]);
      }
      const double best = *std::max_element(step.move_values.begin(), step.move_values.end());
      for (std::size_t m = 0; m < step.move_values.size(); ++m) {
        if (ties(step.move_values[m], best, options.tolerance)) {
          step.best_moves.push_back(static_cast<int>(m));
        }
      }
      eq.steps.push_back(std::move(step));
    }
    std::vector<int> walk{0};
    while (!walk.empty()) {
      const int id = walk.back();
      walk.pop_back();
      eq.path.push_back(id);
      const TreeNode& n = tree.node(id);
      if (n.kind == NodeKind::kDecision) {
        walk.push_back(n.children[eq.moves[id]]);
      } else if (n.kind == NodeKind::kChance) {
        for (std::size_t m = n.children.size(); m-- > 0;) {
          if (n.probabilities[m] > 0.0) walk.push_back(n.children[m]);
        }
      }
    }
    std::sort(eq.path.begin(), eq.path.end());
    eq.max_gain = subgame_max_gain(tree, eq.moves);
    result.equilibria.push_back(std::move(eq));
  }
  if (truncated) {
    result.status = SolveStatus::kLimitReached;
    result.message =
        fmt::format("ties give more than {} subgame-perfect equilibria; the first {} are reported",
                    cap, result.equilibria.size());
  }
  return result;
}

std::string describe_step(const GameTree& tree, const BackwardStep& step) {
  const TreeNode& n = tree.node(step.node);
  std::vector<std::string> values;
  for (std::size_t m = 0; m < n.moves.size(); ++m) {
    values.push_back(fmt::format("{} = {}", n.moves[m], format_payoff(step.move_values[m])));
  }
  const std::string where =
      !n.label.empty() ? fmt::format("at '{}'", n.label)
      : n.parent < 0   ? std::string("at the root")
                       : fmt::format("after {}", fmt::join(tree.history(step.node), " > "));
  std::string text = fmt::format("{}, {} compares {}: chooses {}", where,
                                 tree.player_label(step.player), fmt::join(values, ", "),
                                 n.moves[step.chosen]);
  if (step.best_moves.size() > 1) {
    std::vector<std::string> tied;
    for (int m : step.best_moves) tied.push_back(n.moves[m]);
    text += fmt::format(" (tie between {}: each gives an equilibrium)", fmt::join(tied, ", "));
  }
  return text;
}

BehaviorEquilibrium to_behaviour(const GameTree& tree, const TreeEquilibrium& eq) {
  BehaviorEquilibrium out;
  const auto moves = infoset_moves(tree, eq);
  out.behaviour.resize(tree.infosets().size());
  for (std::size_t h = 0; h < moves.size(); ++h) {
    out.behaviour[h].assign(tree.infoset(static_cast<int>(h)).moves.size(), 0.0);
    out.behaviour[h][static_cast<std::size_t>(std::max(0, moves[h]))] = 1.0;
  }
  out.payoffs = eq.payoffs;
  out.max_gain = eq.max_gain;
  for (const auto& step : eq.steps) out.reasoning.push_back(describe_step(tree, step));
  return out;
}

SolverEntry tree_solver_entry(
    std::string name, std::string summary, std::string applies_to,
    std::function<std::optional<std::string>(const GameTree&)> tree_check,
    std::function<TreeSolveResult(const GameTree&, const SolveOptions&, SolveContext&)> solve_tree) {
  const std::string why = fmt::format(
      "{} solves game trees (type: tree scenarios or .efg files), not strategic-form games", name);
  return SolverEntry{
      .name = std::move(name),
      .summary = std::move(summary),
      .applies_to = std::move(applies_to),
      .check = [why](const NormalFormGame&) -> std::optional<std::string> { return why; },
      .solve =
          [why](const NormalFormGame&, const SolveOptions&, SolveContext&) {
            return SolveResult{.status = SolveStatus::kFailed,
                               .message = why,
                               .equilibria = {},
                               .analyses = {}};
          },
      .tree_check = std::move(tree_check),
      .solve_tree = std::move(solve_tree),
      .finds_one = true};
}

void register_backward_induction(SolverRegistry& registry) {
  registry.add(tree_solver_entry(
      "backward-induction", "all subgame-perfect equilibria of a perfect-information tree (ties kept)",
      "game trees with perfect information",
      [](const GameTree& tree) -> std::optional<std::string> {
        if (tree.is_perfect_information()) return std::nullopt;
        return std::string(
            "the tree has information sets with several nodes; backward induction needs perfect "
            "information (use subgame-perfect or sequence-lcp)");
      },
      [](const GameTree& tree, const SolveOptions& options, SolveContext& context) {
        const auto bi = solve_backward_induction(
            tree, {.tolerance = options.tolerance, .max_equilibria = options.max_equilibria},
            context);
        TreeSolveResult result{.status = bi.status, .message = bi.message, .equilibria = {},
                               .analyses = {}};
        for (const auto& eq : bi.equilibria) {
          if (context.stop_requested()) {
            result.status = SolveStatus::kCancelled;
            result.message = kInterruptedMessage;
            break;
          }
          result.equilibria.push_back(to_behaviour(tree, eq));
        }
        return result;
      }));
}

}  // namespace stratagem
