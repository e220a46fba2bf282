// Interval arithmetic with outward rounding in plain doubles, for the certified search of
// support-newton (engine/solve/support_intervals.*, engine/solve/support_search.*).
#pragma once

#include <algorithm>
#include <cmath>

namespace stratagem::detail {

/// An interval [lo, hi]; every operation rounds outward (one ulp each way), so an enclosure
/// computed in doubles contains the exact real result.
struct Interval {
  double lo = 0.0;
  double hi = 0.0;
  [[nodiscard]] double width() const { return hi - lo; }
  [[nodiscard]] double mid() const { return lo + 0.5 * (hi - lo); }
  [[nodiscard]] bool contains_zero() const { return lo <= 0.0 && hi >= 0.0; }
};

// Outward rounding without a library call: a double result is within half an ulp of the exact
// one (or 2^-1075 absolutely, for subnormals), and 2^-51 |x| + 2^-1022 is at least two ulps.
// The absolute part is the smallest normal number rather than the smallest subnormal: sums
// and products that produce subnormals cost a microcode assist each (measured: Krawczyk
// operators 3x slower), and a larger bound is as rigorous.
inline constexpr double kRel = 0x1p-51;
inline constexpr double kAbs = 0x1p-1022;
inline double down(double x) { return x - (std::abs(x) * kRel + kAbs); }
inline double up(double x) { return x + (std::abs(x) * kRel + kAbs); }

inline Interval point(double x) { return {x, x}; }
inline Interval operator+(Interval a, Interval b) { return {down(a.lo + b.lo), up(a.hi + b.hi)}; }
inline Interval operator-(Interval a, Interval b) { return {down(a.lo - b.hi), up(a.hi - b.lo)}; }
inline Interval operator*(Interval a, Interval b) {
  // Probabilities: both factors non-negative, the usual case, needs two products (the same two
  // the general rule picks).
  if (a.lo >= 0.0 && b.lo >= 0.0) return {down(a.lo * b.lo), up(a.hi * b.hi)};
  const double p1 = a.lo * b.lo;
  const double p2 = a.lo * b.hi;
  const double p3 = a.hi * b.lo;
  const double p4 = a.hi * b.hi;
  const double lo = std::min(std::min(p1, p2), std::min(p3, p4));
  const double hi = std::max(std::max(p1, p2), std::max(p3, p4));
  return {down(lo), up(hi)};
}

/// y * a for a point y.
inline Interval scale(double y, Interval a) {
  return y >= 0.0 ? Interval{down(y * a.lo), up(y * a.hi)} : Interval{down(y * a.hi), up(y * a.lo)};
}

/// a - b, exactly (a point) when both are points and their double difference does not round
/// (Knuth's two-sum): equal payoffs give an exact 0, so the coefficient is dropped.
inline Interval subtract(Interval a, Interval b) {
  if (a.lo == a.hi && b.lo == b.hi) {
    const double d = a.lo - b.lo;
    const double bb = d - a.lo;
    if ((a.lo - (d - bb)) + (-b.lo - bb) == 0.0 && std::isfinite(d)) return point(d);
  }
  return a - b;
}

/// a / b for b not containing 0.
inline Interval divide(Interval a, Interval b) {
  const double q1 = a.lo / b.lo;
  const double q2 = a.lo / b.hi;
  const double q3 = a.hi / b.lo;
  const double q4 = a.hi / b.hi;
  return {down(std::min({q1, q2, q3, q4})), up(std::max({q1, q2, q3, q4}))};
}

/// The midpoint of an interval and a radius (rounded up) with [lo, hi] inside mid -+ radius.
inline void midpoint_radius(const Interval& x, double& mid, double& radius) {
  mid = x.mid();
  radius = x.lo == x.hi ? 0.0 : up(std::max(x.hi - mid, mid - x.lo));
}

}  // namespace stratagem::detail
