#include "solve/vertex_search.hpp"

#include <tbb/parallel_for_each.h>
#include <tbb/parallel_sort.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <memory>
#include <utility>

#include "solve/parallel.hpp"

namespace stratagem::detail {

std::size_t expected_bases(Eigen::Index rows, Eigen::Index cols) {
  const double size = 0.5 * static_cast<double>(rows + cols);
  return static_cast<std::size_t>(
      std::min(1e7, 30.0 * std::pow(1.95, std::max(0.0, size - 5.0))));
}

namespace {

/// Bytes of one slot of a visited-basis table (a state word and a 128-bit key, aligned).
constexpr std::size_t kSlotBytes = 24;

/// A basic solution with ε = 0 below this (payoffs scaled into [1, 2]) counts as zero.
constexpr double kZeroTol = 1e-9;

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
    live_bytes.fetch_add(storage_bytes(from), std::memory_order_relaxed);
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
    live_bytes.fetch_sub(storage_bytes(node->tab), std::memory_order_relaxed);
    std::unique_ptr<TableauNode> owned(node);
    auto& self = local();
    if (self.bytes_ + bytes(*node) > kCachedBytes) return;  // deleted
    self.bytes_ += bytes(*node);
    self.nodes_.push_back(std::move(owned));
  }

 private:
  static constexpr std::size_t kCachedBytes = std::size_t{8} << 20;
  static std::size_t bytes(const TableauNode& node) { return storage_bytes(node.tab); }

 public:
  static std::size_t storage_bytes(const LexTableau& tab) {
    return sizeof(TableauNode) + sizeof(double) * static_cast<std::size_t>(tab.num_rows()) *
                                     static_cast<std::size_t>(tab.num_vars() + 1);
  }
  /// Bytes of the tableaux in use (referenced by pending bases), over all threads and searches.
  static inline std::atomic<std::size_t> live_bytes{0};

 private:
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
  parallel::Collector<BitSet> found;  ///< label sets, added by each task when it ends
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

/// Visiting a basis copies its parent's tableau, pivots, records the vertex's labels in
/// `labels_found` and queues the unseen neighbouring bases.
void visit(const PendingBasis& pending, std::vector<PendingBasis>& next,
           std::vector<BitSet>& labels_found) {
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
  labels_found.push_back(labels);
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
  std::vector<BitSet> labels = search.found.take();
  if (parallel::serial_here()) {
    std::sort(labels.begin(), labels.end());
  } else {
    tbb::parallel_sort(labels.begin(), labels.end());
  }
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
bool search_polytopes(const std::vector<PolytopeSearch*>& searches, const SolveContext& context,
                      std::size_t max_bytes, std::atomic<bool>& memory_limit) {
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
  // One task: visits `batch` depth first, handing work to others through `share`.
  const auto task = [&](const Batch& batch, parallel::Collector<Batch>& paused,
                        const auto& share) {
    Batch stack = batch;
    Batch found_here;
    std::vector<BitSet> labels;
    const auto run = [&] {
      while (!stack.empty()) {
        if (context.stop_requested() || memory_limit) return;
        if (TableauCache::live_bytes.load(std::memory_order_relaxed) > max_bytes) {
          memory_limit = true;  // the pending work is dropped: the search is partial
          return;
        }
        if (stack.back().search->seen.wants_to_grow()) {
          paused.add(std::move(stack));
          return;
        }
        const PendingBasis pending = std::move(stack.back());
        stack.pop_back();
        visit(pending, found_here, labels);
        // Keep a few to continue with here, share the rest.
        while (found_here.size() > kBatch) {
          share(Batch(std::make_move_iterator(found_here.end() - kBatch),
                      std::make_move_iterator(found_here.end())));
          found_here.resize(found_here.size() - kBatch);
        }
        stack.insert(stack.end(), std::make_move_iterator(found_here.begin()),
                     std::make_move_iterator(found_here.end()));
        found_here.clear();
        if (stack.size() > 2 * kBatch) {
          share(Batch(std::make_move_iterator(stack.begin()),
                      std::make_move_iterator(stack.begin() + kBatch)));
          stack.erase(stack.begin(), stack.begin() + kBatch);
        }
      }
    };
    run();
    // Every basis of a batch belongs to the search its root came from.
    if (!batch.empty()) batch.front().search->found.add(std::move(labels));
  };
  while (!roots.empty()) {
    parallel::Collector<Batch> paused;
    if (parallel::serial_here()) {
      // On this thread (small games, --threads 1): the same tasks from a work list.
      std::vector<Batch> work = std::move(roots);
      while (!work.empty()) {
        const Batch batch = std::move(work.back());
        work.pop_back();
        task(batch, paused, [&](Batch&& more) { work.push_back(std::move(more)); });
      }
    } else {
      parallel::enter([&] {
        tbb::parallel_for_each(roots.begin(), roots.end(),
                               [&](const Batch& batch, tbb::feeder<Batch>& feeder) {
                                 task(batch, paused,
                                      [&](Batch&& more) { feeder.add(std::move(more)); });
                               });
      });
    }
    roots = paused.take();
    if (context.stop_requested() || memory_limit) return false;
    for (PolytopeSearch* search : searches) {
      if (!search->seen.wants_to_grow()) continue;
      if (2 * search->seen.capacity() * kSlotBytes > max_bytes) {
        memory_limit = true;  // the paused work is dropped: the search is partial
        return false;
      }
      search->seen.grow();
    }
  }
  return !context.stop_requested();
}

}  // namespace

VertexSearchResult search_vertices(const std::vector<PolytopeSpec>& polytopes,
                                   const SolveContext& context, std::size_t max_bytes) {
  std::vector<std::unique_ptr<PolytopeSearch>> searches;
  std::vector<PolytopeSearch*> pointers;
  for (const auto& spec : polytopes) {
    searches.push_back(std::make_unique<PolytopeSearch>(spec.m, spec.var_label));
    pointers.push_back(searches.back().get());
  }
  VertexSearchResult result;
  std::atomic<bool> memory_limit{false};
  result.complete = search_polytopes(pointers, context, max_bytes, memory_limit);
  result.memory_limit = memory_limit.load();
  for (const auto& search : searches) result.bases += search->seen.size();
  // After a stop the vertices found so far are still returned: every completely labelled pair
  // among them is an equilibrium, so what was found is reported, not lost.
  result.vertices.resize(searches.size());
  std::size_t bases = 0;
  for (const auto& search : searches) bases += search->seen.size();
  const double work = 20.0 * static_cast<double>(bases);  // sorting the label sets
  parallel::for_each_index(searches.size(), work, [&](std::size_t k) {
    result.vertices[k] = collect_vertices(*searches[k]);
  });
  return result;
}

}  // namespace stratagem::detail
