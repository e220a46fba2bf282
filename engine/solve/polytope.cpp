#include "solve/polytope.hpp"


#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <new>

#include "solve/parallel.hpp"

namespace stratagem::detail {

PositiveBimatrix positive_bimatrix(const NormalFormGame& game) {
  if (game.num_players() != 2) {
    throw InvalidGame("pivoting solvers need a two-player game");
  }
  auto shift = [](Eigen::MatrixXd m) {
    const double lo = m.minCoeff();
    const double range = m.maxCoeff() - lo;
    const double scale = range > 0.0 ? 1.0 / range : 1.0;
    return Eigen::MatrixXd(((m.array() - lo) * scale + 1.0).matrix());
  };
  return {.a = shift(game.matrix(0)), .b = shift(game.matrix(1))};
}

VisitedBases::Table VisitedBases::allocate(std::size_t capacity) {
  Table table(static_cast<Slot*>(std::malloc(capacity * sizeof(Slot))));
  if (table == nullptr) throw std::bad_alloc();
  // Cleared by writing, in parallel for large tables. (Fresh zero pages from calloc were read
  // first by the probes, so every page took a second, copy-on-write fault whose TLB flush
  // interrupted the other thread: a third of the system time of a 15 x 15 solve.)
  Slot* slots = table.get();
  parallel::for_each_range(capacity, std::size_t{1} << 14,
                           static_cast<double>(capacity * sizeof(Slot)) / 8,
                           [&](std::size_t begin, std::size_t end) {
                             std::memset(static_cast<void*>(slots + begin), 0,
                                         (end - begin) * sizeof(Slot));
                           });
  return table;
}

VisitedBases::VisitedBases(std::size_t expected)
    : capacity_(std::bit_ceil(std::clamp<std::size_t>(2 * expected, 1024, std::size_t{1} << 20))),
      slots_(allocate(capacity_)) {}

VisitedBases::Probe VisitedBases::probe(Slot* slots, std::size_t capacity, const BitSet& key,
                                        std::size_t hash) {
  const std::size_t mask = capacity - 1;
  for (std::size_t step = 0; step < kProbes; ++step) {
    Slot& slot = slots[(hash + step) & mask];
    const std::atomic_ref<std::uint32_t> state_ref(slot.state);
    std::uint32_t state = state_ref.load(std::memory_order_acquire);
    if (state == kEmpty) {
      if (state_ref.compare_exchange_strong(state, kWriting, std::memory_order_acquire)) {
        slot.key = key;
        state_ref.store(kFull, std::memory_order_release);
        return Probe::kInserted;
      }
    }
    while (state == kWriting) {  // another thread is writing this slot's key: a few ns
      state = state_ref.load(std::memory_order_acquire);
    }
    if (slot.key == key) return Probe::kPresent;
  }
  return Probe::kWindowFull;
}

bool VisitedBases::insert(const BitSet& basis) {
  const std::size_t h = basis.hash();
  switch (probe(slots_.get(), capacity_, basis, h)) {
    case Probe::kPresent:
      return false;
    case Probe::kInserted:
      if ((h >> 60) == 0 &&
          16 * (sampled_.fetch_add(1, std::memory_order_relaxed) + 1) > capacity_ / 2 &&
          !grow_.load(std::memory_order_relaxed)) {
        grow_.store(true, std::memory_order_relaxed);
      }
      return true;
    case Probe::kWindowFull:
      break;
  }
  Shard& shard = overflow_[(h >> 7) % kShards];
  const tbb::spin_mutex::scoped_lock lock(shard.mutex);
  return shard.set.insert(basis).second;
}

void VisitedBases::grow() {
  const std::size_t old_capacity = capacity_;
  const std::size_t capacity = 2 * old_capacity;
  Table table = allocate(capacity);
  Slot* old_slots = slots_.get();
  Slot* slots = table.get();
  std::atomic<std::size_t> sampled{0};
  std::vector<BitSet> spilled;  // keys whose window in the new table is full (kept in overflow)
  tbb::spin_mutex spilled_mutex;
  auto place = [&](const BitSet& key) {
    const std::size_t h = key.hash();
    if (probe(slots, capacity, key, h) == Probe::kWindowFull) {
      const tbb::spin_mutex::scoped_lock lock(spilled_mutex);
      spilled.push_back(key);
    } else if ((h >> 60) == 0) {
      sampled.fetch_add(1, std::memory_order_relaxed);
    }
  };
  parallel::for_each_range(old_capacity, 4096, 16.0 * static_cast<double>(old_capacity),
                           [&](std::size_t begin, std::size_t end) {
                             for (std::size_t k = begin; k != end; ++k) {
                               if (old_slots[k].state == kFull) place(old_slots[k].key);
                             }
                           });
  std::vector<BitSet> overflowed;
  for (auto& shard : overflow_) {
    overflowed.insert(overflowed.end(), shard.set.begin(), shard.set.end());
    shard.set.clear();
  }
  for (const auto& key : overflowed) place(key);
  for (const auto& key : spilled) overflow_[(key.hash() >> 7) % kShards].set.insert(key);
  slots_ = std::move(table);
  capacity_ = capacity;
  sampled_.store(sampled.load());
  grow_.store(16 * sampled.load() > capacity / 2);
}

std::size_t VisitedBases::size() const {
  std::size_t count = 0;
  for (std::size_t k = 0; k < capacity_; ++k) count += slots_.get()[k].state == kFull ? 1 : 0;
  for (const auto& shard : overflow_) count += shard.set.size();
  return count;
}

BitSet LexTableau::basis_set() const {
  BitSet s;
  for (int v : basis_) s.set(v);
  return s;
}

LexTableau::LexTableau(const Eigen::MatrixXd& m)
    : rows_(static_cast<int>(m.rows())),
      decision_(static_cast<int>(m.cols())),
      cols_(static_cast<int>(m.cols() + m.rows()) + 1),
      t_(static_cast<std::size_t>(rows_) * static_cast<std::size_t>(cols_), 0.0),
      basis_(static_cast<std::size_t>(rows_)),
      where_(static_cast<std::size_t>(decision_ + rows_), -1) {
  for (int r = 0; r < rows_; ++r) {
    double* row = t_.data() + static_cast<std::size_t>(r) * static_cast<std::size_t>(cols_);
    for (int c = 0; c < decision_; ++c) row[c] = m(r, c);
    row[decision_ + r] = 1.0;
    row[cols_ - 1] = 1.0;
    basis_[static_cast<std::size_t>(r)] = decision_ + r;
    where_[static_cast<std::size_t>(decision_ + r)] = r;
  }
}

bool LexTableau::lex_less(int r1, int r2, int col) const {
  const double p1 = at(r1, col);
  const double p2 = at(r2, col);
  // Right-hand side first, then the columns of B^-1 (the slack columns) in order.
  auto compare = [&](int c) {
    const double a = at(r1, c) / p1;
    const double b = at(r2, c) / p2;
    const double scale = std::max({1.0, std::abs(a), std::abs(b)});
    if (std::abs(a - b) <= 1e-9 * scale) return 0;
    return a < b ? -1 : 1;
  };
  if (const int c = compare(cols_ - 1); c != 0) return c < 0;
  for (int s = decision_; s < decision_ + rows_; ++s) {
    if (const int c = compare(s); c != 0) return c < 0;
  }
  // Rows of B^-1 are independent, so this is reached only through rounding.
  return basis_[static_cast<std::size_t>(r1)] < basis_[static_cast<std::size_t>(r2)];
}

int LexTableau::leaving_row(int var) const {
  int best = -1;
  double best_ratio = 0.0;
  for (int r = 0; r < rows_; ++r) {
    const double p = at(r, var);
    if (p <= kPivotTol) continue;
    const double ratio = at(r, cols_ - 1) / p;
    if (best < 0) {
      best = r;
      best_ratio = ratio;
      continue;
    }
    const double scale = std::max({1.0, std::abs(ratio), std::abs(best_ratio)});
    if (ratio < best_ratio - 1e-9 * scale) {
      best = r;
      best_ratio = ratio;
    } else if (ratio <= best_ratio + 1e-9 * scale && lex_less(r, best, var)) {
      best = r;
      best_ratio = ratio;
    }
  }
  return best;
}

void LexTableau::pivot(int row, int var) {
  const auto ucols = static_cast<std::size_t>(cols_);
  double* prow = t_.data() + static_cast<std::size_t>(row) * ucols;
  const double inv = 1.0 / prow[var];
  for (std::size_t c = 0; c < ucols; ++c) prow[c] *= inv;
  prow[var] = 1.0;
  for (int r = 0; r < rows_; ++r) {
    if (r == row) continue;
    double* other = t_.data() + static_cast<std::size_t>(r) * ucols;
    const double f = other[var];
    if (f == 0.0) continue;
    for (std::size_t c = 0; c < ucols; ++c) other[c] -= f * prow[c];
    other[var] = 0.0;
  }
  const int leaving = basis_[static_cast<std::size_t>(row)];
  where_[static_cast<std::size_t>(leaving)] = -1;
  basis_[static_cast<std::size_t>(row)] = var;
  where_[static_cast<std::size_t>(var)] = row;
}

double LexTableau::value(int var) const {
  const int r = where_[static_cast<std::size_t>(var)];
  return r < 0 ? 0.0 : at(r, cols_ - 1);
}

std::vector<double> LexTableau::decision_values() const {
  std::vector<double> z(static_cast<std::size_t>(decision_), 0.0);
  for (int r = 0; r < rows_; ++r) {
    const int v = basis_[static_cast<std::size_t>(r)];
    if (v < decision_) z[static_cast<std::size_t>(v)] = std::max(0.0, at(r, cols_ - 1));
  }
  return z;
}

BitSet LexTableau::zero_vars(double zero_tol) const {
  BitSet s;
  for (int v = 0; v < decision_ + rows_; ++v) {
    const int r = where_[static_cast<std::size_t>(v)];
    if (r < 0 || std::abs(at(r, cols_ - 1)) <= zero_tol) s.set(v);
  }
  return s;
}

}  // namespace stratagem::detail
