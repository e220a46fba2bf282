// Every kind of bad scenario input is an InputError naming file:line:column and a fix.

#include <string>

#include <catch2/catch.hpp>

#include "stratagem/scenario/error.hpp"
#include "stratagem/scenario/scenario.hpp"

using namespace stratagem;
using Catch::Matchers::Contains;

namespace {

/// The message of the InputError that parsing `yaml` throws ("(no error)" when none).
std::string error_of(const std::string& yaml) {
  try {
    (void)Scenario::parse(yaml, "test.yaml");
  } catch (const InputError& e) {
    return e.what();
  } catch (const std::exception& e) {
    return std::string("(not an InputError) ") + e.what();
  }
  return "(no error)";
}

/// A valid two-actor scenario; tests append or replace lines. Line numbers are fixed:
///  3 parameters, 4 a, 5 b, 6 attributes, 7 x, 8 actors, 9 row, 10 column, 11 game,
///  12 type, 13 moves, 14 row moves, 15 column moves.
const std::string kHead = R"yaml(stratagem: 1
name: test
parameters:
  a: {value: 1, range: [0, 2]}
  b: 2
attributes:
  x: {initial: 0, range: [0, 4]}
actors:
  row: {weights: {x: 1}}
  column: {weights: {x: -1}, terms: {t: "a * b"}}
game:
  type: normal
  moves:
    row: {up: {set: {x: a}}, down: {category: military}}
    column: [left, right]
)yaml";

}  // namespace

TEST_CASE("the base scenario of the error tests is valid", "[scenario]") {
  CHECK(error_of(kHead) == "(no error)");
  const Scenario s = Scenario::parse(kHead, "test.yaml");
  // (up, left): x = a = 1: row 1, column -1 + a*b = 1.
  CHECK(s.bind(s.defaults()).payoff(0, 0) == 1);
  CHECK(s.bind(s.defaults()).payoff(1, 0) == 1);
}

TEST_CASE("error: malformed YAML", "[scenario]") {
  const std::string e = error_of("stratagem: 1\nname: x\nactors: [a, b\ngame: {}\n");
  CHECK_THAT(e, Contains("test.yaml:4:") && Contains("malformed YAML") && Contains("hint:"));
  CHECK_THAT(error_of(""), Contains("test.yaml:1:1") && Contains("empty"));
  CHECK_THAT(error_of("- a\n- b\n"), Contains("test.yaml:1:1") && Contains("must be a mapping"));
  CHECK_THAT(error_of("stratagem: 1\n---\nname: x\n"), Contains("more than one YAML document"));
  CHECK_THAT(error_of(std::string(5000, '[')), Contains("test.yaml:"));
  CHECK_THAT(error_of("stratagem: 1\nname: a: b\n"), Contains("test.yaml:2:") && Contains("malformed YAML"));
  CHECK_THAT(error_of("\t- x\n"), Contains("test.yaml:"));
  // Inputs on which yaml-cpp 0.7 would allocate without bound are rejected first.
  CHECK_THAT(error_of(", a\n"), Contains("test.yaml:1:1") && Contains("unexpected ','"));
  CHECK_THAT(error_of("# comment\n  !tag\n,\n"), Contains("test.yaml:2:3") && Contains("tags"));
  CHECK_THAT(error_of("stratagem: 1\n...\n,\n"), Contains("test.yaml:2:1") && Contains("document"));
  CHECK_THAT(error_of("- a\n, b\n"), Contains("test.yaml:1:1") && Contains("not a list"));
  CHECK_THAT(error_of("\"x\"\n,\n"), Contains("test.yaml:1:1") && Contains("must be a mapping"));
  CHECK_THAT(error_of("{stratagem: 1, name: \"}\"}\n, x\n"),
             Contains("test.yaml:2:1") && Contains("after the closing '}'"));
  CHECK_THAT(error_of("stratagem: 1\n%YAML 1.2\n,\n"), Contains("test.yaml:2:1"));
  CHECK_THAT(error_of("# only a comment\n"), Contains("test.yaml:1:1") && Contains("empty"));
}

TEST_CASE("error: wrong or missing schema version", "[scenario]") {
  const std::string e = error_of("stratagem: 2\nname: x\n");
  CHECK_THAT(e, Contains("test.yaml:1:12") && Contains("unsupported schema version '2'") &&
                    Contains("write stratagem: 1"));
  CHECK_THAT(error_of("name: x\n"), Contains("test.yaml:1:1") && Contains("stratagem: 1"));
  CHECK_THAT(error_of("stratagem: 1\n"), Contains("missing 'name:'"));
}

TEST_CASE("error: unknown key, with a suggestion", "[scenario]") {
  std::string yaml = kHead;
  yaml.replace(yaml.find("{weights: {x: 1}}"), 9, "{weigths:");
  const std::string e = error_of(yaml);
  CHECK_THAT(e, Contains("test.yaml:9:9") && Contains("unknown key 'weigths'") &&
                    Contains("did you mean 'weights'") && Contains("allowed keys"));
  CHECK_THAT(error_of(kHead + "expext: []\n"),
             Contains("test.yaml:16:1") && Contains("did you mean 'expect'"));
}

TEST_CASE("error: unknown actor", "[scenario]") {
  const std::string e = error_of(kHead + "  rules:\n    - {when: {rwo: up}, set: {x: 2}}\n");
  CHECK_THAT(e, Contains("test.yaml:17:15") && Contains("unknown actor 'rwo'") &&
                    Contains("did you mean 'row'"));
  CHECK_THAT(error_of(kHead + "expect:\n  - {method: pure, equilibria: [{row: up, colum: left}]}\n"),
             Contains("test.yaml:17:") && Contains("unknown actor 'colum'") &&
                 Contains("did you mean 'column'"));
}

TEST_CASE("error: an actor without moves", "[scenario]") {
  std::string yaml = kHead;
  yaml.erase(yaml.find("    column: [left, right]\n"));
  CHECK_THAT(error_of(yaml), Contains("test.yaml:13:3") && Contains("actor 'column' has no entry") &&
                                 Contains("add column: ["));
  yaml += "    columm: [left]\n";
  CHECK_THAT(error_of(yaml), Contains("test.yaml:15:5") && Contains("did you mean 'column'"));
}

TEST_CASE("error: unknown move in rules and in expect", "[scenario]") {
  const std::string rules = error_of(kHead + "  rules:\n    - when: {row: upp, column: [left, rihgt]}\n      set: {x: 2}\n");
  CHECK_THAT(rules, Contains("test.yaml:17:19") && Contains("unknown move 'upp' for actor 'row'") &&
                        Contains("did you mean 'up'"));
  const std::string listed = error_of(kHead + "  rules:\n    - when: {row: up, column: [left, rihgt]}\n      set: {x: 2}\n");
  CHECK_THAT(listed, Contains("test.yaml:17:38") && Contains("did you mean 'right'"));
  const std::string expect = error_of(kHead + "expect:\n  - method: pure\n    equilibria:\n      - {row: dwn, column: left}\n");
  CHECK_THAT(expect, Contains("test.yaml:19:15") && Contains("unknown move 'dwn'") &&
                         Contains("did you mean 'down'"));
  const std::string mixed = error_of(kHead + "expect:\n  - method: pure\n    includes:\n      - {row: {up: 0.5, dow: 0.5}, column: left}\n");
  CHECK_THAT(mixed, Contains("test.yaml:19:") && Contains("did you mean 'down'"));
  const std::string payoffs = error_of(R"yaml(stratagem: 1
name: p
actors: {a: A, b: B}
game:
  type: normal
  moves: {a: [x, y], b: [x, y]}
  payoffs:
    "*, *": [0, 0]
    "x, z": [1, 1]
)yaml");
  CHECK_THAT(payoffs, Contains("test.yaml:9:9") && Contains("unknown move 'z' for actor 'b'"));
}

TEST_CASE("error: unknown attribute", "[scenario]") {
  std::string yaml = kHead;
  yaml.replace(yaml.find("{set: {x: a}}"), 13, "{set: {xx: a}}");
  CHECK_THAT(error_of(yaml), Contains("test.yaml:14:22") && Contains("unknown attribute 'xx'") &&
                                 Contains("did you mean 'x'"));
  std::string weights = kHead;
  weights.replace(weights.find("{weights: {x: 1}}"), 17, "{weights: {y: 1}}");
  CHECK_THAT(error_of(weights), Contains("test.yaml:9:19") && Contains("unknown attribute 'y'"));
}

TEST_CASE("error: unknown parameter in a formula, with a suggestion", "[scenario]") {
  std::string yaml = kHead;
  yaml.replace(yaml.find("\"a * b\""), 7, "\"a * bb\"");
  const std::string e = error_of(yaml);
  // The formula starts at column 42 (after the quote); 'bb' is 4 characters in.
  CHECK_THAT(e, Contains("test.yaml:10:46") && Contains("unknown name 'bb'") &&
                    Contains("did you mean 'b'") && Contains("hint:"));
  std::string plain = kHead;
  plain.replace(plain.find("{set: {x: a}}"), 13, "{set: {x: aa}}");
  CHECK_THAT(error_of(plain), Contains("test.yaml:14:25") && Contains("unknown name 'aa'") &&
                                  Contains("did you mean 'a'"));
  CHECK_THAT(error_of(kHead + "  rules:\n    - {set: {x: \"foo(a)\"}}\n"),
             Contains("test.yaml:17:18") && Contains("unknown function 'foo'"));
}

TEST_CASE("error: parameter formulas may only use earlier parameters", "[scenario]") {
  std::string yaml = kHead;
  yaml.replace(yaml.find("  b: 2"), 6, "  b: \"c + 1\"\n  c: 1");
  CHECK_THAT(error_of(yaml), Contains("test.yaml:5:7") && Contains("'c' cannot be used") &&
                                 Contains("declared above"));
}

TEST_CASE("error: formula syntax errors", "[scenario]") {
  std::string yaml = kHead;
  yaml.replace(yaml.find("\"a * b\""), 7, "\"a * (b\"");
  CHECK_THAT(error_of(yaml), Contains("test.yaml:10:") && Contains("syntax error in formula 'a * (b'"));
  std::string assign = kHead;
  assign.replace(assign.find("\"a * b\""), 7, "\"a = b\"");
  CHECK_THAT(error_of(assign), Contains("test.yaml:10:44") && Contains("assignment") &&
                                   Contains("'=='"));
  std::string ternary = kHead;
  ternary.replace(ternary.find("\"a * b\""), 7, "\"a ? b\"");
  CHECK_THAT(error_of(ternary), Contains("test.yaml:10:") && Contains("syntax error"));
  std::string nonscalar = kHead;
  nonscalar.replace(nonscalar.find("\"a * b\""), 7, "[1, 2]");
  CHECK_THAT(error_of(nonscalar), Contains("test.yaml:10:41") && Contains("must be a number or a formula"));
}

TEST_CASE("error: division by zero or NaN when binding", "[scenario]") {
  std::string yaml = kHead;
  yaml.replace(yaml.find("\"a * b\""), 7, "\"b / x\"");
  const std::string e = error_of(yaml);
  // (up, *) gives x = 1; (down, *) leaves x = 0.
  CHECK_THAT(e, Contains("test.yaml:10:42") && Contains("'b / x' evaluates to infinity") &&
                    Contains("(down, left)") && Contains("x=0"));
  std::string nan = kHead;
  nan.replace(nan.find("\"a * b\""), 7, "\"sqrt(a - 2)\"");
  CHECK_THAT(error_of(nan), Contains("test.yaml:10:") && Contains("evaluates to NaN"));
  // Valid at the defaults, failing at an override: bind reports it.
  std::string later = kHead;
  later.replace(later.find("\"a * b\""), 7, "\"1 / a\"");
  const Scenario s = Scenario::parse(later, "test.yaml");
  try {
    (void)s.bind({{"a", 0}});
    FAIL("no error");
  } catch (const InputError& err) {
    CHECK_THAT(std::string(err.what()), Contains("test.yaml:10:42") && Contains("a=0"));
  }
}

TEST_CASE("error: a profile without a payoff", "[scenario]") {
  const std::string e = error_of(R"yaml(stratagem: 1
name: p
actors: {row: Row, column: Column}
game:
  type: normal
  moves: {row: [cooperate, defect], column: [cooperate, defect]}
  payoffs:
    "cooperate cooperate": [3, 3]
    "defect, *": [1, 1]
)yaml");
  CHECK_THAT(e, Contains("test.yaml:7:3") && Contains("no payoff for profile (cooperate, defect)") &&
                    Contains("add an entry \"cooperate, defect\": [..., ...] or a \"*\" default"));
}

TEST_CASE("error: wrong number of payoffs", "[scenario]") {
  const std::string head = R"yaml(stratagem: 1
name: p
actors: {row: Row, column: Column}
game:
  type: normal
  moves: {row: [c, d], column: [c, d]}
)yaml";
  CHECK_THAT(error_of(head + "  payoffs:\n    \"*, *\": [1, 2, 3]\n"),
             Contains("test.yaml:8:13") && Contains("has 3 payoffs but there are 2 actors"));
  CHECK_THAT(error_of(head + "  matrix:\n    - [[1, 1], [0, 5]]\n    - [[5, 0], [1]]\n"),
             Contains("test.yaml:9:16") && Contains("has 1 payoffs"));
  CHECK_THAT(error_of(head + "  matrix:\n    - [[1, 1], [0, 5]]\n"),
             Contains("test.yaml:8:5") && Contains("matrix has 1 rows but 'row' has 2 moves"));
  CHECK_THAT(error_of(head + "  matrix:\n    - [[1, 1], [0, 5], [2, 2]]\n    - [[5, 0], [1, 1]]\n"),
             Contains("test.yaml:8:7") && Contains("has 3 cells"));
  CHECK_THAT(error_of(head + "  payoffs:\n    \"*, *\": {row: 1}\n"),
             Contains("test.yaml:8:13") && Contains("no payoff for actor 'column'"));
  CHECK_THAT(error_of(head + "  payoffs:\n    \"*\": [1, 1]\n"),
             Contains("test.yaml:8:5") && Contains("names 1 moves but there are 2 actors"));
  CHECK_THAT(error_of(head), Contains("test.yaml:4:1") && Contains("no payoffs"));
  CHECK_THAT(error_of(head + "  matrix: [[[1, 1], [0, 5]], [[5, 0], [1, 1]]]\n  payoffs: {\"*, *\": [0, 0]}\n"),
             Contains("test.yaml:8:3") && Contains("both matrix: and payoffs:"));
  CHECK_THAT(error_of(kHead + "  matrix: [[[1, 1], [0, 5]], [[5, 0], [1, 1]]]\n"),
             Contains("test.yaml:16:3") && Contains("also have weights"));
}

TEST_CASE("error: duplicate names", "[scenario]") {
  std::string actor = kHead;
  actor.replace(actor.find("  column: {weights"), 9, "  row:");
  CHECK_THAT(error_of(actor), Contains("test.yaml:10:3") && Contains("duplicate key 'row'") &&
                                  Contains("line 9"));
  std::string move = kHead;
  move.replace(move.find("[left, right]"), 13, "[left, right, left]");
  CHECK_THAT(error_of(move), Contains("test.yaml:15:27") && Contains("duplicate move 'left'"));
  std::string move_map = kHead;
  move_map.replace(move_map.find("down: {category"), 4, "up");
  CHECK_THAT(error_of(move_map), Contains("test.yaml:14:30") && Contains("duplicate key 'up'") &&
                                     Contains("line 14"));
  std::string param = kHead;
  param.replace(param.find("  b: 2"), 6, "  a: 2");
  CHECK_THAT(error_of(param), Contains("test.yaml:5:3") && Contains("duplicate key 'a'") &&
                                  Contains("line 4"));
  std::string shared = kHead;
  shared.replace(shared.find("  x: {initial"), 3, "  b");
  CHECK_THAT(error_of(shared), Contains("test.yaml:7:3") && Contains("same name as a parameter"));
  std::string builtin = kHead;
  builtin.replace(builtin.find("  b: 2"), 6, "  min: 2");
  CHECK_THAT(error_of(builtin), Contains("test.yaml:5:3") && Contains("built-in"));
  std::string bad = kHead;
  bad.replace(bad.find("  b: 2"), 6, "  2b: 2");
  CHECK_THAT(error_of(bad), Contains("test.yaml:5:3") && Contains("not a valid name"));
}

TEST_CASE("error: range with lo > hi, value outside its range", "[scenario]") {
  std::string range = kHead;
  range.replace(range.find("range: [0, 2]"), 13, "range: [2, 0]");
  CHECK_THAT(error_of(range), Contains("test.yaml:4:24") && Contains("is empty") &&
                                  Contains("write range: [0, 2]"));
  std::string outside = kHead;
  outside.replace(outside.find("value: 1, range"), 8, "value: 3");
  CHECK_THAT(error_of(outside), Contains("test.yaml:4:14") && Contains("a' = 3 is outside its range [0, 2]"));
  std::string attr = kHead;
  attr.replace(attr.find("range: [0, 4]"), 13, "range: [4, 0]");
  CHECK_THAT(error_of(attr), Contains("test.yaml:7:") && Contains("lower bound is above"));
}

TEST_CASE("error: an attribute leaving its range", "[scenario]") {
  const std::string e = error_of(kHead + "  rules:\n    - when: {row: up, column: right}\n      add: {x: 5}\n");
  CHECK_THAT(e, Contains("test.yaml:18:13") && Contains("attribute 'x' becomes 6 at profile (up, right)") &&
                    Contains("outside its range [0, 4]") && Contains("widen its range"));
  std::string set = kHead;
  set.replace(set.find("{set: {x: a}}"), 13, "{set: {x: -a}}");
  CHECK_THAT(error_of(set), Contains("test.yaml:14:22") && Contains("becomes -1"));
}

TEST_CASE("error: --set unknown parameter or out of range", "[scenario]") {
  const Scenario s = Scenario::parse(kHead, "test.yaml");
  try {
    (void)s.with_overrides({{"aa", 1}}, false);
    FAIL("no error");
  } catch (const InputError& e) {
    CHECK(e.mark().file == "--set");
    CHECK_THAT(std::string(e.what()), Contains("unknown parameter 'aa'") && Contains("did you mean 'a'"));
  }
  try {
    (void)s.with_overrides({{"a", 2.5}}, false);
    FAIL("no error");
  } catch (const InputError& e) {
    CHECK_THAT(std::string(e.what()), Contains("--set") && Contains("outside its range [0, 2]") &&
                                         Contains("use --allow-outside-range or a value in [0, 2]"));
  }
  CHECK(s.with_overrides({{"a", 2.5}}, true).at("a") == 2.5);
  CHECK_THROWS_AS(s.bind({{"zz", 1}}), InputError);
  CHECK_THAT(error_of(kHead + "expect:\n  - {method: pure, at: {a: 5}, count: 1}\n"),
             Contains("test.yaml:17:28") && Contains("outside the parameter's range"));
  CHECK_THAT(error_of(kHead + "expect:\n  - {method: pure, at: {c: 1}, count: 1}\n"),
             Contains("test.yaml:17:25") && Contains("unknown parameter 'c'"));
}

TEST_CASE("error: invalid distributions", "[scenario]") {
  const auto with = [](const std::string& dist) {
    std::string yaml = kHead;
    yaml.replace(yaml.find("range: [0, 2]}"), 14, "range: [0, 2], distribution: " + dist + "}");
    return error_of(yaml);
  };
  CHECK(with("{uniform: [0, 1]}") == "(no error)");
  CHECK_THAT(with("{uniform: [1, 0]}"), Contains("test.yaml:4:56") && Contains("lo < hi"));
  CHECK_THAT(with("{normal: [0, -1]}"), Contains("test.yaml:4:55") && Contains("sd > 0"));
  CHECK_THAT(with("{normal: [0, 1], truncate: [2, 1]}"), Contains("test.yaml:4:") && Contains("truncate"));
  CHECK_THAT(with("{triangular: [0, 2, 1]}"), Contains("lo <= mode <= hi"));
  CHECK_THAT(with("{beta: [0, 1]}"), Contains("a > 0 and b > 0"));
  CHECK_THAT(with("{choice: [1, 2], weights: [1]}"), Contains("weights must be 2"));
  CHECK_THAT(with("{choice: [1, 2], weights: [0, 0]}"), Contains("positive sum"));
  CHECK_THAT(with("{triangulr: [0, 1, 2]}"), Contains("test.yaml:4:47") && Contains("did you mean 'triangular'"));
  CHECK_THAT(with("{uniform: [0, 1], normal: [0, 1]}"), Contains("two kinds"));
  CHECK_THAT(with("{uniform: [0, 1, 2]}"), Contains("takes 2 numbers, 3 given"));
  std::string beta = kHead;
  beta.replace(beta.find("  b: 2"), 6, "  b: {value: 2, distribution: {beta: [2, 2]}}");
  CHECK_THAT(error_of(beta), Contains("test.yaml:5:") && Contains("no range"));
}

TEST_CASE("error: misplaced tree and repeated keys, unknown types, bad categories", "[scenario]") {
  std::string tree = kHead;
  tree.replace(tree.find("type: normal"), 12, "type: tree");
  CHECK_THAT(error_of(tree), Contains("test.yaml:13:3") && Contains("in a tree game, moves: belongs to the nodes of tree:"));
  std::string repeated = kHead;
  repeated.replace(repeated.find("type: normal"), 12, "type: repeated");
  CHECK_THAT(error_of(repeated), Contains("test.yaml:13:3") && Contains("belongs to the stage game"));
  std::string typo = kHead;
  typo.replace(typo.find("type: normal"), 12, "type: normall");
  CHECK_THAT(error_of(typo), Contains("did you mean 'normal'"));
  std::string category = kHead;
  category.replace(category.find("category: military"), 18, "category: militray");
  CHECK_THAT(error_of(category), Contains("test.yaml:14:47") && Contains("did you mean 'military'"));
}

TEST_CASE("error: bad expect blocks", "[scenario]") {
  CHECK_THAT(error_of(kHead + "expect:\n  - {method: pure}\n"),
             Contains("test.yaml:17:5") && Contains("asserts nothing"));
  CHECK_THAT(error_of(kHead + "expect:\n  - {count: 1}\n"), Contains("missing 'method:'"));
  CHECK_THAT(error_of(kHead + "expect:\n  - {method: pure, equilibria: [{row: up}]}\n"),
             Contains("test.yaml:17:33") && Contains("no move for actor 'column'"));
  CHECK_THAT(error_of(kHead + "expect:\n  - {method: pure, equilibria: [{row: {up: 0.5, down: 0.4}, column: left}]}\n"),
             Contains("test.yaml:17:39") && Contains("sum to 0.9, not 1"));
  CHECK_THAT(error_of(kHead + "expect:\n  - {method: pure, count: -1}\n"), Contains("whole number"));
  CHECK_THAT(error_of(kHead + "expect:\n  - {method: dominance, survivors: {row: [sideways]}}\n"),
             Contains("test.yaml:17:43") && Contains("unknown move 'sideways'"));
}

TEST_CASE("error: game too large", "[scenario]") {
  std::string yaml = R"yaml(stratagem: 1
name: big
actors: {a: A, b: B, c: C, d: D}
game:
  type: normal
  moves:
)yaml";
  std::string many = "[";
  for (int i = 0; i < 200; ++i) many += (i ? ", m" : "m") + std::to_string(i);
  many += "]";
  for (const char* actor : {"a", "b", "c", "d"}) yaml += std::string("    ") + actor + ": " + many + "\n";
  yaml += "  payoffs: {\"* * * *\": [0, 0, 0, 0]}\n";
  CHECK_THAT(error_of(yaml), Contains("test.yaml:6:3") && Contains("too large"));
}

TEST_CASE("garbage input never crashes", "[scenario]") {
  const char* inputs[] = {
      "stratagem: 1\nname: x\nactors: 5\ngame: {type: normal, moves: {}}\n",
      "stratagem: 1\nname: [1]\n",
      "stratagem: 1\nname: x\nactors: {a: [1]}\n",
      "stratagem: 1\nname: x\nactors: {a: }\ngame: {type: normal, moves: {a: {}}}\n",
      "stratagem: 1\nname: x\nactors: {a: }\ngame: {type: normal, moves: {a: [[1]]}}\n",
      "stratagem: 1\nname: x\nactors: {a: }\ngame: {type: normal, moves: {a: [x]}, rules: 3}\n",
      "stratagem: 1\nname: x\nactors: {a: }\ngame: {type: normal, moves: {a: [x]}, payoffs: {\"x\": [\"\"]}}\n",
      "stratagem: 1\nname: x\nactors: {a: }\ngame: {type: normal, moves: {a: [x]}, payoffs: {\"x\": [\"1,2\"]}}\n",
      "stratagem: 1\nname: x\nactors: {a: }\ngame: {type: normal, moves: {a: [\"*\"]}, payoffs: {\"*\": [1]}}\n",
      "stratagem: 1\nname: x\nparameters: {p: .inf}\n",
      "stratagem: 1\nname: x\nparameters: {p: nan}\n",
      "stratagem: 1\nname: x\nparameters: {p: \"1e999\"}\n",
      "stratagem: 1\nname: x\nparameters: {? [a] : 1}\n",
      "stratagem: 1\nname: x\nparameters: {p: {value: 1, range: 5}}\n",
      "stratagem: 1\nname: x\nparameters: &a {p: *a}\n",
      "stratagem: 1\nname: x\nexpect: {a: 1}\n",
      "{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{",
      "\xff\xfe\x00\x01garbage",
  };
  for (const char* input : inputs) {
    INFO(input);
    const std::string e = error_of(input);
    CHECK_THAT(e, Contains("test.yaml"));
    CHECK_THAT(e, !Contains("not an InputError"));
  }
}
