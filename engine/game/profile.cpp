#include "stratagem/game/profile.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include <fmt/format.h>

namespace stratagem {

MixedProfile::MixedProfile(const std::vector<int>& shape) : shape_(shape) {
  std::size_t offset = 0;
  for (int n : shape_) {
    offsets_.push_back(offset);
    offset += static_cast<std::size_t>(n);
  }
  values_.resize(offset);
  for (std::size_t p = 0; p < shape_.size(); ++p) {
    std::fill_n(values_.begin() + static_cast<std::ptrdiff_t>(offsets_[p]), shape_[p],
                1.0 / shape_[p]);
  }
}

MixedProfile::MixedProfile(const std::vector<std::vector<double>>& probabilities) {
  std::size_t offset = 0;
  for (const auto& v : probabilities) {
    shape_.push_back(static_cast<int>(v.size()));
    offsets_.push_back(offset);
    offset += v.size();
    values_.insert(values_.end(), v.begin(), v.end());
  }
}

MixedProfile MixedProfile::pure(const std::vector<int>& shape, std::span<const int> actions) {
  MixedProfile profile(shape);
  std::fill(profile.values_.begin(), profile.values_.end(), 0.0);
  for (std::size_t p = 0; p < shape.size(); ++p) {
    profile.values_[profile.offsets_[p] + static_cast<std::size_t>(actions[p])] = 1.0;
  }
  return profile;
}

bool MixedProfile::is_distribution(double tol) const {
  for (int p = 0; p < num_players(); ++p) {
    double sum = 0.0;
    for (double x : probabilities(p)) {
      if (!(x >= -tol)) return false;
      sum += x;
    }
    if (std::abs(sum - 1.0) > tol) return false;
  }
  return true;
}

bool MixedProfile::is_pure(double tol, std::vector<int>* actions) const {
  std::vector<int> chosen;
  for (int p = 0; p < num_players(); ++p) {
    const auto probs = probabilities(p);
    const auto it = std::max_element(probs.begin(), probs.end());
    if (it == probs.end() || *it < 1.0 - tol) return false;
    chosen.push_back(static_cast<int>(it - probs.begin()));
  }
  if (actions != nullptr) *actions = std::move(chosen);
  return true;
}

std::vector<int> MixedProfile::support(int player, double tol) const {
  std::vector<int> out;
  const auto probs = probabilities(player);
  for (std::size_t a = 0; a < probs.size(); ++a) {
    if (probs[a] > tol) out.push_back(static_cast<int>(a));
  }
  return out;
}

double MixedProfile::distance(const MixedProfile& other) const {
  if (shape_ != other.shape_) return std::numeric_limits<double>::infinity();
  double d = 0.0;
  for (std::size_t i = 0; i < values_.size(); ++i) {
    d = std::max(d, std::abs(values_[i] - other.values_[i]));
  }
  return d;
}

namespace {
void check_shape(const NormalFormGame& game, const MixedProfile& profile) {
  if (game.shape() != profile.shape()) {
    throw std::invalid_argument("profile shape does not match the game");
  }
}
}  // namespace

std::vector<double> action_values(const NormalFormGame& game, const MixedProfile& profile,
                                  int player) {
  check_shape(game, profile);
  const int n = game.num_players();
  std::vector<double> values(static_cast<std::size_t>(game.num_actions(player)), 0.0);
  const auto payoffs = game.payoffs(player);
  if (n == 2) {
    // Fast path: a matrix-vector product over the opponent's mixture.
    const int other = 1 - player;
    const auto q = profile.probabilities(other);
    for (int a = 0; a < game.num_actions(player); ++a) {
      double sum = 0.0;
      for (int b = 0; b < game.num_actions(other); ++b) {
        if (q[b] == 0.0) continue;
        const std::size_t idx = static_cast<std::size_t>(a) * game.stride(player) +
                                static_cast<std::size_t>(b) * game.stride(other);
        sum += q[b] * payoffs[idx];
      }
      values[a] = sum;
    }
    return values;
  }
  // General case: walk the profiles of the others' supports only (an odometer over each other
  // player's actions of positive probability), weighting by their probabilities; for each, add
  // this player's payoff of every own action. Costs the product of the others' support sizes
  // times this player's actions, not the whole table (a pure profile of 16 players: 2 entries
  // per action instead of 65,536).
  struct Support {
    std::vector<int> actions;  // of positive probability
    int at = 0;                // odometer position
  };
  std::vector<Support> supports(static_cast<std::size_t>(n));
  for (int q = 0; q < n; ++q) {
    if (q == player) continue;
    for (int a = 0; a < game.num_actions(q); ++a) {
      if (profile(q, a) != 0.0) supports[static_cast<std::size_t>(q)].actions.push_back(a);
    }
    if (supports[static_cast<std::size_t>(q)].actions.empty()) return values;  // no weight
  }
  const std::size_t own_stride = game.stride(player);
  while (true) {
    double w = 1.0;
    std::size_t base = 0;
    for (int q = 0; q < n; ++q) {
      if (q == player) continue;
      const auto& s = supports[static_cast<std::size_t>(q)];
      const int a = s.actions[static_cast<std::size_t>(s.at)];
      w *= profile(q, a);
      base += static_cast<std::size_t>(a) * game.stride(q);
    }
    for (int a = 0; a < game.num_actions(player); ++a) {
      values[static_cast<std::size_t>(a)] +=
          w * payoffs[base + static_cast<std::size_t>(a) * own_stride];
    }
    int q = 0;
    for (; q < n; ++q) {  // odometer, first player fastest
      if (q == player) continue;
      auto& s = supports[static_cast<std::size_t>(q)];
      if (++s.at < static_cast<int>(s.actions.size())) break;
      s.at = 0;
    }
    if (q == n) break;
  }
  return values;
}

std::vector<double> expected_payoffs(const NormalFormGame& game, const MixedProfile& profile) {
  std::vector<double> out;
  for (int p = 0; p < game.num_players(); ++p) {
    const auto values = action_values(game, profile, p);
    const auto probs = profile.probabilities(p);
    double sum = 0.0;
    for (std::size_t a = 0; a < values.size(); ++a) sum += probs[a] * values[a];
    out.push_back(sum);
  }
  return out;
}

std::vector<int> best_responses(const NormalFormGame& game, const MixedProfile& profile,
                                int player, double tol) {
  const auto values = action_values(game, profile, player);
  const double best = *std::max_element(values.begin(), values.end());
  std::vector<int> out;
  for (std::size_t a = 0; a < values.size(); ++a) {
    if (values[a] >= best - tol) out.push_back(static_cast<int>(a));
  }
  return out;
}

double regret(const NormalFormGame& game, const MixedProfile& profile, int player) {
  const auto values = action_values(game, profile, player);
  const auto probs = profile.probabilities(player);
  double expected = 0.0;
  for (std::size_t a = 0; a < values.size(); ++a) expected += probs[a] * values[a];
  return *std::max_element(values.begin(), values.end()) - expected;
}

std::vector<double> regrets(const NormalFormGame& game, const MixedProfile& profile) {
  std::vector<double> out;
  for (int p = 0; p < game.num_players(); ++p) out.push_back(regret(game, profile, p));
  return out;
}

double max_regret(const NormalFormGame& game, const MixedProfile& profile) {
  double worst = 0.0;
  for (int p = 0; p < game.num_players(); ++p) worst = std::max(worst, regret(game, profile, p));
  return worst;
}

}  // namespace stratagem
