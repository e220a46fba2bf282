#include <array>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include "stratagem/game/normal_form.hpp"
#include "stratagem/scenario/error.hpp"
#include "stratagem/scenario/scenario.hpp"

using namespace stratagem;
using Catch::Matchers::Contains;

namespace {

// DESIGN.md §5, verbatim.
const char* const kKurils = R"yaml(stratagem: 1                         # schema version
name: "Kurils: two islands or four?"
sources: ["Streltsov, Russia's Approach to Japan under Vladimir Putin"]
parameters:                          # every number may be overridden (--set) or swept
  ac_jp:  {value: 0.6, range: [0, 1.5], doc: "Japan's audience cost of a treaty with fewer than four islands"}
  ac_ru:  {value: 0.8, range: [0, 2],   doc: "Russia's domestic cost per two islands ceded"}
  e_deal: {value: 0.5, range: [0, 1], distribution: {triangular: [0.2, 0.5, 0.9]}, unit: "share of LNG stake"}
  china:  {value: 0.3, range: [0, 0.8], doc: "Russia's outside option: China-first energy route"}
attributes:                          # the outcome vector; status quo = initial
  islands: {initial: 0, range: [0, 4]}
  energy:  {initial: 0}
  treaty:  {initial: 0}
actors:
  japan:
    name: Japan
    weights: {islands: 0.25, energy: 0.8}
    terms: {audience: "-ac_jp * (treaty && islands < 4)"}
  russia:
    name: Russia
    weights: {energy: 1.0}
    terms: {sovereignty: "-ac_ru * islands / 2", outside: "china * (energy == 0)"}
game:
  type: normal                       # normal | tree | repeated
  moves:
    russia:
      hold:        {category: diplomatic}
      offer_two:   {category: concession, set: {islands: 2}}
      energy_only: {category: energy, set: {energy: e_deal}}
    japan:
      insist_four: {category: diplomatic}
      accept:      {category: concession, set: {treaty: 1}}
  rules:                             # interactions moves alone don't capture; "*" matches any move
    - when: {russia: offer_two, japan: insist_four}
      set: {islands: 0}
expect:                              # checked by `stratagem check`: regression and teaching assertions
  - {method: pure, equilibria: [{russia: energy_only, japan: insist_four}]}
  - {method: pure, at: {e_deal: 0.2, china: 0.5},      # a tie: both are equilibria
     equilibria: [{russia: hold, japan: insist_four}, {russia: offer_two, japan: insist_four}]}
)yaml";

/// Payoff of `player` at the profile given by action names.
double payoff(const NormalFormGame& game, int player, const std::vector<std::string>& names) {
  std::vector<int> actions;
  for (int p = 0; p < game.num_players(); ++p) {
    const auto& labels = game.action_names(p);
    const auto it = std::find(labels.begin(), labels.end(), names[static_cast<std::size_t>(p)]);
    REQUIRE(it != labels.end());
    actions.push_back(static_cast<int>(it - labels.begin()));
  }
  return game.payoff(player, game.index(actions));
}

}  // namespace

TEST_CASE("DESIGN.md example scenario loads with its structure", "[scenario]") {
  const Scenario s = Scenario::parse(kKurils, "kurils.yaml");
  CHECK(s.name() == "Kurils: two islands or four?");
  CHECK(s.file() == "kurils.yaml");
  CHECK(s.game_type() == "normal");
  REQUIRE(s.sources().size() == 1);
  CHECK(s.actor_ids() == std::vector<std::string>{"japan", "russia"});
  CHECK(s.actor_names() == std::vector<std::string>{"Japan", "Russia"});
  REQUIRE(s.moves().size() == 2);
  CHECK(s.moves()[0] == std::vector<std::string>{"insist_four", "accept"});
  CHECK(s.moves()[1] == std::vector<std::string>{"hold", "offer_two", "energy_only"});
  REQUIRE(s.parameters().size() == 4);
  CHECK(s.parameters()[2].name == "e_deal");
  CHECK(s.parameters()[2].value == Approx(0.5));
  CHECK(s.parameters()[2].unit == "share of LNG stake");
  CHECK(s.parameters()[2].mark.line == 7);
  REQUIRE(s.parameters()[2].distribution.has_value());
  CHECK(s.parameters()[2].distribution->kind == "triangular");
  CHECK(s.parameters()[2].distribution->args == std::vector<double>{0.2, 0.5, 0.9});
  REQUIRE(s.parameters()[0].range.has_value());
  CHECK(s.parameters()[0].range->second == Approx(1.5));
  CHECK(s.defaults().at("china") == Approx(0.3));

  REQUIRE(s.expectations().size() == 2);
  const Expectation& first = s.expectations()[0];
  CHECK(first.method == "pure");
  CHECK(first.exact_set);
  CHECK(first.at.empty());
  REQUIRE(first.equilibria.size() == 1);
  CHECK(first.equilibria[0].at("russia").at("energy_only") == 1.0);
  CHECK(first.equilibria[0].at("japan").at("insist_four") == 1.0);
  const Expectation& second = s.expectations()[1];
  CHECK(second.at.at("e_deal") == Approx(0.2));
  CHECK(second.at.at("china") == Approx(0.5));
  CHECK(second.equilibria.size() == 2);
  CHECK(second.mark.line == 37);
}

TEST_CASE("DESIGN.md example: payoffs from attributes, weights, terms and rules", "[scenario]") {
  const Scenario s = Scenario::parse(kKurils, "kurils.yaml");
  const NormalFormGame g = s.bind(s.defaults());
  CHECK(g.title() == "Kurils: two islands or four?");
  REQUIRE(g.num_players() == 2);
  CHECK(g.player_name(0) == "japan");
  CHECK(g.player_name(1) == "russia");
  // Japan  = 0.25 islands + 0.8 energy - ac_jp (treaty && islands < 4)
  // Russia = energy - ac_ru islands / 2 + china (energy == 0)
  // (insist_four, hold): nothing changes.            J = 0;                     R = 0.3
  CHECK(payoff(g, 0, {"insist_four", "hold"}) == Approx(0.0));
  CHECK(payoff(g, 1, {"insist_four", "hold"}) == Approx(0.3));
  // (accept, hold): treaty = 1, islands = 0.         J = -0.6;                  R = 0.3
  CHECK(payoff(g, 0, {"accept", "hold"}) == Approx(-0.6));
  CHECK(payoff(g, 1, {"accept", "hold"}) == Approx(0.3));
  // (insist_four, offer_two): islands = 2, then the rule sets islands = 0.   J = 0; R = 0.3
  CHECK(payoff(g, 0, {"insist_four", "offer_two"}) == Approx(0.0));
  CHECK(payoff(g, 1, {"insist_four", "offer_two"}) == Approx(0.3));
  // (accept, offer_two): treaty 1, islands 2.  J = 0.25*2 - 0.6 = -0.1;  R = -0.8*2/2 + 0.3 = -0.5
  CHECK(payoff(g, 0, {"accept", "offer_two"}) == Approx(-0.1));
  CHECK(payoff(g, 1, {"accept", "offer_two"}) == Approx(-0.5));
  // (insist_four, energy_only): energy 0.5.     J = 0.8*0.5 = 0.4;         R = 0.5 + 0 = 0.5
  CHECK(payoff(g, 0, {"insist_four", "energy_only"}) == Approx(0.4));
  CHECK(payoff(g, 1, {"insist_four", "energy_only"}) == Approx(0.5));
  // (accept, energy_only): treaty 1, energy 0.5. J = 0.4 - 0.6 = -0.2;     R = 0.5
  CHECK(payoff(g, 0, {"accept", "energy_only"}) == Approx(-0.2));
  CHECK(payoff(g, 1, {"accept", "energy_only"}) == Approx(0.5));
}

TEST_CASE("parameter overrides change the payoffs", "[scenario]") {
  const Scenario s = Scenario::parse(kKurils, "kurils.yaml");
  const auto values = s.with_overrides({{"e_deal", 0.2}, {"china", 0.5}}, false);
  CHECK(values.at("e_deal") == Approx(0.2));
  CHECK(values.at("ac_jp") == Approx(0.6));
  auto compiled = s.compile();
  const NormalFormGame g = compiled->bind(values);
  // (insist_four, energy_only): J = 0.8*0.2 = 0.16; R = 0.2.  (insist_four, hold): R = china = 0.5
  CHECK(payoff(g, 0, {"insist_four", "energy_only"}) == Approx(0.16));
  CHECK(payoff(g, 1, {"insist_four", "energy_only"}) == Approx(0.2));
  CHECK(payoff(g, 1, {"insist_four", "hold"}) == Approx(0.5));
  // The same compiled scenario rebinds: missing names take their defaults.
  const NormalFormGame d = compiled->bind({{"ac_ru", 2.0}});
  // (accept, offer_two): R = -2 * 2 / 2 + 0.3 = -1.7
  CHECK(payoff(d, 1, {"accept", "offer_two"}) == Approx(-1.7));
  CHECK(payoff(d, 1, {"insist_four", "energy_only"}) == Approx(0.5));
  // Outside the range only with permission.
  CHECK_THROWS_AS(s.with_overrides({{"e_deal", 1.5}}, false), InputError);
  CHECK(s.with_overrides({{"e_deal", 1.5}}, true).at("e_deal") == 1.5);
}

TEST_CASE("compiled scenarios outlive their scenario and bind independently", "[scenario]") {
  std::unique_ptr<CompiledScenario> a;
  {
    const Scenario s = Scenario::parse(kKurils, "kurils.yaml");
    a = s.compile();
  }
  const NormalFormGame g = a->bind({{"e_deal", 0.9}});
  CHECK(payoff(g, 0, {"insist_four", "energy_only"}) == Approx(0.72));
  const Scenario s = Scenario::parse(kKurils, "kurils.yaml");
  std::vector<double> results(4);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      auto compiled = s.compile();
      double last = 0;
      for (int i = 0; i < 50; ++i) {
        last = payoff(compiled->bind({{"e_deal", 0.1 * t}}), 1, {"insist_four", "energy_only"});
      }
      results[static_cast<std::size_t>(t)] = last;
    });
  }
  for (auto& th : threads) th.join();
  // R = energy + china * (energy == 0): at e_deal = 0 the outside option 0.3 counts.
  for (int t = 0; t < 4; ++t) {
    CHECK(results[static_cast<std::size_t>(t)] == Approx(t == 0 ? 0.3 : 0.1 * t));
  }
}

TEST_CASE("matrix form gives payoffs directly", "[scenario]") {
  const Scenario s = Scenario::parse(R"yaml(stratagem: 1
name: Prisoner's dilemma
method: support
parameters:
  T: {value: 5, range: [3, 10]}
actors:
  row: Row
  column:
game:
  type: normal
  moves:
    row: [cooperate, defect]
    column: [cooperate, defect]
  matrix:
    - [[3, 3], [0, T]]
    - [["T", 0], ["1/2 + 1/2", 1]]
)yaml",
                                     "pd.yaml");
  CHECK(s.default_method() == "support");
  CHECK(s.actor_names() == std::vector<std::string>{"Row", "column"});
  const NormalFormGame g = s.bind(s.defaults());
  CHECK(payoff(g, 0, {"cooperate", "cooperate"}) == 3);
  CHECK(payoff(g, 1, {"cooperate", "defect"}) == 5);
  CHECK(payoff(g, 0, {"cooperate", "defect"}) == 0);
  CHECK(payoff(g, 0, {"defect", "cooperate"}) == 5);
  CHECK(payoff(g, 0, {"defect", "defect"}) == 1);
  CHECK(payoff(g, 1, {"defect", "defect"}) == 1);
  const NormalFormGame h = s.bind({{"T", 7}});
  CHECK(payoff(h, 0, {"defect", "cooperate"}) == 7);
  CHECK(payoff(h, 1, {"cooperate", "defect"}) == 7);
}

TEST_CASE("payoffs form: wildcards, later entries override, actor maps", "[scenario]") {
  const Scenario s = Scenario::parse(R"yaml(stratagem: 1
name: three players
parameters:
  T: 5
  R: "T - 2"
actors:
  a:
  b:
  c:
game:
  type: normal
  moves:
    a: [x, y]
    b: [x, y]
    c: [p, q, r]
  payoffs:
    "*, *, *": [0, 0, 0]
    "x x *": [1, 2, 3]
    "y, *, q": {c: 9, a: T, b: R}
    "y,y,q": [-1, -2, "R * 2"]
)yaml",
                                     "p.yaml");
  const NormalFormGame g = s.bind(s.defaults());
  REQUIRE(g.num_players() == 3);
  CHECK(g.num_profiles() == 12);
  CHECK(payoff(g, 0, {"x", "y", "p"}) == 0);
  CHECK(payoff(g, 2, {"x", "x", "r"}) == 3);
  CHECK(payoff(g, 1, {"x", "x", "q"}) == 2);
  CHECK(payoff(g, 0, {"y", "x", "q"}) == 5);
  CHECK(payoff(g, 1, {"y", "x", "q"}) == 3);  // R = T - 2
  CHECK(payoff(g, 2, {"y", "x", "q"}) == 9);
  CHECK(payoff(g, 0, {"y", "y", "q"}) == -1);
  CHECK(payoff(g, 2, {"y", "y", "q"}) == 6);
  // A derived parameter follows an override of the parameter it is computed from.
  const auto values = s.with_overrides({{"T", 10}}, false);
  CHECK(values.at("R") == 8);
  CHECK(payoff(s.bind(values), 1, {"y", "x", "q"}) == 8);
  CHECK(payoff(s.bind({{"T", 10}}), 1, {"y", "x", "q"}) == 8);
  CHECK(payoff(s.bind({{"T", 10}, {"R", 1}}), 1, {"y", "x", "q"}) == 1);
}

TEST_CASE("formulas: && || ?: min max comparisons, sets and adds in order", "[scenario]") {
  const Scenario s = Scenario::parse(R"yaml(stratagem: 1
name: formulas
parameters:
  a: 2
  b: 0
attributes:
  x: 1
  y: {initial: "a * 3"}
actors:
  one:
    weights: {x: 1}
    terms: {t1: "a > 1 && b < 1 ? 10 : 20", t2: "min(a, 3) + max(b, -1)", t3: "(a || b) + (b || b)"}
  two:
    weights: {y: "a / 2"}
game:
  type: normal
  moves:
    one:
      stay: {}
      go: {set: {x: "y + 1"}, add: {x: 2, y: "-x"}}
    two: [wait]
  rules:
    - when: {one: go, two: "*"}
      add: {x: 100}
    - when: {one: [stay, go]}
      set: {y: "y + 0.5"}
)yaml",
                                     "f.yaml");
  const NormalFormGame g = s.bind(s.defaults());
  // stay: x = 1, y = 6 + 0.5.  one = 1 + 10 + (2 + 0) + (1 + 0) = 14;  two = (2/2) * 6.5 = 6.5
  CHECK(payoff(g, 0, {"stay", "wait"}) == Approx(14));
  CHECK(payoff(g, 1, {"stay", "wait"}) == Approx(6.5));
  // go: set x = y + 1 = 7; add x += 2 -> 9, y += -x -> 6 - 9 = -3; rule 1: x = 109;
  // rule 2: y = -2.5.  one = 109 + 13 = 122;  two = 1 * -2.5
  CHECK(payoff(g, 0, {"go", "wait"}) == Approx(122));
  CHECK(payoff(g, 1, {"go", "wait"}) == Approx(-2.5));
  // b = 1: t1 = 20, t2 = 2 + 1 = 3, t3 = 1 + 1 = 2;  stay: one = 1 + 25 = 26
  CHECK(payoff(s.bind({{"b", 1}}), 0, {"stay", "wait"}) == Approx(26));
}

TEST_CASE("distributions are parsed and stored", "[scenario]") {
  const Scenario s = Scenario::parse(R"yaml(stratagem: 1
name: distributions
parameters:
  u: {value: 0.5, range: [0, 1], distribution: {uniform: [0, 1]}}
  n: {value: 1, distribution: {normal: [1, 0.5], truncate: [0, 2]}}
  t: {value: 0.5, distribution: {triangular: [0, 0.5, 1]}}
  b: {value: 3, range: [2, 4], distribution: {beta: [2, 5]}}
  c: {value: 1, distribution: {choice: [1, 2, "u * 6"], weights: [1, 1, 2]}}
  plain: 3
actors:
  only: {terms: {v: "u + n + t + b + c + plain"}}
game:
  type: normal
  moves: {only: [act]}
)yaml",
                                     "d.yaml");
  const auto& ps = s.parameters();
  REQUIRE(ps.size() == 6);
  CHECK(ps[0].distribution->kind == "uniform");
  CHECK(ps[1].distribution->kind == "normal");
  REQUIRE(ps[1].distribution->truncate.has_value());
  CHECK(ps[1].distribution->truncate->second == 2);
  CHECK(ps[2].distribution->args.size() == 3);
  CHECK(ps[3].distribution->kind == "beta");
  CHECK(ps[4].distribution->args == std::vector<double>{1, 2, 3});
  CHECK(ps[4].distribution->weights == std::vector<double>{1, 1, 2});
  CHECK(ps[4].distribution->mark.line == 8);
  CHECK_FALSE(ps[5].distribution.has_value());
  CHECK(s.bind(s.defaults()).payoff(0, 0) == Approx(0.5 + 1 + 0.5 + 3 + 1 + 3));
}

TEST_CASE("expect block: mixed equilibria, includes, count, survivors, tolerance", "[scenario]") {
  const Scenario s = Scenario::parse(R"yaml(stratagem: 1
name: matching pennies
parameters:
  h: {value: 1, range: [0, 5]}
actors: {row: Row, column: Column}
game:
  type: normal
  moves: {row: [heads, tails], column: [heads, tails]}
  matrix:
    - [[h, -1], [-1, 1]]
    - [[-1, 1], [1, -1]]
expect:
  - method: support
    equilibria:
      - {row: {heads: "1/2", tails: 0.5}, column: {heads: 0.5, tails: "1 - 1/2"}}
    count: 1
    tolerance: 1e-8
  - method: support
    at: {h: 3}
    includes: [{row: {heads: "h / 6 + 0", tails: "1 - h/6"}, column: tails}]
  - {method: dominance, survivors: {row: [heads, tails], column: heads}}
)yaml",
                                     "mp.yaml");
  const auto& xs = s.expectations();
  REQUIRE(xs.size() == 3);
  CHECK(xs[0].exact_set);
  CHECK(xs[0].count == 1);
  CHECK(xs[0].tolerance == Approx(1e-8));
  CHECK(xs[0].equilibria[0].at("row").at("heads") == Approx(0.5));
  CHECK(xs[0].equilibria[0].at("column").at("tails") == Approx(0.5));
  CHECK_FALSE(xs[1].exact_set);
  CHECK(xs[1].at.at("h") == 3);
  CHECK(xs[1].equilibria[0].at("row").at("heads") == Approx(0.5));  // h / 6 at h = 3
  CHECK(xs[1].equilibria[0].at("column").at("tails") == 1.0);
  REQUIRE(xs[2].survivors.has_value());
  CHECK(xs[2].survivors->at("row") == std::vector<std::string>{"heads", "tails"});
  CHECK(xs[2].survivors->at("column") == std::vector<std::string>{"heads"});
  CHECK(xs[2].equilibria.empty());
}

TEST_CASE("parse_assignment reads name=value with numbers and formulas", "[scenario]") {
  CHECK(parse_assignment("e_deal=0.4", "--set") == std::pair<std::string, double>{"e_deal", 0.4});
  CHECK(parse_assignment(" T = 10/4 ", "--set").second == Approx(2.5));
  CHECK(parse_assignment("x=-1e-3", "--set").second == Approx(-0.001));
  CHECK(parse_assignment("x=max(1, 2) * 2", "--set").second == Approx(4));
  CHECK_THROWS_AS(parse_assignment("x", "--set"), InputError);
  CHECK_THROWS_AS(parse_assignment("=3", "--set"), InputError);
  CHECK_THROWS_AS(parse_assignment("x=", "--set"), InputError);
  CHECK_THROWS_AS(parse_assignment("x=y+1", "--set"), InputError);
  CHECK_THROWS_AS(parse_assignment("x=1/0", "--set"), InputError);
  CHECK_THROWS_AS(parse_assignment("x=(1", "--set"), InputError);
  try {
    (void)parse_assignment("x=1+", "--grid");
    FAIL("no error");
  } catch (const InputError& e) {
    CHECK(e.mark().file == "--grid");
    CHECK_THAT(std::string(e.what()), Contains("x=1+"));
  }
}

TEST_CASE("Scenario::load reads files and reports missing ones", "[scenario]") {
  try {
    (void)Scenario::load("/nonexistent/scenario.yaml");
    FAIL("no error");
  } catch (const InputError& e) {
    CHECK_THAT(std::string(e.what()), Contains("/nonexistent/scenario.yaml"));
  }
}

TEST_CASE("a scenario written as JSON (a flow mapping) loads", "[scenario]") {
  const Scenario s = Scenario::parse(R"json({"stratagem": 1, "name": "pd # not a comment",
  "actors": {"row": "Row", "column": "Column"},
  "game": {"type": "normal", "moves": {"row": ["c", "d"], "column": ["c", "d"]},
           "matrix": [[[3, 3], [0, 5]], [[5, 0], [1, 1]]]}}
# a trailing comment
)json",
                                     "pd.json");
  CHECK(s.name() == "pd # not a comment");
  CHECK(s.bind(s.defaults()).payoff(1, 2) == 5);  // (c, d): index 0 + 1 * 2
}

TEST_CASE("one-actor games, a leading '---' and a trailing '...' are accepted", "[scenario]") {
  const Scenario s = Scenario::parse(
      "# comment\n---\nstratagem: 1\nname: solo\nactors: {a: }\n"
      "game: {type: normal, moves: {a: [m, n]}, payoffs: {\"*\": [1], \"n\": [\"2 * 3\"]}}\n"
      "...\n# end\n",
      "solo.yaml");
  const NormalFormGame g = s.bind(s.defaults());
  CHECK(g.num_players() == 1);
  CHECK(g.payoff(0, 0) == 1);
  CHECK(g.payoff(0, 1) == 6);
}
