// Reader and writer for Gambit's strategic-game (.nfg) text format, written from the published
// format description: a header (NFG 1 R "title" { players } { strategies } "comment") followed
// either by payoffs for every profile (payoff form) or by a list of outcomes and one outcome
// number per profile (outcome form). Profiles are enumerated with the first player's strategy
// changing fastest, which is also NormalFormGame's profile index order.

#include "stratagem/io/nfg.hpp"

#include "io/gambit_lexer.hpp"
#include "io/nfg_scan.hpp"

#include "stratagem/game/rational.hpp"

#include <fmt/format.h>

#include <array>
#include <bit>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <optional>
#include <set>
#include <span>
#include <string>
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

using namespace nfg_detail;

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
    for (const std::size_t count : counts_) profiles *= static_cast<double>(count);
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
    // Strategies given as counts are labelled "1", "2", ... only now, after the checks above and
    // the profile limit, so that a short header such as { 20000000 20000000 } is refused without
    // first making millions of labels. The limit test and its message are NormalFormBuilder's.
    std::size_t product = 1;
    for (const std::size_t count : counts_) {
      if (product > limits_.max_profiles / count) {
        throw InputError(lexer_.mark(shape_token_),
                         fmt::format("the game has more than {} pure profiles (the limit); reduce "
                                     "the number of actions",
                                     limits_.max_profiles),
                         "reduce the number of strategies or raise the game-size limit");
      }
      product *= count;
    }
    for (std::size_t p = 0; p < actions_.size(); ++p) {
      if (!actions_[p].empty()) continue;
      actions_[p].reserve(counts_[p]);
      for (std::size_t a = 1; a <= counts_[p]; ++a) actions_[p].push_back(std::to_string(a));
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
    std::vector<std::size_t> counts;
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
        counts.push_back(labels.size());
        actions.push_back(
            make_unique_labels(std::move(labels), [](std::size_t i) { return std::to_string(i); }));
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
        actions.emplace_back();  // labelled "1", "2", ... in read(), after the size checks
        counts.push_back(static_cast<std::size_t>(value));
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
    actions_ = std::move(actions);
    counts_ = std::move(counts);
  }

  void read_payoff_body(NormalFormBuilder& builder) {
    const std::size_t n = players_.size();
    const std::size_t profiles = builder.num_profiles();
    const std::size_t expected = n * profiles;
    // The well-formed payoffs straight from the text; the lexer reads on from the first token
    // the scanner leaves (past the last payoff, or a token it reports as an error).
    std::size_t profile = 0;
    int player = 0;
    std::size_t found = scan_payoffs(expected, [&](std::string_view text, ScannedPayoff payoff) {
      builder.set_payoff(profile, player, payoff.value);
      if (payoff.needs_exact) {
        if (auto exact = parse_rational(text)) builder.set_exact_payoff(profile, player, *exact);
      }
      if (++player == static_cast<int>(n)) {
        player = 0;
        ++profile;
      }
    });
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
    // Outcome 0 is the all-zero outcome; listed outcomes are numbered from 1. Outcome k's
    // payoffs are payoffs[k * n, (k + 1) * n); exact[k] lists those given as rationals that no
    // double holds, by player (usually none, and then nothing is allocated).
    std::vector<double> payoffs(n, 0.0);
    std::vector<std::vector<std::pair<int, mpq_class>>> exact(1);
    std::size_t count = 1;  // outcomes so far, with outcome 0
    while (lexer_.peek().kind == TokenKind::kOpen) {
      const Token open = lexer_.next();
      const Token name = expect(TokenKind::kString, "the outcome's name as a quoted string",
                                "an outcome reads { \"name\" 1, 2 }");
      const std::size_t first = payoffs.size();
      std::vector<std::pair<int, mpq_class>> rationals;
      const auto add = [&](double value, std::optional<mpq_class> rational) {
        if (rational) rationals.emplace_back(static_cast<int>(payoffs.size() - first), *rational);
        payoffs.push_back(value);
      };
      scan_payoffs(std::numeric_limits<std::size_t>::max(),
                   [&](std::string_view text, ScannedPayoff payoff) {
                     add(payoff.value, payoff.needs_exact ? parse_rational(text) : std::nullopt);
                   });
      while (lexer_.peek().kind == TokenKind::kNumber) {
        const Token number = lexer_.next();
        add(number_value(lexer_, number), exact_value(number.text));
      }
      expect(TokenKind::kClose, "a payoff number or '}'", "an outcome reads { \"name\" 1, 2 }");
      const std::size_t given = payoffs.size() - first;
      if (given != n) {
        throw InputError(
            lexer_.mark(open),
            fmt::format("outcome {} (\"{}\") has {} payoff{}; expected {} (one per player)", count,
                        name.text, given, given == 1 ? "" : "s", n),
            "give one payoff per player, in player order");
      }
      exact.push_back(std::move(rationals));
      ++count;
    }
    expect(TokenKind::kClose, "'{' starting an outcome or '}' ending the outcome list",
           "an outcome reads { \"name\" 1, 2 }");

    const std::size_t profiles = builder.num_profiles();
    const auto store = [&](std::size_t profile, std::size_t number) {
      builder.set_payoffs(profile, std::span<const double>(payoffs).subspan(number * n, n));
      for (const auto& [player, value] : exact[number]) {
        builder.set_exact_payoff(profile, player, value);
      }
    };
    // Fast path: outcome numbers in range straight from the text; the lexer reads on from the
    // first token the scanner leaves (past the last profile, or a token it reports as an error).
    std::size_t found = 0;
    if (lexer_.peek().kind == TokenKind::kNumber && profiles > 0) {
      TokenScanner scanner(lexer_);
      while (found < profiles) {
        const auto token = scanner.next();
        if (!token) break;
        const auto number = small_count(*token);
        if (!number || *number >= count) {
          scanner.put_back(*token);
          break;
        }
        store(found, *number);
        scanner.accept();
        ++found;
      }
      scanner.finish();
    }
    while (lexer_.peek().kind == TokenKind::kNumber) {
      const Token token = lexer_.next();
      std::size_t number = 0;
      const auto result =
          std::from_chars(token.text.data(), token.text.data() + token.text.size(), number);
      if (result.ec != std::errc() || result.ptr != token.text.data() + token.text.size()) {
        throw InputError(lexer_.mark(token), fmt::format("bad outcome number '{}'", token.text),
                         fmt::format("write an outcome number from 0 to {}", count - 1));
      }
      if (number >= count) {
        throw InputError(lexer_.mark(token),
                         fmt::format("outcome {} is out of range: the file defines {} outcome{}",
                                     number, count - 1, count == 2 ? "" : "s"),
                         count == 1
                             ? std::string("the file lists no outcomes; use 0 for all-zero payoffs")
                             : fmt::format("use 0 for all-zero payoffs or 1 to {} for the listed "
                                           "outcomes",
                                           count - 1));
      }
      if (found >= profiles) {
        std::size_t extra = found + 1;
        while (lexer_.peek().kind == TokenKind::kNumber) lexer_.next(), ++extra;
        throw InputError(
            lexer_.mark(token),
            fmt::format("expected {} outcome numbers (one per profile), found {}", profiles, extra),
            "remove the extra outcome numbers, or check the strategies");
      }
      store(found, number);
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

  /// Reads at most `limit` payoffs from the current token on with a TokenScanner, passing each
  /// one's text (needed only when needs_exact; empty for short integers) and value to `store`;
  /// stops before the first token that is not a valid payoff and leaves it to the lexer.
  /// Returns how many payoffs were read.
  template <class Store>
  std::size_t scan_payoffs(std::size_t limit, Store&& store) {
    if (lexer_.peek().kind != TokenKind::kNumber || limit == 0) return 0;
    TokenScanner scanner(lexer_);
    std::size_t count = 0;
    while (count < limit) {
      if (const auto integer = scanner.short_integer()) {
        store(std::string_view(), ScannedPayoff{*integer, false});
        ++count;
        continue;
      }
      const auto token = scanner.next();
      if (!token) break;
      const auto payoff = scanned_payoff(*token);
      if (!payoff) {
        scanner.put_back(*token);
        break;
      }
      store(*token, *payoff);
      scanner.accept();
      ++count;
    }
    scanner.finish();
    return count;
  }

  Lexer lexer_;
  GameLimits limits_;
  std::string title_;
  std::vector<std::string> players_;
  std::vector<std::vector<std::string>> actions_;  ///< empty for players given by a count
  std::vector<std::size_t> counts_;                ///< every player's number of strategies
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
      // "{}" is the shortest text that reads back to the same double; a payoff kept as an
      // exact rational (1/3, 0.1) is written as that fraction, so it reads back exactly.
      if (p > 0) body.push_back(' ');
      const mpq_class exact = game.exact_payoff(p, i);
      if (game.has_exact_payoffs() && mpq_class(game.payoff(p, i)) != exact) {
        fmt::format_to(std::back_inserter(body), "{}", fraction_string(exact));
      } else {
        fmt::format_to(std::back_inserter(body), "{}", game.payoff(p, i));
      }
    }
    body.push_back('\n');
  }
  out.append(body.data(), body.size());
  return out;
}

}  // namespace stratagem
