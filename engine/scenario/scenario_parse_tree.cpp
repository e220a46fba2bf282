// Parsing of a `game: {type: tree, subtrees:, tree:}` section into TreeModel, and the checks on
// the whole tree: unknown subtrees, cycles through named subtrees, the expanded size and depth,
// information sets whose members differ, label collisions. The structure (information sets,
// reduced strategies) is computed here once; it does not depend on parameters.

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "scenario/model_parser.hpp"

namespace stratagem::scenario_detail::parse_detail {
namespace {

/// Node count, depth and cycles of the expanded tree, measured on the spec nodes (memoised, so
/// linear in the file's size however often subtrees are reused).
class TreeMeasure {
 public:
  explicit TreeMeasure(const TreeModel& tree)
      : tree_(tree), memo_(tree.nodes.size()), active_(tree.subtrees.size(), 0) {}

  /// Nodes of the expansion of spec node `s` entered at level `depth` (1 = root). Throws
  /// InputError for a cycle, more than kMaxTreeNodes nodes or more than kMaxTreeDepth levels.
  std::size_t nodes(int s, int depth) {
    const TreeSpecNode& n = tree_.nodes[static_cast<std::size_t>(s)];
    Memo& memo = memo_[static_cast<std::size_t>(s)];
    if (memo.done) {
      if (depth - 1 + memo.height > kMaxTreeDepth) too_deep(n.mark);
      return memo.nodes;
    }
    if (depth > kMaxTreeDepth) too_deep(n.mark);
    std::size_t count = 1;
    int height = 1;
    if (n.kind == SpecKind::kReference) {
      const auto sub = static_cast<std::size_t>(n.subtree);
      if (active_[sub]) cycle(n);
      active_[sub] = 1;
      chain_.emplace_back(n.subtree, n.mark);
      const int root = tree_.subtrees[sub].root;
      count = nodes(root, depth);
      height = memo_[static_cast<std::size_t>(root)].height;
      chain_.pop_back();
      active_[sub] = 0;
    } else {
      for (const int child : n.children) {
        count = std::min(count + nodes(child, depth + 1), kMaxTreeNodes + 1);
        height = std::max(height, 1 + memo_[static_cast<std::size_t>(child)].height);
      }
    }
    if (count > kMaxTreeNodes) too_large(n.mark);
    memo = {.done = true, .nodes = count, .height = height};
    return count;
  }

  /// Checks a named subtree on its own (also when the tree never uses it).
  void subtree(int sub) {
    active_[static_cast<std::size_t>(sub)] = 1;
    chain_.emplace_back(sub, tree_.subtrees[static_cast<std::size_t>(sub)].mark);
    (void)nodes(tree_.subtrees[static_cast<std::size_t>(sub)].root, 1);
    chain_.clear();
    active_[static_cast<std::size_t>(sub)] = 0;
  }

 private:
  struct Memo {
    bool done = false;
    std::size_t nodes = 0;
    int height = 0;
  };

  [[noreturn]] void cycle(const TreeSpecNode& reference) const {
    std::size_t start = 0;
    while (chain_[start].first != reference.subtree) ++start;
    std::vector<std::string> names;
    for (std::size_t k = start; k < chain_.size(); ++k) {
      names.push_back(tree_.subtrees[static_cast<std::size_t>(chain_[k].first)].name);
    }
    names.push_back(names.front());
    throw InputError(reference.mark,
                     fmt::format("subtree cycle {}: subtree '{}' leads back to itself",
                                 fmt::join(names, " -> "), names.front()),
                     "a subtree cannot contain itself; end one of these subtrees with leaves "
                     "(payoffs:) instead of the reference");
  }

  [[noreturn]] void too_large(const SourceMark& where) const {
    std::string inside;
    if (!chain_.empty()) {
      const auto& [sub, used] = chain_.back();
      inside = fmt::format(" (inside subtree '{}', used{})",
                           tree_.subtrees[static_cast<std::size_t>(sub)].name, line_ref(used));
    }
    throw InputError(where,
                     fmt::format("the tree is too large: this node expands to more than {} "
                                 "nodes{}; each use of a named subtree copies it",
                                 kMaxTreeNodes, inside),
                     "use fewer moves or fewer nested uses of subtrees");
  }

  [[noreturn]] static void too_deep(const SourceMark& where) {
    throw InputError(where,
                     fmt::format("the tree is too deep: a path through here has more than {} "
                                 "nodes",
                                 kMaxTreeDepth),
                     "shorten the chain of nested subtrees");
  }

  const TreeModel& tree_;
  std::vector<Memo> memo_;
  std::vector<char> active_;                       ///< per subtree: on the current chain
  std::vector<std::pair<int, SourceMark>> chain_;  ///< subtrees entered, with the reference
};

/// Nodes sharing an `infoset:` label must have the same actor and the same moves.
void check_infosets(const TreeModel& tree, const std::vector<std::string>& actor_ids) {
  std::map<std::string, const TreeSpecNode*> first;
  for (const auto& n : tree.nodes) {
    if (n.kind != SpecKind::kDecision || n.infoset.empty()) continue;
    const auto [it, inserted] = first.try_emplace(n.infoset, &n);
    if (inserted) continue;
    const TreeSpecNode* a = it->second;
    const TreeSpecNode* b = &n;
    if (a->actor == b->actor && a->moves == b->moves) continue;
    if (b->infoset_mark.line < a->infoset_mark.line) std::swap(a, b);  // report at the later
    const auto describe = [&](const TreeSpecNode* x) {
      return fmt::format("actor '{}' with moves [{}]",
                         actor_ids[static_cast<std::size_t>(x->actor)], fmt::join(x->moves, ", "));
    };
    throw InputError(
        b->infoset_mark,
        fmt::format("information set '{}': the node at line {} has {}, but the node at line {} "
                    "has {}",
                    n.infoset, b->infoset_mark.line, describe(b), a->infoset_mark.line,
                    describe(a)),
        "the nodes of one information set must have the same actor and the same moves in the "
        "same order; give different decisions different infoset: labels");
  }
}

/// Why the reduced normal form of `tree` is not attempted, or "" when it may be. Bounds each
/// player's reduced strategies from the leaves up (a sum at the player's nodes, a product at
/// the others'; exact unless an information set spans several branches).
std::string reduced_form_refusal(const GameTree& tree, const GameLimits& limits) {
  for (int p = 0; p < tree.num_players(); ++p) {
    const double strategies = reduced_strategy_bound(tree, p);
    const auto sets = static_cast<double>(std::max<std::size_t>(1, tree.player_infosets(p).size()));
    if (strategies > static_cast<double>(limits.max_profiles) ||
        strategies * sets > static_cast<double>(kMaxReducedStrategyCells)) {
      return fmt::format(
          "the reduced normal form is too large: {} has up to {:.3g} reduced "
          "strategies over {} information sets",
          tree.player_name(p), strategies, tree.player_infosets(p).size());
    }
  }
  return "";
}

/// The values of the structure alone: no effects, uniform chance, zero payoffs.
class StructureOnly final : public TreeValues {
 public:
  StructureOnly(const TreeModel& tree, std::size_t actors) : tree_(tree), actors_(actors) {}
  void save(int /*depth*/) override {}
  void restore(int /*depth*/) override {}
  void apply_effects(int /*node*/, const std::vector<std::string>& /*path*/) override {}
  std::vector<double> probabilities(int node) override {
    const std::size_t k = tree_.nodes[static_cast<std::size_t>(node)].moves.size();
    return std::vector<double>(k, 1.0 / static_cast<double>(k));
  }
  std::vector<double> payoffs(int /*node*/, const std::vector<std::string>& /*path*/) override {
    return std::vector<double>(actors_, 0.0);
  }

 private:
  const TreeModel& tree_;
  std::size_t actors_;
};

}  // namespace

void ModelParser::parse_tree(const MapView& game) {
  for (const char* key : {"moves", "rules", "matrix", "payoffs"}) {
    if (const Entry* misplaced = game.find(key)) {
      throw InputError(misplaced->key_mark,
                       fmt::format("in a tree game, {}: belongs to the nodes of tree:", key),
                       "write tree: {actor: ID, moves: {move: node, ...}}; leaves carry "
                       "payoffs: or outcome:");
    }
  }
  game.allow_only(kTreeGameKeys);
  auto tree = std::make_shared<TreeModel>();
  const Entry* subtrees = game.find("subtrees");
  const MapView named(reader_, subtrees ? subtrees->value : YAML::Node(),
                      subtrees ? subtrees->value_mark : game.mark(), "subtrees");
  for (const auto& e : named.entries()) {
    if (!is_label(e.key)) {
      throw InputError(e.key_mark, fmt::format("subtree name '{}' is not a valid name", e.key),
                       "use letters, digits, '_', '-' or '.' (e.g. 'russia_decides')");
    }
    tree->subtrees.push_back({.name = e.key, .root = -1, .mark = e.key_mark});
  }
  const Entry& root = game.require("tree",
                                   "add tree: with the root node, e.g. tree: {actor: "
                                   "ID, moves: {move: {payoffs: [...]}}}");
  if (root.value.IsNull()) {
    throw InputError(root.key_mark, "tree: is empty",
                     "write the root node, e.g. tree: {actor: ID, moves: {...}}");
  }
  tree->tree_mark = root.key_mark;
  model_->moves_mark = root.key_mark;
  for (std::size_t i = 0; i < named.entries().size(); ++i) {
    const Entry& e = named.entries()[i];
    tree->subtrees[i].root =
        parse_tree_node(*tree, e.value, e.value_mark, fmt::format("subtree '{}'", e.key), 1);
  }
  tree->root = parse_tree_node(*tree, root.value, root.value_mark, "the root node (tree:)", 1);

  TreeMeasure measure(*tree);
  tree->expanded_nodes = measure.nodes(tree->root, 1);
  for (std::size_t i = 0; i < tree->subtrees.size(); ++i) measure.subtree(static_cast<int>(i));
  check_infosets(*tree, model_->actor_ids);

  // The structure: information sets and reduced strategies (parameter-independent).
  model_->tree = tree;
  StructureOnly structure(*tree, model_->actor_ids.size());
  const GameTree skeleton = expand_tree(*model_, structure, true);
  tree->infosets = skeleton.infosets();
  for (auto& h : tree->infosets) h.nodes.clear();
  model_->moves.assign(model_->actor_ids.size(), {});
  model_->move_ids.assign(model_->actor_ids.size(), {});
  tree->reduced_error = reduced_form_refusal(skeleton, model_->limits);
  if (!tree->reduced_error.empty()) return;
  try {
    const NormalFormGame reduced = reduced_normal_form(skeleton, model_->limits);
    model_->move_ids.clear();
    for (int p = 0; p < reduced.num_players(); ++p) {
      model_->move_ids.push_back(reduced.action_names(p));
    }
  } catch (const InvalidGame& e) {
    tree->reduced_error = e.what();
    model_->move_ids.assign(model_->actor_ids.size(), {});
  }
}

int ModelParser::parse_tree_node(TreeModel& tree, const YAML::Node& node, const SourceMark& where,
                                 const std::string& what, int depth) {
  TreeSpecNode spec;
  spec.mark = reader_.mark(node, where);
  if (depth > kMaxTreeDepth) {
    throw InputError(spec.mark,
                     fmt::format("the tree is nested more than {} levels deep here", kMaxTreeDepth),
                     "use named subtrees (subtrees:) for long chains, or shorten the tree");
  }
  if (tree.nodes.size() >= kMaxTreeNodes) {
    throw InputError(spec.mark, fmt::format("the tree has more than {} nodes", kMaxTreeNodes),
                     "use fewer moves");
  }
  const MapView view(reader_, node, spec.mark, what);
  view.allow_only(kTreeNodeKeys);
  const auto refuse = [&](const std::vector<std::string>& keys, const std::string& why,
                          const std::string& hint) {
    for (const auto& key : keys) {
      if (const Entry* e = view.find(key)) {
        throw InputError(e->key_mark, fmt::format("'{}:' {}", key, why), hint);
      }
    }
  };
  const Entry* subtree = view.find("subtree");
  const Entry* actor = view.find("actor");
  const Entry* chance = view.find("chance");
  if (subtree != nullptr) {
    refuse({"actor", "chance", "moves", "infoset", "name", "outcome", "payoffs"},
           "cannot stand beside subtree: (a reference node carries only set:/add:)",
           "move it into the named subtree, or write the node here instead of the reference");
    spec.kind = SpecKind::kReference;
    const std::string name = reader_.text(subtree->value, subtree->value_mark, "subtree");
    std::vector<std::string> names;
    for (const auto& s : tree.subtrees) names.push_back(s.name);
    const int index = index_of(names, name);
    if (index < 0) {
      throw InputError(subtree->value_mark,
                       fmt::format("unknown subtree '{}'{}", name, did_you_mean(name, names)),
                       names.empty()
                           ? fmt::format("declare it under game: subtrees: ({}: {{actor: ..., "
                                         "moves: ...}})",
                                         name)
                           : fmt::format("subtrees are: {}", fmt::join(names, ", ")));
    }
    spec.subtree = index;
  } else if (actor != nullptr && chance != nullptr) {
    throw InputError(chance->key_mark,
                     "a node has either actor: (a decision) or chance: (a chance move), not both",
                     "remove one of them");
  } else if (actor != nullptr) {
    refuse({"outcome", "payoffs"}, "belongs on a leaf, but this node has actor: (a decision node)",
           "put it on the leaves under moves:, or remove actor: and moves: to make this a leaf");
    spec.kind = SpecKind::kDecision;
    parse_decision(tree, spec, view, what, depth);
  } else if (chance != nullptr) {
    refuse({"infoset"}, "belongs to decision nodes, but this is a chance node",
           "remove it; chance moves are seen by nobody's information sets");
    refuse({"outcome", "payoffs"}, "belongs on a leaf, but this node has chance: (a chance node)",
           "put it on the leaves under moves:");
    spec.kind = SpecKind::kChance;
    parse_chance(tree, spec, view, what, depth);
  } else if (const Entry* moves = view.find("moves")) {
    throw InputError(moves->key_mark, fmt::format("{} has moves: but no actor: or chance:", what),
                     fmt::format("add actor: ID for a decision (actors are: {}), or chance: "
                                 "{{move: probability, ...}} for a chance move",
                                 fmt::join(model_->actor_ids, ", ")));
  } else {
    refuse({"infoset"}, "belongs to decision nodes, but this is a leaf (no actor: or moves:)",
           "remove it, or make the node a decision with actor: and moves:");
    spec.kind = SpecKind::kTerminal;
    parse_leaf(spec, view, what);
  }
  parse_effects(view, spec.effects, what);
  if (const Entry* d = view.find("doc")) (void)reader_.text(d->value, d->value_mark, "doc");
  tree.nodes.push_back(std::move(spec));
  return static_cast<int>(tree.nodes.size()) - 1;
}

void ModelParser::parse_decision(TreeModel& tree, TreeSpecNode& spec, const MapView& view,
                                 const std::string& what, int depth) {
  const Entry& actor = *view.find("actor");
  const std::string id = reader_.text(actor.value, actor.value_mark, "actor");
  spec.actor = index_of(model_->actor_ids, id);
  if (spec.actor < 0) {
    throw InputError(
        actor.value_mark,
        fmt::format("unknown actor '{}' at {}{}", id, what, did_you_mean(id, model_->actor_ids)),
        fmt::format("actors are: {}", fmt::join(model_->actor_ids, ", ")));
  }
  const auto label = [&](const char* key, SourceMark* mark) {
    const Entry* e = view.find(key);
    if (e == nullptr) return std::string();
    const std::string text = reader_.text(e->value, e->value_mark, key);
    if (!is_label(text)) {
      throw InputError(e->value_mark, fmt::format("{}: '{}' is not a valid label", key, text),
                       "use letters, digits, '_', '-' or '.' (e.g. 'russia_after_offer'); it "
                       "names an information set");
    }
    if (mark != nullptr) *mark = e->value_mark;
    return text;
  };
  spec.name = label("name", nullptr);
  spec.infoset = label("infoset", &spec.infoset_mark);
  const Entry& moves =
      view.require("moves", fmt::format("add moves: {{move: node, ...}} to {}", what));
  const MapView list(reader_, moves.value, moves.value_mark, fmt::format("moves of {}", what));
  parse_tree_moves(tree, spec, list, what, depth);
}

void ModelParser::parse_chance(TreeModel& tree, TreeSpecNode& spec, const MapView& view,
                               const std::string& what, int depth) {
  const Entry& chance = *view.find("chance");
  const MapView probabilities(reader_, chance.value, chance.value_mark,
                              fmt::format("chance: of {}", what));
  std::vector<std::string> keys;
  for (const auto& e : probabilities.entries()) {
    Formula f = reader_.formula(e.value, e.value_mark, fmt::format("probability of '{}'", e.key));
    check_formula(f, all_names_);
    require_names(f, parameter_names_,
                  "chance probabilities may only use parameters (they cannot depend on the path)");
    spec.probabilities.push_back(std::move(f));
    keys.push_back(e.key);
  }
  if (const Entry* name = view.find("name")) {
    spec.name = reader_.text(name->value, name->value_mark, "name");
  }
  const Entry& moves = view.require(
      "moves", fmt::format("add moves: with the node after each of {}", fmt::join(keys, ", ")));
  const MapView list(reader_, moves.value, moves.value_mark, fmt::format("moves of {}", what));
  std::vector<std::string> move_keys;
  for (const auto& e : list.entries()) move_keys.push_back(e.key);
  if (!list.empty() && move_keys != keys) {
    throw InputError(
        moves.key_mark,
        fmt::format("the moves [{}] of this chance node differ from its chance: "
                    "keys [{}] at line {}",
                    fmt::join(move_keys, ", "), fmt::join(keys, ", "), chance.key_mark.line),
        "list the same moves in the same order under chance: (probabilities) and "
        "moves: (the node after each)");
  }
  parse_tree_moves(tree, spec, list, what, depth);
}

void ModelParser::parse_leaf(TreeSpecNode& spec, const MapView& view, const std::string& what) {
  if (const Entry* name = view.find("name")) {
    spec.name = reader_.text(name->value, name->value_mark, "name");
  }
  if (const Entry* outcome = view.find("outcome")) {
    const std::string owner = fmt::format("outcome: of {}", what);
    const MapView targets(reader_, outcome->value, outcome->value_mark, owner);
    for (const auto& t : targets.entries()) {
      Effect effect;
      effect.attribute = attribute_index(t, owner);
      effect.value = model_formula(t, fmt::format("outcome: {}", t.key));
      effect.mark = t.key_mark;
      spec.outcome.push_back(std::move(effect));
    }
  }
  if (const Entry* payoffs = view.find("payoffs")) {
    spec.payoffs = payoff_values(payoffs->value, payoffs->value_mark,
                                 fmt::format("payoffs of {}", what), true);
    return;
  }
  if (has_weights_or_terms_) return;
  std::vector<std::string> zeros;
  for (const auto& id : model_->actor_ids) zeros.push_back(fmt::format("{}: 0", id));
  throw InputError(spec.mark,
                   fmt::format("missing payoffs: {} is a leaf without payoffs:, and the actors "
                               "have no weights:/terms: to value its outcome",
                               what),
                   fmt::format("add payoffs: {{{}}} (or a list in actor order), or give the "
                               "actors weights: {{attribute: 1}}",
                               fmt::join(zeros, ", ")));
}

void ModelParser::parse_tree_moves(TreeModel& tree, TreeSpecNode& spec, const MapView& moves,
                                   const std::string& what, int depth) {
  if (moves.empty()) {
    throw InputError(moves.mark(), fmt::format("{} has an empty moves:", what),
                     "give the node at least one move, e.g. moves: {wait: {payoffs: [0, 0]}}");
  }
  for (const auto& e : moves.entries()) {
    if (!is_label(e.key)) {
      throw InputError(e.key_mark, fmt::format("move id '{}' is not a valid id", e.key),
                       "use letters, digits, '_', '-' or '.' (e.g. 'offer_two')");
    }
    spec.moves.push_back(e.key);
    spec.children.push_back(parse_tree_node(
        tree, e.value, e.value_mark, fmt::format("the node after move '{}'", e.key), depth + 1));
  }
}

}  // namespace stratagem::scenario_detail::parse_detail
