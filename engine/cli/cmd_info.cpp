// `stratagem solvers` and `stratagem explain FILE`.
#include <algorithm>
#include <iostream>

#include <boost/program_options.hpp>
#include <fmt/format.h>

#include "cli/cli.hpp"
#include "stratagem/io/report.hpp"
#include "stratagem/io/tree_report.hpp"

namespace po = boost::program_options;

namespace stratagem::cli {

int run_solvers(const std::vector<std::string>& args) {
  if (!args.empty() && args[0] != "--help" && args[0] != "-h") {
    throw UsageError("'solvers' takes no arguments");
  }
  std::size_t width = 0;
  for (const auto& e : builtin_solvers().all()) width = std::max(width, e.name.size());
  for (const auto& e : builtin_solvers().all()) {
    std::cout << fmt::format("{:<{}}  {}\n{:<{}}  applies to: {}\n", e.name, width, e.summary, "",
                             width, e.applies_to);
  }
  return kExitOk;
}

namespace {

std::string payoff_list(const std::vector<double>& payoffs) {
  std::vector<std::string> parts;
  for (double v : payoffs) parts.push_back(format_payoff(v));
  return fmt::format("{}", fmt::join(parts, ", "));
}

/// The reasoning on a game tree for a student: the tree, backward induction (or the proper
/// subgames and the beliefs at information sets), and which equilibria of the reduced normal
/// form rest on threats that would not be carried out.
std::string explain_tree(const LoadedGame& loaded) {
  const GameTree& tree = *loaded.tree;
  const SolverRegistry& registry = builtin_solvers();
  SolveContext context(&stop_flag());
  std::string out = "The tree (each line is a node; moves lead to the indented lines below it)\n\n";
  out += render_tree_outline(tree, 200) + "\n";
  std::vector<BehaviorEquilibrium> spe;
  if (tree.is_perfect_information()) {
    out += "Backward induction\n\n";
    out += "Every mover sees all earlier moves, so the game is solved from the end: at each decision "
           "node the mover picks the move with the highest value, given what happens later.\n\n";
    const auto result = registry.find("backward-induction")->solve_tree(tree, {}, context);
    spe = result.equilibria;
    for (std::size_t k = 0; k < std::min(spe.size(), kDetailedEquilibria); ++k) {
      if (spe.size() > 1) out += fmt::format("Subgame-perfect equilibrium {} of {}:\n", k + 1, spe.size());
      out += bounded_lines(spe[k].reasoning, "  ", "reasoning");
      out += fmt::format("  So the play is {}, with payoffs {}.\n\n",
                         fmt::join(behaviour_path(tree, spe[k].behaviour), " > "),
                         payoff_list(spe[k].payoffs));
    }
    if (spe.size() > kDetailedEquilibria) {
      out += fmt::format("({} more subgame-perfect equilibria are not explained here; "
                         "'stratagem solve FILE --method backward-induction' lists them)\n\n",
                         spe.size() - kDetailedEquilibria);
    }
    if (result.status != SolveStatus::kOk) out += "  note: " + result.message + "\n\n";
  } else {
    out += "Subgame perfection with hidden moves\n\n";
    out += "Some movers cannot see every earlier move: nodes they cannot tell apart form an "
           "information set, and the same move must be chosen at all of them. Each proper subgame "
           "(a node whose subtree cuts no information set) is solved from the bottom up and "
           "replaced by its equilibrium value.\n\n";
    const auto result = registry.find("subgame-perfect")->solve_tree(tree, {}, context);
    for (const auto& a : result.analyses) {
      for (const auto& line : a.text) out += "  " + line + "\n";
    }
    spe = result.equilibria;
    for (std::size_t k = 0; k < std::min(spe.size(), kDetailedEquilibria); ++k) {
      out += fmt::format("Subgame-perfect equilibrium {} of {} (payoffs {}):\n", k + 1, spe.size(),
                         payoff_list(spe[k].payoffs));
      out += bounded_lines(describe_behaviour(tree, spe[k].behaviour, true, loaded.labels), "  ",
                           "choices");
    }
    if (spe.size() > kDetailedEquilibria) {
      out += fmt::format("({} more subgame-perfect equilibria are not explained here; "
                         "'stratagem solve FILE --method subgame-perfect' lists them)\n",
                         spe.size() - kDetailedEquilibria);
    }
    if (result.status != SolveStatus::kOk) out += "  note: " + result.message + "\n";
    out += "\nBeliefs: at an information set that is reached, the mover's beliefs about which node "
           "it is at follow from the prior and the strategies by Bayes' rule (shown in brackets); "
           "at one that is not reached, Bayes' rule says nothing.\n\n";
  }
  if (!loaded.game) {
    out += fmt::format("The reduced normal form is not shown: {}\n", loaded.reduced_error);
    return out;
  }
  const NormalFormGame& game = *loaded.game;
  out += "The same game in strategic form (reduced normal form: a strategy names a move at each of "
         "the player's information sets, '*' where the player's own earlier move rules it out)\n\n";
  out += render_game(game, loaded.labels) + "\n";
  const auto pure = registry.find("pure")->solve(game, {}, context);
  const ReducedNormalForm reduced = reduce_to_normal_form(tree);
  std::vector<std::vector<int>> spe_profiles;
  for (const auto& eq : spe) {
    bool is_pure = true;
    std::vector<int> moves;
    for (const auto& probs : eq.behaviour) {
      int chosen = -1;
      for (std::size_t m = 0; m < probs.size(); ++m) {
        if (probs[m] >= 1.0 - 1e-12) chosen = static_cast<int>(m);
      }
      is_pure = is_pure && chosen >= 0;
      moves.push_back(chosen);
    }
    if (!is_pure) continue;
    std::vector<int> profile;
    for (int p = 0; p < tree.num_players(); ++p) {
      profile.push_back(reduced_strategy_index(reduced, tree, p, moves));
    }
    spe_profiles.push_back(std::move(profile));
  }
  out += fmt::format("Its pure Nash equilibria: {}\n", pure.equilibria.size());
  int not_credible = 0;
  for (const auto& eq : pure.equilibria) {
    std::vector<int> actions;
    (void)eq.profile.is_pure(1e-12, &actions);
    const bool perfect =
        std::find(spe_profiles.begin(), spe_profiles.end(), actions) != spe_profiles.end();
    not_credible += perfect ? 0 : 1;
    out += fmt::format("  {}  {}\n", describe_profile(game, eq.profile, loaded.labels),
                       perfect ? "(subgame perfect)" : "(not subgame perfect)");
  }
  if (not_credible > 0) {
    out += "\nA Nash equilibrium that is not subgame perfect asks some player to carry out a move "
           "off the equilibrium path that would not be in that player's interest once the moment "
           "came (a threat or promise that is not credible); backward induction removes it.\n";
  }
  return out;
}

}  // namespace

int run_explain(const std::vector<std::string>& args) {
  po::options_description desc("stratagem explain FILE [options]");
  std::string file;
  std::vector<std::string> sets;
  desc.add_options()("help,h", "show this help")(
      "set", po::value(&sets), "override a parameter: --set name=value (repeatable)")(
      "allow-outside-range", "accept --set values outside the declared range")(
      "file", po::value(&file), "input file");
  const auto parsed = parse_command_line(args, desc, file, "missing FILE");
  if (!parsed) return kExitOk;
  const po::variables_map& vm = *parsed;
  const LoadedGame loaded = load_game(file, sets, vm.count("allow-outside-range") > 0);
  std::cout << loaded.title << "\n\n";
  if (loaded.scenario && !loaded.scenario->description().empty()) {
    std::cout << loaded.scenario->description() << "\n\n";
  }
  if (loaded.tree) {
    std::cout << explain_tree(loaded);
    return kExitOk;
  }
  std::cout << render_game(*loaded.game, loaded.labels) << "\n";
  if (loaded.scenario && loaded.scenario->game_type() == "repeated") {
    std::cout << "The stage game (one round)\n\n" << explain_game(*loaded.game, loaded.labels) << "\n";
    const RepeatedRun run = run_repeated_analysis(*loaded.scenario, loaded.parameters, {}, {});
    std::cout << "The repeated game\n\n" << render_text(run.facts, *loaded.game, loaded.labels) << "\n";
    for (const auto& a : run.analyses) std::cout << explain_profile(a, *loaded.game, loaded.labels) << "\n";
    return kExitOk;
  }
  std::cout << explain_game(*loaded.game, loaded.labels);
  return kExitOk;
}

}  // namespace stratagem::cli
