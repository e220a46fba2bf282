#include "solve/polytope.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdlib>
#include <new>

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

VisitedBases::VisitedBases(std::size_t expected)
    : capacity_(std::bit_ceil(std::clamp<std::size_t>(4 * expected, 1024, kMaxCapacity))),
      // calloc: a large table comes as fresh zero pages, touched first by the searching
      // threads, instead of being cleared here by one thread.
      slots_(static_cast<Slot*>(std::calloc(capacity_, sizeof(Slot)))) {
  if (slots_ == nullptr) throw std::bad_alloc();
}

bool VisitedBases::insert(const BitSet& basis) {
  const std::size_t h = basis.hash();
  const std::size_t mask = capacity_ - 1;
  for (std::size_t probe = 0; probe < kProbes; ++probe) {
    Slot& slot = slots_.get()[(h + probe) & mask];
    const std::atomic_ref<std::uint32_t> state_ref(slot.state);
    std::uint32_t state = state_ref.load(std::memory_order_acquire);
    if (state == kEmpty) {
      if (state_ref.compare_exchange_strong(state, kWriting, std::memory_order_acquire)) {
        slot.key = basis;
        state_ref.store(kFull, std::memory_order_release);
        return true;
      }
    }
    while (state == kWriting) {  // another thread is writing this slot's key: a few ns
      state = state_ref.load(std::memory_order_acquire);
    }
    if (slot.key == basis) return false;
  }
  Shard& shard = overflow_[(h >> 7) % kShards];
  const tbb::spin_mutex::scoped_lock lock(shard.mutex);
  return shard.set.insert(basis).second;
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
