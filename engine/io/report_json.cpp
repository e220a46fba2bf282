#include "stratagem/io/report.hpp"

namespace stratagem {
namespace {

const char* status_name(SolveStatus s) {
  switch (s) {
    case SolveStatus::kOk: return "ok";
    case SolveStatus::kCancelled: return "cancelled";
    case SolveStatus::kLimitReached: return "limit_reached";
    case SolveStatus::kFailed: return "failed";
  }
  return "unknown";
}

nlohmann::json equilibrium_json(const NormalFormGame& game, const Equilibrium& eq) {
  nlohmann::json j;
  j["method"] = eq.method;
  auto strategies = nlohmann::json::array();
  auto named = nlohmann::json::object();
  for (int p = 0; p < game.num_players(); ++p) {
    const auto probs = eq.profile.probabilities(p);
    strategies.push_back(std::vector<double>(probs.begin(), probs.end()));
    auto moves = nlohmann::json::object();
    for (int a = 0; a < game.num_actions(p); ++a) {
      if (probs[a] != 0.0) moves[game.action_name(p, a)] = probs[a];
    }
    named[game.player_name(p)] = moves;
  }
  j["strategies"] = strategies;
  if (eq.exact) j["exact"] = *eq.exact;
  j["named"] = named;
  j["payoffs"] = eq.payoffs;
  j["max_regret"] = eq.max_regret;
  j["pure"] = eq.pure;
  return j;
}

}  // namespace

nlohmann::json report_to_json(const Report& report) {
  const NormalFormGame& game = *report.game;
  nlohmann::json j;
  j["stratagem"] = 1;
  j["source"] = report.source;
  j["parameters"] = nlohmann::json::object();
  for (const auto& [name, value] : report.parameters) j["parameters"][name] = value;
  auto actions = nlohmann::json::array();
  for (int p = 0; p < game.num_players(); ++p) actions.push_back(game.action_names(p));
  j["game"] = {{"type", "normal"}, {"players", game.player_names()}, {"actions", actions}};
  auto equilibria = nlohmann::json::array();
  auto analyses = nlohmann::json::object();
  for (const auto& [method, result] : report.results) {
    for (const auto& eq : result.equilibria) equilibria.push_back(equilibrium_json(game, eq));
    for (const auto& analysis : result.analyses) analyses[analysis.key] = analysis.data;
    if (result.status != SolveStatus::kOk) {
      analyses["status"][method] = {{"status", status_name(result.status)},
                                    {"message", result.message}};
    }
  }
  j["equilibria"] = equilibria;
  j["analyses"] = analyses;
  return j;
}

}  // namespace stratagem
