#pragma once

// Shared driver of the libFuzzer harnesses: after a successful parse, what
// `stratagem validate` does and a bounded solve (small games only), the way
// engine/cli/ calls the library.
//
// Expected errors are the ones the CLI turns into "bad input" (exit code 1):
// InputError and InvalidGame. Any other exception escaping the library is
// reported as a finding by run_guarded() (the CLI would print "internal error"
// and exit 3).

#include <tbb/global_control.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "stratagem/game/normal_form.hpp"
#include "stratagem/game/tree.hpp"
#include "stratagem/io/report.hpp"
#include "stratagem/io/tree_report.hpp"
#include "stratagem/scenario/error.hpp"
#include "stratagem/solve/backward_induction.hpp"
#include "stratagem/solve/solver.hpp"

namespace stratagem::fuzz {

/// Caps of the bounded solve (see tests/fuzz/README.md).
inline constexpr std::size_t kMaxSolveProfiles = 64;          ///< pure, dominance
inline constexpr int kMaxSupportStrategies = 12;              ///< support: m + n, two players
inline constexpr std::size_t kMaxDefaultMethodProfiles = 16;  ///< a scenario's own `method:`
inline constexpr int kMaxBackwardNodes = 256;                 ///< backward induction
inline constexpr int kMaxTreeSolveNodes = 48;                 ///< subgame-perfect, sequence-lcp
inline constexpr std::size_t kMaxEquilibria = 64;             ///< cap on reported tree equilibria
/// Inputs longer than this are skipped (scenario files are capped at 1 MB by
/// the loader; the fuzzer's -max_len keeps inputs far below this anyway).
inline constexpr std::size_t kMaxInputBytes = 64 * 1024;

/// One worker thread for oneTBB, so a harness uses one core; call from
/// LLVMFuzzerInitialize.
inline void limit_threads() {
  static tbb::global_control one_thread(tbb::global_control::max_allowed_parallelism, 1);
}

/// `json.dump(2)` as the CLI writes it: bytes that are not UTF-8 are replaced (engine/cli since
/// 9c0ae60; a strict dump threw type_error 316, finding non-utf8-json).
inline std::string dump_json(const nlohmann::json& j) {
  return j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
}

/// Prints a finding and aborts, so libFuzzer saves the input.
[[noreturn]] inline void finding(const std::string& what) {
  std::fprintf(stderr, "\n==FUZZ FINDING== %s\n", what.c_str());
  std::fflush(stderr);
  std::abort();
}

/// Runs `work`; the expected input errors return normally. Any other exception
/// is left to escape the fuzz target: no handler above it, so std::terminate
/// runs at the throw site and the crash report's stack shows where it was
/// thrown (the CLI would exit 3, "internal error").
template <class Work>
void run_guarded(Work&& work) {
  try {
    work();
  } catch (const InputError&) {
  } catch (const InvalidGame&) {
  }
}

/// One fuzz input as text: inputs above kMaxInputBytes are rejected (-1, kept out of the
/// corpus), others are passed to `work(text)` under run_guarded(). The body of every
/// LLVMFuzzerTestOneInput that reads a file.
template <class Work>
int run_text(const std::uint8_t* data, std::size_t size, Work&& work) {
  if (size > kMaxInputBytes) return -1;
  const std::string text(reinterpret_cast<const char*>(data), size);
  run_guarded([&] { work(text); });
  return 0;
}

/// Runs one registered strategic-form solver as `stratagem solve` does,
/// including its independent check that every reported equilibrium has (near)
/// zero regret.
inline void solve_with(const SolverEntry& entry, const NormalFormGame& game, Report& report) {
  if (entry.is_tree_solver() || entry.check(game)) return;
  SolveOptions options;
  options.threads = 1;
  SolveContext context;
  SolveResult result = entry.solve(game, options, context);
  // Same oracle as cmd_solve.cpp: regret relative to the payoff range.
  const double scale = stratagem::payoff_scale(game);
  for (const auto& eq : result.equilibria) {
    if (scale <= 1e6 && eq.max_regret > 1e-6 * scale) {
      finding("solver '" + entry.name + "' reported an equilibrium with max regret " +
              std::to_string(eq.max_regret));
    }
  }
  report.results.emplace_back(entry.name, std::move(result));
}

/// `validate` and a bounded `solve` of a strategic-form game; `default_method`
/// is a scenario's own `method:` (may be empty).
inline void drive_strategic(const NormalFormGame& game, const std::string& default_method = "") {
  std::string shape;
  for (int p = 0; p < game.num_players(); ++p) {
    shape += (p ? " x " : "") + std::to_string(game.num_actions(p));
  }
  if (game.num_profiles() > kMaxSolveProfiles) return;
  const SolverRegistry& registry = builtin_solvers();
  Report report{.source = "fuzz",
                .title = game.title(),
                .parameters = {},
                .player_labels = game.player_names(),
                .game = &game,
                .results = {},
                .tree = nullptr};
  solve_with(*registry.find("pure"), game, report);
  solve_with(*registry.find("dominance"), game, report);
  if (game.num_players() == 2 &&
      game.num_actions(0) + game.num_actions(1) <= kMaxSupportStrategies) {
    solve_with(*registry.find("support"), game, report);
  }
  if (!default_method.empty() && game.num_profiles() <= kMaxDefaultMethodProfiles &&
      default_method != "pure" && default_method != "dominance" && default_method != "support") {
    if (const SolverEntry* entry = registry.find(default_method)) solve_with(*entry, game, report);
  }
  (void)render_text(report);
  (void)dump_json(report_to_json(report));
  (void)render_gambit(report);
}

/// `validate`, `tree` and a bounded `solve` of a game tree: reduced normal form
/// (default game limits, as load_game), backward induction or subgame
/// perfection and sequence-lcp on small trees, then the strategic-form drive of
/// the reduced form.
inline void drive_tree(const GameTree& tree) {
  (void)tree.num_players();
  (void)tree.infosets().size();
  (void)render_tree_outline(tree);
  (void)dump_json(tree_to_json(tree));
  std::unique_ptr<ReducedNormalForm> reduced;
  try {
    reduced = std::make_unique<ReducedNormalForm>(reduce_to_normal_form(tree));
  } catch (const InvalidGame&) {  // too large: load_game records the reason and goes on
  }
  const SolverRegistry& registry = builtin_solvers();
  Report report{.source = "fuzz",
                .title = tree.title(),
                .parameters = {},
                .player_labels = tree.player_names(),
                .game = reduced ? &reduced->game : nullptr,
                .results = {},
                .tree = &tree};
  SolveOptions options;
  options.threads = 1;
  SolveContext context;
  const auto run_tree_solver = [&](const char* name) {
    const SolverEntry* entry = registry.find(name);
    if (entry == nullptr || entry->tree_check(tree)) return;
    TreeSolveResult result = entry->solve_tree(tree, options, context);
    for (const auto& eq : result.equilibria) {
      (void)behaviour_payoffs(tree,
                              eq.behaviour);  // cmd_solve.cpp's verification
    }
    report.tree_results.emplace_back(name, std::move(result));
  };
  if (tree.is_perfect_information()) {
    if (tree.num_nodes() <= kMaxBackwardNodes) {
      const auto spe = solve_backward_induction(tree, {.max_equilibria = kMaxEquilibria});
      for (const auto& eq : spe.equilibria) {
        for (const auto& step : eq.steps) (void)describe_step(tree, step);
        if (reduced) {  // cmd_tree.cpp marks which Nash equilibria are subgame
                        // perfect
          const auto moves = infoset_moves(tree, eq);
          for (int p = 0; p < tree.num_players(); ++p) {
            (void)reduced_strategy_index(*reduced, tree, p, moves);
          }
        }
      }
      run_tree_solver("backward-induction");
    }
  } else if (tree.num_nodes() <= kMaxTreeSolveNodes && reduced &&
             reduced->game.num_profiles() <= kMaxSolveProfiles) {
    run_tree_solver("subgame-perfect");
    if (tree.num_players() == 2) run_tree_solver("sequence-lcp");
  }
  (void)render_text(report);
  (void)dump_json(report_to_json(report));
  if (reduced) drive_strategic(reduced->game);
}

}  // namespace stratagem::fuzz
