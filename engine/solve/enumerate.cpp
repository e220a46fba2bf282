#include "stratagem/solve/enumerate.hpp"

#include <fmt/format.h>
#include <tbb/concurrent_vector.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>
#include <tbb/parallel_for_each.h>
#include <tbb/parallel_invoke.h>
#include <tbb/parallel_sort.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <map>
#include <memory>
#include <numeric>
#include <set>
#include <utility>

#include "solve/polytope.hpp"

namespace stratagem {
namespace {

using detail::BitSet;
using detail::BitSetHash;
using detail::LexTableau;
using detail::VisitedBases;

/// A basic solution with ε = 0 below this (payoffs scaled into [1, 2]) counts as zero.
constexpr double kZeroTol = 1e-9;

/// A vertex of a best-response polytope: its labels (every tight constraint) and coordinates.
struct PolytopeVertex {
  BitSet labels;
  std::vector<double> coords;
};

/// A guess at the number of lexicographically feasible bases of { z >= 0 : M z <= 1 } for a
/// random k x d matrix M, from counts measured on random games (5 x 5: ~30, 10 x 10: ~900,
/// 15 x 15: 17,000 to 70,000; about 1.95 times more for each action added to both sides).
/// Sizes the visited-basis table, which grows when the guess is low, and decides whether a game
/// is worth a second thread.
std::size_t expected_bases(Eigen::Index rows, Eigen::Index cols) {
  const double size = 0.5 * static_cast<double>(rows + cols);
  return static_cast<std::size_t>(
      std::min(1e7, 30.0 * std::pow(1.95, std::max(0.0, size - 5.0))));
}

/// Label sets of the vertices found by one thread.
struct VertexBatch {
  std::vector<BitSet> labels;
};

/// A tableau shared by the bases found from it (they pivot a copy of it), reference counted.
/// Its tableau is written only by the thread that fills it; the count, which the threads
/// sharing its children change, has a cache line of its own.
struct alignas(64) TableauNode {
  explicit TableauNode(const LexTableau& from) : tab(from) {}
  LexTableau tab;
  alignas(64) std::atomic<int> refs{0};
};

/// Unused tableau nodes of the calling thread, kept from one search to the next: a node whose
/// last reference is dropped goes to the list of the thread that dropped it, and copying a
/// parent into a recycled node reuses its storage. Without it every visited basis cost four
/// allocations, often freed by the other thread (the allocator's locks and mixed heaps cost
/// 10-30 % of a two-thread search of a small game); with a pool per search, a quarter of them
/// remained (a 10 x 10 search keeps ~200 tableaux alive at once). At most kCachedBytes of
/// tableau storage stay cached per thread.
class TableauCache {
 public:
  /// A node holding a copy of `from`, with no references yet.
  static TableauNode* acquire(const LexTableau& from) {
    auto& self = local();
    if (self.nodes_.empty()) return new TableauNode(from);
    std::unique_ptr<TableauNode> node = std::move(self.nodes_.back());
    self.nodes_.pop_back();
    self.bytes_ -= bytes(*node);
    node->tab = from;
    return node.release();
  }
  /// Takes back a node with no references left.
  static void release(TableauNode* node) {
    std::unique_ptr<TableauNode> owned(node);
    auto& self = local();
    if (self.bytes_ + bytes(*node) > kCachedBytes) return;  // deleted
    self.bytes_ += bytes(*node);
    self.nodes_.push_back(std::move(owned));
  }

 private:
  static constexpr std::size_t kCachedBytes = std::size_t{8} << 20;
  static std::size_t bytes(const TableauNode& node) {
    return sizeof(TableauNode) + sizeof(double) * static_cast<std::size_t>(node.tab.num_rows()) *
                                     static_cast<std::size_t>(node.tab.num_vars() + 1);
  }
  static TableauCache& local() {
    thread_local TableauCache cache;
    return cache;
  }
  std::vector<std::unique_ptr<TableauNode>> nodes_;
  std::size_t bytes_ = 0;
};

/// A counted reference to a cached tableau node; the last one returns the node to the cache.
class TableauRef {
 public:
  TableauRef() = default;
  explicit TableauRef(TableauNode* node) : node_(node) {
    node_->refs.fetch_add(1, std::memory_order_relaxed);
  }
  TableauRef(const TableauRef& other) : node_(other.node_) {
    if (node_ != nullptr) node_->refs.fetch_add(1, std::memory_order_relaxed);
  }
  TableauRef(TableauRef&& other) noexcept : node_(std::exchange(other.node_, nullptr)) {}
  TableauRef& operator=(TableauRef other) noexcept {
    std::swap(node_, other.node_);
    return *this;
  }
  ~TableauRef() {
    if (node_ != nullptr && node_->refs.fetch_sub(1, std::memory_order_acq_rel) == 1) {
      TableauCache::release(node_);
    }
  }
  const LexTableau& operator*() const { return node_->tab; }
  const LexTableau* operator->() const { return &node_->tab; }

 private:
  TableauNode* node_ = nullptr;
};

/// One best-response polytope { z >= 0 : M z <= 1 } being searched: its starting tableau, the
/// label of each tableau variable (decision variables first, then slacks), the bases reached
/// and the label sets found by each thread.
struct PolytopeSearch {
  PolytopeSearch(const Eigen::MatrixXd& m, const std::vector<int>& labels)
      : root(TableauCache::acquire(LexTableau(m))),
        var_label(labels),
        seen(expected_bases(m.rows(), m.cols())) {
    seen.insert(root->basis_set());
  }
  TableauRef root;
  const std::vector<int>& var_label;
  VisitedBases seen;
  tbb::enumerable_thread_specific<VertexBatch> found;
};

/// A basis still to visit: the search it belongs to, its parent's tableau (shared by all its
/// children) and the pivot that leads from the parent to it. Children are materialised only
/// when visited, so memory holds one tableau per partly explored parent, not one per pending
/// child.
struct PendingBasis {
  PolytopeSearch* search = nullptr;
  TableauRef parent;
  int row = -1;
  int var = -1;
};

/// Visiting a basis copies its parent's tableau, pivots, records the vertex's labels and
/// queues the unseen neighbouring bases.
void visit(const PendingBasis& pending, std::vector<PendingBasis>& next) {
  PolytopeSearch& search = *pending.search;
  TableauNode* node = TableauCache::acquire(*pending.parent);
  const TableauRef shared(node);  // pivoted here, then read only (by the queued neighbours)
  LexTableau& tab = node->tab;
  if (pending.row >= 0) tab.pivot(pending.row, pending.var);
  const int vars = tab.num_vars();
  const BitSet zero = tab.zero_vars(kZeroTol);
  BitSet labels;
  for (int v = 0; v < vars; ++v) {
    if (zero.test(v)) labels.set(search.var_label[static_cast<std::size_t>(v)]);
  }
  search.found.local().labels.push_back(labels);
  const BitSet basis = tab.basis_set();
  for (int v = 0; v < vars; ++v) {
    if (basis.test(v)) continue;
    const int row = tab.leaving_row(v);
    if (row < 0) continue;  // unbounded direction: impossible with positive payoffs
    BitSet neighbour = basis;
    neighbour.reset(tab.basic(row));
    neighbour.set(v);
    if (search.seen.insert(neighbour)) next.push_back(PendingBasis{&search, shared, row, v});
  }
}

/// The vertices found by a finished search, sorted by label set. Several bases of a degenerate
/// vertex give the same label set (the labels determine the vertex): one is kept. Coordinates
/// are computed later, from the label set alone, and only for the vertices that take part in
/// an equilibrium.
std::vector<PolytopeVertex> collect_vertices(PolytopeSearch& search) {
  std::vector<BitSet> labels;
  for (auto& batch : search.found) {
    labels.insert(labels.end(), batch.labels.begin(), batch.labels.end());
  }
  tbb::parallel_sort(labels.begin(), labels.end());
  labels.erase(std::unique(labels.begin(), labels.end()), labels.end());
  std::vector<PolytopeVertex> all(labels.size());
  for (std::size_t k = 0; k < labels.size(); ++k) all[k].labels = labels[k];
  return all;
}

/// All vertices of the polytopes { z >= 0 : M z <= 1 } of `searches`, found by one parallel
/// search of the graphs of lexicographically feasible bases from each slack basis. Both
/// polytopes are searched together, so the threads share one start and one finish (searched
/// one after the other, each search paid for its own start-up and its own last straggling task).
/// False when a stop was requested before every basis was visited.
bool search_polytopes(const std::vector<PolytopeSearch*>& searches, const SolveContext& context) {
  // Work items are batches of bases: a task visits its batch depth first and hands every
  // kBatch newly found bases to the other threads as a new task, so there is no global
  // synchronisation and tasks stay coarse enough for cheap stealing.
  constexpr std::size_t kBatch = 16;
  using Batch = std::vector<PendingBasis>;
  std::vector<Batch> roots;
  for (PolytopeSearch* search : searches) {
    roots.push_back(Batch{{search, search->root, -1, -1}});  // the root: no pivot
  }
  // Rounds: when a visited-basis table asks to grow, the tasks of that search put their work
  // aside and stop; once every task has stopped the table grows and the next round resumes.
  while (!roots.empty()) {
    tbb::concurrent_vector<Batch> paused;
    tbb::parallel_for_each(roots.begin(), roots.end(), [&](const Batch& batch,
                                                           tbb::feeder<Batch>& feeder) {
      Batch stack = batch;
      Batch found_here;
      while (!stack.empty()) {
        if (context.stop_requested()) return;
        if (stack.back().search->seen.wants_to_grow()) {
          paused.push_back(std::move(stack));
          return;
        }
        const PendingBasis pending = std::move(stack.back());
        stack.pop_back();
        visit(pending, found_here);
        // Keep a few to continue with here, share the rest.
        while (found_here.size() > kBatch) {
          feeder.add(Batch(std::make_move_iterator(found_here.end() - kBatch),
                           std::make_move_iterator(found_here.end())));
          found_here.resize(found_here.size() - kBatch);
        }
        stack.insert(stack.end(), std::make_move_iterator(found_here.begin()),
                     std::make_move_iterator(found_here.end()));
        found_here.clear();
        if (stack.size() > 2 * kBatch) {
          feeder.add(Batch(std::make_move_iterator(stack.begin()),
                           std::make_move_iterator(stack.begin() + kBatch)));
          stack.erase(stack.begin(), stack.begin() + kBatch);
        }
      }
    });
    roots.assign(std::make_move_iterator(paused.begin()), std::make_move_iterator(paused.end()));
    if (context.stop_requested()) return false;
    for (PolytopeSearch* search : searches) {
      if (search->seen.wants_to_grow()) search->seen.grow();
    }
  }
  return !context.stop_requested();
}

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
  tbb::parallel_for(std::size_t{0}, p.size(), [&](std::size_t i) {
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

/// Maximal bicliques of the bipartite graph `adjacent[row] = sorted columns`; each returned as
/// (rows, columns). Every maximal biclique has column set equal to an intersection of row
/// neighbourhoods, so those intersections (closed under further intersection) are enumerated.
std::vector<std::pair<std::vector<int>, std::vector<int>>> maximal_bicliques(
    const std::vector<std::vector<int>>& adjacent, int columns) {
  using Set = std::vector<bool>;
  std::vector<Set> neighbourhood;
  for (const auto& cols : adjacent) {
    Set s(static_cast<std::size_t>(columns), false);
    for (int c : cols) s[static_cast<std::size_t>(c)] = true;
    neighbourhood.push_back(std::move(s));
  }
  std::set<Set> closed;
  std::vector<Set> work;
  for (const auto& s : neighbourhood) {
    if (closed.insert(s).second) work.push_back(s);
  }
  while (!work.empty()) {
    const Set y = std::move(work.back());
    work.pop_back();
    for (const auto& s : neighbourhood) {
      Set z(y.size());
      bool any = false;
      for (std::size_t c = 0; c < y.size(); ++c) any |= (z[c] = y[c] && s[c]);
      if (any && closed.insert(z).second) work.push_back(std::move(z));
    }
  }
  std::vector<std::pair<std::vector<int>, std::vector<int>>> out;
  for (const auto& y : closed) {
    std::vector<int> rows, cols;
    for (std::size_t c = 0; c < y.size(); ++c) {
      if (y[c]) cols.push_back(static_cast<int>(c));
    }
    for (std::size_t r = 0; r < neighbourhood.size(); ++r) {
      if (std::all_of(cols.begin(), cols.end(),
                      [&](int c) { return neighbourhood[r][static_cast<std::size_t>(c)]; })) {
        rows.push_back(static_cast<int>(r));
      }
    }
    out.emplace_back(std::move(rows), std::move(cols));
  }
  std::sort(out.begin(), out.end());
  return out;
}

/// Fills cliques and components of `result` from its equilibria's vertex indices.
void find_cliques(EnumerationResult& result) {
  const int rows = static_cast<int>(result.row_strategies.size());
  const int cols = static_cast<int>(result.column_strategies.size());
  std::vector<std::vector<int>> adjacent(static_cast<std::size_t>(rows));
  std::map<std::pair<int, int>, int> equilibrium_of;
  for (std::size_t e = 0; e < result.equilibria.size(); ++e) {
    adjacent[static_cast<std::size_t>(result.row_vertex[e])].push_back(result.column_vertex[e]);
    equilibrium_of[{result.row_vertex[e], result.column_vertex[e]}] = static_cast<int>(e);
  }
  std::vector<int> parent(result.equilibria.size());
  std::iota(parent.begin(), parent.end(), 0);
  auto root = [&](int e) {
    while (parent[static_cast<std::size_t>(e)] != e) {
      e = parent[static_cast<std::size_t>(e)] =
          parent[static_cast<std::size_t>(parent[static_cast<std::size_t>(e)])];
    }
    return e;
  };
  for (auto& [xs, ys] : maximal_bicliques(adjacent, cols)) {
    NashClique clique{.row_vertices = xs, .column_vertices = ys, .equilibria = {}};
    for (int x : xs) {
      for (int y : ys) clique.equilibria.push_back(equilibrium_of.at({x, y}));
    }
    std::sort(clique.equilibria.begin(), clique.equilibria.end());
    for (int e : clique.equilibria) {
      const int a = root(e), b = root(clique.equilibria.front());
      parent[static_cast<std::size_t>(std::max(a, b))] = std::min(a, b);
    }
    result.cliques.push_back(std::move(clique));
  }
  std::map<int, std::size_t> component_of_root;
  for (std::size_t e = 0; e < result.equilibria.size(); ++e) {
    const int r = root(static_cast<int>(e));
    auto [it, inserted] = component_of_root.emplace(r, result.components.size());
    if (inserted) result.components.emplace_back();
    result.components[it->second].equilibria.push_back(static_cast<int>(e));
  }
  for (std::size_t c = 0; c < result.cliques.size(); ++c) {
    const int r = root(result.cliques[c].equilibria.front());
    result.components[component_of_root.at(r)].cliques.push_back(static_cast<int>(c));
  }
}

std::string join(const std::vector<int>& values) {
  std::string out;
  for (int v : values) out += (out.empty() ? "" : ", ") + std::to_string(v);
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
  std::vector<PolytopeVertex> p, q;
  std::vector<std::pair<int, int>> pairs;
  bool complete = false;
  auto run = [&] {
    const Eigen::MatrixXd bt = b.transpose();
    PolytopeSearch p_search(bt, p_labels), q_search(a, q_labels);
    complete = search_polytopes({&p_search, &q_search}, context);
    // After a stop the vertices found so far are still matched: every completely labelled
    // pair among them is an equilibrium, so what was found is reported, not lost.
    tbb::parallel_invoke([&] { p = collect_vertices(p_search); },
                         [&] { q = collect_vertices(q_search); });
    pairs = match(p, q, m, n);
  };
  // Parallel work runs in an arena of `options.threads` threads (all cores when 0). Small games
  // (a few hundred bases, under ~0.1 ms) run on one thread: handing work to a second thread
  // cost more than it saved (7 x 7: 77 us on one thread, 107 us on two).
  constexpr std::size_t kParallelBases = 400;
  const bool small = expected_bases(n, m) + expected_bases(m, n) < kParallelBases;
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
    const Eigen::MatrixXd bt = b.transpose();
    in_arena([&] {
      tbb::parallel_for(std::size_t{0}, need_p.size() + need_q.size(), [&](std::size_t k) {
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
  find_cliques(result);
  if (!complete) {
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

Analysis components_analysis(const EnumerationResult& result) {
  Analysis analysis{.key = "components", .data = nlohmann::json::object(), .text = {}};
  // First equilibrium (1-based) using each row / column vertex.
  std::vector<int> first_row(result.row_strategies.size(), 0);
  std::vector<int> first_column(result.column_strategies.size(), 0);
  for (std::size_t e = result.equilibria.size(); e-- > 0;) {
    first_row[static_cast<std::size_t>(result.row_vertex[e])] = static_cast<int>(e) + 1;
    first_column[static_cast<std::size_t>(result.column_vertex[e])] = static_cast<int>(e) + 1;
  }
  auto one_based = [](std::vector<int> v) {
    for (auto& x : v) ++x;
    return v;
  };
  auto describe = [&](const NashClique& c) {
    std::vector<int> xs, ys;
    for (int x : c.row_vertices) xs.push_back(first_row[static_cast<std::size_t>(x)]);
    for (int y : c.column_vertices) ys.push_back(first_column[static_cast<std::size_t>(y)]);
    if (c.equilibria.size() == 1) {
      return fmt::format("equilibrium {} (isolated)", c.equilibria.front() + 1);
    }
    return fmt::format("every convex combination of equilibria {} (row) × {} (column)", join(xs),
                       join(ys));
  };

  nlohmann::json cliques = nlohmann::json::array();
  bool trivial = true;
  for (std::size_t i = 0; i < result.cliques.size(); ++i) {
    const auto& c = result.cliques[i];
    std::vector<int> xs, ys;
    for (int x : c.row_vertices) xs.push_back(first_row[static_cast<std::size_t>(x)]);
    for (int y : c.column_vertices) ys.push_back(first_column[static_cast<std::size_t>(y)]);
    cliques.push_back({{"index", i + 1},
                       {"x_vertices", xs},
                       {"y_vertices", ys},
                       {"equilibria", one_based(c.equilibria)}});
    trivial = trivial && c.equilibria.size() == 1;
  }
  nlohmann::json components = nlohmann::json::array();
  for (std::size_t i = 0; i < result.components.size(); ++i) {
    const auto& comp = result.components[i];
    components.push_back({{"index", i + 1},
                          {"cliques", one_based(comp.cliques)},
                          {"equilibria", one_based(comp.equilibria)}});
    if (trivial) continue;
    if (comp.cliques.size() == 1) {
      analysis.text.push_back(
          fmt::format("component {}: {}", i + 1,
                      describe(result.cliques[static_cast<std::size_t>(comp.cliques[0])])));
      continue;
    }
    analysis.text.push_back(fmt::format("component {}: union of {} cliques (equilibria {})", i + 1,
                                        comp.cliques.size(), join(one_based(comp.equilibria))));
    for (int c : comp.cliques) {
      analysis.text.push_back(fmt::format("  clique {}: {}", c + 1,
                                          describe(result.cliques[static_cast<std::size_t>(c)])));
    }
  }
  if (trivial) {
    analysis.text.push_back(fmt::format("every equilibrium is isolated ({} component{})",
                                        result.components.size(),
                                        result.components.size() == 1 ? "" : "s"));
  }
  analysis.text.push_back(fmt::format(
      "vertices of the best-response polytopes: {} (row player), {} (column player), 0 included",
      result.row_polytope_vertices, result.column_polytope_vertices));
  analysis.data["cliques"] = std::move(cliques);
  analysis.data["components"] = std::move(components);
  analysis.data["polytope_vertices"] = {{"row", result.row_polytope_vertices},
                                        {"column", result.column_polytope_vertices}};
  return analysis;
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
            return result;
          },
  });
}

}  // namespace stratagem
