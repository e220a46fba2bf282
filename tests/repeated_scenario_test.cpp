// Repeated-game scenarios: parsing automata from YAML, binding, and errors.
#include <catch2/catch.hpp>

#include "text_edit.hpp"
#include "stratagem/scenario/repeated.hpp"

using namespace stratagem;
using Catch::Matchers::Contains;

using stratagem::testing::replaced;

namespace {

const char* kBase = R"(stratagem: 1
name: "repeated test"
parameters:
  d: {value: 0.8, range: [0, 1]}
  g: 0.25
actors:
  row: Row
  column: Column
game:
  type: repeated
  stage:
    moves: {row: [c, d2], column: [c, d2]}
    matrix: [[[3, 3], [0, 5]], [[5, 0], [1, 1]]]
  discount: d
  strategies:
    grim: {shared: true, builtin: grim, cooperate: {row: c, column: c}}
    gen: {actor: column, builtin: generous_tft, generosity: g, cooperate: {row: c, column: c}}
    mine:
      actor: row
      initial: good
      states:
        good:
          play: {c: 0.75, d2: 0.25}
          next: [{when: {column: d2}, to: bad}]
        bad:
          play: d2
          next: [{when: {column: c}, to: good}]
  profiles:
    g2: grim
    mix: {row: mine, column: gen}
)";

std::string error_of(const std::string& text) {
  try {
    const Scenario s = Scenario::parse(text, "test.yaml");
    (void)bind_repeated(s, s.defaults());
  } catch (const InputError& e) {
    return e.what();
  }
  return "(no error)";
}

}  // namespace

TEST_CASE("repeated scenario: automata are built from YAML", "[repeated][scenario]") {
  const Scenario s = Scenario::parse(kBase, "test.yaml");
  CHECK(s.game_type() == "repeated");
  const RepeatedSetup setup = bind_repeated(s, s.defaults());
  CHECK(setup.game.delta == std::vector<double>{0.8, 0.8});
  REQUIRE(setup.profile_names == std::vector<std::string>{"g2", "mix"});
  const auto& mix = setup.profiles[1];
  CHECK(mix[0].name == "mine");
  CHECK(mix[0].play[0] == std::vector<double>{0.75, 0.25});
  // Transition from good on (c, d2) (profile index 0 + 1*2 = 2) goes to bad; on (d2, c) stays.
  CHECK(mix[0].next[0][2] == 1);
  CHECK(mix[0].next[0][1] == 0);
  CHECK(mix[0].next[1][0] == 0);
  CHECK(mix[1].play[1] == std::vector<double>{0.25, 0.75});  // generous: forgives with g
  // The shared grim profile is SPE at 0.8 (threshold 1/2); the same from --check "grim".
  const ProfileCheck c = check_profile(setup.game.stage, setup.profiles[0], setup.game.delta);
  CHECK(c.subgame_perfect);
  CHECK(resolve_profile(s, setup, "grim").size() == 2);
  CHECK(resolve_profile(s, setup, "mine,gen")[1].name == "gen");
  CHECK_THROWS_WITH(resolve_profile(s, setup, "gen,mine"), Contains("is for actor"));
  CHECK_THROWS_WITH(resolve_profile(s, setup, "grm"), Contains("did you mean"));
  // The stage game binds like any normal-form scenario.
  CHECK(s.bind(s.defaults()).payoff(0, 1) == 5.0);
}

TEST_CASE("repeated scenario: bad input names the line and the fix", "[repeated][scenario]") {
  CHECK(error_of(kBase) == "(no error)");
  CHECK_THAT(error_of(replaced(kBase, "to: bad}]", "to: bda}]")),
             Contains("test.yaml:24:") && Contains("unknown state 'bda'") && Contains("did you mean 'bad'"));
  CHECK_THAT(error_of(replaced(kBase, "play: d2", "play: defect")),
             Contains("test.yaml:26:") && Contains("unknown move 'defect' for actor 'row'"));
  CHECK_THAT(error_of(replaced(kBase, "value: 0.8", "value: 1")),
             Contains("test.yaml:14:") && Contains("not in (0, 1)"));
  CHECK_THAT(error_of(replaced(kBase, "{c: 0.75, d2: 0.25}", "{c: 0.75, d2: 0.5}")),
             Contains("sum to 1.25"));
  CHECK_THAT(error_of(replaced(kBase, "builtin: grim", "builtin: grimm")),
             Contains("test.yaml:16:") && Contains("did you mean 'grim'"));
  CHECK_THAT(error_of(replaced(kBase, "{row: mine, column: gen}", "{row: gen, column: gen}")),
             Contains("written for actor 'column'"));
  CHECK_THAT(error_of(replaced(kBase, "  discount: d\n", "")), Contains("discount"));
  CHECK_THAT(error_of(replaced(kBase, "{actor: column, builtin", "{builtin")), Contains("names no actor"));
}

TEST_CASE("repeated scenario: unreachable states are reported as warnings", "[repeated][scenario]") {
  const std::string text = replaced(kBase, "          next: [{when: {column: c}, to: good}]\n",
                                    "          next: [{when: {column: c}, to: good}]\n        lost:\n          play: c\n");
  const Scenario s = Scenario::parse(text, "test.yaml");
  const RepeatedSetup setup = bind_repeated(s, s.defaults());
  REQUIRE(setup.warnings.size() == 1);
  CHECK_THAT(setup.warnings[0], Contains("state 'lost' of strategy 'mine' can never be reached"));
}
