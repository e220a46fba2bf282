// `type: tree` scenarios: parsing, binding to a GameTree and to its reduced normal form,
// expectations keyed by information set, and errors that name the line and the fix.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "text_edit.hpp"
#include "stratagem/scenario/expect.hpp"
#include "stratagem/scenario/scenario.hpp"

using namespace stratagem;
using Catch::Matchers::Contains;

using stratagem::testing::replaced;

namespace {

// Japan offers finance or not; after finance China offers or not, and Russia answers without
// knowing whether China offered (one information set over the two uses of the subtree); without
// finance, chance decides.
const char* kTree = R"yaml(stratagem: 1
name: "tree test"
parameters:
  q: {value: 0.25, range: [0, 1]}
  big: 4
actors:
  japan: Japan
  china: China
  russia: Russia
game:
  type: tree
  subtrees:
    russia_decides:
      actor: russia
      infoset: russia_after_offers
      moves:
        angarsk: {payoffs: {japan: 0, china: big, russia: 1}}
        nakhodka: {payoffs: [big, 0, 2]}
  tree:
    actor: japan
    name: japan_offer
    moves:
      finance:
        actor: china
        moves:
          offer: {subtree: russia_decides}
          no_offer: {subtree: russia_decides}
      no_finance:
        chance:
          hawk: "q"
          dove: "1 - q"
        moves:
          hawk: {payoffs: [-1, -1, -1], name: war}
          dove: {payoffs: [1, 1, 1]}
)yaml";

// Utilities from attributes: effects on moves, on references and on a subtree's root, and an
// outcome on a leaf.
const char* kUtilities = R"yaml(stratagem: 1
name: "utilities"
parameters:
  e_deal: 0.5
  ac: 0.6
attributes:
  islands: {initial: 0, range: [0, 4]}
  energy: 0
  treaty: 0
actors:
  japan:
    weights: {islands: 0.25, energy: 0.8}
    terms: {audience: "-ac * (treaty && islands < 4)"}
  russia:
    weights: {energy: 1}
    terms: {sovereignty: "-islands / 2"}
game:
  type: tree
  subtrees:
    japan_answers:
      actor: japan
      add: {energy: 0.1}
      moves:
        accept: {outcome: {treaty: 1}}
        refuse: {name: "no deal"}
  tree:
    actor: russia
    moves:
      offer_two: {subtree: japan_answers, set: {islands: 2}}
      energy_only: {subtree: japan_answers, add: {energy: e_deal}}
      both: {subtree: japan_answers, set: {islands: 2}, add: {energy: "e_deal / 2"}}
)yaml";

const char* kEntry = R"yaml(stratagem: 1
name: "entry"
parameters:
  commitment: {value: 0, range: [0, 5]}
actors:
  entrant: Entrant
  incumbent: Incumbent
game:
  type: tree
  tree:
    actor: entrant
    name: entry
    moves:
      out: {payoffs: [0, 2]}
      in:
        actor: incumbent
        name: reply
        moves:
          fight: {payoffs: [-1, "-1 + commitment"]}
          accommodate: {payoffs: [1, 1]}
)yaml";

std::string error_of(const std::string& text) {
  try {
    (void)Scenario::parse(text, "test.yaml");
  } catch (const InputError& e) {
    return e.what();
  }
  return "(no error)";
}

/// The leaf reached from the root by `moves`.
const TreeNode& leaf(const GameTree& tree, const std::vector<std::string>& moves) {
  int id = 0;
  for (const auto& m : moves) {
    const TreeNode& n = tree.node(id);
    const auto it = std::find(n.moves.begin(), n.moves.end(), m);
    REQUIRE(it != n.moves.end());
    id = n.children[static_cast<std::size_t>(it - n.moves.begin())];
  }
  return tree.node(id);
}

std::vector<std::string> labels(const GameTree& tree) {
  std::vector<std::string> out;
  for (const auto& h : tree.infosets()) out.push_back(h.label);
  return out;
}

}  // namespace

TEST_CASE("tree scenario: entry deterrence from payoffs", "[tree-scenario]") {
  const Scenario s = Scenario::parse(kEntry, "test.yaml");
  CHECK(s.game_type() == "tree");
  CHECK(s.moves() == std::vector<std::vector<std::string>>{{"out", "in"}, {"fight", "accommodate"}});
  const GameTree tree = s.bind_tree(s.defaults());
  CHECK(tree.num_nodes() == 5);
  CHECK(tree.player_names() == std::vector<std::string>{"entrant", "incumbent"});
  CHECK(labels(tree) == std::vector<std::string>{"entry", "reply"});
  CHECK(tree.node(0).label == "entry");
  CHECK(leaf(tree, {"in", "fight"}).payoffs == std::vector<double>{-1, -1});
  CHECK(leaf(tree, {"out"}).payoffs == std::vector<double>{0, 2});
}

TEST_CASE("tree scenario: structure, shared information set, chance and labels", "[tree-scenario]") {
  const Scenario s = Scenario::parse(kTree, "test.yaml");
  const GameTree tree = s.bind_tree(s.defaults());
  CHECK(tree.num_nodes() == 11);
  CHECK(tree.title() == "tree test");
  CHECK(labels(tree) == std::vector<std::string>{"japan_offer", "china@finance", "russia_after_offers"});
  // Both uses of the subtree are one information set of Russia's.
  CHECK(tree.infoset(2).player == 2);
  CHECK(tree.infoset(2).nodes.size() == 2);
  CHECK(tree.infoset(2).moves == std::vector<std::string>{"angarsk", "nakhodka"});
  CHECK(leaf(tree, {"finance", "no_offer", "angarsk"}).payoffs == std::vector<double>{0, 4, 1});
  CHECK(leaf(tree, {"finance", "offer", "nakhodka"}).payoffs == std::vector<double>{4, 0, 2});
  const TreeNode& chance = tree.node(tree.node(0).children[1]);
  CHECK(chance.kind == NodeKind::kChance);
  CHECK(chance.probabilities == std::vector<double>{0.25, 0.75});
  CHECK(leaf(tree, {"no_finance", "hawk"}).outcome == "war");

  // Without infoset:, each use of the subtree is its own information set, labelled by its path.
  const std::string separate = replaced(kTree, "      infoset: russia_after_offers\n", "");
  const GameTree apart = Scenario::parse(separate, "test.yaml").bind_tree({});
  CHECK(labels(apart) == std::vector<std::string>{"japan_offer", "china@finance",
                                                  "russia@finance/offer", "russia@finance/no_offer"});
  // The root without a name: actor@root.
  const std::string unnamed = replaced(kTree, "    name: japan_offer\n", "");
  CHECK(labels(Scenario::parse(unnamed, "test.yaml").bind_tree({})).front() == "japan@root");
}

TEST_CASE("tree scenario: utilities from attributes along the path", "[tree-scenario]") {
  const Scenario s = Scenario::parse(kUtilities, "test.yaml");
  const GameTree tree = s.bind_tree(s.defaults());
  // Reference effects first, then the subtree root's add: energy +0.1; outcome: at the leaf.
  const auto payoffs = [&](const std::vector<std::string>& path) {
    return leaf(tree, path).payoffs;
  };
  // offer_two: islands 2, energy 0.1.
  CHECK(payoffs({"offer_two", "accept"})[0] == Approx(0.25 * 2 + 0.8 * 0.1 - 0.6));
  CHECK(payoffs({"offer_two", "accept"})[1] == Approx(0.1 - 1.0));
  CHECK(payoffs({"offer_two", "refuse"})[0] == Approx(0.58));
  // energy_only: energy 0.5 + 0.1; the audience cost applies to any treaty short of four.
  CHECK(payoffs({"energy_only", "accept"})[0] == Approx(0.8 * 0.6 - 0.6));
  CHECK(payoffs({"energy_only", "refuse"})[1] == Approx(0.6));
  // both: set islands 2, then add energy 0.25, then 0.1.
  CHECK(payoffs({"both", "accept"})[0] == Approx(0.5 + 0.8 * 0.35 - 0.6));
  CHECK(payoffs({"both", "refuse"})[1] == Approx(0.35 - 1.0));
  CHECK(leaf(tree, {"both", "refuse"}).outcome == "no deal");
  CHECK(labels(tree) == std::vector<std::string>{"russia@root", "japan@offer_two",
                                                 "japan@energy_only", "japan@both"});
  // Japan's reduced strategies: a move at each of its three information sets.
  REQUIRE(s.moves()[0].size() == 8);
  CHECK(s.moves()[0].front() == "accept.accept.accept");
  CHECK(s.moves()[1] == std::vector<std::string>{"offer_two", "energy_only", "both"});

  // Attribute ranges apply at the leaves.
  const std::string outside = replaced(kUtilities, "set: {islands: 2}}", "set: {islands: 5}}");
  CHECK_THAT(error_of(outside), Contains("test.yaml:29:49") &&
                                    Contains("attribute 'islands' becomes 5") &&
                                    Contains("offer_two > accept") && Contains("hint: keep set:/add:"));
}

TEST_CASE("tree scenario: the reduced normal form through bind()", "[tree-scenario]") {
  const Scenario s = Scenario::parse(kTree, "test.yaml");
  CHECK(s.moves() == std::vector<std::vector<std::string>>{
                         {"finance", "no_finance"}, {"offer", "no_offer"}, {"angarsk", "nakhodka"}});
  const NormalFormGame game = s.bind(s.defaults());
  REQUIRE(game.num_players() == 3);
  CHECK(game.action_names(0) == s.moves()[0]);
  // (finance, offer, nakhodka): profile index 0 + 0*2 + 1*4.
  CHECK(game.payoff(0, 4) == 4);
  CHECK(game.payoff(2, 4) == 2);
  // no_finance: the chance lottery, 0.25 * -1 + 0.75 * 1 whatever the others do.
  for (std::size_t index : {1u, 3u, 5u, 7u}) CHECK(game.payoff(1, index) == Approx(0.5));
}

TEST_CASE("tree scenario: overrides change probabilities and payoffs", "[tree-scenario]") {
  const Scenario s = Scenario::parse(kTree, "test.yaml");
  const auto compiled = s.compile();  // compiled once, bound at several points
  const GameTree at_half = compiled->bind_tree(s.with_overrides({{"q", 0.5}}, false));
  CHECK(at_half.node(at_half.node(0).children[1]).probabilities == std::vector<double>{0.5, 0.5});
  const GameTree bigger = compiled->bind_tree(s.with_overrides({{"big", 10}}, false));
  CHECK(leaf(bigger, {"finance", "offer", "angarsk"}).payoffs == std::vector<double>{0, 10, 1});
  CHECK(compiled->bind(s.with_overrides({{"q", 0.5}}, false)).payoff(0, 1) == Approx(0.0));
  CHECK_THROWS_WITH(s.with_overrides({{"q", 2}}, false), Contains("outside its range"));

  // An entry's payoffs depend on a parameter: the commitment makes fighting credible.
  const Scenario entry = Scenario::parse(kEntry, "test.yaml");
  const GameTree committed = entry.bind_tree(entry.with_overrides({{"commitment", 3}}, false));
  CHECK(leaf(committed, {"in", "fight"}).payoffs == std::vector<double>{-1, 2});
}

TEST_CASE("tree scenario: expectations keyed by information set", "[tree-scenario]") {
  const std::string text = std::string(kEntry) + R"yaml(expect:
  - method: backward-induction
    equilibria: [{entry: in, reply: accommodate}]
  - method: backward-induction
    at: {commitment: 3}
    equilibria: [{entry: out, reply: fight}]
  - method: pure
    equilibria: [{entrant: in, incumbent: accommodate}, {entrant: out, incumbent: fight}]
  - method: subgame-perfect
    includes: [{reply: accommodate}]
  - {method: backward-induction, at: {commitment: 2}, count: 2}  # a tie: both replies
)yaml";
  const Scenario s = Scenario::parse(text, "test.yaml");
  REQUIRE(s.expectations().size() == 5);
  CHECK(s.expectations()[0].by_infoset);
  CHECK_FALSE(s.expectations()[2].by_infoset);
  SolveContext context;
  for (const auto& o : check_expectations(s, builtin_solvers(), {}, context)) {
    INFO(o.summary);
    CHECK(o.passed);
  }

  // Only the named information sets are compared; a wrong one is reported as missing.
  const std::string shared = std::string(kTree) + R"yaml(expect:
  - method: subgame-perfect
    includes: [{japan_offer: finance, russia_after_offers: nakhodka}]
  - method: subgame-perfect
    includes: [{japan_offer: no_finance}]
)yaml";
  const auto outcomes =
      check_expectations(Scenario::parse(shared, "test.yaml"), builtin_solvers(), {}, context);
  REQUIRE(outcomes.size() == 2);
  CHECK(outcomes[0].passed);
  CHECK_FALSE(outcomes[1].passed);
  REQUIRE_FALSE(outcomes[1].details.empty());
  CHECK_THAT(outcomes[1].details[0], Contains("missing: {japan_offer: {no_finance: 1}}"));

  // Keys are checked at load.
  CHECK_THAT(error_of(std::string(kEntry) + "expect:\n  - {method: backward-induction, "
                                             "equilibria: [{replly: fight}]}\n"),
             Contains("test.yaml:22:48") && Contains("unknown information set 'replly'") &&
                 Contains("did you mean 'reply'") && Contains("hint: information sets are: entry, reply"));
  CHECK_THAT(error_of(std::string(kEntry) + "expect:\n  - {method: backward-induction, "
                                             "equilibria: [{reply: fihgt}]}\n"),
             Contains("unknown move 'fihgt' for information set 'reply'") &&
                 Contains("did you mean 'fight'"));
  // Whether keys are information sets depends on the method, so a tree's methods are known.
  CHECK_THAT(error_of(std::string(kEntry) + "expect:\n  - {method: backward-inductin, count: 1}\n"),
             Contains("test.yaml:22:14") && Contains("unknown method 'backward-inductin'") &&
                 Contains("did you mean 'backward-induction'"));
  // For strategic-form methods the keys stay actors, with reduced-strategy labels.
  CHECK_THAT(error_of(std::string(kEntry) + "expect:\n  - {method: pure, "
                                             "equilibria: [{reply: fight}]}\n"),
             Contains("unknown actor 'reply'"));
}

TEST_CASE("tree scenario errors: chance probabilities", "[tree-scenario]") {
  // Not summing to 1 at the defaults: the chance node's line, the sum, the fix.
  CHECK_THAT(error_of(replaced(kTree, "dove: \"1 - q\"", "dove: \"0.8 - q\"")),
             Contains("test.yaml:29:9") && Contains("sum to 0.8, not 1 with q=0.25") &&
                 Contains("hint: make them add up to 1"));
  // Summing to 1 at the defaults but not at another point: reported when bound there.
  const Scenario s = Scenario::parse(replaced(kTree, "dove: \"1 - q\"", "dove: \"q < 0.6 ? 1 - q : 0.3\""),
                                     "test.yaml");
  CHECK_THROWS_WITH(s.bind_tree(s.with_overrides({{"q", 0.8}}, false)),
                    Contains("test.yaml:29:9") && Contains("sum to 1.1"));
  // A probability outside [0, 1].
  CHECK_THAT(error_of(replaced(replaced(kTree, "hawk: \"q\"", "hawk: \"q + 1\""), "dove: \"1 - q\"",
                               "dove: \"-q\"")),
             Contains("test.yaml:30:18") && Contains("outside [0, 1]"));
  // Probabilities may not depend on the path.
  CHECK_THAT(error_of(replaced(kTree, "dove: \"1 - q\"", "dove: \"1 - q + japan\"")),
             Contains("test.yaml:31:26") && Contains("unknown name 'japan'"));
  // chance: and moves: must list the same moves in the same order.
  CHECK_THAT(error_of(replaced(kTree, "          hawk: {payoffs: [-1, -1, -1], name: war}\n"
                                      "          dove: {payoffs: [1, 1, 1]}",
                               "          dove: {payoffs: [1, 1, 1]}\n"
                               "          hawk: {payoffs: [-1, -1, -1], name: war}")),
             Contains("test.yaml:32:9") && Contains("[dove, hawk]") &&
                 Contains("chance: keys [hawk, dove] at line 29") && Contains("hint: list the same moves"));
}

TEST_CASE("tree scenario errors: information sets and labels", "[tree-scenario]") {
  // A node joining an information set with other moves: both lines named.
  const std::string different = replaced(kTree, "          no_offer: {subtree: russia_decides}",
                                         "          no_offer:\n"
                                         "            actor: russia\n"
                                         "            infoset: russia_after_offers\n"
                                         "            moves: {angarsk: {payoffs: [0, 0, 0]}}");
  CHECK_THAT(error_of(different),
             Contains("test.yaml:29:22") && Contains("information set 'russia_after_offers'") &&
                 Contains("the node at line 29 has actor 'russia' with moves [angarsk]") &&
                 Contains("the node at line 15 has actor 'russia' with moves [angarsk, nakhodka]") &&
                 Contains("hint: the nodes of one information set must have the same actor"));
  // A different actor in the same information set.
  const std::string other_actor = replaced(different, "            actor: russia\n", "            actor: china\n");
  CHECK_THAT(error_of(other_actor), Contains("actor 'china'") && Contains("line 15"));
  // A name in a subtree used twice would label two information sets.
  const std::string named = replaced(kTree, "      infoset: russia_after_offers\n", "      name: russia_node\n");
  CHECK_THAT(error_of(named), Contains("test.yaml:14:7") && Contains("node name 'russia_node'") &&
                                  Contains("finance > offer") && Contains("hint: add infoset: russia_node"));
  // Two names colliding.
  const std::string twice = replaced(kTree, "        actor: china\n", "        actor: china\n        name: japan_offer\n");
  CHECK_THAT(error_of(twice), Contains("test.yaml:24:9") &&
                                  Contains("information-set label 'japan_offer' is used twice") &&
                                  Contains("at line 20"));
  // infoset: only on decisions.
  CHECK_THAT(error_of(replaced(kTree, "dove: {payoffs: [1, 1, 1]}", "dove: {payoffs: [1, 1, 1], infoset: x}")),
             Contains("test.yaml:34:38") && Contains("belongs to decision nodes"));
}

TEST_CASE("tree scenario errors: subtrees", "[tree-scenario]") {
  CHECK_THAT(error_of(replaced(kTree, "offer: {subtree: russia_decides}", "offer: {subtree: russia_decide}")),
             Contains("test.yaml:26:28") && Contains("unknown subtree 'russia_decide'") &&
                 Contains("did you mean 'russia_decides'") && Contains("hint: subtrees are: russia_decides"));
  const std::string cycle = replaced(kTree, "  subtrees:\n",
                                     "  subtrees:\n"
                                     "    a:\n"
                                     "      actor: japan\n"
                                     "      moves: {x: {subtree: b}, y: {payoffs: [0, 0, 0]}}\n"
                                     "    b:\n"
                                     "      actor: china\n"
                                     "      moves: {x: {subtree: a}, y: {payoffs: [0, 0, 0]}}\n");
  CHECK_THAT(error_of(cycle), Contains("test.yaml:18:18") && Contains("subtree cycle a -> b -> a") &&
                                  Contains("hint: a subtree cannot contain itself"));
  const std::string self = replaced(kTree, "angarsk: {payoffs: {japan: 0, china: big, russia: 1}}",
                                    "angarsk: {subtree: russia_decides}");
  CHECK_THAT(error_of(self), Contains("test.yaml:17:18") && Contains("russia_decides -> russia_decides"));

  // Reuse that doubles the tree at every level: refused at load with a clear error.
  std::string huge = "stratagem: 1\nname: huge\nactors: {a: A}\ngame:\n  type: tree\n  subtrees:\n";
  for (int k = 0; k < 24; ++k) {
    huge += "    s" + std::to_string(k) + ": {actor: a, moves: {l: {subtree: s" + std::to_string(k + 1) +
            "}, r: {subtree: s" + std::to_string(k + 1) + "}}}\n";
  }
  huge += "    s24: {payoffs: [0]}\n  tree: {subtree: s0}\n";
  CHECK_THAT(error_of(huge), Contains("the tree is too large") && Contains("more than 1000000 nodes") &&
                                 Contains("hint: use fewer moves"));
}

TEST_CASE("tree scenario errors: payoffs", "[tree-scenario]") {
  CHECK_THAT(error_of(replaced(kTree, "dove: {payoffs: [1, 1, 1]}", "dove: {name: calm}")),
             Contains("test.yaml:34:17") && Contains("missing payoffs: the node after move 'dove' is a leaf") &&
                 Contains("hint: add payoffs: {japan: 0, china: 0, russia: 0}"));
  CHECK_THAT(error_of(replaced(kTree, "{japan: 0, china: big, russia: 1}", "{japan: 0, china: big}")),
             Contains("test.yaml:17:28") && Contains("gives no payoff for actor 'russia'") &&
                 Contains("hint: add russia:"));
  CHECK_THAT(error_of(replaced(kTree, "[big, 0, 2]", "[big, 0]")),
             Contains("test.yaml:18:29") && Contains("has 2 payoffs but there are 3 actors") &&
                 Contains("hint: write one payoff per actor, in the order japan, china, russia"));
  CHECK_THAT(error_of(replaced(kTree, "[big, 0, 2]", "[\"big +\", 0, 2]")),
             Contains("test.yaml:18:") && Contains("syntax error in formula 'big +'"));
  CHECK_THAT(error_of(replaced(kTree, "russia: 1}", "russia: \"1 / (q - 0.25)\"}")),
             Contains("test.yaml:17:") && Contains("evaluates to") &&
                 Contains("at the node reached by finance > offer > angarsk"));
  CHECK_THAT(error_of(replaced(kTree, "hawk: {payoffs: [-1, -1, -1], name: war}",
                               "hawk: {payoffs: [-1, -1, -1], outcome: {treaty: 1}}")),
             Contains("test.yaml:33:") && Contains("unknown attribute 'treaty'"));
  CHECK_THAT(error_of(replaced(kUtilities, "set: {islands: 2}}", "set: {islnds: 2}}")),
             Contains("test.yaml:29:49") && Contains("unknown attribute 'islnds'") &&
                 Contains("did you mean 'islands'"));
  CHECK_THAT(error_of(replaced(kTree, "actor: russia\n      infoset", "actor: russia\n      payoffs: [0, 0, 0]\n      infoset")),
             Contains("test.yaml:15:7") && Contains("belongs on a leaf"));
}

TEST_CASE("tree scenario errors: actors, moves and nodes", "[tree-scenario]") {
  CHECK_THAT(error_of(replaced(kTree, "actor: china", "actor: chna")),
             Contains("test.yaml:24:16") && Contains("unknown actor 'chna'") &&
                 Contains("did you mean 'china'") && Contains("hint: actors are: japan, china, russia"));
  CHECK_THAT(error_of(replaced(kTree, "        actor: china\n        moves:\n", "        actor: china\n        moves: {}\n"
                                                                               "        doc: x\n        mves:\n")),
             Contains("test.yaml:27:9") && Contains("unknown key 'mves'") && Contains("did you mean 'moves'"));
  CHECK_THAT(error_of(replaced(kTree, "offer: {subtree: russia_decides}\n          no_offer: {subtree: russia_decides}",
                               "offer: {actor: russia, moves: {}}")),
             Contains("test.yaml:26:41") && Contains("the node after move 'offer' has an empty moves:") && Contains("hint: give the node at least one move"));
  CHECK_THAT(error_of(replaced(kTree, "no_offer: {subtree: russia_decides}", "offer: {subtree: russia_decides}")),
             Contains("test.yaml:27:11") && Contains("duplicate key 'offer'"));
  CHECK_THAT(error_of(replaced(kTree, "        actor: china\n", "")),
             Contains("test.yaml:24:9") && Contains("has moves: but no actor: or chance:"));
  CHECK_THAT(error_of(replaced(kTree, "tree:\n    actor: japan", "tree:\n    chance: {a: 1}\n    actor: japan")),
             Contains("test.yaml:20:5") && Contains("not both"));
  CHECK_THAT(error_of(replaced(kTree, "type: tree\n", "type: tree\n  moves: {japan: [a]}\n")),
             Contains("test.yaml:12:3") && Contains("in a tree game, moves: belongs to the nodes of tree:"));
}

TEST_CASE("tree scenario: normal-form scenarios are not trees", "[tree-scenario]") {
  const Scenario s = Scenario::parse(R"yaml(stratagem: 1
name: pd
actors: {row: Row, column: Column}
game:
  type: normal
  moves: {row: [c, d], column: [c, d]}
  matrix: [[[3, 3], [0, 5]], [[5, 0], [1, 1]]]
)yaml", "pd.yaml");
  CHECK_THROWS_WITH(s.bind_tree({}), Contains("not a game tree"));
  CHECK_THROWS_WITH(s.compile()->bind_tree({}), Contains("hint: solve it with a strategic-form method"));
}
