#pragma once

#include <optional>
#include <string>
#include <vector>

#include "stratagem/repeated/repeated_game.hpp"
#include "stratagem/scenario/scenario.hpp"

namespace stratagem {

/// One assertion about a repeated game in an `expect:` block (entries with `profile:`).
struct RepeatedExpectation {
  std::string profile;                    ///< a name from `profiles:`
  ParameterValues at;                     ///< parameter overrides
  std::optional<double> delta;            ///< common discount factor (default: the file's)
  double noise = 0.0;
  std::optional<bool> subgame_perfect;    ///< expected verdict at delta
  std::optional<bool> nash;
  /// Expected smallest delta for subgame perfection: a number, or "never" (stored as nullopt
  /// in the inner optional).
  std::optional<std::optional<double>> critical_delta;
  std::optional<std::optional<double>> critical_delta_nash;
  double tolerance = 1e-6;
  SourceMark mark;
};

/// A `type: repeated` scenario bound at one parameter point.
struct RepeatedSetup {
  RepeatedGame game;                           ///< stage game, discount per actor, continuation, horizon
  std::vector<std::string> strategy_names;     ///< declared strategies, file order
  std::vector<std::vector<Automaton>> strategies;  ///< [strategy][k]: one automaton, or one per actor when shared
  std::vector<std::string> profile_names;      ///< declared profiles, file order
  std::vector<AutomatonProfile> profiles;      ///< one automaton per actor
  std::vector<std::string> warnings;           ///< e.g. unreachable states
};

/// Binds a repeated scenario at `values`. Throws InputError (with the file position) for a
/// scenario that is not `type: repeated`, discount factors outside (0, 1), probabilities that
/// do not form a distribution, and the like.
[[nodiscard]] RepeatedSetup bind_repeated(const Scenario& scenario, const ParameterValues& values);

/// The repeated-game assertions of the `expect:` block (empty for other scenarios).
[[nodiscard]] const std::vector<RepeatedExpectation>& repeated_expectations(const Scenario& scenario);

/// A profile from strategy names, one per actor in actor order ("grim,tft"), or the name of a
/// shared (phase) strategy or of a declared profile. Throws InputError (file "--check") with a
/// suggestion for unknown names or a strategy used for the wrong actor.
[[nodiscard]] AutomatonProfile resolve_profile(const Scenario& scenario, const RepeatedSetup& setup,
                                               const std::string& spec);

}  // namespace stratagem
