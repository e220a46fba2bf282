#include "stratagem/solve/support_newton.hpp"
#include "stratagem/solve/exact.hpp"
#include "stratagem/game/rational.hpp"

#include <fmt/format.h>

#include <Eigen/Dense>
#include <Eigen/SVD>
#include <algorithm>
#include <atomic>
#include <bit>
#include <cmath>
#include <cstdint>
#include <optional>
#include <random>
#include <utility>

#include "stratagem/solve/pure.hpp"
#include "solve/parallel.hpp"
#include "support_search.hpp"

namespace stratagem {
namespace {

/// More support profiles than this are not listed (memory); pure equilibria are still searched.
constexpr std::size_t kMaxListed = 1'000'000;
/// Random starting points per support profile, besides the centre, when the system is nonlinear.
/// Newton starts per support (more than two players): stop after kQuietStarts in a row find
/// no new solution, or after kMaxStarts.
constexpr int kQuietStarts = 12;
constexpr int kMaxStarts = 64;
/// A probability down to this far below 0 is taken as 0 (a zero on a face of the support).
constexpr double kFaceTolerance = 1e-10;
constexpr int kMaxIterations = 60;
/// Boxes the certified search may examine per support profile before it falls back to random
/// Newton starts.
constexpr std::size_t kBoxBudget = 30'000;

/// The indifference system of one support profile. Variables: each player's probabilities on its
/// support (player after player), then each player's value v_i. Equations: U_i(a) - v_i = 0 for
/// every a in S_i, then sum of player i's probabilities - 1 = 0.
class SupportSystem {
 public:
  SupportSystem(const NormalFormGame& game, const std::vector<std::vector<int>>& support)
      : game_(game), support_(support), n_(game.num_players()) {
    std::size_t stride = 1;
    for (int p = 0; p < n_; ++p) {
      offset_.push_back(size_);
      size_ += static_cast<int>(support_[p].size());
      stride_.push_back(stride);
      stride *= static_cast<std::size_t>(game.num_actions(p));
    }
    vars_ = size_ + n_;
    // Every profile inside the supports: its index and each player's position in its support.
    std::vector<int> digit(static_cast<std::size_t>(n_), 0);
    while (true) {
      std::size_t index = 0;
      for (int p = 0; p < n_; ++p) {
        index += stride_[p] * static_cast<std::size_t>(support_[p][digit[p]]);
      }
      profiles_.push_back(index);
      digits_.insert(digits_.end(), digit.begin(), digit.end());
      int p = 0;
      while (p < n_ && ++digit[p] == static_cast<int>(support_[p].size())) digit[p++] = 0;
      if (p == n_) break;
    }
  }

  [[nodiscard]] int vars() const { return vars_; }

  /// F(x) and its Jacobian.
  void evaluate(const Eigen::VectorXd& x, Eigen::VectorXd& f, Eigen::MatrixXd& jac) const {
    f.setZero(vars_);
    jac.setZero(vars_, vars_);
    std::vector<double> prob(static_cast<std::size_t>(n_));
    for (std::size_t k = 0; k < profiles_.size(); ++k) {
      const int* d = &digits_[k * static_cast<std::size_t>(n_)];
      for (int p = 0; p < n_; ++p) prob[p] = x(offset_[p] + d[p]);
      for (int i = 0; i < n_; ++i) {
        const double u = game_.payoff(i, profiles_[k]);
        if (u == 0.0) continue;
        const int row = offset_[i] + d[i];
        double others = 1.0;
        for (int p = 0; p < n_; ++p) {
          if (p != i) others *= prob[p];
        }
        f(row) += u * others;
        for (int j = 0; j < n_; ++j) {
          if (j == i) continue;
          double rest = 1.0;
          for (int p = 0; p < n_; ++p) {
            if (p != i && p != j) rest *= prob[p];
          }
          jac(row, offset_[j] + d[j]) += u * rest;
        }
      }
    }
    for (int i = 0; i < n_; ++i) {
      for (int a = 0; a < static_cast<int>(support_[i].size()); ++a) {
        f(offset_[i] + a) -= x(size_ + i);
        jac(offset_[i] + a, size_ + i) = -1.0;
        jac(size_ + i, offset_[i] + a) = 1.0;
      }
      double sum = 0.0;
      for (int a = 0; a < static_cast<int>(support_[i].size()); ++a) sum += x(offset_[i] + a);
      f(size_ + i) = sum - 1.0;
    }
  }

  /// Newton's method with step halving from `x`; true when ||F||_inf <= tol at the end. `jac`
  /// is left at the Jacobian of the final x.
  bool solve(Eigen::VectorXd& x, double tol, Eigen::MatrixXd& jac) const {
    Eigen::VectorXd f;
    evaluate(x, f, jac);
    double norm = f.lpNorm<Eigen::Infinity>();
    for (int it = 0; it < kMaxIterations && norm > tol; ++it) {
      const Eigen::VectorXd step = jac.colPivHouseholderQr().solve(f);
      if (!step.allFinite()) return false;
      const auto eval = [this](const Eigen::VectorXd& y, Eigen::VectorXd& fy, Eigen::MatrixXd& jy) {
        evaluate(y, fy, jy);
      };
      if (!detail::damped_step(eval, x, step, f, jac, norm, 12)) break;
    }
    return norm <= tol;
  }

  /// True when the Jacobian `jac` at a solution is regular (the solution is isolated). At a
  /// singular one the support holds a continuum of solutions; its extreme points lie on smaller
  /// supports, where they are isolated, so only those are reported (as `support` does for two
  /// players).
  [[nodiscard]] static bool isolated(const Eigen::MatrixXd& jac) {
    const Eigen::JacobiSVD<Eigen::MatrixXd> svd(jac);
    const auto& sv = svd.singularValues();
    return sv.size() == 0 || sv(sv.size() - 1) > 1e-9 * std::max(1.0, sv(0));
  }

  /// Centre of the supports, with values left at 0 (the first step sets them).
  [[nodiscard]] Eigen::VectorXd centre() const {
    Eigen::VectorXd x = Eigen::VectorXd::Zero(vars_);
    for (int p = 0; p < n_; ++p) {
      const auto k = static_cast<double>(support_[p].size());
      for (int a = 0; a < static_cast<int>(support_[p].size()); ++a) {
        x(offset_[p] + a) = 1.0 / k;
      }
    }
    return x;
  }

  /// A random point of the product of the supports' simplices.
  [[nodiscard]] Eigen::VectorXd random_start(std::mt19937_64& rng) const {
    std::exponential_distribution<double> e(1.0);
    Eigen::VectorXd x = Eigen::VectorXd::Zero(vars_);
    for (int p = 0; p < n_; ++p) {
      double sum = 0.0;
      const int k = static_cast<int>(support_[p].size());
      for (int a = 0; a < k; ++a) sum += x(offset_[p] + a) = e(rng);
      for (int a = 0; a < k; ++a) x(offset_[p] + a) /= sum;
    }
    return x;
  }

  /// The full mixed profile of a solution; nullopt when a probability on the support is not
  /// positive (that solution belongs to a smaller support, examined on its own).
  [[nodiscard]] std::optional<MixedProfile> profile(const Eigen::VectorXd& x,
                                                    double min_prob) const {
    std::vector<std::vector<double>> probs;
    for (int p = 0; p < n_; ++p) {
      auto& mine = probs.emplace_back(static_cast<std::size_t>(game_.num_actions(p)), 0.0);
      for (int a = 0; a < static_cast<int>(support_[p].size()); ++a) {
        const double v = x(offset_[p] + a);
        if (!(v > min_prob)) return std::nullopt;
        mine[static_cast<std::size_t>(support_[p][a])] = std::max(v, 0.0);
      }
    }
    return MixedProfile(probs);
  }

 private:
  const NormalFormGame& game_;
  const std::vector<std::vector<int>>& support_;
  int n_;
  int size_ = 0;
  int vars_ = 0;
  std::vector<int> offset_;
  std::vector<std::size_t> stride_;
  std::vector<std::size_t> profiles_;
  std::vector<int> digits_;
};

/// "Player 1 {Top, Bottom}, Player 2 {Left}".
std::string describe_support(const NormalFormGame& game, const std::vector<std::uint64_t>& masks) {
  std::vector<std::string> parts;
  for (int p = 0; p < game.num_players(); ++p) {
    std::vector<std::string> names;
    for (int a = 0; a < game.num_actions(p); ++a) {
      if (((masks[p] >> a) & 1U) != 0) names.push_back(game.action_name(p, a));
    }
    parts.push_back(fmt::format("{} {{{}}}", game.player_name(p), fmt::join(names, ", ")));
  }
  return fmt::format("{}", fmt::join(parts, ", "));
}

/// Actions of a support mask.
/// Whether some action in the support profile is strictly dominated, by more than `margin`, by
/// a pure action of the same player against every profile of the others' supports. Then no
/// profile in the supports makes that action a best reply, so no equilibrium x with supp(x)
/// inside the supports has the whole support among its best replies (the guarantee in the
/// header), and one within `margin` of regret would not pass the regret check: the support
/// profile holds nothing to find and is skipped (as Gambit's enumpoly skips it).
bool conditionally_dominated(const NormalFormGame& game,
                             const std::vector<std::vector<int>>& support, double margin) {
  const int n = game.num_players();
  std::vector<std::size_t> digit(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) {
    const auto payoffs = game.payoffs(i);
    const std::size_t stride = game.stride(i);
    for (int a : support[static_cast<std::size_t>(i)]) {
      for (int b = 0; b < game.num_actions(i); ++b) {
        if (b == a) continue;
        // b beats a by more than the margin at every profile of the others' supports?
        bool beats = true;
        std::fill(digit.begin(), digit.end(), 0);
        while (beats) {
          std::size_t base = 0;
          for (int p = 0; p < n; ++p) {
            if (p == i) continue;
            base += static_cast<std::size_t>(
                        support[static_cast<std::size_t>(p)][digit[static_cast<std::size_t>(p)]]) *
                    game.stride(p);
          }
          const double gain = payoffs[base + static_cast<std::size_t>(b) * stride] -
                              payoffs[base + static_cast<std::size_t>(a) * stride];
          beats = gain > margin;
          int p = 0;
          for (; p < n; ++p) {
            if (p == i) continue;
            auto& d = digit[static_cast<std::size_t>(p)];
            if (++d < support[static_cast<std::size_t>(p)].size()) break;
            d = 0;
          }
          if (p == n) break;
        }
        if (beats) return true;
      }
    }
  }
  return false;
}

std::vector<int> members(std::uint64_t mask) {
  std::vector<int> out;
  for (int a = 0; mask != 0; ++a, mask >>= 1) {
    if ((mask & 1U) != 0) out.push_back(a);
  }
  return out;
}

}  // namespace

namespace {

/// `profile` with every probability replaced by the simplest fraction within 1e-9 (denominator
/// at most 1000), when that is an exact equilibrium of `game`; nullopt otherwise.
std::optional<MixedProfile> simple_exact_equilibrium(const NormalFormGame& game,
                                                     const MixedProfile& profile) {
  std::vector<std::vector<mpq_class>> exact;
  std::vector<std::vector<double>> doubles;
  for (int p = 0; p < game.num_players(); ++p) {
    std::vector<mpq_class> row;
    std::vector<double> values;
    for (double v : profile.probabilities(p)) {
      const mpq_class q = simplest_rational(v, 1e-9);
      if (q.get_den() > 1000) return std::nullopt;
      row.push_back(q);
      values.push_back(nearest_double(q));
    }
    exact.push_back(std::move(row));
    doubles.push_back(std::move(values));
  }
  if (exact_violation(game, exact)) return std::nullopt;
  return MixedProfile(std::move(doubles));
}

}  // namespace

SupportNewtonResult solve_support_newton(const NormalFormGame& game, const SolveOptions& options,
                                         SolveContext& context) {
  const int n = game.num_players();
  SupportNewtonResult result;
  double scale = 1.0;
  for (int p = 0; p < n; ++p) {
    for (double u : game.payoffs(p)) scale = std::max(scale, std::abs(u));
  }
  const double tol = std::max(options.tolerance, 1e-12) * scale;
  const double newton_tol = 1e-13 * scale;

  // Count support profiles: prod (2^m_p - 1), in floating point to avoid overflow.
  double count = 1.0;
  for (int p = 0; p < n; ++p) count *= std::ldexp(1.0, std::min(game.num_actions(p), 1000)) - 1.0;
  const std::size_t cap = std::min(options.max_supports, kMaxListed);
  const bool listed = count <= static_cast<double>(cap);
  result.support_profiles = count < 1.8e19 ? static_cast<std::size_t>(count) : SIZE_MAX;

  if (!listed) {
    // Too many support profiles: the pure equilibria only, by the exact `pure` search.
    result.equilibria = solve_pure(game, options, context);
    for (auto& eq : result.equilibria) eq.method = "support-newton";
    if (context.stop_requested()) {
      result.status = SolveStatus::kCancelled;
      result.message = kInterruptedMessage;
    } else {
      result.status = SolveStatus::kLimitReached;
      result.message = fmt::format(
          "{:.3g} support profiles exceed the limit of {}; only pure equilibria were searched",
          count, cap);
    }
    return result;
  }

  // The support profiles to examine, smallest total size first.
  std::vector<std::vector<std::uint64_t>> masks;
  {
    std::vector<std::uint64_t> current(static_cast<std::size_t>(n));
    std::vector<std::vector<std::uint64_t>> choices(static_cast<std::size_t>(n));
    for (int p = 0; p < n; ++p) {
      const int m = game.num_actions(p);
      for (std::uint64_t mask = 1; mask < (std::uint64_t{1} << m); ++mask) {
        choices[p].push_back(mask);
      }
    }
    std::vector<std::size_t> digit(static_cast<std::size_t>(n), 0);
    while (true) {
      for (int p = 0; p < n; ++p) current[p] = choices[p][digit[p]];
      masks.push_back(current);
      int p = 0;
      while (p < n && ++digit[p] == choices[p].size()) digit[p++] = 0;
      if (p == n) break;
    }
    const auto total = [](const std::vector<std::uint64_t>& s) {
      int c = 0;
      for (auto m : s) c += std::popcount(m);
      return c;
    };
    std::stable_sort(masks.begin(), masks.end(),
                     [&](const auto& l, const auto& r) { return total(l) < total(r); });
  }

  parallel::Collector<std::pair<std::size_t, Equilibrium>> found;
  std::atomic<std::size_t> examined{0};
  std::atomic<std::size_t> undecided{0};
  parallel::Collector<std::size_t> singular_supports;    // mask indices
  parallel::Collector<std::size_t> multistart_supports;  // box budget exceeded
  parallel::Collector<std::pair<std::size_t, Equilibrium>> continuum_points;
  const auto stop = [&] { return context.stop_requested(); };
  const bool certified = n >= 3 && n <= 9;
  run_with_threads(options.threads, [&] {
    // Work per support, roughly: two players, one linear solve in its u free probabilities;
    // more, an interval search whose boxes grow like 4^u, each evaluating n equations of n
    // factors (measured: 2x2x2 about 1 ms in all, 3x3x3 about 30 ms).
    double work = 0;
    for (const auto& mask : masks) {
      int free = 0;
      for (auto m : mask) free += std::popcount(m) - 1;
      work += certified ? 3.0 * n * n * std::pow(4.0, std::min(free, 30))
                        : std::pow(free + 1.0, 3) * kMaxStarts;
    }
    parallel::for_each_index(masks.size(), work, [&](std::size_t k) {
      if (context.stop_requested()) return;
      std::vector<std::vector<int>> support;
      bool pure = true;
      for (auto mask : masks[k]) {
        support.push_back(members(mask));
        pure = pure && support.back().size() == 1;
      }
      std::optional<detail::IndifferencePolynomials> polynomials;
      if (!pure && conditionally_dominated(game, support, tol)) {
        examined.fetch_add(1, std::memory_order_relaxed);
        return;
      }
      if (certified && !pure) {
        // Three or more players: the certified interval search of the support's equations.
        const detail::IndifferencePolynomials& system = polynomials.emplace(game, support);
        const auto sol = detail::certified_solutions(system, kBoxBudget, stop);
        undecided.fetch_add(sol.undecided, std::memory_order_relaxed);
        for (const auto& x : sol.regular) {
          auto probs = system.probabilities(x, 1e-12);
          if (!probs) continue;
          Equilibrium eq = make_equilibrium(game, "support-newton", MixedProfile(std::move(*probs)));
          if (eq.max_regret <= tol) found.add({k, std::move(eq)});
        }
        if (sol.singular) {
          singular_supports.add(k);
          // One point of the continuum: the support's centre when it is an exact equilibrium
          // (as in symmetric continua; independent of the payoffs' scale), else the point met.
          const SupportSystem full(game, support);
          const auto centre = full.profile(full.centre(), 1e-12);
          auto exact = centre ? simple_exact_equilibrium(game, *centre) : std::nullopt;
          if (exact) {
            continuum_points.add(
                {k, make_equilibrium(game, "support-newton", std::move(*exact))});
          } else if (auto probs = system.probabilities(*sol.singular_point, 1e-9)) {
            Equilibrium eq =
                make_equilibrium(game, "support-newton", MixedProfile(std::move(*probs)));
            if (eq.max_regret <= tol) continuum_points.add({k, std::move(eq)});
          }
        }
        if (!sol.budget_exceeded) {
          examined.fetch_add(1, std::memory_order_relaxed);
          return;
        }
        multistart_supports.add(k);
      }
      const SupportSystem system(game, support);
      // Two players: each player's equations involve only the other's probabilities, linearly,
      // so one start suffices. Pure supports: the centre is the profile itself.
      // More players, where the certified search ran out of boxes: random starts go on until
      // kQuietStarts in a row find nothing new (at most kMaxStarts).
      const int max_starts = (pure || n == 2) ? 1 : kMaxStarts;
      std::mt19937_64 rng(0x5eed + k);
      Eigen::MatrixXd jac;
      std::vector<Eigen::VectorXd> solutions;
      int quiet = 0;
      for (int s = 0; s < max_starts && quiet < kQuietStarts; ++s) {
        ++quiet;
        Eigen::VectorXd x = s == 0 ? system.centre() : system.random_start(rng);
        if (!system.solve(x, newton_tol, jac)) continue;
        // A singular Jacobian: the support holds a continuum (two players: its extreme points
        // lie on smaller supports, found there).
        if (!SupportSystem::isolated(jac)) continue;
        // A zero on a face of the support (a probability 0 within rounding) counts too: an
        // equilibrium whose own support makes a non-square system (e.g. two strategies against
        // three) is such a zero of a larger, square one.
        auto profile = system.profile(x, -kFaceTolerance);
        if (!profile) continue;
        if (std::any_of(solutions.begin(), solutions.end(), [&](const Eigen::VectorXd& y) {
              return (y - x).lpNorm<Eigen::Infinity>() <= 1e-7;
            })) {
          continue;
        }
        if (polynomials) {
          // After the certified search ran out of boxes: only zeros that a small box around
          // them proves regular and unique are kept (not points of a continuum).
          Eigen::VectorXd q(polynomials->size());
          for (int p = 0, v = 0, at = 0; p < n; ++p) {
            for (std::size_t j = 1; j < support[p].size(); ++j) q(v++) = x(at + static_cast<int>(j));
            at += static_cast<int>(support[p].size());
          }
          const auto exact = detail::certify_near(*polynomials, q);
          if (!exact) continue;
          auto probs = polynomials->probabilities(*exact, 1e-12);
          if (!probs) continue;
          profile = MixedProfile(std::move(*probs));
        }
        Equilibrium eq = make_equilibrium(game, "support-newton", std::move(*profile));
        if (!(eq.max_regret <= tol)) continue;
        solutions.push_back(x);
        quiet = 0;
        found.add({k, std::move(eq)});
      }
      examined.fetch_add(1, std::memory_order_relaxed);
    });
  });
  result.examined = examined.load();

  // Continua are represented by a point each only when nothing else was found: then they are
  // all there is to list (a game has an equilibrium); otherwise they are named, not listed.
  std::vector<std::size_t> singular = singular_supports.take();
  std::vector<std::pair<std::size_t, Equilibrium>> ordered = found.take();
  const std::vector<std::pair<std::size_t, Equilibrium>> continuum = continuum_points.take();
  result.continua = singular.size();
  result.undecided_boxes = undecided.load();
  result.multistart_supports = multistart_supports.take().size();
  {
    std::sort(singular.begin(), singular.end());
    for (auto k : singular) result.singular_supports.push_back(describe_support(game, masks[k]));
  }
  result.continuum_points_listed = ordered.empty() && !continuum.empty();
  if (ordered.empty()) ordered = continuum;
  std::stable_sort(ordered.begin(), ordered.end(),
                   [](const auto& l, const auto& r) { return l.first < r.first; });
  std::vector<Equilibrium> all;
  for (auto& [k, eq] : ordered) all.push_back(std::move(eq));
  result.equilibria = deduplicate(std::move(all));
  std::sort(result.equilibria.begin(), result.equilibria.end(),
            [](const Equilibrium& l, const Equilibrium& r) {
              return l.profile.flat() > r.profile.flat();
            });
  if (context.stop_requested() && result.examined < masks.size()) {
    result.status = SolveStatus::kCancelled;
    result.message = kInterruptedMessage;
  }
  return result;
}

void register_support_newton(SolverRegistry& registry) {
  registry.add({
      .name = "support-newton",
      .summary = "Nash equilibria (mixed and pure) of games with any number of players: support "
                 "enumeration, Newton's method on each support's indifference equations",
      .applies_to = "normal-form games with at least two players (complete for nondegenerate "
                    "two-player games; with three to nine players every regular equilibrium, by a "
                    "certified interval search; continua are named, not enumerated)",
      .check = [](const NormalFormGame& game) -> std::optional<std::string> {
        if (game.num_players() < 2) return std::string("a game needs at least two players");
        return std::nullopt;
      },
      .solve =
          [](const NormalFormGame& game, const SolveOptions& options, SolveContext& context) {
            auto found = solve_support_newton(game, options, context);
            SolveResult result;
            result.status = found.status;
            result.message = found.message;
            result.equilibria = std::move(found.equilibria);
            if (found.continua > 0 || found.multistart_supports > 0 ||
                found.undecided_boxes > 0) {
              Analysis note{.key = "support_newton_coverage", .data = nlohmann::json::object(),
                            .text = {}};
              note.data = {{"supports_with_a_continuum", found.singular_supports},
                           {"continuum_points_listed", found.continuum_points_listed},
                           {"supports_searched_by_multistart", found.multistart_supports},
                           {"undecided_boxes", found.undecided_boxes}};
              if (found.continua > 0) {
                const std::size_t shown = std::min<std::size_t>(found.continua, 5);
                note.text.push_back(fmt::format(
                    "{} support profile{} hold{} a continuum of solutions of the indifference "
                    "equations (singular there); {} not searched further, and {}: {}{}",
                    found.continua, found.continua == 1 ? "" : "s",
                    found.continua == 1 ? "s" : "", found.continua == 1 ? "it was" : "they were",
                    found.continuum_points_listed
                        ? "as nothing else was found, one equilibrium of each is listed"
                        : "their equilibria are not listed beyond those found on other supports",
                    fmt::join(found.singular_supports.begin(),
                              found.singular_supports.begin() + static_cast<long>(shown), "; "),
                    shown < found.continua ? fmt::format("; and {} more", found.continua - shown)
                                           : ""));
              }
              if (found.multistart_supports > 0) {
                note.text.push_back(fmt::format(
                    "{} support profile{} exceeded the certified search's box budget and {} "
                    "searched by random Newton starts: an equilibrium there can be missed",
                    found.multistart_supports, found.multistart_supports == 1 ? "" : "s",
                    found.multistart_supports == 1 ? "was" : "were"));
              }
              if (found.undecided_boxes > 0) {
                note.text.push_back(fmt::format(
                    "{} region{} below the search's resolution could be neither excluded nor "
                    "certified (a degenerate zero may lie there)",
                    found.undecided_boxes, found.undecided_boxes == 1 ? "" : "s"));
              }
              result.analyses.push_back(std::move(note));
            }
            return result;
          },
      .affine_invariant = true,
      .finds_one = true,
      .finds_all = true,
  });
}

}  // namespace stratagem
