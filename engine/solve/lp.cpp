#include "solve/lp.hpp"

#include <Eigen/Dense>
#include <cfloat>
#include <cmath>
#include <coin/ClpSimplex.hpp>
#include <coin/CoinPackedMatrix.hpp>
#include <stdexcept>

namespace stratagem::lp {
namespace {

/// Clp's infinity is DBL_MAX.
double clp_bound(double x) {
  if (x == kInfinity) return COIN_DBL_MAX;
  if (x == -kInfinity) return -COIN_DBL_MAX;
  return x;
}

/// Recomputes a basic solution from its basis: nonbasic variables sit exactly on a bound and
/// nonbasic rows hold with equality at the bound nearest their activity; the basic variables
/// then solve a square system, solved here by full-pivoting LU. This removes the simplex
/// method's accumulated round-off (up to its tolerances, ~1e-9) so that, e.g., recomputed
/// incentive constraints hold to ~1e-15. Keeps `x` unchanged when the system is singular or
/// the refined point is not (within 1e-9) feasible.
void polish(const LinearProgram& program, const std::vector<bool>& basic,
            const std::vector<bool>& row_basic, std::vector<double>& x) {
  const int n = program.num_variables();
  std::vector<double> refined = x;
  std::vector<int> index(static_cast<std::size_t>(n), -1);  // variable -> unknown
  std::vector<int> unknowns;
  for (int j = 0; j < n; ++j) {
    if (basic[j]) {
      index[j] = static_cast<int>(unknowns.size());
      unknowns.push_back(j);
      continue;
    }
    const double lo = program.lower()[j], hi = program.upper()[j];
    if (std::isfinite(lo) && (!std::isfinite(hi) || std::abs(x[j] - lo) <= std::abs(x[j] - hi))) {
      refined[j] = lo;
    } else if (std::isfinite(hi)) {
      refined[j] = hi;
    }
  }
  std::vector<int> equations;
  for (std::size_t i = 0; i < program.rows().size(); ++i) {
    if (!row_basic[i]) equations.push_back(static_cast<int>(i));
  }
  const int k = static_cast<int>(unknowns.size());
  if (k == 0 || static_cast<int>(equations.size()) != k) return;
  Eigen::MatrixXd a = Eigen::MatrixXd::Zero(k, k);
  Eigen::VectorXd b(k);
  for (int e = 0; e < k; ++e) {
    const auto& row = program.rows()[equations[e]];
    double activity = 0.0, fixed = 0.0;
    for (const auto& [var, coefficient] : row.terms) {
      activity += coefficient * x[var];
      if (index[var] >= 0) {
        a(e, index[var]) += coefficient;
      } else {
        fixed += coefficient * refined[var];
      }
    }
    const double target = std::isfinite(row.lower) &&
                                  (!std::isfinite(row.upper) ||
                                   std::abs(activity - row.lower) <= std::abs(activity - row.upper))
                              ? row.lower
                              : row.upper;
    if (!std::isfinite(target)) return;
    b(e) = target - fixed;
  }
  Eigen::FullPivLU<Eigen::MatrixXd> lu(a);
  if (!lu.isInvertible()) return;
  const Eigen::VectorXd solution = lu.solve(b);
  for (int u = 0; u < k; ++u) refined[unknowns[u]] = solution(u);
  // Accept only a nearby point that satisfies every bound and row.
  double scale = 1.0;
  for (double v : x) scale = std::max(scale, std::abs(v));
  for (int j = 0; j < n; ++j) {
    if (!(std::abs(refined[j] - x[j]) <= 1e-6 * scale)) return;
    if (refined[j] < program.lower()[j] - 1e-9 || refined[j] > program.upper()[j] + 1e-9) return;
  }
  for (const auto& row : program.rows()) {
    double activity = 0.0, size = 1.0;
    for (const auto& [var, coefficient] : row.terms) {
      activity += coefficient * refined[var];
      size = std::max(size, std::abs(coefficient * refined[var]));
    }
    if (activity < row.lower - 1e-9 * size || activity > row.upper + 1e-9 * size) return;
  }
  x = std::move(refined);
}

}  // namespace

int LinearProgram::add_variable(double cost, double lower, double upper) {
  cost_.push_back(cost);
  lower_.push_back(lower);
  upper_.push_back(upper);
  return num_variables() - 1;
}

void LinearProgram::add_row(std::vector<std::pair<int, double>> terms, double lower, double upper) {
  for (const auto& [var, coefficient] : terms) {
    if (var < 0 || var >= num_variables()) {
      throw std::out_of_range("linear program row refers to an unknown variable");
    }
    (void)coefficient;
  }
  rows_.push_back({std::move(terms), lower, upper});
}

void LinearProgram::add_dense_row(std::span<const double> coefficients, double lower,
                                  double upper) {
  std::vector<std::pair<int, double>> terms;
  for (std::size_t i = 0; i < coefficients.size(); ++i) {
    if (coefficients[i] != 0.0) terms.emplace_back(static_cast<int>(i), coefficients[i]);
  }
  add_row(std::move(terms), lower, upper);
}

void LinearProgram::set_objective(std::span<const double> costs) {
  if (costs.size() != cost_.size()) {
    throw std::invalid_argument("objective size differs from the number of variables");
  }
  cost_.assign(costs.begin(), costs.end());
}

const char* status_name(LpStatus status) {
  switch (status) {
    case LpStatus::kOptimal:
      return "optimal";
    case LpStatus::kInfeasible:
      return "infeasible";
    case LpStatus::kUnbounded:
      return "unbounded";
    case LpStatus::kFailed:
      return "failed";
  }
  return "failed";
}

LpSolution solve(const LinearProgram& program) {
  const int n = program.num_variables();
  const int m = static_cast<int>(program.rows().size());
  CoinPackedMatrix matrix(false, 0, 0);  // row-ordered
  matrix.setDimensions(0, n);
  std::vector<double> row_lower, row_upper;
  for (const auto& row : program.rows()) {
    std::vector<int> indices;
    std::vector<double> values;
    for (const auto& [var, coefficient] : row.terms) {
      indices.push_back(var);
      values.push_back(coefficient);
    }
    matrix.appendRow(static_cast<int>(indices.size()), indices.data(), values.data());
    row_lower.push_back(clp_bound(row.lower));
    row_upper.push_back(clp_bound(row.upper));
  }
  std::vector<double> col_lower, col_upper;
  for (int j = 0; j < n; ++j) {
    col_lower.push_back(clp_bound(program.lower()[j]));
    col_upper.push_back(clp_bound(program.upper()[j]));
  }

  ClpSimplex model;
  model.setLogLevel(0);
  model.messageHandler()->setLogLevel(0);
  model.loadProblem(matrix, col_lower.data(), col_upper.data(), program.objective().data(),
                    m > 0 ? row_lower.data() : nullptr, m > 0 ? row_upper.data() : nullptr);
  model.setOptimizationDirection(program.sense() == LinearProgram::Sense::kMaximize ? -1.0 : 1.0);
  model.setPerturbation(100);  // no cost perturbation: the optimum of the problem as given
  model.setPrimalTolerance(1e-9);
  model.setDualTolerance(1e-9);
  model.primal();

  LpSolution out;
  if (model.isProvenOptimal()) {
    out.status = LpStatus::kOptimal;
    const double* x = model.primalColumnSolution();
    out.x.assign(x, x + n);
    std::vector<bool> basic(static_cast<std::size_t>(n)), row_basic(static_cast<std::size_t>(m));
    for (int j = 0; j < n; ++j) basic[j] = model.getColumnStatus(j) == ClpSimplex::basic;
    for (int i = 0; i < m; ++i) row_basic[i] = model.getRowStatus(i) == ClpSimplex::basic;
    polish(program, basic, row_basic, out.x);
    double value = 0.0;
    for (int j = 0; j < n; ++j) value += program.objective()[j] * out.x[j];
    out.objective = value;
  } else if (model.isProvenPrimalInfeasible()) {
    out.status = LpStatus::kInfeasible;
    out.message = "the linear program is infeasible";
  } else if (model.isProvenDualInfeasible()) {
    out.status = LpStatus::kUnbounded;
    out.message = "the linear program is unbounded";
  } else {
    out.status = LpStatus::kFailed;
    out.message = model.isIterationLimitReached()
                      ? "the LP solver stopped at its iteration limit"
                      : "the LP solver stopped without an answer (numerical difficulties)";
  }
  return out;
}

}  // namespace stratagem::lp
