#pragma once

#include "stratagem/game/tree.hpp"

namespace stratagem {

/// The largest gain any player gets by switching from `behaviour` (behaviour[h][m] over every
/// information set, as in BehaviorEquilibrium) to a best response, payoffs from the root: 0 for a
/// Nash equilibrium. Computed without the sequence-form LCP: each player's best response is found
/// by backward recursion over that player's own sequences, given chance and the others' behaviour.
/// Any number of players. Throws InvalidGame when a player lacks perfect recall and
/// std::invalid_argument when `behaviour` does not match the tree's information sets. O(players *
/// nodes). Thread-safe.
[[nodiscard]] double sequence_form_nash_gain(const GameTree& tree,
                                             const BehaviourProfile& behaviour);

}  // namespace stratagem
