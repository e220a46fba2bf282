// Printed probabilities carry no rounding noise: a probability that is a simple fraction up to
// rounding is printed as that fraction's double (0.5, not 0.4999999999999999; 1, not
// 1.0000000000000002), in JSON as in text.
#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <string>

#include "process.hpp"
#include "stratagem/game/rational.hpp"

namespace {

/// Every probability of every equilibrium in a `solve --format json` document.
void check_clean(const nlohmann::json& doc, const std::string& what) {
  int checked = 0;
  for (const auto& eq : doc.at("equilibria")) {
    const auto& table = eq.contains("strategies") ? eq.at("strategies") : eq.at("behaviour");
    for (const auto& row : table) {
      for (const auto& cell : row) {
        const double p = cell.get<double>();
        const mpq_class q = stratagem::simplest_rational(p, 1e-12);
        INFO(what << ": probability " << fmt::format("{:.17g}", p));
        if (q.get_den() <= 1000) CHECK(p == stratagem::nearest_double(q));
        ++checked;
      }
    }
  }
  CHECK(checked > 0);
}

}  // namespace

TEST_CASE("clean output: probabilities that are simple fractions print exactly", "[numerics]") {
  const std::string dir = std::string(STRATAGEM_SOURCE_DIR) + "/tests/data/efg/";
  for (const std::string file : {"ultimatum.efg", "kuhn_poker.efg", "card_game.efg"}) {
    for (const std::string method : {"enumerate", "support", "lemke-howson", "sequence-lcp"}) {
      // Kuhn poker's reduced form has 170,967 best-response vertices: enumerate takes seconds.
      if (method == "enumerate" && file == "kuhn_poker.efg") continue;
      const auto run = stratagem::testing::run_stratagem(
          "solve " + dir + file + " --method " + method + " --format json", false);
      INFO(file << " " << method);
      REQUIRE(run.code == 0);
      check_clean(nlohmann::json::parse(run.out), file + " " + method);
    }
  }
}
