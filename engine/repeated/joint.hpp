#pragma once
// Private helpers shared by the repeated-game analyses: joint automaton states and noise.

#include <map>
#include <vector>

#include "stratagem/repeated/repeated_game.hpp"

namespace stratagem::repeated_detail {

/// Executed-move distribution when each intended move is replaced by a uniformly chosen other
/// move with probability `noise`.
std::vector<double> executed_mix(const std::vector<double>& intended, double noise);

/// Probability of each stage profile when players mix independently.
std::vector<double> profile_distribution(const NormalFormGame& stage,
                                         const std::vector<std::vector<double>>& mixes);

/// Every automaton's next state after `stage_profile`.
std::vector<int> next_joint(const AutomatonProfile& profile, const std::vector<int>& state,
                            std::size_t stage_profile);

/// Joint states reachable from the initial one: on the path of play (`any_history` false), or
/// under any sequence of profiles (true).
struct JointSpace {
  std::vector<std::vector<int>> states;
  std::map<std::vector<int>, int> index;
};
JointSpace explore(const NormalFormGame& stage, const AutomatonProfile& profile, bool any_history,
                   double noise);

/// Throws InvalidGame unless there is one valid automaton per player, in order.
void check_profile_shape(const NormalFormGame& stage, const AutomatonProfile& profile);

}  // namespace stratagem::repeated_detail
