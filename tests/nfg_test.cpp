#include "stratagem/io/nfg.hpp"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <bit>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <numbers>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "reference_games.hpp"
#include "stratagem/game/normal_form.hpp"
#include "stratagem/io/game_json.hpp"
#include "stratagem/scenario/error.hpp"
#include "stratagem/scenario/scenario.hpp"

#ifndef STRATAGEM_SOURCE_DIR
#define STRATAGEM_SOURCE_DIR "."
#endif

#include "files.hpp"

using namespace stratagem;
using stratagem::testing::read_bytes;

namespace {

std::string fixture(const std::string& name) {
  return std::string(STRATAGEM_SOURCE_DIR) + "/tests/data/nfg/" + name;
}

/// The full what() of the InputError that parsing `text` throws ("" when it parses).
std::string nfg_error(const std::string& text, GameLimits limits = {}) {
  try {
    (void)parse_nfg(text, "test.nfg", limits);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

bool same_bits(double a, double b) {
  return std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b);
}

/// Players, labels, title and every payoff identical to the bit.
void check_identical(const NormalFormGame& a, const NormalFormGame& b) {
  REQUIRE(a.num_players() == b.num_players());
  CHECK(a.title() == b.title());
  CHECK(a.player_names() == b.player_names());
  REQUIRE(a.shape() == b.shape());
  for (int p = 0; p < a.num_players(); ++p) {
    CHECK(a.action_names(p) == b.action_names(p));
    for (std::size_t i = 0; i < a.num_profiles(); ++i) {
      if (!same_bits(a.payoff(p, i), b.payoff(p, i))) {
        FAIL(fmt::format("player {} profile {}: {} vs {}", p, i, a.payoff(p, i), b.payoff(p, i)));
      }
    }
  }
}

/// Action counts encoded in a reference file name: "random_6x4_s11_5" -> {6, 4}.
std::vector<int> shape_from_name(const std::string& name) {
  const auto first = name.find('_');
  const auto second = name.find('_', first + 1);
  std::vector<int> shape;
  std::stringstream dims(name.substr(first + 1, second - first - 1));
  std::string part;
  while (std::getline(dims, part, 'x')) shape.push_back(std::stoi(part));
  return shape;
}

/// Independent reading of a payoff-form body: the last `count` whitespace-separated words.
std::vector<double> trailing_numbers(const std::string& text, std::size_t count) {
  std::vector<std::string> words;
  std::istringstream in(text);
  std::string word;
  while (in >> word) words.push_back(word);
  REQUIRE(words.size() >= count);
  std::vector<double> values;
  for (std::size_t k = words.size() - count; k < words.size(); ++k) {
    values.push_back(std::stod(words[k]));
  }
  return values;
}

/// Expected payoff of each player at a two-player mixed profile, from the raw payoff arrays.
std::vector<double> values_against(const NormalFormGame& game, int player,
                                   const std::vector<std::vector<double>>& x) {
  const int other = 1 - player;
  std::vector<double> values(static_cast<std::size_t>(game.num_actions(player)), 0.0);
  for (int a = 0; a < game.num_actions(player); ++a) {
    for (int b = 0; b < game.num_actions(other); ++b) {
      const int actions[2] = {player == 0 ? a : b, player == 0 ? b : a};
      values[a] += x[other][b] * game.payoff(player, game.index(actions));
    }
  }
  return values;
}

NormalFormGame awkward_game(std::vector<int> shape, std::uint64_t seed) {
  static const std::vector<double> kAwkward = {0.1,
                                               1e-300,
                                               -0.0,
                                               1.0 / 3.0,
                                               -2.0 / 3.0,
                                               5e-324,
                                               std::numeric_limits<double>::max(),
                                               std::numeric_limits<double>::lowest(),
                                               std::numeric_limits<double>::min(),
                                               std::nextafter(1.0, 2.0),
                                               123456789.123456789,
                                               -1e22,
                                               9007199254740993.0,
                                               std::numbers::pi,
                                               0.0,
                                               42.0};
  std::vector<std::string> players;
  std::vector<std::vector<std::string>> actions;
  for (std::size_t p = 0; p < shape.size(); ++p) {
    players.push_back(fmt::format("player \"{}\" \\ {}", p, p == 0 ? "é" : "x"));
    std::vector<std::string> labels;
    for (int a = 0; a < shape[p]; ++a) labels.push_back(fmt::format("act {} {{}}", a));
    actions.push_back(labels);
  }
  NormalFormBuilder builder(players, actions);
  builder.set_title("awkward \"doubles\"\nsecond line");
  std::mt19937_64 rng(seed);
  for (std::size_t i = 0; i < builder.num_profiles(); ++i) {
    for (int p = 0; p < static_cast<int>(shape.size()); ++p) {
      double value;
      if (rng() % 2 == 0) {
        value = kAwkward[rng() % kAwkward.size()];
      } else {
        do {
          value = std::bit_cast<double>(rng());
        } while (!std::isfinite(value));
      }
      builder.set_payoff(i, p, value);
    }
  }
  return std::move(builder).build();
}

constexpr const char* kOutcomeForm = R"(NFG 1 R "outcomes" { "Player 1" "Player 2" }
{ { "1" "2" "3" } { "1" "2" } }
""
{
{ "" 1, 1 }
{ "outcome b" 0, 2 }
}
1 2 0 1 2 2
)";

}  // namespace

TEST_CASE("every reference .nfg file loads with the file's payoffs", "[io]") {
  const std::filesystem::path dir = std::filesystem::path(reference_dir());
  int files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() != ".nfg") continue;
    ++files;
    const std::string name = entry.path().stem().string();
    INFO(name);
    const NormalFormGame game = read_nfg(entry.path().string());
    CHECK(game.shape() == shape_from_name(name));
    CHECK(game.title() == name);
    const std::size_t n = static_cast<std::size_t>(game.num_players());
    const auto expected =
        trailing_numbers(read_bytes(entry.path().string()), n * game.num_profiles());
    for (std::size_t k = 0; k < expected.size(); ++k) {
      CHECK(game.payoff(static_cast<int>(k % n), k / n) == expected[k]);
    }
  }
  CHECK(files >= 14);
}

TEST_CASE("hand-read values of random_3x3_s11_0.nfg", "[io]") {
  // 463 875 877 189 476 487 886 601 946 823 462 644 573 194 799 524 520 628
  const auto game = read_nfg(reference_dir() + "/random_3x3_s11_0.nfg");
  CHECK(game.player_names() == std::vector<std::string>{"Row", "Column"});
  CHECK(game.action_names(0) == std::vector<std::string>{"r1", "r2", "r3"});
  CHECK(game.action_names(1) == std::vector<std::string>{"c1", "c2", "c3"});
  const int r1c1[] = {0, 0}, r2c1[] = {1, 0}, r1c2[] = {0, 1}, r3c3[] = {2, 2};
  CHECK(game.payoff(0, game.index(r1c1)) == 463);
  CHECK(game.payoff(1, game.index(r1c1)) == 875);
  CHECK(game.payoff(0, game.index(r2c1)) == 877);
  CHECK(game.payoff(1, game.index(r2c1)) == 189);
  CHECK(game.payoff(0, game.index(r1c2)) == 886);
  CHECK(game.payoff(1, game.index(r1c2)) == 601);
  CHECK(game.payoff(0, game.index(r3c3)) == 520);
  CHECK(game.payoff(1, game.index(r3c3)) == 628);
}

TEST_CASE("reference games fixture: answers load and are equilibria", "[io]") {
  const auto games = load_reference_games();
  REQUIRE(games.size() >= 14);
  for (std::size_t k = 1; k < games.size(); ++k) CHECK(games[k - 1].name < games[k].name);
  for (const auto& ref : games) {
    INFO(ref.name);
    if (ref.game.num_players() == 2) {
      REQUIRE(!ref.equilibria.empty());
      CHECK(ref.equilibria.size() == ref.exact.size());
      CHECK(ref.degenerate == (ref.name.rfind("degenerate_", 0) == 0));
      for (const auto& eq : ref.exact) {
        std::vector<std::vector<double>> x;
        for (const auto& row : eq) {
          std::vector<double> probabilities;
          for (const auto& s : row) probabilities.push_back(parse_fraction(s));
          x.push_back(probabilities);
        }
        // Zero regret (up to rounding) for both players, computed from the raw payoffs: this
        // also confirms the profile order (first player's action changing fastest).
        for (int p = 0; p < 2; ++p) {
          const auto values = values_against(ref.game, p, x);
          double expected = 0.0, best = values[0];
          for (std::size_t a = 0; a < values.size(); ++a) {
            expected += x[p][a] * values[a];
            best = std::max(best, values[a]);
          }
          CHECK(best - expected <= 1e-9 * 1000);
        }
      }
    } else {
      CHECK(ref.equilibria.empty());
      REQUIRE(!ref.pure_equilibria.empty());
    }
    // Every listed pure equilibrium: no player gains by a unilateral deviation.
    for (const auto& pure : ref.pure_equilibria) {
      REQUIRE(static_cast<int>(pure.size()) == ref.game.num_players());
      const std::size_t at = ref.game.index(pure);
      for (int p = 0; p < ref.game.num_players(); ++p) {
        auto deviation = pure;
        for (int a = 0; a < ref.game.num_actions(p); ++a) {
          deviation[p] = a;
          CHECK(ref.game.payoff(p, ref.game.index(deviation)) <= ref.game.payoff(p, at));
        }
      }
    }
  }
  const auto find = [&](const std::string& name) -> const ReferenceGame& {
    for (const auto& ref : games) {
      if (ref.name == name) return ref;
    }
    FAIL("missing " + name);
    return games.front();
  };
  CHECK(find("nplayer_4x3x2_s99_2").pure_equilibria ==
        std::vector<std::vector<int>>{{1, 2, 0}, {2, 1, 0}, {3, 1, 1}});
  CHECK(find("random_3x3_s11_0").pure_equilibria == std::vector<std::vector<int>>{{1, 1}});
  CHECK(find("coord_5x5_s11_8").equilibria.size() == 31);
  CHECK(find("coord_5x5_s11_8").pure_equilibria.size() == 5);
  CHECK(find("degenerate_3x3_s11_6").exact[0][1][1] == "2/3");
}

TEST_CASE("parse_fraction", "[io]") {
  CHECK(parse_fraction("35/109") == 35.0 / 109.0);
  CHECK(parse_fraction("0") == 0.0);
  CHECK(parse_fraction("1") == 1.0);
  CHECK(parse_fraction("-3/4") == -0.75);
  CHECK(parse_fraction("0.25") == 0.25);
  CHECK_THROWS_AS(parse_fraction("1/0"), std::invalid_argument);
  CHECK_THROWS_AS(parse_fraction("abc"), std::invalid_argument);
  CHECK_THROWS_AS(parse_fraction("1/"), std::invalid_argument);
}

TEST_CASE("write_nfg then parse_nfg is bit-exact for the reference games", "[io]") {
  for (const auto& ref : load_reference_games()) {
    INFO(ref.name);
    const std::string text = write_nfg(ref.game);
    check_identical(ref.game, parse_nfg(text, ref.name + ".nfg"));
  }
}

TEST_CASE("write_nfg then parse_nfg is bit-exact for awkward doubles and labels", "[io]") {
  const std::vector<std::vector<int>> shapes = {{2, 3}, {3, 2, 2}, {1}, {4}, {2, 1, 3, 2}};
  std::uint64_t seed = 1;
  for (const auto& shape : shapes) {
    for (int rep = 0; rep < 5; ++rep) {
      const NormalFormGame game = awkward_game(shape, seed++);
      const std::string text = write_nfg(game);
      INFO(text);
      check_identical(game, parse_nfg(text, "awkward.nfg"));
    }
  }
  // The specific values named in the format contract.
  NormalFormBuilder builder({"a", "b"}, std::vector<int>{1, 2});
  const double row[] = {0.1, 1e-300}, row2[] = {-0.0, 1.0 / 3.0};
  builder.set_payoffs(0, row);
  builder.set_payoffs(1, row2);
  const NormalFormGame game = std::move(builder).build();
  const std::string text = write_nfg(game);
  CHECK(text.find("0.1 1e-300") != std::string::npos);
  CHECK(text.find("-0 0.3333333333333333") != std::string::npos);
  const NormalFormGame back = parse_nfg(text, "small.nfg");
  check_identical(game, back);
  CHECK(std::signbit(back.payoff(0, 1)));
}

TEST_CASE("outcome form", "[io]") {
  const NormalFormGame game = parse_nfg(kOutcomeForm, "outcomes.nfg");
  CHECK(game.title() == "outcomes");
  REQUIRE(game.shape() == std::vector<int>{3, 2});
  // Outcomes per profile index: 1 2 0 1 2 2; outcome 1 = (1, 1), outcome 2 = (0, 2), 0 = zeros.
  const std::vector<std::vector<double>> expected = {{1, 1}, {0, 2}, {0, 0},
                                                     {1, 1}, {0, 2}, {0, 2}};
  for (std::size_t i = 0; i < expected.size(); ++i) {
    CHECK(game.payoff(0, i) == expected[i][0]);
    CHECK(game.payoff(1, i) == expected[i][1]);
  }

  SECTION("three players, fractions, no commas, from a file") {
    const NormalFormGame three = read_nfg(fixture("outcome_3p.nfg"));
    REQUIRE(three.shape() == std::vector<int>{2, 2, 2});
    CHECK(three.player_names() == std::vector<std::string>{"Alice", "Bob", "Carol"});
    CHECK(three.action_names(2) == std::vector<std::string>{"stay", "go"});
    // body: 1 0 2 3 0 3 2 1
    const int a000[] = {0, 0, 0}, a100[] = {1, 0, 0}, a111[] = {1, 1, 1}, a011[] = {0, 1, 1};
    CHECK(three.payoff(0, three.index(a000)) == 1);
    CHECK(three.payoff(2, three.index(a000)) == 3);
    CHECK(three.payoff(1, three.index(a100)) == 0);
    CHECK(three.payoff(0, three.index(a111)) == 1);
    CHECK(three.payoff(1, three.index(a011)) == -0.75);
    CHECK(three.payoff(2, three.index(a011)) == 2.5e-3);
  }
}

TEST_CASE("payoff-form syntax variants", "[io]") {
  SECTION("strategy counts get labels 1..n") {
    const auto game =
        parse_nfg("NFG 1 R \"\" { \"A\" \"B\" } { 3 2 }\n1 2 3 4 5 6 7 8 9 10 11 12", "counts.nfg");
    CHECK(game.action_names(0) == std::vector<std::string>{"1", "2", "3"});
    CHECK(game.action_names(1) == std::vector<std::string>{"1", "2"});
    CHECK(game.payoff(0, 5) == 11);
    CHECK(game.payoff(1, 5) == 12);
  }
  SECTION("numbers: commas, signs, decimals, exponents, fractions") {
    const auto game = parse_nfg(
        "NFG 1 R \"n\" { \"A\" \"B\" } { 2 2 } \"a comment\"\n"
        "-3/4, +2, 0.5 1e3\n.25,-1.5E-2 7/2 -0\n",
        "numbers.nfg");
    CHECK(game.payoff(0, 0) == -0.75);
    CHECK(game.payoff(1, 0) == 2);
    CHECK(game.payoff(0, 1) == 0.5);
    CHECK(game.payoff(1, 1) == 1000);
    CHECK(game.payoff(0, 2) == 0.25);
    CHECK(game.payoff(1, 2) == -0.015);
    CHECK(game.payoff(0, 3) == 3.5);
    CHECK(std::signbit(game.payoff(1, 3)));
  }
  SECTION("escaped quotes, free line breaks, CRLF, byte-order mark") {
    const auto game = parse_nfg(
        "\xEF\xBB\xBFNFG\r\n1 R \"say \\\"hi\\\"\"\r\n{ \"P\\\\1\"\r\n\"P2\" }\r\n"
        "{ { \"U\" \"D\" }\n{ \"L\" } }\r\n1 2 3 4\r\n",
        "crlf.nfg");
    CHECK(game.title() == "say \"hi\"");
    CHECK(game.player_names() == std::vector<std::string>{"P\\1", "P2"});
    CHECK(game.action_names(0) == std::vector<std::string>{"U", "D"});
    CHECK(game.payoff(1, 1) == 4);
  }
  SECTION("empty and repeated labels are made unique") {
    const auto game = parse_nfg(
        "NFG 1 R \"\" { \"\" \"X\" \"X\" } { { \"\" \"a\" \"a\" \"\" } { \"b\" } { \"c\" } }\n"
        "0 0 0 0 0 0 0 0 0 0 0 0",
        "labels.nfg");
    CHECK(game.player_names() == std::vector<std::string>{"Player 1", "X", "X_3"});
    CHECK(game.action_names(0) == std::vector<std::string>{"1", "a", "a_3", "4"});
  }
  SECTION("one player") {
    const auto game = parse_nfg("NFG 1 R \"solo\" { \"me\" } { 3 } 5 6 7", "solo.nfg");
    CHECK(game.num_players() == 1);
    CHECK(game.payoff(0, 2) == 7);
  }
  SECTION("labels fixture file") {
    const auto game = read_nfg(fixture("labels.nfg"));
    CHECK(game.title() == "Battle of the \"Sexes\"");
    CHECK(game.player_names() == std::vector<std::string>{"Her", "Him"});
    CHECK(game.action_names(0) == std::vector<std::string>{"Opera", "Football"});
    const int of[] = {0, 1};
    CHECK(game.payoff(0, game.index(of)) == 0);
    const int oo[] = {0, 0};
    CHECK(game.payoff(0, game.index(oo)) == 2);
    CHECK(game.payoff(1, game.index(oo)) == 1);
  }
}

TEST_CASE("nfg errors name file:line:column", "[io]") {
  const std::string header = "NFG 1 R \"t\" { \"A\" \"B\" } { 3 2 }\n";

  SECTION("missing header") {
    const auto e = nfg_error("GFN 1 R \"t\" { \"A\" } { 1 } 0");
    CHECK_THAT(e, Catch::Contains("test.nfg:1:1:") && Catch::Contains("NFG"));
    CHECK_THAT(nfg_error(""), Catch::Contains("test.nfg:1:1:") && Catch::Contains("NFG"));
    CHECK_THAT(nfg_error("\n\n  { 2 }"), Catch::Contains("test.nfg:3:3:"));
  }
  SECTION("version") {
    CHECK_THAT(nfg_error("NFG 2 R \"t\" { \"A\" } { 1 } 0"),
               Catch::Contains("test.nfg:1:5:") && Catch::Contains("version"));
  }
  SECTION("unterminated string") {
    CHECK_THAT(nfg_error("NFG 1 R \"t\" { \"A\" \"B } { 2 2 }\n1 2 3"),
               Catch::Contains("test.nfg:1:19:") && Catch::Contains("unterminated string"));
  }
  SECTION("too few payoffs points at the end") {
    const auto e = nfg_error(header + "1 2 3 4 5 6 7 8 9 10 11\n");
    CHECK_THAT(e, Catch::Contains("test.nfg:2:24:") &&
                      Catch::Contains("expected 12 payoffs (2 players × 6 profiles), found 11"));
    CHECK_THAT(e, Catch::Contains("hint:"));
  }
  SECTION("too many payoffs points at the first extra one") {
    CHECK_THAT(nfg_error(header + "1 2 3 4 5 6 7 8 9 10 11 12\n13 14\n"),
               Catch::Contains("test.nfg:3:1:") && Catch::Contains("found 14"));
  }
  SECTION("bad numbers") {
    CHECK_THAT(nfg_error(header + "1 2 3x 4"),
               Catch::Contains("test.nfg:2:5:") && Catch::Contains("bad number '3x'"));
    CHECK_THAT(nfg_error(header + "1 2\n  1/0"),
               Catch::Contains("test.nfg:3:3:") && Catch::Contains("division by zero"));
    CHECK_THAT(nfg_error(header + "1 -- 3"), Catch::Contains("test.nfg:2:3:"));
    CHECK_THAT(nfg_error(header + "1 1e"), Catch::Contains("test.nfg:2:3:"));
    CHECK_THAT(nfg_error(header + "1 1e999"),
               Catch::Contains("test.nfg:2:3:") && Catch::Contains("too large"));
    CHECK_THAT(nfg_error(header + "1 1.5/2"), Catch::Contains("test.nfg:2:3:"));
    CHECK_THAT(nfg_error(header + "1 2 x"),
               Catch::Contains("test.nfg:2:5:") && Catch::Contains("expected a payoff number"));
  }
  SECTION("trailing garbage") {
    CHECK_THAT(nfg_error(header + "1 2 3 4 5 6 7 8 9 10 11 12 end"),
               Catch::Contains("test.nfg:2:28:") && Catch::Contains("'end'"));
    CHECK_THAT(nfg_error(header + "1 2 3 4 5 6 7 8 9 10 11 12\n\"note\""),
               Catch::Contains("test.nfg:3:1:"));
  }
  SECTION("zero strategies") {
    CHECK_THAT(nfg_error("NFG 1 R \"t\" { \"A\" \"B\" } { 2 0 }"),
               Catch::Contains("test.nfg:1:29:") && Catch::Contains("zero strategies"));
    CHECK_THAT(nfg_error("NFG 1 R \"t\" { \"A\" \"B\" } { { \"x\" } { } }"),
               Catch::Contains("test.nfg:1:35:") && Catch::Contains("player 2 has zero"));
  }
  SECTION("header structure") {
    CHECK_THAT(nfg_error("NFG 1 R \"t\" { } { }"),
               Catch::Contains("test.nfg:1:13:") && Catch::Contains("no players"));
    CHECK_THAT(nfg_error("NFG 1 R \"t\" { \"A\" \"B\" } { 2 }\n1 2 3 4"),
               Catch::Contains("test.nfg:1:25:") && Catch::Contains("2 players"));
    CHECK_THAT(nfg_error("NFG 1 R { \"A\" } { 2 }"), Catch::Contains("test.nfg:1:9:"));
    CHECK_THAT(nfg_error("NFG 1 X \"t\" { \"A\" } { 2 }"), Catch::Contains("test.nfg:1:7:"));
    CHECK_THAT(nfg_error("NFG 1 R \"t\" { \"A\" } { 2.5 }"),
               Catch::Contains("test.nfg:1:23:") && Catch::Contains("bad strategy count"));
  }
  SECTION("outcome form errors") {
    const std::string start = "NFG 1 R \"o\" { \"A\" \"B\" } { 2 1 }\n\"\"\n";
    CHECK_THAT(nfg_error(start + "{ { \"x\" 1 2 } }\n1 3"),
               Catch::Contains("test.nfg:4:3:") && Catch::Contains("out of range"));
    CHECK_THAT(nfg_error(start + "{ { \"x\" 1 2 }\n  { \"y\" 1 } }\n1 2"),
               Catch::Contains("test.nfg:4:3:") &&
                   Catch::Contains("outcome 2 (\"y\") has 1 payoff; expected 2"));
    CHECK_THAT(nfg_error(start + "{ { \"x\" 1 2 } }\n1"),
               Catch::Contains("test.nfg:4:2:") &&
                   Catch::Contains("expected 2 outcome numbers (one per profile), found 1"));
    CHECK_THAT(nfg_error(start + "{ { \"x\" 1 2 } }\n1 1 1"), Catch::Contains("test.nfg:4:5:"));
    CHECK_THAT(nfg_error(start + "{ { \"x\" 1 2 } }\n1 -1"),
               Catch::Contains("test.nfg:4:3:") && Catch::Contains("bad outcome number"));
    CHECK_THAT(nfg_error(start + "{ { \"x\" 1 q } }\n1 1"), Catch::Contains("test.nfg:3:11:"));
  }
  SECTION("too many profiles becomes an input error at the strategies") {
    CHECK_THAT(
        nfg_error("NFG 1 R \"big\" { \"A\" \"B\" } { 20 20 }", GameLimits{.max_profiles = 100}),
        Catch::Contains("test.nfg:1:27:"));
    CHECK_THAT(nfg_error("NFG 1 R \"big\" { \"A\" \"B\" \"C\" }\n{ 100000 100000 100000 }"),
               Catch::Contains("test.nfg:2:1:") && Catch::Contains("limit"));
  }
  SECTION("missing file") { CHECK_THROWS_AS(read_nfg(fixture("no_such_file.nfg")), InputError); }
}

TEST_CASE("game JSON round trip", "[io]") {
  for (const auto& ref : load_reference_games()) {
    INFO(ref.name);
    const nlohmann::json j = game_to_json(ref.game);
    CHECK(j.at("stratagem") == 1);
    CHECK(j.at("game").at("type") == "normal");
    CHECK(j.at("game").at("players").size() == static_cast<std::size_t>(ref.game.num_players()));
    // payoffs[p][i] is player p's payoff at profile index i.
    CHECK(j.at("game").at("payoffs").at(1).at(1).get<double>() == ref.game.payoff(1, 1));
    check_identical(ref.game, read_game_json(j.dump(2), "game.json"));
  }
  for (std::uint64_t seed = 100; seed < 110; ++seed) {
    const NormalFormGame game = awkward_game({3, 2, 2}, seed);
    check_identical(game, read_game_json(game_to_json(game).dump(), "awkward.json"));
  }
}

TEST_CASE("labels that are not UTF-8 are exported as Latin-1", "[io]") {
  const auto game =
      parse_nfg("NFG 1 R \"caf\xE9\" { \"A\" \"B\" } { { \"s\xFC" "d\" \"x\" } { \"y\" } } 1 2 3 4",
                "latin1.nfg");
  CHECK(game.action_name(0, 0) == "s\xFC" "d");
  const auto back = read_game_json(game_to_json(game).dump(), "latin1.json");
  CHECK(back.title() == "caf\u00e9");
  CHECK(back.action_name(0, 0) == "s\u00fcd");
  const YAML::Node doc = YAML::Load(game_to_scenario_yaml(game));
  CHECK(doc["name"].as<std::string>() == "caf\u00e9");
  CHECK(doc["game"]["moves"]["A"][0].as<std::string>() == "s_d");
}

TEST_CASE("game JSON errors", "[io]") {
  const auto error_of = [](const std::string& text) -> std::string {
    try {
      (void)read_game_json(text, "g.json");
    } catch (const InputError& e) {
      return e.what();
    }
    return "";
  };
  CHECK_THAT(error_of("{\n  \"stratagem\": 1,\n  \"game\": ?\n}"),
             Catch::Contains("g.json:3:11:") && Catch::Contains("invalid JSON"));
  CHECK_THAT(error_of("{\"a\": 1"), Catch::Contains("g.json:1:8:"));
  CHECK_THAT(error_of("[1, 2]"), Catch::Contains("not a JSON object"));
  const std::string good =
      R"({"stratagem": 1, "game": {"type": "normal", "players": ["a", "b"],
          "actions": [["x", "y"], ["z"]], "payoffs": [[1, 2], [3, 4]]}})";
  const auto g = read_game_json(good, "g.json");
  CHECK(g.payoff(1, 1) == 4);
  CHECK(g.title().empty());
  auto bad = nlohmann::json::parse(good);
  bad["game"]["payoffs"][1] = {3};
  CHECK_THAT(error_of(bad.dump()),
             Catch::Contains("/game/payoffs/1") && Catch::Contains("found 1"));
  bad = nlohmann::json::parse(good);
  bad["game"]["payoffs"][0][1] = "two";
  CHECK_THAT(error_of(bad.dump()), Catch::Contains("/game/payoffs/0/1"));
  bad = nlohmann::json::parse(good);
  bad["game"]["actions"][0] = {"x", "x"};
  CHECK_THAT(error_of(bad.dump()), Catch::Contains("/game") && Catch::Contains("'x'"));
  bad = nlohmann::json::parse(good);
  bad["stratagem"] = 2;
  CHECK_THAT(error_of(bad.dump()), Catch::Contains("/stratagem"));
  bad = nlohmann::json::parse(good);
  bad["game"]["type"] = "tree";
  CHECK_THAT(error_of(bad.dump()), Catch::Contains("/game/type"));
  bad = nlohmann::json::parse(good);
  bad["game"].erase("players");
  CHECK_THAT(error_of(bad.dump()), Catch::Contains("missing \"players\""));
}

TEST_CASE("game to scenario YAML", "[io]") {
  const auto game = read_nfg(reference_dir() + "/random_3x3_s11_0.nfg");
  const std::string yaml = game_to_scenario_yaml(game);
  INFO(yaml);
  CHECK_THAT(yaml, Catch::StartsWith("stratagem: 1\n"));
  CHECK_THAT(yaml, Catch::Contains("name: \"random_3x3_s11_0\""));
  CHECK_THAT(yaml,
             Catch::Contains("actors:\n  Row: {name: \"Row\"}\n  Column: {name: \"Column\"}"));
  CHECK_THAT(yaml, Catch::Contains("type: normal"));
  CHECK_THAT(yaml, Catch::Contains("moves:"));
  CHECK_THAT(yaml, Catch::Contains("\"r1, c1\": [463, 875]"));
  CHECK_THAT(yaml, Catch::Contains("\"r2, c1\": [877, 189]"));
  CHECK_THAT(yaml, Catch::Contains("\"r3, c3\": [520, 628]"));
  CHECK(yaml.find("# label") == std::string::npos);

  // Valid YAML with the schema's shape.
  const YAML::Node doc = YAML::Load(yaml);
  CHECK(doc["stratagem"].as<int>() == 1);
  CHECK(doc["actors"]["Column"]["name"].as<std::string>() == "Column");
  CHECK(doc["game"]["moves"]["Row"].size() == 3);
  CHECK(doc["game"]["payoffs"].size() == 9);
  CHECK(doc["game"]["payoffs"]["r2, c3"][1].as<double>() ==
        game.payoff(1, game.index(std::vector<int>{1, 2})));
}

TEST_CASE("scenario YAML export sanitizes labels and quotes strings", "[io]") {
  NormalFormBuilder builder({"Player 1", "2nd player", "yes"},
                            {{"Go left", "1", "go-left", "Go_left"}, {"a \"b\"", "#"}, {"on"}});
  builder.set_title("A \"quoted\" title: with colon\nand newline");
  for (std::size_t i = 0; i < builder.num_profiles(); ++i) {
    const double values[] = {0.1 * static_cast<double>(i), -0.0, 1e-300};
    builder.set_payoffs(i, values);
  }
  const auto game = std::move(builder).build();
  const std::string yaml = game_to_scenario_yaml(game);
  INFO(yaml);
  CHECK_THAT(yaml, Catch::Contains("Player_1: {name: \"Player 1\"}  # label: Player 1"));
  CHECK_THAT(yaml, Catch::Contains("p2nd_player: {name: \"2nd player\"}  # label: 2nd player"));
  CHECK_THAT(yaml, Catch::Contains("- Go_left  # label: Go left"));
  CHECK_THAT(yaml, Catch::Contains("- a1  # label: 1"));
  CHECK_THAT(yaml, Catch::Contains("- go_left  # label: go-left"));
  CHECK_THAT(yaml, Catch::Contains("- Go_left_2"));
  CHECK_THAT(yaml, Catch::Contains("- a_b  # label: a \"b\""));
  CHECK_THAT(yaml, Catch::Contains("- a2  # label: #"));

  const YAML::Node doc = YAML::Load(yaml);
  CHECK(doc["name"].as<std::string>() == game.title());
  CHECK(doc["actors"]["yes"]["name"].as<std::string>() == "yes");
  CHECK(doc["game"]["moves"]["yes"][0].as<std::string>() == "on");
  const auto moves = doc["game"]["moves"]["Player_1"];
  REQUIRE(moves.size() == 4);
  CHECK(moves[3].as<std::string>() == "Go_left_2");
  CHECK(doc["game"]["payoffs"].size() == game.num_profiles());
  const YAML::Node last = doc["game"]["payoffs"]["Go_left_2, a2, on"];
  REQUIRE(last.IsSequence());
  CHECK(last[0].as<double>() == game.payoff(0, 7));
  CHECK(last[2].as<double>() == 1e-300);
}

TEST_CASE("nfg -> scenario YAML -> Scenario::parse -> bind gives the same payoffs", "[io]") {
  const auto check_round_trip = [](const NormalFormGame& game, const std::string& name) {
    INFO(name);
    const std::string yaml = game_to_scenario_yaml(game);
    INFO(yaml);
    const Scenario scenario = Scenario::parse(yaml, name + ".yaml");
    CHECK(scenario.name() == game.title());
    CHECK(scenario.actor_names() == game.player_names());
    const NormalFormGame bound = scenario.bind(scenario.defaults());
    REQUIRE(bound.shape() == game.shape());
    for (int p = 0; p < bound.num_players(); ++p) {
      for (std::size_t i = 0; i < bound.num_profiles(); ++i) {
        if (!same_bits(bound.payoff(p, i), game.payoff(p, i))) {
          FAIL(fmt::format("player {} profile {}: {} vs {}", p, i, bound.payoff(p, i),
                           game.payoff(p, i)));
        }
      }
    }
  };
  for (const auto& ref : load_reference_games()) check_round_trip(ref.game, ref.name);
  check_round_trip(read_nfg(fixture("outcome_3p.nfg")), "outcome_3p");

  // Labels that need sanitizing, and doubles that need every digit.
  NormalFormBuilder builder({"Player 1", "2nd player"},
                            {{"Go left", "1", "go-left"}, {"a \"b\"", "#"}});
  builder.set_title("A \"quoted\" title: with colon");
  const double values[] = {0.1, 1e-300, -0.0, 1.0 / 3.0, -2.5e-7, 123456789.123456789};
  for (std::size_t i = 0; i < builder.num_profiles(); ++i) {
    const double pair[] = {values[i], values[(i + 1) % 6] * 7};
    builder.set_payoffs(i, pair);
  }
  check_round_trip(std::move(builder).build(), "sanitized");
}
