// Reader and writer for Gambit's strategic-game (.nfg) text format, written from the published
// format description: a header (NFG 1 R "title" { players } { strategies } "comment") followed
// either by payoffs for every profile (payoff form) or by a list of outcomes and one outcome
// number per profile (outcome form). Profiles are enumerated with the first player's strategy
// changing fastest, which is also NormalFormGame's profile index order.

#include "stratagem/io/nfg.hpp"

#include "io/gambit_lexer.hpp"

#include "stratagem/game/rational.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <optional>
#include <set>
#include <sstream>
#include <string_view>
#include <utility>
#include <vector>

namespace stratagem {
namespace {

constexpr const char* kHeaderHint =
    "a .nfg file starts with: NFG 1 R \"title\" { \"Player 1\" \"Player 2\" } { 2 2 }";

using io_detail::describe;
using io_detail::quoted;
using io_detail::read_text_file;
using io_detail::Lexer;
using io_detail::Token;
using io_detail::TokenKind;

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

/// Decimal syntax: [+-]? (digits [. digits?] | . digits) ([eE] [+-]? digits)?
bool is_decimal(std::string_view s) {
  std::size_t i = 0;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
  std::size_t digits = 0;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i, ++digits;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i, ++digits;
  }
  if (digits == 0) return false;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    if (!all_digits(s.substr(i))) return false;
    return true;
  }
  return i == s.size();
}

/// Converts decimal text (already checked by is_decimal) to the nearest double; nullopt when
/// its magnitude is too large for a double. Values below the smallest subnormal become zero.
std::optional<double> decimal_value(std::string_view s) {
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  double value = 0.0;
  const auto result = std::from_chars(s.data(), s.data() + s.size(), value);
  if (result.ec == std::errc::result_out_of_range) {
    const std::string copy(s);
    value = std::strtod(copy.c_str(), nullptr);
  } else if (result.ec != std::errc() || result.ptr != s.data() + s.size()) {
    return std::nullopt;
  }
  if (!std::isfinite(value)) return std::nullopt;
  return value;
}

/// Reads a payoff: integer, decimal or fraction of integers ("-3/4"). The fraction's value is
/// the correctly rounded quotient when numerator and denominator are below 2^53 in magnitude.
double number_value(const Lexer& lexer, const Token& token) {
  const std::string& s = token.text;
  const auto bad = [&](const std::string& why) {
    return InputError(lexer.mark(token), fmt::format("bad number '{}': {}", s, why),
                      "write an integer (3, -2), a decimal (0.25, 1e-3) or a fraction (-3/4)");
  };
  const std::size_t slash = s.find('/');
  if (slash != std::string::npos) {
    std::string_view num(s.data(), slash);
    const std::string_view den(s.data() + slash + 1, s.size() - slash - 1);
    const bool negative = !num.empty() && num.front() == '-';
    if (!num.empty() && (num.front() == '-' || num.front() == '+')) num.remove_prefix(1);
    if (!all_digits(num) || !all_digits(den)) {
      throw bad("a fraction is an integer, '/', and a positive integer");
    }
    const auto n = decimal_value(num);
    const auto d = decimal_value(den);
    if (!n || !d) throw bad("too large for a double");
    if (*d == 0.0) throw bad("division by zero");
    const double value = *n / *d;
    return negative ? -value : value;
  }
  if (!is_decimal(s)) throw bad("not a number");
  const auto value = decimal_value(s);
  if (!value) throw bad("too large for a double (the largest is about 1.8e308)");
  return *value;
}

/// The exact rational of a decimal or fraction token ("0.1" is 1/10), for exact payoffs;
/// nullopt for plain integers, whose doubles are already exact.
std::optional<mpq_class> exact_value(const std::string& text) {
  if (text.find_first_of("./eE") == std::string::npos) return std::nullopt;
  return parse_rational(text);
}

/// Makes labels non-empty and distinct: an empty label becomes `fallback(i)` (i is 1-based);
/// a label equal to an earlier one gets "_<i>" appended (and "_<k>" more if still taken).
std::vector<std::string> make_unique_labels(std::vector<std::string> labels, const auto& fallback) {
  std::set<std::string> used;
  for (std::size_t i = 0; i < labels.size(); ++i) {
    std::string label = labels[i].empty() ? fallback(i + 1) : labels[i];
    if (used.count(label) != 0) {
      const std::string base = fmt::format("{}_{}", label, i + 1);
      label = base;
      for (int k = 2; used.count(label) != 0; ++k) label = fmt::format("{}_{}", base, k);
    }
    used.insert(label);
    labels[i] = std::move(label);
  }
  return labels;
}

class NfgReader {
 public:
  NfgReader(const std::string& text, const std::string& filename, GameLimits limits)
      : lexer_(text, filename), limits_(limits) {}

  NormalFormGame read() {
    read_header();
    // Every payoff (payoff form) or outcome number (outcome form) takes at least two bytes with
    // its separator: a header whose counts the rest of the file cannot hold is refused before
    // the game's arrays are allocated (small games are read, so that a bad token is reported
    // where it is).
    double profiles = 1.0;
    for (const auto& labels : actions_) profiles *= static_cast<double>(labels.size());
    const bool outcome_form = lexer_.peek().kind == TokenKind::kOpen;
    const double numbers = outcome_form ? profiles : profiles * static_cast<double>(players_.size());
    const auto available = static_cast<double>(lexer_.remaining_bytes());
    if (profiles <= static_cast<double>(limits_.max_profiles) && numbers > 65'536.0 &&
        numbers > (available + 1.0) / 2.0) {
      throw InputError(
          lexer_.mark(shape_token_),
          fmt::format("the header declares {:.0f} strategy profiles, which need {:.0f} {} after "
                      "the header, but only {:.0f} bytes follow",
                      profiles, numbers, outcome_form ? "outcome numbers" : "payoffs", available),
          "the strategy counts in the header do not match the body: check them, or whether the "
          "file was cut short");
    }
    std::optional<NormalFormBuilder> builder;
    try {
      builder.emplace(players_, actions_, limits_);
    } catch (const InvalidGame& e) {
      throw InputError(lexer_.mark(shape_token_), e.what(),
                       "reduce the number of strategies or raise the game-size limit");
    }
    builder->set_title(title_);
    if (lexer_.peek().kind == TokenKind::kOpen) {
      read_outcome_body(*builder);
    } else {
      read_payoff_body(*builder);
    }
    const Token& rest = lexer_.peek();
    if (rest.kind != TokenKind::kEnd) {
      throw InputError(lexer_.mark(rest),
                       fmt::format("unexpected {} after the last profile", describe(rest)),
                       "remove it, or check the strategy counts in the header");
    }
    try {
      return std::move(*builder).build();
    } catch (const InvalidGame& e) {
      throw InputError(lexer_.last_end(), e.what());
    }
  }

 private:
  Token expect(TokenKind kind, const std::string& what, const std::string& hint = kHeaderHint) {
    const Token& token = lexer_.peek();
    if (token.kind != kind) {
      throw InputError(lexer_.mark(token),
                       fmt::format("expected {}, found {}", what, describe(token)), hint);
    }
    return lexer_.next();
  }

  void read_header() {
    const Token& first = lexer_.peek();
    if (first.kind != TokenKind::kWord || first.text != "NFG") {
      throw InputError(lexer_.mark(first),
                       fmt::format("missing 'NFG' header (found {})", describe(first)),
                       kHeaderHint);
    }
    lexer_.next();
    const Token version = expect(TokenKind::kNumber, "the format version 1 after 'NFG'");
    if (version.text != "1") {
      throw InputError(
          lexer_.mark(version),
          fmt::format("unsupported .nfg version '{}'; only version 1 exists", version.text),
          "write 'NFG 1 R' at the start of the file");
    }
    const Token r = expect(TokenKind::kWord, "'R' after 'NFG 1'");
    if (r.text != "R" && r.text != "D") {
      throw InputError(lexer_.mark(r),
                       fmt::format("expected 'R' after 'NFG 1', found '{}'", r.text),
                       "write 'NFG 1 R' at the start of the file");
    }
    title_ = expect(TokenKind::kString, "the game's title as a quoted string").text;

    const Token players_open = expect(TokenKind::kOpen, "'{' before the players' names");
    std::vector<std::string> players;
    while (lexer_.peek().kind == TokenKind::kString) players.push_back(lexer_.next().text);
    expect(TokenKind::kClose, "a quoted player name or '}'",
           "player names are quoted strings: { \"Player 1\" \"Player 2\" }");
    if (players.empty()) {
      throw InputError(lexer_.mark(players_open), "the game has no players",
                       "list the players' names: { \"Player 1\" \"Player 2\" }");
    }
    players_ = make_unique_labels(std::move(players),
                                  [](std::size_t i) { return fmt::format("Player {}", i); });

    read_strategies();
    if (lexer_.peek().kind == TokenKind::kString) lexer_.next();  // optional comment
  }

  void read_strategies() {
    shape_token_ =
        expect(TokenKind::kOpen, "'{' before the strategies",
               "give strategy counts { 3 2 } or labels { { \"U\" \"D\" } { \"L\" \"R\" } }");
    const std::size_t n = players_.size();
    std::vector<std::vector<std::string>> actions;
    if (lexer_.peek().kind == TokenKind::kOpen) {
      while (lexer_.peek().kind == TokenKind::kOpen) {
        const Token open = lexer_.next();
        std::vector<std::string> labels;
        while (lexer_.peek().kind == TokenKind::kString) labels.push_back(lexer_.next().text);
        expect(TokenKind::kClose, "a quoted strategy label or '}'",
               "strategy labels are quoted strings: { \"U\" \"D\" }");
        if (labels.empty()) {
          throw InputError(lexer_.mark(open),
                           fmt::format("player {} has zero strategies", actions.size() + 1),
                           "every player needs at least one strategy");
        }
        actions.push_back(std::move(labels));
      }
    } else {
      while (lexer_.peek().kind == TokenKind::kNumber) {
        const Token count = lexer_.next();
        long value = 0;
        const auto result =
            std::from_chars(count.text.data(), count.text.data() + count.text.size(), value);
        if (result.ec != std::errc() || result.ptr != count.text.data() + count.text.size()) {
          throw InputError(lexer_.mark(count), fmt::format("bad strategy count '{}'", count.text),
                           "strategy counts are positive integers: { 3 2 }");
        }
        if (value <= 0) {
          throw InputError(lexer_.mark(count),
                           fmt::format("player {} has zero strategies", actions.size() + 1),
                           "every player needs at least one strategy");
        }
        if (static_cast<unsigned long>(value) > limits_.max_profiles ||
            value > std::numeric_limits<int>::max()) {
          throw InputError(lexer_.mark(count),
                           fmt::format("player {} has {} strategies, more than the game-size "
                                       "limit of {} profiles",
                                       actions.size() + 1, value, limits_.max_profiles),
                           "reduce the number of strategies");
        }
        actions.emplace_back(static_cast<std::size_t>(value));
      }
    }
    const Token close = expect(TokenKind::kClose, "a strategy count, a label list or '}'",
                               "give strategy counts { 3 2 } or labels "
                               "{ { \"U\" \"D\" } { \"L\" \"R\" } }");
    if (actions.size() != n) {
      throw InputError(
          lexer_.mark(actions.empty() ? close : shape_token_),
          fmt::format("strategies given for {} player{}, but the game has {} "
                      "player{}",
                      actions.size(), actions.size() == 1 ? "" : "s", n, n == 1 ? "" : "s"),
          "give one strategy count or label list per player");
    }
    for (auto& labels : actions) {
      labels =
          make_unique_labels(std::move(labels), [](std::size_t i) { return std::to_string(i); });
    }
    actions_ = std::move(actions);
  }

  void read_payoff_body(NormalFormBuilder& builder) {
    const std::size_t n = players_.size();
    const std::size_t profiles = builder.num_profiles();
    const std::size_t expected = n * profiles;
    std::size_t found = 0;
    while (lexer_.peek().kind == TokenKind::kNumber) {
      const Token token = lexer_.next();
      const double value = number_value(lexer_, token);
      if (found >= expected) {
        std::size_t extra = found + 1;
        while (lexer_.peek().kind == TokenKind::kNumber) lexer_.next(), ++extra;
        throw InputError(
            lexer_.mark(token),
            fmt::format("expected {} payoffs ({} player{} × {} profile{}), found {}", expected, n,
                        n == 1 ? "" : "s", profiles, profiles == 1 ? "" : "s", extra),
            "remove the extra payoffs, or check the strategy counts in the header");
      }
      builder.set_payoff(found / n, static_cast<int>(found % n), value);
      if (auto exact = exact_value(token.text)) {
        builder.set_exact_payoff(found / n, static_cast<int>(found % n), *exact);
      }
      ++found;
    }
    if (found < expected) {
      const Token& stop = lexer_.peek();
      if (stop.kind != TokenKind::kEnd) {
        throw InputError(lexer_.mark(stop),
                         fmt::format("expected a payoff number, found {}", describe(stop)),
                         "the body lists one number per player for every profile");
      }
      throw InputError(
          lexer_.last_end(),
          fmt::format("expected {} payoffs ({} player{} × {} profile{}), found {}", expected, n,
                      n == 1 ? "" : "s", profiles, profiles == 1 ? "" : "s", found),
          "the body lists one number per player for every profile, the first "
          "player's strategy changing fastest");
    }
  }

  void read_outcome_body(NormalFormBuilder& builder) {
    const std::size_t n = players_.size();
    expect(TokenKind::kOpen, "'{' before the outcomes");
    // Outcome 0 is the all-zero outcome; listed outcomes are numbered from 1.
    std::vector<std::vector<double>> outcomes{std::vector<double>(n, 0.0)};
    std::vector<std::vector<std::optional<mpq_class>>> exact_outcomes{
        std::vector<std::optional<mpq_class>>(n)};
    while (lexer_.peek().kind == TokenKind::kOpen) {
      const Token open = lexer_.next();
      const Token name = expect(TokenKind::kString, "the outcome's name as a quoted string",
                                "an outcome reads { \"name\" 1, 2 }");
      std::vector<double> payoffs;
      std::vector<std::optional<mpq_class>> exact;
      while (lexer_.peek().kind == TokenKind::kNumber) {
        const Token number = lexer_.next();
        payoffs.push_back(number_value(lexer_, number));
        exact.push_back(exact_value(number.text));
      }
      expect(TokenKind::kClose, "a payoff number or '}'", "an outcome reads { \"name\" 1, 2 }");
      if (payoffs.size() != n) {
        throw InputError(
            lexer_.mark(open),
            fmt::format("outcome {} (\"{}\") has {} payoff{}; expected {} (one per player)",
                        outcomes.size(), name.text, payoffs.size(), payoffs.size() == 1 ? "" : "s",
                        n),
            "give one payoff per player, in player order");
      }
      outcomes.push_back(std::move(payoffs));
      exact_outcomes.push_back(std::move(exact));
    }
    expect(TokenKind::kClose, "'{' starting an outcome or '}' ending the outcome list",
           "an outcome reads { \"name\" 1, 2 }");

    const std::size_t profiles = builder.num_profiles();
    std::size_t found = 0;
    while (lexer_.peek().kind == TokenKind::kNumber) {
      const Token token = lexer_.next();
      std::size_t number = 0;
      const auto result =
          std::from_chars(token.text.data(), token.text.data() + token.text.size(), number);
      if (result.ec != std::errc() || result.ptr != token.text.data() + token.text.size()) {
        throw InputError(lexer_.mark(token), fmt::format("bad outcome number '{}'", token.text),
                         fmt::format("write an outcome number from 0 to {}", outcomes.size() - 1));
      }
      if (number >= outcomes.size()) {
        throw InputError(lexer_.mark(token),
                         fmt::format("outcome {} is out of range: the file defines {} outcome{}",
                                     number, outcomes.size() - 1, outcomes.size() == 2 ? "" : "s"),
                         outcomes.size() == 1
                             ? std::string("the file lists no outcomes; use 0 for all-zero payoffs")
                             : fmt::format("use 0 for all-zero payoffs or 1 to {} for the listed "
                                           "outcomes",
                                           outcomes.size() - 1));
      }
      if (found >= profiles) {
        std::size_t extra = found + 1;
        while (lexer_.peek().kind == TokenKind::kNumber) lexer_.next(), ++extra;
        throw InputError(
            lexer_.mark(token),
            fmt::format("expected {} outcome numbers (one per profile), found {}", profiles, extra),
            "remove the extra outcome numbers, or check the strategies");
      }
      builder.set_payoffs(found, outcomes[number]);
      for (std::size_t p = 0; p < n; ++p) {
        if (exact_outcomes[number][p]) {
          builder.set_exact_payoff(found, static_cast<int>(p), *exact_outcomes[number][p]);
        }
      }
      ++found;
    }
    if (found < profiles) {
      const Token& stop = lexer_.peek();
      if (stop.kind != TokenKind::kEnd) {
        throw InputError(lexer_.mark(stop),
                         fmt::format("expected an outcome number, found {}", describe(stop)),
                         "the body lists one outcome number per profile");
      }
      throw InputError(
          lexer_.last_end(),
          fmt::format("expected {} outcome numbers (one per profile), found {}", profiles, found),
          "the body lists one outcome number per profile, the first player's "
          "strategy changing fastest");
    }
  }

  Lexer lexer_;
  GameLimits limits_;
  std::string title_;
  std::vector<std::string> players_;
  std::vector<std::vector<std::string>> actions_;
  Token shape_token_;
};

}  // namespace

NormalFormGame parse_nfg(const std::string& text, const std::string& filename, GameLimits limits) {
  return NfgReader(text, filename, limits).read();
}

NormalFormGame read_nfg(const std::string& path, GameLimits limits) {
  return parse_nfg(read_text_file(path), path, limits);
}

std::string write_nfg(const NormalFormGame& game) {
  const int n = game.num_players();
  std::string out = "NFG 1 R " + quoted(game.title()) + " {";
  for (int p = 0; p < n; ++p) out += " " + quoted(game.player_name(p));
  out += " }\n{";
  for (int p = 0; p < n; ++p) {
    out += " {";
    for (const auto& label : game.action_names(p)) out += " " + quoted(label);
    out += " }";
  }
  out += " }\n\"\"\n\n";
  fmt::memory_buffer body;
  for (std::size_t i = 0; i < game.num_profiles(); ++i) {
    for (int p = 0; p < n; ++p) {
      // "{}" is the shortest text that reads back to the same double.
      if (p > 0) body.push_back(' ');
      fmt::format_to(std::back_inserter(body), "{}", game.payoff(p, i));
    }
    body.push_back('\n');
  }
  out.append(body.data(), body.size());
  return out;
}

}  // namespace stratagem
