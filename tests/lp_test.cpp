#include "solve/lp.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>

#include "reference_games.hpp"
#include "stratagem/game/rational.hpp"
#include "stratagem/solve/exact.hpp"
#include "stratagem/solve/lp_solvers.hpp"
#include "stratagem/solve/support.hpp"
#include "test_games.hpp"

using namespace stratagem;
using stratagem::testing::bimatrix;
using stratagem::testing::random_game;

namespace {

SolveContext& ctx() {
  static SolveContext context;
  return context;
}

bool near(std::span<const double> got, const std::vector<double>& want, double tol) {
  if (got.size() != want.size()) return false;
  for (std::size_t i = 0; i < want.size(); ++i) {
    if (std::abs(got[i] - want[i]) > tol) return false;
  }
  return true;
}

/// Chicken as in Aumann (1974): (C,C) = (6,6), (C,D) = (2,7), (D,C) = (7,2), (D,D) = (0,0).
NormalFormGame chicken() {
  NormalFormBuilder b({"row", "column"}, {{"C", "D"}, {"C", "D"}});
  b.set_payoffs(std::vector<int>{0, 0}, std::vector<double>{6, 6});
  b.set_payoffs(std::vector<int>{0, 1}, std::vector<double>{2, 7});
  b.set_payoffs(std::vector<int>{1, 0}, std::vector<double>{7, 2});
  b.set_payoffs(std::vector<int>{1, 1}, std::vector<double>{0, 0});
  return std::move(b).build();
}

/// The distribution over chicken's profile indices (C,C), (D,C), (C,D), (D,D).
std::vector<double> chicken_distribution(double cc, double cd, double dc, double dd) {
  return {cc, dc, cd, dd};  // index = row action + 2 * column action
}

bool contains(const std::vector<CorrelatedEquilibrium>& list, const std::vector<double>& p) {
  return std::any_of(list.begin(), list.end(),
                     [&](const CorrelatedEquilibrium& v) { return near(v.distribution, p, 1e-9); });
}

}  // namespace

TEST_CASE("LP wrapper: optimal, infeasible and unbounded programs", "[lp]") {
  using lp::LinearProgram;
  SECTION("max x + y s.t. x + 2y <= 4, 3x + y <= 6") {
    LinearProgram program(LinearProgram::Sense::kMaximize);
    program.add_variable(1.0);
    program.add_variable(1.0);
    program.add_dense_row(std::vector<double>{1, 2}, -lp::kInfinity, 4);
    program.add_dense_row(std::vector<double>{3, 1}, -lp::kInfinity, 6);
    const auto s = lp::solve(program);
    REQUIRE(s.status == lp::LpStatus::kOptimal);
    CHECK(s.objective == Approx(2.8));  // x = 8/5, y = 6/5
    CHECK(near(s.x, {1.6, 1.2}, 1e-9));
  }
  SECTION("infeasible") {
    LinearProgram program(LinearProgram::Sense::kMinimize);
    program.add_variable(1.0);
    program.add_row({{0, 1.0}}, 2, 1);
    program.add_row({{0, 1.0}}, -lp::kInfinity, 1);
    program.add_row({{0, 1.0}}, 2, lp::kInfinity);
    const auto s = lp::solve(program);
    CHECK(s.status == lp::LpStatus::kInfeasible);
    CHECK_THAT(s.message, Catch::Contains("infeasible"));
  }
  SECTION("unbounded") {
    LinearProgram program(LinearProgram::Sense::kMaximize);
    program.add_variable(1.0);
    program.add_variable(-1.0);
    program.add_row({{0, 1.0}, {1, -1.0}}, -lp::kInfinity, lp::kInfinity);
    const auto s = lp::solve(program);
    CHECK(s.status == lp::LpStatus::kUnbounded);
  }
}

TEST_CASE("zero-sum: values of classic games", "[lp]") {
  SECTION("matching pennies: value 0, both mix 1/2") {
    const auto g = bimatrix({{1, -1}, {-1, 1}}, {{-1, 1}, {1, -1}});
    const auto z = solve_zero_sum(g);
    REQUIRE(z.status == SolveStatus::kOk);
    CHECK(z.value == Approx(0.0).margin(1e-12));
    CHECK(near(z.profile.probabilities(0), {0.5, 0.5}, 1e-12));
    CHECK(near(z.profile.probabilities(1), {0.5, 0.5}, 1e-12));
  }
  SECTION("rock-paper-scissors: value 0, uniform") {
    const auto g =
        bimatrix({{0, -1, 1}, {1, 0, -1}, {-1, 1, 0}}, {{0, 1, -1}, {-1, 0, 1}, {1, -1, 0}});
    const auto z = solve_zero_sum(g);
    CHECK(z.value == Approx(0.0).margin(1e-12));
    CHECK(near(z.profile.probabilities(0), {1.0 / 3, 1.0 / 3, 1.0 / 3}, 1e-12));
    CHECK(near(z.profile.probabilities(1), {1.0 / 3, 1.0 / 3, 1.0 / 3}, 1e-12));
  }
  SECTION("a saddle point: the 'Alex and Sam' matrix of an A-level Decision Mathematics exam") {
    // Source: an A-level (UK) Decision Mathematics exam question, "explain why the value of
    // the game is 2". Row minima 2, 0, -2: maximin 2 (row A1). Column maxima 2, 3, 5: minimax
    // 2 (column S1). They agree, so (A1, S1) is a saddle point and the value is 2.
    const std::vector<std::vector<double>> a{{2, 2, 3}, {0, 3, 5}, {-1, 2, -2}};
    std::vector<std::vector<double>> b = a;
    for (auto& row : b) {
      for (auto& x : row) x = -x;
    }
    const auto z = solve_zero_sum(bimatrix(a, b));
    CHECK(z.value == Approx(2.0).margin(1e-12));
    CHECK(near(z.profile.probabilities(0), {1, 0, 0}, 1e-12));
    CHECK(near(z.profile.probabilities(1), {1, 0, 0}, 1e-12));
  }
  SECTION("a 3x3 with a fully mixed solution, value 7/5 (derived by hand)") {
    // A = [[-3, 2, 1], [4, 1, 2], [-1, 2, -1]] (row player's payoffs). No saddle point: row
    // minima -3, 1, -1 (maximin 1); column maxima 4, 2, 2 (minimax 2).
    // Column mixture y equalising the rows:
    //   row1 = row3: -3y1 + 2y2 + y3 = -y1 + 2y2 - y3  =>  y1 = y3;
    //   row2 = row1:  4y1 + y2 + 2y3 = -3y1 + 2y2 + y3  =>  7y1 + y3 = y2  =>  y2 = 8y1;
    //   y1 + 8y1 + y1 = 1  =>  y = (1/10, 4/5, 1/10); each row earns -3/10 + 16/10 + 1/10 = 7/5.
    // Row mixture x equalising the columns:
    //   col1 = col3: -3x1 + 4x2 - x3 = x1 + 2x2 - x3  =>  x2 = 2x1;
    //   col2 = col3:  2x1 + x2 + 2x3 = x1 + 2x2 - x3  =>  x1 - x2 + 3x3 = 0  =>  x3 = x1/3;
    //   x1 (1 + 2 + 1/3) = 1  =>  x = (3/10, 3/5, 1/10); each column gives 6/10+6/10+2/10 = 7/5.
    // Both mixtures are strictly positive, so each makes every reply earn 7/5: the value is 7/5.
    const std::vector<std::vector<double>> a{{-3, 2, 1}, {4, 1, 2}, {-1, 2, -1}};
    std::vector<std::vector<double>> b = a;
    for (auto& row : b) {
      for (auto& x : row) x = -x;
    }
    const auto g = bimatrix(a, b);
    const auto z = solve_zero_sum(g);
    CHECK(z.value == Approx(1.4).epsilon(1e-12));
    CHECK(near(z.profile.probabilities(0), {0.3, 0.6, 0.1}, 1e-9));
    CHECK(near(z.profile.probabilities(1), {0.1, 0.8, 0.1}, 1e-9));
    const auto exact = recover_exact(g, z.profile);
    REQUIRE(exact.status == ExactStatus::kVerified);
    CHECK(exact.payoffs[0] == mpq_class(7, 5));
  }
  SECTION("constant-sum (not zero-sum) games: value to the first player") {
    // Matching pennies shifted so that payoffs add up to 10 everywhere.
    const auto g = bimatrix({{6, 4}, {4, 6}}, {{4, 6}, {6, 4}});
    const auto z = solve_zero_sum(g);
    CHECK(z.constant == 10.0);
    CHECK(z.value == Approx(5.0));
  }
}

TEST_CASE("zero-sum: the reference game zerosum_4x4_s11_9", "[lp]") {
  for (const auto& ref : load_reference_games()) {
    if (ref.name != "zerosum_4x4_s11_9") continue;
    REQUIRE(ref.exact.size() == 1);
    std::vector<std::vector<mpq_class>> eq;
    for (const auto& player : ref.exact[0]) {
      std::vector<mpq_class> row;
      for (const auto& s : player) row.push_back(*parse_rational(s));
      eq.push_back(row);
    }
    const mpq_class value = exact_expected_payoffs(ref.game, eq)[0];
    const auto z = solve_zero_sum(ref.game);
    REQUIRE(z.status == SolveStatus::kOk);
    CHECK(z.value == Approx(value.get_d()).epsilon(1e-12));
    CHECK(z.profile.distance(ref.equilibria[0]) < 1e-9);  // nondegenerate: unique optimum

    // Through the registry with exact verification: the value as a fraction.
    SolveOptions options;
    options.exact = true;
    const auto result = builtin_solvers().find("zero-sum")->solve(ref.game, options, ctx());
    REQUIRE(result.status == SolveStatus::kOk);
    REQUIRE(result.equilibria.size() == 1);
    REQUIRE(result.equilibria[0].exact);
    CHECK(*result.equilibria[0].exact == ref.exact[0]);
    const auto& data = result.analyses.at(0).data;
    CHECK(data.at("exact_value") == fraction_string(value));
    CHECK(data.at("value").get<double>() == Approx(value.get_d()));
    return;
  }
  FAIL("zerosum_4x4_s11_9 is missing from the reference games");
}

TEST_CASE("zero-sum: games that are not constant-sum get a clear reason", "[lp]") {
  const auto pd = bimatrix({{3, 0}, {5, 1}}, {{3, 5}, {0, 1}});
  const auto why = constant_sum_violation(pd);
  REQUIRE(why);
  CHECK_THAT(*why, Catch::Contains("not constant-sum"));
  CHECK_THAT(*why, Catch::Contains("add up to 6"));
  CHECK_THROWS_AS(solve_zero_sum(pd), InvalidGame);
  const SolverEntry* entry = builtin_solvers().find("zero-sum");
  REQUIRE(entry != nullptr);
  CHECK(entry->check(pd));
  CHECK_FALSE(entry->check(bimatrix({{1, -1}, {-1, 1}}, {{-1, 1}, {1, -1}})));
  CHECK(entry->check(random_game({2, 2, 2}, 1)));  // three players
}

TEST_CASE("maximin: security levels", "[lp]") {
  SECTION("prisoner's dilemma: both can guarantee 1 by defecting") {
    const auto pd = bimatrix({{3, 0}, {5, 1}}, {{3, 5}, {0, 1}});
    for (int p = 0; p < 2; ++p) {
      const auto s = security_strategy(pd, p);
      CHECK(s.value == Approx(1.0));
      CHECK(near(s.strategy, {0, 1}, 1e-12));
    }
    const auto result = builtin_solvers().find("maximin")->solve(pd, {}, ctx());
    CHECK(result.equilibria.empty());
    const auto& data = result.analyses.at(0).data;
    CHECK(data.at("players").at(1).at("value").get<double>() == Approx(1.0));
    CHECK(data.at("profile_is_equilibrium") == true);  // (defect, defect) happens to be one
  }
  SECTION("matching pennies: 0 with (1/2, 1/2)") {
    const auto g = bimatrix({{1, -1}, {-1, 1}}, {{-1, 1}, {1, -1}});
    for (int p = 0; p < 2; ++p) {
      const auto s = security_strategy(g, p);
      CHECK(s.value == Approx(0.0).margin(1e-12));
      CHECK(near(s.strategy, {0.5, 0.5}, 1e-12));
    }
  }
  SECTION("battle of the sexes: security strategies are not an equilibrium") {
    // Row: 2x >= v (column L), 1 - x >= v (column R): x = 1/3, v = 2/3.
    const auto g = bimatrix({{2, 0}, {0, 1}}, {{1, 0}, {0, 2}});
    const auto row = security_strategy(g, 0);
    CHECK(row.value == Approx(2.0 / 3));
    CHECK(near(row.strategy, {1.0 / 3, 2.0 / 3}, 1e-12));
    const auto result = builtin_solvers().find("maximin")->solve(g, {}, ctx());
    CHECK(result.equilibria.empty());
    CHECK(result.analyses.at(0).data.at("profile_is_equilibrium") == false);
  }
  SECTION("security level never exceeds any Nash equilibrium payoff") {
    for (unsigned seed = 1; seed <= 15; ++seed) {
      const auto g = random_game({3, 4}, seed);
      const double v0 = security_strategy(g, 0).value, v1 = security_strategy(g, 1).value;
      for (const auto& eq : solve_support(g, {}, ctx())) {
        CHECK(eq.payoffs[0] >= v0 - 1e-7);
        CHECK(eq.payoffs[1] >= v1 - 1e-7);
      }
    }
  }
}

TEST_CASE("correlated: Aumann's chicken", "[lp]") {
  const auto g = chicken();
  const auto r = solve_correlated(g, {}, ctx());
  REQUIRE(r.status == SolveStatus::kOk);
  SECTION("welfare is maximised at 10.5 by 1/2 (C,C), 1/4 (C,D), 1/4 (D,C)") {
    CHECK(r.optimum.objective_value == Approx(10.5).epsilon(1e-12));
    CHECK(near(r.optimum.distribution, chicken_distribution(0.5, 0.25, 0.25, 0), 1e-9));
    CHECK(near(r.optimum.payoffs, {5.25, 5.25}, 1e-9));
    CHECK(r.optimum.max_violation <= 1e-9);
  }
  SECTION("the polytope has exactly five vertices") {
    // The three Nash equilibria ((D,C), (C,D) and the mixed (2/3, 1/3) each, which puts
    // 4/9, 2/9, 2/9, 1/9 on (C,C), (C,D), (D,C), (D,D)) and two correlated-only vertices:
    // the welfare optimum above, and 2/5 (C,D), 2/5 (D,C), 1/5 (D,D), where p(C,C) = 0 and
    // both "told D" constraints are tight (told D, the other plays C with 2/3: D earns
    // 7 * 2/3 = 14/3, C earns 6 * 2/3 + 2 * 1/3 = 14/3). Aumann's 1/3 each on (C,C), (C,D),
    // (D,C) is a correlated equilibrium but not a vertex: only p(D,D) >= 0 is tight there.
    CHECK(r.vertices_complete);
    CHECK(r.vertices.size() == 5);
    CHECK(contains(r.vertices, chicken_distribution(0, 1, 0, 0)));
    CHECK(contains(r.vertices, chicken_distribution(0, 0, 1, 0)));
    CHECK(contains(r.vertices, chicken_distribution(4.0 / 9, 2.0 / 9, 2.0 / 9, 1.0 / 9)));
    CHECK(contains(r.vertices, chicken_distribution(0, 0.4, 0.4, 0.2)));
    CHECK_FALSE(contains(r.vertices, chicken_distribution(1.0 / 3, 1.0 / 3, 1.0 / 3, 0)));
    CHECK(max_incentive_violation(g, chicken_distribution(1.0 / 3, 1.0 / 3, 1.0 / 3, 0)) == 0.0);
    CHECK(contains(r.vertices, chicken_distribution(0.5, 0.25, 0.25, 0)));
    for (const auto& v : r.vertices) CHECK(v.max_violation <= 1e-9);
  }
  SECTION("maximising one player's payoff") {
    CorrelatedOptions options;
    options.objective = "row";
    const auto best_for_row = solve_correlated(g, options, ctx());
    CHECK(best_for_row.optimum.objective_value == Approx(7.0));  // the pure equilibrium (D, C)
    options.objective = "nobody";
    CHECK_THROWS_WITH(solve_correlated(g, options, ctx()), Catch::Contains("unknown objective"));
  }
  SECTION("analysis through the registry") {
    const auto result = builtin_solvers().find("correlated")->solve(g, {}, ctx());
    CHECK(result.equilibria.empty());  // a correlated equilibrium is not a mixed profile
    const auto& data = result.analyses.at(0).data;
    CHECK(data.at("objective") == "welfare");
    CHECK(data.at("objective_value").get<double>() == Approx(10.5));
    CHECK(data.at("distribution").size() == 3);
    CHECK(data.at("vertices").at("complete") == true);
    CHECK(data.at("vertices").at("count") == 5);
    int nash = 0;
    for (const auto& v : data.at("vertices").at("list")) nash += v.at("nash").get<bool>();
    CHECK(nash == 3);  // the three Nash equilibria are vertices; the other two are not Nash
  }
}

TEST_CASE("correlated: incentive constraints and welfare over many games", "[lp]") {
  SECTION("a recommendation that is not obeyed is detected") {
    // (C, C) for sure in chicken: each would rather play D (7 > 6).
    CHECK(max_incentive_violation(chicken(), chicken_distribution(1, 0, 0, 0)) == Approx(1.0));
  }
  for (unsigned seed = 1; seed <= 12; ++seed) {
    const std::vector<int> shape = seed % 3 == 0
                                       ? std::vector<int>{2, 2, 2}
                                       : std::vector<int>{2 + static_cast<int>(seed % 2), 3};
    const auto g = random_game(shape, seed, 0, 9);
    INFO("seed " << seed);
    const auto r = solve_correlated(g, {}, ctx());
    REQUIRE(r.status == SolveStatus::kOk);
    CHECK(r.optimum.max_violation <= 1e-9);
    CHECK(max_incentive_violation(g, r.optimum.distribution) <= 1e-9);
    double sum = 0;
    for (double p : r.optimum.distribution) {
      CHECK(p >= 0.0);
      sum += p;
    }
    CHECK(sum == Approx(1.0));
    CHECK_FALSE(r.vertices.empty());
    for (const auto& v : r.vertices) {
      CHECK(v.max_violation <= 1e-9);
      CHECK(v.objective_value <= r.optimum.objective_value + 1e-9);
    }
    // Every Nash equilibrium is a correlated equilibrium: the optimum is at least as good.
    if (g.num_players() == 2) {
      for (const auto& eq : solve_support(g, {}, ctx())) {
        CHECK(r.optimum.objective_value >= eq.payoffs[0] + eq.payoffs[1] - 1e-9);
      }
    }
  }
  SECTION("reference games: welfare at least that of every reference equilibrium") {
    for (const auto& ref : load_reference_games()) {
      if (ref.game.num_profiles() > 40) continue;
      INFO(ref.name);
      const auto r = solve_correlated(ref.game, {}, ctx());
      REQUIRE(r.status == SolveStatus::kOk);
      CHECK(r.optimum.max_violation <= 1e-9);
      for (const auto& eq : ref.equilibria) {
        double welfare = 0;
        for (double x : expected_payoffs(ref.game, eq)) welfare += x;
        CHECK(r.optimum.objective_value >= welfare - 1e-9);
      }
    }
  }
  SECTION("vertex sampling is labelled as a subset") {
    CorrelatedOptions options;
    options.max_bases = 10;  // force sampling
    options.sampled_objectives = 50;
    const auto r = solve_correlated(chicken(), options, ctx());
    CHECK_FALSE(r.vertices_complete);
    CHECK_THAT(r.vertex_method, Catch::Contains("subset"));
    CHECK(r.vertices.size() <= 5);
    for (const auto& v : r.vertices) CHECK(v.max_violation <= 1e-9);
  }
}
