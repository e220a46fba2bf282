#pragma once

#include <random>
#include <string>
#include <vector>

#include "stratagem/game/normal_form.hpp"

namespace stratagem::testing {

/// A two-player game from row-major payoff tables a[i][j], b[i][j].
inline NormalFormGame bimatrix(const std::vector<std::vector<double>>& a,
                               const std::vector<std::vector<double>>& b) {
  NormalFormBuilder builder({"row", "column"},
                            {static_cast<int>(a.size()), static_cast<int>(a[0].size())});
  for (std::size_t i = 0; i < a.size(); ++i) {
    for (std::size_t j = 0; j < a[i].size(); ++j) {
      const int actions[] = {static_cast<int>(i), static_cast<int>(j)};
      const double payoffs[] = {a[i][j], b[i][j]};
      builder.set_payoffs(actions, payoffs);
    }
  }
  return std::move(builder).build();
}

/// A game of the given shape with integer payoffs drawn uniformly from [lo, hi] (fixed seed).
inline NormalFormGame random_game(const std::vector<int>& shape, unsigned seed, int lo = 0,
                                  int hi = 999) {
  std::vector<std::string> players;
  for (std::size_t p = 0; p < shape.size(); ++p) players.push_back("p" + std::to_string(p + 1));
  NormalFormBuilder builder(players, shape);
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<int> dist(lo, hi);
  std::vector<double> payoffs(shape.size());
  for (std::size_t i = 0; i < builder.num_profiles(); ++i) {
    for (auto& x : payoffs) x = dist(rng);
    builder.set_payoffs(i, payoffs);
  }
  return std::move(builder).build();
}

/// A game with continuous random payoffs (nondegenerate with probability one).
inline NormalFormGame random_real_game(const std::vector<int>& shape, unsigned seed) {
  std::vector<std::string> players;
  for (std::size_t p = 0; p < shape.size(); ++p) players.push_back("p" + std::to_string(p + 1));
  NormalFormBuilder builder(players, shape);
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> dist(-1.0, 1.0);
  std::vector<double> payoffs(shape.size());
  for (std::size_t i = 0; i < builder.num_profiles(); ++i) {
    for (auto& x : payoffs) x = dist(rng);
    builder.set_payoffs(i, payoffs);
  }
  return std::move(builder).build();
}

}  // namespace stratagem::testing
