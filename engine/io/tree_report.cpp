// Text and JSON views of game trees and of their behaviour-strategy equilibria.
#include "stratagem/io/tree_report.hpp"

#include <fmt/format.h>

#include "stratagem/io/report.hpp"

namespace stratagem {
namespace {

std::string payoff_tuple(const std::vector<double>& payoffs) {
  std::vector<std::string> parts;
  for (double v : payoffs) parts.push_back(format_payoff(v));
  return fmt::format("({})", fmt::join(parts, ", "));
}

void outline(const GameTree& tree, int id, const std::string& prefix, int depth, int max_nodes,
             int& printed, std::string& out) {
  if (printed >= max_nodes) return;
  ++printed;
  const TreeNode& n = tree.node(id);
  std::string line = std::string(static_cast<std::size_t>(2 + 2 * depth), ' ') + prefix;
  if (!n.label.empty()) line += fmt::format("[{}] ", n.label);
  switch (n.kind) {
    case NodeKind::kDecision: {
      const InfoSet& h = tree.infoset(n.infoset);
      line += fmt::format("{} moves", tree.player_label(n.player));
      if (h.nodes.size() > 1) {
        line += fmt::format(" (information set '{}', {} nodes)", h.label, h.nodes.size());
      }
      break;
    }
    case NodeKind::kChance:
      line += "chance";
      break;
    case NodeKind::kTerminal:
      line += payoff_tuple(n.payoffs);
      if (!n.outcome.empty()) line += fmt::format(" \"{}\"", n.outcome);
      break;
  }
  out += line + "\n";
  for (std::size_t m = 0; m < n.children.size(); ++m) {
    const std::string move =
        n.kind == NodeKind::kChance
            ? fmt::format("{} (p={}): ", n.moves[m], format_number(n.probabilities[m]))
            : fmt::format("{}: ", n.moves[m]);
    outline(tree, n.children[m], move, depth + 1, max_nodes, printed, out);
  }
}

}  // namespace

std::string render_tree_outline(const GameTree& tree, int max_nodes) {
  std::string out;
  int printed = 0;
  outline(tree, 0, "", 0, max_nodes, printed, out);
  if (printed < tree.num_nodes()) {
    out += fmt::format("  ... {} more nodes not shown (use --format json or convert --to dot)\n",
                       tree.num_nodes() - printed);
  }
  return out;
}

nlohmann::json tree_to_json(const GameTree& tree) {
  nlohmann::json nodes = nlohmann::json::array();
  for (int id = 0; id < tree.num_nodes(); ++id) {
    const TreeNode& n = tree.node(id);
    nlohmann::json j{{"id", id}, {"label", n.label}};
    switch (n.kind) {
      case NodeKind::kDecision:
        j["kind"] = "decision";
        j["player"] = tree.player_name(n.player);
        j["infoset"] = n.infoset;
        j["moves"] = n.moves;
        j["children"] = n.children;
        break;
      case NodeKind::kChance:
        j["kind"] = "chance";
        j["moves"] = n.moves;
        j["probabilities"] = n.probabilities;
        j["children"] = n.children;
        break;
      case NodeKind::kTerminal:
        j["kind"] = "terminal";
        j["payoffs"] = n.payoffs;
        j["outcome"] = n.outcome;
        break;
    }
    nodes.push_back(std::move(j));
  }
  nlohmann::json infosets = nlohmann::json::array();
  for (const auto& h : tree.infosets()) {
    infosets.push_back({{"player", tree.player_name(h.player)},
                        {"label", h.label},
                        {"moves", h.moves},
                        {"nodes", h.nodes}});
  }
  return {{"type", "tree"},
          {"title", tree.title()},
          {"players", tree.player_names()},
          {"perfect_information", tree.is_perfect_information()},
          {"nodes", std::move(nodes)},
          {"infosets", std::move(infosets)}};
}

std::string infoset_name(const GameTree& tree, int h) {
  const InfoSet& set = tree.infoset(h);
  return set.label.empty() ? tree.infoset_name(h) : fmt::format("'{}'", set.label);
}

std::vector<std::string> describe_behaviour(const GameTree& tree, const BehaviourProfile& behaviour,
                                            bool with_beliefs,
                                            const std::vector<std::string>& player_labels) {
  const auto who = [&](int player) -> const std::string& {
    return player_labels.size() == static_cast<std::size_t>(tree.num_players())
               ? player_labels[static_cast<std::size_t>(player)]
               : tree.player_label(player);
  };
  std::vector<std::string> lines;
  const auto beliefs = with_beliefs ? infoset_beliefs(tree, behaviour)
                                    : std::vector<std::optional<std::vector<double>>>{};
  for (std::size_t h = 0; h < tree.infosets().size(); ++h) {
    const InfoSet& set = tree.infoset(static_cast<int>(h));
    std::vector<std::string> moves;
    for (std::size_t m = 0; m < set.moves.size(); ++m) {
      const double p = behaviour[h][m];
      if (p <= 1e-12) continue;
      moves.push_back(p >= 1.0 - 1e-12 ? set.moves[m]
                                       : fmt::format("{} {}", set.moves[m], format_number(p)));
    }
    std::string line = fmt::format("{} at {}: {}", who(set.player),
                                   infoset_name(tree, static_cast<int>(h)), fmt::join(moves, ", "));
    if (with_beliefs && set.nodes.size() > 1) {
      if (beliefs[h]) {
        std::vector<std::string> parts;
        for (std::size_t k = 0; k < set.nodes.size(); ++k) {
          parts.push_back(fmt::format("{} {}", tree.node_name(set.nodes[k]),
                                      format_number((*beliefs[h])[k])));
        }
        line += fmt::format("   [beliefs: {}]", fmt::join(parts, ", "));
      } else {
        line += "   [not reached: beliefs not determined by Bayes' rule]";
      }
    }
    lines.push_back(std::move(line));
  }
  return lines;
}

nlohmann::json behaviour_equilibrium_json(const GameTree& tree, const std::string& method,
                                          const BehaviorEquilibrium& eq) {
  nlohmann::json named = nlohmann::json::object();
  nlohmann::json beliefs = nlohmann::json::object();
  const auto b = infoset_beliefs(tree, eq.behaviour);
  for (std::size_t h = 0; h < tree.infosets().size(); ++h) {
    const InfoSet& set = tree.infoset(static_cast<int>(h));
    const std::string key = tree.infoset_name(static_cast<int>(h));
    nlohmann::json probs = nlohmann::json::object();
    for (std::size_t m = 0; m < set.moves.size(); ++m) {
      if (eq.behaviour[h][m] != 0.0) probs[set.moves[m]] = eq.behaviour[h][m];
    }
    named[key] = std::move(probs);
    if (set.nodes.size() > 1) {
      if (b[h]) {
        nlohmann::json nodes = nlohmann::json::object();
        for (std::size_t k = 0; k < set.nodes.size(); ++k) {
          nodes[tree.node_name(set.nodes[k])] = (*b[h])[k];
        }
        beliefs[key] = std::move(nodes);
      } else {
        beliefs[key] = nullptr;
      }
    }
  }
  bool pure = true;
  for (const auto& probs : eq.behaviour) {
    for (double p : probs) pure = pure && (p <= 1e-12 || p >= 1.0 - 1e-12);
  }
  nlohmann::json j{{"method", method},
                   {"strategies", eq.behaviour},
                   {"named", std::move(named)},
                   {"payoffs", eq.payoffs},
                   {"max_gain", eq.max_gain},
                   {"pure", pure},
                   {"path", behaviour_path(tree, eq.behaviour)}};
  if (!beliefs.empty()) j["beliefs"] = std::move(beliefs);
  if (!eq.reasoning.empty()) j["reasoning"] = eq.reasoning;
  return j;
}

std::vector<std::string> behaviour_path(const GameTree& tree, const BehaviourProfile& behaviour) {
  std::vector<std::string> path;
  int id = 0;
  while (tree.node(id).kind == NodeKind::kDecision) {
    const TreeNode& n = tree.node(id);
    const auto& probs = behaviour[static_cast<std::size_t>(n.infoset)];
    int chosen = -1;
    for (std::size_t m = 0; m < probs.size(); ++m) {
      if (probs[m] >= 1.0 - 1e-12) chosen = static_cast<int>(m);
    }
    if (chosen < 0) break;
    path.push_back(n.moves[static_cast<std::size_t>(chosen)]);
    id = n.children[static_cast<std::size_t>(chosen)];
  }
  return path;
}

}  // namespace stratagem
