// Certified search for the solutions of one support profile's indifference equations (used by
// support-newton for three or more players): interval branch and prune with the Krawczyk test.
#pragma once

#include <Eigen/Dense>
#include <algorithm>
#include <cstddef>
#include <functional>
#include <optional>
#include <vector>

#include "stratagem/game/normal_form.hpp"

namespace stratagem::detail {

/// One damped Newton step: x - t step for t = 1, 1/2, 1/4, ... (at most `halvings` tries), taken
/// at the first t that lowers ||F||_inf; `f`, `jac` and `norm` follow x. False when none does.
template <class Evaluate>
bool damped_step(const Evaluate& evaluate, Eigen::VectorXd& x, const Eigen::VectorXd& step,
                 Eigen::VectorXd& f, Eigen::MatrixXd& jac, double& norm, int halvings) {
  Eigen::VectorXd trial_f;
  Eigen::MatrixXd trial_jac;
  double t = 1.0;
  for (int half = 0; half < halvings; ++half, t *= 0.5) {
    const Eigen::VectorXd trial = x - t * step;
    evaluate(trial, trial_f, trial_jac);
    const double trial_norm = trial_f.lpNorm<Eigen::Infinity>();
    if (trial_norm < norm) {
      x = trial;
      f.swap(trial_f);
      jac.swap(trial_jac);
      norm = trial_norm;
      return true;
    }
  }
  return false;
}

/// An interval [lo, hi]; every operation rounds outward (one ulp each way), so an enclosure
/// computed in doubles contains the exact real result.
struct Interval {
  double lo = 0.0;
  double hi = 0.0;
  [[nodiscard]] double width() const { return hi - lo; }
  [[nodiscard]] double mid() const { return lo + 0.5 * (hi - lo); }
  [[nodiscard]] bool contains_zero() const { return lo <= 0.0 && hi >= 0.0; }
};

/// The indifference equations of one support profile, in the free probabilities only: player i
/// with support (s_0, ..., s_{k-1}) has variables q_1..q_{k-1} (the probabilities of s_1..s_{k-1};
/// s_0 gets 1 - sum q), and equations U_i(s_l) - U_i(s_0) = 0 for l = 1..k-1. Each equation is a
/// multilinear polynomial in the other players' variables, stored term by term; the system is
/// square (one equation per variable).
class IndifferencePolynomials {
 public:
  IndifferencePolynomials(const NormalFormGame& game, const std::vector<std::vector<int>>& support);

  [[nodiscard]] int size() const { return vars_; }
  /// F(x) and its Jacobian at a point.
  void evaluate(const Eigen::VectorXd& x, Eigen::VectorXd& f, Eigen::MatrixXd& jac) const;
  /// Enclosures of F and of the Jacobian over a box.
  void enclose(const std::vector<Interval>& box, std::vector<Interval>& f,
               std::vector<Interval>& jac) const;
  /// Narrows `box` by the equations, one variable at a time: each equation is affine in each
  /// variable (F_e = A + B q_v), so q_v lies in -A/B wherever B excludes 0. False when the box
  /// is found to hold no zero.
  [[nodiscard]] bool narrow(std::vector<Interval>& box) const;
  /// The exact ranges of F and of the Jacobian over a box (up to outward rounding): every entry
  /// is multilinear (degree at most one in each variable), so its range is spanned by its values
  /// at the vertices of the box of the variables it involves. Equation e is evaluated at the
  /// 2^k corners of its own k variables (equation_vars()), in doubles with a rigorous bound on
  /// the rounding error (and on the coefficients' own widths); for small k.
  void enclose_vertices(const std::vector<Interval>& box, std::vector<Interval>& f,
                        std::vector<Interval>& jac) const;
  /// Equations of more variables than this are enclosed by their natural interval extension.
  static constexpr int kMaxCornerVars = 6;
  /// The largest number of variables any one equation involves.
  [[nodiscard]] int equation_vars() const { return equation_vars_; }
  /// Whether some equation is identically zero (every coefficient exactly 0: the player's two
  /// actions pay the same against every profile of the others' supports). Then the Jacobian has
  /// a zero row everywhere and every zero of the system is singular.
  [[nodiscard]] bool has_null_equation() const {
    return std::any_of(terms_.begin(), terms_.end(), [](const auto& t) { return t.empty(); });
  }
  /// Enclosure of F at a point.
  void enclose_at(const Eigen::VectorXd& x, std::vector<Interval>& f) const;
  /// Variables of player p: [first(p), first(p) + count(p)).
  [[nodiscard]] int first(int p) const { return first_[static_cast<std::size_t>(p)]; }
  [[nodiscard]] int count(int p) const { return count_[static_cast<std::size_t>(p)]; }
  [[nodiscard]] int players() const { return static_cast<int>(count_.size()); }
  /// The full mixed profile for x; probabilities within `snap` of 0 become 0; nullopt when one is
  /// below -snap (the point lies outside the product of simplices).
  [[nodiscard]] std::optional<std::vector<std::vector<double>>> probabilities(
      const Eigen::VectorXd& x, double snap) const;

 private:
  /// Adds every term to F (f[e]) and, unless `cell` is nullptr, to the Jacobian (cell(e, v)):
  /// the one loop behind evaluate (T = double) and the enclosures (T = Interval). `coefficient`
  /// gives a term's coefficient as a T, `at(v)` variable v's value.
  template <class T, class Coefficient, class At, class Cell>
  void accumulate(const Coefficient& coefficient, const At& at, T* f, const Cell& cell) const;

  struct Term {
    Interval coefficient;
    int vars[8];  ///< the term's variables (at most one per other player), -1 after the last
  };
  /// A term as enclose_vertices reads it: the coefficient's midpoint and radius (rounded up),
  /// and its variables as positions in vars_of_ of its equation.
  struct CornerTerm {
    double mid = 0.0;
    double radius = 0.0;
    int count = 0;
    int slots[8] = {};
  };
  const NormalFormGame& game_;
  const std::vector<std::vector<int>>& support_;
  int vars_ = 0;
  std::vector<int> first_;
  std::vector<int> count_;
  std::vector<std::vector<Term>> terms_;  ///< per equation
  std::vector<std::vector<int>> vars_of_;  ///< per equation, the variables it involves
  std::vector<std::vector<CornerTerm>> corner_terms_;  ///< per equation
  int equation_vars_ = 0;
};

/// What the certified search of one support profile found.
struct CertifiedSolutions {
  /// Solutions proven to be the only zero in a box (Krawczyk), refined by Newton's method.
  std::vector<Eigen::VectorXd> regular;
  /// A solution where the Jacobian is singular was met inside the product of simplices: the
  /// support's solution set is not a finite set of regular points there (a continuum, or a
  /// degenerate zero). The search of the support stopped; `singular_point` is that solution.
  bool singular = false;
  std::optional<Eigen::VectorXd> singular_point;
  /// The box budget ran out before the search finished.
  bool budget_exceeded = false;
  /// Boxes narrower than the resolution that could be neither excluded nor certified.
  std::size_t undecided = 0;
  std::size_t boxes = 0;
};

/// The zero of `system` near x when a small box around x provably holds exactly one (Krawczyk
/// test on boxes of radius 1e-9 to 1e-5), refined by Newton's method; nullopt otherwise (no
/// zero, or a zero that is not regular, as on a continuum).
[[nodiscard]] std::optional<Eigen::VectorXd> certify_near(const IndifferencePolynomials& system,
                                                         const Eigen::VectorXd& x);

/// All zeros of `system` in the product of closed simplices (each player's free probabilities
/// q >= 0 with sum q <= 1), by interval branch and prune: a box is discarded when the enclosure of
/// F excludes 0 or it lies outside the simplices; the Krawczyk operator either proves a unique zero
/// in the box, excludes the box, or shrinks it; otherwise the box is bisected along its widest
/// side. `budget` bounds the boxes examined; `stop` is polled.
[[nodiscard]] CertifiedSolutions certified_solutions(const IndifferencePolynomials& system,
                                                     std::size_t budget,
                                                     const std::function<bool()>& stop);

}  // namespace stratagem::detail
