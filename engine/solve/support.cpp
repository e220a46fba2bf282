#include "stratagem/solve/support.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>

#include <fmt/format.h>

#include "solve/parallel.hpp"

namespace stratagem {
namespace {

/// C(a, k) in integers, kSaturatedCount when larger than 64 bits hold.
std::uint64_t binomial(int a, int k) {
  unsigned __int128 c = 1;
  for (int i = 1; i <= k; ++i) {
    c = c * static_cast<unsigned>(a - k + i) / static_cast<unsigned>(i);  // exact at each step
    if (c > kSaturatedCount) return kSaturatedCount;
  }
  return static_cast<std::uint64_t>(c);
}

/// All k-element subsets of {0..n-1}, in lexicographic order.
std::vector<std::vector<int>> subsets(int n, int k) {
  std::vector<std::vector<int>> out;
  std::vector<int> current(static_cast<std::size_t>(k));
  for (int i = 0; i < k; ++i) current[i] = i;
  while (true) {
    out.push_back(current);
    int i = k - 1;
    while (i >= 0 && current[i] == n - k + i) --i;
    if (i < 0) break;
    ++current[i];
    for (int j = i + 1; j < k; ++j) current[j] = current[j - 1] + 1;
  }
  return out;
}

/// Solves for a mixture over `vars` (indices into the mixing player's actions) that makes the
/// other player indifferent among `eqs`, where `payoff(var, eq)` is the other player's payoff.
/// Returns false when the square system is singular. `Matrix`/`Vector` may have a compile-time
/// maximum size, so that small systems need no heap allocation.
template <class Matrix, class Vector, class Payoff>
bool indifference(const std::vector<int>& vars, const std::vector<int>& eqs, Payoff payoff,
                  Vector& mix) {
  const int k = static_cast<int>(vars.size());
  Matrix m(k + 1, k + 1);
  Vector rhs = Vector::Zero(k + 1);
  for (int e = 0; e < k; ++e) {
    for (int v = 0; v < k; ++v) m(e, v) = payoff(vars[v], eqs[e]);
    m(e, k) = -1.0;
  }
  for (int v = 0; v < k; ++v) m(k, v) = 1.0;
  m(k, k) = 0.0;
  rhs(k) = 1.0;
  Eigen::FullPivLU<Matrix> lu(m);
  lu.setThreshold(1e-11);
  if (!lu.isInvertible()) return false;
  mix = lu.solve(rhs);
  return ((m * mix - rhs).cwiseAbs().maxCoeff() <= 1e-9 * (1.0 + m.cwiseAbs().maxCoeff()));
}

/// Systems of at most this many unknowns (support size + 1) are solved on the stack.
constexpr int kSmallSystem = 16;

/// Clamps tiny negatives to zero and renormalises; false when a probability is clearly negative.
template <class Vector>
bool clean(Vector& p, double tol) {
  for (Eigen::Index i = 0; i < p.size(); ++i) {
    if (p(i) < -tol) return false;
    if (p(i) < 0.0) p(i) = 0.0;
  }
  const double sum = p.sum();
  if (!(sum > 0.5)) return false;
  p /= sum;
  return true;
}

}  // namespace

std::vector<Equilibrium> solve_support(const NormalFormGame& game, const SolveOptions& options,
                                       SolveContext& context) {
  if (game.num_players() != 2) {
    throw InvalidGame("support enumeration needs a two-player game");
  }
  const Eigen::MatrixXd a = game.matrix(0);
  const Eigen::MatrixXd b = game.matrix(1);
  const int m = static_cast<int>(a.rows());
  const int n = static_cast<int>(a.cols());
  const double scale = std::max({1.0, a.cwiseAbs().maxCoeff(), b.cwiseAbs().maxCoeff()});
  const double tol = std::max(options.tolerance, 1e-12) * scale;

  std::atomic<std::size_t> examined{0};
  parallel::Collector<std::vector<double>> found;

  auto run = [&] {
    for (int k = 1; k <= std::min(m, n); ++k) {
      // Count before listing: the subsets of one size can be far too many to hold.
      const unsigned __int128 count =
          static_cast<unsigned __int128>(binomial(m, k)) * binomial(n, k);
      if (examined.load() + count > options.max_supports) break;
      const auto rows = subsets(m, k);
      const auto cols = subsets(n, k);
      // Each support pair costs a few k x k solves: about 2 k^3 operations.
      const double work = static_cast<double>(rows.size()) * static_cast<double>(cols.size()) *
                          (2.0 * k * k * k + 2.0 * m * n);
      parallel::for_each_index(rows.size(), work, [&](std::size_t ri) {
        if (context.stop_requested()) return;
        const auto& r = rows[ri];
        std::vector<std::vector<double>> local;
        Eigen::VectorXd xf(m), yf(n), row_values(m), col_values(n);
        // Checks the support pair (r, c): x over r makes the column player indifferent over c,
        // y over c the row player over r, and neither player gains by leaving the support.
        const auto check = [&]<class Matrix, class Vector>(const std::vector<int>& c) {
          Vector xs, ys;
          if (!indifference<Matrix>(r, c, [&](int i, int j) { return b(i, j); }, xs)) return;
          Vector x = xs.head(k);
          if (!clean(x, tol)) return;
          if (!indifference<Matrix>(c, r, [&](int j, int i) { return a(i, j); }, ys)) return;
          Vector y = ys.head(k);
          if (!clean(y, tol)) return;
          xf.setZero();
          yf.setZero();
          for (int t = 0; t < k; ++t) {
            xf(r[t]) = x(t);
            yf(c[t]) = y(t);
          }
          row_values.noalias() = a * yf;
          col_values.noalias() = b.transpose() * xf;
          if (row_values.maxCoeff() > xf.dot(row_values) + tol) return;
          if (col_values.maxCoeff() > yf.dot(col_values) + tol) return;
          std::vector<double> flat(xf.data(), xf.data() + m);
          flat.insert(flat.end(), yf.data(), yf.data() + n);
          local.push_back(std::move(flat));
        };
        using SmallMatrix =
            Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, 0, kSmallSystem, kSmallSystem>;
        using SmallVector = Eigen::Matrix<double, Eigen::Dynamic, 1, 0, kSmallSystem, 1>;
        for (const auto& c : cols) {
          if (k + 1 <= kSmallSystem) {
            check.template operator()<SmallMatrix, SmallVector>(c);
          } else {
            check.template operator()<Eigen::MatrixXd, Eigen::VectorXd>(c);
          }
        }
        found.add(std::move(local));
      });
      examined += rows.size() * cols.size();
    }
  };
  run_with_threads(options.threads, run);

  std::vector<std::vector<double>> all = found.take();
  // Deterministic order whatever the thread schedule: lexicographically descending.
  std::sort(all.begin(), all.end(), std::greater<>());
  std::vector<Equilibrium> out;
  for (const auto& flat : all) {
    std::vector<std::vector<double>> probs{{flat.begin(), flat.begin() + m},
                                           {flat.begin() + m, flat.end()}};
    // Snap values within rounding of 0 or 1 so that pure equilibria print as pure.
    for (auto& v : probs) {
      for (auto& p : v) {
        if (std::abs(p) < 1e-13) p = 0.0;
        if (std::abs(p - 1.0) < 1e-13) p = 1.0;
      }
    }
    out.push_back(make_equilibrium(game, "support", MixedProfile(probs)));
  }
  return deduplicate(std::move(out), 1e-7);
}

std::uint64_t support_pair_count(int m, int n) {
  // sum over k of C(m, k) * C(n, k), in integers, saturating at kSaturatedCount.
  unsigned __int128 total = 0;
  for (int k = 1; k <= std::min(m, n); ++k) {
    const unsigned __int128 term =
        static_cast<unsigned __int128>(binomial(m, k)) * binomial(n, k);
    total += term;
    if (total >= kSaturatedCount) return kSaturatedCount;
  }
  return static_cast<std::uint64_t>(total);
}

void register_support(SolverRegistry& registry) {
  registry.add({
      .name = "support",
      .summary = "all Nash equilibria by support enumeration (mixed and pure, degenerate games too)",
      .applies_to = "two-player normal-form games",
      .check = [](const NormalFormGame& game) -> std::optional<std::string> {
        if (game.num_players() != 2) {
          return fmt::format("support enumeration needs two players; this game has {}",
                             game.num_players());
        }
        return std::nullopt;
      },
      .solve =
          [](const NormalFormGame& game, const SolveOptions& options, SolveContext& context) {
            SolveResult result;
            result.equilibria = solve_support(game, options, context);
            const std::uint64_t pairs = support_pair_count(game.num_actions(0), game.num_actions(1));
            if (context.stop_requested()) {
              result.status = SolveStatus::kCancelled;
              result.message = kInterruptedMessage;
            } else if (pairs > options.max_supports) {
              result.status = SolveStatus::kLimitReached;
              result.message = fmt::format(
                  "{} support pairs exceed the limit of {}; larger supports were not examined",
                  pairs == kSaturatedCount ? std::string("more than 1.8e19") : std::to_string(pairs),
                  options.max_supports);
            }
            return result;
          },
      .affine_invariant = true,
      .finds_one = true,
      .finds_all = true,
  });
}

}  // namespace stratagem
