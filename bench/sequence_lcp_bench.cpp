// Sequence-form Lemke (solve_sequence_lcp) on Kuhn poker and on larger random trees.

#include <benchmark/benchmark.h>

#include <random>
#include <string>
#include <vector>

#include "stratagem/io/efg.hpp"
#include "stratagem/solve/sequence_lcp.hpp"

namespace {

using stratagem::DecisionSpec;
using stratagem::GameTree;
using stratagem::GameTreeBuilder;
using stratagem::SequenceLcpOptions;
using stratagem::SolveContext;

SolveContext& bench_context() {
  static SolveContext context;
  return context;
}

const GameTree& kuhn_poker() {
  static const GameTree tree =
      stratagem::read_efg(std::string(STRATAGEM_SOURCE_DIR) + "/tests/data/efg/kuhn_poker.efg");
  return tree;
}

/// A random game with private types: chance deals each player one of three types, then the players
/// take `rounds` binary actions in turn, each seeing all actions and its own type only. Payoffs are
/// uniform in [-1, 1] (fixed seed). Per player about 3 * 2^(rounds/2) information sets; 9 *
/// 2^rounds leaves.
GameTree private_type_game(int rounds, unsigned seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> payoff(-1.0, 1.0);
  GameTreeBuilder builder({"P1", "P2"});
  // Builds the subtree after the public history `history` (one letter per action).
  auto grow = [&](auto& self, int type1, int type2, const std::string& history) -> int {
    if (static_cast<int>(history.size()) == rounds) {
      return builder.add_terminal({payoff(rng), payoff(rng)});
    }
    const int player = static_cast<int>(history.size() % 2);
    const int type = player == 0 ? type1 : type2;
    const int a = self(self, type1, type2, history + "a");
    const int b = self(self, type1, type2, history + "b");
    return builder.add_decision(DecisionSpec{.player = player,
                                             .infoset = std::to_string(type) + ":" + history,
                                             .moves = {"a", "b"},
                                             .children = {a, b}});
  };
  std::vector<std::string> deals;
  std::vector<int> roots;
  for (int t1 = 0; t1 < 3; ++t1) {
    for (int t2 = 0; t2 < 3; ++t2) {
      deals.push_back(std::to_string(t1) + std::to_string(t2));
      roots.push_back(grow(grow, t1, t2, ""));
    }
  }
  const int root = builder.add_chance(deals, std::vector<double>(9, 1.0 / 9), roots);
  return std::move(builder).build(root);
}

void run(benchmark::State& state, const GameTree& tree, const SequenceLcpOptions& options) {
  int pivots = 0;
  std::size_t equilibria = 0;
  for (auto _ : state) {
    const auto result = stratagem::solve_sequence_lcp(tree, options, bench_context());
    pivots = 0;
    for (const auto& path : result.paths) pivots += path.pivots;
    equilibria = result.equilibria.size();
    benchmark::DoNotOptimize(result);
  }
  state.counters["pivots"] = pivots;
  state.counters["equilibria"] = static_cast<double>(equilibria);
}

void BM_SequenceLcpKuhnCentroid(benchmark::State& state) {
  run(state, kuhn_poker(), {.all_starts = false, .threads = 1});
}
BENCHMARK(BM_SequenceLcpKuhnCentroid)->Unit(benchmark::kMicrosecond);

void BM_SequenceLcpKuhnAllStarts(benchmark::State& state) {
  run(state, kuhn_poker(), {.threads = 1});
}
BENCHMARK(BM_SequenceLcpKuhnAllStarts)->Unit(benchmark::kMicrosecond);

void BM_SequenceLcpKuhnExact(benchmark::State& state) {
  run(state, kuhn_poker(), {.all_starts = false, .exact = true, .threads = 1});
}
BENCHMARK(BM_SequenceLcpKuhnExact)->Unit(benchmark::kMicrosecond);

/// One path from the centroid; the argument is the number of betting rounds.
void BM_SequenceLcpPrivateTypes(benchmark::State& state) {
  const GameTree tree = private_type_game(static_cast<int>(state.range(0)), /*seed=*/7);
  state.counters["infosets"] = static_cast<double>(tree.infosets().size());
  run(state, tree, {.all_starts = false, .threads = 1});
}
BENCHMARK(BM_SequenceLcpPrivateTypes)->DenseRange(4, 7, 1)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
