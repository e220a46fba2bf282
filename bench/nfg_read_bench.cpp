// Reading Gambit strategic-form (.nfg) files: payoff form with integer payoffs
// (the common case, e.g. 16 players x 2 actions = 65,536 profiles, about 4 MB),
// payoff form with decimals and fractions (exact payoffs), outcome form, and
// the whole file path (read + parse). The games are random with fixed seeds;
// bench/compare_enumpure.sh times the command line on such a file against
// Gambit's gambit-enumpure.
#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include <cstdio>
#include <filesystem>
#include <random>
#include <string>

#include "stratagem/io/nfg.hpp"
#include "stratagem/scenario/error.hpp"
#include "stratagem/solve/pure.hpp"

namespace {

/// Payoff kinds written by nfg_text.
enum class Payoffs { kIntegers, kDecimals, kOutcomes };

/// A payoff-form (or outcome-form) .nfg text of `players` players with 2
/// actions each, one profile per line, payoffs drawn with a fixed seed:
/// integers 0..999; or decimals with one or two places and some fractions (most
/// of which no double holds exactly); or, in outcome form, one outcome per
/// profile.
std::string nfg_text(int players, Payoffs kind, unsigned seed = 1) {
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<int> dist(0, 999);
  fmt::memory_buffer out;
  fmt::format_to(std::back_inserter(out), "NFG 1 R \"bench {} players\" {{", players);
  for (int p = 0; p < players; ++p)
    fmt::format_to(std::back_inserter(out), " \"Player {}\"", p + 1);
  fmt::format_to(std::back_inserter(out), " }}\n{{");
  for (int p = 0; p < players; ++p) fmt::format_to(std::back_inserter(out), " 2");
  fmt::format_to(std::back_inserter(out), " }}\n\n");
  const std::size_t profiles = std::size_t{1} << players;
  const auto payoff = [&](fmt::memory_buffer &buf) {
    const int v = dist(rng);
    if (kind == Payoffs::kDecimals) {
      if (v % 10 == 0) {
        fmt::format_to(std::back_inserter(buf), "{}/3", v / 10);
      } else {
        fmt::format_to(std::back_inserter(buf), "{}.{}", v / 100, v % 100);
      }
    } else {
      fmt::format_to(std::back_inserter(buf), "{}", v);
    }
  };
  if (kind == Payoffs::kOutcomes) {
    out.push_back('{');
    out.push_back('\n');
    for (std::size_t i = 0; i < profiles; ++i) {
      fmt::format_to(std::back_inserter(out), "{{ \"\" ");
      for (int p = 0; p < players; ++p) {
        if (p > 0) out.push_back(',');
        out.push_back(' ');
        payoff(out);
      }
      fmt::format_to(std::back_inserter(out), " }}\n");
    }
    fmt::format_to(std::back_inserter(out), "}}\n");
    for (std::size_t i = 0; i < profiles; ++i) {
      fmt::format_to(std::back_inserter(out), "{}{}", i + 1, i % 16 == 15 ? '\n' : ' ');
    }
  } else {
    for (std::size_t i = 0; i < profiles; ++i) {
      for (int p = 0; p < players; ++p) {
        if (p > 0) out.push_back(' ');
        payoff(out);
      }
      out.push_back('\n');
    }
  }
  return fmt::to_string(out);
}

void parse(benchmark::State &state, Payoffs kind) {
  const std::string text = nfg_text(static_cast<int>(state.range(0)), kind);
  for (auto _ : state) benchmark::DoNotOptimize(stratagem::parse_nfg(text, "bench.nfg"));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
  state.counters["file_bytes"] = static_cast<double>(text.size());
}

void BM_ParseIntegers(benchmark::State &state) { parse(state, Payoffs::kIntegers); }
BENCHMARK(BM_ParseIntegers)
    ->DenseRange(10, 16, 2)
    ->ArgName("players")
    ->Unit(benchmark::kMillisecond);

void BM_ParseDecimalsAndFractions(benchmark::State &state) { parse(state, Payoffs::kDecimals); }
BENCHMARK(BM_ParseDecimalsAndFractions)
    ->DenseRange(10, 14, 2)
    ->ArgName("players")
    ->Unit(benchmark::kMillisecond);

void BM_ParseOutcomeForm(benchmark::State &state) { parse(state, Payoffs::kOutcomes); }
BENCHMARK(BM_ParseOutcomeForm)
    ->DenseRange(10, 16, 2)
    ->ArgName("players")
    ->Unit(benchmark::kMillisecond);

/// What `stratagem validate FILE.nfg` does: read the file (read_input_file),
/// parse, build.
void BM_ReadFileAndParse(benchmark::State &state) {
  const std::string text = nfg_text(static_cast<int>(state.range(0)), Payoffs::kIntegers);
  const std::string path = (std::filesystem::temp_directory_path() /
                            fmt::format("nfg_read_bench_{}.nfg", state.range(0)))
                               .string();
  stratagem::write_text_file(path, text);
  for (auto _ : state) {
    benchmark::DoNotOptimize(stratagem::parse_nfg(stratagem::read_input_file(path), path));
  }
  std::remove(path.c_str());
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
}
BENCHMARK(BM_ReadFileAndParse)->Arg(16)->ArgName("players")->Unit(benchmark::kMillisecond);

/// The file read alone (read_input_file), for comparison with
/// BM_ReadFileAndParse.
void BM_ReadFileOnly(benchmark::State &state) {
  const std::string text = nfg_text(static_cast<int>(state.range(0)), Payoffs::kIntegers);
  const std::string path = (std::filesystem::temp_directory_path() /
                            fmt::format("nfg_read_bench_r{}.nfg", state.range(0)))
                               .string();
  stratagem::write_text_file(path, text);
  for (auto _ : state) benchmark::DoNotOptimize(stratagem::read_input_file(path));
  std::remove(path.c_str());
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
}
BENCHMARK(BM_ReadFileOnly)->Arg(16)->ArgName("players")->Unit(benchmark::kMillisecond);

/// The pure-equilibrium search on the parsed game, for comparison with the
/// reading time.
void BM_SolvePureAfterRead(benchmark::State &state) {
  const auto game = stratagem::parse_nfg(
      nfg_text(static_cast<int>(state.range(0)), Payoffs::kIntegers), "bench.nfg");
  stratagem::SolveOptions options;
  options.threads = 1;
  stratagem::SolveContext context;
  for (auto _ : state) benchmark::DoNotOptimize(stratagem::solve_pure(game, options, context));
}
BENCHMARK(BM_SolvePureAfterRead)->Arg(16)->ArgName("players")->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
