#include "stratagem/solve/dominance.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace stratagem {
namespace {

/// Compares two actions of `player` over every combination of the others' surviving actions.
/// Returns whether `b` dominates `a` (strictly, or weakly when `weak`).
bool dominates(const NormalFormGame& game, const std::vector<std::vector<int>>& alive, int player,
               int b, int a, bool weak) {
  const int n = game.num_players();
  std::vector<std::size_t> pos(static_cast<std::size_t>(n), 0);
  const auto payoffs = game.payoffs(player);
  bool strictly_somewhere = false;
  while (true) {
    std::size_t base = 0;
    for (int q = 0; q < n; ++q) {
      if (q == player) continue;
      base += static_cast<std::size_t>(alive[q][pos[q]]) * game.stride(q);
    }
    const double ua = payoffs[base + static_cast<std::size_t>(a) * game.stride(player)];
    const double ub = payoffs[base + static_cast<std::size_t>(b) * game.stride(player)];
    if (weak) {
      if (ub < ua) return false;
      if (ub > ua) strictly_somewhere = true;
    } else if (!(ub > ua)) {
      return false;
    }
    int q = 0;
    for (; q < n; ++q) {  // odometer over the others' surviving actions
      if (q == player) continue;
      if (++pos[q] < alive[q].size()) break;
      pos[q] = 0;
    }
    if (q == n) break;
  }
  return weak ? strictly_somewhere : true;
}

}  // namespace

NormalFormGame restrict_game(const NormalFormGame& game,
                             const std::vector<std::vector<int>>& actions) {
  std::vector<std::vector<std::string>> labels;
  for (int p = 0; p < game.num_players(); ++p) {
    std::vector<std::string> names;
    for (int a : actions[p]) names.push_back(game.action_name(p, a));
    labels.push_back(std::move(names));
  }
  NormalFormBuilder builder(game.player_names(), std::move(labels));
  builder.set_title(game.title());
  const NormalFormGame& shell = builder.peek();
  std::vector<double> payoffs(static_cast<std::size_t>(game.num_players()));
  for (std::size_t idx = 0; idx < builder.num_profiles(); ++idx) {
    const auto reduced = shell.profile(idx);
    std::vector<int> original(reduced.size());
    for (std::size_t p = 0; p < reduced.size(); ++p) original[p] = actions[p][reduced[p]];
    const std::size_t src = game.index(original);
    for (int p = 0; p < game.num_players(); ++p) payoffs[p] = game.payoff(p, src);
    builder.set_payoffs(idx, payoffs);
  }
  return std::move(builder).build();
}

DominanceResult eliminate_dominated(const NormalFormGame& game, bool weak) {
  const int n = game.num_players();
  std::vector<std::vector<int>> alive(static_cast<std::size_t>(n));
  for (int p = 0; p < n; ++p) {
    for (int a = 0; a < game.num_actions(p); ++a) alive[p].push_back(a);
  }
  std::vector<DominanceStep> steps;
  for (int round = 1;; ++round) {
    std::vector<DominanceStep> removed;
    for (int p = 0; p < n; ++p) {
      if (alive[p].size() < 2) continue;
      std::vector<bool> dominated(alive[p].size(), false);
      std::vector<int> by(alive[p].size(), -1);
      for (std::size_t i = 0; i < alive[p].size(); ++i) {
        for (std::size_t j = 0; j < alive[p].size(); ++j) {
          if (i == j) continue;
          if (dominates(game, alive, p, alive[p][j], alive[p][i], weak)) {
            dominated[i] = true;
            by[i] = static_cast<int>(j);
            break;
          }
        }
      }
      // Name a dominator that itself survives this round where one exists.
      for (std::size_t i = 0; i < alive[p].size(); ++i) {
        if (!dominated[i]) continue;
        for (std::size_t j = 0; j < alive[p].size(); ++j) {
          if (j != i && !dominated[j] &&
              dominates(game, alive, p, alive[p][j], alive[p][i], weak)) {
            by[i] = static_cast<int>(j);
            break;
          }
        }
        const bool strict = !weak || dominates(game, alive, p, alive[p][by[i]], alive[p][i], false);
        removed.push_back({round, p, alive[p][i], alive[p][by[i]], strict});
      }
    }
    if (removed.empty()) break;
    for (const auto& step : removed) {
      auto& list = alive[step.player];
      list.erase(std::find(list.begin(), list.end(), step.action));
    }
    steps.insert(steps.end(), removed.begin(), removed.end());
  }
  return {std::move(steps), alive, restrict_game(game, alive)};
}

void register_dominance(SolverRegistry& registry) {
  registry.add({
      .name = "dominance",
      .summary = "iterated elimination of actions dominated by pure actions (strict; --weak)",
      .applies_to = "any normal-form game, any number of players",
      .check = [](const NormalFormGame&) -> std::optional<std::string> { return std::nullopt; },
      .solve =
          [](const NormalFormGame& game, const SolveOptions& options, SolveContext&) {
            const DominanceResult dom = eliminate_dominated(game, options.weak_dominance);
            const char* kind = options.weak_dominance ? "weakly" : "strictly";
            Analysis analysis{.key = "dominance", .data = nlohmann::json::object(), .text = {}};
            analysis.data["weak"] = options.weak_dominance;
            auto steps = nlohmann::json::array();
            for (const auto& s : dom.steps) {
              steps.push_back({{"round", s.round},
                               {"player", game.player_name(s.player)},
                               {"action", game.action_name(s.player, s.action)},
                               {"dominated_by", game.action_name(s.player, s.by)},
                               {"strict", s.strict}});
              analysis.text.push_back(fmt::format(
                  "round {}: {}'s '{}' is {} dominated by '{}'", s.round,
                  game.player_name(s.player), game.action_name(s.player, s.action),
                  s.strict ? "strictly" : "weakly", game.action_name(s.player, s.by)));
            }
            analysis.data["steps"] = steps;
            auto survivors = nlohmann::json::object();
            bool single = true;
            for (int p = 0; p < game.num_players(); ++p) {
              auto names = nlohmann::json::array();
              for (int a : dom.survivors[p]) names.push_back(game.action_name(p, a));
              survivors[game.player_name(p)] = names;
              single = single && dom.survivors[p].size() == 1;
            }
            analysis.data["survivors"] = survivors;
            if (dom.steps.empty()) {
              analysis.text.push_back(fmt::format("no action is {} dominated", kind));
            }
            SolveResult result;
            if (single) {
              std::vector<int> actions;
              for (const auto& s : dom.survivors) actions.push_back(s.front());
              analysis.text.push_back(fmt::format(
                  "one profile survives, {}: it is {} Nash equilibrium",
                  profile_label(game, actions),
                  options.weak_dominance ? "a" : "the unique"));
              result.equilibria.push_back(make_equilibrium(
                  game, "dominance", MixedProfile::pure(game.shape(), actions)));
            }
            result.analyses.push_back(std::move(analysis));
            return result;
          },
  });
}

}  // namespace stratagem
