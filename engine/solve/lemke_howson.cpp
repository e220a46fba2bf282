#include "stratagem/solve/lemke_howson.hpp"

#include <fmt/format.h>

#include <cmath>
#include <numeric>
#include <stdexcept>

#include "solve/parallel.hpp"
#include "solve/polytope.hpp"

namespace stratagem {
namespace {

using detail::LexTableau;

/// Pivots allowed on one path before it is abandoned (lexicographic pivoting always ends; this
/// only guards against numerical breakdown on huge or ill-conditioned games).
constexpr int kMaxPivots = 1'000'000;

/// Outcome of one path: the normalised profile reached (empty when the path failed).
struct PathOutcome {
  LemkeHowsonPath path;
  std::vector<std::vector<double>> profile;
  std::string failure;
};

std::vector<double> normalised(std::vector<double> v) {
  const double sum = std::accumulate(v.begin(), v.end(), 0.0);
  for (auto& p : v) {
    p /= sum;
    if (std::abs(p) < 1e-13) p = 0.0;
    if (std::abs(p - 1.0) < 1e-13) p = 1.0;
  }
  return v;
}

/// Follows the path that drops 0-based label `k`.
///
/// Tableau `q` is the system r + Ay = 1 (variables y_j, label m + j, then r_i, label i);
/// tableau `p` is B'x + s = 1 (variables x_i, label i, then s_j, label m + j). A pivot in one
/// tableau makes some variable leave; the variable with the same label in the other tableau
/// enters next, until the variable with label k leaves.
PathOutcome follow_path(const Eigen::MatrixXd& a, const Eigen::MatrixXd& bt, int k, bool verbose,
                        const SolveContext& context) {
  const int m = static_cast<int>(a.rows());
  const int n = static_cast<int>(a.cols());
  LexTableau q(a);
  LexTableau p(bt);
  // In p the variable index equals the label; in q labels m.. are y (index - m), 0..m-1 are r.
  auto q_var = [&](int label) { return label >= m ? label - m : n + label; };
  auto q_label = [&](int var) { return var < n ? m + var : var - n; };

  PathOutcome out;
  out.path.start_label = k + 1;
  bool in_p = k < m;  // dropping a row label moves x first
  int label = k;
  while (true) {
    if (out.path.pivots >= kMaxPivots) {
      out.failure = fmt::format("label {}: no equilibrium after {} pivots", k + 1, kMaxPivots);
      return out;
    }
    if ((out.path.pivots & 255) == 0 && context.stop_requested()) {
      out.failure = "cancelled";
      return out;
    }
    LexTableau& tab = in_p ? p : q;
    const int var = in_p ? label : q_var(label);
    const int row = tab.leaving_row(var);
    if (row < 0) {
      out.failure = fmt::format("label {}: unbounded ray (numerical breakdown)", k + 1);
      return out;
    }
    const int leaving = tab.basic(row);
    tab.pivot(row, var);
    ++out.path.pivots;
    if (verbose) out.path.entering.push_back(label + 1);
    label = in_p ? leaving : q_label(leaving);
    if (label == k) break;
    in_p = !in_p;
  }
  out.profile = {normalised(p.decision_values()), normalised(q.decision_values())};
  return out;
}

std::string label_name(const NormalFormGame& game, int label) {
  const int m = game.num_actions(0);
  const int player = label <= m ? 0 : 1;
  const int action = label <= m ? label - 1 : label - m - 1;
  return fmt::format("{} plays {}", game.player_name(player), game.action_name(player, action));
}

}  // namespace

LemkeHowsonResult run_lemke_howson(const NormalFormGame& game, const SolveOptions& options,
                                   SolveContext& context) {
  if (game.num_players() != 2) {
    throw InvalidGame(fmt::format("lemke-howson needs a two-player game; this game has {} players",
                                  game.num_players()));
  }
  const int m = game.num_actions(0);
  const int n = game.num_actions(1);
  std::vector<int> labels;
  if (options.start_label) {
    const int k = *options.start_label;
    if (k < 1 || k > m + n) {
      throw std::invalid_argument(fmt::format(
          "start label {} is out of range: use 1..{} for the row player's actions or {}..{} for "
          "the column player's",
          k, m, m + 1, m + n));
    }
    labels.push_back(k - 1);
  } else {
    labels.resize(static_cast<std::size_t>(m + n));
    std::iota(labels.begin(), labels.end(), 0);
  }
  const detail::PositiveBimatrix payoffs = detail::positive_bimatrix(game);
  const Eigen::MatrixXd& a = payoffs.a;
  const Eigen::MatrixXd& b = payoffs.b;
  const Eigen::MatrixXd bt = b.transpose();

  std::vector<PathOutcome> outcomes(labels.size());
  auto run = [&] {
    // A path takes a few pivots per action, each O(m n).
    const double work = static_cast<double>(labels.size()) * (m + n) * m * n * 4.0;
    parallel::for_each_index(labels.size(), work, [&](std::size_t i) {
      outcomes[i] = follow_path(a, bt, labels[i], options.verbose_paths, context);
    });
  };
  run_with_threads(options.threads, run);

  LemkeHowsonResult result;
  for (auto& outcome : outcomes) {
    if (outcome.profile.empty()) {
      if (result.status == SolveStatus::kOk) {
        result.status =
            outcome.failure == "cancelled" ? SolveStatus::kCancelled : SolveStatus::kFailed;
        result.message = outcome.failure == "cancelled"
                             ? "interrupted; the equilibria listed were reached before the stop"
                             : outcome.failure;
      }
      result.paths.push_back(std::move(outcome.path));
      continue;
    }
    MixedProfile profile(outcome.profile);
    int index = -1;
    for (std::size_t e = 0; e < result.equilibria.size(); ++e) {
      if (result.equilibria[e].profile.distance(profile) <= 1e-9) {
        index = static_cast<int>(e);
        break;
      }
    }
    if (index < 0) {
      index = static_cast<int>(result.equilibria.size());
      result.equilibria.push_back(make_equilibrium(game, "lemke-howson", std::move(profile)));
    }
    outcome.path.equilibrium = index;
    result.paths.push_back(std::move(outcome.path));
  }
  return result;
}

std::vector<Equilibrium> solve_lemke_howson(const NormalFormGame& game, const SolveOptions& options,
                                            SolveContext& context) {
  return run_lemke_howson(game, options, context).equilibria;
}

Analysis lemke_howson_analysis(const NormalFormGame& game, const LemkeHowsonResult& result) {
  Analysis analysis{.key = "lemke_howson", .data = nlohmann::json::object(), .text = {}};
  nlohmann::json paths = nlohmann::json::array();
  for (const auto& path : result.paths) {
    nlohmann::json entry{{"start_label", path.start_label},
                         {"dropped", label_name(game, path.start_label)},
                         {"pivots", path.pivots}};
    entry["equilibrium"] =
        path.equilibrium >= 0 ? nlohmann::json(path.equilibrium + 1) : nlohmann::json(nullptr);
    if (!path.entering.empty()) entry["entering"] = path.entering;
    paths.push_back(std::move(entry));
    std::string line =
        path.equilibrium >= 0
            ? fmt::format("label {} ({}): {} pivots to equilibrium {}", path.start_label,
                          label_name(game, path.start_label), path.pivots, path.equilibrium + 1)
            : fmt::format("label {} ({}): failed after {} pivots", path.start_label,
                          label_name(game, path.start_label), path.pivots);
    if (!path.entering.empty()) {
      line += "; entering labels";
      for (int l : path.entering) line += " " + std::to_string(l);
    }
    analysis.text.push_back(std::move(line));
  }
  analysis.data["paths"] = std::move(paths);
  return analysis;
}

void register_lemke_howson(SolverRegistry& registry) {
  registry.add({
      .name = "lemke-howson",
      .summary = "equilibria reached by Lemke-Howson paths from every label (or one: start label)",
      .applies_to = "two-player normal-form games",
      .check = [](const NormalFormGame& game) -> std::optional<std::string> {
        if (game.num_players() != 2) {
          return fmt::format("Lemke-Howson needs two players; this game has {}",
                             game.num_players());
        }
        return std::nullopt;
      },
      .solve =
          [](const NormalFormGame& game, const SolveOptions& options, SolveContext& context) {
            auto found = run_lemke_howson(game, options, context);
            SolveResult result;
            result.status = found.status;
            result.message = found.message;
            result.analyses.push_back(lemke_howson_analysis(game, found));
            result.equilibria = std::move(found.equilibria);
            return result;
          },
      .affine_invariant = true,
      .finds_one = true,
  });
}

}  // namespace stratagem
