// The certified search's enclosures of the indifference equations (engine/solve/
// support_intervals): every value of F and of its Jacobian over a box, computed exactly in
// rationals from the game's payoffs, lies inside the enclosure; the vertex enclosure is the
// exact range (to rounding).
#include "solve/support_search.hpp"

#include <catch2/catch.hpp>

#include <gmpxx.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include "test_games.hpp"

using namespace stratagem;
using stratagem::detail::IndifferencePolynomials;
using stratagem::detail::Interval;

namespace {

/// Player i's payoff difference U_i(support[i][l]) - U_i(support[i][0]) in rationals, against
/// the others' weight vectors over their supports (probabilities, or e_j - e_0 for a
/// derivative). Independent of the engine: a sum over the others' support profiles.
mpq_class exact_difference(const NormalFormGame& game, const std::vector<std::vector<int>>& support,
                           int i, int l, const std::vector<std::vector<mpq_class>>& weights) {
  const int n = game.num_players();
  std::vector<std::size_t> digit(static_cast<std::size_t>(n), 0);
  std::vector<int> actions(static_cast<std::size_t>(n), 0);
  mpq_class total = 0;
  while (true) {
    mpq_class w = 1;
    for (int p = 0; p < n; ++p) {
      if (p == i) continue;
      actions[p] = support[p][digit[p]];
      w *= weights[p][digit[p]];
    }
    actions[i] = support[i][l];
    const mpq_class gain(game.payoff(i, game.index(actions)));
    actions[i] = support[i][0];
    const mpq_class base(game.payoff(i, game.index(actions)));
    total += w * (gain - base);
    int p = 0;
    for (; p < n; ++p) {
      if (p == i) continue;
      if (++digit[p] < support[p].size()) break;
      digit[p] = 0;
    }
    if (p == n) break;
  }
  return total;
}

bool inside(const mpq_class& v, const Interval& box) {
  return mpq_class(box.lo) <= v && v <= mpq_class(box.hi);
}

}  // namespace

TEST_CASE("support intervals: enclosures contain the exact values and the vertex one is tight",
          "[support-newton][intervals]") {
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  int systems = 0;
  for (unsigned seed = 1; seed <= 40; ++seed) {
    const int n = 3 + static_cast<int>(seed % 2);
    std::vector<int> shape(static_cast<std::size_t>(n), seed % 3 == 0 ? 3 : 2);
    const NormalFormGame integer = testing::random_game(shape, seed, -50, 50);
    // Payoffs that are not small integers: coefficients round.
    NormalFormBuilder b(integer.player_names(), integer.shape());
    for (std::size_t idx = 0; idx < integer.num_profiles(); ++idx) {
      for (int p = 0; p < n; ++p) b.set_payoff(idx, p, integer.payoff(p, idx) * 0.37 + 0.1);
    }
    const NormalFormGame game = std::move(b).build();
    // A random support profile with at least two actions for some player.
    std::vector<std::vector<int>> support(static_cast<std::size_t>(n));
    for (int p = 0; p < n; ++p) {
      for (int a = 0; a < shape[p]; ++a) {
        if (unit(rng) < 0.7 || (a == shape[p] - 1 && support[p].empty())) support[p].push_back(a);
      }
    }
    const IndifferencePolynomials system(game, support);
    const int m = system.size();
    if (m == 0 || m > 6) continue;
    ++systems;
    for (int trial = 0; trial < 5; ++trial) {
      std::vector<Interval> box(static_cast<std::size_t>(m));
      for (auto& side : box) {
        const double a = unit(rng), w = trial == 0 ? 1.0 : 0.3 * unit(rng);
        side = {std::max(0.0, a - w), std::min(1.0, a + w)};
      }
      std::vector<Interval> f_vertex, j_vertex, f_natural, j_natural;
      system.enclose_vertices(box, f_vertex, j_vertex);
      system.enclose(box, f_natural, j_natural);
      REQUIRE(f_vertex.size() == static_cast<std::size_t>(m));
      REQUIRE(j_vertex.size() == static_cast<std::size_t>(m * m));
      // Exact values at the corners and at random points of the box.
      std::vector<mpq_class> f_low(m), f_high(m);
      for (int point = 0; point < (1 << m) + 20; ++point) {
        std::vector<mpq_class> q(static_cast<std::size_t>(m));
        for (int v = 0; v < m; ++v) {
          const double x = point < (1 << m) ? (((point >> v) & 1) != 0 ? box[v].hi : box[v].lo)
                                            : box[v].lo + unit(rng) * box[v].width();
          q[v] = mpq_class(x);
        }
        std::vector<std::vector<mpq_class>> probs(static_cast<std::size_t>(n));
        for (int p = 0; p < n; ++p) {
          mpq_class rest = 1;
          probs[p].resize(support[p].size());
          for (int j = 0; j < system.count(p); ++j) {
            probs[p][j + 1] = q[system.first(p) + j];
            rest -= q[system.first(p) + j];
          }
          probs[p][0] = rest;
        }
        for (int i = 0; i < n; ++i) {
          for (int l = 1; l < static_cast<int>(support[i].size()); ++l) {
            const int e = system.first(i) + l - 1;
            const mpq_class value = exact_difference(game, support, i, l, probs);
            INFO("seed " << seed << " equation " << e);
            CHECK(inside(value, f_vertex[e]));
            CHECK(inside(value, f_natural[e]));
            if (point < (1 << m)) {
              if (point == 0 || value < f_low[e]) f_low[e] = value;
              if (point == 0 || value > f_high[e]) f_high[e] = value;
            }
            for (int p = 0; p < n; ++p) {
              for (int j = 0; j < system.count(p); ++j) {
                const int v = system.first(p) + j;
                auto direction = probs;
                std::fill(direction[p].begin(), direction[p].end(), mpq_class(0));
                direction[p][0] = -1;
                direction[p][j + 1] = 1;
                const mpq_class d =
                    p == i ? mpq_class(0) : exact_difference(game, support, i, l, direction);
                CHECK(inside(d, j_vertex[e * m + v]));
                CHECK(inside(d, j_natural[e * m + v]));
              }
            }
          }
        }
      }
      // The vertex enclosure is the range of F over the box, up to rounding.
      for (int e = 0; e < m; ++e) {
        const double slack = 1e-12 * (1.0 + std::abs(f_vertex[e].lo) + std::abs(f_vertex[e].hi));
        CHECK(f_vertex[e].lo >= f_low[e].get_d() - slack);
        CHECK(f_vertex[e].hi <= f_high[e].get_d() + slack);
      }
    }
  }
  CHECK(systems >= 20);
}

TEST_CASE("support intervals: narrowing and the certified search keep a known zero",
          "[support-newton][intervals]") {
  // Three-player games with a completely mixed equilibrium at a chosen dyadic point x*: random
  // integer payoffs, then each row s_l of player i shifted by the constant that makes s_l and
  // s_0 indifferent at x* (exact in doubles: dyadic sums).
  std::mt19937_64 rng(11);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  const std::vector<std::vector<double>> two{{0.25, 0.75}, {0.375, 0.625}, {0.5, 0.5}};
  const std::vector<std::vector<double>> three{{0.25, 0.25, 0.5}, {0.125, 0.5, 0.375}};
  int found = 0;
  for (unsigned seed = 1; seed <= 30; ++seed) {
    const int n = 3;
    std::vector<int> shape(3);
    for (int p = 0; p < n; ++p) shape[p] = (seed >> p) % 2 == 0 ? 2 : 3;
    const NormalFormGame base = testing::random_game(shape, seed, -20, 20);
    std::vector<std::vector<mpq_class>> star(3);
    std::vector<std::vector<int>> support(3);
    for (int p = 0; p < n; ++p) {
      const auto& options = shape[p] == 2 ? two : three;
      for (double x : options[(seed + static_cast<unsigned>(p)) % options.size()]) star[p].emplace_back(x);
      for (int a = 0; a < shape[p]; ++a) support[p].push_back(a);
    }
    NormalFormBuilder b(base.player_names(), base.shape());
    for (std::size_t idx = 0; idx < base.num_profiles(); ++idx) {
      for (int p = 0; p < n; ++p) b.set_payoff(idx, p, base.payoff(p, idx));
    }
    for (int i = 0; i < n; ++i) {
      for (int l = 1; l < shape[i]; ++l) {
        const mpq_class d = exact_difference(base, support, i, l, star);
        for (std::size_t idx = 0; idx < base.num_profiles(); ++idx) {
          if (base.profile(idx)[i] == l) b.set_payoff(idx, i, base.payoff(i, idx) - d.get_d());
        }
      }
    }
    const NormalFormGame game = std::move(b).build();
    for (int i = 0; i < n; ++i) {
      for (int l = 1; l < shape[i]; ++l) REQUIRE(exact_difference(game, support, i, l, star) == 0);
    }
    const IndifferencePolynomials system(game, support);
    const int m = system.size();
    Eigen::VectorXd x(m);
    for (int p = 0; p < n; ++p) {
      for (int j = 0; j < system.count(p); ++j) x(system.first(p) + j) = star[p][j + 1].get_d();
    }
    INFO("seed " << seed);
    for (int trial = 0; trial < 200; ++trial) {
      std::vector<Interval> box(static_cast<std::size_t>(m));
      for (int v = 0; v < m; ++v) {
        // Widths from 1 down to 1e-16 and, one trial in ten, the point itself: narrowing must
        // keep x* through rounding too.
        const double scale = trial % 10 == 0 ? 0.0 : std::pow(10.0, -16.0 * unit(rng));
        box[v] = {x(v) - scale * unit(rng), x(v) + scale * unit(rng)};
      }
      std::vector<Interval> f, jac;
      system.enclose(box, f, jac);
      for (const auto& side : f) CHECK(side.contains_zero());
      system.enclose_vertices(box, f, jac);
      for (const auto& side : f) CHECK(side.contains_zero());
      REQUIRE(system.narrow(box));
      for (int v = 0; v < m; ++v) {
        CHECK(box[v].lo <= x(v));
        CHECK(x(v) <= box[v].hi);
      }
    }
    const auto solutions = detail::certified_solutions(system, 30'000, {});
    if (solutions.singular || solutions.budget_exceeded) continue;
    ++found;
    CHECK(std::any_of(solutions.regular.begin(), solutions.regular.end(),
                      [&](const Eigen::VectorXd& y) { return (y - x).lpNorm<Eigen::Infinity>() < 1e-9; }));
    const auto near = detail::certify_near(system, x);
    REQUIRE(near.has_value());
    CHECK((*near - x).lpNorm<Eigen::Infinity>() < 1e-12);
  }
  CHECK(found >= 20);
}

TEST_CASE("support intervals: equal payoffs give exact zero coefficients; a null equation is a "
          "continuum found at once", "[support-newton][intervals]") {
  // Player 1's actions 0 and 1 pay the same against everything (duplicate strategies, as in the
  // reduced form of a tree): its indifference equation on the support {0, 1} is identically 0.
  const NormalFormGame base = testing::random_game({3, 2, 2}, 5, -9, 9);
  NormalFormBuilder b(base.player_names(), base.shape());
  for (std::size_t idx = 0; idx < base.num_profiles(); ++idx) {
    auto profile = base.profile(idx);
    for (int p = 0; p < 3; ++p) b.set_payoff(idx, p, base.payoff(p, idx));
    if (profile[0] == 1) {
      profile[0] = 0;
      b.set_payoff(idx, 0, base.payoff(0, base.index(profile)));
    }
  }
  const NormalFormGame game = std::move(b).build();
  const std::vector<std::vector<int>> support{{0, 1}, {0, 1}, {0, 1}};
  const IndifferencePolynomials system(game, support);
  CHECK(system.has_null_equation());
  const auto solutions = detail::certified_solutions(system, 30'000, {});
  CHECK(solutions.regular.empty());
  CHECK(solutions.singular);
  REQUIRE(solutions.singular_point.has_value());
  // The point found is a zero of the equations inside the simplices.
  Eigen::VectorXd f;
  Eigen::MatrixXd jac;
  system.evaluate(*solutions.singular_point, f, jac);
  CHECK(f.lpNorm<Eigen::Infinity>() <= 1e-12);
  CHECK(solutions.boxes <= 1);

  // Generic payoffs: no null equation.
  CHECK_FALSE(IndifferencePolynomials(base, support).has_null_equation());
}
