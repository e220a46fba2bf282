#include "support_search.hpp"

#include <Eigen/LU>
#include <Eigen/QR>
#include <Eigen/SVD>
#include <algorithm>
#include <cmath>
#include <limits>

namespace stratagem::detail {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
/// Below this width a box that is not decided gets a Newton probe (singular zero?).
constexpr double kProbeWidth = 1e-2;
/// Below this width a box that is not decided is given up (counted as undecided).
constexpr double kMinWidth = 1e-11;
/// Systems of at most this many variables get exact ranges (from the vertices of each
/// equation's own variables); larger ones the natural interval extension, which measured as
/// fast per box solved (Gambit's 5x4x3.nfg: the same boxes, at a third of the cost).
constexpr int kVertexVars = IndifferencePolynomials::kMaxCornerVars;
/// Bisection point as a fraction of the side: off the centre, so that zeros at simple fractions
/// (1/2, 1/4, ...) do not fall on the faces between boxes.
constexpr double kSplit = 0.4713;

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

/// Whether the Jacobian at x is singular to working precision (smallest singular value at most
/// 1e-8 of the largest).
bool singular_at(const IndifferencePolynomials& system, const Eigen::VectorXd& x) {
  Eigen::VectorXd f;
  Eigen::MatrixXd jac;
  system.evaluate(x, f, jac);
  const Eigen::JacobiSVD<Eigen::MatrixXd> svd(jac);
  const auto& sv = svd.singularValues();
  return sv.size() > 0 && !(sv(sv.size() - 1) > 1e-8 * std::max(1.0, sv(0)));
}

}  // namespace

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
      if (null_equation || singular_at(system, x)) {
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
  stack.emplace_back(static_cast<std::size_t>(m), Interval{-kSearchMargin, 1.0 + kSearchMargin});
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
        if (near_box && singular_at(system, x)) {
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
