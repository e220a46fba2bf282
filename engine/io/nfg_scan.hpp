// Number reading and the fast payoff scanner of the .nfg reader (engine-private): payoff and
// outcome-number tokens read straight from the file's bytes, with exact values kept for
// decimals and fractions; anything unusual is left to the tokenizer (engine/io/nfg.cpp).
#pragma once

#include <gmpxx.h>

#include <array>
#include <bit>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

#include "io/gambit_lexer.hpp"
#include "stratagem/game/rational.hpp"

namespace stratagem::nfg_detail {

using io_detail::Lexer;
using io_detail::Token;
using io_detail::TokenKind;

inline bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

/// Decimal syntax: [+-]? (digits [. digits?] | . digits) ([eE] [+-]? digits)?
inline bool is_decimal(std::string_view s) {
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
inline std::optional<double> decimal_value(std::string_view s) {
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
inline PayoffValue payoff_value(std::string_view s) {
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
inline double number_value(const Lexer& lexer, const Token& token) {
  const PayoffValue payoff = payoff_value(token.text);
  if (payoff.error != nullptr) {
    throw InputError(lexer.mark(token),
                     fmt::format("bad number '{}': {}", token.text, payoff.error),
                     "write an integer (3, -2), a decimal (0.25, 1e-3) or a fraction (-3/4)");
  }
  return payoff.value;
}

/// True when the payoff text is a decimal or a fraction, whose exact value may be no double.
inline bool may_need_exact(std::string_view text) {
  return text.find_first_of("./eE") != std::string_view::npos;
}

/// The exact rational of a decimal or fraction token ("0.1" is 1/10), for exact payoffs;
/// nullopt for plain integers, whose doubles are already exact.
inline std::optional<mpq_class> exact_value(std::string_view text) {
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
inline std::optional<std::size_t> small_count(std::string_view s) {
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
inline std::optional<double> exact_dyadic_decimal(std::string_view s) {
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

}  // namespace stratagem::nfg_detail
