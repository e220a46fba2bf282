#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "stratagem/game/normal_form.hpp"
#include "stratagem/game/profile.hpp"

namespace stratagem {

/// Kind of a node of a game tree.
enum class NodeKind { kDecision, kChance, kTerminal };

/// Longest root-to-leaf path (in nodes) of any game tree: the .efg reader and tree scenarios
/// refuse deeper trees with a clear error, which bounds the recursion of every tree algorithm.
/// Real game trees are far shallower (the deepest of Gambit's 100-odd example trees has about
/// 25 levels); raise it here if a model needs more.
inline constexpr int kMaxTreeDepth = 1'000;

/// One node of a GameTree. Nodes are numbered in prefix order (a node before its children,
/// children in move order), so node 0 is the root and every child has a larger id than its
/// parent.
struct TreeNode {
  NodeKind kind = NodeKind::kTerminal;
  std::string label;                  ///< node name (may be empty)
  int player = -1;                    ///< decision nodes: the player who moves (0-based)
  int infoset = -1;                   ///< decision nodes: index into GameTree::infosets()
  std::vector<std::string> moves;     ///< decision and chance nodes: move labels
  std::vector<double> probabilities;  ///< chance nodes: one per move, summing to 1
  std::vector<int> children;          ///< decision and chance nodes: one per move
  std::vector<double> payoffs;        ///< terminal nodes: one per player
  std::string outcome;                ///< terminal nodes: outcome name (may be empty)
  /// Exact values of `payoffs` / `probabilities` when they were given as rationals that no
  /// double represents (such as 1/3 or 0.1); empty otherwise (the doubles are exact). Read them
  /// through GameTree::exact_payoff and GameTree::exact_probability.
  std::vector<mpq_class> exact_payoffs;
  std::vector<mpq_class> exact_probabilities;
  int parent = -1;                    ///< -1 at the root
  int parent_move = -1;               ///< index of the move leading here from the parent
};

/// An information set: decision nodes of one player that the player cannot tell apart. Every
/// member has the same move labels, in the same order.
struct InfoSet {
  int player = -1;
  std::string label;  ///< display name (may be empty)
  std::vector<std::string> moves;
  std::vector<int> nodes;  ///< member nodes, increasing (prefix order)
};

/// A finite game in extensive form: decision, chance and terminal nodes, information sets.
/// Immutable once built (see GameTreeBuilder); safe to share between threads. Information sets
/// are numbered in the order of their first node in prefix order.
class GameTree {
 public:
  /// Number of players (chance is not a player).
  [[nodiscard]] int num_players() const { return static_cast<int>(players_.size()); }
  /// Players' names (identifiers: unique, used in files and expectations).
  [[nodiscard]] const std::vector<std::string>& player_names() const { return players_; }
  [[nodiscard]] const std::string& player_name(int player) const { return players_[player]; }
  /// The name to show a reader: the display label when one was given, else the player's name.
  [[nodiscard]] const std::string& player_label(int player) const {
    const auto p = static_cast<std::size_t>(player);
    return p < labels_.size() && !labels_[p].empty() ? labels_[p] : players_[p];
  }
  [[nodiscard]] const std::string& title() const { return title_; }
  [[nodiscard]] const std::string& comment() const { return comment_; }

  /// All nodes in prefix order; node 0 is the root.
  [[nodiscard]] const std::vector<TreeNode>& nodes() const { return nodes_; }
  [[nodiscard]] const TreeNode& node(int id) const { return nodes_[id]; }
  [[nodiscard]] int num_nodes() const { return static_cast<int>(nodes_.size()); }
  /// All information sets.
  [[nodiscard]] const std::vector<InfoSet>& infosets() const { return infosets_; }
  [[nodiscard]] const InfoSet& infoset(int id) const { return infosets_[id]; }
  /// Indices of `player`'s information sets, increasing.
  [[nodiscard]] const std::vector<int>& player_infosets(int player) const {
    return player_infosets_[player];
  }

  /// Exact payoff of `player` at terminal node `id`: the rational it was given as, else the
  /// exact binary value of the double. O(1).
  [[nodiscard]] mpq_class exact_payoff(int id, int player) const {
    const TreeNode& n = nodes_[static_cast<std::size_t>(id)];
    const auto p = static_cast<std::size_t>(player);
    return n.exact_payoffs.empty() ? mpq_class(n.payoffs[p]) : n.exact_payoffs[p];
  }
  /// Exact probability of move `move` at chance node `id` (as exact_payoff). O(1).
  [[nodiscard]] mpq_class exact_probability(int id, int move) const {
    const TreeNode& n = nodes_[static_cast<std::size_t>(id)];
    const auto m = static_cast<std::size_t>(move);
    return n.exact_probabilities.empty() ? mpq_class(n.probabilities[m])
                                         : n.exact_probabilities[m];
  }
  /// True when some payoff or chance probability was given as a rational no double represents.
  [[nodiscard]] bool has_exact_data() const;

  /// True when every information set has exactly one node (and so every decision node starts
  /// a subgame).
  [[nodiscard]] bool is_perfect_information() const;

  /// The moves from the root to `node`, e.g. {"in", "fight"}; empty for the root. O(depth).
  [[nodiscard]] std::vector<std::string> history(int node) const;
  /// A readable name for `node`: its label if any, else its history joined by " > ", else
  /// "root".
  [[nodiscard]] std::string node_name(int node) const;
  /// A readable name for information set `h`: its label if any, else the name of its first node.
  [[nodiscard]] std::string infoset_name(int h) const;

 private:
  friend class GameTreeBuilder;
  friend GameTree normalized_payoffs(const GameTree& tree);
  GameTree() = default;

  std::string title_;
  std::string comment_;
  std::vector<std::string> players_;
  std::vector<std::string> labels_;  ///< display labels, empty when none were given
  std::vector<TreeNode> nodes_;
  std::vector<InfoSet> infosets_;
  std::vector<std::vector<int>> player_infosets_;
};

/// A decision node to add to a GameTreeBuilder.
struct DecisionSpec {
  int player = 0;  ///< 0-based
  /// Information set key: nodes of the same player with the same non-empty key share an
  /// information set; an empty key gives the node its own information set.
  std::string infoset{};
  std::optional<std::string> infoset_label{};  ///< display name; when unset, `infoset`
  std::vector<std::string> moves{};
  std::vector<int> children{};  ///< builder ids, one per move
  std::string label{};          ///< node name
};

/// Builds a GameTree bottom-up: add children first, then the node that points to them, then
/// call build() with the root. Builder ids are only meaningful to the builder; the built tree
/// renumbers nodes in prefix order. Not thread-safe; a builder is used once.
class GameTreeBuilder {
 public:
  /// Throws InvalidGame when there are no players or two players share a name.
  explicit GameTreeBuilder(std::vector<std::string> players);

  void set_title(std::string title) { title_ = std::move(title); }
  void set_comment(std::string comment) { comment_ = std::move(comment); }
  /// Display labels of the players (one per player; an empty one falls back to the name).
  /// Throws InvalidGame when the count differs from the number of players.
  void set_player_labels(std::vector<std::string> labels);

  /// Adds a terminal node with one payoff per player; returns its builder id.
  int add_terminal(std::vector<double> payoffs, std::string label = "", std::string outcome = "");
  /// Adds a decision node; returns its builder id.
  int add_decision(DecisionSpec spec);
  /// Shorthand: a decision node with its own information set.
  int add_decision(int player, std::vector<std::string> moves, std::vector<int> children,
                   std::string label = "");
  /// Adds a chance node: moves with probabilities (checked at build()); returns its id.
  int add_chance(std::vector<std::string> moves, std::vector<double> probabilities,
                 std::vector<int> children, std::string label = "");

  /// Records the exact rational values of a terminal node's payoffs (one per player) or a chance
  /// node's probabilities (one per move), for data given as fractions or decimals; the doubles
  /// passed to add_terminal / add_chance should be their nearest doubles. Values that doubles
  /// represent exactly need no call. Throws InvalidGame on a count mismatch or an unknown id.
  void set_exact_payoffs(int id, std::vector<mpq_class> payoffs);
  void set_exact_probabilities(int id, std::vector<mpq_class> probabilities);

  /// Finishes the tree rooted at `root`. Throws InvalidGame naming the node when: a node has no
  /// moves, move and child counts differ, move labels repeat at a node, a payoff count differs
  /// from the player count, a payoff or probability is not finite, chance probabilities are
  /// negative or do not sum to 1 within 1e-9, a child is used twice or unknown, a node is not
  /// reachable from the root, or nodes of one information set differ in player or moves.
  [[nodiscard]] GameTree build(int root) &&;

 private:
  struct Pending {
    TreeNode node;
    std::string infoset_key;
    std::string infoset_label;
  };
  int add(Pending pending);

  std::string title_;
  std::string comment_;
  std::vector<std::string> players_;
  std::vector<std::string> labels_;
  std::vector<Pending> pending_;
};

/// The reduced normal form of a tree, with the meaning of each strategy.
struct ReducedNormalForm {
  /// The strategic game: the players of the tree, each player's reduced pure strategies as
  /// actions, expected payoffs over chance.
  NormalFormGame game;
  /// strategies[p][s][k]: the move strategy s of player p takes at p's k-th information set
  /// (GameTree::player_infosets(p)[k]), or -1 when that information set cannot be reached
  /// given p's own earlier moves.
  std::vector<std::vector<std::vector<int>>> strategies;
};

/// The tree's payoff scale: the largest range (max - min over the leaves) of any player's
/// payoffs, 1 when every player's payoffs are constant. Tolerances of the tree solvers are
/// relative to it (docs/numerics.md). O(nodes).
[[nodiscard]] double payoff_scale(const GameTree& tree);

/// The tree's payoff resolution: over the players, the smallest gap between two distinct leaf
/// payoffs of a player divided by that player's range (1 when constant). O(leaves log leaves).
[[nodiscard]] double payoff_resolution(const GameTree& tree);

/// The same tree with each player's payoffs moved by a positive affine map, (u - min) / 2^k with
/// 2^k the smallest power of two at least the player's range, so every payoff lies in [0, 1].
/// Equilibria (Nash, subgame-perfect, sequential) are unchanged; solvers working in doubles see
/// the same numbers whatever the payoffs' scale and shift. The division is exact; the
/// subtraction of the minimum rounds only when payoffs span more than 2^53 of their spacing.
/// O(nodes).
[[nodiscard]] GameTree normalized_payoffs(const GameTree& tree);

/// Most entries (one player's reduced strategies times that player's information sets) that the
/// enumeration of a reduced normal form may hold: a guard on memory (about 200 MB of moves) for
/// bushy trees, checked as the strategies are enumerated.
inline constexpr std::size_t kMaxReducedStrategyCells = 50'000'000;

/// An upper bound on `player`'s reduced pure strategies, counted from the leaves up (a sum over
/// the moves at the player's nodes, a product over the branches elsewhere); exact for perfect
/// recall when no information set spans several branches, larger otherwise. O(nodes); may be
/// +inf as a double.
[[nodiscard]] double reduced_strategy_bound(const GameTree& tree, int player);

/// The reduced normal form of `tree`. A player's reduced pure strategies choose one move at each
/// information set not excluded by the player's own earlier moves; they are ordered
/// lexicographically by move index over the player's information sets (in tree order), an
/// excluded information set counting before any move. Each strategy's label lists its moves at
/// the player's information sets in that order, joined by '.', with '*' for an excluded one
/// ("pass.take", "out.*"); a player without decisions has one strategy, "-". Throws InvalidGame
/// when the number of profiles (or of one player's strategies) would exceed
/// `limits.max_profiles`, or one player's strategies times information sets would exceed
/// kMaxReducedStrategyCells; the message gives reduced_strategy_bound as the estimate. Memory
/// stays within a small multiple of those limits. O(profiles * nodes).
[[nodiscard]] ReducedNormalForm reduce_to_normal_form(const GameTree& tree, GameLimits limits = {});
/// Same, the strategic game only.
[[nodiscard]] NormalFormGame reduced_normal_form(const GameTree& tree, GameLimits limits = {});

/// The reduced strategy of `player` that plays `infoset_moves[h]` at every information set h of
/// the tree (a pure behaviour strategy; entries of other players are ignored): its index in
/// `reduced.strategies[player]`. Throws std::invalid_argument when none matches.
[[nodiscard]] int reduced_strategy_index(const ReducedNormalForm& reduced, const GameTree& tree,
                                         int player, std::span<const int> infoset_moves);

/// Behaviour strategies of every player: probabilities[h][m] of move m at information set h
/// (GameTree::infosets() order).
using BehaviourProfile = std::vector<std::vector<double>>;

/// Throws std::invalid_argument naming the mismatch unless `behaviour` has one entry per
/// information set of `tree`, each with one probability per move.
void check_behaviour_profile(const GameTree& tree, const BehaviourProfile& behaviour);

/// The mixed strategies over the reduced pure strategies of `reduced` that are
/// realization-equivalent to `behaviour` (Kuhn's theorem): strategy s of player p gets the
/// product of the behaviour probabilities of its moves at the information sets it does not
/// exclude. Both give every player the same expected payoffs. Throws std::invalid_argument when
/// `behaviour` does not match the tree.
[[nodiscard]] MixedProfile reduced_mixed_profile(const ReducedNormalForm& reduced,
                                                 const GameTree& tree,
                                                 const BehaviourProfile& behaviour);

/// The probability of reaching each node under `behaviour` and chance, in prefix order (1 at the
/// root). Throws std::invalid_argument when `behaviour` does not match the tree's information
/// sets. O(nodes).
[[nodiscard]] std::vector<double> reach_probabilities(const GameTree& tree,
                                                      const BehaviourProfile& behaviour);

/// Expected payoff of each player from the root under `behaviour`. O(nodes).
[[nodiscard]] std::vector<double> behaviour_payoffs(const GameTree& tree,
                                                    const BehaviourProfile& behaviour);

/// Beliefs at the information sets under `behaviour` (Bayes' rule): for each information set,
/// the probability of each member node (in InfoSet::nodes order) given that the set is reached,
/// or nullopt when the set is reached with probability 0 (beliefs there are not determined by
/// the strategies). O(nodes).
[[nodiscard]] std::vector<std::optional<std::vector<double>>> infoset_beliefs(
    const GameTree& tree, const BehaviourProfile& behaviour);

}  // namespace stratagem
