#include <cmath>
#include <random>

#include <catch2/catch.hpp>

#include "stratagem/repeated/payoff_set.hpp"
#include "stratagem/repeated/repeated_game.hpp"
#include "test_games.hpp"

using namespace stratagem;
using stratagem::testing::bimatrix;

namespace {

/// Prisoner's dilemma with (T, R, P, S) = (5, 3, 1, 0); action 0 = cooperate, 1 = defect.
NormalFormGame pd() { return bimatrix({{3, 0}, {5, 1}}, {{3, 5}, {0, 1}}); }

const MoveRoles kRoles{{0, 0}, {1, 1}};

AutomatonProfile both(const NormalFormGame& g, const std::string& name, BuiltinOptions o = {}) {
  return {builtin_strategy(name, g, 0, kRoles, o), builtin_strategy(name, g, 1, kRoles, o)};
}

/// Normalised discounted payoff by playing the automata round by round (sampling mixed moves).
std::vector<double> simulate(const NormalFormGame& g, const AutomatonProfile& profile, double d,
                             int rounds, std::mt19937_64& rng, double noise = 0.0) {
  std::vector<int> state{profile[0].initial, profile[1].initial};
  std::vector<double> total(2, 0.0);
  double weight = 1.0 - d;
  std::uniform_real_distribution<double> u(0.0, 1.0);
  for (int t = 0; t < rounds; ++t) {
    std::vector<int> actions(2);
    for (int p = 0; p < 2; ++p) {
      const auto& mix = profile[p].play[state[p]];
      double x = u(rng);
      int a = 0;
      while (a + 1 < static_cast<int>(mix.size()) && x >= mix[a]) x -= mix[a++];
      if (noise > 0.0 && u(rng) < noise) a = 1 - a;
      actions[p] = a;
    }
    const std::size_t idx = g.index(actions);
    for (int p = 0; p < 2; ++p) total[p] += weight * g.payoff(p, idx);
    weight *= d;
    for (int p = 0; p < 2; ++p) state[p] = profile[p].next[state[p]][idx];
  }
  return total;
}

}  // namespace

TEST_CASE("repeated PD: grim trigger is subgame perfect iff delta >= 1/2", "[repeated]") {
  const auto g = pd();
  const auto profile = both(g, "grim");
  const DeltaSet spe = equilibrium_deltas(g, profile, false);
  REQUIRE(spe.intervals.size() == 1);
  CHECK(spe.intervals[0].first == Approx(0.5).margin(1e-9));
  CHECK(spe.intervals[0].second == 1.0);
  // Confirmed in rational arithmetic: exactly 1/2, and the double is exactly 0.5.
  REQUIRE(spe.exact.size() == 1);
  CHECK(spe.exact[0].first == "1/2");
  CHECK(spe.intervals[0].first == 0.5);
  CHECK(check_profile(g, profile, {0.51, 0.51}).subgame_perfect);
  const ProfileCheck below = check_profile(g, profile, {0.49, 0.49});
  CHECK_FALSE(below.subgame_perfect);
  CHECK_FALSE(below.nash);
  REQUIRE_FALSE(below.deviations.empty());
  CHECK(below.deviations[0].on_path);
  CHECK(below.deviations[0].action == 1);
  // Gain of defecting once at 0.49: (1-d)(T-R) - d(R-P)... normalised: (1-d)*5 + d*1 - 3.
  CHECK(below.deviations[0].gain == Approx((1 - 0.49) * 5 + 0.49 * 1 - 3).epsilon(1e-9));
  CHECK(check_profile(g, profile, {0.6, 0.6}).payoffs[0] == Approx(3.0));
}

TEST_CASE("repeated PD: tit-for-tat is Nash for delta >= 2/3 and never subgame perfect",
          "[repeated]") {
  const auto g = pd();
  const auto profile = both(g, "tit_for_tat");
  const DeltaSet nash = equilibrium_deltas(g, profile, true);
  REQUIRE(nash.intervals.size() == 1);
  CHECK(nash.intervals[0].first == Approx(2.0 / 3.0).margin(1e-9));
  CHECK(nash.exact.at(0).first == "2/3");
  CHECK(equilibrium_deltas(g, profile, false).empty());
}

TEST_CASE("repeated PD: an irrational critical discount factor is not passed off as a fraction",
          "[repeated]") {
  // Two rounds of punishment, (T, R, P, S) = (5, 3, 1, 0): subgame perfect iff
  // (d + d^2)(R - P) >= T - R, i.e. d + d^2 >= 1, d >= (sqrt(5) - 1) / 2.
  const auto g = pd();
  const DeltaSet spe =
      equilibrium_deltas(g, both(g, "forgiving_trigger", {.k = 2}), false);
  REQUIRE(spe.intervals.size() == 1);
  CHECK(spe.intervals[0].first == Approx((std::sqrt(5.0) - 1) / 2).margin(1e-9));
  CHECK(spe.exact.at(0).first.empty());
}

TEST_CASE("repeated PD: k-round punishment is SPE iff sum_{t=1..k} d^t (R-P) >= T-R",
          "[repeated]") {
  const auto g = pd();
  CHECK(equilibrium_deltas(g, both(g, "forgiving_trigger", {.k = 1}), false).empty());
  const DeltaSet k2 = equilibrium_deltas(g, both(g, "forgiving_trigger", {.k = 2}), false);
  REQUIRE(k2.critical());
  CHECK(*k2.critical() == Approx((std::sqrt(5.0) - 1.0) / 2.0).margin(1e-9));  // d + d^2 = 1
  const DeltaSet k3 = equilibrium_deltas(g, both(g, "forgiving_trigger", {.k = 3}), false);
  REQUIRE(k3.critical());
  const double d = *k3.critical();
  CHECK(d + d * d + d * d * d == Approx(1.0).margin(1e-8));
}

TEST_CASE("repeated PD: win-stay-lose-shift is SPE iff delta >= (T-R)/(R-P)", "[repeated]") {
  // (T, R, P, S) = (4, 3, 1, 0): threshold (4-3)/(3-1) = 1/2.
  const auto g4 = bimatrix({{3, 0}, {4, 1}}, {{3, 4}, {0, 1}});
  const DeltaSet spe = equilibrium_deltas(g4, both(g4, "win_stay_lose_shift"), false);
  REQUIRE(spe.intervals.size() == 1);
  CHECK(spe.intervals[0].first == Approx(0.5).margin(1e-9));
  // With (5, 3, 1, 0) the threshold is (5-3)/(3-1) = 1: never for delta < 1.
  const auto g = pd();
  CHECK(equilibrium_deltas(g, both(g, "win_stay_lose_shift"), false).empty());
  const ProfileCheck c = check_profile(g, both(g, "win_stay_lose_shift"), {0.7, 0.7});
  REQUIRE_FALSE(c.deviations.empty());
  // Defect once from (C, C): (1-d) T + d ((1-d) P + d R) - R = 1.5 + 0.7 * 2.4 - 3 = 0.18.
  CHECK(c.deviations[0].gain == Approx(0.18).epsilon(1e-9));
}

TEST_CASE("stage game: minmax values and the folk-theorem region", "[repeated]") {
  const auto g = pd();
  const auto mm = minmax_values(g);
  REQUIRE(mm.size() == 2);
  CHECK(mm[0].pure == 1.0);
  CHECK(mm[0].mixed == Approx(1.0));
  CHECK(mm[0].pure_punishment == std::vector<int>{1, 1});
  const auto region = payoff_region(g);
  CHECK(region.feasible.size() == 4);
  const std::vector<std::vector<double>> ir{{1, 1}, {13.0 / 3, 1}, {3, 3}, {1, 13.0 / 3}};
  REQUIRE(region.individually_rational.size() == 4);
  for (const auto& v : ir) {
    bool found = false;
    for (const auto& w : region.individually_rational) {
      found = found || (std::abs(v[0] - w[0]) < 1e-9 && std::abs(v[1] - w[1]) < 1e-9);
    }
    CHECK(found);
  }
  // Matching pennies: pure minmax 1 but mixed minmax 0.
  const auto mp = bimatrix({{1, -1}, {-1, 1}}, {{-1, 1}, {1, -1}});
  const auto v = minmax_values(mp);
  CHECK(v[0].pure == 1.0);
  CHECK(v[0].mixed == Approx(0.0).margin(1e-9));
  CHECK(v[0].mixed_punishment(1, 0) == Approx(0.5));
}

TEST_CASE("discounted payoffs equal direct simulation for random automata", "[repeated]") {
  std::mt19937_64 rng(17);
  for (int trial = 0; trial < 25; ++trial) {
    const auto g = stratagem::testing::random_game({2, 2}, 100 + trial, 0, 9);
    AutomatonProfile profile;
    for (int p = 0; p < 2; ++p) {
      Automaton a;
      a.name = "random";
      a.player = p;
      const int states = 1 + static_cast<int>(rng() % 4);
      for (int s = 0; s < states; ++s) {
        a.states.push_back("s" + std::to_string(s));
        const int move = static_cast<int>(rng() % 2);
        a.play.push_back(move == 0 ? std::vector<double>{1, 0} : std::vector<double>{0, 1});
        std::vector<int> next;
        for (int k = 0; k < 4; ++k) next.push_back(static_cast<int>(rng() % states));
        a.next.push_back(next);
      }
      profile.push_back(a);
    }
    const double d = 0.9;
    const auto exact = discounted_payoffs(build_chain(g, profile), {d, d});
    const auto sim = simulate(g, profile, d, 800, rng);
    CHECK(exact[0] == Approx(sim[0]).margin(1e-9));
    CHECK(exact[1] == Approx(sim[1]).margin(1e-9));
  }
}

TEST_CASE("mixed automata and noise: payoffs match simulation, shares sum to 1", "[repeated]") {
  const auto g = pd();
  std::mt19937_64 rng(5);
  SECTION("generous TFT against TFT with noise 0.1") {
    const AutomatonProfile profile{builtin_strategy("generous_tft", g, 0, kRoles, {.generosity = 0.3}),
                                   builtin_strategy("tit_for_tat", g, 1, kRoles)};
    const double d = 0.8, noise = 0.1;
    const auto chain = build_chain(g, profile, noise);
    const auto exact = discounted_payoffs(chain, {d, d});
    const int runs = 20000;
    double mean0 = 0, mean1 = 0;
    for (int r = 0; r < runs; ++r) {
      const auto s = simulate(g, profile, d, 120, rng, noise);
      mean0 += s[0] / runs;
      mean1 += s[1] / runs;
    }
    // Standard error of a run's payoff is below 1.5 here: 20000 runs give ~0.01; allow 4 s.e.
    CHECK(exact[0] == Approx(mean0).margin(0.04));
    CHECK(exact[1] == Approx(mean1).margin(0.04));
    const auto lr = long_run(chain);
    double total = 0;
    for (double x : lr.share) total += x;
    CHECK(total == Approx(1.0).margin(1e-12));
  }
  SECTION("TFT pairs under noise spend a quarter of the time in each joint state") {
    const auto chain = build_chain(g, both(g, "tit_for_tat"), 0.05);
    const auto lr = long_run(chain);
    REQUIRE(lr.share.size() == 4);
    for (double x : lr.share) CHECK(x == Approx(0.25).margin(1e-9));
    CHECK(lr.payoffs[0] == Approx((3 + 0 + 5 + 1) / 4.0).margin(1e-9));
  }
  SECTION("without noise, grim pairs stay in cooperation forever") {
    const auto lr = long_run(build_chain(g, both(g, "grim")));
    REQUIRE(lr.share.size() == 1);
    CHECK(lr.payoffs[0] == Approx(3.0));
  }
  SECTION("alternation is periodic: limit of means averages the cycle") {
    const AutomatonProfile profile{builtin_strategy("alternate", g, 0, kRoles),
                                   builtin_strategy("always_cooperate", g, 1, kRoles)};
    const auto lr = long_run(build_chain(g, profile));
    CHECK(lr.payoffs[0] == Approx(4.0));
    CHECK(lr.payoffs[1] == Approx(1.5));
  }
}

TEST_CASE("finite horizon: backward induction unravels cooperation", "[repeated]") {
  const auto g = pd();
  const auto result = finite_horizon(g, both(g, "grim"), {0.9, 0.9}, 5);
  CHECK_FALSE(result.subgame_perfect);
  REQUIRE(result.unique_stage_equilibrium);
  CHECK(*result.unique_stage_equilibrium == std::vector<int>{1, 1});
  CHECK(result.payoffs[0] == Approx(3.0));
  bool last_round = false;
  for (int r : result.deviation_rounds) last_round = last_round || r == 5;
  CHECK(last_round);
  CHECK(finite_horizon(g, both(g, "always_defect"), {0.9, 0.9}, 5).subgame_perfect);
}

TEST_CASE("repeated: bad input is rejected", "[repeated]") {
  const auto g = pd();
  CHECK_THROWS_AS(check_profile(g, both(g, "grim"), {1.0, 0.5}), InvalidGame);
  CHECK_THROWS_AS(build_chain(g, both(g, "grim"), 1.0), InvalidGame);
  CHECK_THROWS_WITH(builtin_strategy("grimm", g, 0, kRoles), Catch::Contains("did you mean 'grim'"));
  Automaton bad = builtin_strategy("grim", g, 0, kRoles);
  bad.next[0][0] = 7;
  CHECK_THROWS_WITH(validate(bad, g), Catch::Contains("out of range"));
  bad = builtin_strategy("grim", g, 0, kRoles);
  bad.play[0] = {0.5, 0.6};
  CHECK_THROWS_WITH(validate(bad, g), Catch::Contains("sum to"));
}
