#include <algorithm>

#include <catch2/catch.hpp>

#include "reference_games.hpp"
#include "stratagem/solve/dominance.hpp"
#include "stratagem/solve/enumerate.hpp"
#include "stratagem/solve/pure.hpp"
#include "stratagem/solve/support.hpp"
#include "test_games.hpp"

using namespace stratagem;
using stratagem::testing::bimatrix;
using stratagem::testing::random_game;
using stratagem::testing::random_real_game;

namespace {

SolveContext& ctx() {
  static SolveContext context;
  return context;
}

/// True when every profile in `want` is within tol of one in `found` and vice versa.
bool same_set(const std::vector<Equilibrium>& found, const std::vector<MixedProfile>& want,
              double tol) {
  if (found.size() != want.size()) return false;
  for (const auto& w : want) {
    if (std::none_of(found.begin(), found.end(),
                     [&](const Equilibrium& e) { return e.profile.distance(w) <= tol; })) {
      return false;
    }
  }
  return true;
}

std::vector<std::vector<int>> pure_profiles(const std::vector<Equilibrium>& eqs) {
  std::vector<std::vector<int>> out;
  for (const auto& e : eqs) {
    std::vector<int> actions;
    if (e.profile.is_pure(1e-12, &actions)) out.push_back(actions);
  }
  std::sort(out.begin(), out.end());
  return out;
}

/// Brute-force pure equilibria, written independently of solve_pure.
std::vector<std::vector<int>> brute_force_pure(const NormalFormGame& game) {
  std::vector<std::vector<int>> out;
  for (std::size_t idx = 0; idx < game.num_profiles(); ++idx) {
    const auto actions = game.profile(idx);
    bool ok = true;
    for (int p = 0; p < game.num_players() && ok; ++p) {
      auto deviation = actions;
      for (int a = 0; a < game.num_actions(p); ++a) {
        deviation[p] = a;
        if (game.payoff(p, game.index(deviation)) > game.payoff(p, idx)) ok = false;
      }
    }
    if (ok) out.push_back(actions);
  }
  return out;
}

}  // namespace

TEST_CASE("classic games: support finds the textbook equilibria", "[solve][support]") {
  SECTION("prisoner's dilemma: only (defect, defect)") {
    const auto g = bimatrix({{3, 0}, {5, 1}}, {{3, 5}, {0, 1}});
    const auto eqs = solve_support(g, {}, ctx());
    CHECK(same_set(eqs, {MixedProfile({{0, 1}, {0, 1}})}, 1e-12));
  }
  SECTION("matching pennies: only (1/2, 1/2) each") {
    const auto g = bimatrix({{1, -1}, {-1, 1}}, {{-1, 1}, {1, -1}});
    const auto eqs = solve_support(g, {}, ctx());
    REQUIRE(eqs.size() == 1);
    CHECK(eqs[0].profile.distance(MixedProfile({{0.5, 0.5}, {0.5, 0.5}})) < 1e-12);
    CHECK(eqs[0].payoffs[0] == Approx(0.0).margin(1e-12));
    CHECK_FALSE(eqs[0].pure);
  }
  SECTION("battle of the sexes: two pure and (2/3, 1/3), (1/3, 2/3)") {
    const auto g = bimatrix({{2, 0}, {0, 1}}, {{1, 0}, {0, 2}});
    const auto eqs = solve_support(g, {}, ctx());
    CHECK(same_set(eqs,
                   {MixedProfile({{1, 0}, {1, 0}}), MixedProfile({{0, 1}, {0, 1}}),
                    MixedProfile({{2.0 / 3, 1.0 / 3}, {1.0 / 3, 2.0 / 3}})},
                   1e-12));
  }
  SECTION("rock-paper-scissors: uniform only") {
    const auto g = bimatrix({{0, -1, 1}, {1, 0, -1}, {-1, 1, 0}},
                            {{0, 1, -1}, {-1, 0, 1}, {1, -1, 0}});
    const auto eqs = solve_support(g, {}, ctx());
    CHECK(same_set(eqs, {MixedProfile({{1.0 / 3, 1.0 / 3, 1.0 / 3}, {1.0 / 3, 1.0 / 3, 1.0 / 3}})},
                   1e-12));
  }
  SECTION("chicken: two pure and a mixed one") {
    // swerve/straight: (0,0) (-1,1) / (1,-1) (-10,-10): mix swerve with prob 9/10.
    const auto g = bimatrix({{0, -1}, {1, -10}}, {{0, 1}, {-1, -10}});
    const auto eqs = solve_support(g, {}, ctx());
    CHECK(same_set(eqs,
                   {MixedProfile({{1, 0}, {0, 1}}), MixedProfile({{0, 1}, {1, 0}}),
                    MixedProfile({{0.9, 0.1}, {0.9, 0.1}})},
                   1e-12));
  }
}

TEST_CASE("degenerate cases do not hang and report valid equilibria", "[solve][support]") {
  SECTION("all-zero payoffs: every pure profile is an equilibrium") {
    const auto g = bimatrix({{0, 0, 0}, {0, 0, 0}}, {{0, 0, 0}, {0, 0, 0}});
    const auto eqs = solve_support(g, {}, ctx());
    CHECK(pure_profiles(eqs).size() == 6);
    for (const auto& e : eqs) CHECK(e.max_regret <= 1e-12);
  }
  SECTION("duplicate rows") {
    const auto g = bimatrix({{1, 0}, {1, 0}, {0, 2}}, {{0, 1}, {0, 1}, {1, 0}});
    const auto eqs = solve_support(g, {}, ctx());
    REQUIRE_FALSE(eqs.empty());
    for (const auto& e : eqs) CHECK(e.max_regret <= 1e-12);
  }
  SECTION("unequal support sizes: (T, L) with the column player indifferent") {
    // Row strictly prefers T; column is indifferent between L and R when row plays T.
    const auto g = bimatrix({{2, 2}, {0, 0}}, {{1, 1}, {0, 2}});
    const auto eqs = solve_support(g, {}, ctx());
    for (const auto& e : eqs) CHECK(e.max_regret <= 1e-12);
    CHECK(pure_profiles(eqs) == std::vector<std::vector<int>>{{0, 0}, {0, 1}});
  }
}

TEST_CASE("reference games: support and pure match the reference equilibria", "[solve][reference]") {
  const auto games = load_reference_games();
  REQUIRE(games.size() >= 10);
  int two_player = 0;
  for (const auto& ref : games) {
    INFO(ref.name);
    const auto pure = solve_pure(ref.game, {}, ctx());
    auto want_pure = ref.pure_equilibria;
    std::sort(want_pure.begin(), want_pure.end());
    CHECK(pure_profiles(pure) == want_pure);
    if (ref.game.num_players() != 2) continue;
    ++two_player;
    const auto eqs = solve_support(ref.game, {}, ctx());
    for (const auto& e : eqs) CHECK(e.max_regret <= 1e-9);
    if (!ref.degenerate) {
      CHECK(same_set(eqs, ref.equilibria, 1e-6));
    } else {
      const auto found = pure_profiles(eqs);
      for (const auto& p : ref.pure_equilibria) {
        CHECK(std::find(found.begin(), found.end(), p) != found.end());
      }
    }
  }
  CHECK(two_player >= 10);
}

TEST_CASE("random games: support equilibria are verified and agree with pure", "[solve][random]") {
  for (unsigned seed = 1; seed <= 40; ++seed) {
    const int m = 2 + static_cast<int>(seed % 5), n = 2 + static_cast<int>((seed * 7) % 5);
    INFO("seed " << seed << " size " << m << "x" << n);
    const auto g = random_real_game({m, n}, seed);
    const auto eqs = solve_support(g, {}, ctx());
    REQUIRE_FALSE(eqs.empty());
    CHECK(eqs.size() % 2 == 1);  // nondegenerate games have an odd number of equilibria
    for (const auto& e : eqs) {
      CHECK(e.max_regret <= 1e-9);
      CHECK(e.profile.is_distribution(1e-9));
    }
    CHECK(pure_profiles(eqs) == pure_profiles(solve_pure(g, {}, ctx())));
  }
}

TEST_CASE("pure equilibria of n-player games match brute force", "[solve][pure]") {
  for (unsigned seed = 1; seed <= 20; ++seed) {
    const std::vector<int> shape{2 + static_cast<int>(seed % 3), 3, 2, 1 + static_cast<int>(seed % 2)};
    const auto g = random_game(shape, seed, 0, 4);  // small payoffs: many ties
    auto want = brute_force_pure(g);
    std::sort(want.begin(), want.end());
    CHECK(pure_profiles(solve_pure(g, {}, ctx())) == want);
    SolveOptions one_thread;
    one_thread.threads = 1;
    CHECK(pure_profiles(solve_pure(g, one_thread, ctx())) == want);
  }
}

TEST_CASE("dominance: iterated strict elimination", "[solve][dominance]") {
  SECTION("prisoner's dilemma reduces to (defect, defect)") {
    const auto g = bimatrix({{3, 0}, {5, 1}}, {{3, 5}, {0, 1}});
    const auto dom = eliminate_dominated(g, false);
    CHECK(dom.survivors == std::vector<std::vector<int>>{{1}, {1}});
    REQUIRE(dom.steps.size() == 2);
    CHECK(dom.steps[0].by == 1);
    CHECK(dom.reduced.num_profiles() == 1);
  }
  SECTION("a 3x3 that needs three rounds") {
    // Column's C is dominated by R (2,6,8 > 1,4,6); then row's M and D by U (4,6 beat 2,3
    // and 3,2); then column's R by L (3 > 2); leaving (U, L).
    const auto g = bimatrix({{4, 5, 6}, {2, 8, 3}, {3, 9, 2}}, {{3, 1, 2}, {1, 4, 6}, {0, 6, 8}});
    const auto dom = eliminate_dominated(g, false);
    REQUIRE(dom.steps.size() == 4);
    CHECK((dom.steps[0].round == 1 && dom.steps[0].player == 1 && dom.steps[0].action == 1 &&
           dom.steps[0].by == 2));
    CHECK((dom.steps[1].round == 2 && dom.steps[1].player == 0 && dom.steps[1].action == 1 &&
           dom.steps[1].by == 0));
    CHECK((dom.steps[2].round == 2 && dom.steps[2].player == 0 && dom.steps[2].action == 2));
    CHECK((dom.steps[3].round == 3 && dom.steps[3].player == 1 && dom.steps[3].action == 2 &&
           dom.steps[3].by == 0));
    CHECK(dom.survivors == std::vector<std::vector<int>>{{0}, {0}});
    CHECK(dom.reduced.payoff(0, 0) == 4.0);
  }
  SECTION("weak dominance removes a weakly dominated action, strict does not") {
    const auto g = bimatrix({{1, 1}, {1, 0}}, {{1, 1}, {1, 1}});
    CHECK(eliminate_dominated(g, false).survivors == std::vector<std::vector<int>>{{0, 1}, {0, 1}});
    const auto weak = eliminate_dominated(g, true);
    CHECK(weak.survivors[0] == std::vector<int>{0});
    REQUIRE_FALSE(weak.steps.empty());
    CHECK_FALSE(weak.steps[0].strict);
  }
  SECTION("no pure equilibrium is ever eliminated by strict dominance") {
    for (unsigned seed = 1; seed <= 30; ++seed) {
      const auto g = random_game({3, 3, 2}, seed, 0, 9);
      const auto dom = eliminate_dominated(g, false);
      for (const auto& e : solve_pure(g, {}, ctx())) {
        std::vector<int> actions;
        REQUIRE(e.profile.is_pure(1e-12, &actions));
        for (int p = 0; p < 3; ++p) {
          const auto& s = dom.survivors[p];
          CHECK(std::find(s.begin(), s.end(), actions[p]) != s.end());
        }
      }
    }
  }
}

TEST_CASE("profiles: regrets, best responses and limits", "[game]") {
  const auto g = bimatrix({{1, -1}, {-1, 1}}, {{-1, 1}, {1, -1}});
  const MixedProfile pure = MixedProfile::pure(g.shape(), std::vector<int>{0, 0});
  CHECK(regret(g, pure, 0) == 0.0);
  CHECK(regret(g, pure, 1) == 2.0);
  CHECK(max_regret(g, pure) == 2.0);
  CHECK(best_responses(g, pure, 1) == std::vector<int>{1});
  const MixedProfile half({{0.5, 0.5}, {0.25, 0.75}});
  CHECK(action_values(g, half, 0) == std::vector<double>{-0.5, 0.5});
  CHECK(expected_payoffs(g, half)[0] == Approx(0.0));
  CHECK_THROWS_AS(NormalFormBuilder({"a", "b", "c"}, std::vector<int>{1000, 1000, 1000}),
                  InvalidGame);
  CHECK_THROWS_AS(NormalFormBuilder({"a", "a"}, std::vector<int>{2, 2}), InvalidGame);
  NormalFormBuilder incomplete({"a"}, std::vector<int>{2});
  const double one[] = {1.0};
  incomplete.set_payoffs(std::size_t{0}, one);
  CHECK_THROWS_WITH(std::move(incomplete).build(), Catch::Contains("no payoff"));
}

TEST_CASE("support: the support-pair count is an integer that saturates instead of overflowing",
          "[support][limits]") {
  CHECK(stratagem::support_pair_count(4, 4) == 69);  // C(8, 4) - 1
  CHECK(stratagem::support_pair_count(171, 3) == 171 * 3 + 14535 * 3 + 818805);
  CHECK(stratagem::support_pair_count(200, 200) == stratagem::kSaturatedCount);
  // A 60x60 game under a small cap: the supports of one size are counted before they are listed
  // (C(60, 30) of them would not fit in memory), and the limit is reported.
  const auto game = stratagem::testing::random_game({60, 60}, 7, 0, 9);
  stratagem::SolveOptions options;
  options.max_supports = 5'000;
  stratagem::SolveContext context;
  const auto result = stratagem::builtin_solvers().find("support")->solve(game, options, context);
  CHECK(result.status == stratagem::SolveStatus::kLimitReached);
  CHECK_THAT(result.message, Catch::Contains("more than 1.8e19 support pairs"));
}

TEST_CASE("enumerate: a vertex search beyond its memory budget stops and still lists equilibria",
          "[enumerate][limits]") {
  // A 14 x 14 game visits tens of thousands of bases; a 256 KiB budget stops it early.
  const auto game = stratagem::testing::random_real_game({14, 14}, 3);
  stratagem::SolveOptions options;
  options.max_search_bytes = 256 << 10;
  options.threads = 1;
  stratagem::SolveContext context;
  const auto result =
      stratagem::builtin_solvers().find("enumerate")->solve(game, options, context);
  CHECK(result.status == stratagem::SolveStatus::kLimitReached);
  CHECK_THAT(result.message, Catch::Contains("memory budget"));
  REQUIRE_FALSE(result.equilibria.empty());  // never "0 equilibria" for a finite game
  for (const auto& eq : result.equilibria) CHECK(eq.max_regret <= 1e-9);
}

TEST_CASE("enumerate: an identity coordination game's isolated equilibria are one component each",
          "[enumerate][components]") {
  // n x n identity payoffs for both: 2^n - 1 equilibria (uniform on any non-empty common
  // support), all isolated. The cliques are found component by component (linear time).
  const int n = 9;
  std::vector<std::vector<double>> identity(n, std::vector<double>(n, 0.0));
  for (int i = 0; i < n; ++i) identity[static_cast<std::size_t>(i)][static_cast<std::size_t>(i)] = 1.0;
  const auto game = stratagem::testing::bimatrix(identity, identity);
  stratagem::SolveContext context;
  const auto found = stratagem::enumerate_extreme_equilibria(game, {}, context);
  REQUIRE(found.equilibria.size() == (1U << n) - 1);
  CHECK(found.components.size() == found.equilibria.size());
  CHECK(found.cliques.size() == found.equilibria.size());
  for (const auto& clique : found.cliques) CHECK(clique.equilibria.size() == 1);
}
