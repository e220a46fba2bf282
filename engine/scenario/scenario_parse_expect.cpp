// Parsing of the `expect:` block of a scenario file into Expectation records.

#include <algorithm>
#include <cmath>
#include <map>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "scenario/loader.hpp"

namespace stratagem::scenario_detail {
namespace {

using Model = Scenario::Model;

const std::vector<std::string> kExpectKeys = {"method",    "at",        "equilibria", "includes",
                                              "count",     "survivors", "tolerance",  "doc"};

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
        x.equilibria.push_back(parse_profile(eq, reader_.mark(eq, list->value_mark)));
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
    const auto& ids = model_.move_ids[static_cast<std::size_t>(actor)];
    if (index_of(ids, move) >= 0) return;
    const std::string& id = model_.actor_ids[static_cast<std::size_t>(actor)];
    throw InputError(where,
                     fmt::format("unknown move '{}' for actor '{}' in {}{}", move, id, context,
                                 did_you_mean(move, ids)),
                     fmt::format("moves of {} are: {}", id, fmt::join(ids, ", ")));
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

  ExpectedProfile parse_profile(const YAML::Node& node, const SourceMark& where) {
    ExpectedProfile profile;
    const MapView by_actor(reader_, node, where, "an expected equilibrium");
    for (const auto& e : by_actor.entries()) {
      const int a = actor_index(e, "an expected equilibrium");
      auto& moves = profile[e.key];
      if (e.value.IsScalar()) {
        check_move(a, e.value.Scalar(), e.value_mark, "an expected equilibrium");
        moves[e.value.Scalar()] = 1.0;
        continue;
      }
      const MapView mixed(reader_, e.value, e.value_mark,
                          fmt::format("the strategy of '{}'", e.key));
      if (mixed.empty()) {
        throw InputError(e.value_mark, fmt::format("no move given for actor '{}'", e.key),
                         "write actor: move, or actor: {move: probability, ...}");
      }
      double sum = 0.0;
      for (const auto& m : mixed.entries()) {
        check_move(a, m.key, m.key_mark, "an expected equilibrium");
        const double p = number(m.value, m.value_mark, fmt::format("probability of '{}'", m.key));
        if (p < -1e-9 || p > 1 + 1e-9) {
          throw InputError(m.value_mark, fmt::format("probability {} of '{}' is not in [0, 1]", p, m.key),
                           "write a probability between 0 and 1");
        }
        moves[m.key] = p;
        sum += p;
      }
      if (std::abs(sum - 1.0) > 1e-6) {
        throw InputError(e.value_mark,
                         fmt::format("probabilities of actor '{}' sum to {}, not 1", e.key, sum),
                         "make each actor's probabilities add up to 1");
      }
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
