#include "stratagem/solve/exact.hpp"

#include <algorithm>
#include <catch2/catch.hpp>

#include "reference_games.hpp"
#include "stratagem/game/rational.hpp"
#include "stratagem/io/nfg.hpp"
#include "stratagem/io/report.hpp"
#include "stratagem/solve/support.hpp"
#include "test_games.hpp"

using namespace stratagem;
using stratagem::testing::bimatrix;

namespace {

mpq_class q(const std::string& text) {
  const auto value = parse_rational(text);
  if (!value) throw std::invalid_argument("bad fraction in test: " + text);
  return *value;
}

/// The profile with `delta` moved from the first player's largest probability to another
/// action (sums stay one).
MixedProfile perturbed(const MixedProfile& profile, double delta) {
  std::vector<std::vector<double>> probs;
  for (int p = 0; p < profile.num_players(); ++p) {
    const auto v = profile.probabilities(p);
    probs.emplace_back(v.begin(), v.end());
  }
  auto& first = probs[0];
  const auto big = std::max_element(first.begin(), first.end()) - first.begin();
  const auto other = big == 0 ? 1 : 0;
  first[big] -= delta;
  first[other] += delta;
  return MixedProfile(probs);
}

}  // namespace

TEST_CASE("rationals: parsing decimals and fractions exactly", "[exact]") {
  CHECK(q("0.1") == mpq_class(1, 10));
  CHECK(q("-3/4") == mpq_class(-3, 4));
  CHECK(q("+1/3") == mpq_class(1, 3));
  CHECK(q("2.5e2") == 250);
  CHECK(q("1E-3") == mpq_class(1, 1000));
  CHECK(q(".5") == mpq_class(1, 2));
  CHECK(q("7.") == 7);
  CHECK(q("-0") == 0);
  CHECK(q("6/4") == mpq_class(3, 2));
  CHECK_FALSE(parse_rational("1/0"));
  CHECK_FALSE(parse_rational("abc"));
  CHECK_FALSE(parse_rational("1.2.3"));
  CHECK_FALSE(parse_rational("1/-2"));
  CHECK_FALSE(parse_rational("1e99999"));
  CHECK(fraction_string(mpq_class(2, 6)) == "1/3");
  CHECK(fraction_string(mpq_class(0)) == "0");
  CHECK(simplest_rational(1.0 / 3, 1e-12) == mpq_class(1, 3));
  CHECK(simplest_rational(-0.7, 1e-12) == mpq_class(-7, 10));
  CHECK(simplest_rational(0.1, 0) == mpq_class(0.1));  // radius 0: the binary value itself
  CHECK(simplest_rational(3.14159, 0.002) == mpq_class(22, 7));
}

TEST_CASE("exact payoffs: stored rationals and their doubles", "[exact]") {
  NormalFormBuilder builder({"a", "b"}, std::vector<int>{2, 1});
  builder.set_exact_payoff(0, 0, mpq_class(1, 10));
  builder.set_exact_payoff(0, 1, mpq_class(-3, 4));  // a double: not stored apart
  builder.set_payoff(1, 0, 0.1);                     // binary 0.1, not 1/10
  builder.set_exact_payoff(1, 1, mpq_class(2, 3));
  const NormalFormGame g = std::move(builder).build();
  CHECK(g.has_exact_payoffs());
  CHECK(g.payoff(0, 0) == 0.1);  // the nearest double
  CHECK(g.exact_payoff(0, 0) == mpq_class(1, 10));
  CHECK(g.exact_payoff(1, 0) == mpq_class(-3, 4));
  CHECK(g.exact_payoff(0, 1) == mpq_class(0.1));
  CHECK(g.exact_payoff(0, 1) != mpq_class(1, 10));
  CHECK(g.payoff(1, 1) == 2.0 / 3);
  CHECK(g.exact_payoff(1, 1) == mpq_class(2, 3));

  const auto plain = bimatrix({{1, 2}}, {{3, 4}});
  CHECK_FALSE(plain.has_exact_payoffs());
  CHECK(plain.exact_payoff(1, 1) == 4);
}

TEST_CASE("exact recovery reproduces every reference equilibrium", "[exact]") {
  const auto games = load_reference_games();
  int checked = 0, rejected = 0, inside_a_set = 0;
  for (const auto& ref : games) {
    INFO(ref.name);
    for (std::size_t e = 0; e < ref.equilibria.size(); ++e) {
      INFO("equilibrium " << e + 1);
      std::vector<std::vector<mpq_class>> want;
      for (const auto& player : ref.exact[e]) {
        std::vector<mpq_class> row;
        for (const auto& s : player) row.push_back(q(s));
        want.push_back(std::move(row));
      }
      CHECK_FALSE(exact_violation(ref.game, want));  // the reference itself passes exactly

      const ExactEquilibrium got = recover_exact(ref.game, ref.equilibria[e]);
      INFO(got.message);
      REQUIRE(got.status == ExactStatus::kVerified);
      CHECK(got.probabilities == want);
      CHECK(got.payoffs == exact_expected_payoffs(ref.game, want));
      ++checked;

      // Moved by 1e-7, the profile is no longer accepted as this equilibrium. In a
      // nondegenerate game it is no equilibrium at all. In a degenerate game the move may
      // stay inside a connected set of equilibria (e.g. along the segment between two listed
      // extreme equilibria); then it is accepted only as that other, exactly checked point.
      const MixedProfile moved = perturbed(ref.equilibria[e], 1e-7);
      const ExactEquilibrium off = recover_exact(ref.game, moved);
      if (!ref.degenerate || off.status != ExactStatus::kVerified) {
        CHECK(off.status == ExactStatus::kFailed);
        CHECK_FALSE(off.message.empty());
        ++rejected;
      } else {
        CHECK(off.probabilities != want);
        CHECK_FALSE(exact_violation(ref.game, off.probabilities));
        CHECK(max_regret(ref.game, moved) <= 1e-12);
        ++inside_a_set;
      }
    }
    for (const auto& actions : ref.pure_equilibria) {
      const auto profile = MixedProfile::pure(ref.game.shape(), actions);
      const ExactEquilibrium got = recover_exact(ref.game, profile);
      CHECK(got.status == ExactStatus::kVerified);
    }
  }
  CHECK(checked >= 30);
  CHECK(rejected + inside_a_set == checked);
  CHECK(inside_a_set <= 2);  // the degenerate games' few moves along equilibrium segments
}

TEST_CASE("exact check names the profitable deviation", "[exact]") {
  // Prisoner's dilemma: (cooperate, cooperate) is not an equilibrium.
  const auto pd = bimatrix({{3, 0}, {5, 1}}, {{3, 5}, {0, 1}});
  const auto cc = recover_exact(pd, MixedProfile({{1, 0}, {1, 0}}));
  CHECK(cc.status == ExactStatus::kFailed);
  CHECK_THAT(cc.message, Catch::Contains("gains by switching"));
  const auto dd = recover_exact(pd, MixedProfile({{0, 1}, {0, 1}}));
  CHECK(dd.status == ExactStatus::kVerified);
  CHECK(dd.payoffs == std::vector<mpq_class>{1, 1});

  const std::vector<std::vector<mpq_class>> bad_sum{{mpq_class(1, 2), mpq_class(1, 3)}, {0, 1}};
  CHECK_THAT(*exact_violation(pd, bad_sum), Catch::Contains("sum to 5/6"));
  const std::vector<std::vector<mpq_class>> negative{{mpq_class(3, 2), mpq_class(-1, 2)}, {0, 1}};
  CHECK_THAT(*exact_violation(pd, negative), Catch::Contains("negative"));
  CHECK_THROWS_AS(recover_exact(pd, MixedProfile({{1.0, 0.0, 0.0}, {1.0, 0.0}})),
                  std::invalid_argument);
}

TEST_CASE("exact recovery: classic mixed equilibria and n-player pure ones", "[exact]") {
  SECTION("battle of the sexes: (2/3, 1/3), (1/3, 2/3)") {
    const auto g = bimatrix({{2, 0}, {0, 1}}, {{1, 0}, {0, 2}});
    const auto got = recover_exact(g, MixedProfile({{2.0 / 3, 1.0 / 3}, {1.0 / 3, 2.0 / 3}}));
    REQUIRE(got.status == ExactStatus::kVerified);
    CHECK(got.probabilities[0] == std::vector<mpq_class>{mpq_class(2, 3), mpq_class(1, 3)});
    CHECK(got.payoffs == std::vector<mpq_class>{mpq_class(2, 3), mpq_class(2, 3)});
  }
  SECTION("unequal supports: the column player mixes while the row player is pure") {
    // Row strictly prefers T; column is indifferent between L and R when row plays T: every
    // mixture of L and R is an equilibrium with T, and (T, 1/4 L + 3/4 R) is one of them.
    const auto g = bimatrix({{2, 2}, {0, 0}}, {{1, 1}, {0, 2}});
    const auto got = recover_exact(g, MixedProfile({{1, 0}, {0.25, 0.75}}));
    REQUIRE(got.status == ExactStatus::kVerified);
    CHECK(got.probabilities[1] == std::vector<mpq_class>{mpq_class(1, 4), mpq_class(3, 4)});
  }
  SECTION("three players: pure equilibria verified, others rejected") {
    for (const auto& ref : load_reference_games()) {
      if (ref.game.num_players() < 3) continue;
      INFO(ref.name);
      for (const auto& actions : ref.pure_equilibria) {
        CHECK(recover_exact(ref.game, MixedProfile::pure(ref.game.shape(), actions)).status ==
              ExactStatus::kVerified);
      }
      for (std::size_t idx = 0; idx < ref.game.num_profiles(); ++idx) {
        const auto actions = ref.game.profile(idx);
        if (std::find(ref.pure_equilibria.begin(), ref.pure_equilibria.end(), actions) !=
            ref.pure_equilibria.end()) {
          continue;
        }
        CHECK(recover_exact(ref.game, MixedProfile::pure(ref.game.shape(), actions)).status ==
              ExactStatus::kFailed);
      }
    }
  }
  SECTION("three players, mixed: a rational equilibrium is verified") {
    // All payoffs zero: everyone is indifferent, so the uniform profile is an equilibrium.
    NormalFormBuilder b({"a", "b", "c"}, std::vector<int>{2, 2, 2});
    const double zero[] = {0, 0, 0};
    for (std::size_t i = 0; i < b.num_profiles(); ++i) b.set_payoffs(i, zero);
    const auto g = std::move(b).build();
    const auto got = recover_exact(g, MixedProfile(g.shape()));
    CHECK(got.status == ExactStatus::kVerified);
    CHECK(got.probabilities[2][1] == mpq_class(1, 2));
  }
}

TEST_CASE("exact payoffs from .nfg decimals give exact equilibria", "[exact]") {
  // A zero-sum game with decimal payoffs (0.1 is not a binary number): A = [[0.1, -0.3],
  // [-0.2, 0.7]] in .nfg order (first player fastest), B = -A.
  const std::string text = R"(NFG 1 R "decimals" { "row" "column" } { 2 2 }
0.1 -0.1  -0.2 0.2  -0.3 0.3  0.7 -0.7)";
  const NormalFormGame g = parse_nfg(text, "decimals.nfg");
  CHECK(g.exact_payoff(0, 0) == mpq_class(1, 10));
  CHECK(g.exact_payoff(1, 3) == mpq_class(-7, 10));
  // Row mixes p on T so that column is indifferent:
  //   L: -0.1 p + 0.2 (1 - p) = R: 0.3 p - 0.7 (1 - p)  =>  0.9 = 1.3 p  =>  p = 9/13.
  // Column mixes q on L so that row is indifferent:
  //   T: 0.1 q - 0.3 (1 - q) = B: -0.2 q + 0.7 (1 - q)  =>  1.3 q = 1  =>  q = 10/13.
  SolveContext context;
  const auto eqs = solve_support(g, {}, context);
  REQUIRE(eqs.size() == 1);
  const auto got = recover_exact(g, eqs[0].profile);
  REQUIRE(got.status == ExactStatus::kVerified);
  CHECK(got.probabilities[0] == std::vector<mpq_class>{mpq_class(9, 13), mpq_class(4, 13)});
  CHECK(got.probabilities[1] == std::vector<mpq_class>{mpq_class(10, 13), mpq_class(3, 13)});
  // Value to row: 0.1 * 10/13 - 0.3 * 3/13 = 1/130.
  CHECK(got.payoffs[0] == mpq_class(1, 130));
}

TEST_CASE("SolveOptions::exact verifies solver results through the registry", "[exact]") {
  const auto g = bimatrix({{2, 0}, {0, 1}}, {{1, 0}, {0, 2}});
  SolveContext context;
  SolveOptions options;
  const SolverEntry* support = builtin_solvers().find("support");
  REQUIRE(support != nullptr);
  const SolveResult plain = support->solve(g, options, context);
  for (const auto& eq : plain.equilibria) CHECK_FALSE(eq.exact);

  options.exact = true;
  const SolveResult exact = support->solve(g, options, context);
  REQUIRE(exact.equilibria.size() == 3);
  CHECK(exact.status == SolveStatus::kOk);
  std::vector<std::vector<std::vector<std::string>>> strings;
  for (const auto& eq : exact.equilibria) {
    REQUIRE(eq.exact);
    strings.push_back(*eq.exact);
  }
  const std::vector<std::vector<std::string>> mixed{{"2/3", "1/3"}, {"1/3", "2/3"}};
  CHECK(std::find(strings.begin(), strings.end(), mixed) != strings.end());
  REQUIRE_FALSE(exact.analyses.empty());
  CHECK(exact.analyses.back().key == "exact_support");
  CHECK(exact.analyses.back().data["verified"] == 3);

  SECTION("a wrong equilibrium is surfaced as a failure") {
    SolveResult wrong;
    wrong.equilibria.push_back(make_equilibrium(g, "test", MixedProfile({{1, 0}, {0, 1}})));
    verify_exact(g, "test", wrong);
    CHECK(wrong.status == SolveStatus::kFailed);
    CHECK_THAT(wrong.message, Catch::Contains("failed the exact check"));
    CHECK_FALSE(wrong.equilibria[0].exact);
    CHECK(wrong.analyses.back().data["failed"] == 1);
  }
}

TEST_CASE("output: Gambit lines and exact fractions in text", "[exact]") {
  const auto g = bimatrix({{1, -1}, {-1, 1}}, {{-1, 1}, {1, -1}});
  SolveContext context;
  SolveOptions options;
  options.exact = true;
  SolveResult result = builtin_solvers().find("support")->solve(g, options, context);
  Report report{.source = "pennies.nfg",
                .title = "pennies",
                .parameters = {},
                .player_labels = {"row", "column"},
                .game = &g,
                .results = {}};
  report.results.emplace_back("support", result);
  CHECK(render_gambit(report) == "NE,1/2,1/2,1/2,1/2\n");
  const std::string text = render_text(report);
  CHECK_THAT(text, Catch::Contains("row: 1 1/2, 2 1/2; column: 1 1/2, 2 1/2 (exact)"));

  result.equilibria[0].exact.reset();
  report.results[0].second = result;
  CHECK(render_gambit(report) == "NE,0.500000,0.500000,0.500000,0.500000\n");

  const auto bos = bimatrix({{2, 0}, {0, 1}}, {{1, 0}, {0, 2}});
  Report three{.source = "bos",
               .title = "",
               .parameters = {},
               .player_labels = {"row", "column"},
               .game = &bos,
               .results = {}};
  three.results.emplace_back("support",
                             builtin_solvers().find("support")->solve(bos, options, context));
  const std::string lines = render_gambit(three);
  CHECK(std::count(lines.begin(), lines.end(), '\n') == 3);
  CHECK_THAT(lines, Catch::Contains("NE,2/3,1/3,1/3,2/3\n"));
  CHECK_THAT(lines, Catch::Contains("NE,1,0,1,0\n"));
}
