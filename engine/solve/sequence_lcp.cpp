#include "stratagem/solve/sequence_lcp.hpp"

#include <fmt/format.h>

#include <Eigen/Dense>
#include <Eigen/LU>
#include <Eigen/SparseLU>
#include <algorithm>
#include <cmath>
#include <optional>
#include <stdexcept>
#include <utility>

#include "solve/parallel.hpp"
#include "solve/sequence_lcp_system.hpp"
#include "stratagem/game/sequence_form.hpp"
#include "stratagem/solve/backward_induction.hpp"

namespace stratagem {

using detail::Lcp;

// The LCP, its variables and rows are described in sequence_lcp_system.cpp.


namespace {

/// Dense tableau of the LCP restricted to the n rows of sign-constrained basic variables (p and q
/// are always basic and their rows never limit a step, so they are solved away), with the
/// lexicographic minimum-ratio test against the columns of the starting basis. Not thread-safe.
class LemkeTableau {
 public:
  /// Pivoting tolerance: smaller column entries are treated as zero.
  static constexpr double kPivotTol = 1e-9;
  /// Basic values (plans at most 1, slacks of payoffs mapped onto [0, 1]) are trusted to this.
  static constexpr double kValueTol = 1e-11;
  /// Basis matrices up to this many rows are factorised densely.
  static constexpr int kDenseRows = 120;

  LemkeTableau(const Lcp& lcp, Eigen::VectorXd z0_column, std::vector<int> basis)
      : lcp_(lcp),
        z0_column_(std::move(z0_column)),
        basis_(std::move(basis)),
        where_(static_cast<std::size_t>(lcp.num_vars()), -1),
        lex_(basis_) {
    std::sort(lex_.begin(), lex_.end());
    for (std::size_t r = 0; r < basis_.size(); ++r) {
      where_[static_cast<std::size_t>(basis_[r])] = static_cast<int>(r);
    }
  }

  /// Recomputes the tableau from the original system for the current basis (LU of the basis
  /// matrix: dense when small, else sparse); with `values_only`, just the right-hand side. False when the basis matrix is
  /// numerically singular.
  [[nodiscard]] bool refactor(bool values_only = false) {
    const int n = lcp_.n;
    const int rows = lcp_.rows;
    const int vars = lcp_.num_vars();
    std::vector<Eigen::Triplet<double>> entries;
    auto add_column = [&](int col, int var) {
      if (var == lcp_.z0()) {
        for (int r = 0; r < rows; ++r) {
          if (z0_column_(r) != 0.0) entries.emplace_back(r, col, z0_column_(r));
        }
        return;
      }
      for (Eigen::SparseMatrix<double>::InnerIterator it(lcp_.system, var); it; ++it) {
        entries.emplace_back(static_cast<int>(it.row()), col, it.value());
      }
    };
    for (int r = 0; r < n; ++r) add_column(r, basis_[static_cast<std::size_t>(r)]);
    for (int j = n; j < rows; ++j) add_column(j, vars + (j - n));  // p and q
    Eigen::SparseMatrix<double> basis_matrix(rows, rows);
    basis_matrix.setFromTriplets(entries.begin(), entries.end());
    // Small systems: a dense LU (a sparse LU's symbolic analysis costs more than it saves there).
    if (rows <= kDenseRows) {
      const Eigen::MatrixXd dense(basis_matrix);
      // Partial pivoting as in the sparse LU; a singular basis shows as non-finite values or a
      // residual, checked in finish().
      const Eigen::PartialPivLU<Eigen::MatrixXd> lu(dense);
      return finish(basis_matrix, lu, values_only);
    }
    Eigen::SparseLU<Eigen::SparseMatrix<double>, Eigen::COLAMDOrdering<int>> lu;
    lu.analyzePattern(basis_matrix);
    lu.factorize(basis_matrix);
    if (lu.info() != Eigen::Success) return false;
    return finish(basis_matrix, lu, values_only);
  }

  /// The rest of refactor() once the basis matrix is factorised (`lu`, sparse or dense).
  template <class Lu>
  [[nodiscard]] bool finish(const Eigen::SparseMatrix<double>& basis_matrix, const Lu& lu,
                            bool values_only) {
    const int n = lcp_.n;
    const int rows = lcp_.rows;
    const int vars = lcp_.num_vars();
    const Eigen::VectorXd values = lu.solve(lcp_.rhs);
    const double residual = (basis_matrix * values - lcp_.rhs).lpNorm<Eigen::Infinity>();
    if (!values.allFinite() || residual > 1e-9 * std::max(1.0, values.lpNorm<Eigen::Infinity>())) {
      return false;
    }
    if (values_only) {
      tableau_.col(vars) = values.head(n);
      return true;
    }
    // Basic columns are unit vectors; only the n + 1 nonbasic ones need solving.
    std::vector<int> nonbasic;
    for (int v = 0; v < vars; ++v) {
      if (where_[static_cast<std::size_t>(v)] < 0) nonbasic.push_back(v);
    }
    Eigen::MatrixXd columns = Eigen::MatrixXd::Zero(rows, static_cast<int>(nonbasic.size()));
    for (std::size_t j = 0; j < nonbasic.size(); ++j) {
      const int v = nonbasic[j];
      if (v == lcp_.z0()) {
        columns.col(static_cast<int>(j)) = z0_column_;
        continue;
      }
      for (Eigen::SparseMatrix<double>::InnerIterator it(lcp_.system, v); it; ++it) {
        columns(static_cast<int>(it.row()), static_cast<int>(j)) = it.value();
      }
    }
    const Eigen::MatrixXd solved = lu.solve(columns);
    if (!solved.allFinite()) return false;
    tableau_.setZero(n, vars + 1);
    for (std::size_t j = 0; j < nonbasic.size(); ++j) {
      tableau_.col(nonbasic[j]) = solved.col(static_cast<int>(j)).head(n);
    }
    for (int r = 0; r < n; ++r) tableau_(r, basis_[static_cast<std::size_t>(r)]) = 1.0;
    tableau_.col(vars) = values.head(n);
    return true;
  }

  /// Leaving row when `var` enters: the lexicographic minimum-ratio test over rows with a positive
  /// entry; the row of z0 wins a tie (it ends the path). -1 for an unbounded ray. Two ratios tie
  /// when taking the larger would leave the other row's value less than kValueTol below zero, so
  /// rounding never decides a degenerate step and a real difference never counts as a tie.
  [[nodiscard]] int leaving_row(int var) const {
    const int rhs = lcp_.num_vars();
    int best = -1;
    double best_ratio = 0.0;
    double best_piv = 0.0;
    for (int r = 0; r < lcp_.n; ++r) {
      const double piv = tableau_(r, var);
      if (piv <= kPivotTol) continue;
      // A basic value a rounding error below zero counts as zero, never as a step backwards.
      const double ratio = std::max(0.0, tableau_(r, rhs)) / piv;
      bool take = best < 0;
      if (!take) {
        const double diff = ratio - best_ratio;
        if (diff < 0.0 && -diff * piv > kValueTol) {
          take = true;
        } else if (diff > 0.0 && diff * best_piv > kValueTol) {
          take = false;
        } else {
          take = basic(best) != lcp_.z0() && (basic(r) == lcp_.z0() || lex_less(r, best, var));
        }
      }
      if (take) {
        best = r;
        best_ratio = ratio;
        best_piv = piv;
      }
    }
    return best;
  }

  /// Pivots `var` into the basis in `row`. O(n * vars).
  void pivot(int row, int var) {
    // The leaving value is zero or positive (see leaving_row); drop a rounding error below zero.
    double& leaving_value = tableau_(row, lcp_.num_vars());
    leaving_value = std::max(0.0, leaving_value);
    tableau_.row(row) /= tableau_(row, var);
    const Eigen::RowVectorXd pivot_row = tableau_.row(row);
    // Only the rows with a nonzero entry in the column change (row-major: contiguous rows).
    for (int r = 0; r < lcp_.n; ++r) {
      const double factor = tableau_(r, var);
      if (r == row || factor == 0.0) continue;
      tableau_.row(r).noalias() -= factor * pivot_row;
      tableau_(r, var) = 0.0;
    }
    tableau_(row, var) = 1.0;
    where_[static_cast<std::size_t>(basis_[static_cast<std::size_t>(row)])] = -1;
    basis_[static_cast<std::size_t>(row)] = var;
    where_[static_cast<std::size_t>(var)] = row;
  }

  [[nodiscard]] int basic(int row) const { return basis_[static_cast<std::size_t>(row)]; }
  [[nodiscard]] const std::vector<int>& basis() const { return basis_; }
  /// Value of `var` in the basic solution (0 when nonbasic).
  [[nodiscard]] double value(int var) const {
    const int r = where_[static_cast<std::size_t>(var)];
    return r < 0 ? 0.0 : tableau_(r, lcp_.num_vars());
  }
  /// Smallest value of a basic variable.
  [[nodiscard]] double min_value() const { return tableau_.col(lcp_.num_vars()).minCoeff(); }

 private:
  /// True when row r1's ratio vector over the starting basis's columns (for entering column `var`)
  /// is lexicographically smaller than row r2's.
  [[nodiscard]] bool lex_less(int r1, int r2, int var) const {
    const double p1 = tableau_(r1, var);
    const double p2 = tableau_(r2, var);
    for (int c : lex_) {
      const double u = tableau_(r1, c) / p1;
      const double v = tableau_(r2, c) / p2;
      const double scale = std::max({1.0, std::abs(u), std::abs(v)});
      if (std::abs(u - v) > 1e-10 * scale) return u < v;
    }
    // The rows of B^-1 B0 are independent, so this is reached only through rounding.
    return basic(r1) < basic(r2);
  }

  const Lcp& lcp_;
  Eigen::VectorXd z0_column_;  ///< the z0 column of the whole system, for this start
  /// n x (vars + 1), right-hand side last; row-major for the row operations of a pivot.
  Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> tableau_;
  std::vector<int> basis_;  ///< basic variable of each row
  std::vector<int> where_;  ///< row of each variable, -1 when nonbasic
  std::vector<int> lex_;    ///< the starting basis, increasing: lexicographic reference
};

/// Pivots between refactorisations of the tableau.
constexpr int kRefactorInterval = 100;

struct PathOutcome {
  SequenceLcpPath path;
  BehaviourProfile behaviour;  ///< empty when the path failed
  double gain = 0.0;           ///< sequence_form_nash_gain of `behaviour`
  std::vector<int> basis;      ///< final tableau basis, for exact recovery
  bool hit_limit = false;      ///< failed by the pivot limit
};

/// Behaviour strategies from the plans, probabilities below 1e-12 dropped and renormalised.
BehaviourProfile behaviour_from_plans(const Lcp& lcp, const Eigen::VectorXd& x,
                                      const Eigen::VectorXd& y) {
  const GameTree& tree = *lcp.tree;
  BehaviourProfile behaviour(tree.infosets().size());
  behaviour_from_plan(lcp.form, tree, 0, x, behaviour);
  behaviour_from_plan(lcp.form, tree, 1, y, behaviour);
  for (auto& probs : behaviour) {
    double sum = 0.0;
    for (double& q : probs) {
      if (q < 1e-12) q = 0.0;
      sum += q;
    }
    for (double& q : probs) q /= sum;
  }
  return behaviour;
}

PathOutcome follow_path(const Lcp& lcp, const BehaviourProfile& start, int max_pivots,
                        double max_gain, const SolveContext& context) {
  PathOutcome out;
  const int n1 = lcp.n1;
  const int n = lcp.n;
  const Eigen::VectorXd xs = realization_plan(lcp.form, 0, start);
  const Eigen::VectorXd ys = realization_plan(lcp.form, 1, start);
  Eigen::VectorXd z0_column(lcp.system.col(lcp.z0()));
  z0_column.head(n1) = lcp.a * ys;
  z0_column.segment(n1, lcp.n2) = lcp.b.transpose() * xs;

  // Ties are broken towards the start's own moves: a start that is an equilibrium stays one.
  const auto chosen_x = detail::best_response_sequences(lcp, 0, z0_column.head(n1), start);
  const auto chosen_y = detail::best_response_sequences(lcp, 1, z0_column.segment(n1, lcp.n2), start);
  std::vector<int> basis{lcp.z0()};
  for (int s = 1; s < n1; ++s) basis.push_back(chosen_x[static_cast<std::size_t>(s)] ? s : n + s);
  basis.push_back(n1);  // y of the empty sequence, at zero
  for (int s = 1; s < lcp.n2; ++s) {
    basis.push_back(chosen_y[static_cast<std::size_t>(s)] ? n1 + s : n + n1 + s);
  }
  LemkeTableau tableau(lcp, std::move(z0_column), std::move(basis));
  if (!tableau.refactor()) {
    out.path.failure = "the starting basis is singular (numerical breakdown)";
    return out;
  }
  int entering = 0;  // x of the empty sequence
  while (true) {
    if (out.path.pivots >= max_pivots) {
      out.path.failure = fmt::format("no equilibrium after {} pivots", max_pivots);
      out.hit_limit = true;
      return out;
    }
    if (context.stop_requested()) {
      out.path.failure = "cancelled";
      return out;
    }
    if (out.path.pivots > 0 && out.path.pivots % kRefactorInterval == 0 && !tableau.refactor()) {
      out.path.failure =
          fmt::format("singular basis after {} pivots (numerical breakdown)", out.path.pivots);
      return out;
    }
    const int row = tableau.leaving_row(entering);
    if (row < 0) {
      out.path.failure = fmt::format(
          "the path ended in a ray after {} pivots (a degenerate start or numerical breakdown)",
          out.path.pivots);
      return out;
    }
    const int leaving = tableau.basic(row);
    tableau.pivot(row, entering);
    ++out.path.pivots;
    if (leaving == lcp.z0()) break;
    entering = lcp.complement(leaving);
  }
  // Clean up: solve the final basis again from the original system.
  if (!tableau.refactor(/*values_only=*/true)) {
    out.path.failure = "the final basis is singular (numerical breakdown)";
    return out;
  }
  if (tableau.min_value() < -1e-7) {
    out.path.failure = fmt::format(
        "the final basis is infeasible after clean-up (a value of {:.3g}; numerical breakdown)",
        tableau.min_value());
    return out;
  }
  Eigen::VectorXd x(n1);
  Eigen::VectorXd y(lcp.n2);
  for (int s = 0; s < n1; ++s) x(s) = std::max(0.0, tableau.value(s));
  for (int s = 0; s < lcp.n2; ++s) y(s) = std::max(0.0, tableau.value(n1 + s));
  BehaviourProfile behaviour = behaviour_from_plans(lcp, x, y);
  out.gain = sequence_form_nash_gain(*lcp.tree, behaviour);
  if (!(out.gain <= max_gain)) {
    out.path.failure = fmt::format(
        "the point reached is not an equilibrium: a player gains {:.3g} (numerical breakdown)",
        out.gain);
    return out;
  }
  out.behaviour = std::move(behaviour);
  out.basis = tableau.basis();
  return out;
}

// ---------------------------------------------------------------------------------------------
// Starts

/// Restarts of a start whose path failed other than by cancellation or the pivot limit.
constexpr int kMaxRestarts = 3;

/// Follows the path from `start`; when it fails (a path that ends in a ray can only come from a
/// degenerate start, where the start's best replies tie), follows it again from the start mixed
/// with a little of a random profile, seeded by the start's index and the attempt.
PathOutcome follow_start(const Lcp& lcp, const BehaviourProfile& start, std::size_t index,
                         int max_pivots, double max_gain, const SolveContext& context) {
  PathOutcome out = follow_path(lcp, start, max_pivots, max_gain, context);
  int pivots = out.path.pivots;
  for (int attempt = 1; attempt <= kMaxRestarts && out.behaviour.empty() &&
                        out.path.failure != "cancelled" && !out.hit_limit;
       ++attempt) {
    BehaviourProfile perturbed = start;
    detail::blend_with_random(perturbed, 1e-3,
                      detail::start_seed(0x5eed + index, static_cast<std::uint64_t>(attempt)));
    out = follow_path(lcp, perturbed, max_pivots, max_gain, context);
    pivots += out.path.pivots;
    out.path.restarts = attempt;
  }
  out.path.pivots = pivots;
  return out;
}

double max_abs_difference(const BehaviourProfile& u, const BehaviourProfile& v) {
  double d = 0.0;
  for (std::size_t h = 0; h < u.size(); ++h) {
    for (std::size_t m = 0; m < u[h].size(); ++m) d = std::max(d, std::abs(u[h][m] - v[h][m]));
  }
  return d;
}

}  // namespace

SequenceLcpResult solve_sequence_lcp(const GameTree& tree, const SequenceLcpOptions& options,
                                     SolveContext& context) {
  if (tree.num_players() != 2) {
    throw InvalidGame(
        fmt::format("sequence-lcp needs a two-player tree; this tree has {} players (use "
                    "subgame-perfect or the reduced normal form for more)",
                    tree.num_players()));
  }
  if (!(options.tolerance > 0.0) || options.max_pivots < 0 || options.random_starts < 0 ||
      options.max_starts == 0) {
    throw std::invalid_argument(
        "sequence-lcp options: tolerance and max_starts must be positive, max_pivots and "
        "random_starts non-negative");
  }
  const Lcp lcp = detail::make_lcp(tree);  // throws InvalidGame without perfect recall
  const std::vector<detail::SequenceLcpStart> starts = detail::make_starts(lcp, options);
  const int max_pivots =
      options.max_pivots > 0 ? options.max_pivots : std::max(10'000, 100 * lcp.rows);

  const double max_gain = options.tolerance * payoff_scale(tree);
  std::vector<PathOutcome> outcomes(starts.size());
  auto run = [&] {
    // A path takes a few pivots per row, each O(rows^2).
    const double rows = lcp.rows;
    const double work = static_cast<double>(starts.size()) * rows * rows * rows;
    parallel::for_each_index(starts.size(), work, [&](std::size_t i) {
      outcomes[i] = follow_start(lcp, starts[i].behaviour, i, max_pivots, max_gain, context);
    });
  };
  run_with_threads(options.threads, run);

  SequenceLcpResult result;
  std::vector<std::vector<int>> bases;  // final basis of each equilibrium's first path
  int failed = 0;
  bool cancelled = false;
  std::string first_failure;
  for (std::size_t i = 0; i < starts.size(); ++i) {
    PathOutcome& outcome = outcomes[i];
    outcome.path.start = starts[i].name;
    if (!outcome.behaviour.empty()) {
      std::size_t e = 0;
      while (e < result.equilibria.size() &&
             max_abs_difference(result.equilibria[e].behaviour, outcome.behaviour) > 1e-7) {
        ++e;
      }
      if (e == result.equilibria.size()) {
        BehaviorEquilibrium eq;
        eq.behaviour = outcome.behaviour;
        eq.payoffs = behaviour_payoffs(tree, outcome.behaviour);
        eq.max_gain = outcome.gain;
        result.equilibria.push_back(std::move(eq));
        bases.push_back(outcome.basis);
      }
      outcome.path.equilibrium = static_cast<int>(e);
    }
    if (outcome.path.equilibrium < 0) {
      if (outcome.path.failure == "cancelled") {
        cancelled = true;
      } else if (failed++ == 0) {
        first_failure = fmt::format("start '{}': {}", outcome.path.start, outcome.path.failure);
      }
    }
    result.paths.push_back(std::move(outcome.path));
  }
  if (cancelled) {
    result.status = SolveStatus::kCancelled;
    result.message = kInterruptedMessage;
  } else if (failed > 0) {
    result.status = SolveStatus::kFailed;
    result.message =
        fmt::format("{} of {} paths failed; first: {}", failed, starts.size(), first_failure);
  }
  if (options.exact && !result.equilibria.empty()) {
    const auto payoffs = detail::exact_payoffs(lcp);
    for (std::size_t e = 0; e < result.equilibria.size(); ++e) {
      result.exact.push_back(detail::recover_exact(lcp, payoffs, bases[e], result.equilibria[e].behaviour));
      if (!result.exact.back().verified && result.status != SolveStatus::kFailed) {
        result.status = SolveStatus::kFailed;
        result.message = fmt::format("equilibrium {} failed the exact check: {}", e + 1,
                                     result.exact.back().message);
      }
    }
  }
  return result;
}

void register_sequence_lcp(SolverRegistry& registry) {
  registry.add(tree_solver_entry(
      "sequence-lcp",
      "Nash equilibria of two-player trees by Lemke's algorithm on the sequence form "
      "(behaviour strategies; several starts)",
      "two-player game trees with perfect recall",
      [](const GameTree& tree) -> std::optional<std::string> {
        if (tree.num_players() != 2) {
          return fmt::format("the sequence form needs two players; this tree has {}",
                             tree.num_players());
        }
        try {
          (void)sequence_form(tree);
        } catch (const InvalidGame& e) {
          return std::string(e.what());
        }
        return std::nullopt;
      },
      [](const GameTree& tree, const SolveOptions& options, SolveContext& context) {
        SequenceLcpOptions lcp;
        lcp.tolerance = options.tolerance;
        // Payoff gaps below a millionth of the range are beyond what pivoting in doubles
        // separates (docs/numerics.md): every equilibrium is then confirmed in rationals, and
        // the ones that fail are dropped.
        const double resolution = payoff_resolution(tree);
        const bool fine = resolution < 1e-6;
        lcp.exact = options.exact || fine;
        lcp.threads = options.threads;
        SequenceLcpResult found = solve_sequence_lcp(tree, lcp, context);
        std::size_t dropped = 0;
        if (fine && found.status != SolveStatus::kCancelled) {
          std::vector<BehaviorEquilibrium> kept;
          std::vector<ExactBehaviorEquilibrium> kept_exact;
          for (std::size_t k = 0; k < found.equilibria.size(); ++k) {
            if (k < found.exact.size() && found.exact[k].verified) {
              kept.push_back(std::move(found.equilibria[k]));
              kept_exact.push_back(std::move(found.exact[k]));
            } else {
              ++dropped;
            }
          }
          found.equilibria = std::move(kept);
          found.exact = std::move(kept_exact);
          if (found.equilibria.empty()) {
            found.status = SolveStatus::kFailed;
            found.message = fmt::format(
                "payoffs differ by as little as {:.3g} of their range, beyond what pivoting in "
                "doubles separates, and no path ended at an equilibrium that holds in exact "
                "arithmetic; use --method enumerate (the reduced normal form, solved exactly)",
                resolution);
          } else if (found.status == SolveStatus::kFailed && dropped > 0) {
            found.status = SolveStatus::kOk;  // the failures were the dropped candidates
            found.message.clear();
          }
        }
        TreeSolveResult result{.status = found.status,
                               .message = found.message,
                               .equilibria = std::move(found.equilibria),
                               .analyses = {}};
        nlohmann::json paths = nlohmann::json::array();
        int failed = 0, pivots = 0;
        for (const auto& path : found.paths) {
          nlohmann::json j{{"start", path.start},
                           {"pivots", path.pivots},
                           {"restarts", path.restarts}};
          if (path.equilibrium >= 0) {
            j["equilibrium"] = path.equilibrium + 1;
          } else {
            j["failure"] = path.failure;
            ++failed;
          }
          pivots += path.pivots;
          paths.push_back(std::move(j));
        }
        std::vector<std::string> text{fmt::format(
            "{} starts, {} pivots in all, {} distinct equilibria{}", found.paths.size(), pivots,
            result.equilibria.size(), failed > 0 ? fmt::format(", {} paths failed", failed) : "")};
        for (std::size_t k = 0; k < found.exact.size(); ++k) {
          const auto& ex = found.exact[k];
          if (ex.verified) {
            std::vector<std::string> payoffs;
            for (const auto& v : ex.payoffs) payoffs.push_back(v.get_str());
            text.push_back(fmt::format("equilibrium {} verified in rational arithmetic: payoffs {}",
                                       k + 1, fmt::join(payoffs, ", ")));
          } else {
            text.push_back(fmt::format("equilibrium {} NOT verified exactly: {}", k + 1, ex.message));
          }
        }
        nlohmann::json data{{"paths", std::move(paths)}};
        if (!found.exact.empty()) {
          nlohmann::json exact = nlohmann::json::array();
          for (const auto& ex : found.exact) {
            nlohmann::json behaviour = nlohmann::json::array();
            for (const auto& set : ex.behaviour) {
              std::vector<std::string> probs;
              for (const auto& q : set) probs.push_back(q.get_str());
              behaviour.push_back(probs);
            }
            std::vector<std::string> payoffs;
            for (const auto& v : ex.payoffs) payoffs.push_back(v.get_str());
            exact.push_back({{"verified", ex.verified},
                             {"message", ex.message},
                             {"strategies", std::move(behaviour)},
                             {"payoffs", payoffs}});
          }
          data["exact"] = std::move(exact);
        }
        result.analyses.push_back(
            Analysis{.key = "sequence_lcp_paths", .data = std::move(data), .text = std::move(text)});
        return result;
      }));
}

}  // namespace stratagem
