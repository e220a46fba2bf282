// What a run loads: oneTBB only when a loop is worth running in parallel, muparser's module only
// for scenario formulas (docs/performance.md, "Start-up"). The dynamic loader's own trace
// (LD_DEBUG=files) lists every object a process loads.

#include <catch2/catch.hpp>

#include <random>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "files.hpp"
#include "process.hpp"

using namespace stratagem::testing;

namespace {

/// Runs the CLI with the loader's trace of the objects it loads merged into the output.
CommandResult traced(const std::string& args) {
  return run_command("LD_DEBUG=files " + std::string(STRATAGEM_CLI) + " " + args);
}

/// Whether the trace shows `library` (a file name or its start) being loaded.
bool loads(const CommandResult& r, const std::string& library) {
  std::istringstream in(r.out);
  std::string line;
  while (std::getline(in, line)) {
    const std::size_t at = line.find("file=");
    if (at == std::string::npos) continue;
    const std::size_t name = line.find_last_of('/', line.find(' ', at)) ;
    const std::size_t start = name != std::string::npos && name > at ? name + 1 : at + 5;
    if (line.compare(start, library.size(), library) == 0) return true;
  }
  return false;
}

/// A game of `players` players with two actions each and random integer payoffs, as .nfg text.
std::string random_binary_game(int players, unsigned seed) {
  std::ostringstream out;
  out << "NFG 1 R \"random\" {";
  for (int p = 0; p < players; ++p) out << " \"P" << p + 1 << "\"";
  out << " } {";
  for (int p = 0; p < players; ++p) out << " 2";
  out << " }\n";
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> payoff(0, 3);
  const long profiles = 1L << players;
  for (long k = 0; k < profiles * players; ++k) out << payoff(rng) << ' ';
  out << '\n';
  return out.str();
}

}  // namespace

TEST_CASE("a small game is solved without loading oneTBB, muparser or the LP module",
          "[startup]") {
  const std::string three = write_temp_file("startup", "three.nfg", random_binary_game(3, 1));
  const std::string two = write_temp_file("startup", "two.nfg", random_binary_game(2, 3));
  const std::vector<std::pair<std::string, std::string>> runs{
      {three, "pure"},    {three, "support-newton"}, {two, "enumerate"},
      {two, "support"},   {two, "lemke-howson"},     {two, "pure"}};
  for (const auto& [game, method] : runs) {
    INFO(game << " " << method);
    const CommandResult r = traced("solve " + game + " --method " + method);
    CHECK(r.code == 0);
    CHECK(r.out.find("Equilibria found") != std::string::npos);
    CHECK(loads(r, "libc.so"));  // the trace works
    CHECK_FALSE(loads(r, "libtbb"));
    CHECK_FALSE(loads(r, "libmuparser"));
    CHECK_FALSE(loads(r, "libgomp"));
    CHECK_FALSE(loads(r, "libfmt"));
    CHECK_FALSE(loads(r, "libstratagem_formula"));
    CHECK_FALSE(loads(r, "libstratagem_lp"));
  }
  // A 6 x 6 zero-sum game (more actions than exact enumeration takes): the engine's own simplex.
  std::ostringstream zero_sum;
  zero_sum << "NFG 1 R \"zero-sum\" { \"A\" \"B\" } { 6 6 }\n";
  std::mt19937 rng(11);
  std::uniform_int_distribution<int> payoff(-9, 9);
  for (int k = 0; k < 36; ++k) {
    const int x = payoff(rng);
    zero_sum << x << ' ' << -x << ' ';
  }
  const std::string six = write_temp_file("startup", "six.nfg", zero_sum.str() + "\n");
  for (const std::string method : {"zero-sum", "maximin"}) {
    INFO(method);
    const CommandResult r = traced("solve " + six + " --method " + method);
    CHECK(r.code == 0);
    CHECK(r.out.find(method == "zero-sum" ? "optimal strategy" : "can guarantee") !=
          std::string::npos);
    CHECK(loads(r, "libc.so"));
    CHECK_FALSE(loads(r, "libstratagem_lp"));
  }
  const CommandResult version = traced("--version");
  CHECK(version.code == 0);
  CHECK_FALSE(loads(version, "libtbb"));
}

TEST_CASE("a scenario's formulas load the formula module, and only then", "[startup]") {
  const std::string game = write_temp_file("startup", "plain.nfg", random_binary_game(2, 5));
  CHECK_FALSE(loads(traced("validate " + game), "libstratagem_formula"));
  const CommandResult solved = traced(
      "solve " + std::string(STRATAGEM_SOURCE_DIR) + "/scenarios/japan_russia/kuril_bargaining.yaml");
  CHECK(solved.code == 0);
  CHECK(loads(solved, "libstratagem_formula"));
  CHECK(loads(solved, "libmuparser"));
}

TEST_CASE("large work loads oneTBB on demand and gives the same answer on 1 and 2 threads",
          "[startup]") {
  // 2^15 profiles x 15 players: worth running in parallel.
  const std::string game = write_temp_file("startup", "large.nfg", random_binary_game(15, 7));
  const std::string args = "solve " + game + " --method pure --format json --threads ";
  CHECK_FALSE(loads(traced(args + "1"), "libtbb"));
  CHECK(loads(traced(args + "2"), "libtbb"));
  const CommandResult one = run_stratagem(args + "1", false);
  const CommandResult two = run_stratagem(args + "2", false);
  REQUIRE(one.code == 0);
  REQUIRE(two.code == 0);
  CHECK(one.out == two.out);
  CHECK(one.out.find("\"equilibria\"") != std::string::npos);
}
