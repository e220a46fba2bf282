#include <algorithm>

#include <fmt/format.h>

#include "stratagem/io/report.hpp"
#include "stratagem/solve/dominance.hpp"
#include "stratagem/solve/pure.hpp"
#include "stratagem/solve/support.hpp"

namespace stratagem {
namespace {

/// "a (3), b (1)" over actions `list` of `player` with values.
std::string valued_list(const NormalFormGame& game, int player, const std::vector<int>& list,
                        const std::vector<double>& values) {
  std::vector<std::string> parts;
  for (int a : list) parts.push_back(fmt::format("{} ({})", game.action_name(player, a), format_payoff(values[a])));
  return fmt::format("{}", fmt::join(parts, ", "));
}

void explain_best_replies(const NormalFormGame& game, const std::vector<std::string>& labels,
                          std::string& out) {
  out += "Best replies\n";
  for (int p = 0; p < 2; ++p) {
    const int other = 1 - p;
    for (int b = 0; b < game.num_actions(other); ++b) {
      std::vector<int> fixed(2, 0);
      fixed[other] = b;
      std::vector<double> values;
      for (int a = 0; a < game.num_actions(p); ++a) {
        fixed[p] = a;
        values.push_back(game.payoff(p, game.index(fixed)));
      }
      const double best = *std::max_element(values.begin(), values.end());
      std::vector<int> best_list, rest;
      for (int a = 0; a < game.num_actions(p); ++a) (values[a] == best ? best_list : rest).push_back(a);
      out += fmt::format("  If {} plays {}, {}'s best {} {}", labels[other],
                         game.action_name(other, b), labels[p],
                         best_list.size() > 1 ? "replies (a tie) are" : "reply is",
                         valued_list(game, p, best_list, values));
      if (!rest.empty()) out += fmt::format("; worse: {}", valued_list(game, p, rest, values));
      out += ".\n";
    }
  }
  out += "\n";
}

void explain_dominance(const NormalFormGame& game, const std::vector<std::string>& labels,
                       std::string& out) {
  const DominanceResult dom = eliminate_dominated(game, false);
  out += "Dominance\n";
  if (dom.steps.empty()) {
    out += "  No move is strictly dominated by another move: every move is a best reply to something\n"
           "  or at least not always beaten, so dominance alone does not settle this game.\n\n";
    return;
  }
  for (const auto& s : dom.steps) {
    out += fmt::format(
        "  Round {}: {}'s {} is strictly dominated by {}: whatever the others still play, {} pays "
        "{} more, so a rational {} never plays {}.\n",
        s.round, labels[s.player], game.action_name(s.player, s.action),
        game.action_name(s.player, s.by), game.action_name(s.player, s.by), labels[s.player],
        labels[s.player], game.action_name(s.player, s.action));
  }
  std::vector<std::string> parts;
  for (int p = 0; p < game.num_players(); ++p) {
    std::vector<std::string> names;
    for (int a : dom.survivors[p]) names.push_back(game.action_name(p, a));
    parts.push_back(fmt::format("{}: {}", labels[p], fmt::join(names, ", ")));
  }
  out += fmt::format("  What survives: {}.\n\n", fmt::join(parts, "; "));
}

void explain_pure(const NormalFormGame& game, const std::vector<std::string>& labels,
                  const std::vector<Equilibrium>& pure, std::string& out) {
  out += "Pure equilibria\n";
  if (pure.empty()) {
    out += "  None: at every profile at least one actor gains by switching moves.\n\n";
    return;
  }
  for (const auto& eq : pure) {
    std::vector<int> actions;
    (void)eq.profile.is_pure(1e-12, &actions);
    out += fmt::format("  {} is an equilibrium because no actor gains by switching alone:\n",
                       profile_label(game, actions));
    for (int p = 0; p < game.num_players(); ++p) {
      const auto values = action_values(game, eq.profile, p);
      std::vector<int> others;
      for (int a = 0; a < game.num_actions(p); ++a) {
        if (a != actions[p]) others.push_back(a);
      }
      out += fmt::format("    {} gets {} from {}", labels[p], format_payoff(values[actions[p]]),
                         game.action_name(p, actions[p]));
      if (!others.empty()) out += fmt::format("; switching would give {}", valued_list(game, p, others, values));
      out += ".\n";
    }
  }
  out += "\n";
}

void explain_mixed(const NormalFormGame& game, const std::vector<std::string>& labels,
                   const std::vector<Equilibrium>& all, std::string& out) {
  bool any = false;
  for (const auto& eq : all) {
    if (eq.pure) continue;
    if (!any) out += "Mixed equilibria\n";
    any = true;
    out += fmt::format("  {}\n", describe_profile(game, eq.profile, labels));
    for (int p = 0; p < 2; ++p) {
      const auto support = eq.profile.support(p);
      if (support.size() < 2) continue;
      const auto values = action_values(game, eq.profile, p);
      out += fmt::format(
          "    {} mixes, so {} must be indifferent among {}: each pays {} against the other's "
          "mixture.\n",
          labels[p], labels[p], valued_list(game, p, support, values),
          format_payoff(values[support.front()]));
    }
    out += "    Each actor's mixture is exactly what keeps the other indifferent; neither can gain "
           "by changing it.\n";
  }
  if (any) out += "\n";
}

}  // namespace

std::string explain_game(const NormalFormGame& game, const std::vector<std::string>& labels) {
  std::string out;
  SolveContext context;
  if (game.num_players() == 2) explain_best_replies(game, labels, out);
  explain_dominance(game, labels, out);
  const auto pure = solve_pure(game, {}, context);
  explain_pure(game, labels, pure, out);
  if (game.num_players() == 2) {
    const auto all = solve_support(game, {}, context);
    explain_mixed(game, labels, all, out);
    out += fmt::format("In all, the game has {} equilibri{} found by support enumeration ({} pure).\n",
                       all.size(), all.size() == 1 ? "um" : "a", pure.size());
  }
  return out;
}

}  // namespace stratagem
