#include "support_intervals.hpp"

#include <Eigen/LU>
#include <Eigen/QR>
#include <Eigen/SVD>
#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <type_traits>

namespace stratagem::detail {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
/// The search region reaches this far outside [0, 1] so that a zero on a face of a simplex (a
/// probability exactly 0) lies inside a box and can be certified there.
constexpr double kMargin = 1.0 / 1024.0;
/// Below this width a box that is not decided gets a Newton probe (singular zero?).
constexpr double kProbeWidth = 1e-2;
/// Below this width a box that is not decided is given up (counted as undecided).
constexpr double kMinWidth = 1e-11;
/// Systems of at most this many variables get exact ranges (from the vertices of each
/// equation's own variables); larger ones the natural interval extension, which measured as
/// fast per box solved (Gambit's 5x4x3.nfg: the same boxes, at a third of the cost).
constexpr int kVertexVars = 6;
/// Bisection point as a fraction of the side: off the centre, so that zeros at simple fractions
/// (1/2, 1/4, ...) do not fall on the faces between boxes.
constexpr double kSplit = 0.4713;

// Outward rounding without a library call: a double result is within half an ulp of the exact
// one (or 2^-1075 absolutely, for subnormals), and 2^-51 |x| + 2^-1022 is at least two ulps.
// The absolute part is the smallest normal number rather than the smallest subnormal: sums
// and products that produce subnormals cost a microcode assist each (measured: Krawczyk
// operators 3x slower), and a larger bound is as rigorous.
constexpr double kRel = 0x1p-51;
constexpr double kAbs = 0x1p-1022;
inline double down(double x) { return x - (std::abs(x) * kRel + kAbs); }
inline double up(double x) { return x + (std::abs(x) * kRel + kAbs); }

Interval point(double x) { return {x, x}; }
Interval operator+(Interval a, Interval b) { return {down(a.lo + b.lo), up(a.hi + b.hi)}; }
Interval operator-(Interval a, Interval b) { return {down(a.lo - b.hi), up(a.hi - b.lo)}; }
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
Interval subtract(Interval a, Interval b) {
  if (a.lo == a.hi && b.lo == b.hi) {
    const double d = a.lo - b.lo;
    const double bb = d - a.lo;
    if ((a.lo - (d - bb)) + (-b.lo - bb) == 0.0 && std::isfinite(d)) return point(d);
  }
  return a - b;
}

/// a / b for b not containing 0.
Interval divide(Interval a, Interval b) {
  const double q1 = a.lo / b.lo;
  const double q2 = a.lo / b.hi;
  const double q3 = a.hi / b.lo;
  const double q4 = a.hi / b.hi;
  return {down(std::min({q1, q2, q3, q4})), up(std::max({q1, q2, q3, q4}))};
}

double max_width(const std::vector<Interval>& box) {
  double w = 0.0;
  for (const auto& x : box) w = std::max(w, x.width());
  return w;
}

Eigen::VectorXd centre_of(const std::vector<Interval>& box) {
  Eigen::VectorXd c(static_cast<Eigen::Index>(box.size()));
  for (std::size_t k = 0; k < box.size(); ++k) c(static_cast<Eigen::Index>(k)) = box[k].mid();
  return c;
}

/// The midpoint of an interval and a radius (rounded up) with [lo, hi] inside mid -+ radius.
inline void midpoint_radius(const Interval& x, double& mid, double& radius) {
  mid = x.mid();
  radius = x.lo == x.hi ? 0.0 : up(std::max(x.hi - mid, mid - x.lo));
}

/// The Krawczyk operator of `system` on `box`: nullopt when the Jacobian at the centre cannot be
/// inverted. Every zero of F in the box lies in the result; when the result lies inside the
/// box's interior, the box holds exactly one zero.
///
/// K = c - Y F(c) + (I - Y J) (box - c), with Y ~ J(c)^-1, evaluated in midpoint-radius form:
/// the point products Y mid(F(c)) and Y mid(J) in doubles (one matrix product), and radii that
/// bound the intervals' widths and every rounding error: a dot product of m terms computed in
/// any order is within gamma_m |a| |b| of the exact one, gamma_m = m u / (1 - m u), u = 2^-53
/// (Higham, Accuracy and Stability, 3.1); (m + 4) 2^-52 bounds it with room to spare.
std::optional<std::vector<Interval>> krawczyk(const IndifferencePolynomials& system,
                                              const std::vector<Interval>& box,
                                              const std::vector<Interval>& jac_box) {
  const int m = system.size();
  const Eigen::VectorXd c = centre_of(box);
  Eigen::VectorXd fc;
  Eigen::MatrixXd jc;
  system.evaluate(c, fc, jc);
  const Eigen::FullPivLU<Eigen::MatrixXd> lu(jc);
  if (!lu.isInvertible()) return std::nullopt;
  const Eigen::MatrixXd y = lu.inverse();
  if (!y.allFinite()) return std::nullopt;
  std::vector<Interval> f_at_c;
  system.enclose_at(c, f_at_c);
  const double gamma = (m + 4) * 0x1p-52;
  constexpr double kU = 0x1p-53;

  const auto mm = static_cast<std::size_t>(m);
  // Column s of J (midpoints, radii) and row r of Y, each contiguous.
  std::vector<double> j_mid(mm * mm), j_rad(mm * mm), j_abs(mm * mm), y_row(mm * mm);
  for (std::size_t k = 0; k < mm; ++k) {
    for (std::size_t s = 0; s < mm; ++s) {
      const std::size_t at = s * mm + k;
      midpoint_radius(jac_box[k * mm + s], j_mid[at], j_rad[at]);
      j_abs[at] = std::abs(j_mid[at]);
      y_row[k * mm + s] = y(static_cast<Eigen::Index>(k), static_cast<Eigen::Index>(s));
    }
  }
  std::vector<double> f_mid(mm), f_rad(mm), f_abs(mm), d(mm), y_abs(mm);
  for (std::size_t k = 0; k < mm; ++k) {
    midpoint_radius(f_at_c[k], f_mid[k], f_rad[k]);
    f_abs[k] = std::abs(f_mid[k]);
  }
  // box - c lies in [-d, d].
  for (int s = 0; s < m; ++s) {
    d[static_cast<std::size_t>(s)] =
        up(std::max(std::abs(box[s].lo - c(s)), std::abs(box[s].hi - c(s))));
  }
  // Row r: c_r - (Y F(c))_r -+ its radius, and (I - Y J)(box - c) in -+ spread_r. Entry (r, s)
  // of I - Y J has midpoint e = delta_rs - (Y mid J)_rs and a radius bounding J's widths and
  // the rounding of the product and of the subtraction.
  const auto dot = [mm](const double* a, const double* b) {
    double sum = 0.0;
    for (std::size_t k = 0; k < mm; ++k) sum += a[k] * b[k];
    return sum;
  };
  Eigen::VectorXd yf(m), yf_rad(m), spread(m);
  for (std::size_t r = 0; r < mm; ++r) {
    const double* yr = &y_row[r * mm];
    for (std::size_t k = 0; k < mm; ++k) y_abs[k] = std::abs(yr[k]);
    yf(static_cast<Eigen::Index>(r)) = dot(yr, f_mid.data());
    yf_rad(static_cast<Eigen::Index>(r)) =
        (dot(y_abs.data(), f_rad.data()) + gamma * dot(y_abs.data(), f_abs.data())) * (1.0 + gamma);
    double total = 0.0;
    for (std::size_t s = 0; s < mm; ++s) {
      const double e = (r == s ? 1.0 : 0.0) - dot(yr, &j_mid[s * mm]);
      const double e_rad = dot(y_abs.data(), &j_rad[s * mm]);
      const double e_abs = dot(y_abs.data(), &j_abs[s * mm]);
      const double radius = (e_rad + gamma * e_abs + kU * std::abs(e)) * (1.0 + gamma);
      total += (std::abs(e) + radius) * d[s];
    }
    spread(static_cast<Eigen::Index>(r)) = total * (1.0 + gamma);
  }
  std::vector<Interval> out(static_cast<std::size_t>(m));
  for (int r = 0; r < m; ++r) {
    const double centre = c(r) - yf(r);
    const double radius =
        (yf_rad(r) + spread(r) + kU * std::abs(centre)) * (1.0 + gamma) + 8.0 * kAbs;
    out[static_cast<std::size_t>(r)] = {down(centre - radius), up(centre + radius)};
  }
  return out;
}

/// True when every side of `inner` lies strictly inside the same side of `outer`.
bool strictly_inside(const std::vector<Interval>& inner, const std::vector<Interval>& outer) {
  for (std::size_t r = 0; r < inner.size(); ++r) {
    if (!(inner[r].lo > outer[r].lo && inner[r].hi < outer[r].hi)) return false;
  }
  return true;
}

/// The Krawczyk image of `box` when it proves that the box holds exactly one zero (the image
/// lies inside the box), nullopt otherwise.
std::optional<std::vector<Interval>> unique_zero(const IndifferencePolynomials& system,
                                                 const std::vector<Interval>& box) {
  std::vector<Interval> f, jac;
  system.enclose(box, f, jac);
  auto k = krawczyk(system, box, jac);
  if (k && strictly_inside(*k, box)) return k;
  return std::nullopt;
}

/// Damped Newton's method from x; true when ||F||_inf <= 1e-13 at the end. With
/// `least_squares`, each step is the minimum-norm least-squares solution (Gauss-Newton), which
/// also converges onto a manifold of solutions where the Jacobian is singular.
bool newton(const IndifferencePolynomials& system, Eigen::VectorXd& x, bool least_squares = false,
            int iterations = 60) {
  Eigen::VectorXd f;
  Eigen::MatrixXd jac;
  system.evaluate(x, f, jac);
  double norm = f.lpNorm<Eigen::Infinity>();
  for (int it = 0; it < iterations && norm > 1e-14; ++it) {
    Eigen::VectorXd step;
    if (least_squares) {
      // The minimum-norm least-squares step, by a complete orthogonal decomposition (a
      // rank-revealing QR: the same step as an SVD's at a fraction of the cost).
      Eigen::CompleteOrthogonalDecomposition<Eigen::MatrixXd> cod(jac.rows(), jac.cols());
      cod.setThreshold(1e-10);
      cod.compute(jac);
      step = cod.solve(f);
    } else {
      step = jac.fullPivLu().solve(f);
    }
    if (!step.allFinite()) break;
    const auto evaluate = [&](const Eigen::VectorXd& y, Eigen::VectorXd& fy, Eigen::MatrixXd& jy) {
      system.evaluate(y, fy, jy);
    };
    if (!damped_step(evaluate, x, step, f, jac, norm, 20)) break;
  }
  return norm <= 1e-13;
}

/// True when x lies within `slack` of the product of simplices.
bool near_simplices(const IndifferencePolynomials& system, const Eigen::VectorXd& x,
                    double slack) {
  for (int p = 0; p < system.players(); ++p) {
    double sum = 0.0;
    for (int v = system.first(p); v < system.first(p) + system.count(p); ++v) {
      if (x(v) < -slack) return false;
      sum += x(v);
    }
    if (sum > 1.0 + slack) return false;
  }
  return true;
}

}  // namespace

IndifferencePolynomials::IndifferencePolynomials(const NormalFormGame& game,
                                                 const std::vector<std::vector<int>>& support)
    : game_(game), support_(support) {
  const int n = game.num_players();
  for (int p = 0; p < n; ++p) {
    first_.push_back(vars_);
    count_.push_back(static_cast<int>(support[p].size()) - 1);
    vars_ += count_.back();
  }
  terms_.resize(static_cast<std::size_t>(vars_));
  vars_of_.resize(static_cast<std::size_t>(vars_));
  for (int i = 0; i < n; ++i) {
    std::vector<int> others;
    for (int p = 0; p < n; ++p) {
      if (p != i) others.push_back(p);
    }
    std::size_t cells = 1;
    for (int p : others) cells *= support[p].size();
    std::vector<int> actions(static_cast<std::size_t>(n), 0);
    for (int l = 1; l < static_cast<int>(support[i].size()); ++l) {
      // Payoff differences over the others' supports, then, axis by axis, the change of basis
      // from probabilities (p_0 = 1 - sum q, p_j = q_j) to monomials (1, q_1, ...).
      std::vector<Interval> tensor(cells);
      std::vector<int> digit(others.size(), 0);
      for (std::size_t cell = 0; cell < cells; ++cell) {
        for (std::size_t o = 0; o < others.size(); ++o) {
          actions[others[o]] = support[others[o]][digit[o]];
        }
        actions[i] = support[i][l];
        const double gain = game.payoff(i, game.index(actions));
        actions[i] = support[i][0];
        const double base = game.payoff(i, game.index(actions));
        tensor[cell] = subtract(point(gain), point(base));
        for (std::size_t o = 0; o < others.size(); ++o) {
          if (++digit[o] < static_cast<int>(support[others[o]].size())) break;
          digit[o] = 0;
        }
      }
      std::size_t stride = 1;
      for (int p : others) {
        const std::size_t k = support[p].size();
        for (std::size_t cell = 0; cell < cells; ++cell) {
          if ((cell / stride) % k != 0) continue;
          for (std::size_t j = 1; j < k; ++j) {
            tensor[cell + j * stride] = subtract(tensor[cell + j * stride], tensor[cell]);
          }
        }
        stride *= k;
      }
      auto& eq = terms_[static_cast<std::size_t>(first_[i] + l - 1)];
      std::fill(digit.begin(), digit.end(), 0);
      for (std::size_t cell = 0; cell < cells; ++cell) {
        if (tensor[cell].lo != 0.0 || tensor[cell].hi != 0.0) {
          Term term{.coefficient = tensor[cell], .vars = {-1, -1, -1, -1, -1, -1, -1, -1}};
          int used = 0;
          for (std::size_t o = 0; o < others.size(); ++o) {
            if (digit[o] > 0) term.vars[used++] = first_[others[o]] + digit[o] - 1;
          }
          eq.push_back(term);
          auto& seen = vars_of_[static_cast<std::size_t>(first_[i] + l - 1)];
          for (int a = 0; a < used; ++a) {
            if (std::find(seen.begin(), seen.end(), term.vars[a]) == seen.end()) {
              seen.push_back(term.vars[a]);
            }
          }
        }
        for (std::size_t o = 0; o < others.size(); ++o) {
          if (++digit[o] < static_cast<int>(support[others[o]].size())) break;
          digit[o] = 0;
        }
      }
    }
  }
  corner_terms_.resize(static_cast<std::size_t>(vars_));
  for (std::size_t e = 0; e < static_cast<std::size_t>(vars_); ++e) {
    const auto& vars = vars_of_[e];
    equation_vars_ = std::max(equation_vars_, static_cast<int>(vars.size()));
    for (const Term& t : terms_[e]) {
      CornerTerm c;
      c.mid = t.coefficient.mid();
      // A point coefficient has radius exactly 0: up(0) is 2^-1022, and its products with
      // probabilities are subnormal numbers, each operation on which costs a microcode assist
      // (measured: a quarter of the time on Gambit's coord333.nfg).
      c.radius = t.coefficient.lo == t.coefficient.hi
                     ? 0.0
                     : up(std::max(t.coefficient.hi - c.mid, c.mid - t.coefficient.lo));
      for (; c.count < 8 && t.vars[c.count] >= 0; ++c.count) {
        c.slots[c.count] = static_cast<int>(
            std::find(vars.begin(), vars.end(), t.vars[c.count]) - vars.begin());
      }
      corner_terms_[e].push_back(c);
    }
  }
}

template <class T, class Coefficient, class At, class Cell>
void IndifferencePolynomials::accumulate(const Coefficient& coefficient, const At& at, T* f,
                                         const Cell& cell) const {
  for (int e = 0; e < vars_; ++e) {
    for (const auto& t : terms_[static_cast<std::size_t>(e)]) {
      const T c = coefficient(t);
      T product = c;
      int k = 0;
      for (; k < 8 && t.vars[k] >= 0; ++k) product = product * at(t.vars[k]);
      f[e] = f[e] + product;
      if constexpr (!std::is_same_v<Cell, std::nullptr_t>) {
        for (int a = 0; a < k; ++a) {
          T rest = c;
          for (int b = 0; b < k; ++b) {
            if (b != a) rest = rest * at(t.vars[b]);
          }
          T& entry = cell(e, t.vars[a]);
          entry = entry + rest;
        }
      }
    }
  }
}

void IndifferencePolynomials::evaluate(const Eigen::VectorXd& x, Eigen::VectorXd& f,
                                       Eigen::MatrixXd& jac) const {
  f.setZero(vars_);
  jac.setZero(vars_, vars_);
  accumulate<double>([](const Term& t) { return t.coefficient.mid(); },
                     [&](int v) { return x(v); }, f.data(),
                     [&](int e, int v) -> double& { return jac(e, v); });
}

void IndifferencePolynomials::enclose(const std::vector<Interval>& box, std::vector<Interval>& f,
                                      std::vector<Interval>& jac) const {
  const auto m = static_cast<std::size_t>(vars_);
  f.assign(m, point(0.0));
  jac.assign(m * m, point(0.0));
  accumulate<Interval>([](const Term& t) { return t.coefficient; },
                       [&](int v) { return box[static_cast<std::size_t>(v)]; }, f.data(),
                       [&](int e, int v) -> Interval& {
                         return jac[static_cast<std::size_t>(e) * m + static_cast<std::size_t>(v)];
                       });
}

void IndifferencePolynomials::enclose_vertices(const std::vector<Interval>& box,
                                               std::vector<Interval>& f,
                                               std::vector<Interval>& jac) const {
  const auto m = static_cast<std::size_t>(vars_);
  f.assign(m, point(0.0));
  jac.assign(m * m, point(0.0));
  if (equation_vars_ > kMaxCornerVars) {
    // Equations of many variables: their natural interval extension instead of 2^k corners.
    std::vector<Interval> f_natural, jac_natural;
    enclose(box, f_natural, jac_natural);
    for (std::size_t e = 0; e < m; ++e) {
      if (vars_of_[e].size() <= static_cast<std::size_t>(kMaxCornerVars)) continue;
      f[e] = f_natural[e];
      for (std::size_t v = 0; v < m; ++v) jac[e * m + v] = jac_natural[e * m + v];
    }
  }
  // Per corner, a sum of N products of at most 9 doubles is within gamma * (the sum of the
  // products' magnitudes) of the exact sum, gamma = (9 + N) u / (1 - (9 + N) u) with u = 2^-53
  // (Higham, Accuracy and Stability, 3.1 and 4.2); (11 + N) 2^-52 is a safe upper bound. The
  // coefficients' widths add radius * |product of the variables|; underflow adds at most
  // 2^-1074 per operation.
  // The magnitudes are bounded once per box, with each variable at its largest |value|, which
  // bounds them at every corner.
  std::array<double, kMaxCornerVars> x{}, largest{}, g{}, g_abs{}, g_rad{};
  for (std::size_t e = 0; e < m; ++e) {
    const auto& vars = vars_of_[e];
    const auto& terms = corner_terms_[e];
    if (terms.empty()) continue;  // F_e = 0 and no Jacobian entries
    const std::size_t k = vars.size();
    if (k > static_cast<std::size_t>(kMaxCornerVars)) continue;  // enclosed above
    const double n_terms = static_cast<double>(terms.size());
    const double gamma = (11.0 + n_terms) * 0x1p-52;
    const double tiny = (10.0 * n_terms + 2.0) * kAbs;
    for (std::size_t s = 0; s < k; ++s) {
      const Interval& side = box[static_cast<std::size_t>(vars[s])];
      largest[s] = std::max(std::abs(side.lo), std::abs(side.hi));
    }
    double sum_abs = 0.0, sum_rad = 0.0;
    std::fill(g_abs.begin(), g_abs.begin() + static_cast<std::ptrdiff_t>(k), 0.0);
    std::fill(g_rad.begin(), g_rad.begin() + static_cast<std::ptrdiff_t>(k), 0.0);
    for (const CornerTerm& t : terms) {
      double magnitude = std::abs(t.mid), radius = t.radius;
      for (int a = 0; a < t.count; ++a) {
        magnitude *= largest[static_cast<std::size_t>(t.slots[a])];
        radius *= largest[static_cast<std::size_t>(t.slots[a])];
      }
      sum_abs += magnitude;
      sum_rad += radius;
      for (int a = 0; a < t.count; ++a) {
        double partial = std::abs(t.mid), partial_rad = t.radius;
        for (int b = 0; b < t.count; ++b) {
          if (b == a) continue;
          partial *= largest[static_cast<std::size_t>(t.slots[b])];
          partial_rad *= largest[static_cast<std::size_t>(t.slots[b])];
        }
        g_abs[static_cast<std::size_t>(t.slots[a])] += partial;
        g_rad[static_cast<std::size_t>(t.slots[a])] += partial_rad;
      }
    }
    // Bounds computed in doubles themselves: inflated by (1 + gamma).
    const double err = (gamma * sum_abs + sum_rad) * (1.0 + gamma) + tiny;
    double f_lo = kInf, f_hi = -kInf;
    std::array<double, kMaxCornerVars> g_lo{}, g_hi{};
    g_lo.fill(kInf);
    g_hi.fill(-kInf);
    for (std::size_t bits = 0; bits < (std::size_t{1} << k); ++bits) {
      for (std::size_t s = 0; s < k; ++s) {
        const Interval& side = box[static_cast<std::size_t>(vars[s])];
        x[s] = ((bits >> s) & 1U) != 0 ? side.hi : side.lo;
      }
      double sum = 0.0;
      std::fill(g.begin(), g.begin() + static_cast<std::ptrdiff_t>(k), 0.0);
      for (const CornerTerm& t : terms) {
        double product = t.mid;
        for (int a = 0; a < t.count; ++a) product *= x[static_cast<std::size_t>(t.slots[a])];
        sum += product;
        for (int a = 0; a < t.count; ++a) {
          double partial = t.mid;
          for (int b = 0; b < t.count; ++b) {
            if (b != a) partial *= x[static_cast<std::size_t>(t.slots[b])];
          }
          g[static_cast<std::size_t>(t.slots[a])] += partial;
        }
      }
      f_lo = std::min(f_lo, sum);
      f_hi = std::max(f_hi, sum);
      for (std::size_t s = 0; s < k; ++s) {
        g_lo[s] = std::min(g_lo[s], g[s]);
        g_hi[s] = std::max(g_hi[s], g[s]);
      }
    }
    f[e] = {down(f_lo - err), up(f_hi + err)};
    for (std::size_t s = 0; s < k; ++s) {
      const double g_err = (gamma * g_abs[s] + g_rad[s]) * (1.0 + gamma) + tiny;
      jac[e * m + static_cast<std::size_t>(vars[s])] = {down(g_lo[s] - g_err),
                                                        up(g_hi[s] + g_err)};
    }
  }
}

bool IndifferencePolynomials::narrow(std::vector<Interval>& box) const {
  // F_e = A_v + B_v q_v for each variable v of equation e: B_v sums the terms with q_v (q_v
  // removed), A_v the terms without it, i.e. all terms minus those with q_v. The bounds are
  // summed in plain doubles (as real numbers, sum(lo) over the terms without v is sum(lo) over
  // all terms minus sum(lo) over those with v), then widened by the sums' rounding bound
  // gamma * (sum of magnitudes), gamma = (N + 4) 2^-52 for N terms (Higham 4.2).
  struct Sum {
    double lo = 0.0, hi = 0.0, magnitude = 0.0;
    void add(const Interval& x) {
      lo += x.lo;
      hi += x.hi;
      magnitude += std::abs(x.lo) + std::abs(x.hi);
    }
  };
  std::array<Sum, 64> with{}, factor{};
  for (int e = 0; e < vars_; ++e) {
    const auto& vars = vars_of_[static_cast<std::size_t>(e)];
    const auto& terms = terms_[static_cast<std::size_t>(e)];
    const auto& corner = corner_terms_[static_cast<std::size_t>(e)];
    if (vars.empty()) {
      // A constant equation: no zero unless the constant can be 0.
      Interval constant = point(0.0);
      for (const auto& t : terms) constant = constant + t.coefficient;
      if (!constant.contains_zero()) return false;
      continue;
    }
    const std::size_t k = vars.size();
    if (k > with.size()) continue;  // beyond the buffers (dozens of actions): not narrowed
    Sum all;
    std::fill(with.begin(), with.begin() + static_cast<std::ptrdiff_t>(k), Sum{});
    std::fill(factor.begin(), factor.begin() + static_cast<std::ptrdiff_t>(k), Sum{});
    for (std::size_t i = 0; i < terms.size(); ++i) {
      const Term& t = terms[i];
      const CornerTerm& c = corner[i];
      Interval whole = t.coefficient;
      for (int a = 0; a < c.count; ++a) whole = whole * box[static_cast<std::size_t>(t.vars[a])];
      all.add(whole);
      for (int a = 0; a < c.count; ++a) {
        const auto slot = static_cast<std::size_t>(c.slots[a]);
        with[slot].add(whole);
        Interval without = t.coefficient;
        for (int b = 0; b < c.count; ++b) {
          if (b != a) without = without * box[static_cast<std::size_t>(t.vars[b])];
        }
        factor[slot].add(without);
      }
    }
    const double gamma = (static_cast<double>(terms.size()) + 4.0) * 0x1p-52;
    for (std::size_t slot = 0; slot < k; ++slot) {
      const Sum& f = factor[slot];
      const double f_err = gamma * f.magnitude + kAbs;
      const Interval b{down(f.lo - f_err), up(f.hi + f_err)};
      if (b.contains_zero()) continue;
      const Sum& w = with[slot];
      const double r_err = gamma * (all.magnitude + w.magnitude) + kAbs;
      const Interval rest{down(all.lo - w.lo - r_err), up(all.hi - w.hi + r_err)};
      const Interval range = divide(point(0.0) - rest, b);
      Interval& x = box[static_cast<std::size_t>(vars[slot])];
      const double lo = std::max(x.lo, range.lo);
      const double hi = std::min(x.hi, range.hi);
      if (lo > hi) return false;
      x = {lo, hi};
    }
  }
  // The simplex: a player's free probabilities sum to at most 1.
  for (int p = 0; p < players(); ++p) {
    double low_sum = 0.0;
    for (int v = first(p); v < first(p) + count(p); ++v) low_sum += box[v].lo;
    for (int v = first(p); v < first(p) + count(p); ++v) {
      const double cap = up(1.0 + kMargin - (low_sum - box[v].lo));
      if (cap < box[v].lo) return false;
      box[v].hi = std::min(box[v].hi, cap);
    }
  }
  return true;
}

void IndifferencePolynomials::enclose_at(const Eigen::VectorXd& x, std::vector<Interval>& f) const {
  f.assign(static_cast<std::size_t>(vars_), point(0.0));
  accumulate<Interval>([](const Term& t) { return t.coefficient; },
                       [&](int v) { return point(x(v)); }, f.data(), nullptr);
}

std::optional<std::vector<std::vector<double>>> IndifferencePolynomials::probabilities(
    const Eigen::VectorXd& x, double snap) const {
  std::vector<std::vector<double>> probs;
  for (int p = 0; p < game_.num_players(); ++p) {
    auto& mine = probs.emplace_back(static_cast<std::size_t>(game_.num_actions(p)), 0.0);
    double rest = 1.0;
    for (int j = 0; j < count_[p]; ++j) {
      double v = x(first_[p] + j);
      if (v < -snap) return std::nullopt;
      if (v < snap) v = 0.0;
      mine[static_cast<std::size_t>(support_[p][j + 1])] = v;
      rest -= v;
    }
    if (rest < -snap) return std::nullopt;
    if (rest < snap) rest = 0.0;
    mine[static_cast<std::size_t>(support_[p][0])] = rest;
    double sum = 0.0;
    for (double v : mine) sum += v;
    for (double& v : mine) v /= sum;
  }
  return probs;
}

std::optional<Eigen::VectorXd> certify_near(const IndifferencePolynomials& system,
                                           const Eigen::VectorXd& x) {
  const int m = system.size();
  Eigen::VectorXd y = x;
  if (!newton(system, y)) y = x;
  for (double radius : {1e-9, 1e-7, 1e-5}) {
    std::vector<Interval> box(static_cast<std::size_t>(m));
    for (int r = 0; r < m; ++r) box[r] = {y(r) - radius, y(r) + radius};
    if (unique_zero(system, box)) return y;
  }
  return std::nullopt;
}

CertifiedSolutions certified_solutions(const IndifferencePolynomials& system, std::size_t budget,
                                       const std::function<bool()>& stop) {
  CertifiedSolutions out;
  const int m = system.size();
  {
    // A singular zero ends a support's search (the support is named a continuum). Newton's
    // method (least squares) from the centre of the simplices often finds one at once, before
    // any box: always when an equation is identically zero (no zero is regular then).
    const bool null_equation = system.has_null_equation();
    Eigen::VectorXd x(m);
    for (int p = 0; p < system.players(); ++p) {
      for (int v = system.first(p); v < system.first(p) + system.count(p); ++v) {
        x(v) = 1.0 / (system.count(p) + 1.0);
      }
    }
    if (newton(system, x, true, 30) && near_simplices(system, x, 1e-9)) {
      bool singular = null_equation;
      if (!singular) {
        Eigen::VectorXd fx;
        Eigen::MatrixXd jx;
        system.evaluate(x, fx, jx);
        const Eigen::JacobiSVD<Eigen::MatrixXd> svd(jx);
        const auto& sv = svd.singularValues();
        singular = sv.size() > 0 && !(sv(sv.size() - 1) > 1e-8 * std::max(1.0, sv(0)));
      }
      if (singular) {
        out.singular = true;
        out.singular_point = x;
        out.boxes = 1;
        return out;
      }
    }
  }
  const auto add_regular = [&](Eigen::VectorXd x) {
    for (const auto& y : out.regular) {
      if ((y - x).lpNorm<Eigen::Infinity>() <= 1e-9) return;
    }
    out.regular.push_back(std::move(x));
  };
  // A zero inside `box` (refined from the centre by Newton), or the box's centre.
  const auto refine = [&](const std::vector<Interval>& box) {
    Eigen::VectorXd x = centre_of(box);
    Eigen::VectorXd y = x;
    if (newton(system, y)) {
      bool inside = true;
      for (int k = 0; k < m; ++k) {
        const double slack = 1e-12 + 1e-9 * std::abs(y(k));
        inside = inside && y(k) >= box[k].lo - slack && y(k) <= box[k].hi + slack;
      }
      if (inside) return y;
    }
    return x;
  };

  std::vector<std::vector<Interval>> stack;
  stack.emplace_back(static_cast<std::size_t>(m), Interval{-kMargin, 1.0 + kMargin});
  std::vector<Interval> f, jac;
  while (!stack.empty()) {
    if (++out.boxes > budget) {
      out.budget_exceeded = true;
      return out;
    }
    if ((out.boxes & 255U) == 0 && stop && stop()) return out;
    std::vector<Interval> box = std::move(stack.back());
    stack.pop_back();

    // Outside the product of simplices: a probability below 0 or a sum above 1 throughout.
    bool outside = false;
    for (int p = 0; p < system.players() && !outside; ++p) {
      double low_sum = 0.0;
      for (int v = system.first(p); v < system.first(p) + system.count(p); ++v) {
        outside = outside || box[v].hi < 0.0;
        low_sum += box[v].lo;
      }
      outside = outside || low_sum > 1.0;
    }
    if (outside) continue;

    const double before = max_width(box);
    bool holds = true;
    for (int round = 0; round < 4 && holds; ++round) {
      const double w = max_width(box);
      holds = system.narrow(box);
      if (max_width(box) > 0.9 * w) break;
    }
    if (!holds) continue;
    if (m <= kVertexVars) {
      system.enclose_vertices(box, f, jac);
    } else {
      system.enclose(box, f, jac);
    }
    if (std::any_of(f.begin(), f.end(), [](const Interval& v) { return !v.contains_zero(); })) {
      continue;
    }
    const double width = before;
    if (auto k = krawczyk(system, box, jac)) {
      if (strictly_inside(*k, box)) {
        add_regular(refine(*k));
        continue;
      }
      bool empty = false;
      for (int r = 0; r < m && !empty; ++r) {
        box[r] = {std::max((*k)[r].lo, box[r].lo), std::min((*k)[r].hi, box[r].hi)};
        empty = box[r].lo > box[r].hi;
      }
      if (empty) continue;
    }
    const double shrunk = max_width(box);
    if (shrunk < kProbeWidth) {
      // Small and undecided: a zero on a face between boxes (certified on an enlarged box), or
      // a singular zero.
      std::vector<Interval> wide = box;
      const double pad = 0.5 * shrunk + 1e-13;
      for (auto& side : wide) side = {side.lo - pad, side.hi + pad};
      if (auto k = unique_zero(system, wide)) {
        add_regular(refine(*k));
        continue;
      }
      Eigen::VectorXd x = centre_of(box);
      if (newton(system, x, true, 12) && near_simplices(system, x, 2.0 * shrunk + 1e-9)) {
        bool near_box = true;
        for (int r = 0; r < m; ++r) {
          near_box = near_box && x(r) >= box[r].lo - 2.0 * shrunk - 1e-12 &&
                     x(r) <= box[r].hi + 2.0 * shrunk + 1e-12;
        }
        Eigen::VectorXd fx;
        Eigen::MatrixXd jx;
        system.evaluate(x, fx, jx);
        const Eigen::JacobiSVD<Eigen::MatrixXd> svd(jx);
        const auto& sv = svd.singularValues();
        const bool singular = sv.size() > 0 && !(sv(sv.size() - 1) > 1e-8 * std::max(1.0, sv(0)));
        if (near_box && singular) {
          out.singular = true;
          out.singular_point = x;
          return out;
        }
      }
      if (shrunk < kMinWidth) {
        ++out.undecided;
        continue;
      }
    }
    if (shrunk < 0.7 * width) {
      stack.push_back(std::move(box));
      continue;
    }
    int widest = 0;
    for (int r = 1; r < m; ++r) {
      if (box[r].width() > box[widest].width()) widest = r;
    }
    const double cut = box[widest].lo + kSplit * box[widest].width();
    std::vector<Interval> other = box;
    box[widest].hi = cut;
    other[widest].lo = cut;
    stack.push_back(std::move(other));
    stack.push_back(std::move(box));
  }
  return out;
}

}  // namespace stratagem::detail
