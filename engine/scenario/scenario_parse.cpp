// Parsing of scenario files (DESIGN.md §5) into Scenario::Model: the top level, parameters,
// attributes and actors. The game section is in scenario_parse_game.cpp.

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <string>
#include <vector>

#include "scenario/model_parser.hpp"
#include "stratagem/solve/solver.hpp"

namespace stratagem::scenario_detail {
namespace parse_detail {

ModelParser::ModelParser(const std::string& file)
    : reader_(file), model_(std::make_unique<Model>()) {
  model_->file = file;
}

std::unique_ptr<Model> ModelParser::run(const std::string& text) {
  const YAML::Node root = load_yaml(text, reader_.file());
  const MapView top(reader_, root, reader_.start(), "the scenario file");
  top.allow_only(kTopKeys);
  parse_header(top);
  parse_names(top);
  parse_parameters();
  parse_attributes();
  parse_actors(top);
  parse_game(top);
  if (const Entry* expect = top.find("expect")) parse_expectations(reader_, *expect, *model_);
  return std::move(model_);
}

void ModelParser::parse_header(const MapView& top) {
  const Entry* version = top.find("stratagem");
  if (version == nullptr) {
    throw InputError(reader_.start(), "missing schema version 'stratagem:'",
                     "write stratagem: 1 as the first line");
  }
  if (!version->value.IsScalar() || version->value.Scalar() != "1") {
    const std::string written =
        version->value.IsScalar() ? version->value.Scalar() : std::string("(not a number)");
    throw InputError(version->value_mark, fmt::format("unsupported schema version '{}'", written),
                     "write stratagem: 1");
  }
  const Entry& name = top.require("name", "add name: \"...\" naming the scenario");
  model_->name = reader_.text(name.value, name.value_mark, "name");
  if (const Entry* e = top.find("description")) {
    model_->description = reader_.text(e->value, e->value_mark, "description");
  }
  if (const Entry* e = top.find("sources")) {
    model_->sources = reader_.strings(e->value, e->value_mark, "sources");
  }
  if (const Entry* e = top.find("method")) {
    model_->method = reader_.text(e->value, e->value_mark, "method");
    const SolverRegistry& registry = builtin_solvers();
    if (model_->method != "all" && registry.find(model_->method) == nullptr) {
      std::vector<std::string> names = registry.names();
      names.push_back("all");
      throw InputError(e->value_mark,
                       fmt::format("unknown method '{}'{}", model_->method,
                                   did_you_mean(model_->method, names)),
                       "write one solver name (run 'stratagem solvers' for the list) or 'all'");
    }
  }
}

void ModelParser::check_variable_name(const Entry& entry, const std::string& kind) {
  if (!is_identifier(entry.key)) {
    throw InputError(entry.key_mark,
                     fmt::format("{} name '{}' is not a valid name", kind, entry.key),
                     "use letters, digits and '_', starting with a letter or '_' (e.g. "
                     "'oil_price')");
  }
  const auto& reserved = reserved_names();
  if (std::find(reserved.begin(), reserved.end(), entry.key) != reserved.end()) {
    throw InputError(entry.key_mark,
                     fmt::format("{} name '{}' is a built-in formula name", kind, entry.key),
                     fmt::format("rename it, e.g. '{}_value'", entry.key));
  }
}

void ModelParser::parse_names(const MapView& top) {
  const Entry* params = top.find("parameters");
  const Entry* attrs = top.find("attributes");
  parameters_ =
      std::make_unique<MapView>(reader_, params ? params->value : YAML::Node(),
                                params ? params->value_mark : reader_.start(), "parameters");
  attributes_ =
      std::make_unique<MapView>(reader_, attrs ? attrs->value : YAML::Node(),
                                attrs ? attrs->value_mark : reader_.start(), "attributes");
  for (const auto& entry : parameters_->entries()) {
    check_variable_name(entry, "parameter");
    parameter_names_.push_back(entry.key);
  }
  for (const auto& entry : attributes_->entries()) {
    check_variable_name(entry, "attribute");
    if (const int p = index_of(parameter_names_, entry.key); p >= 0) {
      throw InputError(
          entry.key_mark,
          fmt::format("attribute '{}' has the same name as a parameter{}", entry.key,
                      line_ref(parameters_->entries()[static_cast<std::size_t>(p)].key_mark)),
          "parameters and attributes share one namespace; rename one of them");
    }
    attribute_names_.push_back(entry.key);
  }
  all_names_ = parameter_names_;
  all_names_.insert(all_names_.end(), attribute_names_.begin(), attribute_names_.end());
}

double ModelParser::early_number(const YAML::Node& node, const SourceMark& where,
                                 const std::string& what, const std::string& why) {
  Formula f = reader_.formula(node, where, what);
  check_formula(f, all_names_);
  require_names(f, earlier_names_, why);
  return evaluate_once(f, earlier_values_, fmt::format("(in {})", what));
}

std::vector<double> ModelParser::early_numbers(const YAML::Node& node, const SourceMark& where,
                                               const std::string& what, const std::string& why) {
  std::vector<double> values;
  for (const auto& item : reader_.sequence(node, where, what)) {
    values.push_back(early_number(item, reader_.mark(node, where), what, why));
  }
  return values;
}

std::pair<double, double> ModelParser::early_range(const Entry& entry, const std::string& owner,
                                                   const std::string& why) {
  const std::string what = fmt::format("range of {}", owner);
  const auto bounds = early_numbers(entry.value, entry.value_mark, what, why);
  if (bounds.size() != 2) {
    throw InputError(entry.value_mark,
                     fmt::format("{} has {} numbers; it needs two", what, bounds.size()),
                     "write range: [lo, hi]");
  }
  if (bounds[0] > bounds[1]) {
    throw InputError(entry.value_mark,
                     fmt::format("{} {} is empty: the lower bound is above the upper bound", what,
                                 bracketed(bounds[0], bounds[1])),
                     fmt::format("write range: [{}, {}]", bounds[1], bounds[0]));
  }
  return {bounds[0], bounds[1]};
}

void ModelParser::parse_parameters() {
  const std::string why = "a parameter may only use parameters declared above it";
  for (const auto& entry : parameters_->entries()) {
    Parameter p;
    p.name = entry.key;
    p.mark = entry.key_mark;
    const std::string owner = fmt::format("parameter '{}'", p.name);
    Formula value;
    if (entry.value.IsMap()) {
      const MapView spec(reader_, entry.value, entry.value_mark, owner);
      spec.allow_only(kParameterKeys);
      const Entry& v = spec.require("value", fmt::format("write {}: {{value: 0.5}}", p.name));
      value = reader_.formula(v.value, v.value_mark, fmt::format("value of {}", owner));
      check_formula(value, all_names_);
      require_names(value, earlier_names_, why);
      p.value = evaluate_once(value, earlier_values_, fmt::format("(value of {})", owner));
      if (const Entry* r = spec.find("range")) p.range = early_range(*r, owner, why);
      if (const Entry* u = spec.find("unit"))
        p.unit = reader_.text(u->value, u->value_mark, "unit");
      if (const Entry* d = spec.find("doc")) p.doc = reader_.text(d->value, d->value_mark, "doc");
      if (p.range && (p.value < p.range->first || p.value > p.range->second)) {
        throw InputError(value.mark,
                         fmt::format("{} = {} is outside its range {}", owner, p.value,
                                     bracketed(p.range->first, p.range->second)),
                         fmt::format("write a value in {} or widen range:",
                                     bracketed(p.range->first, p.range->second)));
      }
      if (const Entry* d = spec.find("distribution"))
        p.distribution = parse_distribution(*d, p, why);
    } else {
      value = reader_.formula(entry.value, entry.value_mark, fmt::format("value of {}", owner));
      check_formula(value, all_names_);
      require_names(value, earlier_names_, why);
      p.value = evaluate_once(value, earlier_values_, fmt::format("(value of {})", owner));
    }
    earlier_names_.push_back(p.name);
    earlier_values_[p.name] = p.value;
    model_->parameters.push_back(std::move(p));
    model_->parameter_formulas.push_back(std::move(value));
  }
}

Distribution ModelParser::parse_distribution(const Entry& entry, const Parameter& p,
                                             const std::string& why) {
  const std::string owner = fmt::format("distribution of parameter '{}'", p.name);
  const MapView spec(reader_, entry.value, entry.value_mark, owner);
  std::vector<std::string> allowed = kDistributionKinds;
  allowed.push_back("truncate");
  allowed.push_back("weights");
  spec.allow_only(allowed);
  const Entry* kind = nullptr;
  for (const auto& e : spec.entries()) {
    if (index_of(kDistributionKinds, e.key) < 0) continue;
    if (kind != nullptr) {
      throw InputError(e.key_mark,
                       fmt::format("{} names two kinds, '{}' and '{}'", owner, kind->key, e.key),
                       "give exactly one of uniform, normal, triangular, beta, choice");
    }
    kind = &e;
  }
  if (kind == nullptr) {
    throw InputError(spec.mark(), fmt::format("{} names no kind", owner),
                     "write e.g. {uniform: [lo, hi]}, {normal: [mean, sd]}, {triangular: [lo, "
                     "mode, hi]}, {beta: [a, b]} or {choice: [v1, v2]}");
  }
  Distribution d;
  d.kind = kind->key;
  d.mark = kind->key_mark;
  d.args = early_numbers(kind->value, kind->value_mark, fmt::format("{} arguments", d.kind), why);
  const auto& a = d.args;
  const auto fail = [&](const std::string& message, const std::string& hint) {
    throw InputError(kind->value_mark, fmt::format("invalid {}: {}", owner, message), hint);
  };
  const auto need = [&](std::size_t n, const std::string& form) {
    if (a.size() != n) {
      fail(fmt::format("{} takes {} numbers, {} given", d.kind, n, a.size()),
           fmt::format("write {{{}: {}}}", d.kind, form));
    }
  };
  if (d.kind == "uniform") {
    need(2, "[lo, hi]");
    if (!(a[0] < a[1]))
      fail(fmt::format("uniform needs lo < hi, got {}", bracketed(a[0], a[1])),
           "write {uniform: [lo, hi]} with lo < hi");
  } else if (d.kind == "normal") {
    need(2, "[mean, sd]");
    if (!(a[1] > 0))
      fail(fmt::format("normal needs sd > 0, got {}", a[1]),
           "write {normal: [mean, sd]} with a positive standard deviation");
  } else if (d.kind == "triangular") {
    need(3, "[lo, mode, hi]");
    if (!(a[0] <= a[1] && a[1] <= a[2] && a[0] < a[2])) {
      fail(fmt::format("triangular needs lo <= mode <= hi and lo < hi, got [{}, {}, {}]", a[0],
                       a[1], a[2]),
           "write {triangular: [lo, mode, hi]}");
    }
  } else if (d.kind == "beta") {
    need(2, "[a, b]");
    if (!(a[0] > 0 && a[1] > 0)) {
      fail(fmt::format("beta needs a > 0 and b > 0, got [{}, {}]", a[0], a[1]),
           "write {beta: [a, b]} with positive shape parameters");
    }
    if (!p.range) {
      fail("beta is scaled onto the parameter's range, but the parameter has no range:",
           fmt::format("add range: [lo, hi] to parameter '{}'", p.name));
    }
  } else {  // choice
    if (a.empty()) fail("choice needs at least one value", "write {choice: [v1, v2, ...]}");
  }
  if (const Entry* t = spec.find("truncate")) {
    if (d.kind != "normal") {
      throw InputError(t->key_mark, fmt::format("truncate: only applies to normal, not {}", d.kind),
                       "remove truncate: or use {normal: [mean, sd], truncate: [lo, hi]}");
    }
    const auto bounds = early_numbers(t->value, t->value_mark, "truncate", why);
    if (bounds.size() != 2 || !(bounds[0] < bounds[1])) {
      throw InputError(t->value_mark,
                       fmt::format("invalid {}: truncate needs [lo, hi] with lo < hi", owner),
                       "write truncate: [lo, hi]");
    }
    d.truncate = std::make_pair(bounds[0], bounds[1]);
  }
  if (const Entry* w = spec.find("weights")) {
    if (d.kind != "choice") {
      throw InputError(w->key_mark, fmt::format("weights: only applies to choice, not {}", d.kind),
                       "remove weights: or use {choice: [v1, v2], weights: [w1, w2]}");
    }
    d.weights = early_numbers(w->value, w->value_mark, "weights", why);
    double sum = 0.0;
    bool negative = false;
    for (const double x : d.weights) {
      sum += x;
      negative = negative || x < 0;
    }
    if (d.weights.size() != a.size() || negative || !(sum > 0)) {
      throw InputError(w->value_mark,
                       fmt::format("invalid {}: choice weights must be {} non-negative numbers "
                                   "with a positive sum",
                                   owner, a.size()),
                       "write one weight per choice value, e.g. weights: [1, 2]");
    }
  }
  return d;
}

void ModelParser::parse_attributes() {
  const std::string why = "an attribute's initial value and range may only use parameters";
  for (const auto& entry : attributes_->entries()) {
    Attribute attr;
    attr.name = entry.key;
    attr.mark = entry.key_mark;
    const std::string owner = fmt::format("attribute '{}'", attr.name);
    const auto read = [&](const YAML::Node& node, const SourceMark& where,
                          const std::string& what) {
      Formula f = reader_.formula(node, where, what);
      check_formula(f, all_names_);
      require_names(f, parameter_names_, why);
      return f;
    };
    if (entry.value.IsMap()) {
      const MapView spec(reader_, entry.value, entry.value_mark, owner);
      spec.allow_only(kAttributeKeys);
      if (const Entry* i = spec.find("initial")) {
        attr.initial = read(i->value, i->value_mark, fmt::format("initial value of {}", owner));
      } else {
        attr.initial = Formula::number(0.0, entry.key_mark);
      }
      if (const Entry* r = spec.find("range")) {
        const auto items = reader_.sequence(r->value, r->value_mark, "range");
        if (items.size() != 2) {
          throw InputError(
              r->value_mark,
              fmt::format("range of {} has {} numbers; it needs two", owner, items.size()),
              "write range: [lo, hi]");
        }
        attr.range = std::make_pair(read(items[0], r->value_mark, "range"),
                                    read(items[1], r->value_mark, "range"));
      }
      if (const Entry* u = spec.find("unit"))
        attr.unit = reader_.text(u->value, u->value_mark, "unit");
      if (const Entry* d = spec.find("doc"))
        attr.doc = reader_.text(d->value, d->value_mark, "doc");
    } else if (entry.value.IsNull()) {
      attr.initial = Formula::number(0.0, entry.key_mark);
    } else {
      attr.initial = read(entry.value, entry.value_mark, fmt::format("initial value of {}", owner));
    }
    model_->attributes.push_back(std::move(attr));
  }
}

int ModelParser::attribute_index(const Entry& entry, const std::string& where) const {
  const int a = index_of(attribute_names_, entry.key);
  if (a >= 0) return a;
  throw InputError(
      entry.key_mark,
      fmt::format("unknown attribute '{}' in {}{}", entry.key, where,
                  did_you_mean(entry.key, attribute_names_)),
      attribute_names_.empty()
          ? fmt::format("declare it under attributes:, e.g. {}: {{initial: 0}}", entry.key)
          : fmt::format("attributes are: {}", fmt::join(attribute_names_, ", ")));
}

Formula ModelParser::model_formula(const Entry& entry, const std::string& what) {
  Formula f = reader_.formula(entry.value, entry.value_mark, what);
  check_formula(f, all_names_);
  return f;
}

void ModelParser::parse_actors(const MapView& top) {
  const Entry& actors = top.require("actors", "add actors: with one entry per player");
  const MapView list(reader_, actors.value, actors.value_mark, "actors");
  if (list.empty()) {
    throw InputError(actors.key_mark, "actors: is empty; a game needs at least one actor",
                     "add actors, e.g. row: Row and column: Column");
  }
  actors_mark_ = actors.key_mark;
  for (const auto& entry : list.entries()) {
    if (!is_label(entry.key)) {
      throw InputError(entry.key_mark, fmt::format("actor id '{}' is not a valid id", entry.key),
                       "use letters, digits, '_', '-' or '.' (e.g. 'japan')");
    }
    Actor actor;
    actor.mark = entry.key_mark;
    std::string display = entry.key;
    const std::string owner = fmt::format("actor '{}'", entry.key);
    if (entry.value.IsMap()) {
      const MapView spec(reader_, entry.value, entry.value_mark, owner);
      spec.allow_only(kActorKeys);
      if (const Entry* n = spec.find("name"))
        display = reader_.text(n->value, n->value_mark, "name");
      if (const Entry* d = spec.find("doc"))
        actor.doc = reader_.text(d->value, d->value_mark, "doc");
      if (const Entry* w = spec.find("weights")) {
        const MapView weights(reader_, w->value, w->value_mark,
                              fmt::format("weights of {}", owner));
        for (const auto& e : weights.entries()) {
          const int a = attribute_index(e, fmt::format("weights of {}", owner));
          actor.weights.emplace_back(a, model_formula(e, fmt::format("weight of '{}'", e.key)));
        }
        has_weights_or_terms_ = has_weights_or_terms_ || !weights.empty();
        first_valuation_ = first_valuation_.line ? first_valuation_ : w->key_mark;
      }
      if (const Entry* t = spec.find("terms")) {
        const MapView terms(reader_, t->value, t->value_mark, fmt::format("terms of {}", owner));
        for (const auto& e : terms.entries()) {
          actor.terms.emplace_back(e.key, model_formula(e, fmt::format("term '{}'", e.key)));
        }
        has_weights_or_terms_ = has_weights_or_terms_ || !terms.empty();
        first_valuation_ = first_valuation_.line ? first_valuation_ : t->key_mark;
      }
    } else if (!entry.value.IsNull()) {
      display =
          reader_.text(entry.value, entry.value_mark, fmt::format("display name of {}", owner));
    }
    model_->actor_ids.push_back(entry.key);
    model_->actor_names.push_back(display);
    model_->actors.push_back(std::move(actor));
  }
}

}  // namespace parse_detail

using parse_detail::ModelParser;

std::unique_ptr<Scenario::Model> parse_model(const std::string& text, const std::string& file) {
  return ModelParser(file).run(text);
}

std::string profile_text(const Scenario::Model& model, const std::vector<int>& actions) {
  std::string text = "(";
  for (std::size_t a = 0; a < actions.size(); ++a) {
    if (a > 0) text += ", ";
    text += model.move_ids[a][static_cast<std::size_t>(actions[a])];
  }
  return text + ")";
}

}  // namespace stratagem::scenario_detail
