#pragma once

// A dense tableau simplex for the small linear program behind security strategies and values
// of constant-sum games: max 1'w subject to M w <= 1, w >= 0, with every entry of M positive.
// The slack basis is feasible and the program bounded, so there is no phase one. Small games
// are solved here in microseconds instead of loading the LP module (Clp, LAPACK, BLAS: about
// 10 ms of start-up); callers certify the answer by duality and fall back to Clp otherwise.

#include <cstddef>
#include <optional>
#include <vector>

namespace stratagem::detail {

/// Programs with rows * (rows + cols) up to this many tableau entries go to the dense simplex:
/// 250 x 250 games, where it measured faster than Clp (33 ms against 51 ms, bench
/// BM_SecurityStrategy).
inline constexpr std::size_t kMaxDenseSimplexEntries = 125'000;

/// A basic optimal solution of max 1'w, M w <= 1, w >= 0 and the dual (min 1'u, M'u >= 1,
/// u >= 0) read from the same tableau; both sums equal `value`.
struct PackingSolution {
  std::vector<double> primal;  ///< w, one per column of M
  std::vector<double> dual;    ///< u, one per row of M
  double value = 0.0;
};

/// Solves the packing program for `matrix` (rows x cols, row-major, entries in [1, 2] or
/// another range of positive numbers of similar size). Dantzig's rule, Bland's rule after a
/// run of degenerate pivots (no cycling); nullopt when the pivot limit is reached or a pivot
/// is too small to trust. Throws std::invalid_argument for a size mismatch or a non-positive
/// entry.
[[nodiscard]] std::optional<PackingSolution> solve_packing_lp(const std::vector<double>& matrix,
                                                              int rows, int cols);

}  // namespace stratagem::detail
