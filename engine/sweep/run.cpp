// Parallel evaluation of sweep points: one compiled scenario per worker thread.
#include <tbb/blocked_range.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>
#include <tbb/partitioner.h>
#include <tbb/task_arena.h>

#include <exception>
#include <memory>
#include <mutex>

#include "solve/parallel.hpp"
#include "stratagem/sweep/sweep.hpp"

namespace stratagem {

std::size_t run_points(const Scenario& scenario, const SweepPlan& plan,
                       std::span<const std::size_t> indices, const SweepRunOptions& options,
                       const std::function<void(std::vector<SweepPoint>&)>& deliver) {
  if (indices.empty()) return 0;
  // Each worker compiles the scenario once, on first use; formulas are then only re-evaluated.
  struct Worker {
    std::unique_ptr<CompiledScenario> compiled;
  };
  parallel::prepare_workers();
  tbb::enumerable_thread_specific<Worker> workers;
  std::atomic<bool> halt{false};  // a stop request or an error
  const auto stopping = [&] {
    return halt.load(std::memory_order_relaxed) ||
           (options.stop != nullptr && options.stop->load(std::memory_order_relaxed));
  };
  std::mutex mutex;
  std::exception_ptr error;
  std::size_t delivered = 0;
  const std::size_t chunk = std::max<std::size_t>(1, options.chunk);

  auto body = [&](const tbb::blocked_range<std::size_t>& range) {
    if (stopping()) return;
    std::vector<SweepPoint> done;
    done.reserve(range.size());
    try {
      auto& mine = workers.local();
      if (!mine.compiled) {
        mine.compiled = scenario.compile();
      }
      SolveContext context(options.stop);
      for (std::size_t k = range.begin(); k != range.end(); ++k) {
        if (stopping()) break;
        // The solvers' own loops run on this thread: points are the parallel unit, and nested
        // parallelism over small games only adds contention.
        SweepPoint point = [&] {
          const parallel::SerialScope serial;
          try {
            return evaluate_point(plan, *mine.compiled, indices[k], context);
          } catch (const std::bad_alloc&) {
            throw;
          } catch (const std::exception& e) {
            // Recorded as an error point: the sweep goes on, and a resume does not stop here.
            SweepPoint failed;
            failed.index = indices[k];
            failed.values = plan.point(indices[k]);
            failed.regime = "error";
            failed.error = e.what();
            return failed;
          }
        }();
        // A stop during the solve may have cut it short: such a point is not recorded.
        if (options.stop != nullptr && options.stop->load()) break;
        if (options.encode) point.record = options.encode(point);
        if (options.render) point.rendered = options.render(point);
        done.push_back(std::move(point));
      }
    } catch (...) {
      const std::lock_guard lock(mutex);
      if (!error) error = std::current_exception();
      halt = true;
    }
    if (!done.empty()) {
      const std::lock_guard lock(mutex);
      try {
        deliver(done);
        delivered += done.size();
      } catch (...) {
        if (!error) error = std::current_exception();
        halt = true;
      }
    }
  };
  tbb::task_arena arena(options.threads > 0 ? options.threads : tbb::task_arena::automatic);
  arena.execute([&] {
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, indices.size(), chunk), body,
                      tbb::simple_partitioner());
  });
  if (error) std::rethrow_exception(error);
  return delivered;
}

}  // namespace stratagem
