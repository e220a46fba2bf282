#pragma once

#include <string>
#include <vector>

#include "stratagem/game/normal_form.hpp"

namespace stratagem {

/// A finite-state strategy for one player of a repeated game (a Moore machine).
///
/// In each state the player plays a probability mix over its own stage actions; after every
/// round the state changes according to the *observed action profile* (everyone's realised
/// moves, own included), indexed by the stage game's profile index. So tit-for-tat (which
/// watches only the other side) and phase strategies (which restart a punishment after anyone's
/// deviation) are both expressible. A value type; validate() before use.
struct Automaton {
  std::string name;                            ///< e.g. "grim", "russia_policy"
  int player = 0;                              ///< which stage-game player runs it
  std::vector<std::string> states;             ///< state names
  std::vector<std::vector<double>> play;       ///< [state][own action] probabilities
  std::vector<std::vector<int>> next;          ///< [state][stage profile index] -> state
  int initial = 0;                             ///< initial state

  [[nodiscard]] int num_states() const { return static_cast<int>(states.size()); }
  /// True when every state plays one action with probability one.
  [[nodiscard]] bool deterministic() const;
};

/// Checks sizes, probabilities (non-negative, summing to 1) and transition targets against the
/// stage game; throws InvalidGame naming the automaton, state and problem.
void validate(const Automaton& automaton, const NormalFormGame& stage);

/// States of `automaton` reachable from its initial state under some sequence of profiles
/// (any moves by anyone); unreachable states are worth a warning.
[[nodiscard]] std::vector<bool> reachable_states(const Automaton& automaton);

/// Which moves a built-in strategy treats as "cooperate" (reward) and "defect" (punish), per
/// player: a two-action stage game names them for each side; a larger game names the reward
/// and punishment move of each player.
struct MoveRoles {
  std::vector<int> cooperate;  ///< [player] action index
  std::vector<int> defect;     ///< [player] action index
};

/// Names of the built-in strategies, for help and error messages.
[[nodiscard]] const std::vector<std::string>& builtin_strategy_names();

/// Parameters of built-in strategies that take them.
struct BuiltinOptions {
  int k = 1;                 ///< forgiving_trigger: rounds of punishment
  double generosity = 1.0 / 3.0;  ///< generous_tft: probability of cooperating after a defection
};

/// A built-in strategy for `player`:
/// always_cooperate, always_defect, grim (cooperate until anyone, oneself included, deviates
/// from the cooperative profile, then defect forever), tit_for_tat (copy the others: cooperate iff every other player cooperated last
/// round), tit_for_two_tats (defect only after two consecutive rounds with a defection by
/// another), suspicious_tft (tit-for-tat starting with defect), win_stay_lose_shift (Pavlov:
/// repeat the move just played when the others cooperated, switch from it otherwise), generous_tft (tit-for-tat
/// that cooperates with probability `generosity` after a defection), forgiving_trigger
/// (carrot and stick: after any deviation from the cooperative profile by anyone, everyone's
/// punishment move for k rounds, restarting on a deviation from the punishment, then back to
/// cooperation), alternate (cooperate, defect, cooperate, ...).
/// Throws InvalidGame for an unknown name (with a suggestion) or bad options.
[[nodiscard]] Automaton builtin_strategy(const std::string& name, const NormalFormGame& stage,
                                         int player, const MoveRoles& roles,
                                         const BuiltinOptions& options = {});

}  // namespace stratagem
