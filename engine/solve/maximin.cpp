#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "solve/dense_simplex.hpp"
#include "solve/lp.hpp"
#include "solve/lp_report.hpp"
#include "stratagem/solve/lp_solvers.hpp"

namespace stratagem {

SecurityStrategy security_strategy(const NormalFormGame& game, int player) {
  if (game.num_players() != 2) {
    throw InvalidGame(
        fmt::format("security strategies are computed for two-player games; this "
                    "game has {} players",
                    game.num_players()));
  }
  if (player < 0 || player > 1) throw InvalidGame("player must be 0 or 1");
  const int other = 1 - player;
  const int m = game.num_actions(player), n = game.num_actions(other);
  const auto payoffs = game.payoffs(player);
  const auto u = [&](int a, int b) {
    return payoffs[static_cast<std::size_t>(a) * game.stride(player) +
                   static_cast<std::size_t>(b) * game.stride(other)];
  };
  /// The worst expected payoff of `x` over the opponent's actions.
  const auto worst_case = [&](const std::vector<double>& x) {
    double worst = lp::kInfinity;
    for (int b = 0; b < n; ++b) {
      double value = 0.0;
      for (int a = 0; a < m; ++a) value += x[static_cast<std::size_t>(a)] * u(a, b);
      worst = std::min(worst, value);
    }
    return worst;
  };
  SecurityStrategy out;
  double low = lp::kInfinity, high = -lp::kInfinity;
  for (int a = 0; a < m; ++a) {
    for (int b = 0; b < n; ++b) {
      low = std::min(low, u(a, b));
      high = std::max(high, u(a, b));
    }
  }
  const double range = high - low;
  if (!(range > 0.0)) {  // every payoff the same: any strategy is a security strategy
    out.strategy.assign(static_cast<std::size_t>(m), 0.0);
    out.strategy[0] = 1.0;
    out.value = low;
    return out;
  }
  const auto rows = static_cast<std::size_t>(m), cols = static_cast<std::size_t>(n);
  if (rows * (rows + cols) <= detail::kMaxDenseSimplexEntries) {
    // Small games: the packing LP on payoffs mapped onto [1, 2] (scale- and shift-free), in
    // the engine. Its dual is the player's strategy, its primal the opponent's; they certify
    // each other (the player guarantees what the opponent holds it to), else Clp decides.
    std::vector<double> matrix(rows * cols);
    for (int a = 0; a < m; ++a) {
      for (int b = 0; b < n; ++b) {
        matrix[static_cast<std::size_t>(a) * cols + static_cast<std::size_t>(b)] =
            1.0 + (u(a, b) - low) / range;
      }
    }
    if (const auto packing = detail::solve_packing_lp(matrix, m, n);
        packing && packing->value > 0.0) {
      std::vector<double> x = packing->dual, y = packing->primal;
      double sx = 0.0, sy = 0.0;
      for (double v : x) sx += v;
      for (double v : y) sy += v;
      if (sx > 0.0 && sy > 0.0) {
        for (double& v : x) v /= sx;
        for (double& v : y) v /= sy;
        lp_report::clean_distribution(x);
        double held_to = -lp::kInfinity;  // the best reply's payoff against y
        for (int a = 0; a < m; ++a) {
          double value = 0.0;
          for (int b = 0; b < n; ++b) value += y[static_cast<std::size_t>(b)] * u(a, b);
          held_to = std::max(held_to, value);
        }
        const double worst = worst_case(x);
        if (held_to - worst <= 1e-10 * range) {
          out.strategy = std::move(x);
          out.value = worst;
          return out;
        }
      }
    }
  }
  // max v  s.t.  sum_a x_a u(a, b) - v >= 0 for every b,  sum_a x_a = 1,  x >= 0, v free.
  lp::LinearProgram program(lp::LinearProgram::Sense::kMaximize);
  for (int a = 0; a < m; ++a) program.add_variable(0.0);
  const int v = program.add_variable(1.0, -lp::kInfinity, lp::kInfinity);
  for (int b = 0; b < n; ++b) {
    std::vector<std::pair<int, double>> terms;
    for (int a = 0; a < m; ++a) {
      if (u(a, b) != 0.0) terms.emplace_back(a, u(a, b));
    }
    terms.emplace_back(v, -1.0);
    program.add_row(std::move(terms), 0.0, lp::kInfinity);
  }
  std::vector<std::pair<int, double>> sum;
  for (int a = 0; a < m; ++a) sum.emplace_back(a, 1.0);
  program.add_row(std::move(sum), 1.0, 1.0);

  const lp::LpSolution solution = lp::solve(program);
  if (solution.status != lp::LpStatus::kOptimal) {
    out.status = SolveStatus::kFailed;
    out.message =
        fmt::format("security strategy of '{}': {}", game.player_name(player), solution.message);
    return out;
  }
  out.strategy.assign(solution.x.begin(), solution.x.begin() + m);
  lp_report::clean_distribution(out.strategy);
  // The security level of the cleaned strategy, recomputed: the worst column against it.
  out.value = worst_case(out.strategy);
  return out;
}

void register_maximin(SolverRegistry& registry) {
  registry.add({
      .name = "maximin",
      .summary = "each player's security level and a security (maximin) strategy, by LP",
      .applies_to = "two-player normal-form games",
      .check = [](const NormalFormGame& game) -> std::optional<std::string> {
        if (game.num_players() != 2) {
          return fmt::format("maximin strategies are computed for two players; this game has {}",
                             game.num_players());
        }
        return std::nullopt;
      },
      .solve =
          [](const NormalFormGame& game, const SolveOptions&, SolveContext&) {
            SolveResult result;
            Analysis analysis{.key = "maximin", .data = nlohmann::json::object(), .text = {}};
            auto players = nlohmann::json::array();
            std::vector<std::vector<double>> strategies;
            for (int p = 0; p < 2; ++p) {
              const SecurityStrategy s = security_strategy(game, p);
              if (s.status != SolveStatus::kOk) {
                result.status = SolveStatus::kFailed;
                result.message = s.message;
                return result;
              }
              players.push_back({{"player", game.player_name(p)},
                                 {"value", s.value},
                                 {"strategy", s.strategy},
                                 {"named", lp_report::named_mixture(game, p, s.strategy)}});
              analysis.text.push_back(fmt::format("{} can guarantee {} by playing {}",
                                                  game.player_name(p), format_payoff(s.value),
                                                  lp_report::mixture_text(game, p, s.strategy)));
              strategies.push_back(s.strategy);
            }
            // Say whether the pair of security strategies happens to be an equilibrium; it is
            // not reported as one (in general it is not).
            const MixedProfile profile(strategies);
            const double regret = max_regret(game, profile);
            double scale = 1.0;
            for (int p = 0; p < 2; ++p) {
              for (double x : game.payoffs(p)) scale = std::max(scale, std::abs(x));
            }
            const bool equilibrium = regret <= 1e-9 * scale;
            analysis.data = {{"players", players},
                             {"profile_is_equilibrium", equilibrium},
                             {"profile_max_regret", regret}};
            analysis.text.push_back(
                equilibrium ? "these security strategies happen to form a Nash equilibrium"
                            : fmt::format("these security strategies do not form a Nash "
                                          "equilibrium (max regret {:.3g})",
                                          regret));
            result.analyses.push_back(std::move(analysis));
            return result;
          },
  });
}

}  // namespace stratagem
