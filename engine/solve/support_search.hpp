// Certified search for the solutions of one support profile's indifference equations (used by
// support-newton for three or more players): interval branch and prune with the Krawczyk test.
#pragma once

#include <Eigen/Dense>
#include <cstddef>
#include <functional>
#include <optional>
#include <vector>

#include "solve/support_intervals.hpp"

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
