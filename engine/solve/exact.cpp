#include "stratagem/solve/exact.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>
#include <utility>

#include "stratagem/game/rational.hpp"

namespace stratagem {
namespace {

using RVector = std::vector<mpq_class>;
using RMatrix = std::vector<RVector>;

/// The mixture of one player (the "mixer") over its support `support` that makes the opponent
/// indifferent over `opponent_support`, with `extras` (opponent actions in order of preference)
/// added as further indifference equations while the system is not yet determined.
/// `payoff(i, j)` is the opponent's exact payoff when the mixer plays i and the opponent j.
/// The result has `num_actions` entries, zero off the support.
template <class Payoff>
RationalSolution solve_side(const std::vector<int>& support, const std::vector<int>& opponent_support,
                          const std::vector<int>& extras, int num_actions, Payoff payoff) {
  const std::size_t k = support.size();
  RMatrix rows;
  RVector rhs;
  RVector sum_row(k + 1, mpq_class(1));
  sum_row[k] = 0;
  rows.push_back(std::move(sum_row));
  rhs.emplace_back(1);
  const auto add_equation = [&](int j) {
    RVector row(k + 1);
    for (std::size_t v = 0; v < k; ++v) row[v] = payoff(support[v], j);
    row[k] = -1;
    rows.push_back(std::move(row));
    rhs.emplace_back(0);
  };
  for (int j : opponent_support) add_equation(j);
  RationalSolution solution = solve_rational_system(rows, rhs, k + 1);
  for (std::size_t e = 0; e < extras.size() && solution.kind == RationalSolution::kUnderdetermined;
       ++e) {
    add_equation(extras[e]);
    RationalSolution next = solve_rational_system(rows, rhs, k + 1);
    if (next.kind == RationalSolution::kInconsistent) {
      rows.pop_back();
      rhs.pop_back();
    } else {
      solution = std::move(next);
    }
  }
  if (solution.kind == RationalSolution::kUnique) {
    RVector full(static_cast<std::size_t>(num_actions), mpq_class(0));
    for (std::size_t v = 0; v < k; ++v) full[support[v]] = solution.x[v];
    solution.x = std::move(full);
  }
  return solution;
}

/// Simplest rationals within `radius` of each probability (zero at or below `zero_below`);
/// the largest entry takes the remainder so that the vector sums to one exactly.
std::optional<RVector> rationalise(std::span<const double> probabilities, double zero_below,
                                   double radius) {
  RVector out(probabilities.size());
  const auto largest = static_cast<std::size_t>(
      std::max_element(probabilities.begin(), probabilities.end()) - probabilities.begin());
  mpq_class rest = 1;
  for (std::size_t a = 0; a < probabilities.size(); ++a) {
    if (a == largest) continue;
    out[a] =
        probabilities[a] <= zero_below ? mpq_class(0) : simplest_rational(probabilities[a], radius);
    rest -= out[a];
  }
  if (sgn(rest) < 0) return std::nullopt;
  out[largest] = rest;
  return out;
}

/// Largest |exact - double| over all probabilities.
double distance(const std::vector<RVector>& exact, const MixedProfile& profile) {
  double d = 0.0;
  for (std::size_t p = 0; p < exact.size(); ++p) {
    const auto probs = profile.probabilities(static_cast<int>(p));
    for (std::size_t a = 0; a < exact[p].size(); ++a) {
      d = std::max(d, std::abs(exact[p][a].get_d() - probs[a]));
    }
  }
  return d;
}

/// Exact value of each of `player`'s pure actions against the others' mixtures. Walks only
/// the others' supports: O(product of the others' support sizes * own actions).
RVector exact_action_values(const NormalFormGame& game, const std::vector<RVector>& probabilities,
                            int player) {
  const int n = game.num_players();
  std::vector<std::vector<int>> supports(static_cast<std::size_t>(n));
  for (int q = 0; q < n; ++q) {
    if (q == player) continue;
    for (int a = 0; a < game.num_actions(q); ++a) {
      if (sgn(probabilities[q][a]) != 0) supports[q].push_back(a);
    }
    if (supports[q].empty()) supports[q].push_back(0);  // all zero: weights vanish anyway
  }
  RVector values(static_cast<std::size_t>(game.num_actions(player)), mpq_class(0));
  std::vector<std::size_t> position(static_cast<std::size_t>(n), 0);
  mpq_class weight;
  while (true) {
    weight = 1;
    std::size_t base = 0;
    for (int q = 0; q < n; ++q) {
      if (q == player) continue;
      const int a = supports[q][position[q]];
      weight *= probabilities[q][a];
      base += static_cast<std::size_t>(a) * game.stride(q);
    }
    if (sgn(weight) != 0) {
      for (int a = 0; a < game.num_actions(player); ++a) {
        values[a] += weight * game.exact_payoff(player, base + a * game.stride(player));
      }
    }
    int q = 0;  // odometer over the others' supports
    for (; q < n; ++q) {
      if (q == player) continue;
      if (++position[q] < supports[q].size()) break;
      position[q] = 0;
    }
    if (q == n) break;
  }
  return values;
}

/// Finishes a recovery attempt: closeness to the double profile, then the exact check.
ExactEquilibrium finish(const NormalFormGame& game, const MixedProfile& profile,
                        std::vector<RVector> exact, const ExactOptions& options) {
  ExactEquilibrium out;
  const double d = distance(exact, profile);
  if (!(d <= options.tolerance)) {
    out.message = fmt::format(
        "the nearest exact candidate differs from the profile by {:.3g} (more than the "
        "tolerance {:.3g})",
        d, options.tolerance);
    return out;
  }
  if (auto why = exact_violation(game, exact)) {
    out.message = *why;
    return out;
  }
  out.status = ExactStatus::kVerified;
  out.payoffs = exact_expected_payoffs(game, exact);
  out.probabilities = std::move(exact);
  return out;
}

/// Radii tried, smallest first, when rationalising by continued fractions.
std::vector<double> radii(const ExactOptions& options) {
  std::vector<double> out{1e-15, 1e-13, 1e-11};
  out.push_back(std::max(options.tolerance / 10, 1e-15));
  return out;
}

ExactEquilibrium recover_by_continued_fractions(const NormalFormGame& game,
                                                const MixedProfile& profile,
                                                const ExactOptions& options) {
  ExactEquilibrium first;
  for (double radius : radii(options)) {
    std::vector<RVector> exact;
    bool ok = true;
    for (int p = 0; p < game.num_players() && ok; ++p) {
      auto v = rationalise(profile.probabilities(p), options.tolerance, radius);
      if (!v)
        ok = false;
      else
        exact.push_back(std::move(*v));
    }
    if (!ok) continue;
    ExactEquilibrium attempt = finish(game, profile, std::move(exact), options);
    if (attempt.status == ExactStatus::kVerified) return attempt;
    if (first.message.empty()) first = std::move(attempt);
  }
  if (first.message.empty()) first.message = "no rational profile near the given one sums to one";
  return first;
}

ExactEquilibrium recover_two_player(const NormalFormGame& game, const MixedProfile& profile,
                                    const ExactOptions& options) {
  const int m = game.num_actions(0), n = game.num_actions(1);
  const std::size_t stride = game.stride(1);
  const auto at = [&](int i, int j) { return static_cast<std::size_t>(i) + j * stride; };
  const std::vector<int> rows = profile.support(0, options.tolerance);
  const std::vector<int> cols = profile.support(1, options.tolerance);
  if (rows.empty() || cols.empty()) {
    return {.status = ExactStatus::kFailed,
            .message = "a player's probabilities are all zero",
            .probabilities = {},
            .payoffs = {}};
  }
  // Opponent actions off the support whose value is within rounding of the best, most
  // nearly tight first: candidates for extra (tight best-response) equations.
  const auto tight_extras = [&](int player, const std::vector<int>& support) {
    const std::vector<double> values = action_values(game, profile, player);
    const double best = *std::max_element(values.begin(), values.end());
    double scale = 1.0;
    for (double x : game.payoffs(player)) scale = std::max(scale, std::abs(x));
    std::vector<std::pair<double, int>> gaps;
    for (int a = 0; a < game.num_actions(player); ++a) {
      if (std::find(support.begin(), support.end(), a) != support.end()) continue;
      const double gap = best - values[a];
      if (gap <= 1e-6 * scale) gaps.emplace_back(gap, a);
    }
    std::sort(gaps.begin(), gaps.end());
    std::vector<int> out;
    for (const auto& g : gaps) out.push_back(g.second);
    return out;
  };
  // x (row player's mixture) makes the column player indifferent over `cols`: B's entries.
  const RationalSolution x = solve_side(rows, cols, tight_extras(1, cols), m,
                                      [&](int i, int j) { return game.exact_payoff(1, at(i, j)); });
  // y (column player's mixture) makes the row player indifferent over `rows`: A's entries.
  const RationalSolution y = solve_side(cols, rows, tight_extras(0, rows), n,
                                      [&](int j, int i) { return game.exact_payoff(0, at(i, j)); });
  if (x.kind == RationalSolution::kInconsistent || y.kind == RationalSolution::kInconsistent) {
    ExactEquilibrium fallback = recover_by_continued_fractions(game, profile, options);
    if (fallback.status == ExactStatus::kVerified) return fallback;
    fallback.message = fmt::format(
        "the indifference equations on the support have no exact solution for {} ({})",
        x.kind == RationalSolution::kInconsistent ? game.player_name(0) : game.player_name(1),
        fallback.message);
    return fallback;
  }
  if (x.kind == RationalSolution::kUnique && y.kind == RationalSolution::kUnique) {
    return finish(game, profile, {x.x, y.x}, options);
  }
  // A side left undetermined (a point inside a set of equilibria): rationalise that side.
  ExactEquilibrium first;
  for (double radius : radii(options)) {
    std::optional<RVector> xs =
        x.kind == RationalSolution::kUnique
            ? std::optional<RVector>(x.x)
            : rationalise(profile.probabilities(0), options.tolerance, radius);
    std::optional<RVector> ys =
        y.kind == RationalSolution::kUnique
            ? std::optional<RVector>(y.x)
            : rationalise(profile.probabilities(1), options.tolerance, radius);
    if (!xs || !ys) continue;
    ExactEquilibrium attempt = finish(game, profile, {std::move(*xs), std::move(*ys)}, options);
    if (attempt.status == ExactStatus::kVerified) return attempt;
    if (first.message.empty()) first = std::move(attempt);
  }
  if (first.message.empty()) first.message = "no rational profile near the given one sums to one";
  return first;
}

}  // namespace

std::optional<std::string> exact_violation(const NormalFormGame& game,
                                           const std::vector<RVector>& probabilities) {
  if (static_cast<int>(probabilities.size()) != game.num_players()) {
    return fmt::format("{} strategies for {} players", probabilities.size(), game.num_players());
  }
  for (int p = 0; p < game.num_players(); ++p) {
    const RVector& probs = probabilities[p];
    if (static_cast<int>(probs.size()) != game.num_actions(p)) {
      return fmt::format("{} probabilities for player '{}', who has {} actions", probs.size(),
                         game.player_name(p), game.num_actions(p));
    }
    mpq_class sum = 0;
    for (int a = 0; a < game.num_actions(p); ++a) {
      if (sgn(probs[a]) < 0) {
        return fmt::format("player '{}' plays '{}' with negative probability {}",
                           game.player_name(p), game.action_name(p, a), fraction_string(probs[a]));
      }
      sum += probs[a];
    }
    if (sum != 1) {
      return fmt::format("player '{}''s probabilities sum to {}, not 1", game.player_name(p),
                         fraction_string(sum));
    }
  }
  for (int p = 0; p < game.num_players(); ++p) {
    const RVector values = exact_action_values(game, probabilities, p);
    mpq_class payoff = 0;
    for (std::size_t a = 0; a < values.size(); ++a) payoff += probabilities[p][a] * values[a];
    for (std::size_t a = 0; a < values.size(); ++a) {
      if (values[a] > payoff) {
        return fmt::format(
            "player '{}' gains by switching to '{}': it earns {} against the "
            "equilibrium payoff {}",
            game.player_name(p), game.action_name(p, static_cast<int>(a)),
            fraction_string(values[a]), fraction_string(payoff));
      }
    }
  }
  return std::nullopt;
}

std::vector<mpq_class> exact_expected_payoffs(const NormalFormGame& game,
                                              const std::vector<RVector>& probabilities) {
  std::vector<mpq_class> out;
  for (int p = 0; p < game.num_players(); ++p) {
    const RVector values = exact_action_values(game, probabilities, p);
    mpq_class payoff = 0;
    for (std::size_t a = 0; a < values.size(); ++a) payoff += probabilities[p][a] * values[a];
    out.push_back(payoff);
  }
  return out;
}

ExactEquilibrium recover_exact(const NormalFormGame& game, const MixedProfile& profile,
                               const ExactOptions& options) {
  if (profile.shape() != game.shape()) {
    throw std::invalid_argument("recover_exact: the profile's shape does not match the game");
  }
  for (double x : profile.flat()) {
    if (!std::isfinite(x)) {
      return {.status = ExactStatus::kFailed,
              .message = "the profile has a probability that is not a finite number",
              .probabilities = {},
              .payoffs = {}};
    }
  }
  std::vector<int> actions;
  if (profile.is_pure(options.tolerance, &actions)) {
    std::vector<RVector> exact;
    for (int p = 0; p < game.num_players(); ++p) {
      RVector v(static_cast<std::size_t>(game.num_actions(p)), mpq_class(0));
      v[actions[p]] = 1;
      exact.push_back(std::move(v));
    }
    return finish(game, profile, std::move(exact), options);
  }
  if (game.num_players() == 2) return recover_two_player(game, profile, options);
  ExactEquilibrium out = recover_by_continued_fractions(game, profile, options);
  if (out.status != ExactStatus::kVerified) {
    out.status = ExactStatus::kNotVerifiable;
    out.message = fmt::format(
        "not verified: mixed equilibria of games with {} players can be irrational, and no "
        "rational profile within {:.3g} is an exact equilibrium ({})",
        game.num_players(), options.tolerance, out.message);
  }
  return out;
}

std::optional<std::vector<std::vector<mpq_class>>> exact_probabilities(const Equilibrium& eq) {
  if (!eq.exact) return std::nullopt;
  std::vector<std::vector<mpq_class>> out;
  for (const auto& side : *eq.exact) {
    std::vector<mpq_class> row;
    for (const auto& text : side) {
      const auto q = parse_rational(text);
      if (!q) return std::nullopt;
      row.push_back(*q);
    }
    out.push_back(std::move(row));
  }
  return out;
}

ExactSummary verify_exact(const NormalFormGame& game, std::vector<Equilibrium>& equilibria,
                          const ExactOptions& options) {
  ExactSummary summary;
  for (std::size_t e = 0; e < equilibria.size(); ++e) {
    Equilibrium& eq = equilibria[e];
    // Fractions from an exact method: check them as they are.
    if (const auto given = exact_probabilities(eq); given && !exact_violation(game, *given)) {
      ++summary.verified;
      continue;
    }
    const ExactEquilibrium exact = recover_exact(game, eq.profile, options);
    if (exact.status == ExactStatus::kVerified) {
      ++summary.verified;
      std::vector<std::vector<std::string>> strings;
      for (const auto& probs : exact.probabilities) {
        std::vector<std::string> row;
        for (const auto& q : probs) row.push_back(fraction_string(q));
        strings.push_back(std::move(row));
      }
      eq.exact = std::move(strings);
      continue;
    }
    eq.exact.reset();
    if (exact.status == ExactStatus::kFailed) {
      ++summary.failed;
    } else {
      ++summary.not_verifiable;
    }
    summary.messages.push_back(fmt::format("equilibrium {}: {}", e + 1, exact.message));
  }
  return summary;
}

void verify_exact(const NormalFormGame& game, const std::string& method, SolveResult& result,
                  const ExactOptions& options) {
  if (result.equilibria.empty()) return;
  const ExactSummary summary = verify_exact(game, result.equilibria, options);
  const std::size_t total = result.equilibria.size();
  Analysis analysis;
  analysis.key = "exact_" + method;
  analysis.data = {{"verified", summary.verified},
                   {"failed", summary.failed},
                   {"not_verifiable", summary.not_verifiable},
                   {"messages", summary.messages}};
  analysis.text.push_back(fmt::format(
      "{} of {} equilibria verified in rational arithmetic (exact probabilities from the "
      "indifference equations on each support; no pure action earns more)",
      summary.verified, total));
  if (summary.failed > 0) {
    analysis.text.push_back(fmt::format("FAILED the exact check: {}", summary.failed));
  }
  for (const auto& message : summary.messages) analysis.text.push_back(message);
  result.analyses.push_back(std::move(analysis));
  if (summary.failed > 0) {
    std::string why = fmt::format("{} of {} equilibria failed the exact check: {}", summary.failed,
                                  total, fmt::join(summary.messages, "; "));
    if (result.status == SolveStatus::kOk) {
      result.status = SolveStatus::kFailed;
      result.message = std::move(why);
    } else {
      result.status = SolveStatus::kFailed;
      result.message = result.message.empty() ? why : result.message + "; " + why;
    }
  }
}

SolveFunction with_exact_verification(std::string method, SolveFunction solve) {
  return [method = std::move(method), solve = std::move(solve)](
             const NormalFormGame& game, const SolveOptions& options, SolveContext& context) {
    SolveResult result = solve(game, options, context);
    if (options.exact) verify_exact(game, method, result);
    return result;
  };
}

}  // namespace stratagem
