#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "scenario/model.hpp"
#include "scenario/repeated_model.hpp"
#include "stratagem/scenario/repeated.hpp"

namespace stratagem {

using scenario_detail::Formula;
using scenario_detail::StrategySpec;

namespace {

const scenario_detail::RepeatedModel& repeated_model(const Scenario& scenario) {
  const auto& model = scenario.model();
  if (!model.repeated) {
    throw InputError({scenario.file(), 0, 0},
                     fmt::format("'{}' is a {} game, not a repeated one", scenario.file(), scenario.game_type()),
                     "use `stratagem solve` for it, or write game: {type: repeated, stage: ...}");
  }
  return *model.repeated;
}

double value_of(const Formula& f, const ParameterValues& values, const std::string& what) {
  return scenario_detail::evaluate_once(f, values, what);
}

std::vector<double> mix_of(const std::vector<std::pair<int, Formula>>& spec, int actions,
                           const ParameterValues& values, const SourceMark& where) {
  std::vector<double> mix(static_cast<std::size_t>(actions), 0.0);
  double sum = 0.0;
  for (const auto& [move, f] : spec) {
    const double p = value_of(f, values, "in a strategy's play:");
    if (!(p >= 0.0 && p <= 1.0)) {
      throw InputError(f.mark, fmt::format("probability {} is not in [0, 1]", p));
    }
    mix[move] += p;
    sum += p;
  }
  if (std::abs(sum - 1.0) > 1e-9) {
    throw InputError(where, fmt::format("the probabilities of this state's play: sum to {}, not 1", sum),
                     "make them add up to 1");
  }
  return mix;
}

Automaton custom_automaton(const StrategySpec& s, int actor, int slot, const NormalFormGame& stage,
                           const ParameterValues& values) {
  Automaton a;
  a.name = s.name;
  a.player = actor;
  a.initial = s.initial;
  for (const auto& state : s.states) {
    a.states.push_back(state.name);
    a.play.push_back(mix_of(state.play[slot], stage.num_actions(actor), values, state.mark));
  }
  const int n = stage.num_players();
  for (int k = 0; k < static_cast<int>(s.states.size()); ++k) {
    std::vector<int> next(stage.num_profiles(), k);  // no matching transition: stay
    for (std::size_t idx = 0; idx < stage.num_profiles(); ++idx) {
      for (const auto& t : s.states[k].next) {
        bool match = true;
        for (int p = 0; p < n && match; ++p) {
          const auto& allowed = t.allowed[p];
          match = allowed.empty() ||
                  std::find(allowed.begin(), allowed.end(), stage.action_of(idx, p)) != allowed.end();
        }
        if (match) {
          next[idx] = t.to;
          break;
        }
      }
    }
    a.next.push_back(std::move(next));
  }
  return a;
}

}  // namespace

RepeatedSetup bind_repeated(const Scenario& scenario, const ParameterValues& values) {
  const auto& rm = repeated_model(scenario);
  RepeatedSetup setup{.game = {.stage = scenario.bind(values), .delta = {}, .continuation = 1.0,
                               .horizon = rm.horizon},
                      .strategy_names = {}, .strategies = {}, .profile_names = {}, .profiles = {},
                      .warnings = {}};
  const NormalFormGame& stage = setup.game.stage;
  const int n = stage.num_players();
  for (int p = 0; p < n; ++p) {
    const Formula& f = rm.discount.size() == 1 ? rm.discount[0] : rm.discount[p];
    const double d = value_of(f, values, "discount");
    if (!(d > 0.0 && d < 1.0)) {
      throw InputError(f.mark, fmt::format("discount factor {} is not in (0, 1)", d),
                       "a discount factor is a number strictly between 0 and 1, e.g. 0.9");
    }
    setup.game.delta.push_back(d);
  }
  if (rm.continuation) {
    const double c = value_of(*rm.continuation, values, "continuation");
    if (!(c > 0.0 && c <= 1.0)) {
      throw InputError(rm.continuation->mark, fmt::format("continuation probability {} is not in (0, 1]", c),
                       "the probability that the relationship goes on for another round");
    }
    setup.game.continuation = c;
  }
  for (const auto& s : rm.strategies) {
    BuiltinOptions options;
    if (s.k) {
      const double k_value = value_of(*s.k, values, "k");
      if (k_value < 1 || k_value != std::floor(k_value) || k_value > 1000) {
        throw InputError(s.k->mark, fmt::format("k = {} is not a whole number of rounds from 1 to 1000", k_value));
      }
      options.k = static_cast<int>(k_value);
    }
    if (s.generosity) options.generosity = value_of(*s.generosity, values, "generosity");
    // One automaton for the strategy's actor, or one per actor for a shared (phase) strategy.
    std::vector<Automaton> automata;
    for (int actor = 0; actor < n; ++actor) {
      if (s.actor >= 0 && actor != s.actor) continue;
      if (!s.builtin.empty()) {
        try {
          automata.push_back(builtin_strategy(s.builtin, stage, actor, {s.cooperate, s.defect}, options));
          automata.back().name = s.name;
        } catch (const InvalidGame& e) {
          throw InputError(s.mark, e.what());
        }
      } else {
        automata.push_back(custom_automaton(s, actor, s.actor >= 0 ? 0 : actor, stage, values));
      }
    }
    const auto reach = reachable_states(automata.front());
    for (std::size_t st = 0; st < reach.size(); ++st) {
      if (!reach[st]) {
        setup.warnings.push_back(fmt::format("{}:{}: warning: state '{}' of strategy '{}' can never be reached",
                                             scenario.file(), s.mark.line, automata.front().states[st], s.name));
      }
    }
    setup.strategy_names.push_back(s.name);
    setup.strategies.push_back(std::move(automata));
  }
  for (const auto& p : rm.profiles) {
    AutomatonProfile profile;
    for (int a = 0; a < n; ++a) {
      const auto& automata = setup.strategies[p.strategy[a]];
      profile.push_back(automata.size() == 1 ? automata[0] : automata[a]);
    }
    setup.profile_names.push_back(p.name);
    setup.profiles.push_back(std::move(profile));
  }
  return setup;
}

const std::vector<RepeatedExpectation>& repeated_expectations(const Scenario& scenario) {
  static const std::vector<RepeatedExpectation> none;
  const auto& model = scenario.model();
  return model.repeated ? model.repeated->expectations : none;
}

AutomatonProfile resolve_profile(const Scenario& scenario, const RepeatedSetup& setup,
                                 const std::string& spec) {
  const auto find = [&](const std::vector<std::string>& names, const std::string& name) {
    const auto it = std::find(names.begin(), names.end(), name);
    return it == names.end() ? -1 : static_cast<int>(it - names.begin());
  };
  if (spec.find(',') == std::string::npos) {
    const int p = find(setup.profile_names, spec);
    if (p >= 0) return setup.profiles[p];
    const int s = find(setup.strategy_names, spec);
    if (s >= 0 && setup.strategies[s].size() > 1) return setup.strategies[s];
  }
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (true) {
    const std::size_t comma = spec.find(',', start);
    parts.push_back(spec.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  const auto& actors = scenario.actor_ids();
  std::vector<std::string> known = setup.profile_names;
  known.insert(known.end(), setup.strategy_names.begin(), setup.strategy_names.end());
  if (parts.size() != actors.size()) {
    throw InputError({"--check", 0, 0},
                     fmt::format("'{}' is not a profile: name a profile, a shared strategy, or one strategy "
                                 "per actor ({}){}", spec, fmt::join(actors, ", "),
                                 parts.size() == 1 ? did_you_mean(spec, known) : std::string()),
                     fmt::format("profiles: {}; strategies: {}", fmt::join(setup.profile_names, ", "),
                                 fmt::join(setup.strategy_names, ", ")));
  }
  AutomatonProfile profile;
  for (std::size_t a = 0; a < actors.size(); ++a) {
    const int s = find(setup.strategy_names, parts[a]);
    if (s < 0) {
      throw InputError({"--check", 0, 0}, fmt::format("unknown strategy '{}'{}", parts[a],
                                                      did_you_mean(parts[a], setup.strategy_names)));
    }
    const auto& automata = setup.strategies[s];
    const Automaton& chosen = automata.size() == 1 ? automata[0] : automata[a];
    if (chosen.player != static_cast<int>(a)) {
      throw InputError({"--check", 0, 0},
                       fmt::format("strategy '{}' is for actor '{}', but stands in position {} ({})",
                                   parts[a], actors[chosen.player], a + 1, actors[a]));
    }
    profile.push_back(chosen);
  }
  return profile;
}

}  // namespace stratagem
