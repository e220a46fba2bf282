// support-newton: Nash equilibria of games with any number of players.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <nlohmann/json.hpp>
#include <set>

#include "process.hpp"
#include "reference_games.hpp"
#include "stratagem/solve/support.hpp"
#include "stratagem/solve/support_newton.hpp"
#include "test_games.hpp"

using namespace stratagem;
using stratagem::testing::random_real_game;

namespace {

SolveContext& ctx() {
  static SolveContext context;
  return context;
}

/// Largest gain of any player from a pure deviation, computed by brute force over all profiles
/// (independently of the solver's own check).
double brute_force_regret(const NormalFormGame& game, const MixedProfile& sigma) {
  const int n = game.num_players();
  double worst = 0.0;
  for (int i = 0; i < n; ++i) {
    std::vector<double> by_action(static_cast<std::size_t>(game.num_actions(i)), 0.0);
    double value = 0.0;
    for (std::size_t k = 0; k < game.num_profiles(); ++k) {
      const auto s = game.profile(k);
      double others = 1.0;
      for (int p = 0; p < n; ++p) {
        if (p != i) others *= sigma.probabilities(p)[static_cast<std::size_t>(s[p])];
      }
      by_action[static_cast<std::size_t>(s[i])] += others * game.payoff(i, k);
      value += others * sigma.probabilities(i)[static_cast<std::size_t>(s[i])] * game.payoff(i, k);
    }
    worst = std::max(worst, *std::max_element(by_action.begin(), by_action.end()) - value);
  }
  return worst;
}

/// A game from a payoff function of the pure profile.
template <class Payoff>
NormalFormGame make_game(const std::vector<int>& shape, Payoff payoff) {
  std::vector<std::string> players;
  for (std::size_t p = 0; p < shape.size(); ++p) players.push_back("p" + std::to_string(p + 1));
  NormalFormBuilder builder(players, shape);
  for (std::size_t k = 0; k < builder.num_profiles(); ++k) {
    builder.set_payoffs(k, payoff(builder.peek().profile(k)));
  }
  return std::move(builder).build();
}

bool close(const MixedProfile& a, const std::vector<std::vector<double>>& b, double tol) {
  return a.distance(MixedProfile(b)) <= tol;
}

}  // namespace

TEST_CASE("support-newton: every pure equilibrium of the n-player reference games, all verified",
          "[solve][support-newton]") {
  int checked = 0;
  for (const auto& ref : load_reference_games()) {
    if (ref.game.num_players() < 3) continue;
    INFO(ref.name);
    const auto r = solve_support_newton(ref.game, {}, ctx());
    REQUIRE(r.status == SolveStatus::kOk);
    CHECK(r.examined == r.support_profiles);
    std::set<std::vector<int>> pure;
    for (const auto& eq : r.equilibria) {
      CHECK(brute_force_regret(ref.game, eq.profile) <= 1e-9);
      if (!eq.profile.is_pure()) continue;
      std::vector<int> actions;
      for (int p = 0; p < ref.game.num_players(); ++p) {
        const auto probs = eq.profile.probabilities(p);
        actions.push_back(static_cast<int>(std::max_element(probs.begin(), probs.end()) -
                                           probs.begin()));
      }
      pure.insert(actions);
    }
    const std::set<std::vector<int>> expected(ref.pure_equilibria.begin(),
                                              ref.pure_equilibria.end());
    CHECK(pure == expected);
    ++checked;
  }
  CHECK(checked == 4);
}

TEST_CASE("support-newton: two-player games give the support-enumeration set",
          "[solve][support-newton]") {
  for (unsigned seed = 1; seed <= 6; ++seed) {
    const auto g = random_real_game({4 + static_cast<int>(seed % 3), 5}, seed);
    const auto newton = solve_support_newton(g, {}, ctx()).equilibria;
    const auto reference = solve_support(g, {}, ctx());
    INFO("seed " << seed);
    REQUIRE(newton.size() == reference.size());
    for (const auto& e : reference) {
      CHECK(std::any_of(newton.begin(), newton.end(), [&](const Equilibrium& f) {
        return f.profile.distance(e.profile) <= 1e-9;
      }));
    }
  }
}

TEST_CASE("support-newton: three-player volunteer's dilemma has its seven equilibria",
          "[solve][support-newton]") {
  // Each player volunteers (action 0, payoff 1 - c) or not (action 1: payoff 1 when someone
  // else volunteers, else 0); c = 1/4. Equilibria, derived by hand: one volunteer (3 pure); one
  // sure non-volunteer while the other two volunteer with probability 3/4 (indifference:
  // 1 - c = p); everybody volunteers with probability 1/2 (1 - c = 1 - q^2, q = 1/2).
  const double c = 0.25;
  const auto g = make_game({2, 2, 2}, [&](const std::vector<int>& s) {
    std::vector<double> u(3);
    for (int i = 0; i < 3; ++i) {
      bool other = false;
      for (int j = 0; j < 3; ++j) other = other || (j != i && s[j] == 0);
      u[i] = s[i] == 0 ? 1 - c : (other ? 1.0 : 0.0);
    }
    return u;
  });
  const auto r = solve_support_newton(g, {}, ctx());
  REQUIRE(r.status == SolveStatus::kOk);
  REQUIRE(r.equilibria.size() == 7);
  std::vector<std::vector<std::vector<double>>> expected;
  for (int v = 0; v < 3; ++v) {
    std::vector<std::vector<double>> pure(3, {0.0, 1.0});
    pure[v] = {1.0, 0.0};
    expected.push_back(pure);
    std::vector<std::vector<double>> two(3, {0.75, 0.25});
    two[v] = {0.0, 1.0};
    expected.push_back(two);
  }
  expected.push_back({{0.5, 0.5}, {0.5, 0.5}, {0.5, 0.5}});
  for (const auto& e : expected) {
    CHECK(std::any_of(r.equilibria.begin(), r.equilibria.end(),
                      [&](const Equilibrium& f) { return close(f.profile, e, 1e-9); }));
  }
  for (const auto& eq : r.equilibria) CHECK(brute_force_regret(g, eq.profile) <= 1e-12);
}

TEST_CASE("support-newton: Jordan's three-player matching pennies has only the uniform profile",
          "[solve][support-newton]") {
  // Player 1 wants to match player 2, player 2 to match player 3, player 3 to mismatch player 1:
  // no pure equilibrium, and the unique equilibrium mixes 1/2 - 1/2 for everybody.
  const auto g = make_game({2, 2, 2}, [](const std::vector<int>& s) {
    return std::vector<double>{s[0] == s[1] ? 1.0 : 0.0, s[1] == s[2] ? 1.0 : 0.0,
                               s[2] != s[0] ? 1.0 : 0.0};
  });
  const auto r = solve_support_newton(g, {}, ctx());
  REQUIRE(r.equilibria.size() == 1);
  CHECK(close(r.equilibria[0].profile, {{0.5, 0.5}, {0.5, 0.5}, {0.5, 0.5}}, 1e-12));
}

TEST_CASE("support-newton: over the support limit only pure equilibria are searched, and said so",
          "[solve][support-newton]") {
  const auto g = stratagem::testing::random_game({3, 3, 3}, 5, 0, 9);
  SolveOptions options;
  options.max_supports = 100;  // the game has 7^3 = 343 support profiles
  const auto capped = solve_support_newton(g, options, ctx());
  CHECK(capped.status == SolveStatus::kLimitReached);
  CHECK_THAT(capped.message, Catch::Contains("only pure equilibria were searched"));
  CHECK(capped.support_profiles == 343);
  CHECK(capped.examined == 0);  // the pure equilibria come from the exact pure search
  const auto full = solve_support_newton(g, {}, ctx());
  std::size_t pure = 0;
  for (const auto& eq : full.equilibria) pure += eq.profile.is_pure() ? 1 : 0;
  CHECK(capped.equilibria.size() == pure);
  for (const auto& eq : capped.equilibria) CHECK(eq.profile.is_pure());
}

TEST_CASE("support-newton: from the CLI, and registered", "[solve][support-newton][cli]") {
  const auto& entry = *builtin_solvers().find("support-newton");
  CHECK_FALSE(entry.check(random_real_game({2, 2, 2}, 1)).has_value());
  const std::string file = reference_dir() + "/nplayer_3x3x3_s99_0.nfg";
  const auto r = testing::run_stratagem("solve " + file + " --method support-newton --format json");
  REQUIRE(r.code == 0);
  const auto j = nlohmann::json::parse(r.out);
  CHECK(j["equilibria"].size() >= 1);
}

TEST_CASE("support-newton: an equilibrium whose supports are 2 against 3 is found as a zero on a "
          "face of a square support",
          "[solve][support-newton]") {
  // Rows a, b, c; columns s, t, u. At x = (0, 1/2, 1/2) every column pays the column player 1,
  // and y = (1/3, 1/3, 1/3) makes a, b and c pay the row player 1: an extreme equilibrium (the
  // end of the segment of y between (2/5, 3/5, 0) and it) whose supports, {b, c} against
  // {s, t, u}, give no square system of their own. It is the zero of the square system of
  // {a, b, c} against {s, t, u} with a's probability exactly 0, and was once dropped as such.
  const auto g = stratagem::testing::bimatrix({{1, 1, 1}, {0, 2, 1}, {3, 0, 0}},
                                              {{3, 0, 0}, {1, 0, 2}, {1, 2, 0}});
  const auto found = solve_support_newton(g, {}, ctx()).equilibria;
  const MixedProfile face({{0.0, 0.5, 0.5}, {1.0 / 3, 1.0 / 3, 1.0 / 3}});
  const MixedProfile end({{0.0, 0.5, 0.5}, {0.4, 0.6, 0.0}});
  for (const auto* want : {&face, &end}) {
    CHECK(std::any_of(found.begin(), found.end(), [&](const Equilibrium& e) {
      return e.profile.distance(*want) <= 1e-9;
    }));
  }
  for (const auto& e : found) CHECK(e.max_regret <= 1e-9);
}
