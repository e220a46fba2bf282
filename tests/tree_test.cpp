#include "efg_fixtures.hpp"
#include "stratagem/game/tree.hpp"

#include <sys/wait.h>

#include <algorithm>
#include <catch2/catch.hpp>

#include "process.hpp"
#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "stratagem/game/profile.hpp"
#include "stratagem/game/sequence_form.hpp"
#include "stratagem/io/efg.hpp"
#include "stratagem/io/tree_dot.hpp"
#include "stratagem/scenario/error.hpp"
#include "stratagem/solve/backward_induction.hpp"
#include "stratagem/solve/pure.hpp"
#include "stratagem/solve/subgame_perfect.hpp"
#include "stratagem/solve/support.hpp"

using namespace stratagem;
using stratagem::testing::efg_fixture;

namespace {

SolveContext& ctx() {
  static SolveContext context;
  return context;
}

/// Entrant: out (0, 2) or in; incumbent then fights (-1, -1) or accommodates (1, 1).
GameTree entry_deterrence() {
  GameTreeBuilder b({"Entrant", "Incumbent"});
  const int fight = b.add_terminal({-1, -1});
  const int acc = b.add_terminal({1, 1});
  const int incumbent = b.add_decision(1, {"fight", "accommodate"}, {fight, acc});
  const int out = b.add_terminal({0, 2});
  const int root = b.add_decision(0, {"in", "out"}, {incumbent, out});
  b.set_title("Entry deterrence");
  return std::move(b).build(root);
}

/// Four-stage centipede; taking at stage k ends the game.
GameTree centipede() {
  GameTreeBuilder b({"Ann", "Bob"});
  const std::vector<std::vector<double>> take = {{1, 0}, {0, 2}, {3, 1}, {2, 4}};
  int next = b.add_terminal({5, 3});
  for (int k = 3; k >= 0; --k) {
    const int t = b.add_terminal(take[k]);
    next = b.add_decision(k % 2, {"take", "pass"}, {t, next});
  }
  return std::move(b).build(next);
}

/// Ultimatum over 2 units: the proposer offers 0, 1 or 2; the responder accepts or rejects.
GameTree ultimatum() {
  GameTreeBuilder b({"Proposer", "Responder"});
  std::vector<int> responses;
  for (int offer = 0; offer <= 2; ++offer) {
    const int accept = b.add_terminal({2.0 - offer, static_cast<double>(offer)});
    const int reject = b.add_terminal({0, 0});
    responses.push_back(b.add_decision(1, {"accept", "reject"}, {accept, reject}));
  }
  return std::move(b).build(b.add_decision(0, {"offer0", "offer1", "offer2"}, responses));
}

/// Chance picks heads or tails (1/2 each); Ann sees it and picks a or b; Bob never moves.
GameTree chance_game() {
  GameTreeBuilder b({"Ann", "Bob"});
  const int h = b.add_decision(0, {"a", "b"}, {b.add_terminal({2, 0}), b.add_terminal({0, 1})});
  const int t = b.add_decision(0, {"a", "b"}, {b.add_terminal({0, 0}), b.add_terminal({1, 1})});
  return std::move(b).build(b.add_chance({"heads", "tails"}, {0.5, 0.5}, {h, t}));
}

/// Matching pennies played sequentially, Bob not seeing Ann's coin.
GameTree hidden_pennies() {
  GameTreeBuilder b({"Ann", "Bob"});
  std::vector<int> bob;
  for (int a = 0; a < 2; ++a) {
    const int same = b.add_terminal({1, -1});
    const int diff = b.add_terminal({-1, 1});
    bob.push_back(b.add_decision(
        DecisionSpec{.player = 1,
                     .infoset = "guess",
                     .moves = {"H", "T"},
                     .children = a == 0 ? std::vector{same, diff} : std::vector{diff, same}}));
  }
  return std::move(b).build(b.add_decision(0, {"H", "T"}, bob));
}

std::vector<std::string> path_moves(const GameTree& tree, const TreeEquilibrium& eq) {
  std::vector<std::string> out;
  for (int id : eq.path) {
    const TreeNode& n = tree.node(id);
    if (n.kind == NodeKind::kDecision) out.push_back(n.moves[eq.moves[id]]);
  }
  return out;
}

/// Every SPE maps to a pure profile of the reduced normal form that is a Nash equilibrium there
/// with the same payoffs.
void check_spe_in_normal_form(const GameTree& tree, const BackwardInductionResult& result) {
  const ReducedNormalForm reduced = reduce_to_normal_form(tree);
  for (const auto& eq : result.equilibria) {
    const auto moves = infoset_moves(tree, eq);
    std::vector<int> profile;
    for (int p = 0; p < tree.num_players(); ++p) {
      profile.push_back(reduced_strategy_index(reduced, tree, p, moves));
    }
    const auto mixed = MixedProfile::pure(reduced.game.shape(), profile);
    CHECK(max_regret(reduced.game, mixed) <= 1e-12);
    const auto payoffs = expected_payoffs(reduced.game, mixed);
    for (int p = 0; p < tree.num_players(); ++p) CHECK(payoffs[p] == Approx(eq.payoffs[p]));
  }
}

}  // namespace

TEST_CASE("tree: nodes are numbered in prefix order with histories", "[tree]") {
  const GameTree tree = entry_deterrence();
  REQUIRE(tree.num_nodes() == 5);
  CHECK(tree.node(0).kind == NodeKind::kDecision);
  CHECK(tree.node(0).player == 0);
  CHECK(tree.node(1).player == 1);  // "in" comes first
  CHECK(tree.node(2).payoffs == std::vector<double>{-1, -1});
  CHECK(tree.node_name(2) == "in > fight");
  CHECK(tree.node_name(0) == "root");
  CHECK(tree.is_perfect_information());
  CHECK_FALSE(hidden_pennies().is_perfect_information());
  CHECK(hidden_pennies().infosets().size() == 2);
}

TEST_CASE("tree: entry deterrence has one SPE; the reduced form adds a non-credible threat",
          "[tree]") {
  const GameTree tree = entry_deterrence();
  const auto result = solve_backward_induction(tree);
  CHECK(result.status == SolveStatus::kOk);
  REQUIRE(result.equilibria.size() == 1);
  const auto& eq = result.equilibria[0];
  CHECK(path_moves(tree, eq) == std::vector<std::string>{"in", "accommodate"});
  CHECK(eq.payoffs == std::vector<double>{1, 1});
  CHECK(eq.max_gain == 0.0);
  REQUIRE(eq.steps.size() == 2);
  CHECK(eq.steps[0].node == 1);  // bottom-up: the incumbent first
  CHECK(eq.steps[0].move_values == std::vector<double>{-1, 1});
  CHECK(eq.steps[0].best_moves == std::vector<int>{1});
  CHECK(eq.steps[1].move_values == std::vector<double>{1, 0});
  check_spe_in_normal_form(tree, result);

  const ReducedNormalForm reduced = reduce_to_normal_form(tree);
  CHECK(reduced.game.action_names(0) == std::vector<std::string>{"in", "out"});
  CHECK(reduced.game.action_names(1) == std::vector<std::string>{"fight", "accommodate"});
  const auto nash = solve_pure(reduced.game, {}, ctx());
  std::vector<std::string> labels;
  for (const auto& e : nash) {
    std::vector<int> actions;
    REQUIRE(e.profile.is_pure(1e-12, &actions));
    labels.push_back(profile_label(reduced.game, actions));
  }
  std::sort(labels.begin(), labels.end());
  CHECK(labels == std::vector<std::string>{"(in, accommodate)", "(out, fight)"});
}

TEST_CASE("tree: centipede's SPE takes at the first node", "[tree]") {
  const GameTree tree = centipede();
  const auto result = solve_backward_induction(tree);
  REQUIRE(result.equilibria.size() == 1);
  const auto& eq = result.equilibria[0];
  CHECK(path_moves(tree, eq) == std::vector<std::string>{"take"});
  CHECK(eq.payoffs == std::vector<double>{1, 0});
  for (int id = 0; id < tree.num_nodes(); ++id) {
    if (tree.node(id).kind == NodeKind::kDecision) CHECK(eq.moves[id] == 0);
  }
  CHECK(eq.steps.size() == 4);
  check_spe_in_normal_form(tree, result);
  const auto reduced = reduced_normal_form(tree);
  CHECK(reduced.action_names(0) == std::vector<std::string>{"take.*", "pass.take", "pass.pass"});
  CHECK(reduced.action_names(1) == std::vector<std::string>{"take.*", "pass.take", "pass.pass"});
}

TEST_CASE("tree: ultimatum ties give every SPE", "[tree]") {
  const GameTree tree = ultimatum();
  const auto result = solve_backward_induction(tree);
  CHECK(result.status == SolveStatus::kOk);
  REQUIRE(result.equilibria.size() == 2);
  std::vector<std::vector<std::string>> paths;
  std::vector<std::vector<double>> payoffs;
  for (const auto& eq : result.equilibria) {
    paths.push_back(path_moves(tree, eq));
    payoffs.push_back(eq.payoffs);
    CHECK(eq.max_gain <= 1e-12);
  }
  std::sort(paths.begin(), paths.end());
  CHECK(paths == std::vector<std::vector<std::string>>{{"offer0", "accept"}, {"offer1", "accept"}});
  std::sort(payoffs.begin(), payoffs.end());
  CHECK(payoffs == std::vector<std::vector<double>>{{1, 1}, {2, 0}});
  // The responder's tie at offer 0 is recorded as two best moves.
  const auto& steps = result.equilibria[0].steps;
  const auto tie = std::find_if(steps.begin(), steps.end(), [&](const BackwardStep& s) {
    return tree.node_name(s.node) == "offer0";
  });
  REQUIRE(tie != steps.end());
  CHECK(tie->best_moves == std::vector<int>{0, 1});
  check_spe_in_normal_form(tree, result);

  const auto capped = solve_backward_induction(tree, {.max_equilibria = 1});
  CHECK(capped.status == SolveStatus::kLimitReached);
  CHECK(capped.equilibria.size() == 1);
  CHECK_THAT(capped.message, Catch::Contains("more than 1"));
}

TEST_CASE("tree: chance nodes take expectations", "[tree]") {
  const GameTree tree = chance_game();
  const auto result = solve_backward_induction(tree);
  REQUIRE(result.equilibria.size() == 1);
  const auto& eq = result.equilibria[0];
  CHECK(eq.payoffs[0] == Approx(1.5));
  CHECK(eq.payoffs[1] == Approx(0.5));
  CHECK(path_moves(tree, eq) == std::vector<std::string>{"a", "b"});
  CHECK(eq.path.size() == 5);  // root, both chance branches, two terminals
  check_spe_in_normal_form(tree, result);
  const auto reduced = reduced_normal_form(tree);
  CHECK(reduced.action_names(0) == std::vector<std::string>{"a.a", "a.b", "b.a", "b.b"});
  CHECK(reduced.action_names(1) == std::vector<std::string>{"-"});
  CHECK(reduced.payoff(0, 1) == Approx(1.5));
}

TEST_CASE("tree: a non-equilibrium profile has a positive subgame gain", "[tree]") {
  const GameTree tree = entry_deterrence();
  // (in, fight): the incumbent gains 2 by accommodating.
  std::vector<int> moves(tree.num_nodes(), -1);
  moves[0] = 0;
  moves[1] = 0;
  CHECK(subgame_max_gain(tree, moves) == Approx(2.0));
  // (out, fight) is Nash but not subgame perfect: the gain is in the unreached subgame.
  moves[0] = 1;
  CHECK(subgame_max_gain(tree, moves) == Approx(2.0));
}

TEST_CASE("tree: information sets give the simultaneous-move normal form", "[tree]") {
  const GameTree tree = hidden_pennies();
  const auto game = reduced_normal_form(tree);
  CHECK(game.shape() == std::vector<int>{2, 2});
  CHECK(game.payoff(0, game.index(std::vector<int>{0, 0})) == 1);
  CHECK(game.payoff(0, game.index(std::vector<int>{0, 1})) == -1);
  const auto eqs = solve_support(game, {}, ctx());
  REQUIRE(eqs.size() == 1);
  CHECK(eqs[0].profile(0, 0) == Approx(0.5));
  CHECK_THROWS_AS(solve_backward_induction(tree), InvalidGame);
}

TEST_CASE("tree: bad trees are rejected with the reason", "[tree]") {
  {
    GameTreeBuilder b({"A", "B"});
    const int c =
        b.add_chance({"x", "y"}, {0.5, 0.4}, {b.add_terminal({0, 0}), b.add_terminal({1, 1})});
    CHECK_THROWS_WITH(std::move(b).build(c), Catch::Contains("sum to 0.9, not 1"));
  }
  {
    GameTreeBuilder b({"A", "B"});
    const int x =
        b.add_decision(DecisionSpec{.player = 1,
                                    .infoset = "h",
                                    .moves = {"l", "r"},
                                    .children = {b.add_terminal({0, 0}), b.add_terminal({1, 1})}});
    const int y =
        b.add_decision(DecisionSpec{.player = 1,
                                    .infoset = "h",
                                    .moves = {"l", "m"},
                                    .children = {b.add_terminal({0, 0}), b.add_terminal({1, 1})}});
    const int root = b.add_decision(0, {"u", "d"}, {x, y});
    CHECK_THROWS_WITH(std::move(b).build(root), Catch::Contains("must offer the same moves"));
  }
  {
    GameTreeBuilder b({"A"});
    const int t = b.add_terminal({1, 2});
    CHECK_THROWS_WITH(std::move(b).build(t), Catch::Contains("2 payoffs for 1 players"));
  }
  {
    GameTreeBuilder b({"A"});
    const int t = b.add_terminal({1});
    const int root = b.add_decision(0, {"x", "y"}, {t, t});
    CHECK_THROWS_WITH(std::move(b).build(root), Catch::Contains("used twice"));
  }
  {
    GameTreeBuilder b({"A"});
    (void)b.add_terminal({1});
    const int t = b.add_terminal({2});
    CHECK_THROWS_WITH(std::move(b).build(t), Catch::Contains("not reachable"));
  }
}

TEST_CASE("tree: a reduced normal form beyond the limit is an error", "[tree]") {
  // Ten binary decisions of one player after ten chance moves: 2^10 reduced strategies.
  GameTreeBuilder b({"A"});
  std::vector<int> branches;
  for (int k = 0; k < 10; ++k) {
    branches.push_back(b.add_decision(0, {"l", "r"}, {b.add_terminal({0}), b.add_terminal({1})}));
  }
  std::vector<std::string> moves;
  for (int k = 0; k < 10; ++k) moves.push_back("c" + std::to_string(k));
  const GameTree tree =
      std::move(b).build(b.add_chance(moves, std::vector<double>(10, 0.1), branches));
  CHECK(reduced_normal_form(tree).num_actions(0) == 1024);
  CHECK_THROWS_WITH(reduced_normal_form(tree, {.max_profiles = 100}),
                    Catch::Contains("reduced normal form is too large"));
}

// ---------------------------------------------------------------------------------------------
// .efg files

namespace {

constexpr const char* kEntryEfg = R"(EFG 2 R "Entry deterrence" { "Entrant" "Incumbent" }
"A textbook tree"

p "" 1 1 "Entrant" { "in" "out" } 0
p "" 2 1 "Incumbent" { "fight" "accommodate" } 0
t "" 1 "war" { -1, -1 }
t "" 2 "share" { 1, 1 }
t "" 3 "monopoly" { 0, 2 }
)";

/// Chance first, an outcome on a non-terminal node, a shared information set, reused outcomes.
constexpr const char* kBayesEfg = R"(EFG 2 R "Signals" { "Sender" "Receiver" } ""
c "nature" 1 "" { "strong" 1/3 "weak" 0.666666666666666667 } 0
p "" 1 1 "S strong" { "beer" "quiche" } 1 "entry fee" { 1 0 }
p "" 2 1 "after beer" { "duel" "retreat" } 0
t "" 2 "a" { 0, 1 }
t "" 3 "b" { 2, 0 }
p "" 2 2 "after quiche" { "duel" "retreat" } 0
t "" 2
t "" 3
p "" 1 2 "S weak" { "beer" "quiche" } 0
p "" 2 1 0
t "" 4 "c" { 0, 0 }
t "" 3
p "" 2 2 0
t "" 4
t "" 5 "d" { 3, -1 }
)";

std::string efg_error(const std::string& text) {
  try {
    (void)parse_efg(text, "test.efg");
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

void check_same_tree(const GameTree& a, const GameTree& b) {
  CHECK(a.title() == b.title());
  CHECK(a.comment() == b.comment());
  CHECK(a.player_names() == b.player_names());
  REQUIRE(a.num_nodes() == b.num_nodes());
  for (int id = 0; id < a.num_nodes(); ++id) {
    const TreeNode& x = a.node(id);
    const TreeNode& y = b.node(id);
    CHECK(x.kind == y.kind);
    CHECK(x.label == y.label);
    CHECK(x.player == y.player);
    CHECK(x.infoset == y.infoset);
    CHECK(x.moves == y.moves);
    CHECK(x.probabilities == y.probabilities);
    CHECK(x.children == y.children);
    CHECK(x.payoffs == y.payoffs);
    CHECK(x.outcome == y.outcome);
  }
  REQUIRE(a.infosets().size() == b.infosets().size());
  for (std::size_t h = 0; h < a.infosets().size(); ++h) {
    CHECK(a.infosets()[h].label == b.infosets()[h].label);
    CHECK(a.infosets()[h].nodes == b.infosets()[h].nodes);
  }
}

}  // namespace

TEST_CASE("efg: reading a perfect-information tree", "[tree][efg]") {
  const GameTree tree = parse_efg(kEntryEfg, "entry.efg");
  CHECK(tree.title() == "Entry deterrence");
  CHECK(tree.comment() == "A textbook tree");
  CHECK(tree.player_names() == std::vector<std::string>{"Entrant", "Incumbent"});
  REQUIRE(tree.num_nodes() == 5);
  CHECK(tree.node(4).payoffs == std::vector<double>{0, 2});
  CHECK(tree.node(4).outcome == "monopoly");
  CHECK(tree.infoset(1).label == "Incumbent");
  const auto result = solve_backward_induction(tree);
  REQUIRE(result.equilibria.size() == 1);
  CHECK(path_moves(tree, result.equilibria[0]) == std::vector<std::string>{"in", "accommodate"});
}

TEST_CASE("efg: chance, shared information sets and outcomes along the path", "[tree][efg]") {
  const GameTree tree = parse_efg(kBayesEfg, "bayes.efg");
  CHECK_FALSE(tree.is_perfect_information());
  CHECK(tree.node(0).kind == NodeKind::kChance);
  CHECK(tree.node(0).probabilities[0] == Approx(1.0 / 3));
  CHECK(tree.node(0).label == "nature");
  REQUIRE(tree.infosets().size() == 4);
  CHECK(tree.infoset(1).nodes.size() == 2);  // receiver after beer, both types
  CHECK(tree.infoset(1).label == "after beer");
  // The entry fee at the strong sender's node adds to every terminal below it.
  CHECK(tree.node(3).payoffs == std::vector<double>{1, 1});
  CHECK(tree.node(4).payoffs == std::vector<double>{3, 0});
  CHECK(tree.node(6).payoffs == std::vector<double>{1, 1});
  CHECK(tree.node(14).payoffs == std::vector<double>{3, -1});
  const auto game = reduced_normal_form(tree);
  CHECK(game.shape() == std::vector<int>{4, 4});
  CHECK(game.action_names(0)[1] == "beer.quiche");
  const auto eqs = solve_support(game, {}, ctx());
  CHECK_FALSE(eqs.empty());
  for (const auto& eq : eqs) CHECK(eq.max_regret <= 1e-9);
}

TEST_CASE("efg: write then read gives the same tree", "[tree][efg]") {
  for (const GameTree& tree :
       {entry_deterrence(), centipede(), ultimatum(), chance_game(), hidden_pennies(),
        parse_efg(kEntryEfg, "e.efg"), parse_efg(kBayesEfg, "b.efg")}) {
    const std::string text = write_efg(tree);
    const GameTree back = parse_efg(text, "roundtrip.efg");
    check_same_tree(tree, back);
    CHECK(write_efg(back) == text);
  }
  // Awkward doubles and labels survive.
  GameTreeBuilder b({"A \"quoted\"", "B\\C"});
  const int t1 = b.add_terminal({0.1, -1e-300}, "leaf", "o \"1\"");
  const int t2 = b.add_terminal({1.0 / 3, 2.5e10});
  const int c = b.add_chance({"x", "y"}, {0.1, 0.9}, {t1, t2}, "luck");
  const GameTree odd = std::move(b).build(c);
  check_same_tree(odd, parse_efg(write_efg(odd), "odd.efg"));
}

TEST_CASE("efg: malformed files name line and column", "[tree][efg]") {
  CHECK_THAT(efg_error("NFG 1 R \"x\" { \"A\" }"),
             Catch::StartsWith("test.efg:1:1: error: missing 'EFG'"));
  CHECK_THAT(efg_error("EFG 3 R \"x\" { \"A\" }\nt \"\" 0"),
             Catch::StartsWith("test.efg:1:5: error: unsupported .efg version"));
  // A missing subtree: the decision node has two moves, only one follows.
  CHECK_THAT(
      efg_error(
          "EFG 2 R \"x\" { \"A\" }\np \"\" 1 1 \"\" { \"l\" \"r\" } 0\nt \"\" 1 \"\" { 1 }\n"),
      Catch::StartsWith("test.efg:4:1: error: the file ends before every move has a subtree"));
  CHECK_THAT(
      efg_error("EFG 2 R \"x\" { \"A\" }\nq \"\" 1 1\n"),
      Catch::StartsWith("test.efg:2:1: error: expected a node ('p', 'c' or 't'), found 'q'"));
  CHECK_THAT(efg_error("EFG 2 R \"x\" { \"A\" \"B\" }\nt \"\" 1 \"\" { 1 }\n"),
             Catch::StartsWith("test.efg:2:11: error: outcome 1 has 1 payoff; expected 2"));
  CHECK_THAT(efg_error("EFG 2 R \"x\" { \"A\" }\np \"\" 2 1 \"\" { \"l\" } 0\nt \"\" 0\n"),
             Catch::StartsWith("test.efg:2:6: error: player 2 does not exist"));
  CHECK_THAT(efg_error("EFG 2 R \"x\" { \"A\" }\nt \"\" 3\n"),
             Catch::StartsWith("test.efg:2:6: error: outcome 3 is used before its payoffs"));
  CHECK_THAT(efg_error("EFG 2 R \"x\" { \"A\" }\nt \"\" 1 \"\" { 1 }\nt \"\" 2 \"\" { 2 }\n"),
             Catch::StartsWith("test.efg:3:1: error: unexpected 't' after the last node"));
  CHECK_THAT(efg_error("EFG 2 R \"x\" { \"A\" }\nt \"\" 1 \"\" { 1x }\n"),
             Catch::StartsWith("test.efg:2:13: error: bad number '1x'"));
  CHECK_THAT(efg_error("EFG 2 R \"x\" { \"A\" }\nt \"unterminated 0\n"),
             Catch::StartsWith("test.efg:2:3: error: unterminated string"));
  CHECK_THAT(efg_error("EFG 2 R \"x\" { \"A\" }\n"), Catch::Contains("has no nodes"));
  // Gambit allows a label to repeat at a node (chance moves are often named by probability):
  // the repeat gets its position appended.
  const GameTree repeated = parse_efg(
      "EFG 2 R \"x\" { \"A\" }\nc \"\" 1 \"\" { \"1/2\" 1/2 \"1/2\" 1/2 } 0\n"
      "p \"\" 1 1 \"\" { \"l\" \"l\" } 0\nt \"\" 1 \"\" { 1 }\nt \"\" 2 \"\" { 2 }\n"
      "t \"\" 3 \"\" { 3 }\n",
      "dup.efg");
  CHECK(repeated.node(0).moves == std::vector<std::string>{"1/2", "1/2 #2"});
  CHECK(repeated.node(1).moves == std::vector<std::string>{"l", "l #2"});
  const GameTree unnamed = parse_efg(
      "EFG 2 R \"x\" { \"A\" }\np \"\" 1 1 \"\" { \"\" \"\" } 0\nt \"\" 0\nt \"\" 0\n", "u.efg");
  CHECK(unnamed.node(0).moves == std::vector<std::string>{"1", "2"});
}

TEST_CASE("efg: probabilities not summing to 1 and infosets with different moves", "[tree][efg]") {
  const std::string bad_chance =
      "EFG 2 R \"x\" { \"A\" }\n"
      "c \"\" 1 \"\" { \"h\" 1/2 \"t\" 0.4 } 0\n"
      "t \"\" 1 \"\" { 1 }\n"
      "t \"\" 2 \"\" { 0 }\n";
  const std::string message = efg_error(bad_chance);
  CHECK_THAT(message, Catch::StartsWith(
                          "test.efg:2:11: error: chance probabilities sum to 0.9 (9/10), not 1"));
  CHECK_THAT(message, Catch::Contains("hint: make the probabilities"));
  CHECK_THAT(
      efg_error("EFG 2 R \"x\" { \"A\" }\nc \"\" 1 \"\" { \"h\" 3/2 \"t\" -1/2 } 0\n"),
      Catch::StartsWith("test.efg:2:17: error: probability 3/2 of move 'h' is outside [0, 1]"));

  const std::string bad_infoset =
      "EFG 2 R \"x\" { \"A\" \"B\" }\n"
      "p \"\" 1 1 \"\" { \"u\" \"d\" } 0\n"
      "p \"\" 2 1 \"\" { \"l\" \"r\" } 0\n"
      "t \"\" 1 \"\" { 1, 1 }\n"
      "t \"\" 2 \"\" { 0, 0 }\n"
      "p \"\" 2 1 \"\" { \"l\" \"m\" } 0\n"
      "t \"\" 1\n"
      "t \"\" 2\n";
  CHECK_THAT(
      efg_error(bad_infoset),
      Catch::StartsWith("test.efg:6:13: error: information set 1 of player 2 has moves { \"l\" "
                        "\"m\" } here but { \"l\" \"r\" } at an earlier node"));
}

// ---------------------------------------------------------------------------------------------
// Command line

namespace {

using CliRun = stratagem::testing::CommandResult;

CliRun run_cli(const std::string& args) { return stratagem::testing::run_stratagem(args); }

}  // namespace

TEST_CASE("cli: tree prints the SPE with reasoning and the reduced form's equilibria",
          "[tree][cli]") {
  const CliRun text = run_cli("tree " + efg_fixture("entry_deterrence.efg"));
  CHECK(text.code == 0);
  CHECK_THAT(text.out, Catch::Contains("subgame-perfect equilibria (backward induction): 1"));
  CHECK_THAT(text.out, Catch::Contains("path: in > accommodate"));
  CHECK_THAT(text.out,
             Catch::Contains("after in, Incumbent compares fight = -1, accommodate = 1: chooses "
                             "accommodate"));
  CHECK_THAT(text.out, Catch::Contains("strategies: Entrant: in; Incumbent: accommodate"));
  CHECK_THAT(text.out, Catch::Contains("[not subgame perfect]"));
  CHECK_THAT(text.out, Catch::Contains("[subgame perfect]"));

  const CliRun ult = run_cli("tree " + efg_fixture("ultimatum.efg") + " --format json");
  CHECK(ult.code == 0);
  const auto j = nlohmann::json::parse(ult.out);
  CHECK(j["game"]["type"] == "tree");
  CHECK(j["subgame_perfect"]["equilibria"].size() == 2);
  CHECK(j["subgame_perfect"]["status"] == "ok");
  CHECK(j["subgame_perfect"]["equilibria"][0]["reduced_strategies"]["Responder"] ==
        "accept.accept.accept");

  const CliRun solve = run_cli("solve " + efg_fixture("entry_deterrence.efg") + " --method pure");
  CHECK(solve.code == 0);
  CHECK_THAT(solve.out, Catch::Contains("accommodate"));
  const CliRun nfg = run_cli("convert " + efg_fixture("entry_deterrence.efg") + " --to nfg");
  CHECK(nfg.code == 0);
  CHECK_THAT(nfg.out, Catch::Contains("{ \"in\" \"out\" } { \"fight\" \"accommodate\" }"));

  const CliRun solvers = run_cli("solvers");
  CHECK_THAT(solvers.out, Catch::Contains("backward-induction"));
  const CliRun bad = run_cli("tree " + efg_fixture("missing.efg"));
  CHECK(bad.code == 1);
}

TEST_CASE("efg: every truncation or corruption of a file is an InputError, never a crash",
          "[tree][efg]") {
  const std::string text = kBayesEfg;
  for (std::size_t n = 0; n < text.size(); ++n) {
    const std::string cut = text.substr(0, n);
    try {
      (void)parse_efg(cut, "cut.efg");
    } catch (const InputError& e) {
      CHECK_THAT(std::string(e.what()), Catch::StartsWith("cut.efg:"));
    }
    std::string changed = text;
    changed[n] = n % 3 == 0 ? '{' : (n % 3 == 1 ? '"' : '7');
    try {
      (void)parse_efg(changed, "changed.efg");
    } catch (const InputError& e) {
      CHECK_THAT(std::string(e.what()), Catch::StartsWith("changed.efg:"));
    }
  }
}

TEST_CASE("tree: three players, backward induction and the reduced form agree", "[tree]") {
  // A moves, then B, then C; each can stop (s) or go on (g).
  GameTreeBuilder b({"A", "B", "C"});
  const int c =
      b.add_decision(2, {"s", "g"}, {b.add_terminal({1, 1, 3}), b.add_terminal({2, 2, 2})});
  const int bn = b.add_decision(1, {"s", "g"}, {b.add_terminal({0, 3, 0}), c});
  const GameTree tree =
      std::move(b).build(b.add_decision(0, {"s", "g"}, {b.add_terminal({1, 0, 0}), bn}));
  const auto result = solve_backward_induction(tree);
  REQUIRE(result.equilibria.size() == 1);
  // C stops (3 > 2), so B stops (3 > 1), so A stops (1 > 0).
  CHECK(path_moves(tree, result.equilibria[0]) == std::vector<std::string>{"s"});
  check_spe_in_normal_form(tree, result);
  const auto reduced = reduced_normal_form(tree);
  CHECK(reduced.shape() == std::vector<int>{2, 2, 2});
  const auto nash = solve_pure(reduced, {}, ctx());
  // (s, s, g) is Nash too: C's move is never reached, so nothing checks it is credible.
  const std::vector<int> ssg{0, 0, 1};
  CHECK(std::any_of(nash.begin(), nash.end(), [&](const Equilibrium& e) {
    return e.profile.distance(MixedProfile::pure(reduced.shape(), ssg)) == 0.0;
  }));
}

TEST_CASE("efg: a card game with hidden information has its known value", "[tree][efg]") {
  const GameTree tree = read_efg(efg_fixture("card_game.efg"));
  CHECK_FALSE(tree.is_perfect_information());
  const auto game = reduced_normal_form(tree);
  CHECK(game.action_names(0) ==
        std::vector<std::string>{"raise.raise", "raise.fold", "fold.raise", "fold.fold"});
  CHECK(game.action_names(1) == std::vector<std::string>{"meet", "pass"});
  const auto eqs = solve_support(game, {}, ctx());
  REQUIRE(eqs.size() == 1);
  const auto& eq = eqs[0];
  CHECK(eq.payoffs[0] == Approx(1.0 / 3));
  CHECK(eq.profile(0, 0) == Approx(1.0 / 3));  // raise with both cards
  CHECK(eq.profile(0, 1) == Approx(2.0 / 3));  // raise with red only
  CHECK(eq.profile(1, 0) == Approx(2.0 / 3));  // meet
  CHECK(eq.max_regret <= 1e-9);
}

TEST_CASE("cli: convert rewrites a tree as .efg and reduces it to .nfg", "[tree][cli]") {
  const CliRun efg = run_cli("convert " + efg_fixture("card_game.efg") + " --to efg");
  CHECK(efg.code == 0);
  const GameTree back = parse_efg(efg.out, "stdout.efg");
  check_same_tree(read_efg(efg_fixture("card_game.efg")), back);
  const CliRun nfg = run_cli("convert " + efg_fixture("card_game.efg") + " --to nfg");
  CHECK(nfg.code == 0);
  CHECK_THAT(nfg.out, Catch::Contains("\"raise.fold\""));
  const CliRun wrong = run_cli("convert " + efg_fixture("../nfg/missing.nfg") + " --to efg");
  CHECK(wrong.code == 2);
}

TEST_CASE("dot: the tree with moves, probabilities and information sets", "[tree][cli]") {
  const std::string dot = write_dot(read_efg(efg_fixture("card_game.efg")));
  CHECK_THAT(dot, Catch::StartsWith("digraph \"Simple card game\" {"));
  CHECK_THAT(dot, Catch::Contains("n0 -> n1 [label=\"red (1/2)\"];"));
  CHECK_THAT(dot, Catch::Contains("n3 [label=\"(2, -2)\\nred, met\", shape=box];"));
  CHECK_THAT(dot, Catch::Contains("{ rank=same; n2; n7; }"));
  CHECK_THAT(dot, Catch::Contains("n2 -> n7 [style=dashed"));
  const CliRun cli = run_cli("convert " + efg_fixture("card_game.efg") + " --to dot");
  CHECK(cli.code == 0);
  CHECK(cli.out == dot);
}

// ---------------------------------------------------------------------------------------------
// Subgame perfection with imperfect information

TEST_CASE("subgame-perfect: perfect-information trees agree with backward induction",
          "[tree][spe]") {
  for (const GameTree& tree : {entry_deterrence(), centipede(), ultimatum(), chance_game()}) {
    const auto bi = solve_backward_induction(tree);
    const auto spe = solve_subgame_perfect(tree, {}, ctx());
    CHECK(spe.status == SolveStatus::kOk);
    REQUIRE(spe.equilibria.size() == bi.equilibria.size());
    for (const auto& eq : spe.equilibria) {
      CHECK(eq.max_gain <= 1e-9);
      // Each is one of the backward-induction equilibria, as a pure behaviour profile.
      const bool found =
          std::any_of(bi.equilibria.begin(), bi.equilibria.end(), [&](const TreeEquilibrium& b) {
            const auto moves = infoset_moves(tree, b);
            for (std::size_t h = 0; h < moves.size(); ++h) {
              if (eq.behaviour[h][moves[h]] != 1.0) return false;
            }
            return true;
          });
      CHECK(found);
    }
  }
}

TEST_CASE("subgame-perfect: an entry into a hidden-move subgame uses the subgame's mixed value",
          "[tree][spe]") {
  // Ann stays out (0.5 for her) or enters matching pennies against Bob, worth 0 to her.
  GameTreeBuilder b({"Ann", "Bob"});
  std::vector<int> bob;
  for (int a = 0; a < 2; ++a) {
    const int same = b.add_terminal({1, -1});
    const int diff = b.add_terminal({-1, 1});
    DecisionSpec spec;
    spec.player = 1;
    spec.infoset = "guess";
    spec.moves = {"H", "T"};
    spec.children = a == 0 ? std::vector{same, diff} : std::vector{diff, same};
    bob.push_back(b.add_decision(std::move(spec)));
  }
  const int pennies = b.add_decision(0, {"H", "T"}, bob);
  const int root = b.add_decision(0, {"out", "in"}, {b.add_terminal({0.5, 0}), pennies});
  const GameTree tree = std::move(b).build(root);
  CHECK(subgame_roots(tree) == std::vector<int>{0, 2});
  const auto result = solve_subgame_perfect(tree, {}, ctx());
  CHECK(result.subgames == std::vector<int>{2, 0});
  REQUIRE(result.equilibria.size() == 1);
  const auto& eq = result.equilibria[0];
  CHECK(eq.behaviour[0] == std::vector<double>{1.0, 0.0});  // out
  CHECK(eq.behaviour[1][0] == Approx(0.5));                 // Ann's coin
  CHECK(eq.behaviour[2][0] == Approx(0.5));                 // Bob's guess
  CHECK(eq.payoffs[0] == Approx(0.5));
  CHECK(eq.max_gain <= 1e-9);
  // Bob always guessing heads is not subgame perfect: Ann gains in the subgame.
  auto wrong = eq.behaviour;
  wrong[2] = {1.0, 0.0};
  CHECK(behaviour_max_gain(tree, wrong) == Approx(1.0));
}

TEST_CASE("subgame-perfect: the card game's behaviour strategies and value", "[tree][spe]") {
  const GameTree tree = read_efg(efg_fixture("card_game.efg"));
  const auto result = solve_subgame_perfect(tree, {}, ctx());
  REQUIRE(result.equilibria.size() == 1);
  const auto& eq = result.equilibria[0];
  CHECK(eq.payoffs[0] == Approx(1.0 / 3));
  // Information sets in tree order: red card, after a raise, black card.
  CHECK(eq.behaviour[0][0] == Approx(1.0));      // raise with red
  CHECK(eq.behaviour[1][0] == Approx(2.0 / 3));  // meet
  CHECK(eq.behaviour[2][0] == Approx(1.0 / 3));  // raise with black
  CHECK(eq.max_gain <= 1e-9);
}

TEST_CASE("cli: tree solves an imperfect-information tree by subgames", "[tree][spe][cli]") {
  const CliRun text = run_cli("tree " + efg_fixture("card_game.efg"));
  CHECK(text.code == 0);
  CHECK_THAT(text.out, Catch::Contains("Player 2 at 'after a raise': meet 2/3, pass 1/3"));
  CHECK_THAT(text.out, Catch::Contains("Player 1 at 'black card': raise 1/3, fold 2/3"));
  const CliRun json = run_cli("tree " + efg_fixture("card_game.efg") + " --format json");
  const auto j = nlohmann::json::parse(json.out);
  CHECK(j["subgame_perfect"]["method"] == "subgame-perfect");
  CHECK(j["subgame_perfect"]["equilibria"][0]["behaviour"][1]["probabilities"]["meet"] ==
        Approx(2.0 / 3));
  const CliRun solvers = run_cli("solvers");
  CHECK_THAT(solvers.out, Catch::Contains("subgame-perfect"));
}

TEST_CASE("subgame-perfect: a horse-shaped three-player tree without proper subgames",
          "[tree][spe]") {
  // Ann: across (to Bob) or down; Bob: across (end) or down; Cat moves not knowing whether Ann
  // or Bob went down. No node but the root starts a subgame, so SPE = Nash equilibria (pure ones
  // are searched for three players).
  GameTreeBuilder b({"Ann", "Bob", "Cat"});
  const auto cat = [&](std::vector<double> left, std::vector<double> right) {
    DecisionSpec spec;
    spec.player = 2;
    spec.infoset = "cat";
    spec.moves = {"L", "R"};
    spec.children = {b.add_terminal(std::move(left)), b.add_terminal(std::move(right))};
    return b.add_decision(std::move(spec));
  };
  const int bob_down = cat({0, 0, 1}, {4, 4, 0});
  const int bob = b.add_decision(1, {"across", "down"}, {b.add_terminal({1, 1, 1}), bob_down});
  const int ann_down = cat({0, 0, 0}, {3, 2, 2});
  const GameTree tree = std::move(b).build(b.add_decision(0, {"across", "down"}, {bob, ann_down}));
  CHECK(subgame_roots(tree) == std::vector<int>{0});
  const auto result = solve_subgame_perfect(tree, {}, ctx());
  const auto nash = solve_pure(reduced_normal_form(tree), {}, ctx());
  REQUIRE_FALSE(result.equilibria.empty());
  // Every pure Nash equilibrium is there (with the extreme points of the components they lie
  // in, where a player mixes at exact indifference), and every one is verified.
  std::size_t pure = 0;
  for (const auto& eq : result.equilibria) {
    CHECK(eq.max_gain <= 1e-9);
    bool is_pure = true;
    for (const auto& infoset : eq.behaviour) {
      is_pure = is_pure && std::any_of(infoset.begin(), infoset.end(),
                                       [](double p) { return p == 1.0; });
    }
    pure += is_pure ? 1 : 0;
  }
  CHECK(pure == nash.size());
}

// ---------------------------------------------------------------------------------------------
// Sequence form

TEST_CASE("sequence form: sizes, constraints and payoffs of realization plans",
          "[tree][sequence]") {
  const GameTree tree = read_efg(efg_fixture("card_game.efg"));
  const SequenceForm form = sequence_form(tree);
  CHECK(form.sequences[0].size() == 5);  // empty, red: raise/fold, black: raise/fold
  CHECK(form.sequences[1].size() == 3);  // empty, meet, pass
  CHECK(form.constraints[0].rows() == 3);
  CHECK(form.constraints[1].rows() == 2);
  const auto spe = solve_subgame_perfect(tree, {}, ctx());
  REQUIRE(spe.equilibria.size() == 1);
  const auto& behaviour = spe.equilibria[0].behaviour;
  const Eigen::VectorXd x = realization_plan(form, 0, behaviour);
  const Eigen::VectorXd y = realization_plan(form, 1, behaviour);
  CHECK((form.constraints[0] * x - form.rhs[0]).norm() < 1e-12);
  CHECK((form.constraints[1] * y - form.rhs[1]).norm() < 1e-12);
  CHECK(x.dot(form.payoffs[0] * y) == Approx(1.0 / 3));
  CHECK(x.dot(form.payoffs[1] * y) == Approx(-1.0 / 3));
  std::vector<std::vector<double>> back(tree.infosets().size());
  behaviour_from_plan(form, tree, 0, x, back);
  behaviour_from_plan(form, tree, 1, y, back);
  for (std::size_t h = 0; h < back.size(); ++h) {
    for (std::size_t m = 0; m < back[h].size(); ++m) CHECK(back[h][m] == Approx(behaviour[h][m]));
  }
  // Pure profiles of a perfect-information tree give the backward-induction payoffs.
  const GameTree entry = entry_deterrence();
  const SequenceForm ef = sequence_form(entry);
  const auto bi = solve_backward_induction(entry);
  std::vector<std::vector<double>> pure(entry.infosets().size());
  const auto moves = infoset_moves(entry, bi.equilibria[0]);
  for (std::size_t h = 0; h < pure.size(); ++h) {
    pure[h].assign(entry.infoset(static_cast<int>(h)).moves.size(), 0.0);
    pure[h][moves[h]] = 1.0;
  }
  const Eigen::VectorXd ex = realization_plan(ef, 0, pure);
  const Eigen::VectorXd ey = realization_plan(ef, 1, pure);
  CHECK(ex.dot(ef.payoffs[0] * ey) == Approx(1.0));
  CHECK(ex.dot(ef.payoffs[1] * ey) == Approx(1.0));
}

TEST_CASE("sequence form: imperfect recall and other player counts are rejected",
          "[tree][sequence]") {
  GameTreeBuilder b({"A", "B"});
  std::vector<int> second;
  for (int k = 0; k < 2; ++k) {
    DecisionSpec spec;
    spec.player = 0;
    spec.infoset = "forgot";
    spec.moves = {"x", "y"};
    spec.children = {b.add_terminal({0, 0}), b.add_terminal({1, 1})};
    second.push_back(b.add_decision(std::move(spec)));
  }
  const GameTree forgetful = std::move(b).build(b.add_decision(0, {"l", "r"}, second));
  CHECK_THROWS_WITH(sequence_form(forgetful), Catch::Contains("does not have perfect recall"));
  CHECK_NOTHROW(sequence_form(chance_game()));  // chance nodes are fine
  GameTreeBuilder one({"Solo"});
  const GameTree solo = std::move(one).build(one.add_terminal({1}));
  CHECK_THROWS_WITH(sequence_form(solo), Catch::Contains("two players"));
}
