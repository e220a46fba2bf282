// Dense tableau simplex for max 1'w, M w <= 1, w >= 0 (M > 0); see dense_simplex.hpp.
#include "solve/dense_simplex.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace stratagem::detail {

std::optional<PackingSolution> solve_packing_lp(const std::vector<double>& matrix, int rows,
                                                int cols) {
  if (rows <= 0 || cols <= 0 ||
      matrix.size() != static_cast<std::size_t>(rows) * static_cast<std::size_t>(cols)) {
    throw std::invalid_argument("solve_packing_lp: the matrix does not have rows x cols entries");
  }
  for (double x : matrix) {
    if (!(x > 0.0) || !std::isfinite(x)) {
      throw std::invalid_argument("solve_packing_lp: every entry must be positive and finite");
    }
  }
  const auto r = static_cast<std::size_t>(rows);
  const auto c = static_cast<std::size_t>(cols);
  const std::size_t width = c + r + 1;  // structural columns, slacks, right-hand side
  // Row i < rows: constraint i; row `rows`: reduced costs (c_j - c_B B^-1 A_j), and minus the
  // objective in the last column.
  std::vector<double> t((r + 1) * width, 0.0);
  const auto at = [&](std::size_t i, std::size_t j) -> double& { return t[i * width + j]; };
  for (std::size_t i = 0; i < r; ++i) {
    for (std::size_t j = 0; j < c; ++j) at(i, j) = matrix[i * c + j];
    at(i, c + i) = 1.0;
    at(i, width - 1) = 1.0;
  }
  for (std::size_t j = 0; j < c; ++j) at(r, j) = 1.0;
  std::vector<std::size_t> basis(r);
  for (std::size_t i = 0; i < r; ++i) basis[i] = c + i;

  double largest = 0.0;
  for (double x : matrix) largest = std::max(largest, x);
  const double cost_tolerance = 1e-11;
  const double pivot_tolerance = 1e-11 * largest;
  const std::size_t max_pivots = 50 * (r + c) + 1000;
  std::size_t degenerate_run = 0;
  for (std::size_t pivots = 0;; ++pivots) {
    if (pivots == max_pivots) return std::nullopt;
    const bool bland = degenerate_run > r + c;
    // Entering column: the largest reduced cost (Dantzig), or the first positive one (Bland).
    std::size_t enter = width;
    double best = cost_tolerance;
    for (std::size_t j = 0; j + 1 < width; ++j) {
      if (at(r, j) > best) {
        enter = j;
        best = at(r, j);
        if (bland) break;
      }
    }
    if (enter == width) break;  // optimal
    // Leaving row: the minimum ratio; ties to the smallest basic variable (Bland).
    std::size_t leave = r;
    double ratio = 0.0;
    for (std::size_t i = 0; i < r; ++i) {
      const double a = at(i, enter);
      if (a <= pivot_tolerance) continue;
      const double q = at(i, width - 1) / a;
      if (leave == r || q < ratio - 1e-14 || (q <= ratio + 1e-14 && basis[i] < basis[leave])) {
        leave = i;
        ratio = q;
      }
    }
    if (leave == r) return std::nullopt;  // unbounded cannot happen for M > 0: numerics failed
    degenerate_run = ratio <= 1e-14 ? degenerate_run + 1 : 0;
    const double p = at(leave, enter);
    for (std::size_t j = 0; j < width; ++j) at(leave, j) /= p;
    at(leave, enter) = 1.0;
    for (std::size_t i = 0; i <= r; ++i) {
      if (i == leave) continue;
      const double f = at(i, enter);
      if (f == 0.0) continue;
      for (std::size_t j = 0; j < width; ++j) at(i, j) -= f * at(leave, j);
      at(i, enter) = 0.0;
    }
    for (std::size_t i = 0; i < r; ++i) at(i, width - 1) = std::max(at(i, width - 1), 0.0);
    basis[leave] = enter;
  }
  PackingSolution out;
  out.primal.assign(c, 0.0);
  out.dual.assign(r, 0.0);
  for (std::size_t i = 0; i < r; ++i) {
    if (basis[i] < c) out.primal[basis[i]] = at(i, width - 1);
  }
  for (std::size_t i = 0; i < r; ++i) out.dual[i] = std::max(0.0, -at(r, c + i));
  double sum = 0.0;
  for (double w : out.primal) sum += w;
  out.value = sum;
  return out;
}

}  // namespace stratagem::detail
