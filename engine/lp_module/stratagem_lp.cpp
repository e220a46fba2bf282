// COIN-OR Clp behind the LP-based solvers, built as a module (libstratagem_lp.so) that the
// engine loads with dlopen on the first linear program (engine/solve/lp.cpp): a run that solves
// none never loads Clp and the libraries it pulls in (LAPACK, BLAS, Fortran's runtime, zlib,
// bzip2), so start-up stays fast (docs/performance.md).
#include <coin/ClpSimplex.hpp>
#include <coin/CoinPackedMatrix.hpp>
#include <exception>
#include <vector>

#include "solve/lp.hpp"

namespace {

using stratagem::lp::kInfinity;
using stratagem::lp::LinearProgram;
using stratagem::lp::LpStatus;

/// Clp's infinity is DBL_MAX.
double clp_bound(double x) {
  if (x == kInfinity) return COIN_DBL_MAX;
  if (x == -kInfinity) return -COIN_DBL_MAX;
  return x;
}

void solve_with_clp(const LinearProgram& program, stratagem::lp::detail::RawSolution& out) {
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

  if (model.isProvenOptimal()) {
    out.status = LpStatus::kOptimal;
    const double* x = model.primalColumnSolution();
    out.x.assign(x, x + n);
    out.basic.assign(static_cast<std::size_t>(n), false);
    out.row_basic.assign(static_cast<std::size_t>(m), false);
    for (int j = 0; j < n; ++j) out.basic[j] = model.getColumnStatus(j) == ClpSimplex::basic;
    for (int i = 0; i < m; ++i) out.row_basic[i] = model.getRowStatus(i) == ClpSimplex::basic;
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
}

}  // namespace

/// Solves `program` with Clp's primal simplex method, logging silenced; 0 on success (any
/// status), 1 when Clp threw (message in `out`). Thread-safe: each call owns its model.
extern "C" __attribute__((visibility("default"))) int stratagem_lp_solve(
    const LinearProgram* program, stratagem::lp::detail::RawSolution* out) {
  try {
    solve_with_clp(*program, *out);
    return 0;
  } catch (const std::exception& e) {
    out->status = LpStatus::kFailed;
    out->message = std::string("the LP solver failed: ") + e.what();
  } catch (...) {
    out->status = LpStatus::kFailed;
    out->message = "the LP solver failed";
  }
  return 1;
}
