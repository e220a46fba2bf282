#include <algorithm>
#include <cmath>
#include <optional>

#include <fmt/format.h>

#include "repeated/joint.hpp"
#include "stratagem/game/rational.hpp"
#include "stratagem/repeated/repeated_game.hpp"
#include "stratagem/solve/pure.hpp"
#include "stratagem/solve/support.hpp"

namespace stratagem {

using namespace repeated_detail;

namespace {

/// Player `player`'s decision problem against the others' automata on a set of joint states.
struct DecisionProblem {
  int states = 0;
  int actions = 0;
  // For state s and own intended action a: expected stage payoff and next-state distribution.
  std::vector<std::vector<double>> reward;                               // [s][a]
  std::vector<std::vector<std::vector<std::pair<int, double>>>> moves;   // [s][a] -> (s', p)
  std::vector<std::vector<double>> own_mix;                              // [s][a] automaton's mix
};

DecisionProblem decision_problem(const NormalFormGame& stage, const AutomatonProfile& profile,
                                 const JointSpace& space, int player, double noise) {
  DecisionProblem dp;
  dp.states = static_cast<int>(space.states.size());
  dp.actions = stage.num_actions(player);
  for (const auto& s : space.states) {
    std::vector<std::vector<double>> mixes;
    for (std::size_t p = 0; p < profile.size(); ++p) {
      mixes.push_back(executed_mix(profile[p].play[s[p]], noise));
    }
    dp.own_mix.push_back(profile[player].play[s[player]]);
    std::vector<double> rewards;
    std::vector<std::vector<std::pair<int, double>>> trans;
    for (int a = 0; a < dp.actions; ++a) {
      std::vector<double> intended(static_cast<std::size_t>(dp.actions), 0.0);
      intended[a] = 1.0;
      mixes[player] = executed_mix(intended, noise);
      const auto probs = profile_distribution(stage, mixes);
      double r = 0.0;
      std::map<int, double> next;
      for (std::size_t idx = 0; idx < stage.num_profiles(); ++idx) {
        if (probs[idx] == 0.0) continue;
        r += probs[idx] * stage.payoff(player, idx);
        next[space.index.at(next_joint(profile, s, idx))] += probs[idx];
      }
      rewards.push_back(r);
      trans.emplace_back(next.begin(), next.end());
    }
    dp.reward.push_back(std::move(rewards));
    dp.moves.push_back(std::move(trans));
  }
  return dp;
}

/// Value of a (possibly mixed) stationary policy: V = (1-d) r + d P V.
Eigen::VectorXd evaluate(const DecisionProblem& dp, const std::vector<std::vector<double>>& policy,
                         double d) {
  Eigen::MatrixXd system = Eigen::MatrixXd::Identity(dp.states, dp.states);
  Eigen::VectorXd rhs = Eigen::VectorXd::Zero(dp.states);
  for (int s = 0; s < dp.states; ++s) {
    for (int a = 0; a < dp.actions; ++a) {
      const double w = policy[s][a];
      if (w == 0.0) continue;
      rhs(s) += (1.0 - d) * w * dp.reward[s][a];
      for (const auto& [t, p] : dp.moves[s][a]) system(s, t) -= d * w * p;
    }
  }
  return system.partialPivLu().solve(rhs);
}

double q_value(const DecisionProblem& dp, const Eigen::VectorXd& v, int s, int a, double d) {
  double q = (1.0 - d) * dp.reward[s][a];
  for (const auto& [t, p] : dp.moves[s][a]) q += d * p * v(t);
  return q;
}

// Exact (rational) checks at a rational discount factor, on the data as given (the doubles'
// exact values): used to confirm critical discount factors as fractions.

using ExactValues = std::vector<mpq_class>;

/// Value of a deterministic-or-mixed stationary policy in rationals: (I - dP) V = (1-d) r.
std::optional<ExactValues> evaluate_exact(const DecisionProblem& dp,
                                          const std::vector<std::vector<double>>& policy,
                                          const mpq_class& d) {
  const auto n = static_cast<std::size_t>(dp.states);
  RationalMatrix rows(n, RationalVector(n, mpq_class(0)));
  RationalVector rhs(n, mpq_class(0));
  for (std::size_t s = 0; s < n; ++s) {
    rows[s][s] = 1;
    for (int a = 0; a < dp.actions; ++a) {
      const mpq_class w(policy[s][static_cast<std::size_t>(a)]);
      if (w == 0) continue;
      rhs[s] += (1 - d) * w * mpq_class(dp.reward[s][static_cast<std::size_t>(a)]);
      for (const auto& [t, p] : dp.moves[s][static_cast<std::size_t>(a)]) {
        rows[s][static_cast<std::size_t>(t)] -= d * w * mpq_class(p);
      }
    }
  }
  RationalSolution solution = solve_rational_system(std::move(rows), std::move(rhs), n);
  if (solution.kind != RationalSolution::kUnique) return std::nullopt;
  return std::move(solution.x);
}

mpq_class q_value_exact(const DecisionProblem& dp, const ExactValues& v, int s, int a,
                        const mpq_class& d) {
  mpq_class q = (1 - d) * mpq_class(dp.reward[static_cast<std::size_t>(s)][static_cast<std::size_t>(a)]);
  for (const auto& [t, p] : dp.moves[static_cast<std::size_t>(s)][static_cast<std::size_t>(a)]) {
    q += d * mpq_class(p) * v[static_cast<std::size_t>(t)];
  }
  return q;
}

/// Largest states count checked exactly (rational elimination is cubic).
constexpr int kMaxExactStates = 64;

/// In exact arithmetic at discount d (the same for every player): whether the profile holds
/// (subgame perfect, or Nash) and whether it holds with equality somewhere (a gain exactly 0
/// that decides). nullopt when too large or singular.
std::optional<std::pair<bool, bool>> holds_exactly(const NormalFormGame& stage,
                                                   const AutomatonProfile& profile,
                                                   const JointSpace& all, bool nash,
                                                   const mpq_class& d, double noise) {
  if (static_cast<int>(all.states.size()) > kMaxExactStates) return std::nullopt;
  bool holds = true;
  bool tight = false;
  for (int player = 0; player < stage.num_players(); ++player) {
    const DecisionProblem dp = decision_problem(stage, profile, all, player, noise);
    const auto follow = evaluate_exact(dp, dp.own_mix, d);
    if (!follow) return std::nullopt;
    if (!nash) {
      for (int s = 0; s < dp.states; ++s) {
        for (int a = 0; a < dp.actions; ++a) {
          if (dp.own_mix[static_cast<std::size_t>(s)][static_cast<std::size_t>(a)] == 1.0) continue;
          const int c = cmp(q_value_exact(dp, *follow, s, a, d), (*follow)[static_cast<std::size_t>(s)]);
          if (c > 0) holds = false;
          if (c == 0) tight = true;
        }
      }
      continue;
    }
    // Best response by exact policy iteration from the automaton's own policy.
    std::vector<std::vector<double>> policy = dp.own_mix;
    ExactValues value = *follow;
    for (int iteration = 0; iteration < 200; ++iteration) {
      bool changed = false;
      for (int s = 0; s < dp.states; ++s) {
        const auto us = static_cast<std::size_t>(s);
        mpq_class current = value[us];
        int best = -1;
        for (int a = 0; a < dp.actions; ++a) {
          const mpq_class q = q_value_exact(dp, value, s, a, d);
          if (q > current) {
            current = q;
            best = a;
          }
        }
        if (best >= 0) {
          std::fill(policy[us].begin(), policy[us].end(), 0.0);
          policy[us][static_cast<std::size_t>(best)] = 1.0;
          changed = true;
        }
      }
      if (!changed) break;
      const auto next = evaluate_exact(dp, policy, d);
      if (!next) return std::nullopt;
      value = *next;
    }
    const int c = cmp(value[0], (*follow)[0]);
    if (c > 0) holds = false;
    if (c == 0) {
      // Tight when some deviation from the initial state earns exactly the same.
      for (int a = 0; a < dp.actions; ++a) {
        if (dp.own_mix[0][static_cast<std::size_t>(a)] == 1.0) continue;
        if (q_value_exact(dp, value, 0, a, d) == (*follow)[0]) tight = true;
      }
    }
  }
  return std::pair{holds, tight};
}

/// check_profile() on a stage game whose payoffs lie in [0, 1].
ProfileCheck check_unit_profile(const NormalFormGame& stage, const AutomatonProfile& profile,
                                const std::vector<double>& discount, double noise, double tol) {
  const int n = stage.num_players();
  if (static_cast<int>(discount.size()) != n) {
    throw InvalidGame("one discount factor per player is needed");
  }
  for (double d : discount) {
    if (!(d > 0.0 && d < 1.0)) throw InvalidGame(fmt::format("discount factor {} is not in (0, 1)", d));
  }
  const double scale = payoff_scale(stage);
  const JointSpace all = explore(stage, profile, true, noise);
  const JointSpace path = explore(stage, profile, false, noise);
  ProfileCheck out;
  out.subgame_perfect = true;
  out.nash = true;
  for (int player = 0; player < n; ++player) {
    const double d = discount[player];
    // Normalised gains shrink like (1 - d) while rounding grows like 1 / (1 - d): compare
    // against both, so that patience near 1 neither hides a real gain nor invents one.
    const double eps = scale * (tol * (1.0 - d) + 1e-14 / (1.0 - d));
    const DecisionProblem dp = decision_problem(stage, profile, all, player, noise);
    const Eigen::VectorXd follow = evaluate(dp, dp.own_mix, d);
    out.payoffs.push_back(follow(0));
    for (int s = 0; s < dp.states; ++s) {
      for (int a = 0; a < dp.actions; ++a) {
        const double gain = q_value(dp, follow, s, a, d) - follow(s);
        if (gain > eps) {
          out.subgame_perfect = false;
          double expected = 0.0;
          for (int b = 0; b < dp.actions; ++b) expected += dp.own_mix[s][b] * dp.reward[s][b];
          const double immediate = dp.reward[s][a] - expected;
          out.deviations.push_back({all.states[s], player, a, gain, immediate,
                                    (1.0 - d) * immediate - gain,
                                    path.index.count(all.states[s]) > 0});
        }
      }
    }
    // Best response by policy iteration, starting from the greedy policy against `follow`.
    std::vector<std::vector<double>> policy(static_cast<std::size_t>(dp.states),
                                            std::vector<double>(static_cast<std::size_t>(dp.actions), 0.0));
    Eigen::VectorXd value = follow;
    std::vector<int> choice(static_cast<std::size_t>(dp.states), -1);
    for (int iteration = 0; iteration < 10000; ++iteration) {
      bool changed = false;
      for (int s = 0; s < dp.states; ++s) {
        int best = choice[s] < 0 ? 0 : choice[s];
        double best_q = q_value(dp, value, s, best, d);
        for (int a = 0; a < dp.actions; ++a) {
          const double q = q_value(dp, value, s, a, d);
          if (q > best_q + eps * 1e-3) {
            best = a;
            best_q = q;
          }
        }
        if (best != choice[s]) {
          changed = true;
          if (choice[s] >= 0) policy[s][choice[s]] = 0.0;
          choice[s] = best;
          policy[s][best] = 1.0;
        }
      }
      if (!changed) break;
      value = evaluate(dp, policy, d);
    }
    out.best_response_values.push_back(value(0));
    if (value(0) > follow(0) + eps) out.nash = false;
  }
  std::sort(out.deviations.begin(), out.deviations.end(),
            [](const Deviation& a, const Deviation& b) { return a.gain > b.gain; });
  return out;
}

}  // namespace

ProfileCheck check_profile(const NormalFormGame& stage, const AutomatonProfile& profile,
                           const std::vector<double>& discount, double noise, double tol) {
  check_profile_shape(stage, profile);
  // The check runs on the stage game with each player's payoffs mapped onto [0, 1]
  // (docs/numerics.md), so its verdicts do not depend on the payoffs' scale or shift; payoffs
  // and gains are mapped back.
  ProfileCheck out = check_unit_profile(normalized_payoffs(stage), profile, discount, noise, tol);
  const std::vector<PayoffNormalization> maps = payoff_normalization(stage);
  for (std::size_t p = 0; p < maps.size(); ++p) {
    out.payoffs[p] = maps[p].low + maps[p].unit * out.payoffs[p];
    out.best_response_values[p] = maps[p].low + maps[p].unit * out.best_response_values[p];
  }
  for (Deviation& d : out.deviations) {
    const double unit = maps[static_cast<std::size_t>(d.player)].unit;
    d.gain *= unit;
    d.immediate *= unit;
    d.continuation_loss *= unit;
  }
  return out;
}

DeltaSet equilibrium_deltas(const NormalFormGame& stage, const AutomatonProfile& profile, bool nash,
                            double continuation, double noise, int grid) {
  if (!(continuation > 0.0 && continuation <= 1.0)) {
    throw InvalidGame("continuation probability must be in (0, 1]");
  }
  const int n = stage.num_players();
  check_profile_shape(stage, profile);
  const NormalFormGame unit = normalized_payoffs(stage);  // scale-free verdicts (see check_profile)
  const auto holds = [&](double delta) {
    const ProfileCheck c =
        check_unit_profile(unit, profile, std::vector<double>(n, delta * continuation), noise, 1e-10);
    return nash ? c.nash : c.subgame_perfect;
  };
  std::vector<double> points{1e-9};
  for (int k = 1; k < grid; ++k) points.push_back(static_cast<double>(k) / grid);
  // Near 1 the conditioning of (I - dP) limits what can be resolved; 1 - 1e-4 is still exact
  // to about 1e-12, far below the gains being compared.
  for (double tail : {1e-3 / 2, 2e-4, 1e-4}) points.push_back(1.0 - tail);
  std::sort(points.begin(), points.end());
  std::vector<bool> ok;
  for (double x : points) ok.push_back(holds(x));
  // Refine each change of truth value by bisection; the returned boundary is on the true side.
  std::vector<std::pair<double, bool>> edges;  // (boundary, opens an interval)
  for (std::size_t i = 0; i + 1 < points.size(); ++i) {
    if (ok[i] == ok[i + 1]) continue;
    double lo = points[i], hi = points[i + 1];
    const bool left = ok[i];
    while (hi - lo > 1e-13) {
      const double mid = 0.5 * (lo + hi);
      (holds(mid) == left ? lo : hi) = mid;
    }
    edges.emplace_back(left ? lo : hi, !left);
  }
  // Try each boundary as a fraction, confirmed in exact arithmetic (on the stage game as given:
  // its doubles are exact rationals, and the verdict does not depend on scale).
  const JointSpace all = explore(stage, profile, true, noise);
  const mpq_class exact_continuation(continuation);
  const auto exact_boundary = [&](double x, bool opens) -> std::string {
    const mpq_class q = simplest_rational(x, 1e-8);
    if (q <= 0 || q >= 1 || q.get_den() > 1'000'000) return {};
    const mpq_class step(1, 1'000'000'000);
    const mpq_class outside = opens ? mpq_class(q - step) : mpq_class(q + step);
    const auto at = holds_exactly(stage, profile, all, nash, q * exact_continuation, noise);
    if (!at || !at->first || !at->second) return {};
    if (outside > 0 && outside < 1) {
      const auto beyond = holds_exactly(stage, profile, all, nash, outside * exact_continuation, noise);
      if (!beyond || beyond->first) return {};
    }
    return fraction_string(q);
  };
  DeltaSet set;
  double start = ok.front() ? 0.0 : -1.0;
  std::string start_exact = ok.front() ? "0" : "";
  for (const auto& [x, opens] : edges) {
    const std::string exact = exact_boundary(x, opens);
    const double value = exact.empty() ? x : nearest_double(*parse_rational(exact));
    if (opens) {
      start = value;
      start_exact = exact;
    } else if (start >= 0.0) {
      set.intervals.emplace_back(start, value);
      set.exact.emplace_back(start_exact, exact);
      start = -1.0;
    }
  }
  if (start >= 0.0) {
    set.intervals.emplace_back(start, 1.0);
    set.exact.emplace_back(start_exact, "1");
  }
  return set;
}

FiniteHorizonResult finite_horizon(const NormalFormGame& stage, const AutomatonProfile& profile,
                                   const std::vector<double>& discount, int rounds) {
  check_profile_shape(stage, profile);
  if (rounds < 1) throw InvalidGame("a finite horizon needs at least one round");
  const int n = stage.num_players();
  const double eps = 1e-10 * payoff_scale(stage);
  const JointSpace all = explore(stage, profile, true, 0.0);
  // States reachable at each round under any history.
  std::vector<std::vector<bool>> at_round(static_cast<std::size_t>(rounds),
                                          std::vector<bool>(all.states.size(), false));
  at_round[0][0] = true;
  for (int t = 1; t < rounds; ++t) {
    for (std::size_t s = 0; s < all.states.size(); ++s) {
      if (!at_round[t - 1][s]) continue;
      for (std::size_t idx = 0; idx < stage.num_profiles(); ++idx) {
        at_round[t][all.index.at(next_joint(profile, all.states[s], idx))] = true;
      }
    }
  }
  FiniteHorizonResult out;
  out.subgame_perfect = true;
  for (int player = 0; player < n; ++player) {
    const double d = discount[player];
    const DecisionProblem dp = decision_problem(stage, profile, all, player, 0.0);
    Eigen::VectorXd later = Eigen::VectorXd::Zero(dp.states);  // unnormalised value from t+1 on
    for (int t = rounds - 1; t >= 0; --t) {
      Eigen::VectorXd now = Eigen::VectorXd::Zero(dp.states);
      for (int s = 0; s < dp.states; ++s) {
        std::vector<double> q(static_cast<std::size_t>(dp.actions));
        for (int a = 0; a < dp.actions; ++a) {
          q[a] = dp.reward[s][a];
          for (const auto& [u, p] : dp.moves[s][a]) q[a] += d * p * later(u);
          now(s) += dp.own_mix[s][a] * q[a];
        }
        if (!at_round[t][s]) continue;
        for (int a = 0; a < dp.actions; ++a) {
          if (q[a] > now(s) + eps) {
            out.subgame_perfect = false;
            const double norm = d == 1.0 ? 1.0 / rounds : (1.0 - d) / (1.0 - std::pow(d, rounds));
            double expected = 0.0;
            for (int b = 0; b < dp.actions; ++b) expected += dp.own_mix[s][b] * dp.reward[s][b];
            out.deviations.push_back({all.states[s], player, a, norm * (q[a] - now(s)),
                                      dp.reward[s][a] - expected, 0.0, false});
            out.deviation_rounds.push_back(t + 1);
          }
        }
      }
      later = now;
    }
    const double norm = d == 1.0 ? 1.0 / rounds : (1.0 - d) / (1.0 - std::pow(d, rounds));
    out.payoffs.push_back(norm * later(0));
  }
  SolveContext context;
  const auto pure = solve_pure(stage, {}, context);
  bool unique = pure.size() == 1;
  if (unique && n == 2) unique = solve_support(stage, {}, context).size() == 1;
  if (unique) {
    std::vector<int> actions;
    if (pure[0].profile.is_pure(1e-12, &actions)) out.unique_stage_equilibrium = actions;
  }
  return out;
}

}  // namespace stratagem
