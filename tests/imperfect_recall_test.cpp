// What subgame-perfect does without perfect recall: absent-minded trees are refused; otherwise
// only behaviour profiles verified as subgame-perfect equilibria are reported (docs/limits.md).
#include <catch2/catch.hpp>
#include <string>

#include "files.hpp"
#include "process.hpp"
#include "stratagem/io/efg.hpp"
#include "stratagem/solve/subgame_perfect.hpp"

using namespace stratagem;

namespace {

/// `text` written to a scratch .efg file; its path.
std::string efg_file(const std::string& name, const char* text) {
  return testing::write_temp_file("recall_test", name, text);
}

SolveContext& ctx() {
  static SolveContext context;
  return context;
}

// The absent-minded driver (Piccione and Rubinstein 1997): at either exit the driver cannot tell
// the first from the second; exit at the first pays 0, at the second 4, going on pays 1.
const char* kDriver = R"(EFG 2 R "Absent-minded driver" { "Driver" }
""
p "" 1 1 "junction" { "exit" "continue" } 0
t "" 1 "first exit" { 0 }
p "" 1 1 "junction" { "exit" "continue" } 0
t "" 2 "second exit" { 4 }
t "" 3 "home" { 1 }
)";

// Player 1 forgets its own first move (imperfect recall, not absent-minded) and gains only when
// its two moves agree (L then l, or R then r) and player 2 did not guess the first one. In mixed
// strategies of the reduced form player 1 plays Ll and Rr with 1/2 each (value 1/2); no behaviour
// strategy correlates the two moves, so that equilibrium has no behaviour equivalent, and no
// behaviour profile is an equilibrium at all.
const char* kForgetful = R"(EFG 2 R "Forgetful coordination" { "P1" "P2" }
""
p "" 1 1 "first" { "L" "R" } 0
p "" 2 1 "guess" { "gL" "gR" } 0
p "" 1 2 "second" { "l" "r" } 0
t "" 1 "" { 0, 0 }
t "" 2 "" { 0, 0 }
p "" 1 2 "second" { "l" "r" } 0
t "" 3 "" { 1, -1 }
t "" 4 "" { 0, 0 }
p "" 2 1 "guess" { "gL" "gR" } 0
p "" 1 2 "second" { "l" "r" } 0
t "" 5 "" { 0, 0 }
t "" 6 "" { 1, -1 }
p "" 1 2 "second" { "l" "r" } 0
t "" 7 "" { 0, 0 }
t "" 8 "" { 0, 0 }
)";

// Imperfect recall that does no harm: player 1 forgets its first move, but only the second one
// matters to the payoffs.
const char* kHarmless = R"(EFG 2 R "Harmless forgetting" { "P1" "P2" }
""
p "" 1 1 "first" { "L" "R" } 0
p "" 1 2 "second" { "l" "r" } 0
p "" 2 1 "reply" { "a" "b" } 0
t "" 1 "" { 2, 1 }
t "" 2 "" { 0, 0 }
p "" 2 1 "reply" { "a" "b" } 0
t "" 3 "" { 1, 0 }
t "" 4 "" { 0, 2 }
p "" 1 2 "second" { "l" "r" } 0
p "" 2 1 "reply" { "a" "b" } 0
t "" 5 "" { 2, 1 }
t "" 6 "" { 0, 0 }
p "" 2 1 "reply" { "a" "b" } 0
t "" 7 "" { 1, 0 }
t "" 8 "" { 0, 2 }
)";

}  // namespace

TEST_CASE("recall defects are found: absent-mindedness and forgotten own moves",
          "[tree][spe][recall]") {
  const auto driver = parse_efg(kDriver, "driver.efg");
  const auto d = first_recall_defect(driver);
  REQUIRE(d.has_value());
  CHECK(d->absent_minded);
  const auto forgetful = parse_efg(kForgetful, "forgetful.efg");
  const auto f = first_recall_defect(forgetful);
  REQUIRE(f.has_value());
  CHECK_FALSE(f->absent_minded);
  CHECK(forgetful.infoset_name(f->infoset) == "second");
  const auto harmless = parse_efg(kHarmless, "harmless.efg");
  CHECK(first_recall_defect(harmless).has_value());
}

TEST_CASE("subgame-perfect refuses absent-minded trees, from the library and the CLI",
          "[tree][spe][recall]") {
  const auto driver = parse_efg(kDriver, "driver.efg");
  const auto r = solve_subgame_perfect(driver, {}, ctx());
  CHECK(r.status == SolveStatus::kFailed);
  CHECK(r.equilibria.empty());
  CHECK_THAT(r.message, Catch::Contains("absent-mindedness"));
  const auto cli = testing::run_stratagem("solve " + efg_file("driver.efg", kDriver) +
                                          " --method subgame-perfect");
  CHECK(cli.code != 0);
  CHECK_THAT(cli.out, Catch::Contains("absent-mindedness"));
  CHECK_THAT(cli.out, Catch::Contains("reduced normal form"));
}

TEST_CASE("subgame-perfect without perfect recall reports only verified behaviour profiles",
          "[tree][spe][recall]") {
  // No behaviour equilibrium: the mixed one is found, fails verification, and nothing is
  // reported, with the reason.
  const auto forgetful = parse_efg(kForgetful, "forgetful.efg");
  const auto f = solve_subgame_perfect(forgetful, {}, ctx());
  CHECK(f.status == SolveStatus::kFailed);
  CHECK(f.equilibria.empty());
  CHECK(f.dropped_imperfect_recall >= 1);
  CHECK_THAT(f.message, Catch::Contains("no equivalent in behaviour strategies"));

  // Harmless forgetting: the equilibria are kept, verified, with the note.
  const auto harmless = parse_efg(kHarmless, "harmless.efg");
  const auto h = solve_subgame_perfect(harmless, {}, ctx());
  CHECK(h.status == SolveStatus::kOk);
  REQUIRE_FALSE(h.equilibria.empty());
  CHECK(h.dropped_imperfect_recall == 0);
  for (const auto& eq : h.equilibria) {
    CHECK(eq.max_gain <= 1e-9);
    const auto actual = behaviour_payoffs(harmless, eq.behaviour);
    for (std::size_t p = 0; p < actual.size(); ++p) CHECK(actual[p] == Approx(eq.payoffs[p]));
  }
  const auto cli = testing::run_stratagem("solve " + efg_file("harmless.efg", kHarmless) +
                                          " --method subgame-perfect");
  CHECK(cli.code == 0);
  CHECK_THAT(cli.out, Catch::Contains("imperfect recall"));
  const auto failed = testing::run_stratagem("solve " + efg_file("forgetful.efg", kForgetful) +
                                             " --method subgame-perfect");
  CHECK(failed.code == 3);
  CHECK_THAT(failed.out, Catch::Contains("no equivalent in behaviour strategies"));
}
