#include "efg_fixtures.hpp"
#include "stratagem/solve/sequence_lcp.hpp"

#include <algorithm>
#include <atomic>
#include <catch2/catch.hpp>
#include <functional>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "stratagem/game/profile.hpp"
#include "stratagem/game/tree.hpp"
#include "stratagem/io/efg.hpp"
#include "stratagem/solve/subgame_perfect.hpp"
#include "stratagem/solve/support.hpp"

using namespace stratagem;
using stratagem::testing::efg_fixture;

namespace {

SolveContext& ctx() {
  static SolveContext context;
  return context;
}

/// Kuhn poker: cards J < Q < K, each player antes 1 and is dealt one card; player 1 checks or bets
/// 1; after a check player 2 checks (showdown) or bets 1, and player 1 then folds or calls; after a
/// bet player 2 folds or calls.
GameTree kuhn_poker() {
  const std::vector<std::string> cards = {"J", "Q", "K"};
  GameTreeBuilder b({"Player 1", "Player 2"});
  auto terminal = [&](double u) { return b.add_terminal({u, -u}); };
  auto decide = [&](int player, std::string key, std::vector<std::string> moves,
                    std::vector<int> children) {
    return b.add_decision(DecisionSpec{.player = player,
                                       .infoset = std::move(key),
                                       .moves = std::move(moves),
                                       .children = std::move(children)});
  };
  std::vector<std::string> deals;
  std::vector<int> roots;
  for (int c1 = 0; c1 < 3; ++c1) {
    for (int c2 = 0; c2 < 3; ++c2) {
      if (c1 == c2) continue;
      const double win = c1 > c2 ? 1.0 : -1.0;
      const std::string& mine = cards[static_cast<std::size_t>(c1)];
      const std::string& theirs = cards[static_cast<std::size_t>(c2)];
      const int called = decide(0, mine + " after check, bet", {"fold", "call"},
                                {terminal(-1), terminal(2 * win)});
      const int after_check =
          decide(1, theirs + " after check", {"check", "bet"}, {terminal(win), called});
      const int after_bet =
          decide(1, theirs + " after bet", {"fold", "call"}, {terminal(1), terminal(2 * win)});
      roots.push_back(decide(0, mine, {"check", "bet"}, {after_check, after_bet}));
      deals.push_back(mine + theirs);
    }
  }
  const int root = b.add_chance(deals, std::vector<double>(6, 1.0 / 6), roots);
  return std::move(b).build(root);
}

/// The information set of `player` labelled `label`.
int infoset_of(const GameTree& tree, int player, const std::string& label) {
  for (int h : tree.player_infosets(player)) {
    if (tree.infoset(h).label == label) return h;
  }
  throw std::invalid_argument("no information set " + label);
}

/// A simultaneous 2x2 game as a tree: row moves first, column does not see it.
GameTree simultaneous(const std::vector<std::vector<std::vector<double>>>& cells) {
  GameTreeBuilder b({"Row", "Column"});
  std::vector<int> column;
  for (std::size_t r = 0; r < 2; ++r) {
    column.push_back(b.add_decision(
        DecisionSpec{.player = 1,
                     .infoset = "column",
                     .moves = {"left", "right"},
                     .children = {b.add_terminal(cells[r][0]), b.add_terminal(cells[r][1])}}));
  }
  const int root = b.add_decision(0, {"top", "bottom"}, column);
  return std::move(b).build(root);
}

/// Matching pennies: row wins 1 when column, not seeing row's move, matches it.
GameTree hidden_pennies() { return simultaneous({{{1, -1}, {-1, 1}}, {{-1, 1}, {1, -1}}}); }

/// Entrant: out (0, 2) or in; the incumbent then fights (-1, -1) or accommodates (1, 1).
GameTree entry_game() {
  GameTreeBuilder b({"Entrant", "Incumbent"});
  const int incumbent = b.add_decision(1, {"fight", "accommodate"},
                                       {b.add_terminal({-1, -1}), b.add_terminal({1, 1})});
  const int root = b.add_decision(0, {"in", "out"}, {incumbent, b.add_terminal({0, 2})});
  return std::move(b).build(root);
}

/// The mixed reduced strategies realization-equivalent to `behaviour`: each reduced strategy's
/// probability is the product of its moves' probabilities at the information sets it reaches.
MixedProfile reduced_profile(const ReducedNormalForm& reduced, const GameTree& tree,
                             const BehaviourProfile& behaviour) {
  std::vector<std::vector<double>> probabilities(2);
  for (int p = 0; p < 2; ++p) {
    const auto& sets = tree.player_infosets(p);
    for (const auto& strategy : reduced.strategies[static_cast<std::size_t>(p)]) {
      double q = 1.0;
      for (std::size_t k = 0; k < strategy.size(); ++k) {
        if (strategy[k] >= 0) q *= behaviour[static_cast<std::size_t>(sets[k])][strategy[k]];
      }
      probabilities[static_cast<std::size_t>(p)].push_back(q);
    }
  }
  return MixedProfile(probabilities);
}

/// Every equilibrium is a Nash equilibrium of the reduced normal form with the same payoffs.
void check_in_reduced_form(const GameTree& tree, const SequenceLcpResult& result) {
  const ReducedNormalForm reduced = reduce_to_normal_form(tree);
  for (const auto& eq : result.equilibria) {
    const MixedProfile mixed = reduced_profile(reduced, tree, eq.behaviour);
    CHECK(mixed.is_distribution(1e-9));
    CHECK(max_regret(reduced.game, mixed) <= 1e-7);
    const auto payoffs = expected_payoffs(reduced.game, mixed);
    CHECK(payoffs[0] == Approx(eq.payoffs[0]).margin(1e-9));
    CHECK(payoffs[1] == Approx(eq.payoffs[1]).margin(1e-9));
    CHECK(eq.max_gain <= 1e-9);
  }
}

/// A random two-player tree with imperfect information and perfect recall by construction: nodes of
/// a player share an information set when they have the same own history (the player's earlier
/// information sets and moves) and the same random bucket. Leaf payoffs are continuous, so
/// (generically) the equilibrium outcomes, hence payoffs, are finitely many.
GameTree random_tree(unsigned seed, int depth) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  GameTreeBuilder b({"P1", "P2"});
  std::function<int(int, std::vector<std::string>)> grow =
      [&](int level, std::vector<std::string> history) -> int {
    if (level == depth || (level > 1 && unit(rng) < 0.25)) {
      return b.add_terminal({unit(rng) * 2 - 1, unit(rng) * 2 - 1});
    }
    if (level > 0 && unit(rng) < 0.15) {
      const double p = 0.2 + 0.6 * unit(rng);
      const int heads = grow(level + 1, history);
      const int tails = grow(level + 1, history);
      return b.add_chance({"heads", "tails"}, {p, 1 - p}, {heads, tails});
    }
    const int player = unit(rng) < 0.5 ? 0 : 1;
    const int bucket = unit(rng) < 0.5 ? 0 : 1;
    const std::string key =
        history[static_cast<std::size_t>(player)] + "#" + std::to_string(bucket);
    std::vector<std::string> moves = {"a", "b"};
    if (key == "#1") moves.push_back("c");  // a function of the set, as the builder requires
    std::vector<int> children;
    for (const auto& m : moves) {
      auto next = history;
      next[static_cast<std::size_t>(player)] = key + m + "/";
      children.push_back(grow(level + 1, next));
    }
    return b.add_decision(
        DecisionSpec{.player = player, .infoset = key, .moves = moves, .children = children});
  };
  const int root = grow(0, {"", ""});
  return std::move(b).build(root);
}

bool has_shared_infoset(const GameTree& tree) {
  return std::any_of(tree.infosets().begin(), tree.infosets().end(),
                     [](const InfoSet& s) { return s.nodes.size() > 1; });
}

}  // namespace

TEST_CASE("sequence-lcp: Kuhn poker has value -1/18 and player 2's unique strategy",
          "[sequence-lcp]") {
  const GameTree tree = kuhn_poker();
  const auto result = solve_sequence_lcp(tree, {.exact = true}, ctx());
  CHECK(result.status == SolveStatus::kOk);
  REQUIRE_FALSE(result.equilibria.empty());
  CHECK(result.paths.size() == 25);  // centroid + 24 moves at 12 sets
  REQUIRE(result.exact.size() == result.equilibria.size());
  auto at = [&](const BehaviorEquilibrium& eq, int player, const std::string& label, int move) {
    return eq.behaviour[static_cast<std::size_t>(infoset_of(tree, player, label))]
                       [static_cast<std::size_t>(move)];
  };
  for (std::size_t e = 0; e < result.equilibria.size(); ++e) {
    const auto& eq = result.equilibria[e];
    CHECK(eq.payoffs[0] == Approx(-1.0 / 18).margin(1e-12));
    CHECK(eq.payoffs[1] == Approx(1.0 / 18).margin(1e-12));
    CHECK(eq.max_gain <= 1e-12);
    // Player 2: bet and call with K; with Q check and call 1/3; with J bluff 1/3 and fold.
    CHECK(at(eq, 1, "K after check", 1) == Approx(1.0).margin(1e-9));
    CHECK(at(eq, 1, "K after bet", 1) == Approx(1.0).margin(1e-9));
    CHECK(at(eq, 1, "Q after check", 0) == Approx(1.0).margin(1e-9));
    CHECK(at(eq, 1, "Q after bet", 1) == Approx(1.0 / 3).margin(1e-9));
    CHECK(at(eq, 1, "J after check", 1) == Approx(1.0 / 3).margin(1e-9));
    CHECK(at(eq, 1, "J after bet", 0) == Approx(1.0).margin(1e-9));
    // Player 1: bluff with J at some alpha in [0, 1/3], never bet Q, bet K with 3 alpha; after
    // check and bet fold J, call Q with alpha + 1/3, call K (reached while 3 alpha < 1).
    const double alpha = at(eq, 0, "J", 1);
    CHECK(alpha >= -1e-12);
    CHECK(alpha <= 1.0 / 3 + 1e-9);
    CHECK(at(eq, 0, "Q", 1) == Approx(0.0).margin(1e-9));
    CHECK(at(eq, 0, "K", 1) == Approx(3 * alpha).margin(1e-9));
    CHECK(at(eq, 0, "J after check, bet", 1) == Approx(0.0).margin(1e-9));
    CHECK(at(eq, 0, "Q after check, bet", 1) == Approx(alpha + 1.0 / 3).margin(1e-9));
    if (3 * alpha < 1 - 1e-9) CHECK(at(eq, 0, "K after check, bet", 1) == Approx(1.0));
    // Exactly: the value is -1/18 and player 2's call with Q is 1/3.
    const auto& exact = result.exact[e];
    CHECK(exact.verified);
    CHECK(exact.message.empty());
    REQUIRE(exact.payoffs.size() == 2);
    CHECK(exact.payoffs[0] == mpq_class(-1, 18));
    CHECK(exact.behaviour[static_cast<std::size_t>(infoset_of(tree, 1, "Q after bet"))][1] ==
          mpq_class(1, 3));
  }
  for (const auto& path : result.paths) {
    CHECK(path.equilibrium >= 0);
    CHECK(path.pivots > 0);
  }
  CHECK(result.paths[0].start == "centroid");
  CHECK(result.paths[1].start == "Player 1 plays 'check' at 'J', Player 2 a best reply");
  check_in_reduced_form(tree, result);
}

TEST_CASE("sequence-lcp: Kuhn poker read from .efg gives the same equilibrium", "[sequence-lcp]") {
  const GameTree from_file = read_efg(efg_fixture("kuhn_poker.efg"));
  const auto result = solve_sequence_lcp(from_file, {.all_starts = false}, ctx());
  REQUIRE(result.status == SolveStatus::kOk);
  REQUIRE(result.equilibria.size() == 1);
  REQUIRE(result.paths.size() == 1);
  CHECK(result.equilibria[0].payoffs[0] == Approx(-1.0 / 18).margin(1e-12));
  const auto built = solve_sequence_lcp(kuhn_poker(), {.all_starts = false}, ctx());
  REQUIRE(built.equilibria.size() == 1);
  CHECK(built.equilibria[0].payoffs[0] == Approx(result.equilibria[0].payoffs[0]).margin(1e-12));
  CHECK(built.paths[0].pivots == result.paths[0].pivots);
}

TEST_CASE("sequence-lcp: matching pennies with an information set", "[sequence-lcp]") {
  const GameTree tree = hidden_pennies();
  const auto result = solve_sequence_lcp(tree, {.exact = true}, ctx());
  CHECK(result.status == SolveStatus::kOk);
  REQUIRE(result.equilibria.size() == 1);  // the only equilibrium, from every start
  const auto& eq = result.equilibria[0];
  CHECK(eq.payoffs[0] == Approx(0.0).margin(1e-12));
  for (const auto& probs : eq.behaviour) {
    CHECK(probs[0] == Approx(0.5));
    CHECK(probs[1] == Approx(0.5));
  }
  REQUIRE(result.exact.size() == 1);
  CHECK(result.exact[0].verified);
  CHECK(result.exact[0].behaviour[1][0] == mpq_class(1, 2));
  check_in_reduced_form(tree, result);
}

TEST_CASE("sequence-lcp: the entry game's equilibria include the subgame-perfect one",
          "[sequence-lcp]") {
  const GameTree tree = entry_game();
  const auto result = solve_sequence_lcp(tree, {}, ctx());
  CHECK(result.status == SolveStatus::kOk);
  const auto spe = solve_subgame_perfect(tree, {}, ctx());
  REQUIRE(spe.equilibria.size() == 1);
  const auto found = [&](const BehaviourProfile& b) {
    return std::any_of(result.equilibria.begin(), result.equilibria.end(), [&](const auto& eq) {
      for (std::size_t h = 0; h < b.size(); ++h) {
        for (std::size_t m = 0; m < b[h].size(); ++m) {
          if (std::abs(eq.behaviour[h][m] - b[h][m]) > 1e-9) return false;
        }
      }
      return true;
    });
  };
  CHECK(found(spe.equilibria[0].behaviour));  // in, accommodate
  // The start where the incumbent fights (and the entrant replies) keeps the threat: out, fight.
  CHECK(std::any_of(result.equilibria.begin(), result.equilibria.end(), [](const auto& eq) {
    return eq.behaviour[0][1] == Approx(1.0) && eq.behaviour[1][0] >= 0.5 - 1e-9 &&
           eq.payoffs[1] == Approx(2.0);
  }));
  check_in_reduced_form(tree, result);
}

TEST_CASE("sequence-lcp: a game with chance and hidden information (card game)", "[sequence-lcp]") {
  const GameTree tree = read_efg(efg_fixture("card_game.efg"));
  const auto result = solve_sequence_lcp(tree, {.exact = true}, ctx());
  CHECK(result.status == SolveStatus::kOk);
  REQUIRE(result.equilibria.size() == 1);
  REQUIRE(result.exact.size() == 1);
  const auto& exact = result.exact[0];
  CHECK(exact.verified);
  CHECK(exact.payoffs[0] == mpq_class(1, 3));
  CHECK(result.equilibria[0].payoffs[0] == Approx(1.0 / 3));
  // Sets in tree order: red card (raise), after a raise (meet), black card (raise).
  const std::vector<mpq_class> first_move = {1, mpq_class(2, 3), mpq_class(1, 3)};
  for (std::size_t h = 0; h < first_move.size(); ++h) {
    CHECK(exact.behaviour[h][0] == first_move[h]);
    CHECK(result.equilibria[0].behaviour[h][0] == Approx(first_move[h].get_d()));
  }
}

TEST_CASE("sequence-lcp: degenerate trees with ties", "[sequence-lcp]") {
  SECTION("every payoff zero") {
    const GameTree tree = simultaneous({{{0, 0}, {0, 0}}, {{0, 0}, {0, 0}}});
    const auto result = solve_sequence_lcp(tree, {.exact = true}, ctx());
    CHECK(result.status == SolveStatus::kOk);
    REQUIRE_FALSE(result.equilibria.empty());
    for (const auto& eq : result.equilibria) CHECK(eq.max_gain == 0.0);
    for (const auto& exact : result.exact) CHECK(exact.verified);
  }
  SECTION("column indifferent, row's best reply depends on it") {
    const GameTree tree = simultaneous({{{1, 0}, {0, 0}}, {{0, 0}, {1, 0}}});
    const auto result = solve_sequence_lcp(tree, {.exact = true}, ctx());
    CHECK(result.status == SolveStatus::kOk);
    CHECK(result.equilibria.size() >= 2);  // top-left and bottom-right are reached
    check_in_reduced_form(tree, result);
    for (const auto& exact : result.exact) CHECK(exact.verified);
  }
  SECTION("coordination with equal payoffs in a sequential tree with a tie") {
    // Ann: out (1, 1) or in; then a hidden 2x2 coordination where (A, A) also pays (1, 1).
    GameTreeBuilder b({"Ann", "Bob"});
    std::vector<int> bob;
    const std::vector<std::vector<double>> pay = {{1, 1}, {0, 0}, {0, 0}, {2, 2}};
    for (std::size_t a = 0; a < 2; ++a) {
      bob.push_back(b.add_decision(
          DecisionSpec{.player = 1,
                       .infoset = "bob",
                       .moves = {"A", "B"},
                       .children = {b.add_terminal(pay[2 * a]), b.add_terminal(pay[2 * a + 1])}}));
    }
    const int ann_in = b.add_decision(0, {"A", "B"}, bob);
    const int root = b.add_decision(0, {"out", "in"}, {b.add_terminal({1, 1}), ann_in});
    const GameTree tree = std::move(b).build(root);
    const auto result = solve_sequence_lcp(tree, {.exact = true}, ctx());
    CHECK(result.status == SolveStatus::kOk);
    CHECK(std::any_of(result.equilibria.begin(), result.equilibria.end(),
                      [](const auto& eq) { return eq.payoffs[0] == Approx(2.0); }));
    check_in_reduced_form(tree, result);
    for (const auto& exact : result.exact) CHECK(exact.verified);
  }
}

TEST_CASE("sequence-lcp: information sets that are never reached", "[sequence-lcp]") {
  SECTION("a chance branch of probability zero") {
    // Chance: with probability 1 hidden matching pennies, with probability 0 a node of Bob's.
    GameTreeBuilder b({"Ann", "Bob"});
    std::vector<int> bob;
    for (int a = 0; a < 2; ++a) {
      bob.push_back(b.add_decision(
          DecisionSpec{.player = 1,
                       .infoset = "guess",
                       .moves = {"H", "T"},
                       .children = {b.add_terminal({a == 0 ? 1.0 : -1.0, a == 0 ? -1.0 : 1.0}),
                                    b.add_terminal({a == 0 ? -1.0 : 1.0, a == 0 ? 1.0 : -1.0})}}));
    }
    const int pennies = b.add_decision(0, {"H", "T"}, bob);
    const int ghost =
        b.add_decision(1, {"x", "y"}, {b.add_terminal({5, 5}), b.add_terminal({-5, 9})});
    const int root = b.add_chance({"real", "ghost"}, {1.0, 0.0}, {pennies, ghost});
    const GameTree tree = std::move(b).build(root);
    const auto result = solve_sequence_lcp(tree, {.exact = true}, ctx());
    CHECK(result.status == SolveStatus::kOk);
    REQUIRE_FALSE(result.equilibria.empty());
    for (const auto& eq : result.equilibria) {
      CHECK(eq.payoffs[0] == Approx(0.0).margin(1e-12));
      CHECK(eq.behaviour[0][0] == Approx(0.5));
    }
    check_in_reduced_form(tree, result);
  }
  SECTION("a set cut off by the player's own earlier move") {
    // Ann: stop (2, 0) or go; after go Bob picks l or r and then Ann, seeing nothing, picks u or d.
    // Going is dominated, so Ann's second set is never reached.
    GameTreeBuilder b({"Ann", "Bob"});
    std::vector<int> ann;
    for (int k = 0; k < 2; ++k) {
      ann.push_back(b.add_decision(
          DecisionSpec{.player = 0,
                       .infoset = "late",
                       .moves = {"u", "d"},
                       .children = {b.add_terminal({1, static_cast<double>(k)}),
                                    b.add_terminal({0, static_cast<double>(1 - k)})}}));
    }
    const int bob = b.add_decision(1, {"l", "r"}, ann);
    const int root = b.add_decision(0, {"stop", "go"}, {b.add_terminal({2, 0}), bob});
    const GameTree tree = std::move(b).build(root);
    const auto result = solve_sequence_lcp(tree, {}, ctx());
    CHECK(result.status == SolveStatus::kOk);
    REQUIRE_FALSE(result.equilibria.empty());
    for (const auto& eq : result.equilibria) {
      CHECK(eq.behaviour[0][0] == Approx(1.0));                 // stop
      CHECK(eq.behaviour[2] == std::vector<double>{1.0, 0.0});  // unreached: the first move
      CHECK(eq.payoffs[0] == Approx(2.0));
    }
    check_in_reduced_form(tree, result);
  }
}

TEST_CASE("sequence-lcp: more starts find more equilibria of a coordination game",
          "[sequence-lcp]") {
  const GameTree tree = simultaneous({{{2, 1}, {0, 0}}, {{0, 0}, {1, 2}}});
  const auto one = solve_sequence_lcp(tree, {.all_starts = false}, ctx());
  REQUIRE(one.equilibria.size() == 1);
  CHECK(one.paths.size() == 1);
  const auto all = solve_sequence_lcp(tree, {}, ctx());
  CHECK(all.status == SolveStatus::kOk);
  CHECK(all.equilibria.size() == 2);  // both pure equilibria; the mixed one has index -1
  CHECK(all.paths.size() == 5);
  // An explicit prior where column plays right leads to bottom-right.
  const auto steered =
      solve_sequence_lcp(tree, {.all_starts = false, .priors = {{{0.5, 0.5}, {0.0, 1.0}}}}, ctx());
  REQUIRE(steered.equilibria.size() == 1);
  CHECK(steered.paths[0].start == "prior 1");
  CHECK(steered.equilibria[0].behaviour[0][1] == Approx(1.0));
  CHECK(steered.equilibria[0].behaviour[1][1] == Approx(1.0));
  const auto random = solve_sequence_lcp(tree, {.all_starts = false, .random_starts = 6}, ctx());
  CHECK(random.paths.size() == 7);
  CHECK(random.status == SolveStatus::kOk);
  const auto capped = solve_sequence_lcp(tree, {.max_starts = 2}, ctx());
  CHECK(capped.paths.size() == 2);
  check_in_reduced_form(tree, all);
}

TEST_CASE("sequence-lcp: random trees agree with the reduced normal form", "[sequence-lcp]") {
  int checked = 0;
  for (unsigned seed = 1; checked < 12 && seed < 400; ++seed) {
    const GameTree tree = random_tree(seed, 4);
    if (!has_shared_infoset(tree) || tree.player_infosets(0).empty() ||
        tree.player_infosets(1).empty()) {
      continue;
    }
    const ReducedNormalForm reduced = reduce_to_normal_form(tree);
    if (reduced.game.num_actions(0) > 9 || reduced.game.num_actions(1) > 9) continue;
    ++checked;
    INFO("seed " << seed << ", reduced form " << reduced.game.num_actions(0) << " x "
                 << reduced.game.num_actions(1));
    const auto result = solve_sequence_lcp(tree, {.random_starts = 4, .exact = true}, ctx());
    INFO(result.message);
    CHECK(result.status == SolveStatus::kOk);
    REQUIRE_FALSE(result.equilibria.empty());
    check_in_reduced_form(tree, result);
    const auto support = solve_support(reduced.game, {}, ctx());
    for (const auto& eq : result.equilibria) {
      CHECK(eq.max_gain <= 1e-9);
      CHECK(std::any_of(support.begin(), support.end(), [&](const Equilibrium& s) {
        return std::abs(s.payoffs[0] - eq.payoffs[0]) <= 1e-7 &&
               std::abs(s.payoffs[1] - eq.payoffs[1]) <= 1e-7;
      }));
    }
    for (const auto& exact : result.exact) CHECK(exact.verified);
    // The tree's own Nash gain equals the regret in the reduced normal form, for any profile.
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> unit(0.05, 1.0);
    for (int k = 0; k < 3; ++k) {
      BehaviourProfile b;
      for (const InfoSet& set : tree.infosets()) {
        std::vector<double> probs(set.moves.size());
        double sum = 0.0;
        for (double& q : probs) sum += (q = unit(rng));
        for (double& q : probs) q /= sum;
        b.push_back(probs);
      }
      CHECK(sequence_form_nash_gain(tree, b) ==
            Approx(max_regret(reduced.game, reduced_profile(reduced, tree, b))).margin(1e-12));
    }
  }
  CHECK(checked == 12);
}

TEST_CASE("sequence-lcp: the Nash gain recomputed on the tree", "[sequence-lcp]") {
  const GameTree tree = hidden_pennies();
  // Both play the first move: row wins 1; column gains 2 by switching.
  CHECK(sequence_form_nash_gain(tree, {{1, 0}, {1, 0}}) == Approx(2.0));
  CHECK(sequence_form_nash_gain(tree, {{0.5, 0.5}, {0.5, 0.5}}) == Approx(0.0).margin(1e-15));
  // Row at 3/4 top: column's best reply right gains 1/2 over 1/2-1/2.
  CHECK(sequence_form_nash_gain(tree, {{0.75, 0.25}, {0.5, 0.5}}) == Approx(0.5));
  // The root is the only subgame here, so the subgame-perfect check agrees.
  CHECK(sequence_form_nash_gain(tree, {{1, 0}, {0.3, 0.7}}) ==
        Approx(behaviour_max_gain(tree, {{1, 0}, {0.3, 0.7}})));
  // Entry game: out with a threat of fighting is Nash (gain 0) though not subgame perfect.
  const GameTree entry = entry_game();
  CHECK(sequence_form_nash_gain(entry, {{0, 1}, {1, 0}}) == 0.0);
  CHECK(behaviour_max_gain(entry, {{0, 1}, {1, 0}}) == Approx(2.0));
  CHECK_THROWS_AS(sequence_form_nash_gain(tree, {{1, 0}}), std::invalid_argument);
  CHECK_THROWS_AS(sequence_form_nash_gain(tree, {{1, 0}, {1, 0, 0}}), std::invalid_argument);
  // Three players: Cat gains by switching at her one set.
  GameTreeBuilder b({"Ann", "Bob", "Cat"});
  const int cat =
      b.add_decision(2, {"L", "R"}, {b.add_terminal({0, 0, 0}), b.add_terminal({1, 1, 3})});
  const int bob = b.add_decision(1, {"a", "b"}, {cat, b.add_terminal({2, 2, 2})});
  const int root = b.add_decision(0, {"x", "y"}, {bob, b.add_terminal({1, 0, 0})});
  const GameTree three = std::move(b).build(root);
  CHECK(sequence_form_nash_gain(three, {{1, 0}, {1, 0}, {1, 0}}) == Approx(3.0));
  CHECK(sequence_form_nash_gain(three, {{1, 0}, {0, 1}, {0, 1}}) == 0.0);
}

TEST_CASE("sequence-lcp: bad input", "[sequence-lcp]") {
  SECTION("three players") {
    GameTreeBuilder b({"Ann", "Bob", "Cat"});
    const int root =
        b.add_decision(0, {"x", "y"}, {b.add_terminal({1, 0, 0}), b.add_terminal({0, 1, 0})});
    const GameTree tree = std::move(b).build(root);
    CHECK_THROWS_WITH(solve_sequence_lcp(tree, {}, ctx()),
                      Catch::Contains("two-player tree; this tree has 3 players"));
  }
  SECTION("no perfect recall") {
    // Ann moves, then forgets her move at her second set.
    GameTreeBuilder b({"Ann", "Bob"});
    std::vector<int> forget;
    for (int k = 0; k < 2; ++k) {
      forget.push_back(b.add_decision(
          DecisionSpec{.player = 0,
                       .infoset = "forgot",
                       .moves = {"l", "r"},
                       .children = {b.add_terminal({static_cast<double>(k), 0}),
                                    b.add_terminal({static_cast<double>(1 - k), 0})}}));
    }
    const int root = b.add_decision(0, {"L", "R"}, forget);
    const GameTree tree = std::move(b).build(root);
    CHECK_THROWS_AS(solve_sequence_lcp(tree, {}, ctx()), InvalidGame);
    CHECK_THROWS_WITH(solve_sequence_lcp(tree, {}, ctx()), Catch::Contains("perfect recall"));
    CHECK_THROWS_WITH(sequence_form_nash_gain(tree, {{1, 0}, {1, 0}}),
                      Catch::Contains("perfect recall"));
  }
  SECTION("malformed options") {
    const GameTree tree = hidden_pennies();
    CHECK_THROWS_AS(solve_sequence_lcp(tree, {.priors = {{{0.5, 0.5}}}}, ctx()),
                    std::invalid_argument);
    CHECK_THROWS_WITH(solve_sequence_lcp(tree, {.priors = {{{0.5, 0.6}, {1, 0}}}}, ctx()),
                      Catch::Contains("prior 1 at information set"));
    CHECK_THROWS_AS(solve_sequence_lcp(tree, {.tolerance = 0}, ctx()), std::invalid_argument);
    CHECK_THROWS_AS(solve_sequence_lcp(tree, {.max_starts = 0}, ctx()), std::invalid_argument);
  }
}

TEST_CASE("sequence-lcp: a path cut short is a failure, not an answer", "[sequence-lcp]") {
  const auto result = solve_sequence_lcp(kuhn_poker(), {.max_pivots = 2}, ctx());
  CHECK(result.status == SolveStatus::kFailed);
  CHECK(result.equilibria.empty());
  CHECK_THAT(result.message, Catch::Contains("25 of 25 paths failed") &&
                                 Catch::Contains("no equilibrium after 2 pivots"));
  for (const auto& path : result.paths) {
    CHECK(path.equilibrium == -1);
    CHECK(path.restarts == 0);  // the pivot limit is not retried
  }
}

TEST_CASE("sequence-lcp: a stop request cancels the paths", "[sequence-lcp]") {
  std::atomic<bool> stop{true};
  SolveContext stopped(&stop);
  const auto result = solve_sequence_lcp(kuhn_poker(), {}, stopped);
  CHECK(result.status == SolveStatus::kCancelled);
  CHECK(result.equilibria.empty());
  for (const auto& path : result.paths) CHECK(path.failure == "cancelled");
}
