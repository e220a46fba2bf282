// Evaluating one sweep point and rendering it for the sinks (CSV, JSON Lines).
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <optional>
#include <stdexcept>

#include "stratagem/game/tree.hpp"
#include "stratagem/sweep/sweep.hpp"

namespace stratagem {
namespace {

/// Probabilities at or below this are treated as zero (solver round-off in degenerate games).
constexpr double kSupportTolerance = 1e-9;

/// Shortest text that reads back to the same double; -0 prints as 0.
std::string num(double x) { return fmt::format("{}", x == 0.0 ? 0.0 : x); }

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string out = "\"";
  for (const char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

SweepEquilibrium reduce(const NormalFormGame& game, const Equilibrium& eq) {
  SweepEquilibrium out;
  out.payoffs = eq.payoffs;
  out.max_regret = eq.max_regret;
  out.pure = true;
  std::vector<std::string> parts;
  for (int p = 0; p < game.num_players(); ++p) {
    auto& strategy = out.strategy.emplace_back();
    const auto probs = eq.profile.probabilities(p);
    for (int a = 0; a < game.num_actions(p); ++a) {
      if (probs[static_cast<std::size_t>(a)] > kSupportTolerance) {
        strategy.emplace_back(game.action_name(p, a), probs[static_cast<std::size_t>(a)]);
      }
    }
    out.pure = out.pure && strategy.size() == 1;
    std::vector<std::string> moves;
    for (const auto& [move, prob] : strategy) moves.push_back(move);
    parts.push_back(fmt::format("{}", fmt::join(moves, "+")));
  }
  out.label = fmt::format("{}", fmt::join(parts, "/"));
  if (!out.pure) out.label = "mixed(" + out.label + ")";
  return out;
}

std::vector<double> flat_probabilities(const SweepEquilibrium& eq) {
  std::vector<double> flat;
  for (const auto& s : eq.strategy) {
    for (const auto& [move, p] : s) flat.push_back(p);
  }
  return flat;
}

std::string regime_of(const std::vector<SweepEquilibrium>& equilibria) {
  if (equilibria.empty()) return "none";
  std::vector<std::string> labels;
  for (const auto& eq : equilibria) labels.push_back(eq.label);
  std::sort(labels.begin(), labels.end());
  labels.erase(std::unique(labels.begin(), labels.end()), labels.end());
  return fmt::format("{}", fmt::join(labels, "|"));
}

std::string point_text(const SweepPlan& plan, const std::vector<double>& values) {
  std::vector<std::string> parts;
  for (std::size_t c = 0; c < values.size(); ++c) {
    parts.push_back(fmt::format("{}={}", plan.columns()[c], num(values[c])));
  }
  return fmt::format("{}", fmt::join(parts, ", "));
}

}  // namespace

SweepPoint evaluate_point(const SweepPlan& plan, CompiledScenario& compiled, std::size_t index,
                          SolveContext& context) {
  SweepPoint point;
  point.index = index;
  point.values = plan.point(index);
  const SolverRegistry& registry = builtin_solvers();
  const bool tree_methods =
      std::any_of(plan.methods().begin(), plan.methods().end(),
                  [&](const std::string& name) { return registry.find(name)->is_tree_solver(); });
  // A tree method needs the tree; its equilibria are reported as the realization-equivalent
  // mixed strategies of the reduced normal form, like those of strategic methods on a tree.
  std::optional<GameTree> tree;
  std::optional<ReducedNormalForm> reduced;
  std::optional<NormalFormGame> bound;
  const NormalFormGame* game = nullptr;  // the reduced form of `tree`, or `bound`
  try {
    if (tree_methods) {
      tree.emplace(compiled.bind_tree(plan.bindings(point.values)));
      reduced.emplace(reduce_to_normal_form(*tree));
      game = &reduced->game;
    } else {
      game = &bound.emplace(compiled.bind(plan.bindings(point.values)));
    }
  } catch (const InputError& e) {
    throw InputError(e.mark(),
                     fmt::format("at sweep point {} ({}): {}", index,
                                 point_text(plan, point.values), e.message()),
                     e.hint());
  } catch (const InvalidGame& e) {
    throw std::runtime_error(fmt::format("at sweep point {} ({}): {}", index,
                                         point_text(plan, point.values), e.what()));
  }
  SolveOptions options;
  options.tolerance = plan.spec().tolerance;
  std::vector<Equilibrium> all;
  const auto failed = [&](const std::string& name, const std::string& message) {
    return std::runtime_error(fmt::format("{} failed at sweep point {} ({}): {}", name, index,
                                          point_text(plan, point.values), message));
  };
  for (const auto& name : plan.methods()) {
    const SolverEntry& entry = *registry.find(name);
    if (entry.is_tree_solver()) {
      TreeSolveResult result = entry.solve_tree(*tree, options, context);
      if (result.status == SolveStatus::kFailed || result.status == SolveStatus::kLimitReached) {
        throw failed(name, result.message);
      }
      for (const auto& eq : result.equilibria) {
        all.push_back(
            make_equilibrium(*game, name, reduced_mixed_profile(*reduced, *tree, eq.behaviour)));
      }
      continue;
    }
    SolveResult result = entry.solve(*game, options, context);
    if (result.status == SolveStatus::kFailed || result.status == SolveStatus::kLimitReached) {
      throw failed(name, result.message);
    }
    for (auto& eq : result.equilibria) all.push_back(std::move(eq));
  }
  all = deduplicate(std::move(all));
  for (const auto& eq : all) point.equilibria.push_back(reduce(*game, eq));
  std::sort(point.equilibria.begin(), point.equilibria.end(),
            [](const SweepEquilibrium& a, const SweepEquilibrium& b) {
              if (a.label != b.label) return a.label < b.label;
              return flat_probabilities(a) > flat_probabilities(b);
            });
  point.regime = regime_of(point.equilibria);
  return point;
}

nlohmann::ordered_json point_to_json(const SweepPlan& plan, const SweepPoint& point) {
  nlohmann::ordered_json j;
  j["point"] = point.index;
  auto params = nlohmann::ordered_json::object();
  for (std::size_t c = 0; c < point.values.size(); ++c) params[plan.columns()[c]] = point.values[c];
  j["parameters"] = std::move(params);
  j["method"] = plan.method_label();
  j["n_equilibria"] = point.equilibria.size();
  j["regime"] = point.regime;
  if (!point.error.empty()) j["error"] = point.error;
  auto eqs = nlohmann::ordered_json::array();
  for (const auto& eq : point.equilibria) {
    nlohmann::ordered_json e;
    e["label"] = eq.label;
    auto profile = nlohmann::ordered_json::object();
    auto payoffs = nlohmann::ordered_json::object();
    for (std::size_t p = 0; p < plan.actors().size(); ++p) {
      auto s = nlohmann::ordered_json::object();
      for (const auto& [move, prob] : eq.strategy[p]) s[move] = prob;
      profile[plan.actors()[p]] = std::move(s);
      payoffs[plan.actors()[p]] = eq.payoffs[p] == 0.0 ? 0.0 : eq.payoffs[p];
    }
    e["profile"] = std::move(profile);
    e["payoffs"] = std::move(payoffs);
    e["max_regret"] = eq.max_regret;
    e["pure"] = eq.pure;
    eqs.push_back(std::move(e));
  }
  j["equilibria"] = std::move(eqs);
  return j;
}

SweepPoint point_from_json(const SweepPlan& plan, const nlohmann::ordered_json& j) {
  SweepPoint point;
  point.index = j.at("point").get<std::size_t>();
  const auto& params = j.at("parameters");
  for (const auto& c : plan.columns()) point.values.push_back(params.at(c).get<double>());
  point.regime = j.at("regime").get<std::string>();
  if (j.contains("error")) point.error = j.at("error").get<std::string>();
  for (const auto& e : j.at("equilibria")) {
    SweepEquilibrium eq;
    eq.label = e.at("label").get<std::string>();
    for (const auto& actor : plan.actors()) {
      auto& s = eq.strategy.emplace_back();
      for (const auto& [move, prob] : e.at("profile").at(actor).items()) {
        s.emplace_back(move, prob.get<double>());
      }
      eq.payoffs.push_back(e.at("payoffs").at(actor).get<double>());
    }
    eq.max_regret = e.at("max_regret").get<double>();
    eq.pure = e.at("pure").get<bool>();
    point.equilibria.push_back(std::move(eq));
  }
  if (point.values.size() != plan.columns().size()) {
    throw std::runtime_error("sweep record has the wrong parameters");
  }
  return point;
}

std::string csv_header(const SweepPlan& plan) {
  std::vector<std::string> cols{"point"};
  for (const auto& c : plan.columns()) cols.push_back(c);
  for (const char* c : {"method", "n_equilibria", "eq_index", "regime"}) cols.emplace_back(c);
  for (const auto& a : plan.actors()) {
    // A profile column takes the actor's id unless that clashes with another column.
    const bool clash = std::find(cols.begin(), cols.end(), a) != cols.end() || a == "max_regret" ||
                       a.rfind("payoff_", 0) == 0;
    cols.push_back(clash ? "profile_" + a : a);
  }
  for (const auto& a : plan.actors()) cols.push_back("payoff_" + a);
  cols.emplace_back("max_regret");
  std::string out;
  for (std::size_t i = 0; i < cols.size(); ++i) out += (i ? "," : "") + csv_field(cols[i]);
  return out + "\n";
}

std::string csv_rows(const SweepPlan& plan, const SweepPoint& point) {
  std::string prefix = std::to_string(point.index);
  for (const double v : point.values) prefix += "," + num(v);
  prefix += "," + csv_field(plan.method_label()) + "," + std::to_string(point.equilibria.size());
  const std::size_t actors = plan.actors().size();
  if (point.equilibria.empty()) {
    // eq_index 0, regime, then empty profile, payoff and regret cells.
    return prefix + ",0," + csv_field(point.regime) + std::string(2 * actors + 1, ',') + "\n";
  }
  std::string out;
  for (std::size_t k = 0; k < point.equilibria.size(); ++k) {
    const auto& eq = point.equilibria[k];
    std::string row = prefix + "," + std::to_string(k + 1) + "," + csv_field(point.regime);
    for (std::size_t p = 0; p < actors; ++p) {
      const auto& s = eq.strategy[p];
      std::string cell;
      if (s.size() == 1) {
        cell = s.front().first;
      } else {
        for (std::size_t i = 0; i < s.size(); ++i) {
          cell += fmt::format("{}{}:{:.10g}", i ? ";" : "", s[i].first, s[i].second);
        }
      }
      row += "," + csv_field(cell);
    }
    for (std::size_t p = 0; p < actors; ++p) row += "," + num(eq.payoffs[p]);
    row += "," + num(eq.max_regret) + "\n";
    out += row;
  }
  return out;
}

std::string jsonl_line(const SweepPlan& plan, const SweepPoint& point) {
  return point_to_json(plan, point).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

}  // namespace stratagem
