#include <fmt/format.h>

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <random>

#include "solve/lp.hpp"
#include "solve/lp_report.hpp"
#include "stratagem/solve/lp_solvers.hpp"

namespace stratagem {
namespace {

/// One incentive constraint: `player`, told to play `action`, must not gain by `deviation`:
/// sum over profiles s with s_player = action of p(s) * (u(deviation, s_-player) - u(s)) <= 0.
struct Incentive {
  int player = 0;
  int action = 0;
  int deviation = 0;
  std::vector<std::pair<int, double>> terms;  ///< (profile index, gain from deviating)
};

std::vector<Incentive> incentive_constraints(const NormalFormGame& game) {
  std::vector<Incentive> out;
  for (int i = 0; i < game.num_players(); ++i) {
    const auto u = game.payoffs(i);
    const std::size_t stride = game.stride(i);
    for (int a = 0; a < game.num_actions(i); ++a) {
      for (int d = 0; d < game.num_actions(i); ++d) {
        if (d == a) continue;
        Incentive row{.player = i, .action = a, .deviation = d, .terms = {}};
        for (std::size_t s = 0; s < game.num_profiles(); ++s) {
          if (game.action_of(s, i) != a) continue;
          const std::size_t deviated =
              s - static_cast<std::size_t>(a) * stride + static_cast<std::size_t>(d) * stride;
          const double gain = u[deviated] - u[s];
          if (gain != 0.0) row.terms.emplace_back(static_cast<int>(s), gain);
        }
        out.push_back(std::move(row));
      }
    }
  }
  return out;
}

/// Objective coefficient of each profile: total payoff, or one player's payoff.
std::vector<double> objective_coefficients(const NormalFormGame& game,
                                           const std::string& objective) {
  std::vector<double> c(game.num_profiles(), 0.0);
  for (int p = 0; p < game.num_players(); ++p) {
    if (objective != "welfare" && game.player_name(p) != objective) continue;
    const auto u = game.payoffs(p);
    for (std::size_t s = 0; s < c.size(); ++s) c[s] += u[s];
  }
  return c;
}

/// Fills payoffs, objective value and recomputed violation of a distribution.
CorrelatedEquilibrium describe(const NormalFormGame& game, std::vector<double> distribution,
                               const std::vector<double>& objective) {
  CorrelatedEquilibrium out;
  out.payoffs.assign(static_cast<std::size_t>(game.num_players()), 0.0);
  for (std::size_t s = 0; s < distribution.size(); ++s) {
    if (distribution[s] == 0.0) continue;
    for (int p = 0; p < game.num_players(); ++p)
      out.payoffs[p] += distribution[s] * game.payoff(p, s);
    out.objective_value += distribution[s] * objective[s];
  }
  out.max_violation = max_incentive_violation(game, distribution);
  out.distribution = std::move(distribution);
  return out;
}

/// Binomial coefficient as a double (enough to compare with a limit).
double binomial(int n, int k) {
  double c = 1.0;
  for (int i = 1; i <= k; ++i) c = c * (n - k + i) / i;
  return c;
}

bool same_distribution(const std::vector<double>& a, const std::vector<double>& b) {
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::abs(a[i] - b[i]) > 1e-9) return false;
  }
  return true;
}

void add_unique(std::vector<std::vector<double>>& found, std::vector<double> p) {
  for (const auto& q : found) {
    if (same_distribution(p, q)) return;
  }
  found.push_back(std::move(p));
}

/// Every vertex of {p >= 0, sum p = 1, incentive rows <= 0}: for each choice of N - 1 of the
/// inequalities, solve them as equations together with sum p = 1; keep unique feasible
/// solutions. Returns false when stopped.
bool enumerate_vertices(const NormalFormGame& game, const std::vector<Incentive>& incentives,
                        SolveContext& context, std::vector<std::vector<double>>& found) {
  const int n = static_cast<int>(game.num_profiles());
  // Inequality rows g . p <= 0: the incentive rows, then -p_s <= 0.
  // Incentive rows are divided by the payoff range so that every row is of order 1 like
  // the p >= 0 rows: pivoting and the tolerance then do not depend on the payoff scale.
  const double scale = payoff_scale(game);
  std::vector<Eigen::RowVectorXd> g;
  for (const auto& row : incentives) {
    Eigen::RowVectorXd r = Eigen::RowVectorXd::Zero(n);
    for (const auto& [s, gain] : row.terms) r(s) = gain / scale;
    g.push_back(r);
  }
  for (int s = 0; s < n; ++s) {
    Eigen::RowVectorXd r = Eigen::RowVectorXd::Zero(n);
    r(s) = -1.0;
    g.push_back(r);
  }
  const int total = static_cast<int>(g.size());
  const int k = n - 1;
  const double tol = 1e-9;
  std::vector<int> pick(static_cast<std::size_t>(k));
  for (int i = 0; i < k; ++i) pick[i] = i;
  Eigen::MatrixXd m(n, n);
  Eigen::VectorXd rhs = Eigen::VectorXd::Zero(n);
  rhs(n - 1) = 1.0;
  std::size_t count = 0;
  while (true) {
    if ((++count & 4095) == 0 && context.stop_requested()) return false;
    for (int i = 0; i < k; ++i) m.row(i) = g[pick[i]];
    m.row(n - 1).setOnes();
    Eigen::FullPivLU<Eigen::MatrixXd> lu(m);
    lu.setThreshold(1e-10);
    if (lu.isInvertible()) {
      const Eigen::VectorXd p = lu.solve(rhs);
      bool feasible = true;
      for (int t = 0; t < total && feasible; ++t) feasible = g[t].dot(p) <= tol;
      if (feasible) {
        std::vector<double> v(p.data(), p.data() + n);
        lp_report::clean_distribution(v);
        add_unique(found, std::move(v));
      }
    }
    int i = k - 1;  // next k-subset of {0..total-1}, lexicographic
    while (i >= 0 && pick[i] == total - k + i) --i;
    if (i < 0) break;
    ++pick[i];
    for (int j = i + 1; j < k; ++j) pick[j] = pick[j - 1] + 1;
  }
  return true;
}

/// Vertices reached by the simplex method from many objectives: each player's payoff and the
/// welfare (maximised and minimised), each profile's probability (maximised and minimised),
/// and `samples` random directions. A subset of the vertices.
bool sample_vertices(const NormalFormGame& game, lp::LinearProgram program, int samples,
                     std::uint64_t seed, SolveContext& context,
                     std::vector<std::vector<double>>& found, std::string& failure) {
  const int n = static_cast<int>(game.num_profiles());
  std::vector<std::vector<double>> directions;
  for (int p = -1; p < game.num_players(); ++p) {
    const auto c = objective_coefficients(game, p < 0 ? "welfare" : game.player_name(p));
    directions.push_back(c);
    std::vector<double> neg(c);
    for (double& x : neg) x = -x;
    directions.push_back(neg);
  }
  for (int s = 0; s < n; ++s) {
    std::vector<double> e(static_cast<std::size_t>(n), 0.0);
    e[s] = 1.0;
    directions.push_back(e);
    e[s] = -1.0;
    directions.push_back(e);
  }
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> normal(0.0, 1.0);
  for (int r = 0; r < samples; ++r) {
    std::vector<double> c(static_cast<std::size_t>(n));
    for (double& x : c) x = normal(rng);
    directions.push_back(std::move(c));
  }
  for (const auto& c : directions) {
    if (context.stop_requested()) return false;
    program.set_objective(c);
    const lp::LpSolution solution = lp::solve(program);
    if (solution.status != lp::LpStatus::kOptimal) {
      failure = solution.message;
      continue;
    }
    std::vector<double> v = solution.x;
    lp_report::clean_distribution(v);
    add_unique(found, std::move(v));
  }
  return true;
}

nlohmann::json distribution_json(const NormalFormGame& game, const std::vector<double>& p) {
  auto out = nlohmann::json::array();
  for (std::size_t s = 0; s < p.size(); ++s) {
    if (p[s] == 0.0) continue;
    std::vector<std::string> actions;
    for (int i = 0; i < game.num_players(); ++i) {
      actions.push_back(game.action_name(i, game.action_of(s, i)));
    }
    out.push_back({{"actions", actions},
                   {"label", profile_label(game, game.profile(s))},
                   {"probability", p[s]}});
  }
  return out;
}

std::string distribution_text(const NormalFormGame& game, const std::vector<double>& p) {
  std::vector<std::string> parts;
  for (std::size_t s = 0; s < p.size(); ++s) {
    if (p[s] == 0.0) continue;
    parts.push_back(
        fmt::format("{} {}", profile_label(game, game.profile(s)), format_number(p[s])));
  }
  return fmt::format("{}", fmt::join(parts, ", "));
}

std::string payoffs_text(const NormalFormGame& game, const std::vector<double>& payoffs) {
  std::vector<std::string> parts;
  for (int p = 0; p < game.num_players(); ++p) {
    parts.push_back(fmt::format("{} {}", game.player_name(p), format_payoff(payoffs[p])));
  }
  return fmt::format("{}", fmt::join(parts, ", "));
}

/// Whether a distribution is a product of its marginals that forms a Nash equilibrium.
bool is_nash(const NormalFormGame& game, const std::vector<double>& p) {
  std::vector<std::vector<double>> marginals;
  for (int i = 0; i < game.num_players(); ++i) {
    marginals.emplace_back(static_cast<std::size_t>(game.num_actions(i)), 0.0);
  }
  for (std::size_t s = 0; s < p.size(); ++s) {
    for (int i = 0; i < game.num_players(); ++i) marginals[i][game.action_of(s, i)] += p[s];
  }
  for (std::size_t s = 0; s < p.size(); ++s) {
    double product = 1.0;
    for (int i = 0; i < game.num_players(); ++i) product *= marginals[i][game.action_of(s, i)];
    if (std::abs(product - p[s]) > 1e-9) return false;
  }
  return max_regret(game, MixedProfile(marginals)) <= 1e-9 * payoff_scale(game);
}

}  // namespace

std::optional<std::string> objective_error(const NormalFormGame& game,
                                           const std::string& objective) {
  if (objective == "welfare") return std::nullopt;
  for (const auto& name : game.player_names()) {
    if (name == objective) return std::nullopt;
  }
  return fmt::format(
      "unknown objective '{}' for correlated equilibria; use 'welfare' or a "
      "player's name ({})",
      objective, fmt::join(game.player_names(), ", "));
}

double max_incentive_violation(const NormalFormGame& game, std::span<const double> distribution) {
  if (distribution.size() != game.num_profiles()) {
    throw std::invalid_argument("distribution size differs from the number of profiles");
  }
  double worst = 0.0;
  for (int i = 0; i < game.num_players(); ++i) {
    const int m = game.num_actions(i);
    // gain[a][d]: expected gain of playing d whenever told a.
    std::vector<double> gain(static_cast<std::size_t>(m) * m, 0.0);
    const auto u = game.payoffs(i);
    for (std::size_t s = 0; s < distribution.size(); ++s) {
      if (distribution[s] == 0.0) continue;
      const int a = game.action_of(s, i);
      const std::size_t base = s - static_cast<std::size_t>(a) * game.stride(i);
      for (int d = 0; d < m; ++d) {
        gain[static_cast<std::size_t>(a) * m + d] +=
            distribution[s] * (u[base + static_cast<std::size_t>(d) * game.stride(i)] - u[s]);
      }
    }
    for (double g : gain) worst = std::max(worst, g);
  }
  return worst;
}

CorrelatedResult solve_correlated(const NormalFormGame& game, const CorrelatedOptions& options,
                                  SolveContext& context) {
  if (auto why = objective_error(game, options.objective)) throw std::invalid_argument(*why);
  if (game.num_profiles() > options.max_profiles) {
    throw InvalidGame(fmt::format(
        "the game has {} pure profiles; correlated equilibria are computed by an LP with one "
        "variable per profile, up to {}",
        game.num_profiles(), options.max_profiles));
  }
  const auto incentives = incentive_constraints(game);
  const std::vector<double> objective = objective_coefficients(game, options.objective);
  // The LP sees payoffs divided by the largest |payoff|: the feasible set does not change (the
  // incentive rows are homogeneous) and the optimum is the same distribution, while the solver
  // works with coefficients of order 1 whatever the game's scale (1e-6 or 1e25).
  const double scale = payoff_scale(game);
  lp::LinearProgram program(lp::LinearProgram::Sense::kMaximize);
  for (double c : objective) program.add_variable(c / scale);
  for (const auto& row : incentives) {
    if (row.terms.empty()) continue;
    std::vector<std::pair<int, double>> terms = row.terms;
    for (auto& term : terms) term.second /= scale;
    program.add_row(std::move(terms), -lp::kInfinity, 0.0);
  }
  std::vector<std::pair<int, double>> sum;
  for (std::size_t s = 0; s < game.num_profiles(); ++s) sum.emplace_back(static_cast<int>(s), 1.0);
  program.add_row(std::move(sum), 1.0, 1.0);

  CorrelatedResult result;
  const lp::LpSolution solution = lp::solve(program);
  if (solution.status != lp::LpStatus::kOptimal) {
    // The polytope always contains the Nash equilibria, so any status but optimal is a failure.
    result.status = SolveStatus::kFailed;
    result.message = fmt::format("correlated-equilibrium LP: {}", solution.message);
    return result;
  }
  std::vector<double> p = solution.x;
  lp_report::clean_distribution(p);
  result.optimum = describe(game, std::move(p), objective);

  if (game.num_profiles() <= options.vertex_profiles) {
    std::vector<std::vector<double>> found;
    const int n = static_cast<int>(game.num_profiles());
    const int inequalities = static_cast<int>(incentives.size()) + n;
    const double bases = binomial(inequalities, n - 1);
    bool finished = false;
    if (bases <= static_cast<double>(options.max_bases)) {
      finished = enumerate_vertices(game, incentives, context, found);
      result.vertices_complete = finished;
      result.vertex_method = fmt::format(
          "basis enumeration: every choice of {} of the {} inequalities (incentive constraints "
          "and p >= 0) solved as equations with sum p = 1, feasible solutions kept",
          n - 1, inequalities);
    } else {
      std::string failure;
      finished = sample_vertices(game, program, options.sampled_objectives, options.seed, context,
                                 found, failure);
      result.vertices_complete = false;
      result.vertex_method = fmt::format(
          "sampling, a subset of the vertices: optimal vertices of the LP for {} objectives "
          "(payoffs, welfare, each profile, {} random directions); {:.0f} bases were too many "
          "to enumerate",
          2 * (game.num_players() + 1) + 2 * n + options.sampled_objectives,
          options.sampled_objectives, bases);
      if (!failure.empty()) result.vertex_method += fmt::format(" (some LPs failed: {})", failure);
    }
    for (auto& v : found) result.vertices.push_back(describe(game, std::move(v), objective));
    std::sort(result.vertices.begin(), result.vertices.end(),
              [](const CorrelatedEquilibrium& a, const CorrelatedEquilibrium& b) {
                if (a.objective_value != b.objective_value) {
                  return a.objective_value > b.objective_value;
                }
                return a.distribution > b.distribution;
              });
    if (!finished) {
      result.status = SolveStatus::kCancelled;
      result.message = "interrupted while listing vertices; the list is incomplete";
    }
  }
  return result;
}

void register_correlated(SolverRegistry& registry) {
  registry.add({
      .name = "correlated",
      .summary = "a correlated equilibrium maximising welfare or one player's payoff (LP); "
                 "the polytope's vertices for games with at most 16 profiles",
      .applies_to = "normal-form games with any number of players, up to 100000 profiles",
      .check = [](const NormalFormGame& game) -> std::optional<std::string> {
        const CorrelatedOptions defaults;
        if (game.num_profiles() > defaults.max_profiles) {
          return fmt::format(
              "the game has {} profiles; the correlated-equilibrium LP is limited "
              "to {}",
              game.num_profiles(), defaults.max_profiles);
        }
        return std::nullopt;
      },
      .solve =
          [](const NormalFormGame& game, const SolveOptions& options, SolveContext& context) {
            CorrelatedOptions copts;
            copts.objective = options.objective;
            const CorrelatedResult r = solve_correlated(game, copts, context);
            SolveResult result;
            result.status = r.status;
            result.message = r.message;
            if (r.optimum.distribution.empty()) return result;
            const std::string what = copts.objective == "welfare"
                                         ? "welfare (the sum of payoffs)"
                                         : fmt::format("{}'s payoff", copts.objective);
            Analysis analysis{.key = "correlated", .data = nlohmann::json::object(), .text = {}};
            analysis.data = {{"objective", copts.objective},
                             {"objective_value", r.optimum.objective_value},
                             {"distribution", distribution_json(game, r.optimum.distribution)},
                             {"payoffs", r.optimum.payoffs},
                             {"max_violation", r.optimum.max_violation}};
            analysis.text.push_back(fmt::format("a correlated equilibrium maximising {}: {}", what,
                                                format_payoff(r.optimum.objective_value)));
            analysis.text.push_back("  recommend: " +
                                    distribution_text(game, r.optimum.distribution));
            analysis.text.push_back("  expected payoffs: " + payoffs_text(game, r.optimum.payoffs));
            analysis.text.push_back(
                fmt::format("  largest incentive-constraint violation (recomputed): {:.3g}",
                            r.optimum.max_violation));
            if (!r.vertex_method.empty()) {
              auto list = nlohmann::json::array();
              for (const auto& v : r.vertices) {
                list.push_back({{"distribution", distribution_json(game, v.distribution)},
                                {"nash", is_nash(game, v.distribution)},
                                {"payoffs", v.payoffs},
                                {"objective_value", v.objective_value},
                                {"max_violation", v.max_violation}});
              }
              analysis.data["vertices"] = {{"complete", r.vertices_complete},
                                           {"method", r.vertex_method},
                                           {"count", r.vertices.size()},
                                           {"list", list}};
              analysis.text.push_back(fmt::format(
                  "{} of the polytope of correlated equilibria, by {}:",
                  r.vertices_complete
                      ? fmt::format("all {} vertices", r.vertices.size())
                      : fmt::format("{} vertices (not necessarily all)", r.vertices.size()),
                  r.vertex_method));
              int k = 0;
              for (std::size_t i = 0; i < r.vertices.size(); ++i) {
                const auto& v = r.vertices[i];
                analysis.text.push_back(fmt::format(
                    "  {}. {}   payoffs: {}{}", ++k, distribution_text(game, v.distribution),
                    payoffs_text(game, v.payoffs),
                    list[i].at("nash").get<bool>() ? "   (a Nash equilibrium)" : ""));
              }
            }
            result.analyses.push_back(std::move(analysis));
            return result;
          },
  });
}

}  // namespace stratagem
