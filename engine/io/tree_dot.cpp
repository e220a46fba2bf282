#include "stratagem/io/tree_dot.hpp"

#include <fmt/format.h>

#include <string>
#include <vector>

#include "stratagem/io/report.hpp"

namespace stratagem {
namespace {

/// A DOT double-quoted string.
std::string dot_quote(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out + "\"";
}

}  // namespace

std::string write_dot(const GameTree& tree) {
  std::string out =
      fmt::format("digraph {} {{\n", dot_quote(tree.title().empty() ? "game" : tree.title()));
  out += "  rankdir=TB;\n  node [fontname=\"Helvetica\"];\n  edge [fontname=\"Helvetica\"];\n";
  for (int id = 0; id < tree.num_nodes(); ++id) {
    const TreeNode& n = tree.node(id);
    std::string label;
    std::string shape;
    switch (n.kind) {
      case NodeKind::kDecision:
        label = tree.player_label(n.player);
        shape = "ellipse";
        break;
      case NodeKind::kChance:
        label = "chance";
        shape = "diamond";
        break;
      case NodeKind::kTerminal: {
        std::vector<std::string> parts;
        for (double v : n.payoffs) parts.push_back(format_payoff(v));
        label = fmt::format("({})", fmt::join(parts, ", "));
        if (!n.outcome.empty()) label += "\n" + n.outcome;
        shape = "box";
        break;
      }
    }
    if (!n.label.empty()) label = n.label + "\n" + label;
    out += fmt::format("  n{} [label={}, shape={}];\n", id, dot_quote(label), shape);
  }
  for (int id = 0; id < tree.num_nodes(); ++id) {
    const TreeNode& n = tree.node(id);
    for (std::size_t m = 0; m < n.children.size(); ++m) {
      const std::string label =
          n.kind == NodeKind::kChance
              ? fmt::format("{} ({})", n.moves[m], format_number(n.probabilities[m]))
              : n.moves[m];
      out += fmt::format("  n{} -> n{} [label={}];\n", id, n.children[m], dot_quote(label));
    }
  }
  for (const InfoSet& h : tree.infosets()) {
    if (h.nodes.size() < 2) continue;
    out += "  { rank=same;";
    for (int node : h.nodes) out += fmt::format(" n{};", node);
    out += " }\n";
    for (std::size_t k = 1; k < h.nodes.size(); ++k) {
      out += fmt::format(
          "  n{} -> n{} [style=dashed, dir=none, constraint=false, color=gray40, label={}];\n",
          h.nodes[k - 1], h.nodes[k], dot_quote(h.label));
    }
  }
  out += "}\n";
  return out;
}

}  // namespace stratagem
