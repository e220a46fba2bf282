// Smoke tests of the `stratagem` executable: output, exit codes, error messages.
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "process.hpp"
#include "reference_games.hpp"

namespace {

using Run = stratagem::testing::CommandResult;

Run run(const std::string& args) { return stratagem::testing::run_stratagem(args, true); }
Run run_stdout(const std::string& args) { return stratagem::testing::run_stratagem(args, false); }

std::string temp_file(const std::string& name, const std::string& text) {
  // One directory per process: ctest runs test cases in parallel processes.
  const auto dir = std::filesystem::temp_directory_path() /
                   ("stratagem_cli_test_" + std::to_string(static_cast<long>(getpid())));
  std::filesystem::create_directories(dir);
  const auto path = dir / name;
  std::ofstream(path) << text;
  return path.string();
}

const char* kPrisoners = R"(stratagem: 1
name: "Prisoner's dilemma"
parameters:
  T: {value: 5, range: [0, 10]}
  R: 3
  P: 1
  S: 0
actors:
  row: Row
  column: Column
game:
  type: normal
  moves:
    row: [cooperate, defect]
    column: [cooperate, defect]
  matrix:
    - [[R, R], [S, T]]
    - [[T, S], [P, P]]
expect:
  - {method: pure, equilibria: [{row: defect, column: defect}]}
  - {method: dominance, survivors: {row: [defect], column: [defect]}}
)";

}  // namespace

TEST_CASE("cli: solve prints the matrix with best replies and the equilibria", "[cli]") {
  const auto file = temp_file("pd.yaml", kPrisoners);
  const Run r = run("solve " + file);
  CHECK(r.code == 0);
  CHECK_THAT(r.out, Catch::Contains("1*, 1*"));          // (defect, defect) cell, both best replies
  CHECK_THAT(r.out, Catch::Contains("Row: defect; Column: defect"));
  CHECK_THAT(r.out, Catch::Contains("Equilibria found by 'support': 1"));
}

TEST_CASE("cli: JSON output follows the documented layout", "[cli]") {
  const auto file = temp_file("pd.yaml", kPrisoners);
  const Run r = run_stdout("solve " + file + " --method support --format json --set T=6");
  REQUIRE(r.code == 0);
  const auto j = nlohmann::json::parse(r.out);
  CHECK(j["stratagem"] == 1);
  CHECK(j["parameters"]["T"] == 6.0);
  CHECK(j["game"]["players"] == nlohmann::json({"row", "column"}));
  CHECK(j["game"]["actions"][0] == nlohmann::json({"cooperate", "defect"}));
  REQUIRE(j["equilibria"].size() == 1);
  const auto& eq = j["equilibria"][0];
  CHECK(eq["method"] == "support");
  CHECK(eq["strategies"] == nlohmann::json({{0.0, 1.0}, {0.0, 1.0}}));
  CHECK(eq["named"]["row"]["defect"] == 1.0);
  CHECK(eq["payoffs"] == nlohmann::json({1.0, 1.0}));
  CHECK(eq["max_regret"] == 0.0);
  CHECK(eq["pure"] == true);
  CHECK(j.contains("analyses"));
}

TEST_CASE("cli: dominance, explain, check, validate, solvers", "[cli]") {
  const auto file = temp_file("pd.yaml", kPrisoners);
  const Run dom = run("solve " + file + " --method dominance");
  CHECK(dom.code == 0);
  CHECK_THAT(dom.out, Catch::Contains("round 1: row's 'cooperate' is strictly dominated by 'defect'"));
  const Run ex = run("explain " + file);
  CHECK(ex.code == 0);
  CHECK_THAT(ex.out, Catch::Contains("If Column plays cooperate, Row's best reply is defect (5)"));
  CHECK_THAT(ex.out, Catch::Contains("(defect, defect) is an equilibrium"));
  const Run check = run("check " + file);
  CHECK(check.code == 0);
  CHECK_THAT(check.out, Catch::Contains("2 passed, 0 failed"));
  const Run val = run("validate " + file);
  CHECK(val.code == 0);
  CHECK_THAT(val.out, Catch::Contains("ok"));
  const Run sol = run("solvers");
  CHECK(sol.code == 0);
  CHECK_THAT(sol.out, Catch::Contains("support"));
  CHECK_THAT(sol.out, Catch::Contains("dominance"));
}

TEST_CASE("cli: a failing expectation exits 1 and shows the difference", "[cli]") {
  std::string text = kPrisoners;
  text.replace(text.find("{row: defect, column: defect}"), 29, "{row: cooperate, column: cooperate}");
  const auto file = temp_file("pd_wrong.yaml", text);
  const Run r = run("check " + file);
  CHECK(r.code == 1);
  CHECK_THAT(r.out, Catch::Contains("FAIL"));
  CHECK_THAT(r.out, Catch::Contains("missing: row: cooperate; column: cooperate"));
  CHECK_THAT(r.out, Catch::Contains("unexpected: row: defect; column: defect"));
}

TEST_CASE("cli: bad input and usage give clear errors and exit codes", "[cli]") {
  const auto file = temp_file("pd.yaml", kPrisoners);
  const Run unknown_set = run("solve " + file + " --set Tt=2");
  CHECK(unknown_set.code == 1);
  CHECK_THAT(unknown_set.out, Catch::Contains("did you mean 'T'"));
  const Run outside = run("solve " + file + " --set T=11");
  CHECK(outside.code == 1);
  CHECK_THAT(outside.out, Catch::Contains("--allow-outside-range"));
  CHECK(run("solve " + file + " --set T=11 --allow-outside-range").code == 0);
  const Run method = run("solve " + file + " --method suport");
  CHECK(method.code == 2);
  CHECK_THAT(method.out, Catch::Contains("did you mean 'support'"));
  CHECK(run("frobnicate").code == 2);
  CHECK(run("solve").code == 2);
  const Run missing = run("solve /nonexistent/file.yaml");
  CHECK(missing.code == 1);
  CHECK_THAT(missing.out, Catch::Contains("/nonexistent/file.yaml"));
  const auto broken = temp_file("broken.yaml", "stratagem: 1\nname: x\nactors: [\n");
  const Run b = run("validate " + broken);
  CHECK(b.code == 1);
  CHECK_THAT(b.out, Catch::Contains("broken.yaml:"));
}

TEST_CASE("cli: .nfg games solve and convert both ways", "[cli][io]") {
  const std::string nfg = stratagem::reference_dir() + "/random_4x4_s11_1.nfg";
  const Run r = run_stdout("solve " + nfg + " --method support --format json");
  REQUIRE(r.code == 0);
  const auto j = nlohmann::json::parse(r.out);
  CHECK(j["equilibria"].size() >= 1);
  for (const auto& eq : j["equilibria"]) CHECK(eq["max_regret"].get<double>() <= 1e-9);
  const auto json_file = temp_file("g.json", run_stdout("convert " + nfg + " --to json").out);
  const auto back = temp_file("g.nfg", run_stdout("convert " + json_file + " --to nfg").out);
  const auto yaml = temp_file("g.yaml", run_stdout("convert " + back + " --to yaml").out);
  const Run again = run_stdout("solve " + yaml + " --method support --format json");
  REQUIRE(again.code == 0);
  const auto j2 = nlohmann::json::parse(again.out);
  CHECK(j2["equilibria"].size() == j["equilibria"].size());
  CHECK(j2["equilibria"][0]["strategies"] == j["equilibria"][0]["strategies"]);
  const auto pd = temp_file("pd.yaml", kPrisoners);
  const Run to_nfg = run_stdout("convert " + pd + " --to nfg");
  CHECK(to_nfg.code == 0);
  CHECK_THAT(to_nfg.out, Catch::StartsWith("NFG 1 R"));
}

TEST_CASE("cli: --exact prints fractions and --format gambit prints NE lines", "[cli][exact]") {
  const std::string bos = std::string(STRATAGEM_SOURCE_DIR) + "/scenarios/classic/battle_of_the_sexes.yaml";
  const Run exact = run("solve " + bos + " --method enumerate --exact");
  CHECK(exact.code == 0);
  CHECK_THAT(exact.out, Catch::Contains("bach 2/3, stravinsky 1/3"));
  CHECK_THAT(exact.out, Catch::Contains("(exact)"));
  const Run gambit = run_stdout("solve " + bos + " --method enumerate --exact --format gambit");
  CHECK(gambit.code == 0);
  CHECK(gambit.out == "NE,1,0,1,0\nNE,2/3,1/3,1/3,2/3\nNE,0,1,0,1\n");
  const Run json = run_stdout("solve " + bos + " --method support --exact --format json");
  const auto j = nlohmann::json::parse(json.out);
  CHECK(j["equilibria"][1]["exact"] == nlohmann::json::array({nlohmann::json::array({"2/3", "1/3"}), nlohmann::json::array({"1/3", "2/3"})}));
  CHECK(run("solve " + bos + " --method correlated --objective nobody").code == 1);
  const Run lh = run("solve " + bos + " --method lemke-howson --label 9");
  CHECK(lh.code != 0);
}

TEST_CASE("cli: repeated games", "[cli][repeated]") {
  const std::string pd = std::string(STRATAGEM_SOURCE_DIR) + "/scenarios/classic/repeated_prisoners_dilemma.yaml";
  const Run r = run("repeated " + pd + " --check grim_pair");
  CHECK(r.code == 0);
  CHECK_THAT(r.out, Catch::Contains("subgame perfect for delta in [1/2, 1)"));
  CHECK_THAT(r.out, Catch::Contains("Folk-theorem region"));
  const Run json = run_stdout("repeated " + pd + " --check tft_pair --noise 0.05 --format json");
  REQUIRE(json.code == 0);
  const auto j = nlohmann::json::parse(json.out);
  CHECK(j["profiles"][0]["subgame_perfect_deltas"]["critical"] == "never");
  CHECK(j["profiles"][0]["nash_deltas"]["critical"].get<double>() == Approx(2.0 / 3).margin(1e-9));
  for (const auto& [state, share] : j["profiles"][0]["noise"]["long_run_shares"].items()) {
    CHECK(share.get<double>() == Approx(0.25).margin(1e-9));
  }
  const Run ex = run("explain " + pd);
  CHECK_THAT(ex.out, Catch::Contains("2 / (2 + 2) = 1/2"));
  // A command-line number outside its range is a usage error (exit 2).
  CHECK(run("repeated " + pd + " --delta 1.5").code == 2);
  CHECK(run("repeated " + pd + " --delta 1").code == 1);  // in range for the option, not (0, 1)
  CHECK(run("repeated " + pd + " --check nosuch").code == 1);
  const auto pd_stage = temp_file("pd.yaml", kPrisoners);
  const Run not_repeated = run("repeated " + pd_stage);
  CHECK(not_repeated.code == 1);
  CHECK_THAT(not_repeated.out, Catch::Contains("not a repeated-game scenario"));
}
