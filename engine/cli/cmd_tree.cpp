// `stratagem tree FILE.efg [--format text|json]`: the tree, its subgame-perfect equilibria with
// the backward-induction reasoning, and the equilibria of its reduced normal form.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <boost/program_options.hpp>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "cli/cli.hpp"
#include "cli/options.hpp"
#include "stratagem/game/tree.hpp"
#include "stratagem/io/efg.hpp"
#include "stratagem/io/report.hpp"
#include "stratagem/io/tree_report.hpp"
#include "stratagem/solve/backward_induction.hpp"
#include "stratagem/solve/pure.hpp"
#include "stratagem/solve/subgame_perfect.hpp"
#include "stratagem/solve/support.hpp"

namespace po = boost::program_options;

namespace stratagem::cli {
namespace {

/// Largest total strategy count of a two-player reduced form solved by support enumeration here.
constexpr int kMaxSupportStrategies = 24;

std::string payoff_tuple(const std::vector<double>& payoffs) {
  std::vector<std::string> parts;
  for (double v : payoffs) parts.push_back(format_payoff(v));
  return fmt::format("({})", fmt::join(parts, ", "));
}

/// The verification line of an equilibrium: "verified" only when the recomputed gain is within
/// tolerance.
std::string verification_line(double gain, double tolerance) {
  if (std::isnan(gain)) {
    return "  not verified: too many deviations to check by enumeration\n";
  }
  if (gain <= tolerance) {
    return fmt::format("  verified: largest gain from deviating in any subgame {}\n",
                       format_payoff(gain));
  }
  return fmt::format("  NOT AN EQUILIBRIUM: a player gains {} by deviating in a subgame\n",
                     format_payoff(gain));
}

std::string status_name(SolveStatus status) {
  switch (status) {
    case SolveStatus::kOk:
      return "ok";
    case SolveStatus::kCancelled:
      return "cancelled";
    case SolveStatus::kLimitReached:
      return "limit_reached";
    case SolveStatus::kFailed:
      return "failed";
  }
  return "?";
}

std::vector<std::string> path_moves(const GameTree& tree, const TreeEquilibrium& eq) {
  std::vector<std::string> out;
  for (int id : eq.path) {
    const TreeNode& n = tree.node(id);
    if (n.kind == NodeKind::kDecision) out.push_back(n.moves[eq.moves[id]]);
  }
  return out;
}

nlohmann::json spe_json(const GameTree& tree, const TreeEquilibrium& eq) {
  nlohmann::json moves = nlohmann::json::object();
  for (int id = 0; id < tree.num_nodes(); ++id) {
    if (eq.moves[id] >= 0) moves[std::to_string(id)] = tree.node(id).moves[eq.moves[id]];
  }
  nlohmann::json steps = nlohmann::json::array();
  for (const auto& s : eq.steps) {
    const TreeNode& n = tree.node(s.node);
    nlohmann::json values = nlohmann::json::object();
    for (std::size_t m = 0; m < n.moves.size(); ++m) values[n.moves[m]] = s.move_values[m];
    std::vector<std::string> best;
    for (int m : s.best_moves) best.push_back(n.moves[m]);
    steps.push_back({{"node", s.node},
                     {"at", tree.node_name(s.node)},
                     {"player", tree.player_name(s.player)},
                     {"values", std::move(values)},
                     {"best", best},
                     {"chosen", n.moves[s.chosen]},
                     {"text", describe_step(tree, s)}});
  }
  return {
      {"moves", std::move(moves)}, {"path", eq.path},         {"path_moves", path_moves(tree, eq)},
      {"payoffs", eq.payoffs},     {"max_gain", eq.max_gain}, {"steps", std::move(steps)}};
}

}  // namespace

int run_tree(const std::vector<std::string>& args) {
  po::options_description desc("stratagem tree FILE [options]");
  std::string file, format = "text";
  std::vector<std::string> sets;
  std::size_t max_equilibria = 10'000;
  desc.add_options()("help,h", "show this help")(
      "format,f", po::value(&format)->default_value("text"), "text | json")(
      "set", po::value(&sets), "override a parameter of a tree scenario: --set name=value")(
      "allow-outside-range", "accept --set values outside a parameter's declared range")(
      "max-equilibria", integer_value(&max_equilibria, "--max-equilibria", 1, 1'000'000'000, "10000"),
      "cap on subgame-perfect equilibria reported when ties multiply them")(
      "file", po::value(&file), "a game tree: a type: tree scenario (.yaml) or a Gambit .efg file");
  const auto parsed =
      parse_command_line(args, desc, file, "missing FILE (a type: tree scenario or a .efg file)");
  if (!parsed) return kExitOk;
  if (format != "text" && format != "json") {
    throw UsageError(fmt::format("unknown format '{}'; use text or json", format));
  }
  const LoadedGame loaded = load_game(file, sets, parsed->count("allow-outside-range") > 0,
                                     false);  // built below, once
  if (!loaded.tree) {
    throw InputError({file, 0, 0}, "not a game tree",
                     "give a scenario with 'game: {type: tree}' or a Gambit .efg file; "
                     "strategic-form games are solved with 'stratagem solve'");
  }
  const GameTree& tree = *loaded.tree;
  // Gains are judged relative to the largest |payoff| (at least 1).
  const double gain_tolerance = 1e-6 * payoff_scale(tree);  // relative to the payoff range
  std::optional<BackwardInductionResult> spe;
  std::string spe_skipped;
  SolveContext bi_context(&stop_flag());
  if (tree.is_perfect_information()) {
    spe = solve_backward_induction(tree, {.max_equilibria = max_equilibria}, bi_context);
  } else {
    spe_skipped =
        "the tree has information sets with several nodes; backward induction needs "
        "perfect information";
  }
  // Imperfect information: proper subgames solved bottom-up.
  std::optional<SubgamePerfectResult> behaviour_spe;
  std::string behaviour_error;
  if (!spe) {
    SolveContext spe_context(&stop_flag());
    try {
      behaviour_spe = solve_subgame_perfect(tree, {.max_equilibria = max_equilibria}, spe_context);
    } catch (const InvalidGame& e) {
      behaviour_error = e.what();
    }
  }

  std::optional<ReducedNormalForm> reduced;
  std::string reduced_skipped;
  try {
    reduced = reduce_to_normal_form(tree);
  } catch (const InvalidGame& e) {
    reduced_skipped = e.what();
  }
  std::vector<Equilibrium> nash;
  std::string nash_method;
  // The reduced profile of each SPE, to mark which Nash equilibria are subgame perfect.
  std::vector<std::vector<int>> spe_profiles;
  SolveContext context(&stop_flag());
  if (reduced) {
    // Support enumeration grows as 4^n; beyond kMaxSupportStrategies only pure equilibria.
    const auto& shape = reduced->game.shape();
    nash_method =
        shape.size() == 2 && shape[0] + shape[1] <= kMaxSupportStrategies ? "support" : "pure";
    nash = nash_method == "support" ? solve_support(reduced->game, {}, context)
                                    : solve_pure(reduced->game, {}, context);
    if (spe) {
      for (const auto& eq : spe->equilibria) {
        const auto moves = infoset_moves(tree, eq);
        std::vector<int> profile;
        for (int p = 0; p < tree.num_players(); ++p) {
          profile.push_back(reduced_strategy_index(*reduced, tree, p, moves));
        }
        spe_profiles.push_back(std::move(profile));
      }
    }
  }
  const auto is_spe = [&](const Equilibrium& eq) {
    std::vector<int> actions;
    if (!eq.profile.is_pure(1e-12, &actions)) return false;
    return std::find(spe_profiles.begin(), spe_profiles.end(), actions) != spe_profiles.end();
  };

  int exit_code = kExitOk;
  std::size_t failed = 0;
  if (spe) {
    for (const auto& eq : spe->equilibria) failed += eq.max_gain > gain_tolerance ? 1 : 0;
  }
  if (behaviour_spe) {
    // NaN (too large to verify by enumeration) is reported as not verified, not as a failure.
    for (const auto& eq : behaviour_spe->equilibria) failed += eq.max_gain > gain_tolerance ? 1 : 0;
  }
  if (failed > 0) {
    std::cerr << fmt::format(
        "stratagem tree: {} reported profile{} failed verification (a player gains more than {} "
        "by deviating in a subgame); they are marked NOT AN EQUILIBRIUM\n",
        failed, failed == 1 ? "" : "s", format_payoff(gain_tolerance));
    exit_code = kExitSolverFailure;
  }
  if (stop_flag().load()) exit_code = kExitInterrupted;

  if (format == "json") {
    nlohmann::json j{{"stratagem", 1}, {"source", file}, {"game", tree_to_json(tree)}};
    nlohmann::json bi{{"method", "backward-induction"}};
    if (spe) {
      bi["status"] = status_name(spe->status);
      if (!spe->message.empty()) bi["message"] = spe->message;
      bi["equilibria"] = nlohmann::json::array();
      for (std::size_t k = 0; k < spe->equilibria.size(); ++k) {
        nlohmann::json e = spe_json(tree, spe->equilibria[k]);
        if (k < spe_profiles.size()) {
          nlohmann::json named = nlohmann::json::object();
          for (int p = 0; p < tree.num_players(); ++p) {
            named[tree.player_name(p)] = reduced->game.action_name(p, spe_profiles[k][p]);
          }
          e["reduced_strategies"] = std::move(named);
        }
        bi["equilibria"].push_back(std::move(e));
      }
    } else if (behaviour_spe) {
      bi["method"] = "subgame-perfect";
      bi["status"] = status_name(behaviour_spe->status);
      if (!behaviour_spe->message.empty()) bi["message"] = behaviour_spe->message;
      bi["subgames"] = behaviour_spe->subgames;
      bi["equilibria"] = nlohmann::json::array();
      for (const auto& eq : behaviour_spe->equilibria) {
        nlohmann::json sets = nlohmann::json::array();
        for (std::size_t h = 0; h < tree.infosets().size(); ++h) {
          const InfoSet& set = tree.infoset(static_cast<int>(h));
          nlohmann::json probs = nlohmann::json::object();
          for (std::size_t m = 0; m < set.moves.size(); ++m)
            probs[set.moves[m]] = eq.behaviour[h][m];
          sets.push_back({{"player", tree.player_name(set.player)},
                          {"infoset", set.label},
                          {"nodes", set.nodes},
                          {"probabilities", std::move(probs)}});
        }
        bi["equilibria"].push_back(
            {{"behaviour", std::move(sets)}, {"payoffs", eq.payoffs}, {"max_gain", eq.max_gain}});
      }
    } else {
      bi["method"] = "subgame-perfect";
      bi["status"] = "failed";
      bi["message"] = behaviour_error;
    }
    j["subgame_perfect"] = std::move(bi);
    nlohmann::json rnf;
    if (reduced) {
      std::vector<std::vector<std::string>> actions;
      for (int p = 0; p < reduced->game.num_players(); ++p) {
        actions.push_back(reduced->game.action_names(p));
      }
      rnf["players"] = reduced->game.player_names();
      rnf["actions"] = actions;
      rnf["method"] = nash_method;
      rnf["equilibria"] = nlohmann::json::array();
      for (const auto& eq : nash) {
        std::vector<std::vector<double>> strategies;
        for (int p = 0; p < eq.profile.num_players(); ++p) {
          const auto probs = eq.profile.probabilities(p);
          strategies.emplace_back(probs.begin(), probs.end());
        }
        rnf["equilibria"].push_back({{"strategies", strategies},
                                     {"payoffs", eq.payoffs},
                                     {"max_regret", eq.max_regret},
                                     {"pure", eq.pure},
                                     {"subgame_perfect", is_spe(eq)}});
      }
    } else {
      rnf["error"] = reduced_skipped;
    }
    j["reduced_normal_form"] = std::move(rnf);
    std::cout << j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    return exit_code;
  }

  std::string out;
  out += fmt::format("{}\nplayers: {}\n\ntree:\n", loaded.title.empty() ? file : loaded.title,
                     fmt::join(tree.player_names(), ", "));
  out += first_lines(render_tree_outline(tree), kMaxOutlineLines, "  ", "the tree");
  out += "\n";
  if (spe) {
    out += fmt::format("subgame-perfect equilibria (backward induction): {}\n",
                       spe->equilibria.size());
    if (!spe->message.empty()) out += fmt::format("  note: {}\n", spe->message);
    for (std::size_t k = 0; k < spe->equilibria.size(); ++k) {
      const auto& eq = spe->equilibria[k];
      std::vector<std::string> payoffs;
      for (int p = 0; p < tree.num_players(); ++p) {
        payoffs.push_back(fmt::format("{} {}", tree.player_name(p), format_payoff(eq.payoffs[p])));
      }
      out += fmt::format("SPE {}: payoffs {}\n", k + 1, fmt::join(payoffs, ", "));
      if (k >= kDetailedEquilibria) {
        out += verification_line(eq.max_gain, gain_tolerance);
        continue;
      }
      out += fmt::format("  path: {}\n", fmt::join(path_moves(tree, eq), " > "));
      out += "  reasoning:\n";
      // Only the shown steps are described: a large tree has hundreds of thousands.
      const std::size_t shown = std::min(eq.steps.size(), kMaxLinesPerList);
      for (std::size_t s = 0; s < shown; ++s) out += "    " + describe_step(tree, eq.steps[s]) + "\n";
      if (shown < eq.steps.size()) {
        out += fmt::format("    ... {} more lines of reasoning (--format json lists them all)\n",
                           eq.steps.size() - shown);
      }
      if (k < spe_profiles.size()) {
        std::vector<std::string> named;
        for (int p = 0; p < tree.num_players(); ++p) {
          named.push_back(fmt::format("{}: {}", tree.player_name(p),
                                      reduced->game.action_name(p, spe_profiles[k][p])));
        }
        out += fmt::format("  strategies: {}\n", fmt::join(named, "; "));
      }
      out += verification_line(eq.max_gain, gain_tolerance);
    }
  } else if (behaviour_spe) {
    out += fmt::format("backward induction: not applicable ({})\n", spe_skipped);
    std::vector<std::string> roots;
    for (int r : behaviour_spe->subgames) roots.push_back(tree.node_name(r));
    out += fmt::format("subgame-perfect equilibria (proper subgames solved bottom-up: {}): {}\n",
                       fmt::join(roots, "; "), behaviour_spe->equilibria.size());
    if (!behaviour_spe->message.empty()) out += fmt::format("  note: {}\n", behaviour_spe->message);
    for (std::size_t k = 0; k < behaviour_spe->equilibria.size(); ++k) {
      const auto& eq = behaviour_spe->equilibria[k];
      out += fmt::format("SPE {}: payoffs {}\n", k + 1, payoff_tuple(eq.payoffs));
      const std::size_t shown_sets =
          k < kDetailedEquilibria ? std::min(tree.infosets().size(), kMaxLinesPerList) : 0;
      if (shown_sets < tree.infosets().size() && k < kDetailedEquilibria) {
        out += fmt::format("  (the first {} of {} information sets; --format json lists all)\n",
                           shown_sets, tree.infosets().size());
      }
      for (std::size_t h = 0; h < shown_sets; ++h) {
        const InfoSet& set = tree.infoset(static_cast<int>(h));
        std::vector<std::string> moves;
        for (std::size_t m = 0; m < set.moves.size(); ++m) {
          if (eq.behaviour[h][m] > 1e-12) {
            moves.push_back(
                eq.behaviour[h][m] >= 1.0 - 1e-12
                    ? set.moves[m]
                    : fmt::format("{} {}", set.moves[m], format_number(eq.behaviour[h][m])));
          }
        }
        const std::string where =
            set.label.empty() ? tree.node_name(set.nodes.front()) : fmt::format("'{}'", set.label);
        out += fmt::format("  {} at {}: {}\n", tree.player_name(set.player), where,
                           fmt::join(moves, ", "));
      }
      out += verification_line(eq.max_gain, gain_tolerance);
    }
  } else {
    out += fmt::format("subgame-perfect equilibria: not computed ({})\n", behaviour_error);
  }
  out += "\n";
  if (reduced) {
    std::vector<std::string> sizes;
    for (int s : reduced->game.shape()) sizes.push_back(std::to_string(s));
    out += fmt::format("reduced normal form: {} strategies\n", fmt::join(sizes, " x "));
    for (int p = 0; p < reduced->game.num_players(); ++p) {
      out += fmt::format("  {}: {}\n", reduced->game.player_name(p),
                         fmt::join(reduced->game.action_names(p), ", "));
    }
    out += fmt::format("Nash equilibria of the reduced normal form ({}): {}\n", nash_method,
                       nash.size());
    for (const auto& eq : nash) {
      out +=
          fmt::format("  {}  payoffs {}{}\n",
                      describe_profile(reduced->game, eq.profile, reduced->game.player_names()),
                      payoff_tuple(eq.payoffs),
                      spe ? (is_spe(eq) ? "  [subgame perfect]" : "  [not subgame perfect]") : "");
    }
  } else {
    out += fmt::format("reduced normal form: not built ({})\n", reduced_skipped);
  }
  std::cout << out;
  return exit_code;
}

}  // namespace stratagem::cli
