// Reader and writer for Gambit's strategic-game (.nfg) text format, written from the published
// format description: a header (NFG 1 R "title" { players } { strategies } "comment") followed
// either by payoffs for every profile (payoff form) or by a list of outcomes and one outcome
// number per profile (outcome form). Profiles are enumerated with the first player's strategy
// changing fastest, which is also NormalFormGame's profile index order.

#include "stratagem/io/nfg.hpp"

#include "io/gambit_lexer.hpp"

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

/// A payoff's value, or why the text is not a payoff (the reason after "bad number '...': ").
struct PayoffValue {
  double value = 0.0;
  const char* error = nullptr;
};

/// Reads a payoff: integer, decimal or fraction of integers ("-3/4"). The fraction's value is
/// the correctly rounded quotient when numerator and denominator are below 2^53 in magnitude.
PayoffValue payoff_value(std::string_view s) {
  const std::size_t slash = s.find('/');
  if (slash != std::string_view::npos) {
    std::string_view num = s.substr(0, slash);
    const std::string_view den = s.substr(slash + 1);
    const bool negative = !num.empty() && num.front() == '-';
    if (!num.empty() && (num.front() == '-' || num.front() == '+')) num.remove_prefix(1);
    if (!all_digits(num) || !all_digits(den)) {
      return {.error = "a fraction is an integer, '/', and a positive integer"};
    }
    const auto n = decimal_value(num);
    const auto d = decimal_value(den);
    if (!n || !d) return {.error = "too large for a double"};
    if (*d == 0.0) return {.error = "division by zero"};
    const double value = *n / *d;
    return {.value = negative ? -value : value};
  }
  if (!is_decimal(s)) return {.error = "not a number"};
  const auto value = decimal_value(s);
  if (!value) return {.error = "too large for a double (the largest is about 1.8e308)"};
  return {.value = *value};
}

/// payoff_value() of a token, throwing InputError at the token when it is not a payoff.
double number_value(const Lexer& lexer, const Token& token) {
  const PayoffValue payoff = payoff_value(token.text);
  if (payoff.error != nullptr) {
    throw InputError(lexer.mark(token),
                     fmt::format("bad number '{}': {}", token.text, payoff.error),
                     "write an integer (3, -2), a decimal (0.25, 1e-3) or a fraction (-3/4)");
  }
  return payoff.value;
}

/// True when the payoff text is a decimal or a fraction, whose exact value may be no double.
bool may_need_exact(std::string_view text) {
  return text.find_first_of("./eE") != std::string_view::npos;
}

/// The exact rational of a decimal or fraction token ("0.1" is 1/10), for exact payoffs;
/// nullopt for plain integers, whose doubles are already exact.
std::optional<mpq_class> exact_value(std::string_view text) {
  if (!may_need_exact(text)) return std::nullopt;
  return parse_rational(text);
}

/// The value of an integer token of at most 15 digits with an optional sign (exact in a double;
/// "-0" is -0.0, as from_chars reads it); nullopt for any other text.
inline std::optional<double> small_integer(std::string_view s) {
  std::size_t i = 0;
  const bool negative = !s.empty() && s.front() == '-';
  if (!s.empty() && (s.front() == '-' || s.front() == '+')) i = 1;
  if (s.size() == i || s.size() - i > 15) return std::nullopt;
  std::uint64_t value = 0;
  for (; i < s.size(); ++i) {
    const auto digit = static_cast<unsigned>(static_cast<unsigned char>(s[i])) - '0';
    if (digit > 9) return std::nullopt;
    value = value * 10 + digit;
  }
  const auto x = static_cast<double>(value);
  return negative ? -x : x;
}

/// The value of a token of 1 to 18 decimal digits (an outcome number); nullopt otherwise.
std::optional<std::size_t> small_count(std::string_view s) {
  if (s.empty() || s.size() > 18) return std::nullopt;
  std::uint64_t value = 0;
  for (const char c : s) {
    const auto digit = static_cast<unsigned>(static_cast<unsigned char>(c)) - '0';
    if (digit > 9) return std::nullopt;
    value = value * 10 + digit;
  }
  return static_cast<std::size_t>(value);
}

/// For a plain decimal ("2.25", "-0.5": sign, digits, '.', digits, 19 digits at most) whose value
/// a double holds exactly, that double; nullopt otherwise (other syntax, or a value such as 0.1
/// that needs an exact rational). Zero is +0.0, as the exact path (set_exact_payoff) makes it.
std::optional<double> exact_dyadic_decimal(std::string_view s) {
  std::size_t i = 0;
  const bool negative = !s.empty() && s.front() == '-';
  if (!s.empty() && (s.front() == '-' || s.front() == '+')) i = 1;
  std::uint64_t mantissa = 0;
  int digits = 0, places = 0;
  bool point = false;
  for (; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '.' && !point) {
      point = true;
      continue;
    }
    if (c < '0' || c > '9' || ++digits > 19) return std::nullopt;
    mantissa = mantissa * 10 + static_cast<unsigned>(c - '0');
    if (point) ++places;
  }
  if (!point || digits == 0) return std::nullopt;
  // mantissa / 10^places is a double exactly when 5^places divides the mantissa and the
  // quotient has at most 53 bits: the value is then quotient * 2^-places.
  std::uint64_t five = 1;
  for (int k = 0; k < places; ++k) five *= 5;  // places <= 19, so 5^places < 2^64
  if (mantissa % five != 0) return std::nullopt;
  const std::uint64_t quotient = mantissa / five;
  if (quotient > (std::uint64_t{1} << 53)) return std::nullopt;
  if (quotient == 0) return 0.0;
  const double value = std::ldexp(static_cast<double>(quotient), -places);
  return negative ? -value : value;
}

/// A payoff read by the fast path: its double, and whether the text is a decimal or fraction
/// that no double holds exactly (then its exact rational is stored too, as exact_value()).
struct ScannedPayoff {
  double value = 0.0;
  bool needs_exact = false;
};

/// scanned_payoff() for anything but a short integer.
[[gnu::noinline]] std::optional<ScannedPayoff> other_scanned_payoff(std::string_view s) {
  const PayoffValue parsed = payoff_value(s);
  if (parsed.error != nullptr) return std::nullopt;
  if (!may_need_exact(s)) return ScannedPayoff{parsed.value, false};  // a long integer
  if (const auto dyadic = exact_dyadic_decimal(s)) return ScannedPayoff{*dyadic, false};
  return ScannedPayoff{parsed.value, true};
}

/// The payoff a token stands for, stored exactly as the token-by-token path stores it; nullopt
/// when the token is not a valid payoff (the lexer path then reports it).
inline std::optional<ScannedPayoff> scanned_payoff(std::string_view s) {
  // Short integers, by far the most common payoffs, take the inlined path.
  if (const auto integer = small_integer(s)) [[likely]] {
    return ScannedPayoff{*integer, false};
  }
  return other_scanned_payoff(s);
}

/// Byte classes for the fast path: bytes of a bare token, whitespace (with ','), line feeds, and
/// the bytes the fast path leaves to the lexer ('{', '}', '"').
enum ByteClass : unsigned char { kTokenByte, kSpaceByte, kNewlineByte, kStructureByte };

constexpr std::array<ByteClass, 256> kByteClasses = [] {
  std::array<ByteClass, 256> classes{};
  for (auto& c : classes) c = kTokenByte;
  for (const unsigned char c : {' ', '\t', '\r', '\f', '\v', ','}) classes[c] = kSpaceByte;
  classes[static_cast<unsigned char>('\n')] = kNewlineByte;
  for (const unsigned char c : {'{', '}', '"'}) classes[c] = kStructureByte;
  return classes;
}();

inline ByteClass byte_class(char c) { return kByteClasses[static_cast<unsigned char>(c)]; }

/// Reads a run of bare tokens straight from the lexer's text, without building a Token (and its
/// string) for each, counting lines only at line feeds. Starts at the lexer's current token;
/// finish() hands the lexer back the position after the last accepted token, so that whatever
/// the scanner did not accept (a brace, a word, a malformed number, the end) is read, and
/// reported, by the lexer exactly as if the scanner had not run. Token boundaries and positions
/// are the lexer's (gambit_lexer.hpp: is_delimiter, bytes as columns).
class TokenScanner {
 public:
  explicit TokenScanner(Lexer& lexer) : lexer_(lexer), text_(lexer.text()) {
    const io_detail::TextPosition start = lexer.position();
    pos_ = start.offset;
    line_ = start.line;
    line_start_ = start.offset - static_cast<std::size_t>(start.column - 1);
    const SourceMark end = lexer.last_end();
    last_end_ = {0, end.line, end.column};
  }

  /// Moves past whitespace, commas and line breaks to the next token (or the end).
  void skip_space() {
    for (; pos_ < text_.size(); ++pos_) {
      const ByteClass c = byte_class(text_[pos_]);
      if (c == kSpaceByte) continue;
      if (c != kNewlineByte) break;
      ++line_;
      line_start_ = pos_ + 1;
    }
  }

  /// When the next token is an integer of 1 to 7 digits with an optional '-' (the commonest
  /// payoff) and at least 8 bytes of text follow its sign: consumes it (as accept() does) and
  /// returns its value, read 8 bytes at a time. Otherwise nullopt, nothing consumed.
  std::optional<double> short_integer() {
    if constexpr (std::endian::native != std::endian::little) return std::nullopt;
    skip_space();
    std::size_t start = pos_;
    const bool negative = start < text_.size() && text_[start] == '-';
    if (negative) ++start;
    if (text_.size() - start < 8) return std::nullopt;
    std::uint64_t chunk = 0;
    std::memcpy(&chunk, text_.data() + start, sizeof chunk);  // the first byte is the lowest
    // Per byte: zero when the byte is an ASCII digit (high nibble 3, and adding 6 keeps it 3).
    // A carry out of a non-digit byte can only disturb the bytes after it, which are not used.
    constexpr std::uint64_t kHigh = 0xF0F0F0F0F0F0F0F0, kThrees = 0x3030303030303030;
    const std::uint64_t not_digit =
        ((chunk & kHigh) ^ kThrees) | (((chunk + 0x0606060606060606) & kHigh) ^ kThrees);
    if (not_digit == 0) return std::nullopt;  // 8 digits or more: the general path
    const int digits = std::countr_zero(not_digit) / 8;
    if (digits == 0 || byte_class(text_[start + static_cast<std::size_t>(digits)]) == kTokenByte) {
      return std::nullopt;
    }
    // The digits' values moved to the top bytes (zero bytes are leading zeros), then combined
    // pairwise: 8 digits -> 4 two-digit numbers -> one number (as in simdjson and fast_float).
    std::uint64_t v = (chunk - kThrees) << (8 * (8 - digits));
    v = v * 10 + (v >> 8);
    v = (((v & 0x000000FF000000FF) * (100 + (1000000ULL << 32))) +
         (((v >> 16) & 0x000000FF000000FF) * (1 + (10000ULL << 32)))) >>
        32;
    pos_ = start + static_cast<std::size_t>(digits);
    accept();
    const auto value = static_cast<double>(static_cast<std::uint32_t>(v));
    return negative ? -value : value;
  }

  /// The next token when it starts like a number (a digit, '+', '-' or '.'); nullopt at the end
  /// of the text or before any other token. Tokens never span lines.
  std::optional<std::string_view> next() {
    skip_space();
    if (pos_ == text_.size()) return std::nullopt;
    const char first = text_[pos_];
    if (!((first >= '0' && first <= '9') || first == '-' || first == '+' || first == '.')) {
      return std::nullopt;
    }
    const std::size_t start = pos_;
    for (++pos_; pos_ < text_.size() && byte_class(text_[pos_]) == kTokenByte;) ++pos_;
    return text_.substr(start, pos_ - start);
  }

  /// Consumes the token next() returned last.
  void accept() { last_end_ = {pos_, line_, column()}; }

  /// Leaves `token`, the token next() returned last, to the lexer.
  void put_back(std::string_view token) {
    pos_ = static_cast<std::size_t>(token.data() - text_.data());
  }

  /// Hands the position back to the lexer: its peek() is the first token not accepted.
  void finish() { lexer_.skip_to({pos_, line_, column()}, last_end_); }

 private:
  [[nodiscard]] int column() const { return static_cast<int>(pos_ - line_start_) + 1; }

  Lexer& lexer_;
  std::string_view text_;
  std::size_t pos_ = 0;
  int line_ = 1;
  std::size_t line_start_ = 0;
  io_detail::TextPosition last_end_;
};

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
