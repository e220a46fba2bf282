// Random streams and parameter distributions for Monte Carlo sweeps.
#include "sweep/sampling.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <tuple>

#include "stratagem/sweep/sweep.hpp"

namespace stratagem {

std::uint64_t mix64(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

std::uint64_t point_seed(std::uint64_t seed, std::uint64_t index) {
  // Two rounds, so that nearby seeds and nearby indices give unrelated streams.
  return mix64(mix64(seed) ^ mix64(index ^ 0x5851f42d4c957f2dULL));
}

namespace sweep_detail {

std::uint64_t SplitMix64::next() {
  state_ += 0x9e3779b97f4a7c15ULL;
  std::uint64_t z = state_;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

double SplitMix64::uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

double SplitMix64::normal() {
  const double u1 = uniform_open_low();
  const double u2 = uniform();
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
}

double SplitMix64::gamma(double shape) {
  if (shape < 1.0) {
    const double g = gamma(shape + 1.0);
    return g * std::pow(uniform_open_low(), 1.0 / shape);
  }
  const double d = shape - 1.0 / 3.0;
  const double c = 1.0 / std::sqrt(9.0 * d);
  while (true) {
    double x = 0.0, v = 0.0;
    do {
      x = normal();
      v = 1.0 + c * x;
    } while (v <= 0.0);
    v = v * v * v;
    const double u = uniform_open_low();
    if (u < 1.0 - 0.0331 * x * x * x * x) return d * v;
    if (std::log(u) < 0.5 * x * x + d * (1.0 - v + std::log(v))) return d * v;
  }
}

namespace {

double normal_cdf(double z) { return 0.5 * std::erfc(-z / std::numbers::sqrt2); }

/// Probability mass of N(mean, sd) on [lo, hi].
double normal_mass(double mean, double sd, double lo, double hi) {
  return normal_cdf((hi - mean) / sd) - normal_cdf((lo - mean) / sd);
}

std::string interval(double lo, double hi) { return fmt::format("[{}, {}]", lo, hi); }

}  // namespace

void validate_distribution(const Parameter& p, bool allow_outside_range) {
  // The scenario parser has already checked the kind and its arguments (counts, signs, order,
  // weights). What only matters for sampling is checked here: that a truncated normal keeps some
  // probability mass, and that the values drawn fit the parameter's declared range.
  const Distribution& d = *p.distribution;
  const auto& a = d.args;
  const auto fail = [&](const std::string& message, const std::string& hint) {
    throw InputError(d.mark, fmt::format("invalid distribution of parameter '{}': {}", p.name, message),
                     hint);
  };
  double lo = 0.0, hi = 0.0;  // the values the distribution can produce
  if (d.kind == "normal") {
    if (!d.truncate) {
      if (p.range && !allow_outside_range) {
        fail(fmt::format("an untruncated normal can leave the declared range {}",
                         interval(p.range->first, p.range->second)),
             fmt::format("add truncate: [{}, {}] (or narrower) to the distribution, or pass "
                         "--allow-outside-range",
                         p.range->first, p.range->second));
      }
      return;
    }
    std::tie(lo, hi) = *d.truncate;
    if (!(normal_mass(a[0], a[1], lo, hi) > 1e-12)) {
      fail(fmt::format("truncation {} leaves no probability mass of normal({}, {})",
                       interval(lo, hi), a[0], a[1]),
           "move the truncation interval towards the mean");
    }
  } else if (d.kind == "beta") {
    return;  // scaled onto the declared range
  } else if (d.kind == "choice") {
    lo = *std::min_element(a.begin(), a.end());
    hi = *std::max_element(a.begin(), a.end());
  } else {  // uniform [lo, hi], triangular [lo, mode, hi]
    lo = a.front();
    hi = a.back();
  }
  if (p.range && !allow_outside_range && (lo < p.range->first || hi > p.range->second)) {
    fail(fmt::format("it produces values in {}, outside the declared range {}", interval(lo, hi),
                     interval(p.range->first, p.range->second)),
         "make the distribution fit the range, widen the range, or pass --allow-outside-range");
  }
}

double sample(const Distribution& d, const std::optional<std::pair<double, double>>& range,
              SplitMix64& rng) {
  const auto& a = d.args;
  if (d.kind == "uniform") return a[0] + (a[1] - a[0]) * rng.uniform();
  if (d.kind == "normal") {
    const double mean = a[0], sd = a[1];
    if (!d.truncate) return mean + sd * rng.normal();
    const auto [lo, hi] = *d.truncate;
    if (normal_mass(mean, sd, lo, hi) >= 0.02) {
      while (true) {
        const double x = mean + sd * rng.normal();
        if (x >= lo && x <= hi) return x;
      }
    }
    // Little mass: propose uniformly on [lo, hi], accept with the density relative to its peak.
    const double peak = std::clamp(mean, lo, hi);
    while (true) {
      const double x = lo + (hi - lo) * rng.uniform();
      const double log_ratio =
          ((peak - mean) * (peak - mean) - (x - mean) * (x - mean)) / (2.0 * sd * sd);
      if (std::log(rng.uniform_open_low()) <= log_ratio) return x;
    }
  }
  if (d.kind == "triangular") {
    const double lo = a[0], mode = a[1], hi = a[2];
    const double u = rng.uniform();
    const double f = (mode - lo) / (hi - lo);
    if (u < f) return lo + std::sqrt(u * (hi - lo) * (mode - lo));
    return hi - std::sqrt((1.0 - u) * (hi - lo) * (hi - mode));
  }
  if (d.kind == "beta") {
    const double x = rng.gamma(a[0]);
    const double y = rng.gamma(a[1]);
    const double t = x + y > 0 ? x / (x + y) : 0.5;
    return range->first + (range->second - range->first) * t;
  }
  // choice
  if (d.weights.empty()) {
    const auto k = static_cast<std::size_t>(rng.uniform() * static_cast<double>(a.size()));
    return a[std::min(k, a.size() - 1)];
  }
  double total = 0.0;
  for (const double w : d.weights) total += w;
  double u = rng.uniform() * total;
  for (std::size_t k = 0; k < a.size(); ++k) {
    if (u < d.weights[k]) return a[k];
    u -= d.weights[k];
  }
  for (std::size_t k = a.size(); k-- > 0;) {
    if (d.weights[k] > 0) return a[k];
  }
  return a.back();
}

}  // namespace sweep_detail
}  // namespace stratagem
