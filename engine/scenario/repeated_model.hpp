#pragma once

// Private to the engine: the parsed `type: repeated` part of a scenario (strategies written as
// automata, discounting, profiles), kept as formulas until bound at a parameter point.

#include <optional>
#include <string>
#include <vector>

#include "scenario/formula.hpp"
#include "scenario/yaml_reader.hpp"
#include "stratagem/scenario/repeated.hpp"

namespace stratagem::scenario_detail {

/// `when: {actor: move | "*" | [moves]}` -> `to: state`; first matching transition wins.
struct TransitionSpec {
  std::vector<std::vector<int>> allowed;  ///< per actor: allowed moves; empty = any
  int to = 0;
  SourceMark mark;
};

/// One automaton state. For a shared (phase) automaton `play` has one mix per actor; otherwise
/// one mix for the strategy's actor. A mix is (move, probability formula) pairs.
struct StateSpec {
  std::string name;
  std::vector<std::vector<std::pair<int, Formula>>> play;
  std::vector<TransitionSpec> next;
  SourceMark mark;
};

struct StrategySpec {
  std::string name;
  int actor = -1;            ///< -1 when shared by all actors
  std::string builtin;       ///< a built-in strategy name, or empty for `states:`
  std::vector<int> cooperate, defect;  ///< built-ins: per actor
  std::optional<Formula> k, generosity;
  std::vector<StateSpec> states;
  int initial = 0;
  SourceMark mark;
};

struct ProfileSpec {
  std::string name;
  std::vector<int> strategy;  ///< per actor: index into strategies
  SourceMark mark;
};

struct RepeatedModel {
  std::vector<Formula> discount;          ///< one (common) or one per actor
  std::optional<Formula> continuation;
  std::optional<int> horizon;
  std::vector<StrategySpec> strategies;
  std::vector<ProfileSpec> profiles;
  std::vector<RepeatedExpectation> expectations;
  std::vector<Formula> expectation_probabilities;  ///< unused; keeps formulas alive if needed
};

/// Parses the repeated-game keys of `game:` (discount, continuation, horizon, strategies,
/// profiles) after the stage game's moves are known. `known` lists formula variables.
[[nodiscard]] RepeatedModel parse_repeated(const Reader& reader, const MapView& game,
                                           const std::vector<std::string>& actor_ids,
                                           const std::vector<std::vector<std::string>>& move_ids,
                                           const std::vector<std::string>& known);

/// Parses one `expect:` entry that names a `profile:`.
[[nodiscard]] RepeatedExpectation parse_repeated_expectation(
    const Reader& reader, const Entry& item, const RepeatedModel& model,
    const std::vector<std::string>& parameter_names);

}  // namespace stratagem::scenario_detail
