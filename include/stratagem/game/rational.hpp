#pragma once

#include <gmpxx.h>

#include <optional>
#include <string>
#include <string_view>

namespace stratagem {

/// Exact value of a number written as an integer ("-3"), a decimal ("0.1", "2.5e-3", ".5") or a
/// fraction of integers ("-3/4", "+1/3"): "0.1" is 1/10, not the double nearest to it.
/// Returns nullopt for any other text, a zero denominator, or a decimal exponent beyond ±4000
/// (such a number is not a payoff anyone means exactly). Thread-safe.
[[nodiscard]] std::optional<mpq_class> parse_rational(std::string_view text);

/// Canonical fraction text of `value`: "1/3", "-2", "0".
[[nodiscard]] std::string fraction_string(const mpq_class& value);

/// The simplest rational within `tolerance` of `x` (the first continued-fraction convergent or
/// semiconvergent that is close enough), e.g. 0.333333333333 -> 1/3 for tolerance 1e-9.
/// `x` must be finite; tolerance >= 0 (0 gives the exact binary value of `x`).
[[nodiscard]] mpq_class simplest_rational(double x, double tolerance);

}  // namespace stratagem
