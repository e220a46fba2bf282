// The indifference equations of one support profile as multilinear polynomials, with point
// evaluation and rigorous enclosures over boxes (the certified search of support-newton,
// engine/solve/support_search.hpp, works on them).
#pragma once

#include <Eigen/Dense>
#include <algorithm>
#include <cstddef>
#include <optional>
#include <vector>

#include "solve/interval.hpp"
#include "stratagem/game/normal_form.hpp"

namespace stratagem::detail {

/// The search region reaches this far outside [0, 1] so that a zero on a face of a simplex (a
/// probability exactly 0) lies inside a box and can be certified there.
inline constexpr double kSearchMargin = 1.0 / 1024.0;

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
  /// the rounding error (and on the coefficients' own widths); systems with an equation of
  /// more than kMaxCornerVars variables get enclose() instead.
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

}  // namespace stratagem::detail
