// Parsing of the `expect:` block of a scenario file into Expectation records.

#include <algorithm>
#include <cmath>
#include <map>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "scenario/loader.hpp"
#include "scenario/tree_model.hpp"
#include "stratagem/solve/solver.hpp"

namespace stratagem::scenario_detail {
namespace {

using Model = Scenario::Model;

const std::vector<std::string> kExpectKeys = {"method",    "at",        "equilibria", "includes",
                                              "count",     "survivors", "tolerance",  "doc"};

/// True when `method` is a built-in solver of game trees: on a tree scenario its expected
/// equilibria are keyed by information-set label (other methods solve the reduced normal form).
bool is_tree_method(const std::string& method) {
  const SolverEntry* entry = builtin_solvers().find(method);
  return entry != nullptr && entry->is_tree_solver();
}

/// The built-in tree solvers' names, for hints.
std::string tree_method_names() {
  std::vector<std::string> names;
  for (const auto& e : builtin_solvers().all()) {
    if (e.is_tree_solver()) names.push_back(e.name);
  }
  return fmt::format("{}", fmt::join(names, ", "));
}

int index_of(const std::vector<std::string>& names, const std::string& name) {
  const auto it = std::find(names.begin(), names.end(), name);
  return it == names.end() ? -1 : static_cast<int>(it - names.begin());
}

class ExpectParser {
 public:
  ExpectParser(const Reader& reader, const Model& model) : reader_(reader), model_(model) {
    for (const auto& p : model.parameters) parameter_names_.push_back(p.name);
  }

  Expectation parse(const YAML::Node& item, const SourceMark& where) {
    Expectation x;
    x.mark = reader_.mark(item, where);
    const MapView spec(reader_, item, x.mark, "an expect entry");
    spec.allow_only(kExpectKeys);
    const Entry& method = spec.require("method", "write method: pure (or another solver name)");
    x.method = reader_.text(method.value, method.value_mark, "method");
    if (model_.tree != nullptr) {
      // Whether equilibria are keyed by information set or by actor depends on the method.
      if (builtin_solvers().find(x.method) == nullptr) {
        throw InputError(method.value_mark,
                         fmt::format("unknown method '{}'{}", x.method,
                                     did_you_mean(x.method, builtin_solvers().names())),
                         "run 'stratagem solvers' for the list");
      }
      x.by_infoset = is_tree_method(x.method);
      if (!x.by_infoset && !model_.tree->reduced_error.empty()) {
        throw InputError(method.value_mark,
                         fmt::format("method '{}' solves the reduced normal form, which cannot "
                                     "be built for this tree: {}",
                                     x.method, model_.tree->reduced_error),
                         fmt::format("use a tree method ({})", tree_method_names()));
      }
    }
    values_.clear();
    for (const auto& p : model_.parameters) values_[p.name] = p.value;
    if (const Entry* at = spec.find("at")) parse_at(*at, x);
    if (const Entry* t = spec.find("tolerance")) {
      x.tolerance = number(t->value, t->value_mark, "tolerance");
      if (!(x.tolerance > 0)) {
        throw InputError(t->value_mark, fmt::format("tolerance must be positive, got {}", x.tolerance),
                         "write e.g. tolerance: 1e-6");
      }
    }
    const Entry* equilibria = spec.find("equilibria");
    const Entry* includes = spec.find("includes");
    if (equilibria != nullptr && includes != nullptr) {
      throw InputError(includes->key_mark, "both equilibria: and includes: in one expect entry",
                       "use equilibria: for the exact set, includes: for some that must be found");
    }
    if (const Entry* list = equilibria != nullptr ? equilibria : includes) {
      x.exact_set = list == equilibria;
      for (const auto& eq : reader_.sequence(list->value, list->value_mark, list->key)) {
        const SourceMark at = reader_.mark(eq, list->value_mark);
        x.equilibria.push_back(x.by_infoset ? parse_behaviour(eq, at) : parse_profile(eq, at));
      }
    }
    if (const Entry* c = spec.find("count")) {
      const double value = number(c->value, c->value_mark, "count");
      if (value < 0 || value != std::floor(value) || value > 1e9) {
        throw InputError(c->value_mark, fmt::format("count must be a whole number >= 0, got {}", value),
                         "write e.g. count: 2");
      }
      x.count = static_cast<int>(value);
    }
    if (const Entry* s = spec.find("survivors")) x.survivors = parse_survivors(*s);
    if (x.equilibria.empty() && equilibria == nullptr && includes == nullptr && !x.count &&
        !x.survivors) {
      throw InputError(x.mark, "this expect entry asserts nothing",
                       "add equilibria:, includes:, count: or survivors:");
    }
    return x;
  }

 private:
  double number(const YAML::Node& node, const SourceMark& where, const std::string& what) {
    Formula f = reader_.formula(node, where, what);
    check_formula(f, parameter_names_);
    return evaluate_once(f, values_, fmt::format("(in {})", what));
  }

  int actor_index(const Entry& e, const std::string& where) const {
    const int a = index_of(model_.actor_ids, e.key);
    if (a >= 0) return a;
    throw InputError(e.key_mark,
                     fmt::format("unknown actor '{}' in {}{}", e.key, where,
                                 did_you_mean(e.key, model_.actor_ids)),
                     fmt::format("actors are: {}", fmt::join(model_.actor_ids, ", ")));
  }

  void check_move(int actor, const std::string& move, const SourceMark& where,
                  const std::string& context) const {
    const std::string& id = model_.actor_ids[static_cast<std::size_t>(actor)];
    check_move_of(model_.move_ids[static_cast<std::size_t>(actor)],
                  fmt::format("actor '{}'", id), id, move, where, context);
  }

  /// `owner` names the chooser in the message ("actor 'japan'"), `short_name` in the hint.
  static void check_move_of(const std::vector<std::string>& ids, const std::string& owner,
                            const std::string& short_name, const std::string& move,
                            const SourceMark& where, const std::string& context) {
    if (index_of(ids, move) >= 0) return;
    throw InputError(where,
                     fmt::format("unknown move '{}' for {} in {}{}", move, owner, context,
                                 did_you_mean(move, ids)),
                     fmt::format("moves of {} are: {}", short_name, fmt::join(ids, ", ")));
  }

  void parse_at(const Entry& at, Expectation& x) {
    const MapView overrides(reader_, at.value, at.value_mark, "at:");
    for (const auto& e : overrides.entries()) {
      const int p = index_of(parameter_names_, e.key);
      if (p < 0) {
        throw InputError(e.key_mark,
                         fmt::format("unknown parameter '{}' in at:{}", e.key,
                                     did_you_mean(e.key, parameter_names_)),
                         parameter_names_.empty()
                             ? std::string("declare it under parameters:")
                             : fmt::format("parameters are: {}", fmt::join(parameter_names_, ", ")));
      }
      const double value = number(e.value, e.value_mark, fmt::format("at: {}", e.key));
      const auto& range = model_.parameters[static_cast<std::size_t>(p)].range;
      if (range && (value < range->first || value > range->second)) {
        throw InputError(e.value_mark,
                         fmt::format("at: {} = {} is outside the parameter's range [{}, {}]", e.key,
                                     value, range->first, range->second),
                         fmt::format("use a value in [{}, {}] or widen the parameter's range:",
                                     range->first, range->second));
      }
      x.at[e.key] = value;
      values_[e.key] = value;
    }
  }

  /// `key: move` or `key: {move: probability, ...}` for one actor or information set, whose
  /// moves are `ids`; `owner` names it in messages ("actor 'japan'").
  std::map<std::string, double> parse_strategy(const Entry& e, const std::vector<std::string>& ids,
                                               const std::string& owner) {
    std::map<std::string, double> moves;
    const std::string context = "an expected equilibrium";
    if (e.value.IsScalar()) {
      check_move_of(ids, owner, e.key, e.value.Scalar(), e.value_mark, context);
      moves[e.value.Scalar()] = 1.0;
      return moves;
    }
    const MapView mixed(reader_, e.value, e.value_mark, fmt::format("the strategy of '{}'", e.key));
    if (mixed.empty()) {
      throw InputError(e.value_mark, fmt::format("no move given for {}", owner),
                       fmt::format("write {0}: move, or {0}: {{move: probability, ...}}", e.key));
    }
    double sum = 0.0;
    for (const auto& m : mixed.entries()) {
      check_move_of(ids, owner, e.key, m.key, m.key_mark, context);
      const double p = number(m.value, m.value_mark, fmt::format("probability of '{}'", m.key));
      if (p < -1e-9 || p > 1 + 1e-9) {
        throw InputError(m.value_mark, fmt::format("probability {} of '{}' is not in [0, 1]", p, m.key),
                         "write a probability between 0 and 1");
      }
      moves[m.key] = p;
      sum += p;
    }
    if (std::abs(sum - 1.0) > 1e-6) {
      throw InputError(e.value_mark, fmt::format("probabilities of {} sum to {}, not 1", owner, sum),
                       "make each strategy's probabilities add up to 1");
    }
    return moves;
  }

  /// An expected equilibrium of a tree method: information-set label -> strategy; only the
  /// named sets are compared.
  ExpectedProfile parse_behaviour(const YAML::Node& node, const SourceMark& where) {
    const auto& infosets = model_.tree->infosets;
    std::vector<std::string> labels;
    for (const auto& h : infosets) labels.push_back(h.label);
    ExpectedProfile profile;
    const MapView by_label(reader_, node, where, "an expected equilibrium");
    for (const auto& e : by_label.entries()) {
      const int h = index_of(labels, e.key);
      if (h < 0) {
        throw InputError(e.key_mark,
                         fmt::format("unknown information set '{}' in an expected equilibrium "
                                     "(a tree method's equilibria are keyed by information "
                                     "set){}",
                                     e.key, did_you_mean(e.key, labels)),
                         fmt::format("information sets are: {}", fmt::join(labels, ", ")));
      }
      profile[e.key] = parse_strategy(e, infosets[static_cast<std::size_t>(h)].moves,
                                      fmt::format("information set '{}'", e.key));
    }
    if (profile.empty()) {
      throw InputError(by_label.mark(), "the expected equilibrium names no information set",
                       fmt::format("write {{label: move, ...}}; information sets are: {}",
                                   fmt::join(labels, ", ")));
    }
    return profile;
  }

  ExpectedProfile parse_profile(const YAML::Node& node, const SourceMark& where) {
    ExpectedProfile profile;
    const MapView by_actor(reader_, node, where, "an expected equilibrium");
    for (const auto& e : by_actor.entries()) {
      const int a = actor_index(e, "an expected equilibrium");
      profile[e.key] = parse_strategy(e, model_.move_ids[static_cast<std::size_t>(a)],
                                      fmt::format("actor '{}'", e.key));
    }
    for (const auto& id : model_.actor_ids) {
      if (profile.count(id) != 0) continue;
      throw InputError(by_actor.mark(),
                       fmt::format("expected equilibrium gives no move for actor '{}'", id),
                       fmt::format("add {}: <move> (or {{move: probability, ...}})", id));
    }
    return profile;
  }

  std::map<std::string, std::vector<std::string>> parse_survivors(const Entry& s) {
    std::map<std::string, std::vector<std::string>> result;
    const MapView by_actor(reader_, s.value, s.value_mark, "survivors:");
    for (const auto& e : by_actor.entries()) {
      const int a = actor_index(e, "survivors:");
      auto& moves = result[e.key];
      std::vector<std::pair<YAML::Node, SourceMark>> items;
      if (e.value.IsSequence()) {
        for (const auto& m : e.value) items.emplace_back(m, reader_.mark(m, e.value_mark));
      } else {
        items.emplace_back(e.value, e.value_mark);
      }
      for (const auto& [m, mark] : items) {
        const std::string id = reader_.text(m, mark, "move id");
        check_move(a, id, mark, "survivors:");
        moves.push_back(id);
      }
    }
    return result;
  }

  const Reader& reader_;
  const Model& model_;
  std::vector<std::string> parameter_names_;
  std::map<std::string, double> values_;
};

}  // namespace

void parse_expectations(const Reader& reader, const Entry& expect, Scenario::Model& model) {
  ExpectParser parser(reader, model);
  std::vector<std::string> parameter_names;
  for (const auto& p : model.parameters) parameter_names.push_back(p.name);
  for (const auto& item : reader.sequence(expect.value, expect.value_mark, "expect")) {
    const SourceMark where = reader.mark(item, expect.value_mark);
    if (item.IsMap() && item["profile"] && model.repeated) {
      // A repeated-game assertion: is this profile of strategies self-enforcing?
      auto repeated = std::make_shared<RepeatedModel>(*model.repeated);
      repeated->expectations.push_back(parse_repeated_expectation(
          reader, Entry{"", where, false, item, where}, *repeated, parameter_names));
      model.repeated = std::move(repeated);
      continue;
    }
    model.expectations.push_back(parser.parse(item, where));
  }
}

}  // namespace stratagem::scenario_detail
