#pragma once

// Private to the engine: loops that hand work to oneTBB's workers only when the work is worth
// it. Starting oneTBB (loading the library, creating its workers, its allocator) costs about a
// millisecond, more than most small games take to solve, so small loops run on the calling
// thread and never touch oneTBB (docs/performance.md, "Start-up").

#include <algorithm>
#include <cstddef>
#include <functional>
#include <mutex>
#include <utility>
#include <vector>

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

namespace stratagem::parallel {

/// Work (about one floating-point operation a unit) below which a loop runs on the calling
/// thread: a millisecond of start-up buys nothing for work that takes less.
inline constexpr double kMinParallelWork = 2e5;

/// True while loops started on the calling thread must run on it: inside
/// run_with_threads(1, ...) and inside the body of a loop that runs serially.
[[nodiscard]] bool serial_here();

/// Marks the calling thread serial while it lives.
class SerialScope {
 public:
  SerialScope();
  ~SerialScope();
  SerialScope(const SerialScope&) = delete;
  SerialScope& operator=(const SerialScope&) = delete;
};

/// Runs `loop` (a oneTBB algorithm) in the task arena run_with_threads chose for the calling
/// thread, if any (the default arena otherwise). Calls prepare_workers() first.
void enter(const std::function<void()>& loop);

/// Sets the stack size of oneTBB's workers (64 MB: deep game trees recurse) before any is
/// created. Code that starts oneTBB work other than through enter() calls it first.
void prepare_workers();

/// Whether a loop of `n` items and about `work` units should run in parallel.
[[nodiscard]] inline bool worth_parallel(std::size_t n, double work) {
  return n > 1 && work >= kMinParallelWork && !serial_here();
}

/// body(i) for every i in [0, n): on oneTBB's workers when worth_parallel(n, work), in order on
/// the calling thread otherwise.
template <class Body>
void for_each_index(std::size_t n, double work, Body&& body) {
  if (!worth_parallel(n, work)) {
    const SerialScope serial;
    for (std::size_t i = 0; i < n; ++i) body(i);
    return;
  }
  enter([&] { tbb::parallel_for(std::size_t{0}, n, [&](std::size_t i) { body(i); }); });
}

/// body(begin, end) over chunks of [0, n) of about `grain` items: in parallel when
/// worth_parallel(n / grain, work), else chunk after chunk on the calling thread (so bodies that
/// poll for a stop still do so every `grain` items).
template <class Body>
void for_each_range(std::size_t n, std::size_t grain, double work, Body&& body) {
  if (n == 0) return;
  if (!worth_parallel((n + grain - 1) / grain, work)) {
    const SerialScope serial;
    for (std::size_t begin = 0; begin < n; begin += grain) body(begin, std::min(n, begin + grain));
    return;
  }
  enter([&] {
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n, grain),
                      [&](const tbb::blocked_range<std::size_t>& r) { body(r.begin(), r.end()); });
  });
}

/// Results gathered from loop bodies on any thread: each body adds what it found in one call.
/// The order of the items depends on scheduling; callers sort them.
template <class T>
class Collector {
 public:
  void add(std::vector<T>&& items) {
    if (items.empty()) return;
    const std::lock_guard lock(mutex_);
    if (items_.empty()) {
      items_ = std::move(items);
    } else {
      items_.insert(items_.end(), std::make_move_iterator(items.begin()),
                    std::make_move_iterator(items.end()));
    }
    items.clear();
  }
  void add(T item) {
    const std::lock_guard lock(mutex_);
    items_.push_back(std::move(item));
  }
  [[nodiscard]] std::vector<T> take() {
    const std::lock_guard lock(mutex_);
    return std::exchange(items_, {});
  }

 private:
  std::mutex mutex_;
  std::vector<T> items_;
};

}  // namespace stratagem::parallel
