#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "solve/lp_report.hpp"
#include "stratagem/game/rational.hpp"
#include "stratagem/solve/exact.hpp"
#include "stratagem/solve/lp_solvers.hpp"

namespace stratagem {

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

ZeroSumSolution solve_zero_sum(const NormalFormGame& game) {
  if (auto why = constant_sum_violation(game)) throw InvalidGame(*why);
  ZeroSumSolution out;
  out.constant = game.payoff(0, 0) + game.payoff(1, 0);
  const SecurityStrategy row = security_strategy(game, 0);
  const SecurityStrategy column = security_strategy(game, 1);
  for (const auto* s : {&row, &column}) {
    if (s->status != SolveStatus::kOk) {
      out.status = s->status;
      out.message = s->message;
      return out;
    }
  }
  out.value = row.value;
  out.profile = MixedProfile(std::vector<std::vector<double>>{row.strategy, column.strategy});
  // Minimax theorem: the security levels add up to the constant. A gap means the LPs failed.
  double scale = 1.0;
  for (double x : game.payoffs(0)) scale = std::max(scale, std::abs(x));
  const double gap = row.value + column.value - out.constant;
  if (std::abs(gap) > 1e-7 * scale) {
    out.status = SolveStatus::kFailed;
    out.message = fmt::format(
        "the two security levels ({} and {}) do not add up to the constant {}: the LP solver "
        "returned inaccurate solutions",
        row.value, column.value, out.constant);
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
          [](const NormalFormGame& game, const SolveOptions& options, SolveContext&) {
            SolveResult result;
            const ZeroSumSolution z = solve_zero_sum(game);
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
            return result;
          },
      .finds_one = true,
  });
}

}  // namespace stratagem
