#pragma once

// Private to the engine: the parsed contents of a scenario file (plain data with source marks).

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "scenario/formula.hpp"
#include "scenario/repeated_model.hpp"
#include "stratagem/game/normal_form.hpp"
#include "stratagem/scenario/scenario.hpp"

namespace stratagem::scenario_detail {

/// One component of the outcome vector.
struct Attribute {
  std::string name;
  Formula initial;                                  ///< of parameters
  std::optional<std::pair<Formula, Formula>> range; ///< of parameters; checked after each profile
  std::string unit;
  std::string doc;
  SourceMark mark;
};

/// `set: {attr: f}` (add = false) or `add: {attr: f}` (add = true).
struct Effect {
  int attribute = 0;  ///< index into Model::attributes
  bool add = false;
  Formula value;      ///< of parameters and attributes (current values)
  SourceMark mark;    ///< the attribute key inside set:/add:
};

/// One move of an actor.
struct Move {
  std::string id;
  std::string category = "other";
  std::string doc;
  std::vector<Effect> effects;  ///< all sets, then all adds
  SourceMark mark;
};

/// One actor's valuation of outcomes.
struct Actor {
  std::vector<std::pair<int, Formula>> weights;        ///< attribute index -> weight
  std::vector<std::pair<std::string, Formula>> terms;  ///< named formula terms
  std::string doc;
  SourceMark mark;
};

/// A `rules:` entry: effects applied when every actor's move is among the allowed ones.
struct Rule {
  std::vector<std::vector<int>> allowed;  ///< per actor: allowed move indices; empty = any
  std::vector<Effect> effects;            ///< all sets, then all adds
  SourceMark mark;
};

struct TreeModel;  // tree_model.hpp

/// A direct payoff entry (`payoffs:` entry or `matrix:` cell).
struct PayoffEntry {
  std::vector<int> pattern;     ///< per actor: move index or -1 for any
  std::vector<Formula> values;  ///< per actor, of parameters
  SourceMark mark;
};

}  // namespace stratagem::scenario_detail

namespace stratagem {

/// Parsed contents of a scenario file. Immutable once built by the parser.
struct Scenario::Model {
  std::string file;
  std::string name;
  std::string description;
  std::vector<std::string> sources;
  std::string method;
  std::string game_type = "normal";

  std::vector<Parameter> parameters;                         ///< file order
  std::vector<scenario_detail::Formula> parameter_formulas;  ///< `value` of each parameter
  std::vector<scenario_detail::Attribute> attributes;        ///< file order

  std::vector<std::string> actor_ids;
  std::vector<std::string> actor_names;
  std::vector<scenario_detail::Actor> actors;
  std::vector<std::vector<std::string>> move_ids;  ///< per actor
  std::vector<std::vector<scenario_detail::Move>> moves;
  std::vector<scenario_detail::Rule> rules;

  bool direct_payoffs = false;  ///< matrix:/payoffs: instead of weights and terms
  std::vector<scenario_detail::PayoffEntry> payoff_entries;

  std::vector<Expectation> expectations;

  /// `type: repeated`: strategies, discounting and profiles (the stage game is the rest).
  std::shared_ptr<const scenario_detail::RepeatedModel> repeated;
  /// `type: tree`: the nodes as written and the structure of the expanded tree. For a tree,
  /// `move_ids` holds each actor's reduced-strategy labels and `moves` is empty.
  std::shared_ptr<const scenario_detail::TreeModel> tree;

  GameLimits limits;
  SourceMark moves_mark;  ///< the `moves:` key (game size errors point here)

  /// Names of all formula variables: parameters, then attributes.
  [[nodiscard]] std::vector<std::string> variable_names() const {
    std::vector<std::string> names;
    for (const auto& p : parameters) names.push_back(p.name);
    for (const auto& a : attributes) names.push_back(a.name);
    return names;
  }
};

}  // namespace stratagem
