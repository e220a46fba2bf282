#pragma once

// Private to the engine: the scenario-file parser (one object per file). Its methods are
// defined in scenario_parse.cpp (header, parameters, attributes, actors) and
// scenario_parse_game.cpp (moves, rules, payoffs, game types).

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "scenario/loader.hpp"
#include "scenario/tree_model.hpp"

namespace stratagem::scenario_detail::parse_detail {

using Model = Scenario::Model;

inline const std::vector<std::string> kTopKeys = {
    "stratagem",  "name",       "description", "sources", "method",
    "parameters", "attributes", "actors",      "game",    "expect"};
inline const std::vector<std::string> kParameterKeys = {"value", "range", "unit", "doc",
                                                        "distribution"};
inline const std::vector<std::string> kAttributeKeys = {"initial", "range", "unit", "doc"};
inline const std::vector<std::string> kActorKeys = {"name", "weights", "terms", "doc"};
inline const std::vector<std::string> kGameKeys = {"type",   "moves",   "rules",
                                                   "matrix", "payoffs", "doc"};
inline const std::vector<std::string> kRepeatedKeys = {
    "type", "stage", "discount", "continuation", "horizon", "strategies", "profiles", "doc"};
inline const std::vector<std::string> kTreeGameKeys = {"type", "subtrees", "tree", "doc"};
/// Keys of a tree node (any kind; which ones a node may have depends on its kind).
inline const std::vector<std::string> kTreeNodeKeys = {
    "actor", "chance", "moves", "infoset", "name", "subtree", "set", "add", "outcome", "payoffs",
    "doc"};
inline const std::vector<std::string> kGameTypes = {"normal", "tree", "repeated"};
inline const std::vector<std::string> kMoveKeys = {"category", "doc", "set", "add"};
inline const std::vector<std::string> kRuleKeys = {"when", "set", "add", "doc"};
inline const std::vector<std::string> kCategories = {
    "concession", "energy", "sanction", "military", "diplomatic", "economic", "other"};
inline const std::vector<std::string> kDistributionKinds = {"uniform", "normal", "triangular",
                                                            "beta", "choice"};

/// Actor and move ids: letters, digits, '_', '-', '.'; not "*".
inline bool is_label(const std::string& text) {
  if (text.empty()) return false;
  return std::all_of(text.begin(), text.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
  });
}

inline int index_of(const std::vector<std::string>& names, const std::string& name) {
  const auto it = std::find(names.begin(), names.end(), name);
  return it == names.end() ? -1 : static_cast<int>(it - names.begin());
}

inline std::string bracketed(double lo, double hi) { return fmt::format("[{}, {}]", lo, hi); }

class ModelParser {
 public:
  explicit ModelParser(const std::string& file);

  std::unique_ptr<Model> run(const std::string& text);

 private:
  // ---- header -----------------------------------------------------------------------------

  void parse_header(const MapView& top);

  // ---- parameters and attributes ------------------------------------------------------------

  void check_variable_name(const Entry& entry, const std::string& kind);

  void parse_names(const MapView& top);

  /// A formula of earlier parameters (values known), evaluated now.
  double early_number(const YAML::Node& node, const SourceMark& where, const std::string& what,
                      const std::string& why);

  std::vector<double> early_numbers(const YAML::Node& node, const SourceMark& where,
                                    const std::string& what, const std::string& why);

  std::pair<double, double> early_range(const Entry& entry, const std::string& owner,
                                        const std::string& why);

  void parse_parameters();

  Distribution parse_distribution(const Entry& entry, const Parameter& p, const std::string& why);

  void parse_attributes();

  // ---- actors -------------------------------------------------------------------------------

  int attribute_index(const Entry& entry, const std::string& where) const;

  Formula model_formula(const Entry& entry, const std::string& what);

  void parse_actors(const MapView& top);

  // ---- game ---------------------------------------------------------------------------------

  int actor_index(const Entry& entry, const std::string& where) const;

  int move_index(int actor, const std::string& move, const SourceMark& where,
                 const std::string& context) const;

  void parse_effects(const MapView& spec, std::vector<Effect>& out, const std::string& owner);

  void parse_moves(const Entry& moves_entry);

  void parse_rules(const Entry& rules_entry);

  /// One payoff formula per actor, from a map actor -> formula or a list in actor order.
  /// Formulas may use parameters, and attributes too when `attributes_allowed` (tree leaves).
  std::vector<Formula> payoff_values(const YAML::Node& node, const SourceMark& where,
                                     const std::string& what, bool attributes_allowed = false);

  void parse_matrix(const Entry& entry);

  void parse_payoffs(const Entry& entry);

  void check_size();

  void check_coverage(const SourceMark& where);

  void parse_game(const MapView& top);

  /// moves:, rules:, matrix:/payoffs: of a normal-form game (or of a repeated game's stage).
  void parse_normal_block(const MapView& game, const Entry& game_entry);

  // ---- type: tree (scenario_parse_tree.cpp) --------------------------------------------------

  /// subtrees: and tree:; then the checks on the whole tree (cycles, size, information sets)
  /// and the structure facts (information sets, reduced-strategy labels as move_ids).
  void parse_tree(const MapView& game);

  /// One node (recursively its moves); returns its index in `tree.nodes`. `what` names the
  /// node in messages ("the root node", "move 'offer'").
  int parse_tree_node(TreeModel& tree, const YAML::Node& node, const SourceMark& where,
                      const std::string& what, int depth);

  void parse_decision(TreeModel& tree, TreeSpecNode& spec, const MapView& view,
                      const std::string& what, int depth);

  void parse_chance(TreeModel& tree, TreeSpecNode& spec, const MapView& view,
                    const std::string& what, int depth);

  void parse_leaf(TreeSpecNode& spec, const MapView& view, const std::string& what);

  /// `moves:` of a decision or chance node: each move's node, parsed recursively.
  void parse_tree_moves(TreeModel& tree, TreeSpecNode& spec, const MapView& moves,
                        const std::string& what, int depth);

  Reader reader_;
  std::unique_ptr<Model> model_;
  std::unique_ptr<MapView> parameters_;
  std::unique_ptr<MapView> attributes_;
  std::vector<std::string> parameter_names_;
  std::vector<std::string> attribute_names_;
  std::vector<std::string> all_names_;
  std::vector<std::string> earlier_names_;
  std::map<std::string, double> earlier_values_;
  bool has_weights_or_terms_ = false;
  SourceMark first_valuation_;
  SourceMark first_effect_;
  SourceMark actors_mark_;
};

}  // namespace stratagem::scenario_detail::parse_detail
