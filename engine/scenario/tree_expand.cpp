// Expansion of a tree scenario's nodes (named subtrees copied at each use) into a GameTree.

#include <fmt/format.h>

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "scenario/tree_model.hpp"

namespace stratagem::scenario_detail {
namespace {

/// Who gave an information-set label first (for the uniqueness check).
struct LabelOwner {
  int spec = -1;         ///< spec node
  bool grouped = false;  ///< the label comes from `infoset:` (shared by design)
  std::string path;      ///< where the node sits in the expanded tree
};

class Expander {
 public:
  Expander(const Scenario::Model& model, TreeValues& values, bool check_labels)
      : model_(model),
        tree_(*model.tree),
        values_(values),
        check_labels_(check_labels),
        builder_(model.actor_ids) {
    builder_.set_title(model.name);
    builder_.set_player_labels(model.actor_names);
  }

  GameTree run() {
    const int root = node(tree_.root, 0);
    try {
      return std::move(builder_).build(root);
    } catch (const InvalidGame& e) {
      throw InputError(tree_.tree_mark, fmt::format("invalid game tree: {}", e.what()),
                       "check the nodes of tree: and subtrees:");
    }
  }

 private:
  /// Adds the expansion of spec node `spec` (entered at `depth`) and returns its builder id.
  int node(int spec, int depth) {
    // A reference applies its own effects, then those of the node it names.
    int s = spec;
    bool changes = false;
    for (int r = spec; tree_.nodes[r].kind == SpecKind::kReference;
         r = tree_.subtrees[tree_.nodes[r].subtree].root) {
      changes = changes || !tree_.nodes[r].effects.empty();
      s = tree_.subtrees[tree_.nodes[r].subtree].root;
    }
    const TreeSpecNode& n = tree_.nodes[s];
    changes = changes || !n.effects.empty() || !n.outcome.empty();
    if (changes) {
      values_.save(depth);
      for (int r = spec; r != s; r = tree_.subtrees[tree_.nodes[r].subtree].root) {
        if (!tree_.nodes[r].effects.empty()) values_.apply_effects(r, path_);
      }
      if (!n.effects.empty()) values_.apply_effects(s, path_);
    }
    int id = -1;
    switch (n.kind) {
      case SpecKind::kTerminal:
        id = builder_.add_terminal(values_.payoffs(s, path_), "", n.name);
        break;
      case SpecKind::kChance:
        id = builder_.add_chance(n.moves, values_.probabilities(s), children(n, depth), n.name);
        break;
      case SpecKind::kDecision: {
        DecisionSpec d;
        d.player = n.actor;
        d.infoset = n.infoset;
        d.infoset_label = label(s, n);
        d.moves = n.moves;
        d.children = children(n, depth);
        d.label = n.name;
        id = builder_.add_decision(std::move(d));
        break;
      }
      case SpecKind::kReference:
        break;  // resolved above
    }
    if (changes) values_.restore(depth);
    return id;
  }

  std::vector<int> children(const TreeSpecNode& n, int depth) {
    std::vector<int> ids;
    ids.reserve(n.children.size());
    for (std::size_t m = 0; m < n.children.size(); ++m) {
      path_.push_back(n.moves[m]);
      ids.push_back(node(n.children[m], depth + 1));
      path_.pop_back();
    }
    return ids;
  }

  /// The information-set label of decision node `n` (spec `s`) at the current path.
  std::string label(int s, const TreeSpecNode& n) {
    std::string text;
    if (!n.infoset.empty()) {
      text = n.infoset;
    } else if (!n.name.empty()) {
      text = n.name;
    } else {
      text = fmt::format(
          "{}@{}", model_.actor_ids[static_cast<std::size_t>(n.actor)],
          path_.empty() ? std::string("root") : fmt::format("{}", fmt::join(path_, "/")));
    }
    if (check_labels_) check_unique(text, s, n);
    return text;
  }

  void check_unique(const std::string& text, int s, const TreeSpecNode& n) {
    const bool grouped = !n.infoset.empty();
    const auto [it, inserted] = owners_.try_emplace(text, LabelOwner{s, grouped, path_text(path_)});
    if (inserted) return;
    const LabelOwner& first = it->second;
    if (grouped && first.grouped) return;  // one information set, by design
    const SourceMark& here = grouped ? n.infoset_mark : n.mark;
    const TreeSpecNode& other = tree_.nodes[static_cast<std::size_t>(first.spec)];
    if (first.spec == s) {
      throw InputError(
          here,
          fmt::format("node name '{}' would label two information sets: the node is reached "
                      "both at {} and at {} (a named subtree used twice)",
                      text, first.path, path_text(path_)),
          fmt::format("add infoset: {} to make the copies one information set (the actor cannot "
                      "tell them apart), or remove name:",
                      text));
    }
    throw InputError(
        here,
        fmt::format("information-set label '{}' is used twice: here and by the node{} ({})", text,
                    line_ref(first.grouped ? other.infoset_mark : other.mark), first.path),
        "rename one of them: name: labels a node's own information set, infoset: joins the "
        "nodes that carry the same label into one");
  }

  const Scenario::Model& model_;
  const TreeModel& tree_;
  TreeValues& values_;
  bool check_labels_;
  GameTreeBuilder builder_;
  std::vector<std::string> path_;
  std::map<std::string, LabelOwner> owners_;
};

}  // namespace

GameTree expand_tree(const Scenario::Model& model, TreeValues& values, bool check_labels) {
  return Expander(model, values, check_labels).run();
}

std::string path_text(const std::vector<std::string>& path) {
  if (path.empty()) return "the root";
  return fmt::format("{}", fmt::join(path, " > "));
}

}  // namespace stratagem::scenario_detail
