#include "stratagem/game/normal_form.hpp"
#include "stratagem/game/rational.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>

#include <fmt/format.h>

namespace stratagem {

std::size_t NormalFormGame::index(std::span<const int> actions) const {
  if (actions.size() != shape_.size()) {
    throw InvalidGame(fmt::format("profile has {} actions, the game has {} players",
                                  actions.size(), shape_.size()));
  }
  std::size_t idx = 0;
  for (std::size_t p = 0; p < shape_.size(); ++p) {
    if (actions[p] < 0 || actions[p] >= shape_[p]) {
      throw InvalidGame(fmt::format("action {} of player {} is out of range 0..{}", actions[p],
                                    p, shape_[p] - 1));
    }
    idx += static_cast<std::size_t>(actions[p]) * strides_[p];
  }
  return idx;
}

std::vector<int> NormalFormGame::profile(std::size_t idx) const {
  std::vector<int> actions(shape_.size());
  for (std::size_t p = 0; p < shape_.size(); ++p) {
    actions[p] = static_cast<int>(idx % static_cast<std::size_t>(shape_[p]));
    idx /= static_cast<std::size_t>(shape_[p]);
  }
  return actions;
}

Eigen::MatrixXd NormalFormGame::matrix(int player) const {
  if (num_players() != 2) {
    throw InvalidGame(fmt::format("a payoff matrix needs two players; this game has {}",
                                  num_players()));
  }
  Eigen::MatrixXd m(shape_[0], shape_[1]);
  for (int i = 0; i < shape_[0]; ++i) {
    for (int j = 0; j < shape_[1]; ++j) {
      m(i, j) = payoffs_[player][static_cast<std::size_t>(i) + static_cast<std::size_t>(j) * strides_[1]];
    }
  }
  return m;
}

bool NormalFormGame::same_payoffs(const NormalFormGame& other, double tol) const {
  if (shape_ != other.shape_) return false;
  for (int p = 0; p < num_players(); ++p) {
    for (std::size_t i = 0; i < num_profiles_; ++i) {
      if (!(std::abs(payoffs_[p][i] - other.payoffs_[p][i]) <= tol)) return false;
    }
  }
  return true;
}

namespace {

/// Smallest and largest payoff of `player`.
std::pair<double, double> payoff_bounds(const NormalFormGame& game, int player) {
  const auto values = game.payoffs(player);
  const auto [lo, hi] = std::minmax_element(values.begin(), values.end());
  return {*lo, *hi};
}

/// True when a - b is computed exactly in double arithmetic (the rounding error of the
/// difference, recovered by Knuth's two-sum, is zero).
bool exact_difference(double a, double b) {
  const double s = a - b;
  const double bb = s - a;
  const double err = (a - (s - bb)) + (-b - bb);
  return err == 0.0 && std::isfinite(s);
}

}  // namespace

double payoff_scale(const NormalFormGame& game) {
  double scale = 0.0;
  for (int p = 0; p < game.num_players(); ++p) {
    const auto [lo, hi] = payoff_bounds(game, p);
    scale = std::max(scale, hi - lo);
  }
  return scale > 0.0 && std::isfinite(scale) ? scale : 1.0;
}

double payoff_resolution(const NormalFormGame& game) {
  double resolution = 1.0;
  std::vector<double> values;
  for (int p = 0; p < game.num_players(); ++p) {
    const auto payoffs = game.payoffs(p);
    values.assign(payoffs.begin(), payoffs.end());
    std::sort(values.begin(), values.end());
    const double range = values.back() - values.front();
    if (!(range > 0.0)) continue;
    for (std::size_t i = 1; i < values.size(); ++i) {
      const double gap = values[i] - values[i - 1];
      if (gap > 0.0) resolution = std::min(resolution, gap / range);
    }
  }
  return resolution;
}

PayoffNormalization payoff_normalization(double low, double high) {
  int exponent = 0;  // 2^exponent >= range, the smallest such power
  if (high > low && std::isfinite(high - low)) {
    std::frexp(high - low, &exponent);
    if (std::ldexp(1.0, exponent - 1) >= high - low) --exponent;
  }
  return {.low = low, .unit = std::ldexp(1.0, exponent)};
}

std::vector<PayoffNormalization> payoff_normalization(const NormalFormGame& game) {
  std::vector<PayoffNormalization> out;
  for (int p = 0; p < game.num_players(); ++p) {
    const auto [lo, hi] = payoff_bounds(game, p);
    out.push_back(payoff_normalization(lo, hi));
  }
  return out;
}

NormalFormGame normalized_payoffs(const NormalFormGame& game) {
  std::vector<std::vector<std::string>> actions;
  for (int p = 0; p < game.num_players(); ++p) actions.push_back(game.action_names(p));
  NormalFormBuilder builder(game.player_names(), std::move(actions),
                            GameLimits{.max_profiles = std::max<std::size_t>(game.num_profiles(), 1)});
  builder.set_title(game.title());
  const std::vector<PayoffNormalization> maps = payoff_normalization(game);
  for (int p = 0; p < game.num_players(); ++p) {
    const double lo = maps[static_cast<std::size_t>(p)].low;
    int exponent = 0;
    std::frexp(maps[static_cast<std::size_t>(p)].unit, &exponent);
    --exponent;  // unit = 2^exponent
    for (std::size_t i = 0; i < game.num_profiles(); ++i) {
      const double u = game.payoff(p, i);
      const double scaled = std::ldexp(u - lo, -exponent);
      if (!game.has_exact_payoffs() && exact_difference(u, lo) &&
          std::ldexp(scaled, exponent) == u - lo) {
        builder.set_payoff(i, p, scaled);
      } else {
        mpq_class q = game.exact_payoff(p, i) - mpq_class(lo);
        if (exponent > 0) {
          mpq_div_2exp(q.get_mpq_t(), q.get_mpq_t(), static_cast<mp_bitcnt_t>(exponent));
        } else if (exponent < 0) {
          mpq_mul_2exp(q.get_mpq_t(), q.get_mpq_t(), static_cast<mp_bitcnt_t>(-exponent));
        }
        builder.set_exact_payoff(i, p, q);
      }
    }
  }
  return std::move(builder).build();
}

NormalFormBuilder::NormalFormBuilder(std::vector<std::string> players,
                                     std::vector<std::vector<std::string>> actions,
                                     GameLimits limits) {
  if (players.empty()) throw InvalidGame("a game needs at least one player");
  if (actions.size() != players.size()) {
    throw InvalidGame(fmt::format("{} players but action lists for {}", players.size(),
                                  actions.size()));
  }
  std::set<std::string> seen_players;
  for (const auto& name : players) {
    if (!seen_players.insert(name).second) {
      throw InvalidGame(fmt::format("player name '{}' is used twice", name));
    }
  }
  game_.players_ = std::move(players);
  game_.actions_ = std::move(actions);
  std::size_t count = 1;
  for (std::size_t p = 0; p < game_.actions_.size(); ++p) {
    const auto& list = game_.actions_[p];
    if (list.empty()) {
      throw InvalidGame(fmt::format("player '{}' has no actions", game_.players_[p]));
    }
    std::set<std::string> seen;
    for (const auto& a : list) {
      if (!seen.insert(a).second) {
        throw InvalidGame(
            fmt::format("player '{}' has two actions labelled '{}'", game_.players_[p], a));
      }
    }
    game_.strides_.push_back(count);
    game_.shape_.push_back(static_cast<int>(list.size()));
    if (count > limits.max_profiles / list.size()) {
      throw InvalidGame(fmt::format(
          "the game has more than {} pure profiles (the limit); reduce the number of actions",
          limits.max_profiles));
    }
    count *= list.size();
  }
  if (count > limits.max_profiles) {
    throw InvalidGame(fmt::format("the game has {} pure profiles, more than the limit {}", count,
                                  limits.max_profiles));
  }
  game_.num_profiles_ = count;
  game_.payoffs_.assign(game_.players_.size(), std::vector<double>(count, 0.0));
  set_.assign(game_.players_.size(), std::vector<bool>(count, false));
}

namespace {
std::vector<std::vector<std::string>> numbered_actions(const std::vector<int>& shape) {
  std::vector<std::vector<std::string>> actions;
  for (int n : shape) {
    if (n < 1) throw InvalidGame("every player needs at least one action");
    std::vector<std::string> labels;
    for (int a = 1; a <= n; ++a) labels.push_back(std::to_string(a));
    actions.push_back(std::move(labels));
  }
  return actions;
}
}  // namespace

NormalFormBuilder::NormalFormBuilder(std::vector<std::string> players,
                                     const std::vector<int>& shape, GameLimits limits)
    : NormalFormBuilder(std::move(players), numbered_actions(shape), limits) {}

void NormalFormBuilder::set_payoffs(std::span<const int> actions, std::span<const double> payoffs) {
  set_payoffs(game_.index(actions), payoffs);
}

void NormalFormBuilder::set_payoffs(std::size_t idx, std::span<const double> payoffs) {
  if (payoffs.size() != game_.players_.size()) {
    throw InvalidGame(fmt::format("{} payoffs given for {} players", payoffs.size(),
                                  game_.players_.size()));
  }
  for (std::size_t p = 0; p < payoffs.size(); ++p) set_payoff(idx, static_cast<int>(p), payoffs[p]);
}

void NormalFormBuilder::set_payoff(std::size_t idx, int player, double value) {
  if (idx >= game_.num_profiles_ || player < 0 || player >= game_.num_players()) {
    throw InvalidGame(fmt::format("payoff index out of range (profile {}, player {})", idx, player));
  }
  game_.payoffs_[player][idx] = value;
  set_[player][idx] = true;
  if (!exact_set_.empty()) exact_set_[player][idx] = false;
}

void NormalFormBuilder::set_exact_payoff(std::size_t idx, int player, const mpq_class& value) {
  const double nearest = nearest_double(value);
  set_payoff(idx, player, nearest);
  if (mpq_class(nearest) == value) return;  // the double is exact: nothing to store apart
  if (exact_set_.empty()) {
    exact_set_.assign(game_.players_.size(), std::vector<bool>(game_.num_profiles_, false));
    game_.exact_payoffs_.assign(game_.players_.size(),
                                std::vector<mpq_class>(game_.num_profiles_));
  }
  game_.exact_payoffs_[player][idx] = value;
  game_.exact_payoffs_[player][idx].canonicalize();
  exact_set_[player][idx] = true;
}

NormalFormGame NormalFormBuilder::build() && {
  for (int p = 0; p < game_.num_players(); ++p) {
    for (std::size_t i = 0; i < game_.num_profiles_; ++i) {
      if (!set_[p][i]) {
        const auto actions = game_.profile(i);
        throw InvalidGame(fmt::format("no payoff for player '{}' at profile {}",
                                      game_.players_[p], profile_label(game_, actions)));
      }
      if (!std::isfinite(game_.payoffs_[p][i])) {
        const auto actions = game_.profile(i);
        throw InvalidGame(fmt::format("payoff of player '{}' at profile {} is {}",
                                      game_.players_[p], profile_label(game_, actions),
                                      game_.payoffs_[p][i]));
      }
    }
  }
  for (std::size_t p = 0; p < exact_set_.size(); ++p) {
    for (std::size_t i = 0; i < game_.num_profiles_; ++i) {
      if (!exact_set_[p][i]) game_.exact_payoffs_[p][i] = mpq_class(game_.payoffs_[p][i]);
    }
  }
  set_.clear();
  exact_set_.clear();
  return std::move(game_);
}

std::string profile_label(const NormalFormGame& game, std::span<const int> actions) {
  std::string out = "(";
  for (std::size_t p = 0; p < actions.size(); ++p) {
    if (p > 0) out += ", ";
    out += game.action_name(static_cast<int>(p), actions[p]);
  }
  return out + ")";
}

}  // namespace stratagem
