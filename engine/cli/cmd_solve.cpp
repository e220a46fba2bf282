// `stratagem solve FILE`: equilibria by one or more registered methods.
#include <cmath>
#include <iostream>
#include <limits>

#include <boost/program_options.hpp>
#include <fmt/format.h>

#include "cli/cli.hpp"
#include "cli/options.hpp"
#include "stratagem/io/report.hpp"
#include "stratagem/solve/lp_solvers.hpp"

namespace po = boost::program_options;

namespace stratagem::cli {
namespace {

/// Splits "a,b" and repeated --method options into names; "all" = every applicable solver.
/// A tree's reduced normal form is built only when a strategic-form method needs it.
std::vector<std::string> method_list(const std::vector<std::string>& given, LoadedGame& loaded,
                                     const SolverRegistry& registry) {
  std::vector<std::string> names;
  for (const auto& g : given) {
    std::size_t start = 0;
    while (start <= g.size()) {
      const std::size_t comma = g.find(',', start);
      const std::string name = g.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
      if (!name.empty()) names.push_back(name);
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
  }
  if (names.empty()) {
    if (loaded.scenario && !loaded.scenario->default_method().empty()) {
      names.push_back(loaded.scenario->default_method());
    } else if (loaded.tree) {
      if (loaded.tree->is_perfect_information()) {
        names.push_back("backward-induction");
      } else {
        if (loaded.tree->num_players() == 2 && registry.find("sequence-lcp") != nullptr) {
          names.push_back("sequence-lcp");
        }
        names.push_back("subgame-perfect");
      }
    } else {
      names.push_back("pure");
      if (loaded.game->num_players() == 2) names.push_back("support");
    }
  }
  std::vector<std::string> out;
  for (const auto& name : names) {
    if (name == "all") {
      loaded.ensure_strategic();
      for (const auto& e : registry.all()) {
        if (e.is_tree_solver() ? loaded.tree && !e.tree_check(*loaded.tree)
                               : loaded.game && !e.check(*loaded.game)) {
          out.push_back(e.name);
        }
      }
      continue;
    }
    const SolverEntry* e = registry.find(name);
    if (e == nullptr) {
      throw UsageError(fmt::format("unknown method '{}'{}; run 'stratagem solvers' for the list",
                                   name, did_you_mean(name, registry.names())));
    }
    std::optional<std::string> why;
    if (e->is_tree_solver() && loaded.tree) {
      why = e->tree_check(*loaded.tree);
    } else {
      loaded.ensure_strategic();
      why = e->check(loaded.strategic());
    }
    if (why) {
      std::string hint = "use --method pure or another method listed by 'stratagem solvers'";
      if (loaded.tree && name == "subgame-perfect") {
        hint = "use a method on the reduced normal form (mixed strategies): --method enumerate "
               "(two players), support-newton or pure";
      } else if (loaded.tree && why->find("perfect recall") != std::string::npos) {
        hint = "use --method subgame-perfect (behaviour strategies, each result verified), or a "
               "method on the reduced normal form (mixed strategies): enumerate, support-newton, "
               "pure";
      } else if (loaded.tree) {
        hint = "use --method subgame-perfect, or another method listed by 'stratagem solvers'";
      }
      throw InputError({loaded.path, 0, 0},
                       fmt::format("method '{}' does not apply: {}", name, *why), hint);
    }
    out.push_back(name);
  }
  return out;
}

}  // namespace

int run_solve(const std::vector<std::string>& args) {
  po::options_description desc("stratagem solve FILE [options]");
  std::string file, format = "text";
  std::vector<std::string> methods, sets;
  SolveOptions options;
  int start_label = 0;
  desc.add_options()
      ("help,h", "show this help")
      ("method,m", po::value(&methods), "solver name (repeatable or comma-separated), or 'all'; "
                                        "default: the file's method, else pure+support")
      ("set", po::value(&sets), "override a parameter: --set name=value (repeatable)")
      ("allow-outside-range", "accept --set values outside a parameter's declared range")
      ("format,f", po::value(&format)->default_value("text"), "text | json | gambit (NE,... lines)")
      ("exact", "verify every equilibrium in rational arithmetic (GMP); print fractions")
      ("weak", "dominance: also eliminate weakly dominated actions")
      ("label", integer_value(&start_label, "--label", 1, std::numeric_limits<int>::max()),
       "lemke-howson: start from this one label (1..m+n) instead of all")
      ("verbose,v", "lemke-howson: show each path's pivots")
      ("objective", po::value(&options.objective)->default_value("welfare"),
       "correlated: maximise 'welfare' or this actor's payoff")
      ("tolerance", real_value(&options.tolerance, "--tolerance", 0.0, 1.0, "1e-9"),
       "regret tolerance (a decimal or a fraction, 0 to 1)")
      ("threads", threads_value(&options.threads), "worker threads (0 = all cores)")
      ("max-equilibria", integer_value(&options.max_equilibria, "--max-equilibria", 1, 1'000'000'000, "1000"),
       "pure, backward-induction, subgame-perfect: list at most this many when ties multiply them")
      ("file", po::value(&file), "input file");
  const auto parsed = parse_command_line(args, desc, file, "missing FILE (a .yaml scenario, .nfg or .json game)");
  if (!parsed) return kExitOk;
  const po::variables_map& vm = *parsed;
  if (format != "text" && format != "json" && format != "gambit") {
    throw UsageError(fmt::format("unknown format '{}'; use text, json or gambit", format));
  }
  options.weak_dominance = vm.count("weak") > 0;
  options.exact = vm.count("exact") > 0;
  options.verbose_paths = vm.count("verbose") > 0;
  if (vm.count("label")) options.start_label = start_label;

  // A tree's reduced normal form is built only for strategic-form methods and JSON output
  // (which lists the reduced strategies); tree methods work on the tree itself.
  LoadedGame loaded = load_game(file, sets, vm.count("allow-outside-range") > 0, false);
  const SolverRegistry& registry = builtin_solvers();
  const std::vector<std::string> method_names = method_list(methods, loaded, registry);
  if (format == "json") loaded.ensure_strategic();
  if (options.start_label && loaded.game) {
    int labels = 0;
    for (int p = 0; p < loaded.game->num_players(); ++p) labels += loaded.game->num_actions(p);
    if (*options.start_label > labels) {
      throw UsageError(fmt::format("--label {} is out of range: this game has labels 1..{} (the "
                                   "players' actions, numbered in order)",
                                   *options.start_label, labels));
    }
  }
  if (loaded.game) {
    if (auto why = objective_error(*loaded.game, options.objective)) {
      throw InputError({"--objective", 0, 0}, *why, "use --objective welfare or an actor id");
    }
  }
  SolveContext context(&stop_flag());
  Report report{.source = file,
                .title = loaded.title,
                .parameters = loaded.parameters,
                .player_labels = loaded.labels,
                .game = loaded.game.get(),
                .results = {},
                .tree = loaded.tree.get()};
  int exit_code = kExitOk;
  for (const auto& name : method_names) {
    const SolverEntry& entry = *registry.find(name);
    if (entry.is_tree_solver()) {
      if (options.exact) {
        std::cerr << fmt::format("stratagem solve: --exact applies to strategic-form methods; {} "
                                 "is verified in floating point\n", name);
      }
      TreeSolveResult result = entry.solve_tree(*loaded.tree, options, context);
      // Independent verification: payoffs recomputed from the behaviour profile; the solver's
      // own check (largest gain from a deviation) must be within tolerance.
      std::size_t unverifiable = 0;
      for (const auto& eq : result.equilibria) {
        const auto payoffs = behaviour_payoffs(*loaded.tree, eq.behaviour);
        double scale = 1.0, diff = 0.0;
        for (std::size_t p = 0; p < payoffs.size(); ++p) {
          scale = std::max(scale, std::abs(payoffs[p]));
          diff = std::max(diff, std::abs(payoffs[p] - eq.payoffs[p]));
        }
        if (std::isnan(eq.max_gain)) ++unverifiable;
        if (eq.max_gain > 1e-6 * scale || diff > 1e-6 * scale) {
          std::cerr << fmt::format(
              "stratagem solve: {} reported a profile with gain {:.3g} (payoff mismatch {:.3g})\n",
              name, eq.max_gain, diff);
          exit_code = kExitSolverFailure;
        }
      }
      if (unverifiable > 0) {
        std::cerr << fmt::format("stratagem solve: {}: {} equilibri{} too large to verify by "
                                 "enumerating deviations; their gains are not checked\n",
                                 name, unverifiable, unverifiable == 1 ? "um is" : "a are");
      }
      if (result.status == SolveStatus::kFailed) exit_code = kExitSolverFailure;
      report.tree_results.emplace_back(name, std::move(result));
    } else {
      SolveResult result = entry.solve(loaded.strategic(), options, context);
      // Independent verification: every reported equilibrium's regret is recomputed, and
      // compared with the game's payoff range (docs/numerics.md).
      const double scale = payoff_scale(loaded.strategic());
      for (const auto& eq : result.equilibria) {
        if (eq.max_regret > 1e-6 * scale) {
          std::cerr << fmt::format("stratagem solve: {} reported a profile with max regret {:.3g}\n",
                                   name, eq.max_regret);
          exit_code = kExitSolverFailure;
        }
      }
      if (result.status == SolveStatus::kFailed) exit_code = kExitSolverFailure;
      report.results.emplace_back(name, std::move(result));
    }
    if (context.stop_requested()) break;
  }
  if (format == "json") {
    std::cout << report_to_json(report).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
  } else if (format == "gambit") {
    std::cout << render_gambit(report);
  } else {
    std::cout << render_text(report);
  }
  if (context.stop_requested()) {
    std::cerr << "stratagem solve: interrupted; results above are those finished before the stop\n";
    return 130;
  }
  return exit_code;
}

}  // namespace stratagem::cli
