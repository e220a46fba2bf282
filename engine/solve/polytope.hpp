#pragma once

// Private helpers shared by the pivoting solvers (lemke-howson, enumerate): the best-response
// polytopes of a two-player game in tableau form, with lexicographic pivoting.

#include <Eigen/Dense>
#include <tbb/spin_mutex.h>
#include <array>
#include <atomic>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <unordered_set>
#include <vector>

#include "stratagem/game/normal_form.hpp"

namespace stratagem::detail {

/// The payoff matrices of a two-player game, each moved into [1, 2] by a positive affine map
/// (a' = 1 + (a - min) / range). Such maps leave best responses, hence equilibria, unchanged,
/// and positive payoffs make both best-response polytopes bounded.
struct PositiveBimatrix {
  Eigen::MatrixXd a;  ///< row player's payoffs, m x n
  Eigen::MatrixXd b;  ///< column player's payoffs, m x n
};

/// Shifts and scales the payoffs of a two-player game. Throws InvalidGame for other games.
[[nodiscard]] PositiveBimatrix positive_bimatrix(const NormalFormGame& game);

/// A set of small non-negative integers (labels or variable indices) below kMaxBits.
/// A value type, cheap to copy and hash.
class BitSet {
 public:
  static constexpr int kWords = 2;
  static constexpr int kMaxBits = 64 * kWords;

  void set(int i) { words_[static_cast<std::size_t>(i >> 6)] |= std::uint64_t{1} << (i & 63); }
  void reset(int i) { words_[static_cast<std::size_t>(i >> 6)] &= ~(std::uint64_t{1} << (i & 63)); }
  [[nodiscard]] bool test(int i) const {
    return ((words_[static_cast<std::size_t>(i >> 6)] >> (i & 63)) & 1U) != 0;
  }
  [[nodiscard]] int count() const {
    int c = 0;
    for (auto w : words_) c += std::popcount(w);
    return c;
  }
  /// The set {0, ..., n-1}.
  [[nodiscard]] static BitSet first(int n) {
    BitSet s;
    for (int i = 0; i < n; ++i) s.set(i);
    return s;
  }
  [[nodiscard]] BitSet operator|(const BitSet& o) const {
    BitSet s;
    for (std::size_t w = 0; w < words_.size(); ++w) s.words_[w] = words_[w] | o.words_[w];
    return s;
  }
  [[nodiscard]] BitSet operator^(const BitSet& o) const {
    BitSet s;
    for (std::size_t w = 0; w < words_.size(); ++w) s.words_[w] = words_[w] ^ o.words_[w];
    return s;
  }
  friend bool operator==(const BitSet& l, const BitSet& r) {
    // Word by word: the defaulted comparison calls memcmp, which showed in the profile of the
    // vertex search.
    bool equal = true;
    for (std::size_t w = 0; w < l.words_.size(); ++w) equal &= l.words_[w] == r.words_[w];
    return equal;
  }
  friend auto operator<=>(const BitSet&, const BitSet&) = default;
  [[nodiscard]] std::size_t hash() const {
    std::uint64_t h = 0x9e3779b97f4a7c15ULL;
    for (auto w : words_) {
      h ^= w + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
      h *= 0xbf58476d1ce4e5b9ULL;
    }
    return static_cast<std::size_t>(h ^ (h >> 31));
  }

 private:
  std::array<std::uint64_t, kWords> words_{};
};

/// Hash functor for BitSet.
struct BitSetHash {
  std::size_t operator()(const BitSet& s) const { return s.hash(); }
};

/// The set of bases already reached, shared by the threads of one search: a lock-free
/// open-addressing table, so that claiming a slot is one compare-and-swap and two threads touch
/// one cache line per insert (a locked hash set cost a lock line, a bucket and a node per
/// insert, and its cache misses made the two-thread search of a 10 x 10 game 25 % slower per
/// basis than the one-thread search). The table starts from the expected number of bases and
/// asks to grow when half full; the search pauses its threads, calls grow(), and goes on, so
/// memory follows the bases actually found. A basis whose probe window is full (only possible
/// in a table that should have grown already) goes to a sharded, locked set.
class VisitedBases {
 public:
  /// `expected`: the number of bases the search will probably reach (only a size hint).
  explicit VisitedBases(std::size_t expected);

  /// True when `basis` was not in the set (and now is). Safe to call from several threads.
  bool insert(const BitSet& basis);
  /// True once the table is about half full; the caller should stop inserting and grow().
  [[nodiscard]] bool wants_to_grow() const { return grow_.load(std::memory_order_relaxed); }
  /// Moves every key into a table twice as large. Runs the copy in parallel; no insert may
  /// run at the same time.
  void grow();
  /// Slots in the lock-free table (a power of two, at least 1024).
  [[nodiscard]] std::size_t capacity() const { return capacity_; }
  /// Keys in the set (counts the table, so meant for checks, not for hot loops).
  [[nodiscard]] std::size_t size() const;

 private:
  static constexpr std::size_t kProbes = 32;
  static constexpr std::uint32_t kEmpty = 0, kWriting = 1, kFull = 2;
  /// Plain data, zero when empty; `state` is accessed atomically only.
  struct Slot {
    alignas(std::atomic_ref<std::uint32_t>::required_alignment) std::uint32_t state;
    BitSet key;
  };
  struct FreeSlots {
    void operator()(Slot* slots) const { std::free(slots); }
  };
  using Table = std::unique_ptr<Slot, FreeSlots>;
  enum class Probe { kInserted, kPresent, kWindowFull };
  [[nodiscard]] static Table allocate(std::size_t capacity);
  [[nodiscard]] static Probe probe(Slot* slots, std::size_t capacity, const BitSet& key,
                                   std::size_t hash);
  static constexpr std::size_t kShards = 64;
  struct alignas(64) Shard {
    tbb::spin_mutex mutex;
    std::unordered_set<BitSet, BitSetHash> set;
  };
  std::size_t capacity_;
  Table slots_;
  /// One in 16 new keys (by hash) is counted, so the threads rarely write the same counter.
  alignas(64) std::atomic<std::size_t> sampled_{0};
  alignas(64) std::atomic<bool> grow_{false};
  std::array<Shard, kShards> overflow_;
};

/// Dense simplex tableau of the system { (z, s) >= 0 : M z + s = 1 } for a k x d matrix M with
/// positive entries (so the polytope { z >= 0 : M z <= 1 } is bounded).
///
/// Variables are numbered 0..d-1 (the "decision" variables z) and d..d+k-1 (the slacks s).
/// The starting basis is the slacks (z = 0). Pivoting uses the lexicographic minimum-ratio
/// test on the rows of [rhs | B^-1] (B^-1 is kept in the slack columns), which is the simplex
/// method on a lexicographically perturbed right-hand side 1 + (eps, eps^2, ...): every basis
/// reached is lexicographically feasible, ties never occur, and degenerate polytopes neither
/// cycle nor stall. A value type; not thread-safe for concurrent mutation.
class LexTableau {
 public:
  /// The tableau of the slack basis for `m` (k x d, entries should be positive).
  explicit LexTableau(const Eigen::MatrixXd& m);

  [[nodiscard]] int num_rows() const { return rows_; }
  [[nodiscard]] int num_decision() const { return decision_; }
  [[nodiscard]] int num_vars() const { return decision_ + rows_; }
  /// Basic variable of `row`.
  [[nodiscard]] int basic(int row) const { return basis_[static_cast<std::size_t>(row)]; }
  /// Row in which `var` is basic, or -1 when it is nonbasic.
  [[nodiscard]] int row_of(int var) const { return where_[static_cast<std::size_t>(var)]; }
  /// The set of basic variables.
  [[nodiscard]] BitSet basis_set() const;

  /// Leaving row when nonbasic `var` enters, by the lexicographic minimum-ratio test;
  /// -1 when no entry of the column is positive (unbounded direction). O(k) without ties.
  [[nodiscard]] int leaving_row(int var) const;
  /// Pivots `var` into the basis in `row`. O(k * (d + k)).
  void pivot(int row, int var);

  /// Value of `var` in the basic solution (0 when nonbasic), perturbation ignored.
  [[nodiscard]] double value(int var) const;
  /// Values of the decision variables z in the basic solution.
  [[nodiscard]] std::vector<double> decision_values() const;
  /// Variables that are zero in the basic solution: nonbasic ones, and basic ones within
  /// `zero_tol` of zero (several of these in a degenerate vertex).
  [[nodiscard]] BitSet zero_vars(double zero_tol) const;

  /// Smallest entry accepted as a pivot.
  static constexpr double kPivotTol = 1e-9;

 private:
  [[nodiscard]] double at(int row, int col) const {
    return t_[static_cast<std::size_t>(row) * static_cast<std::size_t>(cols_) +
              static_cast<std::size_t>(col)];
  }
  /// True when row r1's lexicographic ratio vector (for column `col`) is smaller than r2's.
  [[nodiscard]] bool lex_less(int r1, int r2, int col) const;

  int rows_ = 0;
  int decision_ = 0;
  int cols_ = 0;            ///< d + k + 1: decision, slacks, right-hand side
  std::vector<double> t_;   ///< row-major coefficients
  std::vector<int> basis_;  ///< basic variable of each row
  std::vector<int> where_;  ///< row of each variable, -1 when nonbasic
};

}  // namespace stratagem::detail
