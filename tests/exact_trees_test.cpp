// Exact from exact data, for game trees: fractions and decimals in .efg files stay exact through
// the reduced normal form, so ties stay ties, --exact answers are the game's own fractions, and
// payoffs far apart in magnitude (1e19 beside 1) are still solved right. Each game here is small
// and written for the test; each reproduces a failure seen on a published example file.
#include <catch2/catch.hpp>

#include <string>

#include "stratagem/game/rational.hpp"
#include "stratagem/game/tree.hpp"
#include "stratagem/io/efg.hpp"
#include "stratagem/io/nfg.hpp"
#include "stratagem/solve/exact.hpp"
#include "stratagem/solve/solver.hpp"

using namespace stratagem;

namespace {

/// Probabilities of an equilibrium as rationals, from its exact strings.
std::vector<std::vector<mpq_class>> exact_of(const Equilibrium& eq) {
  REQUIRE(eq.exact.has_value());
  std::vector<std::vector<mpq_class>> out;
  for (const auto& side : *eq.exact) {
    std::vector<mpq_class> row;
    for (const auto& text : side) row.push_back(*parse_rational(text));
    out.push_back(std::move(row));
  }
  return out;
}

}  // namespace

TEST_CASE("exact trees: ties over chance stay ties in the reduced normal form", "[tree][exact]") {
  // Player 1 either gambles (chance: 3 with probability 1/10, else 0; expected 3/10) or takes
  // 0.3 for sure. In doubles 0.1 * 3 is 0.30000000000000004, a spurious gain of 5.6e-17 over
  // 0.3; exactly, the two are equal and both are pure equilibria.
  const GameTree tree = parse_efg(
      "EFG 2 R \"ties\" { \"P1\" \"P2\" }\n"
      "p \"\" 1 1 \"\" { \"gamble\" \"sure\" } 0\n"
      "c \"\" 1 \"\" { \"win\" 1/10 \"lose\" 9/10 } 0\n"
      "t \"\" 1 \"\" { 3, 0 }\n"
      "t \"\" 2 \"\" { 0, 0 }\n"
      "t \"\" 3 \"\" { 0.3, 0 }\n",
      "ties.efg");
  const NormalFormGame game = reduced_normal_form(tree);
  REQUIRE(game.num_actions(0) == 2);
  CHECK(game.exact_payoff(0, game.index(std::vector<int>{0, 0})) == mpq_class(3, 10));
  CHECK(game.exact_payoff(0, game.index(std::vector<int>{1, 0})) == mpq_class(3, 10));
  SolveContext context;
  const SolveResult pure = builtin_solvers().find("pure")->solve(game, {}, context);
  CHECK(pure.equilibria.size() == 2);
  // Written back, the data stay exact.
  const GameTree again = parse_efg(write_efg(tree), "again.efg");
  CHECK(again.exact_probability(1, 0) == mpq_class(1, 10));
}

TEST_CASE("exact trees: --exact gives the game's own fractions", "[tree][exact]") {
  // A chance move of 1/3 and a mixed equilibrium with thirds: the exact answer must be 1/3, not
  // the binary fraction nearest to the double 0.333... .
  const GameTree tree = parse_efg(
      "EFG 2 R \"thirds\" { \"P1\" \"P2\" }\n"
      "c \"\" 1 \"\" { \"a\" 1/3 \"b\" 2/3 } 0\n"
      "p \"\" 1 1 \"\" { \"U\" \"D\" } 0\n"
      "p \"\" 2 1 \"\" { \"L\" \"R\" } 0\n"
      "t \"\" 1 \"\" { 1, 0 }\n"
      "t \"\" 2 \"\" { 0, 1 }\n"
      "p \"\" 2 1 \"\" { \"L\" \"R\" } 0\n"
      "t \"\" 3 \"\" { 0, 1 }\n"
      "t \"\" 4 \"\" { 1, 0 }\n"
      "p \"\" 1 2 \"\" { \"U\" \"D\" } 0\n"
      "p \"\" 2 1 \"\" { \"L\" \"R\" } 0\n"
      "t \"\" 5 \"\" { 0, 1 }\n"
      "t \"\" 6 \"\" { 1, 0 }\n"
      "p \"\" 2 1 \"\" { \"L\" \"R\" } 0\n"
      "t \"\" 7 \"\" { 1, 0 }\n"
      "t \"\" 8 \"\" { 0, 1 }\n",
      "thirds.efg");
  const NormalFormGame game = reduced_normal_form(tree);
  for (const std::string method : {"enumerate", "support", "lemke-howson"}) {
    SolveOptions options;
    options.exact = true;
    SolveContext context;
    const SolveResult result = builtin_solvers().find(method)->solve(game, options, context);
    INFO(method << ": " << result.message);
    REQUIRE(result.status == SolveStatus::kOk);
    REQUIRE_FALSE(result.equilibria.empty());
    for (const auto& eq : result.equilibria) {
      const auto exact = exact_of(eq);
      CHECK_FALSE(exact_violation(game, exact));
      for (const auto& side : exact) {
        for (const auto& q : side) CHECK(q.get_den() <= 100);  // thirds and such, not 2^54
      }
    }
  }
}

TEST_CASE("exact trees: payoffs of 1e19 beside 1 are solved by every method", "[tree][exact]") {
  // Zero-sum; expected payoffs over the 1/2 chance move ((1e19 - 1) / 2) do not fit a double.
  const GameTree tree = parse_efg(
      "EFG 2 R \"huge\" { \"P1\" \"P2\" }\n"
      "c \"\" 1 \"\" { \"x\" 1/2 \"y\" 1/2 } 0\n"
      "p \"\" 1 1 \"\" { \"A\" \"B\" } 0\n"
      "p \"\" 2 1 \"\" { \"X\" \"Y\" } 0\n"
      "t \"\" 1 \"\" { 10000000000000000000, -10000000000000000000 }\n"
      "t \"\" 2 \"\" { 1, -1 }\n"
      "p \"\" 2 2 \"\" { \"X\" \"Y\" } 0\n"
      "t \"\" 3 \"\" { -1, 1 }\n"
      "t \"\" 4 \"\" { 0, 0 }\n"
      "p \"\" 1 2 \"\" { \"A\" \"B\" } 0\n"
      "p \"\" 2 1 \"\" { \"X\" \"Y\" } 0\n"
      "t \"\" 3 \"\" { -1, 1 }\n"
      "t \"\" 2 \"\" { 1, -1 }\n"
      "p \"\" 2 2 \"\" { \"X\" \"Y\" } 0\n"
      "t \"\" 4 \"\" { 0, 0 }\n"
      "t \"\" 1 \"\" { 10000000000000000000, -10000000000000000000 }\n",
      "huge.efg");
  const NormalFormGame game = reduced_normal_form(tree);
  const mpq_class big("10000000000000000000");
  // (A, A) against (X, X): 1e19 after x, -1 after y.
  CHECK(game.exact_payoff(0, game.index(std::vector<int>{0, 0})) == (big - 1) / 2);
  for (const std::string method : {"enumerate", "support", "lemke-howson", "zero-sum"}) {
    SolveContext context;
    const SolveResult result = builtin_solvers().find(method)->solve(game, {}, context);
    INFO(method << ": " << result.message);
    REQUIRE(result.status == SolveStatus::kOk);
    REQUIRE_FALSE(result.equilibria.empty());
    for (const auto& eq : result.equilibria) {
      const ExactEquilibrium exact = recover_exact(game, eq.profile);
      const bool verified = exact.status == ExactStatus::kVerified ||
                            (eq.exact && !exact_violation(game, exact_of(eq)));
      CHECK(verified);
    }
  }
  SolveContext context;
  const TreeSolveResult lcp = builtin_solvers().find("sequence-lcp")->solve_tree(tree, {}, context);
  INFO(lcp.message);
  REQUIRE(lcp.status == SolveStatus::kOk);
  REQUIRE_FALSE(lcp.equilibria.empty());
  for (const auto& eq : lcp.equilibria) CHECK(eq.payoffs[0] == 1.0);  // the value of the game
}

TEST_CASE("exact trees: the reduced normal form is written to .nfg with its fractions",
          "[tree][exact]") {
  const GameTree tree = parse_efg(
      "EFG 2 R \"thirds\" { \"P1\" \"P2\" }\n"
      "c \"\" 1 \"\" { \"a\" 1/3 \"b\" 2/3 } 0\n"
      "p \"\" 1 1 \"\" { \"U\" \"D\" } 0\n"
      "t \"\" 1 \"\" { 1, 0 }\n"
      "t \"\" 2 \"\" { 0, 1 }\n"
      "p \"\" 1 2 \"\" { \"U\" \"D\" } 0\n"
      "t \"\" 3 \"\" { 0, 1 }\n"
      "t \"\" 4 \"\" { 1, 0 }\n",
      "thirds.efg");
  const NormalFormGame game = reduced_normal_form(tree);
  const std::string text = write_nfg(game);
  CHECK_THAT(text, Catch::Contains("1/3"));
  const NormalFormGame again = parse_nfg(text, "again.nfg");
  for (std::size_t i = 0; i < game.num_profiles(); ++i) {
    for (int p = 0; p < 2; ++p) CHECK(again.exact_payoff(p, i) == game.exact_payoff(p, i));
  }
}
