// Sweep throughput on the flagship scenario: points per second at 1 and 2 threads.
//
//   ./build/bench/sweep_bench --benchmark_counters_tabular=true
//
// items_per_second is points per second (wall clock). The 1 -> 2 thread ratio is the README's
// scaling figure; run on an otherwise idle machine.
#include <benchmark/benchmark.h>

#include <numeric>
#include <string>
#include <vector>

#include "stratagem/scenario/scenario.hpp"
#include "stratagem/sweep/sweep.hpp"

namespace {

const stratagem::Scenario& flagship() {
  static const stratagem::Scenario scenario = stratagem::Scenario::load(
      std::string(STRATAGEM_SOURCE_DIR) + "/scenarios/japan_russia/kuril_bargaining.yaml");
  return scenario;
}

/// ac_jp x e_flex grid of 100 x 40 = 4000 points, solved with the file's method (support).
void BM_SweepFlagship(benchmark::State& state) {
  const auto& scenario = flagship();
  stratagem::SweepSpec spec;
  spec.axes.push_back(stratagem::parse_grid_axis("ac_jp=0:4:100"));
  spec.axes.push_back(stratagem::parse_grid_axis("e_flex=0:1:40"));
  const auto plan = stratagem::SweepPlan::make(scenario, spec);
  std::vector<std::size_t> indices(plan.size());
  std::iota(indices.begin(), indices.end(), std::size_t{0});
  const int threads = static_cast<int>(state.range(0));
  for (auto _ : state) {
    std::size_t regimes = 0;
    stratagem::run_points(
        scenario, plan, indices, {.threads = threads, .chunk = 16, .stop = nullptr},
        [&](std::vector<stratagem::SweepPoint>& points) { regimes += points.size(); });
    benchmark::DoNotOptimize(regimes);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * plan.size()));
  state.counters["threads"] = threads;
}
BENCHMARK(BM_SweepFlagship)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

/// Monte Carlo over ac_jp's declared triangular distribution: sampling plus solving.
void BM_SweepFlagshipMonteCarlo(benchmark::State& state) {
  const auto& scenario = flagship();
  stratagem::SweepSpec spec;
  spec.sampling = stratagem::SweepSampling::kMonteCarlo;
  spec.samples = 4000;
  const auto plan = stratagem::SweepPlan::make(scenario, spec);
  std::vector<std::size_t> indices(plan.size());
  std::iota(indices.begin(), indices.end(), std::size_t{0});
  const int threads = static_cast<int>(state.range(0));
  for (auto _ : state) {
    std::size_t n = 0;
    stratagem::run_points(scenario, plan, indices,
                          {.threads = threads, .chunk = 16, .stop = nullptr},
                          [&](std::vector<stratagem::SweepPoint>& points) { n += points.size(); });
    benchmark::DoNotOptimize(n);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * plan.size()));
}
BENCHMARK(BM_SweepFlagshipMonteCarlo)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
