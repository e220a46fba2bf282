// Game trees through the solver registry and the CLI: `solve`, `explain`, `convert`, beliefs.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "efg_fixtures.hpp"
#include "process.hpp"
#include "reference_games.hpp"
#include "stratagem/game/tree.hpp"
#include "stratagem/io/efg.hpp"
#include "stratagem/io/tree_report.hpp"
#include "stratagem/solve/solver.hpp"

using namespace stratagem;
using stratagem::testing::efg_fixture;

namespace {

testing::CommandResult cli(const std::string& args) { return testing::run_stratagem(args); }

/// The behaviour profile of the simple card game's known equilibrium: player 1 raises with red,
/// raises with black 1/3 of the time; player 2 meets 2/3 of the time.
BehaviourProfile card_game_equilibrium(const GameTree& tree) {
  BehaviourProfile b(tree.infosets().size());
  for (std::size_t h = 0; h < b.size(); ++h) {
    const InfoSet& set = tree.infoset(static_cast<int>(h));
    if (set.label == "red card") b[h] = {1.0, 0.0};
    if (set.label == "black card") b[h] = {1.0 / 3, 2.0 / 3};
    if (set.label == "after a raise") b[h] = {2.0 / 3, 1.0 / 3};
  }
  return b;
}

}  // namespace

TEST_CASE("tree registry: tree solvers apply to trees, strategic solvers to the reduced form",
          "[tree][registry]") {
  const SolverRegistry& registry = builtin_solvers();
  const GameTree card = read_efg(efg_fixture("card_game.efg"));
  const GameTree entry = read_efg(efg_fixture("entry_deterrence.efg"));
  const SolverEntry* bi = registry.find("backward-induction");
  const SolverEntry* spe = registry.find("subgame-perfect");
  REQUIRE(bi != nullptr);
  REQUIRE(spe != nullptr);
  CHECK(bi->is_tree_solver());
  CHECK_FALSE(registry.find("support")->is_tree_solver());
  CHECK_FALSE(bi->tree_check(entry).has_value());
  REQUIRE(bi->tree_check(card).has_value());
  CHECK_THAT(*bi->tree_check(card), Catch::Contains("perfect information"));

  SolveContext context;
  const TreeSolveResult r = bi->solve_tree(entry, {}, context);
  REQUIRE(r.equilibria.size() == 1);
  const auto& eq = r.equilibria[0];
  CHECK(behaviour_path(entry, eq.behaviour) == std::vector<std::string>{"in", "accommodate"});
  CHECK(eq.payoffs == behaviour_payoffs(entry, eq.behaviour));
  CHECK_FALSE(eq.reasoning.empty());

  const TreeSolveResult s = spe->solve_tree(card, {}, context);
  REQUIRE(s.equilibria.size() == 1);
  CHECK(s.equilibria[0].payoffs[0] == Approx(1.0 / 3));
  CHECK(behaviour_payoffs(card, s.equilibria[0].behaviour)[0] == Approx(1.0 / 3));
}

TEST_CASE("tree beliefs: Bayes' rule at information sets, undetermined when unreached",
          "[tree][beliefs]") {
  const GameTree card = read_efg(efg_fixture("card_game.efg"));
  BehaviourProfile b = card_game_equilibrium(card);
  const auto reach = reach_probabilities(card, b);
  CHECK(reach[0] == 1.0);
  const auto beliefs = infoset_beliefs(card, b);
  int checked = 0;
  for (std::size_t h = 0; h < beliefs.size(); ++h) {
    const InfoSet& set = card.infoset(static_cast<int>(h));
    if (set.label != "after a raise") {
      REQUIRE(beliefs[h].has_value());  // one node: belief 1
      CHECK((*beliefs[h])[0] == Approx(1.0));
      continue;
    }
    // P(red | raise) = (1/2 * 1) / (1/2 * 1 + 1/2 * 1/3) = 3/4.
    REQUIRE(beliefs[h].has_value());
    CHECK((*beliefs[h])[0] == Approx(0.75));
    CHECK((*beliefs[h])[1] == Approx(0.25));
    ++checked;
  }
  CHECK(checked == 1);
  // Player 1 never raises: player 2's information set is not reached.
  for (std::size_t h = 0; h < b.size(); ++h) {
    if (card.infoset(static_cast<int>(h)).player == 0) b[h] = {0.0, 1.0};
  }
  bool saw_unreached = false;
  const auto none = infoset_beliefs(card, b);
  for (std::size_t h = 0; h < none.size(); ++h) {
    if (card.infoset(static_cast<int>(h)).label == "after a raise") {
      CHECK_FALSE(none[h].has_value());
      saw_unreached = true;
    }
  }
  CHECK(saw_unreached);
  CHECK(behaviour_payoffs(card, b)[0] == Approx(0.0).margin(1e-12));  // fold: +1 red, -1 black
  CHECK_THROWS_AS(reach_probabilities(card, BehaviourProfile{}), std::invalid_argument);
}

TEST_CASE("cli: solve on a tree uses tree methods and shows paths, reasoning and beliefs",
          "[tree][cli]") {
  const auto text = cli("solve " + efg_fixture("entry_deterrence.efg"));
  CHECK(text.code == 0);
  CHECK_THAT(text.out, Catch::Contains("Equilibria found by 'backward-induction': 1"));
  CHECK_THAT(text.out, Catch::Contains("path: in > accommodate"));
  CHECK_THAT(text.out, Catch::Contains("Incumbent compares fight = -1, accommodate = 1"));

  const auto json = cli("solve " + efg_fixture("card_game.efg") + " --method subgame-perfect --format json");
  REQUIRE(json.code == 0);
  const auto j = nlohmann::json::parse(json.out);
  CHECK(j["game"]["type"] == "tree");
  CHECK(j["game"]["infosets"].size() == 3);
  CHECK(j["game"]["reduced_normal_form"]["actions"][0].size() == 4);
  REQUIRE(j["equilibria"].size() == 1);
  const auto& eq = j["equilibria"][0];
  CHECK(eq["method"] == "subgame-perfect");
  CHECK(eq["named"]["black card"]["raise"].get<double>() == Approx(1.0 / 3));
  CHECK(eq["beliefs"]["after a raise"].size() == 2);
  CHECK(eq["strategies"].size() == 3);
  CHECK(eq["max_gain"].get<double>() <= 1e-9);

  // A strategic-form method on a tree solves its reduced normal form.
  const auto both = cli("solve " + efg_fixture("entry_deterrence.efg") +
                        " --method backward-induction,pure --format json");
  REQUIRE(both.code == 0);
  const auto jb = nlohmann::json::parse(both.out);
  REQUIRE(jb["equilibria"].size() == 3);  // 1 SPE + 2 pure Nash of the reduced form
  CHECK(jb["equilibria"][1]["form"] == "reduced_normal_form");

  const auto gambit = cli("solve " + efg_fixture("card_game.efg") + " --method subgame-perfect --format gambit");
  CHECK(gambit.code == 0);
  CHECK(gambit.out == "NE,1.000000,0.000000,0.333333,0.666667,0.666667,0.333333\n");
}

TEST_CASE("cli: tree methods and inputs that do not fit are errors with the reason",
          "[tree][cli]") {
  const auto imperfect = cli("solve " + efg_fixture("card_game.efg") + " --method backward-induction");
  CHECK(imperfect.code == 1);
  CHECK_THAT(imperfect.out, Catch::Contains("perfect information"));
  const auto normal = cli("solve " + reference_dir() +
                          "/random_3x3_s11_0.nfg --method subgame-perfect");
  CHECK(normal.code == 1);
  CHECK_THAT(normal.out, Catch::Contains("solves game trees"));
  const auto tree_cmd = cli("tree " + reference_dir() + "/random_3x3_s11_0.nfg");
  CHECK(tree_cmd.code == 1);
  CHECK_THAT(tree_cmd.out, Catch::Contains("not a game tree"));
}

TEST_CASE("cli: explain walks a student through backward induction and non-credible threats",
          "[tree][cli]") {
  const auto entry = cli("explain " + efg_fixture("entry_deterrence.efg"));
  CHECK(entry.code == 0);
  CHECK_THAT(entry.out, Catch::Contains("Backward induction"));
  CHECK_THAT(entry.out, Catch::Contains("So the play is in > accommodate"));
  CHECK_THAT(entry.out, Catch::Contains("(not subgame perfect)"));
  CHECK_THAT(entry.out, Catch::Contains("not credible"));
  const auto card = cli("explain " + efg_fixture("card_game.efg"));
  CHECK(card.code == 0);
  CHECK_THAT(card.out, Catch::Contains("information set"));
  CHECK_THAT(card.out, Catch::Contains("[beliefs: "));
  CHECK_THAT(card.out, Catch::Contains("3/4"));
}

TEST_CASE("cli: convert writes a tree as JSON, and validate describes it", "[tree][cli]") {
  const auto json = cli("convert " + efg_fixture("card_game.efg") + " --to json");
  REQUIRE(json.code == 0);
  const auto j = nlohmann::json::parse(json.out);
  CHECK(j["type"] == "tree");
  CHECK(j["nodes"].size() == static_cast<std::size_t>(read_efg(efg_fixture("card_game.efg")).num_nodes()));
  CHECK(j["nodes"][0]["kind"] == "chance");
  const auto v = cli("validate " + efg_fixture("card_game.efg"));
  CHECK(v.code == 0);
  CHECK_THAT(v.out, Catch::Contains("3 information sets"));
}

TEST_CASE("subgame-perfect: a three-player subgame without pure equilibria gets its mixed one",
          "[tree][spe]") {
  // Matching pennies between players 1 and 2 (2 cannot see 1's move); player 3 only watches.
  // No pure equilibrium; the only one mixes 1/2 - 1/2 (found by support-newton, since the
  // reduced normal form has three players).
  GameTreeBuilder b({"P1", "P2", "P3"});
  const auto leaf = [&](double u) { return b.add_terminal({u, -u, 0.0}); };
  const int after_h = b.add_decision(
      {.player = 1, .infoset = "guess", .moves = {"h", "t"}, .children = {leaf(1), leaf(-1)}});
  const int after_t = b.add_decision(
      {.player = 1, .infoset = "guess", .moves = {"h", "t"}, .children = {leaf(-1), leaf(1)}});
  const int root = b.add_decision(0, {"h", "t"}, {after_h, after_t});
  const GameTree tree = std::move(b).build(root);
  SolveContext context;
  const auto r = builtin_solvers().find("subgame-perfect")->solve_tree(tree, {}, context);
  REQUIRE(r.status == SolveStatus::kOk);
  REQUIRE(r.equilibria.size() == 1);
  for (const auto& moves : r.equilibria[0].behaviour) {
    CHECK(moves[0] == Approx(0.5).margin(1e-12));
    CHECK(moves[1] == Approx(0.5).margin(1e-12));
  }
  CHECK(r.equilibria[0].payoffs[0] == Approx(0.0).margin(1e-12));
  CHECK(r.equilibria[0].max_gain <= 1e-12);
}

TEST_CASE("cli: Kuhn poker by sequence-lcp and subgame-perfect has value -1/18", "[tree][cli]") {
  const auto run = cli("solve " + efg_fixture("kuhn_poker.efg") + " --format json --exact");
  REQUIRE(run.code == 0);
  const auto j = nlohmann::json::parse(run.out.substr(run.out.find('{')));
  int lcp = 0, spe = 0;
  for (const auto& eq : j["equilibria"]) {
    CHECK(eq["payoffs"][0].get<double>() == Approx(-1.0 / 18));
    CHECK(eq["max_gain"].get<double>() <= 1e-9);
    lcp += eq["method"] == "sequence-lcp" ? 1 : 0;
    spe += eq["method"] == "subgame-perfect" ? 1 : 0;
  }
  CHECK(lcp >= 1);  // the default methods for a two-player tree with hidden moves
  CHECK(spe >= 1);  // the root subgame (64 x 64) is solved by Lemke-Howson
  const auto& exact = j["analyses"]["sequence_lcp_paths"]["exact"];
  REQUIRE(exact.size() == static_cast<std::size_t>(lcp));
  for (const auto& e : exact) {
    CHECK(e["verified"] == true);
    CHECK(e["payoffs"][0] == "-1/18");
  }
  // sequence-lcp needs two players.
  const auto horse = cli("solve " + efg_fixture("selten_horse.efg") + " --method sequence-lcp");
  CHECK(horse.code == 1);
  CHECK_THAT(horse.out, Catch::Contains("two players"));
}

TEST_CASE("cli: tree scenarios name players by their display names in text, by id in JSON",
          "[tree][cli]") {
  const std::string file =
      std::string(STRATAGEM_SOURCE_DIR) + "/scenarios/classic/entry_deterrence.yaml";
  const auto text = cli("explain " + file);
  REQUIRE(text.code == 0);
  // Actors `entrant` / `incumbent` are named "Entrant" / "Incumbent" in the scenario.
  CHECK_THAT(text.out, Catch::Contains("[entry_decision] Entrant moves"));
  CHECK_THAT(text.out, Catch::Contains("Incumbent compares fight = -1, accommodate = 1.5"));
  CHECK_THAT(text.out, !Catch::Contains("incumbent compares"));
  const auto json = cli("convert " + file + " --to json");
  REQUIRE(json.code == 0);
  const auto j = nlohmann::json::parse(json.out);
  CHECK(j["nodes"][0]["player"] == "entrant");
  const auto dot = cli("convert " + file + " --to dot");
  REQUIRE(dot.code == 0);
  CHECK_THAT(dot.out, Catch::Contains("Incumbent"));
}

TEST_CASE("behaviour profiles map to realization-equivalent reduced mixed strategies",
          "[tree]") {
  const GameTree card = read_efg(efg_fixture("card_game.efg"));
  const ReducedNormalForm reduced = reduce_to_normal_form(card);
  const BehaviourProfile b = card_game_equilibrium(card);
  const MixedProfile mixed = reduced_mixed_profile(reduced, card, b);
  for (int p = 0; p < card.num_players(); ++p) {
    double sum = 0.0;
    for (double x : mixed.probabilities(p)) sum += x;
    CHECK(sum == Approx(1.0).margin(1e-12));
  }
  // Same expected payoffs in the tree and in the reduced normal form, and still an equilibrium.
  const auto tree_payoffs = behaviour_payoffs(card, b);
  const Equilibrium eq = make_equilibrium(reduced.game, "test", mixed);
  for (int p = 0; p < card.num_players(); ++p) {
    CHECK(eq.payoffs[static_cast<std::size_t>(p)] ==
          Approx(tree_payoffs[static_cast<std::size_t>(p)]).margin(1e-12));
  }
  CHECK(eq.max_regret <= 1e-12);
  // A behaviour profile that is not an equilibrium keeps its payoffs too.
  BehaviourProfile other = b;
  for (auto& moves : other) std::fill(moves.begin(), moves.end(), 1.0 / moves.size());
  const Equilibrium off = make_equilibrium(reduced.game, "test",
                                           reduced_mixed_profile(reduced, card, other));
  const auto off_payoffs = behaviour_payoffs(card, other);
  CHECK(off.payoffs[0] == Approx(off_payoffs[0]).margin(1e-12));
  CHECK(off.max_regret > 1e-3);
  CHECK_THROWS_AS(reduced_mixed_profile(reduced, card, BehaviourProfile{}), std::invalid_argument);
}
