#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <optional>

#include "solve/lp_report.hpp"
#include "stratagem/game/rational.hpp"
#include "stratagem/solve/enumerate.hpp"
#include "stratagem/solve/exact.hpp"
#include "stratagem/solve/lp_solvers.hpp"

namespace stratagem {

/// Constant-sum games up to this many actions in all fall back to exact vertex enumeration
/// when the LPs are inaccurate.
constexpr int kMaxZeroSumExactActions = 40;
/// Constant-sum games up to this many actions in all are solved by exact vertex enumeration
/// rather than LPs (faster than loading the LP module, and exact).
constexpr int kMaxZeroSumEnumerationActions = 8;
/// Below this payoff resolution (smallest payoff gap / range) the LPs are not trusted.
constexpr double kZeroSumExactBelowResolution = 1e-6;

std::optional<std::string> constant_sum_violation(const NormalFormGame& game, double tolerance) {
  if (game.num_players() != 2) {
    return fmt::format("zero-sum solving needs two players; this game has {}", game.num_players());
  }
  double scale = 1.0;
  for (int p = 0; p < 2; ++p) {
    for (double x : game.payoffs(p)) scale = std::max(scale, std::abs(x));
  }
  const double first = game.payoff(0, 0) + game.payoff(1, 0);
  for (std::size_t idx = 1; idx < game.num_profiles(); ++idx) {
    const double sum = game.payoff(0, idx) + game.payoff(1, idx);
    if (std::abs(sum - first) > tolerance * scale) {
      return fmt::format(
          "the game is not constant-sum: payoffs add up to {} at {} but to {} at {}; use "
          "'maximin' for security levels or 'support' for equilibria",
          format_payoff(first), profile_label(game, game.profile(0)), format_payoff(sum),
          profile_label(game, game.profile(idx)));
    }
  }
  return std::nullopt;
}

namespace {

/// The game with the first player's payoffs mapped onto [0, 1] by (u - min) / range and the
/// second player's set to 1 minus that: the same optimal strategies, but the LPs see the same
/// numbers whatever the payoffs' scale and shift, so they end on the same vertex.
NormalFormGame unit_game(const NormalFormGame& game) {
  const auto u = game.payoffs(0);
  const auto [low, high] = std::minmax_element(u.begin(), u.end());
  const double min = *low;
  const double range = *high - *low;
  NormalFormBuilder builder(game.player_names(), game.shape());
  for (std::size_t idx = 0; idx < game.num_profiles(); ++idx) {
    const double x = range > 0.0 ? (game.payoff(0, idx) - min) / range : 0.0;
    builder.set_payoff(idx, 0, x);
    builder.set_payoff(idx, 1, 1.0 - x);
  }
  return std::move(builder).build();
}

}  // namespace

ZeroSumSolution solve_zero_sum(const NormalFormGame& game) {
  if (auto why = constant_sum_violation(game)) throw InvalidGame(*why);
  ZeroSumSolution out;
  out.constant = game.payoff(0, 0) + game.payoff(1, 0);
  const NormalFormGame unit = unit_game(game);
  const SecurityStrategy row = security_strategy(unit, 0);
  const SecurityStrategy column = security_strategy(unit, 1);
  for (const auto* s : {&row, &column}) {
    if (s->status != SolveStatus::kOk) {
      out.status = s->status;
      out.message = s->message;
      return out;
    }
  }
  out.profile = MixedProfile(std::vector<std::vector<double>>{row.strategy, column.strategy});
  out.value = expected_payoffs(game, out.profile)[0];
  // Minimax theorem: the security levels add up to the constant (1 in the unit game). A gap
  // means the LPs failed.
  const double gap = row.value + column.value - 1.0;
  if (std::abs(gap) > 1e-9) {
    out.status = SolveStatus::kFailed;
    out.message = fmt::format(
        "the two security levels do not add up to the constant (relative gap {:.2g}): the LP "
        "solver returned inaccurate solutions",
        gap);
  }
  return out;
}

void register_zero_sum(SolverRegistry& registry) {
  registry.add({
      .name = "zero-sum",
      .summary = "value and optimal (maximin) strategies of a constant-sum game, by LP",
      .applies_to = "two-player games whose payoffs add up to the same constant everywhere",
      .check = [](const NormalFormGame& game) { return constant_sum_violation(game); },
      .solve =
          [](const NormalFormGame& game, const SolveOptions& options, SolveContext& context) {
            SolveResult result;
            // Payoff differences below a millionth of the range are beyond what the LP solver
            // separates (docs/numerics.md): small games go straight to exact enumeration.
            const bool small =
                game.num_actions(0) + game.num_actions(1) <= kMaxZeroSumExactActions;
            const double resolution = payoff_resolution(game);
            // Tiny games: exact vertex enumeration takes microseconds, less than loading the
            // LP module (about 2 ms: Clp, LAPACK, BLAS), and its answer is exact.
            const bool tiny =
                game.num_actions(0) + game.num_actions(1) <= kMaxZeroSumEnumerationActions;
            ZeroSumSolution z;
            z.constant = game.payoff(0, 0) + game.payoff(1, 0);
            z.status = SolveStatus::kFailed;
            if (tiny) {
              z.message = "exact vertex enumeration was stopped before it found an equilibrium";
            } else if (small && resolution < kZeroSumExactBelowResolution) {
              z.message = fmt::format(
                  "payoff differences as small as {:.3g} of the payoff range are beyond what the "
                  "LP solver separates",
                  resolution);
            } else {
              z = solve_zero_sum(game);
            }
            std::optional<Equilibrium> exact_fallback;
            if (z.status == SolveStatus::kFailed && small) {
              // Every equilibrium of a constant-sum game is a pair of optimal strategies: take
              // one from exact (rational) vertex enumeration (tiny games), or instead of the
              // inaccurate LPs (then said so).
              EnumerationResult exact = enumerate_extreme_equilibria_exact(game, context);
              if (!exact.equilibria.empty()) {
                exact_fallback = std::move(exact.equilibria.front());
                z.profile = exact_fallback->profile;
                z.value = exact_fallback->payoffs[0];
                z.status = SolveStatus::kOk;
                if (!tiny) {
                  Analysis note{.key = "numerics_zero_sum", .data = nlohmann::json::object(),
                                .text = {}};
                  note.data = {{"lp_failure", z.message}, {"replaced_by_exact_enumeration", true}};
                  note.text.push_back(z.message + "; the strategies below come from exact vertex "
                                      "enumeration instead");
                  result.analyses.push_back(std::move(note));
                }
              }
            }
            if (z.status != SolveStatus::kOk) {
              result.status = z.status;
              result.message = z.message;
              return result;
            }
            const auto row = z.profile.probabilities(0);
            const auto column = z.profile.probabilities(1);
            Analysis analysis{.key = "zero_sum", .data = nlohmann::json::object(), .text = {}};
            analysis.data = {{"value", z.value},
                             {"values", {z.value, z.constant - z.value}},
                             {"constant_sum", z.constant},
                             {"row_strategy", std::vector<double>(row.begin(), row.end())},
                             {"column_strategy", std::vector<double>(column.begin(), column.end())},
                             {"named",
                              {{game.player_name(0), lp_report::named_mixture(game, 0, row)},
                               {game.player_name(1), lp_report::named_mixture(game, 1, column)}}}};
            if (options.exact) {
              // The value in rational arithmetic, from the exact equilibrium.
              const ExactEquilibrium exact = recover_exact(game, z.profile);
              if (exact.status == ExactStatus::kVerified) {
                analysis.data["exact_value"] = fraction_string(exact.payoffs[0]);
              }
            }
            analysis.text.push_back(fmt::format(
                "value of the game: {} to {}{}", format_number(z.value), game.player_name(0),
                z.constant == 0.0 ? ""
                                  : fmt::format(" and {} to {} (payoffs add up to {})",
                                                format_number(z.constant - z.value),
                                                game.player_name(1), format_payoff(z.constant))));
            analysis.text.push_back(fmt::format("{}'s optimal strategy: {}", game.player_name(0),
                                                lp_report::mixture_text(game, 0, row)));
            analysis.text.push_back(fmt::format("{}'s optimal strategy: {}", game.player_name(1),
                                                lp_report::mixture_text(game, 1, column)));
            result.analyses.push_back(std::move(analysis));
            result.equilibria.push_back(make_equilibrium(game, "zero-sum", z.profile));
            if (exact_fallback) result.equilibria.back().exact = exact_fallback->exact;
            return result;
          },
      .finds_one = true,
  });
}

}  // namespace stratagem
