#pragma once

#include <span>
#include <vector>

#include "stratagem/game/normal_form.hpp"

namespace stratagem {

/// A mixed strategy profile: a probability vector per player, in the game's action order.
/// Stored as one flat vector with per-player offsets. A value type; not tied to a game object,
/// but every query checks that the shapes agree.
class MixedProfile {
 public:
  MixedProfile() = default;
  /// Uniform mixture for every player of a game of the given shape.
  explicit MixedProfile(const std::vector<int>& shape);
  /// From explicit per-player vectors (not normalised; see is_distribution()).
  explicit MixedProfile(const std::vector<std::vector<double>>& probabilities);
  /// The pure profile that plays `actions[p]` with probability one.
  static MixedProfile pure(const std::vector<int>& shape, std::span<const int> actions);

  [[nodiscard]] int num_players() const { return static_cast<int>(shape_.size()); }
  [[nodiscard]] const std::vector<int>& shape() const { return shape_; }
  /// Probabilities of `player`'s actions; a view, no copy.
  [[nodiscard]] std::span<const double> probabilities(int player) const {
    return {values_.data() + offsets_[player], static_cast<std::size_t>(shape_[player])};
  }
  /// Mutable probabilities of `player`'s actions.
  [[nodiscard]] std::span<double> probabilities(int player) {
    return {values_.data() + offsets_[player], static_cast<std::size_t>(shape_[player])};
  }
  /// Probability of `player` playing `action`.
  [[nodiscard]] double operator()(int player, int action) const {
    return values_[offsets_[player] + action];
  }
  /// All probabilities, player after player.
  [[nodiscard]] const std::vector<double>& flat() const { return values_; }

  /// True when every vector is non-negative (>= -tol) and sums to 1 within tol.
  [[nodiscard]] bool is_distribution(double tol = 1e-9) const;
  /// True when every player puts probability > 1 - tol on one action; fills `actions` if given.
  [[nodiscard]] bool is_pure(double tol = 1e-12, std::vector<int>* actions = nullptr) const;
  /// Support of `player` (actions with probability > tol).
  [[nodiscard]] std::vector<int> support(int player, double tol = 1e-12) const;
  /// Largest absolute difference between two profiles of the same shape.
  [[nodiscard]] double distance(const MixedProfile& other) const;

 private:
  std::vector<int> shape_;
  std::vector<std::size_t> offsets_;
  std::vector<double> values_;
};

/// Expected payoff of `player` for each of its pure actions, the others playing `profile`.
/// O(num_profiles * num_players).
[[nodiscard]] std::vector<double> action_values(const NormalFormGame& game,
                                                const MixedProfile& profile, int player);
/// Expected payoff of every player under `profile`.
[[nodiscard]] std::vector<double> expected_payoffs(const NormalFormGame& game,
                                                   const MixedProfile& profile);
/// `player`'s pure best responses to `profile` (actions within `tol` of the best value).
[[nodiscard]] std::vector<int> best_responses(const NormalFormGame& game,
                                              const MixedProfile& profile, int player,
                                              double tol = 1e-9);
/// Regret of `player`: best pure-action value minus the expected payoff (>= 0 up to rounding).
[[nodiscard]] double regret(const NormalFormGame& game, const MixedProfile& profile, int player);
/// Regret of each player.
[[nodiscard]] std::vector<double> regrets(const NormalFormGame& game, const MixedProfile& profile);
/// Largest regret over the players: 0 exactly at a Nash equilibrium.
[[nodiscard]] double max_regret(const NormalFormGame& game, const MixedProfile& profile);

}  // namespace stratagem
