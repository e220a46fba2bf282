#include "solve/lp.hpp"

#include <dlfcn.h>

#include <Eigen/Dense>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <stdexcept>
#include <string>
#include <system_error>

#include "platform/module.hpp"

// Where the build put the module (set by CMakeLists.txt).
#ifndef STRATAGEM_LP_MODULE_BUILT
#define STRATAGEM_LP_MODULE_BUILT nullptr
#endif

namespace stratagem::lp {
namespace {

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

namespace {

using SolveFunction = int (*)(const LinearProgram*, detail::RawSolution*);

/// The module's solve function, loaded once (thread-safe); nullptr with `why` set when it
/// cannot be loaded.
SolveFunction module_solve(std::string& why) {
  static std::once_flag once;
  static SolveFunction function = nullptr;
  static std::string failure;
  std::call_once(once, [] {
    std::string tried;
    void* handle = platform::open_module("libstratagem_lp.so", "STRATAGEM_LP_MODULE",
                                         STRATAGEM_LP_MODULE_BUILT, RTLD_NOW | RTLD_LOCAL, tried);
    if (handle != nullptr) {
      function = reinterpret_cast<SolveFunction>(dlsym(handle, "stratagem_lp_solve"));
      if (function != nullptr) return;
      tried = "it has no stratagem_lp_solve";
    } else {
      tried = "tried " + tried;
    }
    failure = "cannot load the LP module libstratagem_lp.so (" + tried +
              "); keep it next to the stratagem executable or name it in STRATAGEM_LP_MODULE";
  });
  why = failure;
  return function;
}

}  // namespace

LpSolution solve(const LinearProgram& program) {
  LpSolution out;
  std::string why;
  const SolveFunction function = module_solve(why);
  if (function == nullptr) {
    out.status = LpStatus::kFailed;
    out.message = why;
    return out;
  }
  detail::RawSolution raw;
  if (function(&program, &raw) != 0) {
    out.status = LpStatus::kFailed;
    out.message = raw.message.empty() ? "the LP module failed" : raw.message;
    return out;
  }
  out.status = raw.status;
  out.message = std::move(raw.message);
  if (out.status == LpStatus::kOptimal) {
    out.x = std::move(raw.x);
    polish(program, raw.basic, raw.row_basic, out.x);
    double value = 0.0;
    for (int j = 0; j < program.num_variables(); ++j) value += program.objective()[j] * out.x[j];
    out.objective = value;
  }
  return out;
}

}  // namespace stratagem::lp
