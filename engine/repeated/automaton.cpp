#include "stratagem/repeated/automaton.hpp"

#include <cmath>

#include <fmt/format.h>

#include "stratagem/scenario/error.hpp"

namespace stratagem {

bool Automaton::deterministic() const {
  for (const auto& mix : play) {
    for (double p : mix) {
      if (p != 0.0 && p != 1.0) return false;
    }
  }
  return true;
}

void validate(const Automaton& a, const NormalFormGame& stage) {
  const auto fail = [&](const std::string& what) {
    throw InvalidGame(fmt::format("strategy '{}': {}", a.name, what));
  };
  if (a.player < 0 || a.player >= stage.num_players()) fail("player out of range");
  if (a.states.empty()) fail("has no states");
  if (a.play.size() != a.states.size() || a.next.size() != a.states.size()) {
    fail("every state needs a move and transitions");
  }
  if (a.initial < 0 || a.initial >= a.num_states()) fail("initial state out of range");
  for (int s = 0; s < a.num_states(); ++s) {
    const auto& mix = a.play[s];
    if (static_cast<int>(mix.size()) != stage.num_actions(a.player)) {
      fail(fmt::format("state '{}' gives {} probabilities for {} moves", a.states[s], mix.size(),
                       stage.num_actions(a.player)));
    }
    double sum = 0.0;
    for (double p : mix) {
      if (!(p >= 0.0) || !std::isfinite(p)) {
        fail(fmt::format("state '{}' has a negative or non-finite probability", a.states[s]));
      }
      sum += p;
    }
    if (std::abs(sum - 1.0) > 1e-9) {
      fail(fmt::format("probabilities in state '{}' sum to {}, not 1", a.states[s], sum));
    }
    if (a.next[s].size() != stage.num_profiles()) {
      fail(fmt::format("state '{}' has transitions for {} profiles, the stage game has {}",
                       a.states[s], a.next[s].size(), stage.num_profiles()));
    }
    for (int t : a.next[s]) {
      if (t < 0 || t >= a.num_states()) {
        fail(fmt::format("state '{}' moves to a state out of range", a.states[s]));
      }
    }
  }
}

std::vector<bool> reachable_states(const Automaton& a) {
  std::vector<bool> seen(a.states.size(), false);
  std::vector<int> stack{a.initial};
  seen[a.initial] = true;
  while (!stack.empty()) {
    const int s = stack.back();
    stack.pop_back();
    for (int t : a.next[s]) {
      if (!seen[t]) {
        seen[t] = true;
        stack.push_back(t);
      }
    }
  }
  return seen;
}

const std::vector<std::string>& builtin_strategy_names() {
  static const std::vector<std::string> names{
      "always_cooperate", "always_defect",       "grim",          "tit_for_tat",
      "tit_for_two_tats", "suspicious_tft",      "win_stay_lose_shift", "generous_tft",
      "forgiving_trigger", "alternate"};
  return names;
}

namespace {

/// Builder for automata whose transitions depend only on a predicate of the profile.
struct Machine {
  const NormalFormGame& stage;
  Automaton a;

  Machine(const NormalFormGame& g, std::string name, int player) : stage(g) {
    a.name = std::move(name);
    a.player = player;
  }
  int add(const std::string& state, std::vector<double> mix) {
    a.states.push_back(state);
    a.play.push_back(std::move(mix));
    a.next.emplace_back(stage.num_profiles(), 0);
    return a.num_states() - 1;
  }
  std::vector<double> pure(int action) const {
    std::vector<double> mix(static_cast<std::size_t>(stage.num_actions(a.player)), 0.0);
    mix[action] = 1.0;
    return mix;
  }
  /// next[state][profile] = f(profile index).
  template <class F>
  void on(int state, F f) {
    for (std::size_t idx = 0; idx < stage.num_profiles(); ++idx) a.next[state][idx] = f(idx);
  }
};

}  // namespace

Automaton builtin_strategy(const std::string& name, const NormalFormGame& stage, int player,
                           const MoveRoles& roles, const BuiltinOptions& options) {
  const int n = stage.num_players();
  if (static_cast<int>(roles.cooperate.size()) != n || static_cast<int>(roles.defect.size()) != n) {
    throw InvalidGame("built-in strategies need a cooperate and a defect move for every player");
  }
  for (int p = 0; p < n; ++p) {
    if (roles.cooperate[p] == roles.defect[p]) {
      throw InvalidGame(fmt::format("player '{}': the cooperate and defect moves must differ",
                                    stage.player_name(p)));
    }
  }
  const auto others_cooperated = [&](std::size_t idx) {
    for (int q = 0; q < n; ++q) {
      if (q != player && stage.action_of(idx, q) != roles.cooperate[q]) return false;
    }
    return true;
  };
  const auto all_play = [&](std::size_t idx, const std::vector<int>& moves) {
    for (int q = 0; q < n; ++q) {
      if (stage.action_of(idx, q) != moves[q]) return false;
    }
    return true;
  };
  const int c = roles.cooperate[player], d = roles.defect[player];
  Machine m(stage, name, player);
  if (name == "always_cooperate" || name == "always_defect") {
    const int s = m.add(name == "always_cooperate" ? "cooperate" : "defect",
                        m.pure(name == "always_cooperate" ? c : d));
    m.on(s, [&](std::size_t) { return s; });
  } else if (name == "grim") {
    const int coop = m.add("cooperate", m.pure(c));
    const int punish = m.add("punish", m.pure(d));
    // Triggered by anyone's deviation, own included, so the punishment is mutual and credible.
    m.on(coop, [&](std::size_t idx) { return all_play(idx, roles.cooperate) ? coop : punish; });
    m.on(punish, [&](std::size_t) { return punish; });
  } else if (name == "tit_for_tat" || name == "suspicious_tft" || name == "generous_tft") {
    const int coop = m.add("cooperate", m.pure(c));
    std::vector<double> retaliate = m.pure(d);
    if (name == "generous_tft") {
      if (!(options.generosity >= 0.0 && options.generosity <= 1.0)) {
        throw InvalidGame("generous_tft: generosity must be in [0, 1]");
      }
      retaliate[c] = options.generosity;
      retaliate[d] = 1.0 - options.generosity;
    }
    const int def = m.add("defect", retaliate);
    for (int s : {coop, def}) m.on(s, [&](std::size_t idx) { return others_cooperated(idx) ? coop : def; });
    if (name == "suspicious_tft") m.a.initial = def;
  } else if (name == "tit_for_two_tats") {
    const int calm = m.add("cooperate", m.pure(c));
    const int wary = m.add("one_defection", m.pure(c));
    const int def = m.add("defect", m.pure(d));
    m.on(calm, [&](std::size_t idx) { return others_cooperated(idx) ? calm : wary; });
    m.on(wary, [&](std::size_t idx) { return others_cooperated(idx) ? calm : def; });
    m.on(def, [&](std::size_t idx) { return others_cooperated(idx) ? calm : def; });
  } else if (name == "win_stay_lose_shift") {
    const int coop = m.add("cooperate", m.pure(c));
    const int def = m.add("defect", m.pure(d));
    // Pavlov on realised moves: repeat the move just played when the others cooperated (a win),
    // switch from it otherwise.
    const auto pavlov = [&](std::size_t idx) {
      const bool played_c = stage.action_of(idx, player) == c;
      return others_cooperated(idx) == played_c ? coop : def;
    };
    m.on(coop, pavlov);
    m.on(def, pavlov);
  } else if (name == "forgiving_trigger") {
    if (options.k < 1) throw InvalidGame("forgiving_trigger: k must be at least 1");
    const int coop = m.add("cooperate", m.pure(c));
    std::vector<int> punish;
    for (int r = 1; r <= options.k; ++r) punish.push_back(m.add(fmt::format("punish_{}", r), m.pure(d)));
    m.on(coop, [&](std::size_t idx) { return all_play(idx, roles.cooperate) ? coop : punish[0]; });
    for (int r = 0; r < options.k; ++r) {
      const int after = r + 1 < options.k ? punish[r + 1] : coop;
      m.on(punish[r], [&](std::size_t idx) { return all_play(idx, roles.defect) ? after : punish[0]; });
    }
  } else if (name == "alternate") {
    const int coop = m.add("cooperate", m.pure(c));
    const int def = m.add("defect", m.pure(d));
    m.on(coop, [&](std::size_t) { return def; });
    m.on(def, [&](std::size_t) { return coop; });
  } else {
    throw InvalidGame(fmt::format("unknown built-in strategy '{}'{}", name,
                                  did_you_mean(name, builtin_strategy_names())));
  }
  validate(m.a, stage);
  return m.a;
}

}  // namespace stratagem
