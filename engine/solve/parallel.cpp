#include "solve/parallel.hpp"

#include <map>
#include <memory>

#include <tbb/global_control.h>
#include <tbb/task_arena.h>

#include "stratagem/solve/solver.hpp"

namespace stratagem::parallel {

namespace {

/// Depth of SerialScopes on this thread.
thread_local int tl_serial = 0;
/// The thread count run_with_threads asked for on this thread (0: oneTBB's default arena).
thread_local int tl_arena_threads = 0;
/// Whether this thread is already running inside that arena.
thread_local bool tl_in_arena = false;

/// Stack of oneTBB's workers: recursive tree code is bounded by the depth limit
/// (docs/limits.md), and these stacks hold that depth with a wide margin even in sanitizer
/// builds. Only the pages used are ever touched.
constexpr std::size_t kWorkerStack = std::size_t{64} << 20;

tbb::task_arena& arena_of(int threads) {
  static std::mutex mutex;
  static std::map<int, std::unique_ptr<tbb::task_arena>> arenas;
  const std::lock_guard lock(mutex);
  auto& slot = arenas[threads];
  if (!slot) slot = std::make_unique<tbb::task_arena>(threads);
  return *slot;
}

/// Restores a thread-local value when it goes out of scope.
template <class T>
class Restore {
 public:
  Restore(T& target, T value) : target_(target), saved_(target) { target_ = value; }
  ~Restore() { target_ = saved_; }
  Restore(const Restore&) = delete;
  Restore& operator=(const Restore&) = delete;

 private:
  T& target_;
  T saved_;
};

}  // namespace

bool serial_here() { return tl_serial > 0; }

SerialScope::SerialScope() { ++tl_serial; }
SerialScope::~SerialScope() { --tl_serial; }

void prepare_workers() {
  static const tbb::global_control worker_stack(tbb::global_control::thread_stack_size,
                                                kWorkerStack);
}

void enter(const std::function<void()>& loop) {
  prepare_workers();
  if (tl_arena_threads > 0 && !tl_in_arena) {
    tbb::task_arena& arena = arena_of(tl_arena_threads);
    const Restore inside(tl_in_arena, true);
    arena.execute(loop);
    return;
  }
  loop();
}

}  // namespace stratagem::parallel

namespace stratagem {

void run_with_threads(int threads, const std::function<void()>& work) {
  if (threads == 1) {
    const parallel::SerialScope serial;
    work();
    return;
  }
  if (threads <= 0) {
    work();
    return;
  }
  const parallel::Restore arena(parallel::tl_arena_threads, threads);
  const parallel::Restore outside(parallel::tl_in_arena, false);
  work();
}

}  // namespace stratagem
