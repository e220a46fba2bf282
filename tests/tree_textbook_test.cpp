// Textbook extensive-form games with published answers.

#include <algorithm>
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "efg_fixtures.hpp"
#include "stratagem/game/profile.hpp"
#include "stratagem/game/tree.hpp"
#include "stratagem/io/efg.hpp"
#include "stratagem/solve/pure.hpp"
#include "stratagem/solve/subgame_perfect.hpp"

using namespace stratagem;
using stratagem::testing::efg_fixture;

namespace {

SolveContext& ctx() {
  static SolveContext context;
  return context;
}

/// The labels of the pure profiles among `equilibria`, sorted, e.g. "(C, c, R)".
std::vector<std::string> pure_labels(const NormalFormGame& game,
                                     const std::vector<Equilibrium>& equilibria) {
  std::vector<std::string> labels;
  for (const auto& e : equilibria) {
    std::vector<int> actions;
    REQUIRE(e.profile.is_pure(1e-12, &actions));
    labels.push_back(profile_label(game, actions));
  }
  std::sort(labels.begin(), labels.end());
  return labels;
}

}  // namespace

// Selten (1975), Figure 1, "Selten's horse": player 1 plays C (on to player 2) or D; player 2
// plays c (end) or d; player 3 chooses L or R at one information set holding the node after D
// and the node after (C, d). Payoffs (players 1, 2, 3):
//   (C, c) = (1, 1, 1)   (C, d, L) = (4, 4, 0)   (C, d, R) = (0, 0, 1)
//   (D, L) = (3, 2, 2)   (D, R)    = (0, 0, 0)
// The pure Nash equilibria are (C, c, R) and (D, c, L). Only the root starts a subgame, so both
// are subgame perfect; (D, c, L) is not sequential, since player 2's c is no best reply at its
// own (unreached) node when player 3 plays L. Mixed equilibria form two components: (C, c) with
// player 3 playing L with probability at most 1/4, and (D, L) with player 2 playing c with
// probability at least 1/3.
TEST_CASE("textbook: Selten's horse, pure equilibria of the reduced normal form",
          "[tree][textbook]") {
  const GameTree tree = read_efg(efg_fixture("selten_horse.efg"));
  CHECK_FALSE(tree.is_perfect_information());
  REQUIRE(tree.infosets().size() == 3);
  CHECK(tree.infoset(2).nodes.size() == 2);  // player 3 cannot tell D from (C, d)
  CHECK(subgame_roots(tree) == std::vector<int>{0});

  const NormalFormGame game = reduced_normal_form(tree);
  CHECK(game.shape() == std::vector<int>{2, 2, 2});
  CHECK(game.action_names(0) == std::vector<std::string>{"C", "D"});
  CHECK(game.action_names(1) == std::vector<std::string>{"c", "d"});
  CHECK(game.action_names(2) == std::vector<std::string>{"L", "R"});

  const auto nash = solve_pure(game, {}, ctx());
  CHECK(pure_labels(game, nash) == std::vector<std::string>{"(C, c, R)", "(D, c, L)"});
  for (const auto& e : nash) {
    CHECK(e.max_regret == 0.0);
    std::vector<int> actions;
    REQUIRE(e.profile.is_pure(1e-12, &actions));
    const std::vector<double> want =
        actions[0] == 0 ? std::vector<double>{1, 1, 1} : std::vector<double>{3, 2, 2};
    CHECK(e.payoffs == want);
  }

  // (D, c, L) survives only because player 2 never moves: were its node reached, d would give
  // it 4 against L instead of 1.
  const auto at = [&](std::vector<int> actions) {
    return expected_payoffs(game, MixedProfile::pure(game.shape(), actions));
  };
  CHECK(at({0, 0, 0})[1] == 1.0);
  CHECK(at({0, 1, 0})[1] == 4.0);

  // The endpoint of the (C, c) component: player 3 plays L with probability 1/4, where player 2
  // is indifferent (4/4 = 1); a little more L and player 2 goes down.
  const MixedProfile edge({{1, 0}, {1, 0}, {0.25, 0.75}});
  CHECK(max_regret(game, edge) <= 1e-12);
  const MixedProfile beyond({{1, 0}, {1, 0}, {0.3, 0.7}});
  CHECK(max_regret(game, beyond) == Approx(0.2));
}

TEST_CASE("textbook: Selten's horse, the subgame-perfect solver gives both components' extreme "
          "points",
          "[tree][textbook][spe]") {
  const GameTree tree = read_efg(efg_fixture("selten_horse.efg"));
  const auto result = solve_subgame_perfect(tree, {}, ctx());
  CHECK(result.status == SolveStatus::kOk);
  CHECK(result.subgames == std::vector<int>{0});
  // No proper subgame, so the SPE are the Nash equilibria: two segments. (C, c, L with
  // probability l <= 1/4): player 2's d would earn 4 l against c's 1. (D, c with probability
  // q >= 1/3, L): player 1's C would earn q + 4 (1 - q) against D's 3. Their extreme points: the
  // two pure equilibria, and l = 1/4 and q = 1/3, where that player is exactly indifferent.
  REQUIRE(result.equilibria.size() == 4);

  // Information sets in tree order: player 1, player 2, player 3.
  std::vector<std::vector<std::vector<double>>> found;
  for (const auto& eq : result.equilibria) {
    CHECK(eq.max_gain <= 1e-9);
    found.push_back(eq.behaviour);
  }
  std::sort(found.begin(), found.end());
  const std::vector<std::vector<std::vector<double>>> want = {
      {{0, 1}, {1.0 / 3, 2.0 / 3}, {1, 0}},  // (D, c 1/3, L)
      {{0, 1}, {1, 0}, {1, 0}},              // (D, c, L)
      {{1, 0}, {1, 0}, {0, 1}},              // (C, c, R)
      {{1, 0}, {1, 0}, {0.25, 0.75}},        // (C, c, L 1/4)
  };
  REQUIRE(found.size() == want.size());
  for (std::size_t k = 0; k < want.size(); ++k) {
    for (std::size_t i = 0; i < want[k].size(); ++i) {
      for (std::size_t a = 0; a < want[k][i].size(); ++a) {
        CHECK(found[k][i][a] == Approx(want[k][i][a]).margin(1e-12));
      }
    }
  }
  for (const auto& eq : result.equilibria) {
    const std::vector<double> payoffs =
        eq.behaviour[0][0] == 1.0 ? std::vector<double>{1, 1, 1} : std::vector<double>{3, 2, 2};
    REQUIRE(eq.payoffs.size() == 3);
    for (int p = 0; p < 3; ++p) CHECK(eq.payoffs[p] == Approx(payoffs[p]));
  }

  // Neither (C, c, L) nor (D, d, R) is an equilibrium: in the first, player 2 gains 3 by going
  // down (and player 1 gains 2); in the second, player 3 gains 2 by playing L.
  CHECK(behaviour_max_gain(tree, {{1, 0}, {1, 0}, {1, 0}}) == Approx(3.0));
  CHECK(behaviour_max_gain(tree, {{0, 1}, {0, 1}, {0, 1}}) == Approx(2.0));
}
