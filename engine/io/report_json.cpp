#include "stratagem/io/report.hpp"
#include "stratagem/io/tree_report.hpp"

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
  nlohmann::json j;
  j["stratagem"] = 1;
  j["source"] = report.source;
  j["parameters"] = nlohmann::json::object();
  for (const auto& [name, value] : report.parameters) j["parameters"][name] = value;
  nlohmann::json strategic;
  if (report.game != nullptr) {
    const NormalFormGame& game = *report.game;
    auto actions = nlohmann::json::array();
    for (int p = 0; p < game.num_players(); ++p) actions.push_back(game.action_names(p));
    strategic = {{"players", game.player_names()}, {"actions", actions}};
  }
  if (report.tree != nullptr) {
    j["game"] = tree_to_json(*report.tree);
    j["game"]["reduced_normal_form"] = strategic;  // null when too large to build
  } else {
    j["game"] = {{"type", "normal"}};
    j["game"].update(strategic);
  }
  auto equilibria = nlohmann::json::array();
  auto analyses = nlohmann::json::object();
  const auto add_status = [&](const std::string& method, SolveStatus status,
                              const std::string& message) {
    if (status != SolveStatus::kOk) {
      analyses["status"][method] = {{"status", status_name(status)}, {"message", message}};
    }
  };
  for (const auto& [method, result] : report.tree_results) {
    for (const auto& eq : result.equilibria) {
      equilibria.push_back(behaviour_equilibrium_json(*report.tree, method, eq));
    }
    for (const auto& analysis : result.analyses) analyses[analysis.key] = analysis.data;
    add_status(method, result.status, result.message);
  }
  for (const auto& [method, result] : report.results) {
    for (const auto& eq : result.equilibria) {
      auto e = equilibrium_json(*report.game, eq);
      if (report.tree != nullptr) e["form"] = "reduced_normal_form";
      equilibria.push_back(std::move(e));
    }
    for (const auto& analysis : result.analyses) analyses[analysis.key] = analysis.data;
    add_status(method, result.status, result.message);
  }
  j["equilibria"] = equilibria;
  j["analyses"] = analyses;
  return j;
}

}  // namespace stratagem
