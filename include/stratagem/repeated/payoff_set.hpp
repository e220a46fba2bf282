#pragma once

#include <vector>

#include "stratagem/game/normal_form.hpp"
#include "stratagem/game/profile.hpp"

namespace stratagem {

/// A player's minmax value: the lowest payoff the others can hold the player to, when the player
/// best-responds. Pure: the others use pure actions; mixed: the others mix (two players: exact by
/// linear programming; more players: the others' joint (correlated) mixtures, a lower bound of
/// the independent-mixing value, flagged by `correlated`).
struct MinmaxValue {
  double pure = 0.0;
  double mixed = 0.0;
  std::vector<int> pure_punishment;            ///< others' pure actions achieving `pure` (own entry = best reply)
  MixedProfile mixed_punishment;               ///< others' mixtures achieving `mixed` (own = best reply)
  bool correlated = false;
};

/// Minmax values of every player of a stage game.
[[nodiscard]] std::vector<MinmaxValue> minmax_values(const NormalFormGame& stage);

/// The feasible payoff set (convex hull of pure payoff vectors) and its individually rational
/// part (payoffs at least each player's mixed minmax): the folk-theorem region.
struct PayoffRegion {
  /// Two players: polygon vertices in counter-clockwise order. More players: the extreme points.
  std::vector<std::vector<double>> feasible;
  /// Two players: the polygon of feasible, individually rational payoffs (may be empty).
  /// More players: the extreme points of feasible payoff vectors meeting every minmax bound
  /// among the pure payoff vectors (a description, not the full polytope).
  std::vector<std::vector<double>> individually_rational;
  std::vector<double> minmax;                  ///< the bounds used (mixed minmax)
};
[[nodiscard]] PayoffRegion payoff_region(const NormalFormGame& stage);

}  // namespace stratagem
