#include "stratagem/solve/enumerate.hpp"
#include "stratagem/solve/lemke_howson.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <utility>

#include "solve/enumerate_components.hpp"
#include "solve/parallel.hpp"
#include "solve/polytope.hpp"
#include "solve/vertex_search.hpp"

namespace stratagem {
namespace {

using detail::BitSet;
using detail::PolytopeVertex;

/// The coordinates of the vertex of { z >= 0 : M z <= 1 } with label set `labels`: support S =
/// decision variables whose label is absent, tight rows T = slacks whose label is present,
/// M[T,S] z_S = 1. Computed from the labels alone, so the result does not depend on the pivot
/// path (or thread schedule) that found the vertex.
std::vector<double> vertex_coordinates(const Eigen::MatrixXd& m, const std::vector<int>& var_label,
                                       const BitSet& labels) {
  const int decision = static_cast<int>(m.cols());
  const int rows = static_cast<int>(m.rows());
  std::vector<double> coords(static_cast<std::size_t>(decision), 0.0);
  std::vector<int> support, tight;
  for (int v = 0; v < decision; ++v) {
    if (!labels.test(var_label[static_cast<std::size_t>(v)])) support.push_back(v);
  }
  for (int r = 0; r < rows; ++r) {
    if (labels.test(var_label[static_cast<std::size_t>(decision + r)])) tight.push_back(r);
  }
  if (support.empty() || tight.size() < support.size()) return coords;
  Eigen::MatrixXd system(static_cast<Eigen::Index>(tight.size()),
                         static_cast<Eigen::Index>(support.size()));
  for (std::size_t a = 0; a < tight.size(); ++a) {
    for (std::size_t b = 0; b < support.size(); ++b) system(a, b) = m(tight[a], support[b]);
  }
  const Eigen::VectorXd z = system.colPivHouseholderQr().solve(
      Eigen::VectorXd::Ones(static_cast<Eigen::Index>(tight.size())));
  for (std::size_t b = 0; b < support.size(); ++b) coords[static_cast<std::size_t>(support[b])] = z(b);
  return coords;
}

/// Normalises a nonzero vertex to a probability vector, snapping rounding noise at 0 and 1.
std::vector<double> normalised(const std::vector<double>& coords) {
  const double sum = std::accumulate(coords.begin(), coords.end(), 0.0);
  std::vector<double> p(coords.size());
  for (std::size_t i = 0; i < coords.size(); ++i) {
    p[i] = coords[i] / sum;
    if (std::abs(p[i]) < 1e-13) p[i] = 0.0;
    if (std::abs(p[i] - 1.0) < 1e-13) p[i] = 1.0;
  }
  return p;
}

/// Pairs (index into p, index into q) of completely labelled vertex pairs, ordered by p then q.
std::vector<std::pair<int, int>> match(const std::vector<PolytopeVertex>& p,
                                       const std::vector<PolytopeVertex>& q, int m, int n) {
  const BitSet all = BitSet::first(m + n);
  // A vertex of P has at least m labels and one of Q at least n; more only at degenerate
  // vertices, which are few. The partner of a vertex x with exactly m labels either has exactly
  // the complementary n labels (a binary search: q is sorted by label set) or is a degenerate
  // vertex of Q (scanned); a degenerate x is compared with every vertex of Q.
  std::vector<int> degenerate_q;
  for (std::size_t j = 0; j < q.size(); ++j) {
    if (q[j].labels.count() > n) degenerate_q.push_back(static_cast<int>(j));
  }
  std::vector<std::vector<int>> partners(p.size());
  const double work = static_cast<double>(p.size()) * (64.0 + 4.0 * degenerate_q.size());
  parallel::for_each_index(p.size(), work, [&](std::size_t i) {
    auto& mine = partners[i];
    if (p[i].labels.count() > m) {
      for (std::size_t j = 0; j < q.size(); ++j) {
        if ((p[i].labels | q[j].labels) == all) mine.push_back(static_cast<int>(j));
      }
      return;
    }
    const BitSet want = all ^ p[i].labels;
    const auto it = std::lower_bound(
        q.begin(), q.end(), want,
        [](const PolytopeVertex& v, const BitSet& labels) { return v.labels < labels; });
    if (it != q.end() && it->labels == want) mine.push_back(static_cast<int>(it - q.begin()));
    for (int j : degenerate_q) {
      if ((p[i].labels | q[static_cast<std::size_t>(j)].labels) == all) mine.push_back(j);
    }
    std::sort(mine.begin(), mine.end());
  });
  std::vector<std::pair<int, int>> out;
  for (std::size_t i = 0; i < p.size(); ++i) {
    for (int j : partners[i]) out.emplace_back(static_cast<int>(i), j);
  }
  return out;
}

}  // namespace

EnumerationResult enumerate_extreme_equilibria(const NormalFormGame& game,
                                               const SolveOptions& options, SolveContext& context) {
  if (game.num_players() != 2) {
    throw InvalidGame(fmt::format("enumerate needs a two-player game; this game has {} players",
                                  game.num_players()));
  }
  const int m = game.num_actions(0);
  const int n = game.num_actions(1);
  if (m + n > BitSet::kMaxBits) {
    throw InvalidGame(fmt::format(
        "enumerate handles at most {} actions in total; this game has {} (try lemke-howson)",
        BitSet::kMaxBits, m + n));
  }
  const detail::PositiveBimatrix payoffs = detail::positive_bimatrix(game);
  const Eigen::MatrixXd& a = payoffs.a;
  const Eigen::MatrixXd& b = payoffs.b;
  // P: variables x_i (label i) then slacks of B'x <= 1 (label m + j).
  std::vector<int> p_labels(static_cast<std::size_t>(m + n));
  std::iota(p_labels.begin(), p_labels.end(), 0);
  // Q: variables y_j (label m + j) then slacks of Ay <= 1 (label i).
  std::vector<int> q_labels;
  for (int j = 0; j < n; ++j) q_labels.push_back(m + j);
  for (int i = 0; i < m; ++i) q_labels.push_back(i);

  EnumerationResult result;
  const Eigen::MatrixXd bt = b.transpose();
  std::vector<PolytopeVertex> p, q;
  std::vector<std::pair<int, int>> pairs;
  bool complete = false;
  bool memory_limit = false;
  std::size_t bases = 0;
  auto run = [&] {
    auto found =
        detail::search_vertices({{bt, p_labels}, {a, q_labels}}, context, options.max_search_bytes);
    complete = found.complete;
    memory_limit = found.memory_limit;
    bases = found.bases;
    p = std::move(found.vertices[0]);
    q = std::move(found.vertices[1]);
    pairs = match(p, q, m, n);
  };
  // Parallel work runs in an arena of `options.threads` threads (all cores when 0). Small games
  // (a few hundred bases, under ~0.1 ms) run on one thread: handing work to a second thread
  // cost more than it saved (7 x 7: 77 us on one thread, 107 us on two).
  constexpr std::size_t kParallelBases = 400;
  const bool small = 2 * detail::expected_bases(m, n) < kParallelBases;  // P and Q alike
  const int threads = small ? 1 : options.threads;
  const auto in_arena = [&](const std::function<void()>& work) { run_with_threads(threads, work); };
  in_arena(run);
  result.row_polytope_vertices = p.size();
  result.column_polytope_vertices = q.size();

  // x = 0 pairs only with y = 0 (the artificial equilibrium); drop it.
  const BitSet all = BitSet::first(m + n);
  const BitSet row_labels = BitSet::first(m);
  const BitSet column_labels = all ^ row_labels;
  std::erase_if(pairs, [&](const std::pair<int, int>& pq) {
    return (p[static_cast<std::size_t>(pq.first)].labels | row_labels) ==
               p[static_cast<std::size_t>(pq.first)].labels ||
           (q[static_cast<std::size_t>(pq.second)].labels | column_labels) ==
               q[static_cast<std::size_t>(pq.second)].labels;
  });

  // Coordinates of the vertices in equilibrium pairs, each computed once, in parallel.
  {
    std::vector<int> need_p, need_q;
    for (const auto& [i, j] : pairs) {
      need_p.push_back(i);
      need_q.push_back(j);
    }
    for (auto* need : {&need_p, &need_q}) {
      std::sort(need->begin(), need->end());
      need->erase(std::unique(need->begin(), need->end()), need->end());
    }
    in_arena([&] {
      const double size = m + n;
      const double work = static_cast<double>(need_p.size() + need_q.size()) * size * size * size;
      parallel::for_each_index(need_p.size() + need_q.size(), work, [&](std::size_t k) {
        if (k < need_p.size()) {
          auto& v = p[static_cast<std::size_t>(need_p[k])];
          v.coords = vertex_coordinates(bt, p_labels, v.labels);
        } else {
          auto& v = q[static_cast<std::size_t>(need_q[k - need_p.size()])];
          v.coords = vertex_coordinates(a, q_labels, v.labels);
        }
      });
    });
  }
  struct Found {
    std::vector<double> flat;
    int p, q;
  };
  std::vector<Found> found;
  for (const auto& [i, j] : pairs) {
    auto x = normalised(p[static_cast<std::size_t>(i)].coords);
    const auto y = normalised(q[static_cast<std::size_t>(j)].coords);
    x.insert(x.end(), y.begin(), y.end());
    found.push_back({std::move(x), i, j});
  }
  std::sort(found.begin(), found.end(),
            [](const Found& l, const Found& r) { return l.flat > r.flat; });

  std::map<int, int> row_id, column_id;
  for (const auto& f : found) {
    std::vector<std::vector<double>> probs{{f.flat.begin(), f.flat.begin() + m},
                                           {f.flat.begin() + m, f.flat.end()}};
    auto [ri, new_row] = row_id.emplace(f.p, static_cast<int>(result.row_strategies.size()));
    if (new_row) result.row_strategies.push_back(probs[0]);
    auto [ci, new_col] = column_id.emplace(f.q, static_cast<int>(result.column_strategies.size()));
    if (new_col) result.column_strategies.push_back(probs[1]);
    result.row_vertex.push_back(ri->second);
    result.column_vertex.push_back(ci->second);
    result.equilibria.push_back(make_equilibrium(game, "enumerate", MixedProfile(probs)));
  }
  detail::find_cliques(result);
  if (memory_limit) {
    result.status = SolveStatus::kLimitReached;
    const std::size_t count = result.equilibria.size();
    result.message = fmt::format(
        "the vertex search reached its memory budget ({:.3g} GiB, docs/limits.md) after {} "
        "bases of the best-response polytopes and stopped; {} among the vertices found, others "
        "may be missing; for one equilibrium use lemke-howson, for a game tree sequence-lcp or "
        "subgame-perfect",
        static_cast<double>(options.max_search_bytes) / (1 << 30), bases,
        count == 1 ? std::string("the equilibrium listed is")
                   : fmt::format("the {} equilibria listed are", count));
  } else if (!complete) {
    result.status = SolveStatus::kCancelled;
    const std::size_t count = result.equilibria.size();
    result.message = fmt::format(
        "interrupted during vertex enumeration; {} found before the stop, others may be missing",
        count == 1 ? std::string("the equilibrium listed was")
                   : fmt::format("the {} equilibria listed were", count));
  }
  return result;
}

std::vector<Equilibrium> solve_enumerate(const NormalFormGame& game, const SolveOptions& options,
                                         SolveContext& context) {
  return enumerate_extreme_equilibria(game, options, context).equilibria;
}

void register_enumerate(SolverRegistry& registry) {
  registry.add({
      .name = "enumerate",
      .summary = "all extreme Nash equilibria by vertex enumeration, with the components of "
                 "degenerate games",
      .applies_to = "two-player normal-form games (at most 128 actions in total)",
      .check = [](const NormalFormGame& game) -> std::optional<std::string> {
        if (game.num_players() != 2) {
          return fmt::format("vertex enumeration needs two players; this game has {}",
                             game.num_players());
        }
        if (game.num_actions(0) + game.num_actions(1) > BitSet::kMaxBits) {
          return fmt::format("vertex enumeration handles at most {} actions in total",
                             BitSet::kMaxBits);
        }
        return std::nullopt;
      },
      .solve =
          [](const NormalFormGame& game, const SolveOptions& options, SolveContext& context) {
            auto found = enumerate_extreme_equilibria(game, options, context);
            SolveResult result;
            result.status = found.status;
            result.message = found.message;
            if (found.status == SolveStatus::kOk) {
              result.analyses.push_back(components_analysis(found));
            }
            result.equilibria = std::move(found.equilibria);
            if (found.status == SolveStatus::kLimitReached && result.equilibria.empty() &&
                !context.stop_requested()) {
              // Every finite game has an equilibrium: when the search stopped before meeting
              // one, list those Lemke-Howson reaches (one per starting label, cheap).
              for (auto& eq : solve_lemke_howson(game, options, context)) {
                eq.method = "enumerate";
                result.equilibria.push_back(std::move(eq));
              }
              result.message += fmt::format(
                  "; listed instead: {} equilibri{} reached by Lemke-Howson paths",
                  result.equilibria.size(), result.equilibria.size() == 1 ? "um" : "a");
            }
            return result;
          },
      .affine_invariant = true,
      .finds_one = true,
      .finds_all = true,
  });
}

}  // namespace stratagem
