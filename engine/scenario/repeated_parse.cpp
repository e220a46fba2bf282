#include <algorithm>

#include <fmt/format.h>

#include "scenario/repeated_model.hpp"
#include "stratagem/repeated/automaton.hpp"

namespace stratagem::scenario_detail {
namespace {

const std::vector<std::string> kStrategyKeys = {"actor", "shared", "builtin", "cooperate", "defect",
                                                "k", "generosity", "initial", "states", "doc"};
const std::vector<std::string> kStateKeys = {"play", "next", "doc"};
const std::vector<std::string> kTransitionKeys = {"when", "to"};
const std::vector<std::string> kExpectKeys = {"profile", "at", "delta", "noise", "subgame_perfect",
                                              "nash", "critical_delta", "critical_delta_nash",
                                              "tolerance"};

int index_of(const std::vector<std::string>& names, const std::string& name) {
  const auto it = std::find(names.begin(), names.end(), name);
  return it == names.end() ? -1 : static_cast<int>(it - names.begin());
}

class RepeatedParser {
 public:
  RepeatedParser(const Reader& reader, const std::vector<std::string>& actors,
                 const std::vector<std::vector<std::string>>& moves,
                 const std::vector<std::string>& known)
      : reader_(reader), actors_(actors), moves_(moves), known_(known) {}

  RepeatedModel run(const MapView& game) {
    RepeatedModel model;
    const Entry& discount = game.require("discount", "add discount: 0.9 (or one value per actor)");
    if (discount.value.IsMap()) {
      const MapView per(reader_, discount.value, discount.value_mark, "discount");
      model.discount.resize(actors_.size());
      std::vector<bool> seen(actors_.size(), false);
      for (const auto& e : per.entries()) {
        const int a = actor(e.key, e.key_mark);
        model.discount[a] = checked(reader_.formula(e.value, e.value_mark, "discount"));
        seen[a] = true;
      }
      for (std::size_t a = 0; a < actors_.size(); ++a) {
        if (!seen[a]) {
          throw InputError(discount.key_mark, fmt::format("no discount factor for actor '{}'", actors_[a]),
                           "give every actor a value, or one common value");
        }
      }
    } else {
      model.discount.push_back(checked(reader_.formula(discount.value, discount.value_mark, "discount")));
    }
    if (const Entry* c = game.find("continuation")) {
      model.continuation = checked(reader_.formula(c->value, c->value_mark, "continuation"));
    }
    if (const Entry* h = game.find("horizon")) {
      const Formula f = reader_.formula(h->value, h->value_mark, "horizon");
      if (!f.constant || *f.constant < 1 || *f.constant != static_cast<int>(*f.constant) ||
          *f.constant > 1e6) {
        throw InputError(h->value_mark, "horizon must be a whole number of rounds from 1 to 1000000",
                         "write horizon: 10, or leave it out for an indefinitely repeated game");
      }
      model.horizon = static_cast<int>(*f.constant);
    }
    const Entry& strategies = game.require("strategies", "add strategies: with at least one automaton");
    const MapView list(reader_, strategies.value, strategies.value_mark, "strategies");
    if (list.empty()) throw InputError(strategies.key_mark, "strategies: is empty", "declare a strategy");
    for (const auto& e : list.entries()) strategy_names_.push_back(e.key);
    for (const auto& e : list.entries()) model.strategies.push_back(strategy(e));
    if (const Entry* p = game.find("profiles")) {
      const MapView profiles(reader_, p->value, p->value_mark, "profiles");
      for (const auto& e : profiles.entries()) model.profiles.push_back(profile(e, model));
    }
    return model;
  }

  RepeatedExpectation expectation(const Entry& item, const RepeatedModel& model,
                                  const std::vector<std::string>& parameters) {
    const MapView spec(reader_, item.value, item.value_mark, "expect entry");
    spec.allow_only(kExpectKeys);
    RepeatedExpectation ex;
    ex.mark = item.value_mark;
    const Entry& name = spec.require("profile", "name a profile from profiles:");
    ex.profile = reader_.text(name.value, name.value_mark, "profile");
    std::vector<std::string> names;
    for (const auto& p : model.profiles) names.push_back(p.name);
    if (index_of(names, ex.profile) < 0) {
      throw InputError(name.value_mark, fmt::format("unknown profile '{}'{}", ex.profile, did_you_mean(ex.profile, names)),
                       "declare it under game: profiles:");
    }
    if (const Entry* at = spec.find("at")) {
      const MapView values(reader_, at->value, at->value_mark, "at");
      for (const auto& e : values.entries()) {
        if (index_of(parameters, e.key) < 0) {
          throw InputError(e.key_mark, fmt::format("unknown parameter '{}'{}", e.key, did_you_mean(e.key, parameters)));
        }
        ex.at[e.key] = constant(e, "at");
      }
    }
    if (const Entry* d = spec.find("delta")) ex.delta = constant(*d, "delta");
    if (const Entry* n = spec.find("noise")) ex.noise = constant(*n, "noise");
    if (const Entry* t = spec.find("tolerance")) ex.tolerance = constant(*t, "tolerance");
    if (const Entry* s = spec.find("subgame_perfect")) ex.subgame_perfect = boolean(*s);
    if (const Entry* s = spec.find("nash")) ex.nash = boolean(*s);
    if (const Entry* c = spec.find("critical_delta")) ex.critical_delta = critical(*c);
    if (const Entry* c = spec.find("critical_delta_nash")) ex.critical_delta_nash = critical(*c);
    if (!ex.subgame_perfect && !ex.nash && !ex.critical_delta && !ex.critical_delta_nash) {
      throw InputError(item.value_mark, "this expectation asserts nothing",
                       "add subgame_perfect:, nash:, critical_delta: or critical_delta_nash:");
    }
    return ex;
  }

 private:
  Formula checked(Formula f) {
    check_formula(f, known_);
    return f;
  }

  double constant(const Entry& e, const std::string& what) {
    Formula f = reader_.formula(e.value, e.value_mark, what);
    check_formula(f, {});
    return evaluate_once(f, {}, what);
  }

  bool boolean(const Entry& e) {
    const std::string t = reader_.text(e.value, e.value_mark, e.key);
    if (t == "true" || t == "yes") return true;
    if (t == "false" || t == "no") return false;
    throw InputError(e.value_mark, fmt::format("{}: must be true or false, not '{}'", e.key, t));
  }

  std::optional<double> critical(const Entry& e) {
    if (e.value.IsScalar() && e.value.Scalar() == "never") return std::nullopt;
    return constant(e, e.key);
  }

  int actor(const std::string& id, const SourceMark& where) const {
    const int a = index_of(actors_, id);
    if (a < 0) {
      throw InputError(where, fmt::format("unknown actor '{}'{}", id, did_you_mean(id, actors_)));
    }
    return a;
  }

  int move(int a, const std::string& id, const SourceMark& where) const {
    const int m = index_of(moves_[a], id);
    if (m < 0) {
      throw InputError(where, fmt::format("unknown move '{}' for actor '{}'{}", id, actors_[a],
                                          did_you_mean(id, moves_[a])),
                       fmt::format("{}'s moves are: {}", actors_[a], fmt::join(moves_[a], ", ")));
    }
    return m;
  }

  /// `{actor: move}` naming one move per actor (all actors required).
  std::vector<int> roles(const Entry& e) {
    const MapView map(reader_, e.value, e.value_mark, e.key);
    std::vector<int> out(actors_.size(), -1);
    for (const auto& r : map.entries()) {
      const int a = actor(r.key, r.key_mark);
      out[a] = move(a, reader_.text(r.value, r.value_mark, "move"), r.value_mark);
    }
    for (std::size_t a = 0; a < actors_.size(); ++a) {
      if (out[a] >= 0) continue;
      if (e.key == "defect" && moves_[a].size() == 2) continue;  // filled in below
      throw InputError(e.value_mark, fmt::format("{}: names no move for actor '{}'", e.key, actors_[a]),
                       fmt::format("add {}: {}", actors_[a], moves_[a].front()));
    }
    return out;
  }

  /// A move (probability 1) or a map move -> probability formula.
  std::vector<std::pair<int, Formula>> mix(int a, const YAML::Node& node, const SourceMark& where) {
    std::vector<std::pair<int, Formula>> out;
    if (node.IsMap()) {
      const MapView map(reader_, node, where, "play");
      for (const auto& e : map.entries()) {
        out.emplace_back(move(a, e.key, e.key_mark), checked(reader_.formula(e.value, e.value_mark, "probability")));
      }
      if (out.empty()) throw InputError(where, "play: names no move");
    } else {
      out.emplace_back(move(a, reader_.text(node, where, "play"), where), Formula::number(1.0, where));
    }
    return out;
  }

  StrategySpec strategy(const Entry& e) {
    const MapView spec(reader_, e.value, e.value_mark, fmt::format("strategy '{}'", e.key));
    spec.allow_only(kStrategyKeys);
    StrategySpec s;
    s.name = e.key;
    s.mark = e.key_mark;
    const Entry* actor_entry = spec.find("actor");
    const Entry* shared = spec.find("shared");
    if (shared != nullptr && boolean(*shared)) {
      if (actor_entry != nullptr) {
        throw InputError(actor_entry->key_mark, "a shared strategy has no single actor",
                         "remove actor: or shared: true");
      }
    } else {
      if (actor_entry == nullptr) {
        throw InputError(e.key_mark, fmt::format("strategy '{}' names no actor", e.key),
                         "add actor: <id>, or shared: true for one automaton followed by every actor");
      }
      s.actor = actor(reader_.text(actor_entry->value, actor_entry->value_mark, "actor"), actor_entry->value_mark);
    }
    if (const Entry* b = spec.find("builtin")) {
      s.builtin = reader_.text(b->value, b->value_mark, "builtin");
      if (index_of(builtin_strategy_names(), s.builtin) < 0) {
        throw InputError(b->value_mark, fmt::format("unknown built-in strategy '{}'{}", s.builtin,
                                                    did_you_mean(s.builtin, builtin_strategy_names())),
                         fmt::format("built-ins: {}", fmt::join(builtin_strategy_names(), ", ")));
      }
      if (spec.find("states") != nullptr) {
        throw InputError(spec.find("states")->key_mark, "a built-in strategy has no states:",
                         "remove states: or builtin:");
      }
      const Entry& coop = spec.require("cooperate", "name each actor's cooperative (reward) move: cooperate: {actor: move}");
      s.cooperate = roles(coop);
      if (const Entry* d = spec.find("defect")) {
        s.defect = roles(*d);
      } else {
        s.defect.assign(actors_.size(), -1);
      }
      for (std::size_t a = 0; a < actors_.size(); ++a) {
        if (s.defect[a] >= 0) continue;
        if (moves_[a].size() != 2) {
          throw InputError(coop.key_mark, fmt::format("actor '{}' has {} moves: name its punishment move", actors_[a], moves_[a].size()),
                           "add defect: {actor: move} naming each actor's punishment move");
        }
        s.defect[a] = 1 - s.cooperate[a];
      }
      if (const Entry* k = spec.find("k")) s.k = checked(reader_.formula(k->value, k->value_mark, "k"));
      if (const Entry* g = spec.find("generosity")) s.generosity = checked(reader_.formula(g->value, g->value_mark, "generosity"));
      return s;
    }
    const Entry& states = spec.require("states", "add states: (or builtin: with a library strategy)");
    const MapView list(reader_, states.value, states.value_mark, "states");
    if (list.empty()) throw InputError(states.key_mark, "states: is empty", "declare at least one state");
    std::vector<std::string> names;
    for (const auto& st : list.entries()) names.push_back(st.key);
    for (const auto& st : list.entries()) {
      const MapView body(reader_, st.value, st.value_mark, fmt::format("state '{}'", st.key));
      body.allow_only(kStateKeys);
      StateSpec state;
      state.name = st.key;
      state.mark = st.key_mark;
      const Entry& play = body.require("play", "add play: <move> (or {move: probability, ...})");
      if (s.actor >= 0) {
        state.play.push_back(mix(s.actor, play.value, play.value_mark));
      } else {
        const MapView per(reader_, play.value, play.value_mark, "play");
        state.play.resize(actors_.size());
        for (const auto& pe : per.entries()) {
          const int a = actor(pe.key, pe.key_mark);
          state.play[a] = mix(a, pe.value, pe.value_mark);
        }
        for (std::size_t a = 0; a < actors_.size(); ++a) {
          if (state.play[a].empty()) {
            throw InputError(play.key_mark, fmt::format("shared state '{}' gives no move for actor '{}'", st.key, actors_[a]),
                             "a shared strategy's play: names a move for every actor");
          }
        }
      }
      if (const Entry* next = body.find("next")) {
        if (next->value.IsScalar()) {
          state.next.push_back({std::vector<std::vector<int>>(actors_.size()), target(names, *next), next->value_mark});
        } else {
          for (const auto& item : reader_.sequence(next->value, next->value_mark, "next")) {
            const SourceMark where = reader_.mark(item, next->value_mark);
            const MapView t(reader_, item, where, "transition");
            t.allow_only(kTransitionKeys);
            TransitionSpec tr;
            tr.mark = where;
            tr.allowed.resize(actors_.size());
            if (const Entry* when = t.find("when")) {
              const MapView cond(reader_, when->value, when->value_mark, "when");
              for (const auto& c : cond.entries()) {
                const int a = actor(c.key, c.key_mark);
                for (const auto& m : reader_.strings(c.value, c.value_mark, "move")) {
                  if (m == "*") {
                    tr.allowed[a].clear();
                    break;
                  }
                  tr.allowed[a].push_back(move(a, m, c.value_mark));
                }
              }
            }
            tr.to = target(names, t.require("to", "add to: <state>"));
            state.next.push_back(std::move(tr));
          }
        }
      }
      s.states.push_back(std::move(state));
    }
    s.initial = 0;
    if (const Entry* init = spec.find("initial")) s.initial = target(names, *init);
    return s;
  }

  int target(const std::vector<std::string>& names, const Entry& e) const {
    const std::string name = reader_.text(e.value, e.value_mark, e.key);
    const int t = index_of(names, name);
    if (t < 0) {
      throw InputError(e.value_mark, fmt::format("unknown state '{}'{}", name, did_you_mean(name, names)),
                       fmt::format("states are: {}", fmt::join(names, ", ")));
    }
    return t;
  }

  ProfileSpec profile(const Entry& e, const RepeatedModel& model) {
    ProfileSpec p;
    p.name = e.key;
    p.mark = e.key_mark;
    p.strategy.assign(actors_.size(), -1);
    const auto find = [&](const std::string& name, const SourceMark& where) {
      const int s = index_of(strategy_names_, name);
      if (s < 0) {
        throw InputError(where, fmt::format("unknown strategy '{}'{}", name, did_you_mean(name, strategy_names_)));
      }
      return s;
    };
    if (e.value.IsScalar()) {
      const int s = find(reader_.text(e.value, e.value_mark, "profile"), e.value_mark);
      if (model.strategies[s].actor >= 0) {
        throw InputError(e.value_mark, fmt::format("'{}' is for one actor; a profile needs one strategy per actor", strategy_names_[s]),
                         "write {actor: strategy, ...}, or name a shared strategy");
      }
      p.strategy.assign(actors_.size(), s);
      return p;
    }
    const MapView map(reader_, e.value, e.value_mark, fmt::format("profile '{}'", e.key));
    for (const auto& m : map.entries()) {
      const int a = actor(m.key, m.key_mark);
      const int s = find(reader_.text(m.value, m.value_mark, "strategy"), m.value_mark);
      const int owner = model.strategies[s].actor;
      if (owner >= 0 && owner != a) {
        throw InputError(m.value_mark, fmt::format("strategy '{}' is written for actor '{}', not '{}'",
                                                   strategy_names_[s], actors_[owner], actors_[a]));
      }
      p.strategy[a] = s;
    }
    for (std::size_t a = 0; a < actors_.size(); ++a) {
      if (p.strategy[a] < 0) {
        throw InputError(e.key_mark, fmt::format("profile '{}' gives no strategy for actor '{}'", e.key, actors_[a]));
      }
    }
    return p;
  }

  const Reader& reader_;
  const std::vector<std::string>& actors_;
  const std::vector<std::vector<std::string>>& moves_;
  const std::vector<std::string>& known_;
  std::vector<std::string> strategy_names_;
};

}  // namespace

RepeatedModel parse_repeated(const Reader& reader, const MapView& game,
                             const std::vector<std::string>& actor_ids,
                             const std::vector<std::vector<std::string>>& move_ids,
                             const std::vector<std::string>& known) {
  return RepeatedParser(reader, actor_ids, move_ids, known).run(game);
}

RepeatedExpectation parse_repeated_expectation(const Reader& reader, const Entry& item,
                                               const RepeatedModel& model,
                                               const std::vector<std::string>& parameter_names) {
  static const std::vector<std::vector<std::string>> no_moves;
  static const std::vector<std::string> no_names;
  return RepeatedParser(reader, no_names, no_moves, no_names).expectation(item, model, parameter_names);
}

}  // namespace stratagem::scenario_detail
