#pragma once

// A small private wrapper around COIN-OR Clp for the LP-based solvers: build a linear program
// row by row, solve it, get a status that says plainly what happened.

#include <limits>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace stratagem::lp {

/// Infinite bound.
inline constexpr double kInfinity = std::numeric_limits<double>::infinity();

/// Optimise objective · x subject to row.lower <= row · x <= row.upper for every row and
/// lower <= x <= upper. A value type; building is O(nonzeros).
class LinearProgram {
 public:
  enum class Sense { kMinimize, kMaximize };
  /// One constraint row: sparse terms (variable, coefficient) and its bounds.
  struct Row {
    std::vector<std::pair<int, double>> terms;
    double lower = -kInfinity;
    double upper = kInfinity;
  };

  explicit LinearProgram(Sense sense) : sense_(sense) {}

  /// Adds a variable with objective coefficient `cost` and bounds; returns its index.
  int add_variable(double cost, double lower = 0.0, double upper = kInfinity);
  /// Adds lower <= sum(coefficient * x[variable]) <= upper. Repeated variables add up.
  void add_row(std::vector<std::pair<int, double>> terms, double lower, double upper);
  /// Adds a row from dense coefficients over variables 0..coefficients.size()-1 (zeros skipped).
  void add_dense_row(std::span<const double> coefficients, double lower, double upper);
  /// Replaces the objective coefficient of every variable (size must be num_variables()).
  void set_objective(std::span<const double> costs);

  [[nodiscard]] Sense sense() const { return sense_; }
  [[nodiscard]] int num_variables() const { return static_cast<int>(cost_.size()); }
  [[nodiscard]] const std::vector<double>& objective() const { return cost_; }
  [[nodiscard]] const std::vector<double>& lower() const { return lower_; }
  [[nodiscard]] const std::vector<double>& upper() const { return upper_; }
  [[nodiscard]] const std::vector<Row>& rows() const { return rows_; }

 private:
  Sense sense_;
  std::vector<double> cost_, lower_, upper_;
  std::vector<Row> rows_;
};

/// Outcome of solve().
enum class LpStatus { kOptimal, kInfeasible, kUnbounded, kFailed };

/// A solved linear program. `x` and `objective` are meaningful only when kOptimal.
struct LpSolution {
  LpStatus status = LpStatus::kFailed;
  std::string message;     ///< what went wrong, when not kOptimal
  double objective = 0.0;  ///< objective · x, in the program's own sense
  std::vector<double> x;   ///< a basic optimal solution (a vertex of the feasible set)
};

namespace detail {
/// What the LP module (libstratagem_lp.so, COIN-OR Clp) returns: the status, and for an optimum
/// the solution and which columns and rows are basic (solve() then polishes it).
struct RawSolution {
  LpStatus status = LpStatus::kFailed;
  std::string message;
  std::vector<double> x;
  std::vector<bool> basic;
  std::vector<bool> row_basic;
};
}  // namespace detail

/// Solves with Clp's simplex method, logging silenced; the solution is basic. Thread-safe
/// (each call owns its Clp model). Infeasible, unbounded and numerically failed programs are
/// statuses with a message, never exceptions. Clp lives in a module, libstratagem_lp.so, loaded
/// on the first call ($STRATAGEM_LP_MODULE, else next to the executable, else where the build
/// put it); when it cannot be loaded the status is kFailed with a message saying so.
[[nodiscard]] LpSolution solve(const LinearProgram& program);

/// "optimal", "infeasible", "unbounded" or "failed".
[[nodiscard]] const char* status_name(LpStatus status);

}  // namespace stratagem::lp
