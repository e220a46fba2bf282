// Benchmarks of the normal-form solvers on random games (fixed seeds).
#include <random>

#include <benchmark/benchmark.h>

#include "stratagem/solve/lp_solvers.hpp"
#include "stratagem/solve/pure.hpp"
#include "stratagem/solve/support.hpp"
#include "stratagem/solve/support_newton.hpp"

namespace {

stratagem::NormalFormGame random_game(const std::vector<int>& shape, unsigned seed) {
  std::vector<std::string> players;
  for (std::size_t p = 0; p < shape.size(); ++p) players.push_back("p" + std::to_string(p + 1));
  stratagem::NormalFormBuilder builder(players, shape);
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<int> dist(0, 999);
  std::vector<double> payoffs(shape.size());
  for (std::size_t i = 0; i < builder.num_profiles(); ++i) {
    for (auto& x : payoffs) x = dist(rng);
    builder.set_payoffs(i, payoffs);
  }
  return std::move(builder).build();
}

void BM_SupportEnumeration(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  const auto game = random_game({n, n}, 7);
  stratagem::SolveContext context;
  for (auto _ : state) {
    benchmark::DoNotOptimize(stratagem::solve_support(game, {}, context));
  }
}
BENCHMARK(BM_SupportEnumeration)->DenseRange(4, 10, 2)->Unit(benchmark::kMillisecond);

void BM_PureNPlayer(benchmark::State& state) {
  const int players = static_cast<int>(state.range(0));
  const auto game = random_game(std::vector<int>(static_cast<std::size_t>(players), 4), 11);
  stratagem::SolveContext context;
  for (auto _ : state) {
    benchmark::DoNotOptimize(stratagem::solve_pure(game, {}, context));
  }
}
BENCHMARK(BM_PureNPlayer)->DenseRange(4, 10, 2)->Unit(benchmark::kMillisecond);

/// support-newton on three-player games with 2, 3 and 4 actions each (7, 343 and 3,375
/// support profiles) and on six players with 2 actions (729).
void BM_SupportNewton(benchmark::State& state) {
  const int players = static_cast<int>(state.range(0));
  const int actions = static_cast<int>(state.range(1));
  const auto game =
      random_game(std::vector<int>(static_cast<std::size_t>(players), actions), 13);
  stratagem::SolveContext context;
  for (auto _ : state) {
    benchmark::DoNotOptimize(stratagem::solve_support_newton(game, {}, context));
  }
}
BENCHMARK(BM_SupportNewton)
    ->Args({3, 2})
    ->Args({3, 3})
    ->Args({3, 4})
    ->Args({6, 2})
    ->ArgNames({"players", "actions"})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

/// A security strategy of an n x n random game: up to 250 x 250 by the engine's dense
/// simplex, beyond by Clp (the LP module).
void BM_SecurityStrategy(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  const auto game = random_game({n, n}, 17);
  for (auto _ : state) {
    benchmark::DoNotOptimize(stratagem::security_strategy(game, 0));
  }
}
BENCHMARK(BM_SecurityStrategy)->Arg(5)->Arg(20)->Arg(60)->Arg(250)->Arg(260)
    ->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
