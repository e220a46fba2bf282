// The .nfg reader reads long runs of payoffs and outcome numbers straight from
// the text (a fast path beside the token-by-token lexer; engine/io/nfg.cpp).
// These tests check, on bodies long enough for that path, that values and exact
// payoffs are those the format defines and that every error names the same
// place and says the same thing wherever in the body it occurs. Positions are
// computed here independently (lines counted at '\n', columns in bytes).
#include <fmt/format.h>
#include <gmpxx.h>

#include <catch2/catch.hpp>
#include <cmath>
#include <cstddef>
#include <random>
#include <string>
#include <vector>

#include "stratagem/game/normal_form.hpp"
#include "stratagem/io/nfg.hpp"
#include "stratagem/scenario/error.hpp"

using namespace stratagem;

namespace {

constexpr const char *kNumberHint =
    "write an integer (3, -2), a decimal (0.25, 1e-3) or a fraction (-3/4)";

/// 1-based line and column of byte `offset` (a UTF-8 byte-order mark takes no
/// column).
std::pair<int, int> position_of(const std::string &text, std::size_t offset) {
  int line = 1;
  std::size_t line_start = text.rfind("\xEF\xBB\xBF", 0) == 0 ? 3 : 0;
  for (std::size_t i = 0; i < offset; ++i) {
    if (text[i] == '\n') {
      ++line;
      line_start = i + 1;
    }
  }
  return {line, static_cast<int>(offset - line_start) + 1};
}

/// The InputError that parsing `text` throws; fails the test when it parses.
InputError error_of(const std::string &text) {
  try {
    (void)parse_nfg(text, "test.nfg");
  } catch (const InputError &e) {
    return e;
  }
  FAIL("parsed without an error:\n" << text);
  return InputError({}, "");
}

void check_error(const std::string &text, std::size_t offset, const std::string &message,
                 const std::string &hint) {
  const InputError e = error_of(text);
  const auto [line, column] = position_of(text, offset);
  CHECK(e.mark().file == "test.nfg");
  CHECK(e.mark().line == line);
  CHECK(e.mark().column == column);
  CHECK(e.message() == message);
  CHECK(e.hint() == hint);
}

/// A payoff-form text of `players` players with `actions` actions each whose
/// body is `tokens` joined by separators drawn from a fixed mix (spaces,
/// commas, tabs, LF, CRLF, blank lines); `offsets` receives where each token
/// starts.
std::string payoff_text(int players, int actions, const std::vector<std::string> &tokens,
                        std::vector<std::size_t> &offsets, unsigned seed = 1) {
  static const std::vector<std::string> kSeparators = {" ",  " ",    ", ",     ",",  "\t",
                                                       "\n", "\r\n", "  \n\n", " , "};
  std::string text = "NFG 1 R \"long\" {";
  for (int p = 0; p < players; ++p) text += fmt::format(" \"P{}\"", p + 1);
  text += " }\n{";
  for (int p = 0; p < players; ++p) text += fmt::format(" {}", actions);
  text += " }\n\"a comment\"\n";
  std::mt19937 rng(seed);
  offsets.clear();
  for (const auto &token : tokens) {
    offsets.push_back(text.size());
    text += token;
    text += kSeparators[rng() % kSeparators.size()];
  }
  return text;
}

std::vector<std::string> random_integers(std::size_t count, unsigned seed) {
  std::mt19937 rng(seed);
  std::vector<std::string> tokens;
  for (std::size_t k = 0; k < count; ++k) {
    // 1 to 7 digits, sometimes negative.
    static const unsigned kBounds[] = {10, 1000, 100000, 10000000};
    const unsigned value = rng() % kBounds[rng() % 4];
    tokens.push_back(fmt::format("{}{}", rng() % 3 == 0 ? "-" : "", value));
  }
  return tokens;
}

}  // namespace

TEST_CASE("long payoff bodies: every number form reads to its value and exact value", "[io][nfg]") {
  struct Number {
    const char *text;
    const char *exact;  // the exact value as a fraction
  };
  // Integers of every length around the 8-byte reads, decimals whose doubles
  // are exact and some that are not, fractions, exponents, signs.
  const std::vector<Number> numbers = {{"0", "0"},
                                       {"-7", "-7"},
                                       {"+5", "5"},
                                       {"1234567", "1234567"},
                                       {"-1234567", "-1234567"},
                                       {"12345678", "12345678"},
                                       {"99999999", "99999999"},
                                       {"123456789012345", "123456789012345"},
                                       {"0007", "7"},
                                       {"0.5", "1/2"},
                                       {"2.25", "9/4"},
                                       {"-0.125", "-1/8"},
                                       {"0.1", "1/10"},
                                       {"-0.30", "-3/10"},
                                       {"1/3", "1/3"},
                                       {"-3/4", "-3/4"},
                                       {"+2/6", "1/3"},
                                       {"1e3", "1000"},
                                       {"2.5e-3", "1/400"},
                                       {"-1.5E-2", "-3/200"},
                                       {".5", "1/2"},
                                       {"5.", "5"},
                                       {"123456.7890123", "1234567890123/10000000"}};
  const int players = 3, actions = 4;  // 64 profiles, 192 payoffs
  std::vector<std::string> tokens;
  std::vector<std::string> exact;
  for (std::size_t k = 0; k < 192; ++k) {
    tokens.push_back(numbers[(k * 7) % numbers.size()].text);
    exact.push_back(numbers[(k * 7) % numbers.size()].exact);
  }
  for (unsigned seed = 1; seed <= 3; ++seed) {
    std::vector<std::size_t> offsets;
    const std::string text = payoff_text(players, actions, tokens, offsets, seed);
    const NormalFormGame game = parse_nfg(text, "long.nfg");
    CHECK(game.has_exact_payoffs());
    for (std::size_t k = 0; k < tokens.size(); ++k) {
      INFO(tokens[k]);
      const int player = static_cast<int>(k % players);
      const std::size_t profile = k / players;
      const mpq_class value(exact[k]);
      CHECK(game.exact_payoff(player, profile) == value);
      if (mpq_class(value.get_d()) == value) {
        CHECK(game.payoff(player, profile) == value.get_d());
      } else {  // the nearest double: within one rounding of the value
        CHECK(std::abs(game.payoff(player, profile) - value.get_d()) <=
              std::abs(value.get_d()) * 2.3e-16);
      }
    }
  }
  // A negative zero integer keeps its sign, as before the fast path.
  std::vector<std::size_t> offsets;
  std::vector<std::string> zeros(2 * 20 * 20, "7");
  zeros[5] = "-0";
  const NormalFormGame game = parse_nfg(payoff_text(2, 20, zeros, offsets), "zeros.nfg");
  CHECK(std::signbit(game.payoff(1, 2)));
  CHECK(!game.has_exact_payoffs());
}

TEST_CASE("long payoff bodies: integers match an independent reading", "[io][nfg]") {
  const auto tokens = random_integers(6 * 64, 7);  // 6 players x 2 actions
  std::vector<std::size_t> offsets;
  const NormalFormGame game = parse_nfg(payoff_text(6, 2, tokens, offsets), "ints.nfg");
  for (std::size_t k = 0; k < tokens.size(); ++k) {
    CHECK(game.payoff(static_cast<int>(k % 6), k / 6) == std::stod(tokens[k]));
  }
  CHECK(!game.has_exact_payoffs());
}

TEST_CASE("long payoff bodies: a bad token anywhere is reported where it is", "[io][nfg]") {
  const int players = 3, actions = 5;  // 125 profiles, 375 payoffs
  const std::size_t count = 375;
  struct Bad {
    std::string token;
    std::string message;
    std::string hint;
  };
  const std::string payload = "the body lists one number per player for every profile";
  const std::vector<Bad> bad = {
      {"3x", "bad number '3x': not a number", kNumberHint},
      {"12345678x", "bad number '12345678x': not a number", kNumberHint},
      {"1234567-", "bad number '1234567-': not a number", kNumberHint},
      {"-", "bad number '-': not a number", kNumberHint},
      {"--3", "bad number '--3': not a number", kNumberHint},
      {"1.5/2",
       "bad number '1.5/2': a fraction is an integer, '/', and a positive "
       "integer",
       kNumberHint},
      {"1/0", "bad number '1/0': division by zero", kNumberHint},
      {"1e999",
       "bad number '1e999': too large for a double (the largest is about "
       "1.8e308)",
       kNumberHint},
      {std::string("1\0", 2), "bad number '" + std::string("1\0", 2) + "': not a number",
       kNumberHint},
      {"7\xFF", "bad number '7\xFF': not a number", kNumberHint},
      {"x", "expected a payoff number, found 'x'", payload},
      {"{", "expected a payoff number, found '{'", payload},
      {"}", "expected a payoff number, found '}'", payload},
      {"\"s\"", "expected a payoff number, found the string \"s\"", payload},
  };
  const auto good = random_integers(count, 3);
  for (const auto &b : bad) {
    for (const std::size_t at :
         {std::size_t{0}, std::size_t{1}, std::size_t{8}, std::size_t{200}, count - 2, count - 1}) {
      if (at == 0 && b.token == "{") continue;  // '{' first starts an outcome-form body
      INFO(b.token << " at token " << at);
      auto tokens = good;
      tokens[at] = b.token;
      std::vector<std::size_t> offsets;
      const std::string text = payoff_text(players, actions, tokens, offsets, 11);
      check_error(text, offsets[at], b.message, b.hint);
    }
  }
}

TEST_CASE("long payoff bodies: too few, too many and trailing tokens", "[io][nfg]") {
  const int players = 4, actions = 3;  // 81 profiles, 324 payoffs
  const std::size_t count = 324;
  const auto tokens = random_integers(count, 5);
  std::vector<std::size_t> offsets;
  const std::string text = payoff_text(players, actions, tokens, offsets, 2);
  REQUIRE(parse_nfg(text, "test.nfg").num_profiles() == 81);

  SECTION(
      "cut short anywhere in the last tokens: the count and the end of the "
      "last token") {
    const std::string hint =
        "the body lists one number per player for every "
        "profile, the first player's strategy "
        "changing fastest";
    for (std::size_t k = count - 12; k + 1 < count; ++k) {
      // Cut just after token k: k + 1 payoffs remain, the last ending where
      // token k ends.
      const std::size_t end = offsets[k] + tokens[k].size();
      INFO("cut after token " << k);
      check_error(text.substr(0, end), end,
                  fmt::format("expected 324 payoffs (4 players × 81 profiles), found {}", k + 1),
                  hint);
      check_error(text.substr(0, end) + " \r\n\t,", end,
                  fmt::format("expected 324 payoffs (4 players × 81 profiles), found {}", k + 1),
                  hint);
    }
  }
  SECTION("extra payoffs: the first extra one, with the total") {
    const std::string longer = text + "\n  17, -3 8";
    check_error(longer, text.size() + 3,
                "expected 324 payoffs (4 players × 81 profiles), found 327",
                "remove the extra payoffs, or check the strategy counts in the header");
  }
  SECTION("a word or a string after the last payoff") {
    check_error(text + "end", text.size(), "unexpected 'end' after the last profile",
                "remove it, or check the strategy counts in the header");
    check_error(text + "\n\"note\"", text.size() + 1,
                "unexpected the string \"note\" after the last profile",
                "remove it, or check the strategy counts in the header");
  }
}

TEST_CASE("long payoff bodies on one line after a byte-order mark", "[io][nfg]") {
  std::string text = "\xEF\xBB\xBFNFG 1 R \"bom\" { \"A\" \"B\" } { 10 10 }";
  std::vector<std::size_t> offsets;
  for (int k = 0; k < 200; ++k) {
    text += ' ';
    offsets.push_back(text.size());
    text += std::to_string(k * 37 % 1000);
  }
  REQUIRE(parse_nfg(text, "test.nfg").payoff(1, 99) == 199 * 37 % 1000);
  REQUIRE(text.substr(offsets[150], 4) == "550 ");
  std::string bad = text;
  bad.insert(offsets[150] + 1, "q");
  check_error(bad, offsets[150], "bad number '5q50': not a number", kNumberHint);
}

TEST_CASE("long outcome-form bodies", "[io][nfg]") {
  // 3 players x 4 actions: 64 profiles; 40 outcomes with mixed number forms.
  const std::vector<std::string> forms = {"1", "-2", "0.5", "0.1", "1/3", "12345678", "2.5e-3"};
  const std::vector<std::string> exact = {"1", "-2", "1/2", "1/10", "1/3", "12345678", "1/400"};
  std::string head = "NFG 1 R \"o\" { \"A\" \"B\" \"C\" } { 4 4 4 }\n\"\"\n{\n";
  std::vector<std::size_t> outcome_offsets;
  for (int o = 1; o <= 40; ++o) {
    outcome_offsets.push_back(head.size());
    head += fmt::format("{{ \"o{}\" {}, {}, {} }}\n", o, forms[o % 7], forms[(o + 2) % 7],
                        forms[(o + 5) % 7]);
  }
  head += "}\n";
  std::vector<std::size_t> offsets;
  std::string body;
  std::vector<int> numbers;
  for (int i = 0; i < 64; ++i) {
    numbers.push_back((i * 13) % 41);
    offsets.push_back(head.size() + body.size());
    body += std::to_string(numbers.back()) + (i % 10 == 9 ? "\n" : " ");
  }
  const std::string text = head + body;
  const NormalFormGame game = parse_nfg(text, "test.nfg");
  for (std::size_t i = 0; i < 64; ++i) {
    const int o = numbers[i];
    for (int p = 0; p < 3; ++p) {
      const mpq_class expected = o == 0 ? mpq_class(0)
                                        : mpq_class(exact[(o + (p == 0   ? 0
                                                                : p == 1 ? 2
                                                                         : 5)) %
                                                          7]);
      CHECK(game.exact_payoff(p, i) == expected);
    }
  }

  SECTION("an outcome number out of range, deep in the body") {
    std::string bad = text;
    bad.replace(offsets[50], std::to_string(numbers[50]).size(), "41");
    check_error(bad, offsets[50], "outcome 41 is out of range: the file defines 40 outcomes",
                "use 0 for all-zero payoffs or 1 to 40 for the listed outcomes");
  }
  SECTION("a bad outcome number") {
    std::string bad = text;
    bad.replace(offsets[63], std::to_string(numbers[63]).size(), "-1");
    check_error(bad, offsets[63], "bad outcome number '-1'",
                "write an outcome number from 0 to 40");
  }
  SECTION("too few and too many outcome numbers") {
    const std::size_t end = offsets[62] + std::to_string(numbers[62]).size();
    check_error(text.substr(0, end), end, "expected 64 outcome numbers (one per profile), found 63",
                "the body lists one outcome number per profile, the first "
                "player's strategy "
                "changing fastest");
    check_error(text + "1 2", text.size(),
                "expected 64 outcome numbers (one per profile), found 66",
                "remove the extra outcome numbers, or check the strategies");
  }
  SECTION("an outcome with a bad or missing payoff, deep in the list") {
    std::string bad = text;
    const std::size_t at = bad.find("{ \"o30\"");
    bad.replace(bad.find(',', at), 1, " q");
    check_error(bad, bad.find(" q", at) + 1, "expected a payoff number or '}', found 'q'",
                "an outcome reads { \"name\" 1, 2 }");
    bad = text;
    const std::size_t comma = bad.find(',', bad.find("{ \"o17\""));
    bad.erase(comma, bad.find(',', comma + 1) - comma);
    check_error(bad, outcome_offsets[16],
                "outcome 17 (\"o17\") has 2 payoffs; expected 3 (one per player)",
                "give one payoff per player, in player order");
  }
}

TEST_CASE("strategy counts far beyond the file or the limit are refused before labelling",
          "[io][nfg][hostile]") {
  // The profile limit: the same message as NormalFormBuilder's, at the strategies.
  std::string builder_message;
  try {
    (void)NormalFormBuilder({"A", "B"}, std::vector<int>{20, 20}, GameLimits{.max_profiles = 100});
  } catch (const InvalidGame& e) {
    builder_message = e.what();
  }
  REQUIRE(!builder_message.empty());
  try {
    (void)parse_nfg("NFG 1 R \"big\" { \"A\" \"B\" } { 20 20 }", "test.nfg",
                    GameLimits{.max_profiles = 100});
    FAIL("parsed");
  } catch (const InputError& e) {
    CHECK(e.message() == builder_message);
    CHECK(e.mark().column == 27);
  }
  // 4e14 profiles from a 50-byte file: refused at once, without 40 million labels.
  const InputError big = error_of("NFG 1 R \"big\" { \"A\" \"B\" } { 20000000 20000000 }\n1 2");
  CHECK(big.message() ==
        "the game has more than 20000000 pure profiles (the limit); reduce the number of actions");
  CHECK(big.mark().column == 27);
  // 19 million profiles within the limit, but 3 bytes of body.
  const InputError cut = error_of("NFG 1 R \"\" { \"A\" } { 19000000 }\n1 2");
  CHECK(cut.message() ==
        "the header declares 19000000 strategy profiles, which need 19000000 payoffs after the "
        "header, but only 5 bytes follow");
}
