// The engine's dense simplex for small security-strategy and zero-sum LPs, checked against Clp
// (the LP module) and by duality on random, degenerate and badly scaled games.
#include "solve/dense_simplex.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <random>
#include <utility>
#include <stdexcept>
#include <vector>

#include "solve/lp.hpp"
#include "stratagem/solve/lp_solvers.hpp"
#include "test_games.hpp"

using namespace stratagem;
using stratagem::detail::solve_packing_lp;
using stratagem::testing::random_game;

namespace {

/// max 1'w, M w <= 1, w >= 0 by Clp.
double clp_packing_value(const std::vector<double>& m, int rows, int cols) {
  lp::LinearProgram program(lp::LinearProgram::Sense::kMaximize);
  for (int j = 0; j < cols; ++j) program.add_variable(1.0);
  for (int i = 0; i < rows; ++i) {
    program.add_dense_row(std::span<const double>(m.data() + static_cast<std::size_t>(i) * cols,
                                                  static_cast<std::size_t>(cols)),
                          -lp::kInfinity, 1.0);
  }
  const auto s = lp::solve(program);
  REQUIRE(s.status == lp::LpStatus::kOptimal);
  return s.objective;
}

/// Primal and dual feasibility and equal objectives: the solution is optimal.
void check_optimal(const std::vector<double>& m, int rows, int cols) {
  const auto s = solve_packing_lp(m, rows, cols);
  REQUIRE(s.has_value());
  REQUIRE(s->primal.size() == static_cast<std::size_t>(cols));
  REQUIRE(s->dual.size() == static_cast<std::size_t>(rows));
  double sw = 0.0, su = 0.0;
  for (double w : s->primal) {
    CHECK(w >= 0.0);
    sw += w;
  }
  for (double u : s->dual) {
    CHECK(u >= 0.0);
    su += u;
  }
  for (int i = 0; i < rows; ++i) {
    double lhs = 0.0;
    for (int j = 0; j < cols; ++j) lhs += m[static_cast<std::size_t>(i) * cols + j] * s->primal[j];
    CHECK(lhs <= 1.0 + 1e-12);
  }
  for (int j = 0; j < cols; ++j) {
    double lhs = 0.0;
    for (int i = 0; i < rows; ++i) lhs += m[static_cast<std::size_t>(i) * cols + j] * s->dual[i];
    CHECK(lhs >= 1.0 - 1e-12);
  }
  CHECK(sw == Approx(su).epsilon(1e-12));
  CHECK(s->value == Approx(sw).epsilon(1e-12));
  CHECK(s->value == Approx(clp_packing_value(m, rows, cols)).epsilon(1e-10));
}

}  // namespace

TEST_CASE("dense simplex: random packing programs are solved optimally, as Clp solves them",
          "[lp][dense-simplex]") {
  std::mt19937 rng(20261207);
  std::uniform_real_distribution<double> entry(1.0, 2.0);
  for (int trial = 0; trial < 60; ++trial) {
    const int rows = 1 + trial % 13, cols = 1 + (trial * 7) % 17;
    std::vector<double> m(static_cast<std::size_t>(rows) * cols);
    for (double& x : m) x = entry(rng);
    INFO("trial " << trial << ": " << rows << " x " << cols);
    check_optimal(m, rows, cols);
  }
}

TEST_CASE("dense simplex: programs as large as it takes (250 x 250) agree with Clp",
          "[lp][dense-simplex]") {
  std::mt19937 rng(9);
  std::uniform_int_distribution<int> entry(0, 20);
  for (const auto& [rows, cols] : {std::pair{250, 250}, std::pair{120, 300}, std::pair{300, 40}}) {
    std::vector<double> m(static_cast<std::size_t>(rows) * cols);
    for (double& x : m) x = 1.0 + entry(rng) / 20.0;  // few distinct values: degenerate
    INFO(rows << " x " << cols);
    check_optimal(m, rows, cols);
  }
}

TEST_CASE("dense simplex: degenerate programs terminate at an optimum", "[lp][dense-simplex]") {
  SECTION("every entry equal") { check_optimal(std::vector<double>(36, 1.5), 6, 6); }
  SECTION("integer entries with many ties (payoffs of a few values)") {
    std::mt19937 rng(5);
    std::uniform_int_distribution<int> entry(0, 2);
    for (int trial = 0; trial < 40; ++trial) {
      const int rows = 3 + trial % 9, cols = 3 + (trial * 5) % 11;
      std::vector<double> m(static_cast<std::size_t>(rows) * cols);
      for (double& x : m) x = 1.0 + entry(rng) / 2.0;
      INFO("trial " << trial);
      check_optimal(m, rows, cols);
    }
  }
  SECTION("repeated rows and columns") {
    std::vector<double> m;
    for (int i = 0; i < 8; ++i) {
      for (int j = 0; j < 8; ++j) m.push_back(1.0 + ((i / 2 + j / 4) % 2));
    }
    check_optimal(m, 8, 8);
  }
}

TEST_CASE("dense simplex: malformed input is refused", "[lp][dense-simplex]") {
  CHECK_THROWS_AS(solve_packing_lp({1.0, 2.0}, 1, 3), std::invalid_argument);
  CHECK_THROWS_AS(solve_packing_lp({1.0, 0.0}, 1, 2), std::invalid_argument);
  CHECK_THROWS_AS(solve_packing_lp({1.0, NAN}, 1, 2), std::invalid_argument);
  CHECK_THROWS_AS(solve_packing_lp({}, 0, 0), std::invalid_argument);
}

TEST_CASE("security strategies of small games: the same level at every payoff scale and shift",
          "[lp][dense-simplex]") {
  for (unsigned seed = 1; seed <= 30; ++seed) {
    const auto g = random_game({2 + static_cast<int>(seed % 7), 2 + static_cast<int>(seed % 5)},
                               seed);
    for (int p = 0; p < 2; ++p) {
      const auto base = security_strategy(g, p);
      REQUIRE(base.status == SolveStatus::kOk);
      // Nothing guarantees more: the opponent's best reply to the strategy holds it to the level
      // (recomputed here), and no pure action guarantees more.
      for (int a = 0; a < g.num_actions(p); ++a) {
        std::vector<double> pure(static_cast<std::size_t>(g.num_actions(p)), 0.0);
        pure[static_cast<std::size_t>(a)] = 1.0;
        double worst = INFINITY;
        for (int b = 0; b < g.num_actions(1 - p); ++b) {
          std::vector<int> profile(2);
          profile[static_cast<std::size_t>(p)] = a;
          profile[static_cast<std::size_t>(1 - p)] = b;
          worst = std::min(worst, g.payoff(p, g.index(profile)));
        }
        CHECK(worst <= base.value + 1e-9);
      }
      for (const double scale : {1e-6, 1e3, 1e9}) {
        NormalFormBuilder b(g.player_names(), g.shape());
        for (std::size_t idx = 0; idx < g.num_profiles(); ++idx) {
          for (int q = 0; q < 2; ++q) b.set_payoff(idx, q, g.payoff(q, idx) * scale + 7.0);
        }
        const auto scaled = security_strategy(std::move(b).build(), p);
        REQUIRE(scaled.status == SolveStatus::kOk);
        CHECK((scaled.value - 7.0) / scale == Approx(base.value).epsilon(1e-9).margin(1e-9));
        REQUIRE(scaled.strategy.size() == base.strategy.size());
        for (std::size_t a = 0; a < base.strategy.size(); ++a) {
          CHECK(scaled.strategy[a] == Approx(base.strategy[a]).margin(1e-9));
        }
      }
    }
  }
}
