// Random streams and parameter distributions for Monte Carlo sweeps (engine-private).
#pragma once

#include <cstdint>
#include <optional>
#include <utility>

#include "stratagem/scenario/scenario.hpp"

namespace stratagem::sweep_detail {

/// splitmix64 as a generator: small state, passes BigCrush, and seeding any 64-bit value is
/// fine. Deterministic across platforms (no std:: distributions, whose output is unspecified).
class SplitMix64 {
 public:
  explicit SplitMix64(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next();
  /// Uniform in [0, 1), 53 random bits.
  double uniform();
  /// Uniform in (0, 1].
  double uniform_open_low() { return 1.0 - uniform(); }
  /// Standard normal (Box-Muller; one of the pair is used).
  double normal();
  /// Gamma(shape, 1) (Marsaglia-Tsang; shape < 1 by the boost u^(1/shape) trick).
  double gamma(double shape);

 private:
  std::uint64_t state_;
};

/// Checks a parameter's distribution for sampling, beyond what the scenario parser already
/// checked (kind, argument counts and values, weights): that a truncated normal keeps
/// probability mass and, unless `allow_outside_range`, that every value it can produce lies in
/// the parameter's declared range. Throws InputError at the
/// distribution's source mark with a fix.
void validate_distribution(const Parameter& parameter, bool allow_outside_range);

/// One draw from `d`; `range` is the parameter's declared range (beta is scaled onto it).
/// `d` must have passed validate_distribution.
[[nodiscard]] double sample(const Distribution& d,
                            const std::optional<std::pair<double, double>>& range, SplitMix64& rng);

}  // namespace stratagem::sweep_detail
