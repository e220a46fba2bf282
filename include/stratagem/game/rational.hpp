#pragma once

#include <gmpxx.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace stratagem {

/// Exact value of a number written as an integer ("-3"), a decimal ("0.1", "2.5e-3", ".5") or a
/// fraction of integers ("-3/4", "+1/3"): "0.1" is 1/10, not the double nearest to it.
/// Returns nullopt for any other text, a zero denominator, or a decimal exponent beyond ±4000
/// (such a number is not a payoff anyone means exactly). Thread-safe.
[[nodiscard]] std::optional<mpq_class> parse_rational(std::string_view text);

/// The double nearest to `value` (ties to even; ±inf beyond the double range). Thread-safe.
[[nodiscard]] double nearest_double(const mpq_class& value);

/// Canonical fraction text of `value`: "1/3", "-2", "0".
[[nodiscard]] std::string fraction_string(const mpq_class& value);

/// The simplest rational within `tolerance` of `x` (the first continued-fraction convergent or
/// semiconvergent that is close enough), e.g. 0.333333333333 -> 1/3 for tolerance 1e-9.
/// `x` must be finite; tolerance >= 0 (0 gives the exact binary value of `x`).
[[nodiscard]] mpq_class simplest_rational(double x, double tolerance);

/// Rational vectors and matrices (row-major: a vector of rows).
using RationalVector = std::vector<mpq_class>;
using RationalMatrix = std::vector<RationalVector>;

/// The solution of a linear system in rational arithmetic.
struct RationalSolution {
  enum Kind { kUnique, kUnderdetermined, kInconsistent } kind = kInconsistent;
  RationalVector x;  ///< the solution when kUnique
};

/// Solves rows * x = rhs exactly for x of size `cols` (any number of rows) by Gauss-Jordan
/// elimination. O(rows * cols^2) rational operations.
[[nodiscard]] RationalSolution solve_rational_system(RationalMatrix rows, RationalVector rhs,
                                                     std::size_t cols);

}  // namespace stratagem
