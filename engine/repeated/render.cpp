// Text and JSON renderings of repeated-game analyses, and the explanation for students.
#include <cmath>

#include <fmt/format.h>

#include "stratagem/io/report.hpp"
#include "stratagem/repeated/analysis.hpp"

namespace stratagem {
namespace {

/// A boundary found by bisection: shown as a small fraction when one lies within 1e-8.
std::string format_delta(double x) {
  for (long long q = 1; q <= 100; ++q) {
    const double p = std::round(x * static_cast<double>(q));
    if (std::abs(x - p / static_cast<double>(q)) < 1e-8) return format_number(p / static_cast<double>(q));
  }
  return fmt::format("{:.6f}", x);
}

std::string delta_set_text(const DeltaSet& set) {
  if (set.empty()) return "for no discount factor below 1";
  std::vector<std::string> parts;
  for (std::size_t i = 0; i < set.intervals.size(); ++i) {
    const auto [lo, hi] = set.intervals[i];
    // Exact fractions where the boundary was confirmed in rational arithmetic.
    const std::string lo_exact = i < set.exact.size() ? set.exact[i].first : std::string();
    const std::string hi_exact = i < set.exact.size() ? set.exact[i].second : std::string();
    const std::string left =
        lo <= 1e-9 ? "(0" : "[" + (lo_exact.empty() ? format_delta(lo) : lo_exact);
    parts.push_back(fmt::format("{}, {}", left,
                                hi >= 1.0 ? std::string("1)")
                                          : (hi_exact.empty() ? format_delta(hi) : hi_exact) + "]"));
  }
  return fmt::format("for delta in {}", fmt::join(parts, " and "));
}

nlohmann::json delta_set_json(const std::optional<DeltaSet>& set) {
  if (!set) return nullptr;
  auto intervals = nlohmann::json::array();
  for (const auto& [lo, hi] : set->intervals) intervals.push_back({lo, hi});
  nlohmann::json j{{"intervals", intervals}};
  j["critical"] = set->critical() ? nlohmann::json(*set->critical()) : nlohmann::json("never");
  // Endpoints confirmed as exact fractions ("1/2"); null where only the double is known.
  auto exact = nlohmann::json::array();
  for (const auto& [lo, hi] : set->exact) {
    exact.push_back({lo.empty() ? nlohmann::json(nullptr) : nlohmann::json(lo),
                     hi.empty() ? nlohmann::json(nullptr) : nlohmann::json(hi)});
  }
  j["intervals_exact"] = exact;
  if (!set->exact.empty() && !set->exact.front().first.empty()) {
    j["critical_exact"] = set->exact.front().first;
  }
  return j;
}

std::string move_names(const NormalFormGame& stage, const std::vector<int>& actions) {
  return profile_label(stage, actions);
}

std::string deviation_text(const Deviation& d, const AutomatonProfile& profile,
                           const NormalFormGame& stage, const std::vector<std::string>& labels) {
  return fmt::format("in state {}{}, {} gains {} by playing {} instead",
                     joint_state_label(profile, d.state), d.on_path ? " (on the path of play)" : "",
                     labels[d.player], format_payoff(d.gain), stage.action_name(d.player, d.action));
}

nlohmann::json check_json(const ProfileCheck& c, const AutomatonProfile& profile,
                          const NormalFormGame& stage) {
  auto devs = nlohmann::json::array();
  for (const auto& d : c.deviations) {
    devs.push_back({{"state", joint_state_label(profile, d.state)},
                    {"player", stage.player_name(d.player)},
                    {"move", stage.action_name(d.player, d.action)},
                    {"gain", d.gain},
                    {"immediate", d.immediate},
                    {"continuation_loss", d.continuation_loss},
                    {"on_path", d.on_path}});
  }
  return {{"subgame_perfect", c.subgame_perfect}, {"nash", c.nash}, {"payoffs", c.payoffs},
          {"best_response_values", c.best_response_values}, {"deviations", devs}};
}

nlohmann::json shares_json(const JointChain& chain, const LongRun& lr, const AutomatonProfile& profile) {
  auto shares = nlohmann::json::object();
  for (std::size_t i = 0; i < chain.states.size(); ++i) {
    shares[joint_state_label(profile, chain.states[i])] = lr.share[i];
  }
  return shares;
}

std::string shares_text(const JointChain& chain, const LongRun& lr, const AutomatonProfile& profile) {
  std::vector<std::string> parts;
  for (std::size_t i = 0; i < chain.states.size(); ++i) {
    if (lr.share[i] < 5e-5) continue;
    parts.push_back(fmt::format("{} {:.1f}%", joint_state_label(profile, chain.states[i]), 100 * lr.share[i]));
  }
  return fmt::format("{}", fmt::join(parts, ", "));
}

/// The path with runs collapsed: "(c, c) x3 (d, d) x5".
std::string path_text(const NormalFormGame& stage, const std::vector<std::vector<int>>& path) {
  std::vector<std::string> parts;
  for (std::size_t i = 0; i < path.size();) {
    std::size_t j = i;
    while (j < path.size() && path[j] == path[i]) ++j;
    parts.push_back(j - i > 1 ? fmt::format("{} x{}", move_names(stage, path[i]), j - i)
                              : move_names(stage, path[i]));
    i = j;
  }
  return fmt::format("{}", fmt::join(parts, ", "));
}

std::string payoff_list(const std::vector<double>& v, const std::vector<std::string>& labels) {
  std::vector<std::string> parts;
  for (std::size_t p = 0; p < v.size(); ++p) parts.push_back(fmt::format("{} {}", labels[p], format_payoff(v[p])));
  return fmt::format("{}", fmt::join(parts, ", "));
}

}  // namespace

nlohmann::json to_json(const ProfileAnalysis& a, const NormalFormGame& stage) {
  nlohmann::json j;
  j["name"] = a.name;
  auto strategies = nlohmann::json::array();
  for (const auto& aut : a.profile) strategies.push_back(aut.name);
  j["strategies"] = strategies;
  j["discount"] = a.discount;
  j["payoffs"] = a.payoffs;
  j["limit_of_means"] = a.long_run.payoffs;
  j["long_run_shares"] = shares_json(a.chain, a.long_run, a.profile);
  j["check"] = check_json(a.check, a.profile, stage);
  j["subgame_perfect_deltas"] = delta_set_json(a.spe_deltas);
  j["nash_deltas"] = delta_set_json(a.nash_deltas);
  auto path = nlohmann::json::array();
  for (const auto& p : a.path) path.push_back(move_names(stage, p));
  j["path"] = path;
  if (a.finite) {
    j["finite_horizon"] = {{"payoffs", a.finite->payoffs}, {"subgame_perfect", a.finite->subgame_perfect}};
    if (a.finite->unique_stage_equilibrium) {
      j["finite_horizon"]["backward_induction_outcome"] = move_names(stage, *a.finite->unique_stage_equilibrium);
    }
  }
  if (a.noise > 0.0) {
    j["noise"] = {{"probability", a.noise},
                  {"payoffs", a.noisy_payoffs},
                  {"limit_of_means", a.noisy_long_run.payoffs},
                  {"long_run_shares", shares_json(a.noisy_chain, a.noisy_long_run, a.profile)},
                  {"check", check_json(*a.noisy_check, a.profile, stage)}};
  }
  return j;
}

nlohmann::json to_json(const StageFacts& f, const NormalFormGame& stage) {
  auto minmax = nlohmann::json::object();
  for (int p = 0; p < stage.num_players(); ++p) {
    const auto& v = f.minmax[p];
    auto punish = nlohmann::json::object();
    for (int q = 0; q < stage.num_players(); ++q) {
      if (q == p) continue;
      auto mix = nlohmann::json::object();
      for (int a = 0; a < stage.num_actions(q); ++a) {
        if (v.mixed_punishment(q, a) > 1e-12) mix[stage.action_name(q, a)] = v.mixed_punishment(q, a);
      }
      punish[stage.player_name(q)] = mix;
    }
    minmax[stage.player_name(p)] = {{"pure", v.pure}, {"mixed", v.mixed},
                                    {"pure_punishment", profile_label(stage, v.pure_punishment)},
                                    {"mixed_punishment", punish}, {"correlated", v.correlated}};
  }
  return {{"minmax", minmax}, {"feasible_vertices", f.region.feasible},
          {"individually_rational_vertices", f.region.individually_rational}};
}

std::string render_text(const StageFacts& f, const NormalFormGame& stage,
                        const std::vector<std::string>& labels) {
  std::string out = "Minmax values (what the others can hold each actor to):\n";
  for (int p = 0; p < stage.num_players(); ++p) {
    const auto& v = f.minmax[p];
    out += fmt::format("  {}: pure {} (the others play {}), mixed {}{}\n", labels[p], format_payoff(v.pure),
                       profile_label(stage, v.pure_punishment), format_payoff(v.mixed),
                       v.correlated ? " (others' joint mixing: a lower bound)" : "");
  }
  const auto points = [](const std::vector<std::vector<double>>& vs) {
    std::vector<std::string> parts;
    for (const auto& v : vs) {
      std::vector<std::string> xs;
      for (double x : v) xs.push_back(format_payoff(x));
      parts.push_back(fmt::format("({})", fmt::join(xs, ", ")));
    }
    return parts.empty() ? std::string("empty") : fmt::format("{}", fmt::join(parts, " "));
  };
  out += fmt::format("Feasible payoffs: convex hull of {}\n", points(f.region.feasible));
  out += fmt::format("Folk-theorem region (feasible, every actor above its minmax): {}\n",
                     stage.num_players() == 2 ? "polygon " + points(f.region.individually_rational)
                                              : "vertices " + points(f.region.individually_rational));
  return out;
}

std::string render_text(const ProfileAnalysis& a, const NormalFormGame& stage,
                        const std::vector<std::string>& labels) {
  std::vector<std::string> who;
  for (std::size_t p = 0; p < a.profile.size(); ++p) who.push_back(fmt::format("{} plays {}", labels[p], a.profile[p].name));
  std::string out = fmt::format("Profile '{}': {}\n", a.name, fmt::join(who, "; "));
  out += fmt::format("  path of play (first {} rounds): {}, ...\n", a.path.size(), path_text(stage, a.path));
  std::vector<std::string> ds;
  for (double d : a.discount) ds.push_back(format_payoff(d));
  out += fmt::format("  payoffs (normalised, discount {}): {}\n", fmt::join(ds, "/"), payoff_list(a.payoffs, labels));
  out += fmt::format("  long run: {} (time shares: {})\n", payoff_list(a.long_run.payoffs, labels),
                     shares_text(a.chain, a.long_run, a.profile));
  out += fmt::format("  at this discount: {} subgame perfect, {} a Nash equilibrium\n",
                     a.check.subgame_perfect ? "IS" : "is NOT", a.check.nash ? "IS" : "is NOT");
  for (std::size_t k = 0; k < a.check.deviations.size() && k < 5; ++k) {
    out += "    profitable deviation: " + deviation_text(a.check.deviations[k], a.profile, stage, labels) + "\n";
  }
  if (a.check.deviations.size() > 5) out += fmt::format("    ... and {} more\n", a.check.deviations.size() - 5);
  if (a.spe_deltas) out += fmt::format("  subgame perfect {}\n", delta_set_text(*a.spe_deltas));
  if (a.nash_deltas) out += fmt::format("  Nash equilibrium {}\n", delta_set_text(*a.nash_deltas));
  if (a.finite) {
    out += fmt::format("  finite horizon: payoffs {}; following the automata {} subgame perfect\n",
                       payoff_list(a.finite->payoffs, labels), a.finite->subgame_perfect ? "IS" : "is NOT");
    if (a.finite->unique_stage_equilibrium) {
      out += fmt::format("    backward induction: the stage game's unique equilibrium {} is played in every round\n",
                         move_names(stage, *a.finite->unique_stage_equilibrium));
    }
  }
  if (a.noise > 0.0) {
    out += fmt::format("  with noise {}: payoffs {}; long run {}\n", format_payoff(a.noise),
                       payoff_list(a.noisy_payoffs, labels), payoff_list(a.noisy_long_run.payoffs, labels));
    out += fmt::format("    time shares: {}\n", shares_text(a.noisy_chain, a.noisy_long_run, a.profile));
    const auto verdict = [](bool before, bool after) {
      if (after) return before ? "still IS" : "now IS";
      return before ? "is NO LONGER" : "is NOT";
    };
    out += fmt::format("    under noise it {} subgame perfect and {} a Nash equilibrium\n",
                       verdict(a.check.subgame_perfect, a.noisy_check->subgame_perfect),
                       verdict(a.check.nash, a.noisy_check->nash));
  }
  return out;
}

std::string explain_profile(const ProfileAnalysis& a, const NormalFormGame& stage,
                            const std::vector<std::string>& labels) {
  std::string out = fmt::format("Profile '{}'\n", a.name);
  out += fmt::format("  Followed by everyone, play goes {}, ..., worth {} per round on average "
                     "(normalised discounted payoffs).\n", path_text(stage, a.path), payoff_list(a.payoffs, labels));
  out += "  A profile of strategies is self-enforcing (subgame perfect) when, in every state the "
         "automata can reach, nobody gains by deviating for one round and then following their "
         "strategy again (the one-shot deviation principle).\n";
  if (!a.spe_deltas) return out;
  const auto critical = a.spe_deltas->critical();
  if (!critical) {
    out += "  It is self-enforcing for no discount factor below 1.\n";
  } else {
    out += fmt::format("  It is self-enforcing {}.\n", delta_set_text(*a.spe_deltas));
  }
  // Explain the binding deviation just below the critical discount factor (or at the file's).
  const double probe = critical && *critical > 1e-6 ? std::max(1e-6, *critical - 1e-4) : a.discount[0];
  const ProfileCheck below = check_profile(stage, a.profile, std::vector<double>(a.profile.size(), probe));
  if (!below.deviations.empty()) {
    const Deviation& d = below.deviations.front();
    const double loss_per_delta = d.continuation_loss / probe;
    out += fmt::format("  The binding temptation: {}.\n", deviation_text(d, a.profile, stage, labels));
    out += fmt::format("    In the deviation round {} gets {} more; afterwards the strategies' reaction "
                       "costs {} of normalised continuation value (times delta).\n",
                       labels[d.player], format_payoff(d.immediate), format_payoff(loss_per_delta));
    out += "    The deviation pays iff (1 - delta) x gain now > delta x loss later.\n";
    if (critical) {
      // When the loss does not depend on delta (trigger strategies), the threshold is closed form.
      const ProfileCheck near1 = check_profile(stage, a.profile, std::vector<double>(a.profile.size(), probe / 2));
      bool constant = false;
      for (const auto& e : near1.deviations) {
        if (e.state == d.state && e.player == d.player && e.action == d.action) {
          constant = std::abs(e.continuation_loss / (probe / 2) - loss_per_delta) < 1e-9 * (1 + std::abs(loss_per_delta));
        }
      }
      if (constant && d.immediate > 0 && loss_per_delta > 0) {
        out += fmt::format("    Here the loss is the same for every delta, so it holds iff delta >= gain / "
                           "(gain + loss) = {} / ({} + {}) = {}.\n", format_payoff(d.immediate),
                           format_payoff(d.immediate), format_payoff(loss_per_delta),
                           format_number(d.immediate / (d.immediate + loss_per_delta)));
      } else {
        out += fmt::format("    The two sides balance at delta = {}.\n", format_delta(*critical));
      }
    }
  } else if (!critical) {
    out += "  (No single deviation is profitable at the discount probed.)\n";
  }
  if (a.nash_deltas) {
    out += fmt::format("  As a Nash equilibrium (ignoring threats that would not be carried out) it "
                       "holds {}.\n", delta_set_text(*a.nash_deltas));
  }
  out += fmt::format("  At the scenario's discount ({}), it {} subgame perfect.\n", format_payoff(a.discount[0]),
                     a.check.subgame_perfect ? "is" : "is not");
  return out;
}

}  // namespace stratagem
