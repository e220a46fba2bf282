#include "cli/options.hpp"

#include <fmt/format.h>

#include <cctype>
#include <charconv>
#include <cmath>
#include <optional>
#include <string_view>

#include "cli/cli.hpp"

namespace stratagem::cli {
namespace {

std::string_view trimmed(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

/// A decimal number: digits, sign, point and exponent only (no "inf", "nan", hex); finite.
std::optional<double> decimal(std::string_view s) {
  s = trimmed(s);
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  if (s.empty()) return std::nullopt;
  for (const char c : s) {
    if (!(std::isdigit(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '+' ||
          c == 'e' || c == 'E')) {
      return std::nullopt;
    }
  }
  double value = 0.0;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc() || ptr != s.data() + s.size() || !std::isfinite(value)) return std::nullopt;
  return value;
}

std::string range_text(double lo, double hi) {
  if (std::isinf(hi)) return fmt::format("a number >= {}", lo);
  return fmt::format("a number from {} to {}", lo, hi);
}

}  // namespace

double parse_real_argument(const std::string& option, const std::string& text, double lo,
                           double hi) {
  std::optional<double> value;
  const auto slash = text.find('/');
  if (slash == std::string::npos) {
    value = decimal(text);
  } else {
    const auto num = decimal(std::string_view(text).substr(0, slash));
    const auto den = decimal(std::string_view(text).substr(slash + 1));
    if (num && den && *den != 0.0 && std::isfinite(*num / *den)) value = *num / *den;
  }
  if (!value) {
    throw UsageError(fmt::format("{} '{}': not a finite number; write {}, as a decimal (0.25, "
                                 "1e-9) or a fraction (1/4)",
                                 option, text, range_text(lo, hi)));
  }
  if (*value < lo || *value > hi) {
    throw UsageError(fmt::format("{} {} is out of range; write {}", option, text,
                                 range_text(lo, hi)));
  }
  return *value;
}

long long parse_integer_argument(const std::string& option, const std::string& text, long long lo,
                                 long long hi) {
  std::string_view s = trimmed(text);
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  long long value = 0;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (s.empty() || ec == std::errc::invalid_argument || ptr != s.data() + s.size()) {
    throw UsageError(fmt::format("{} '{}': not a whole number; write an integer from {} to {}",
                                 option, text, lo, hi));
  }
  if (ec == std::errc::result_out_of_range || value < lo || value > hi) {
    throw UsageError(fmt::format("{} {} is out of range; write an integer from {} to {}", option,
                                 text, lo, hi));
  }
  return value;
}

boost::program_options::typed_value<std::string>* real_value(double* target,
                                                            const std::string& option, double lo,
                                                            double hi,
                                                            const std::string& default_text) {
  auto* value = boost::program_options::value<std::string>();
  if (!default_text.empty()) value->default_value(default_text);
  value->notifier([target, option, lo, hi](const std::string& text) {
    *target = parse_real_argument(option, text, lo, hi);
  });
  return value;
}

}  // namespace stratagem::cli
