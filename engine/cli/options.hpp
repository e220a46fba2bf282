#pragma once
// Numeric command-line options, parsed strictly: every command reads its numbers through these,
// so "nan", "inf", "-5" for a count, "1e99" threads or "0" for a 1-based label are usage errors
// (exit 2) that name the option and the accepted range.

#include <string>

#include <boost/program_options.hpp>

namespace stratagem::cli {

/// Largest --threads value (0 means all cores). A higher count only adds scheduling overhead on
/// any machine this engine runs on; oneTBB itself caps workers at the machine's concurrency.
inline constexpr long long kMaxThreads = 1024;

/// Parses `text` as a finite number in [lo, hi]: a decimal ("0.25", "1e-9") or a fraction
/// ("1/3", "-2/7"). Throws UsageError naming `option`, the text and the accepted range.
[[nodiscard]] double parse_real_argument(const std::string& option, const std::string& text,
                                         double lo, double hi);

/// Parses `text` as a whole number in [lo, hi] (decimal digits with an optional sign; no
/// wrap-around of negative values, no fractions). Throws UsageError as above.
[[nodiscard]] long long parse_integer_argument(const std::string& option, const std::string& text,
                                               long long lo, long long hi);

/// An option whose value is a number in [lo, hi] (see parse_real_argument), stored in `*target`
/// when the command line is notified. `default_text` (if not empty) is the default, as shown in
/// --help.
[[nodiscard]] boost::program_options::typed_value<std::string>* real_value(
    double* target, const std::string& option, double lo, double hi,
    const std::string& default_text = "");

/// An option whose value is a whole number in [lo, hi], stored in `*target` (int, long long,
/// std::size_t or std::uint64_t).
template <class Int>
[[nodiscard]] boost::program_options::typed_value<std::string>* integer_value(
    Int* target, const std::string& option, long long lo, long long hi,
    const std::string& default_text = "") {
  auto* value = boost::program_options::value<std::string>();
  if (!default_text.empty()) value->default_value(default_text);
  value->notifier([target, option, lo, hi](const std::string& text) {
    *target = static_cast<Int>(parse_integer_argument(option, text, lo, hi));
  });
  return value;
}

/// --threads: 0 (all cores) to kMaxThreads.
[[nodiscard]] inline boost::program_options::typed_value<std::string>* threads_value(int* target) {
  return integer_value(target, "--threads", 0, kMaxThreads, "0");
}

}  // namespace stratagem::cli
