#include "stratagem/repeated/payoff_set.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "solve/lp.hpp"

namespace stratagem {
namespace {

/// Lowest payoff the others can hold `player` to with pure actions; fills the punishment.
double pure_minmax(const NormalFormGame& stage, int player, std::vector<int>& punishment) {
  double best = std::numeric_limits<double>::infinity();
  const auto payoffs = stage.payoffs(player);
  for (std::size_t idx = 0; idx < stage.num_profiles(); ++idx) {
    if (stage.action_of(idx, player) != 0) continue;  // enumerate the others' profiles once
    double reply = -std::numeric_limits<double>::infinity();
    int reply_action = 0;
    for (int a = 0; a < stage.num_actions(player); ++a) {
      const double u = payoffs[idx + static_cast<std::size_t>(a) * stage.stride(player)];
      if (u > reply) {
        reply = u;
        reply_action = a;
      }
    }
    if (reply < best) {
      best = reply;
      punishment = stage.profile(idx);
      punishment[player] = reply_action;
    }
  }
  return best;
}

/// Mixed minmax by LP over the others' joint mixtures: min v s.t. for every own action a,
/// sum_o q(o) u(a, o) <= v. Exact for two players (the other's mixture is the joint one).
double mixed_minmax(const NormalFormGame& stage, int player, MixedProfile& punishment,
                    bool& correlated) {
  const int n = stage.num_players();
  correlated = n > 2;
  std::vector<std::size_t> others;  // profile indices with own action 0 = the others' profiles
  for (std::size_t idx = 0; idx < stage.num_profiles(); ++idx) {
    if (stage.action_of(idx, player) == 0) others.push_back(idx);
  }
  lp::LinearProgram program(lp::LinearProgram::Sense::kMinimize);
  const int v = program.add_variable(1.0, -lp::kInfinity, lp::kInfinity);
  std::vector<int> q;
  for (std::size_t k = 0; k < others.size(); ++k) q.push_back(program.add_variable(0.0));
  for (int a = 0; a < stage.num_actions(player); ++a) {
    std::vector<std::pair<int, double>> row{{v, -1.0}};
    for (std::size_t k = 0; k < others.size(); ++k) {
      row.emplace_back(q[k], stage.payoff(player, others[k] + static_cast<std::size_t>(a) * stage.stride(player)));
    }
    program.add_row(std::move(row), -lp::kInfinity, 0.0);
  }
  std::vector<std::pair<int, double>> sum;
  for (int var : q) sum.emplace_back(var, 1.0);
  program.add_row(std::move(sum), 1.0, 1.0);
  const lp::LpSolution solution = lp::solve(program);
  if (solution.status != lp::LpStatus::kOptimal) {
    throw InvalidGame("minmax linear program failed: " + solution.message);
  }
  // Marginals of the joint mixture give each other player's punishing mixture.
  std::vector<std::vector<double>> probs;
  for (int p = 0; p < n; ++p) probs.emplace_back(static_cast<std::size_t>(stage.num_actions(p)), 0.0);
  for (std::size_t k = 0; k < others.size(); ++k) {
    const double w = std::max(0.0, solution.x[q[k]]);
    for (int p = 0; p < n; ++p) {
      if (p != player) probs[p][stage.action_of(others[k], p)] += w;
    }
  }
  const double value = solution.x[v];
  MixedProfile shell(probs);
  probs[player][0] = 1.0;  // placeholder so action_values has a valid profile
  const auto values = action_values(stage, MixedProfile(probs), player);
  probs[player][0] = 0.0;
  probs[player][std::max_element(values.begin(), values.end()) - values.begin()] = 1.0;
  punishment = MixedProfile(probs);
  return value;
}

double cross(const std::vector<double>& o, const std::vector<double>& a, const std::vector<double>& b) {
  return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
}

/// Convex hull (Andrew's monotone chain), counter-clockwise, no collinear points.
std::vector<std::vector<double>> hull2(std::vector<std::vector<double>> pts) {
  std::sort(pts.begin(), pts.end());
  pts.erase(std::unique(pts.begin(), pts.end()), pts.end());
  if (pts.size() < 3) return pts;
  std::vector<std::vector<double>> h(2 * pts.size());
  std::size_t k = 0;
  for (std::size_t i = 0; i < pts.size(); ++i) {
    while (k >= 2 && cross(h[k - 2], h[k - 1], pts[i]) <= 1e-12) --k;
    h[k++] = pts[i];
  }
  for (std::size_t i = pts.size() - 1, t = k + 1; i > 0; --i) {
    while (k >= t && cross(h[k - 2], h[k - 1], pts[i - 1]) <= 1e-12) --k;
    h[k++] = pts[i - 1];
  }
  h.resize(k - 1);
  return h;
}

/// Clips a convex polygon to the half-plane x[axis] >= bound (Sutherland-Hodgman).
std::vector<std::vector<double>> clip(const std::vector<std::vector<double>>& poly, int axis,
                                      double bound) {
  std::vector<std::vector<double>> out;
  const std::size_t n = poly.size();
  if (n == 0) return out;
  if (n == 1) {
    if (poly[0][axis] >= bound - 1e-12) out = poly;
    return out;
  }
  for (std::size_t i = 0; i < n; ++i) {
    const auto& a = poly[i];
    const auto& b = poly[(i + 1) % n];
    const bool ina = a[axis] >= bound - 1e-12, inb = b[axis] >= bound - 1e-12;
    if (ina) out.push_back(a);
    if (ina != inb) {
      const double t = (bound - a[axis]) / (b[axis] - a[axis]);
      out.push_back({a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])});
    }
    if (n == 2) break;  // a segment: one edge
  }
  return hull2(out);
}

/// Whether point k is not a convex combination of the other points (LP feasibility).
bool extreme(const std::vector<std::vector<double>>& pts, std::size_t k) {
  lp::LinearProgram program(lp::LinearProgram::Sense::kMinimize);
  std::vector<int> w;
  for (std::size_t i = 0; i < pts.size(); ++i) {
    if (i != k) w.push_back(program.add_variable(0.0));
  }
  if (w.empty()) return true;
  const std::size_t dim = pts[k].size();
  for (std::size_t c = 0; c < dim; ++c) {
    std::vector<std::pair<int, double>> row;
    std::size_t j = 0;
    for (std::size_t i = 0; i < pts.size(); ++i) {
      if (i != k) row.emplace_back(w[j++], pts[i][c]);
    }
    program.add_row(std::move(row), pts[k][c] - 1e-9, pts[k][c] + 1e-9);
  }
  std::vector<std::pair<int, double>> sum;
  for (int var : w) sum.emplace_back(var, 1.0);
  program.add_row(std::move(sum), 1.0, 1.0);
  return lp::solve(program).status == lp::LpStatus::kInfeasible;
}

}  // namespace

std::vector<MinmaxValue> minmax_values(const NormalFormGame& stage) {
  std::vector<MinmaxValue> out;
  for (int p = 0; p < stage.num_players(); ++p) {
    MinmaxValue v;
    v.pure = pure_minmax(stage, p, v.pure_punishment);
    v.mixed = mixed_minmax(stage, p, v.mixed_punishment, v.correlated);
    out.push_back(std::move(v));
  }
  return out;
}

namespace {

/// payoff_region() of a stage game whose payoffs lie in [0, 1] (so that the geometric
/// tolerances above are relative to the payoff range).
PayoffRegion unit_payoff_region(const NormalFormGame& stage) {
  const int n = stage.num_players();
  std::vector<std::vector<double>> points;
  for (std::size_t idx = 0; idx < stage.num_profiles(); ++idx) {
    std::vector<double> u;
    for (int p = 0; p < n; ++p) u.push_back(stage.payoff(p, idx));
    points.push_back(std::move(u));
  }
  PayoffRegion region;
  for (const auto& v : minmax_values(stage)) region.minmax.push_back(v.mixed);
  if (n == 2) {
    region.feasible = hull2(points);
    auto ir = clip(region.feasible, 0, region.minmax[0]);
    region.individually_rational = clip(ir, 1, region.minmax[1]);
    return region;
  }
  std::sort(points.begin(), points.end());
  points.erase(std::unique(points.begin(), points.end()), points.end());
  for (std::size_t k = 0; k < points.size(); ++k) {
    if (extreme(points, k)) region.feasible.push_back(points[k]);
  }
  for (const auto& v : region.feasible) {
    bool ok = true;
    for (int p = 0; p < n; ++p) ok = ok && v[p] >= region.minmax[p] - 1e-12;
    if (ok) region.individually_rational.push_back(v);
  }
  return region;
}

}  // namespace

PayoffRegion payoff_region(const NormalFormGame& stage) {
  // Computed on the stage game with each player's payoffs mapped onto [0, 1] and mapped back:
  // the same region, point for point, whatever the payoffs' scale and shift.
  PayoffRegion region = unit_payoff_region(normalized_payoffs(stage));
  const std::vector<PayoffNormalization> maps = payoff_normalization(stage);
  const auto back = [&](std::vector<double>& point) {
    for (std::size_t p = 0; p < point.size(); ++p) point[p] = maps[p].low + maps[p].unit * point[p];
  };
  for (auto& v : region.feasible) back(v);
  for (auto& v : region.individually_rational) back(v);
  back(region.minmax);
  return region;
}

}  // namespace stratagem
