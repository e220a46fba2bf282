#pragma once

// Private to the engine: the parsed `type: tree` part of a scenario. Nodes are kept as written
// (a named subtree once, however often it is used); they are expanded into a GameTree when a
// parameter point is bound.

#include <cstddef>
#include <string>
#include <vector>

#include "scenario/model.hpp"
#include "stratagem/game/tree.hpp"

namespace stratagem::scenario_detail {

/// Most nodes a tree scenario may expand to. Named subtrees are copied at every use, so a few
/// lines can describe an exponentially large tree; the loader refuses it instead of running out
/// of memory.
inline constexpr std::size_t kMaxTreeNodes = 1'000'000;
/// Longest root-to-leaf path (in nodes), which bounds the recursion of expansion.
using stratagem::kMaxTreeDepth;

/// What a node of `tree:` / `subtrees:` is.
enum class SpecKind { kDecision, kChance, kTerminal, kReference };

/// One node as written in the file.
struct TreeSpecNode {
  SpecKind kind = SpecKind::kTerminal;
  SourceMark mark;              ///< the node's mapping (its move key when the node is empty)
  std::vector<Effect> effects;  ///< `set:` then `add:`, applied on entering the node
  std::string name;             ///< decision/chance: node label; terminal: outcome name
  int actor = -1;               ///< decision: index into Model::actor_ids
  std::string infoset;          ///< decision: `infoset:` label, or empty
  SourceMark infoset_mark;
  std::vector<std::string> moves;      ///< decision and chance, in file order
  std::vector<int> children;           ///< decision and chance: spec node of each move
  std::vector<Formula> probabilities;  ///< chance: one per move, formulas of parameters
  std::vector<Effect> outcome;         ///< terminal: `outcome:` (sets, before utilities)
  std::vector<Formula> payoffs;        ///< terminal: one per actor, or empty for utilities
  int subtree = -1;                    ///< reference: index into TreeModel::subtrees
};

/// An entry of `subtrees:`.
struct NamedSubtree {
  std::string name;
  int root = -1;  ///< spec node
  SourceMark mark;
};

/// The tree of a scenario, plus facts computed once at load from its structure (which does not
/// depend on parameters).
struct TreeModel {
  std::vector<TreeSpecNode> nodes;     ///< spec nodes; children before their parents
  std::vector<NamedSubtree> subtrees;  ///< file order
  int root = -1;                       ///< spec node of `tree:`
  SourceMark tree_mark;                ///< the `tree:` key
  std::size_t expanded_nodes = 0;      ///< nodes of the expanded tree
  /// The information sets of the expanded tree (GameTree::infosets() order; `nodes` left empty).
  std::vector<InfoSet> infosets;
  /// Why the reduced normal form cannot be built (too large), or empty.
  std::string reduced_error;
};

/// Values of a tree at one parameter point, supplied to expand_tree() by its caller. Nodes are
/// indices into TreeModel::nodes; `path` holds the moves from the root to the current node.
class TreeValues {
 public:
  virtual ~TreeValues() = default;
  /// Remembers the attribute values before a level's effects; restore(depth) brings them back.
  virtual void save(int depth) = 0;
  virtual void restore(int depth) = 0;
  /// Applies the `set:`/`add:` effects of spec node `node`.
  virtual void apply_effects(int node, const std::vector<std::string>& path) = 0;
  /// Probabilities of chance node `node`, one per move.
  virtual std::vector<double> probabilities(int node) = 0;
  /// Payoffs of terminal node `node`, one per actor (applying its `outcome:` first).
  virtual std::vector<double> payoffs(int node, const std::vector<std::string>& path) = 0;
};

/// Expands the scenario's tree (model.tree must be set) with the values from `values`.
/// Information sets get their labels (the `infoset:` label, else the node's `name:`, else
/// "actor@move/move/..."). With `check_labels`, throws InputError when two information sets
/// would share a label. Other structural problems are reported by the parser before this is
/// called; an InvalidGame from the builder becomes an InputError at `tree:`.
[[nodiscard]] GameTree expand_tree(const Scenario::Model& model, TreeValues& values,
                                   bool check_labels);

/// " > "-joined moves, or "the root" for an empty path: names a node in messages.
[[nodiscard]] std::string path_text(const std::vector<std::string>& path);

}  // namespace stratagem::scenario_detail
