#pragma once

#include <cstddef>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include <Eigen/Dense>
#include <gmpxx.h>

namespace stratagem {

/// Thrown when a game cannot be built: inconsistent sizes, missing payoffs, too many profiles.
class InvalidGame : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Size limits applied when a game is built, so that a huge game is an error, not an OOM crash.
struct GameLimits {
  /// Largest number of pure profiles a normal-form game may have.
  std::size_t max_profiles = 20'000'000;
};

/// A finite game in strategic (normal) form: n >= 1 players, each with >= 1 actions.
///
/// Payoffs are stored as one contiguous array per player, indexed by the mixed-radix profile
/// index in which the *first* player's action changes fastest (Gambit's .nfg order):
/// index = sum_p action_p * stride(p), stride(0) = 1, stride(p+1) = stride(p) * num_actions(p).
/// Immutable once built (see NormalFormBuilder); safe to share between threads.
class NormalFormGame {
 public:
  /// Number of players (>= 1).
  [[nodiscard]] int num_players() const { return static_cast<int>(players_.size()); }
  /// Number of actions of `player`.
  [[nodiscard]] int num_actions(int player) const { return static_cast<int>(actions_[player].size()); }
  /// Number of actions of every player, in player order.
  [[nodiscard]] const std::vector<int>& shape() const { return shape_; }
  /// Number of pure strategy profiles (product of the action counts).
  [[nodiscard]] std::size_t num_profiles() const { return num_profiles_; }
  /// Stride of `player`'s action in the profile index.
  [[nodiscard]] std::size_t stride(int player) const { return strides_[player]; }

  /// Title of the game (may be empty).
  [[nodiscard]] const std::string& title() const { return title_; }
  /// Label of `player`.
  [[nodiscard]] const std::string& player_name(int player) const { return players_[player]; }
  /// Labels of all players.
  [[nodiscard]] const std::vector<std::string>& player_names() const { return players_; }
  /// Label of `player`'s action `action`.
  [[nodiscard]] const std::string& action_name(int player, int action) const {
    return actions_[player][action];
  }
  /// Labels of `player`'s actions.
  [[nodiscard]] const std::vector<std::string>& action_names(int player) const {
    return actions_[player];
  }

  /// Payoff of `player` at the profile with index `profile`.
  [[nodiscard]] double payoff(int player, std::size_t profile) const {
    return payoffs_[player][profile];
  }
  /// All payoffs of `player`, indexed by profile index; a view, no copy.
  [[nodiscard]] std::span<const double> payoffs(int player) const { return payoffs_[player]; }
  /// Exact payoff of `player` at profile `profile`: the rational given to
  /// NormalFormBuilder::set_exact_payoff, otherwise the exact binary value of payoff(). O(1).
  [[nodiscard]] mpq_class exact_payoff(int player, std::size_t profile) const {
    return exact_payoffs_.empty() ? mpq_class(payoffs_[player][profile])
                                  : exact_payoffs_[player][profile];
  }
  /// True when some payoff was given as a rational that no double represents exactly.
  [[nodiscard]] bool has_exact_payoffs() const { return !exact_payoffs_.empty(); }

  /// Profile index of a pure profile (one action per player). O(n).
  [[nodiscard]] std::size_t index(std::span<const int> actions) const;
  /// Pure profile (one action per player) of a profile index. O(n).
  [[nodiscard]] std::vector<int> profile(std::size_t index) const;
  /// Action of `player` in the profile with index `index`. O(1).
  [[nodiscard]] int action_of(std::size_t index, int player) const {
    return static_cast<int>((index / strides_[player]) % shape_[player]);
  }

  /// Two-player games only: `player`'s payoffs as a matrix, rows = player 0's actions,
  /// columns = player 1's actions. Throws InvalidGame for other player counts.
  [[nodiscard]] Eigen::MatrixXd matrix(int player) const;

  /// True when the game has the same action labels for a player and  payoffs equal within `tol`.
  [[nodiscard]] bool same_payoffs(const NormalFormGame& other, double tol) const;

 private:
  friend class NormalFormBuilder;
  NormalFormGame() = default;

  std::string title_;
  std::vector<std::string> players_;
  std::vector<std::vector<std::string>> actions_;
  std::vector<int> shape_;
  std::vector<std::size_t> strides_;
  std::size_t num_profiles_ = 0;
  std::vector<std::vector<double>> payoffs_;
  /// Empty unless a payoff was set as a non-dyadic rational; then one entry per payoff.
  std::vector<std::vector<mpq_class>> exact_payoffs_;
};

/// Builds a NormalFormGame; every profile's payoffs must be set before build().
/// Not thread-safe; a builder is used once.
class NormalFormBuilder {
 public:
  /// Players with their action labels. Throws InvalidGame when there are no players, a
  /// player has no actions, labels repeat, or the profile count exceeds `limits.max_profiles`.
  NormalFormBuilder(std::vector<std::string> players,
                    std::vector<std::vector<std::string>> actions, GameLimits limits = {});
  /// Players with action counts; actions are labelled "1", "2", ....
  NormalFormBuilder(std::vector<std::string> players, const std::vector<int>& shape,
                    GameLimits limits = {});

  /// Sets the title.
  void set_title(std::string title) { game_.title_ = std::move(title); }
  /// Sets every player's payoff at a pure profile. `payoffs.size()` must equal num_players.
  void set_payoffs(std::span<const int> actions, std::span<const double> payoffs);
  /// Sets every player's payoff at a profile index.
  void set_payoffs(std::size_t index, std::span<const double> payoffs);
  /// Sets one player's payoff at a profile index.
  void set_payoff(std::size_t index, int player, double value);
  /// Sets one player's payoff as an exact rational; the double payoff becomes the nearest
  /// double. Only values that no double represents exactly (such as 1/10) are stored apart.
  void set_exact_payoff(std::size_t index, int player, const mpq_class& value);

  /// Shape of the game being built.
  [[nodiscard]] const std::vector<int>& shape() const { return game_.shape_; }
  /// Number of profiles of the game being built.
  [[nodiscard]] std::size_t num_profiles() const { return game_.num_profiles_; }
  /// The game being built (payoffs not yet complete); useful for profile/index helpers.
  [[nodiscard]] const NormalFormGame& peek() const { return game_; }

  /// Finishes the game. Throws InvalidGame naming the first profile with a missing payoff,
  /// or a payoff that is NaN or infinite.
  [[nodiscard]] NormalFormGame build() &&;

 private:
  NormalFormGame game_;
  std::vector<std::vector<bool>> set_;
  std::vector<std::vector<bool>> exact_set_;  ///< empty until an exact payoff is stored
};

/// Largest payoff range of any player, max - min over the profiles; 1 when every player's
/// payoffs are constant. The unit of every payoff tolerance (docs/numerics.md): a regret or a
/// gain is "zero" when it is at most tolerance * payoff_scale(game). O(profiles * players).
[[nodiscard]] double payoff_scale(const NormalFormGame& game);

/// The game's payoff resolution: over the players, the smallest gap between two distinct payoffs
/// of the same player divided by that player's range (1 when a player's payoffs are constant).
/// A solver working in doubles cannot separate payoffs closer than about 1e-13 of the range,
/// so a resolution below that asks for exact arithmetic. O(profiles log profiles * players).
[[nodiscard]] double payoff_resolution(const NormalFormGame& game);

/// The same game with each player's payoffs moved by a positive affine map, (u - min) / 2^k with
/// 2^k the smallest power of two at least the player's range, so every payoff lies in [0, 1].
/// Nash equilibria are unchanged. The map is exact: where a double subtraction would round,
/// the payoff is stored as the exact rational (see NormalFormGame::exact_payoff), so exact
/// solvers see exactly the transformed game and ties stay ties. O(profiles * players).
[[nodiscard]] NormalFormGame normalized_payoffs(const NormalFormGame& game);

/// The map normalized_payoffs() applies to each player's payoffs: u = low + unit * x for x in
/// the normalized game (unit a power of two; 1 for a player with constant payoffs).
struct PayoffNormalization {
  double low = 0.0;
  double unit = 1.0;
};
[[nodiscard]] std::vector<PayoffNormalization> payoff_normalization(const NormalFormGame& game);
/// The map for payoffs ranging over [low, high]: low, and the smallest power of two at least
/// high - low (1 when they are equal or the range is not finite). Trees use it too.
[[nodiscard]] PayoffNormalization payoff_normalization(double low, double high);

/// Human-readable name of a pure profile, e.g. "(defect, cooperate)".
[[nodiscard]] std::string profile_label(const NormalFormGame& game, std::span<const int> actions);

}  // namespace stratagem
