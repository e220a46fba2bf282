#pragma once

// Private helpers shared by the LP-based solvers: tidy LP output into distributions and say
// mixtures in words and JSON.

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <vector>

#include "stratagem/game/normal_form.hpp"
#include "stratagem/io/report.hpp"

namespace stratagem::lp_report {

/// Clamps LP round-off (|x| < 1e-12, and negatives) to zero and rescales to sum one.
inline void clean_distribution(std::vector<double>& p) {
  double sum = 0.0;
  for (double& x : p) {
    if (x < 1e-12) x = 0.0;
    sum += x;
  }
  if (sum > 0.0) {
    for (double& x : p) x /= sum;
  }
  for (double& x : p) {
    if (std::abs(x - 1.0) < 1e-13) x = 1.0;
  }
}

/// "H 1/2, T 1/2" or "defect" for a pure strategy.
inline std::string mixture_text(const NormalFormGame& game, int player,
                                std::span<const double> probabilities) {
  std::vector<std::string> parts;
  for (int a = 0; a < game.num_actions(player); ++a) {
    if (probabilities[a] == 0.0) continue;
    if (probabilities[a] == 1.0) return game.action_name(player, a);
    parts.push_back(
        fmt::format("{} {}", game.action_name(player, a), format_number(probabilities[a])));
  }
  return fmt::format("{}", fmt::join(parts, ", "));
}

/// {"action": probability} over the actions played with positive probability.
inline nlohmann::json named_mixture(const NormalFormGame& game, int player,
                                    std::span<const double> probabilities) {
  auto out = nlohmann::json::object();
  for (int a = 0; a < game.num_actions(player); ++a) {
    if (probabilities[a] != 0.0) out[game.action_name(player, a)] = probabilities[a];
  }
  return out;
}

}  // namespace stratagem::lp_report
