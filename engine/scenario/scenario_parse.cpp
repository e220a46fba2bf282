// Parsing of scenario files (DESIGN.md §5) into Scenario::Model: structure, names, formulas.

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "scenario/loader.hpp"

namespace stratagem::scenario_detail {
namespace {

using Model = Scenario::Model;

const std::vector<std::string> kTopKeys = {"stratagem",  "name",       "description",
                                           "sources",    "method",     "parameters",
                                           "attributes", "actors",     "game",
                                           "expect"};
const std::vector<std::string> kParameterKeys = {"value", "range", "unit", "doc", "distribution"};
const std::vector<std::string> kAttributeKeys = {"initial", "range", "unit", "doc"};
const std::vector<std::string> kActorKeys = {"name", "weights", "terms", "doc"};
const std::vector<std::string> kGameKeys = {"type", "moves", "rules", "matrix", "payoffs", "doc"};
const std::vector<std::string> kRepeatedKeys = {"type", "stage", "discount", "continuation", "horizon",
                                               "strategies", "profiles", "doc"};
const std::vector<std::string> kGameTypes = {"normal", "tree", "repeated"};
const std::vector<std::string> kMoveKeys = {"category", "doc", "set", "add"};
const std::vector<std::string> kRuleKeys = {"when", "set", "add", "doc"};
const std::vector<std::string> kCategories = {"concession", "energy",   "sanction", "military",
                                              "diplomatic", "economic", "other"};
const std::vector<std::string> kDistributionKinds = {"uniform", "normal", "triangular", "beta",
                                                     "choice"};

/// Actor and move ids: letters, digits, '_', '-', '.'; not "*".
bool is_label(const std::string& text) {
  if (text.empty()) return false;
  return std::all_of(text.begin(), text.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
  });
}

int index_of(const std::vector<std::string>& names, const std::string& name) {
  const auto it = std::find(names.begin(), names.end(), name);
  return it == names.end() ? -1 : static_cast<int>(it - names.begin());
}

std::string bracketed(double lo, double hi) { return fmt::format("[{}, {}]", lo, hi); }

class ModelParser {
 public:
  explicit ModelParser(const std::string& file) : reader_(file), model_(std::make_unique<Model>()) {
    model_->file = file;
  }

  std::unique_ptr<Model> run(const std::string& text) {
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

 private:
  // ---- header -----------------------------------------------------------------------------

  void parse_header(const MapView& top) {
    const Entry* version = top.find("stratagem");
    if (version == nullptr) {
      throw InputError(reader_.start(), "missing schema version 'stratagem:'",
                       "write stratagem: 1 as the first line");
    }
    if (!version->value.IsScalar() || version->value.Scalar() != "1") {
      const std::string written =
          version->value.IsScalar() ? version->value.Scalar() : std::string("(not a number)");
      throw InputError(version->value_mark,
                       fmt::format("unsupported schema version '{}'", written),
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
    }
  }

  // ---- parameters and attributes ------------------------------------------------------------

  void check_variable_name(const Entry& entry, const std::string& kind) {
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

  void parse_names(const MapView& top) {
    const Entry* params = top.find("parameters");
    const Entry* attrs = top.find("attributes");
    parameters_ = std::make_unique<MapView>(reader_, params ? params->value : YAML::Node(),
                                            params ? params->value_mark : reader_.start(),
                                            "parameters");
    attributes_ = std::make_unique<MapView>(reader_, attrs ? attrs->value : YAML::Node(),
                                            attrs ? attrs->value_mark : reader_.start(),
                                            "attributes");
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

  /// A formula of earlier parameters (values known), evaluated now.
  double early_number(const YAML::Node& node, const SourceMark& where, const std::string& what,
                      const std::string& why) {
    Formula f = reader_.formula(node, where, what);
    check_formula(f, all_names_);
    require_names(f, earlier_names_, why);
    return evaluate_once(f, earlier_values_, fmt::format("(in {})", what));
  }

  std::vector<double> early_numbers(const YAML::Node& node, const SourceMark& where,
                                    const std::string& what, const std::string& why) {
    std::vector<double> values;
    for (const auto& item : reader_.sequence(node, where, what)) {
      values.push_back(early_number(item, reader_.mark(node, where), what, why));
    }
    return values;
  }

  std::pair<double, double> early_range(const Entry& entry, const std::string& owner,
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
                       fmt::format("{} {} is empty: the lower bound is above the upper bound",
                                   what, bracketed(bounds[0], bounds[1])),
                       fmt::format("write range: [{}, {}]", bounds[1], bounds[0]));
    }
    return {bounds[0], bounds[1]};
  }

  void parse_parameters() {
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
        if (const Entry* u = spec.find("unit")) p.unit = reader_.text(u->value, u->value_mark, "unit");
        if (const Entry* d = spec.find("doc")) p.doc = reader_.text(d->value, d->value_mark, "doc");
        if (p.range && (p.value < p.range->first || p.value > p.range->second)) {
          throw InputError(value.mark,
                           fmt::format("{} = {} is outside its range {}", owner, p.value,
                                       bracketed(p.range->first, p.range->second)),
                           fmt::format("write a value in {} or widen range:",
                                       bracketed(p.range->first, p.range->second)));
        }
        if (const Entry* d = spec.find("distribution")) p.distribution = parse_distribution(*d, p, why);
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

  Distribution parse_distribution(const Entry& entry, const Parameter& p, const std::string& why) {
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
      if (!(a[0] < a[1])) fail(fmt::format("uniform needs lo < hi, got {}", bracketed(a[0], a[1])),
                               "write {uniform: [lo, hi]} with lo < hi");
    } else if (d.kind == "normal") {
      need(2, "[mean, sd]");
      if (!(a[1] > 0)) fail(fmt::format("normal needs sd > 0, got {}", a[1]),
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
        throw InputError(t->value_mark, fmt::format("invalid {}: truncate needs [lo, hi] with lo < hi", owner),
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

  void parse_attributes() {
    const std::string why = "an attribute's initial value and range may only use parameters";
    for (const auto& entry : attributes_->entries()) {
      Attribute attr;
      attr.name = entry.key;
      attr.mark = entry.key_mark;
      const std::string owner = fmt::format("attribute '{}'", attr.name);
      const auto read = [&](const YAML::Node& node, const SourceMark& where, const std::string& what) {
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
            throw InputError(r->value_mark,
                             fmt::format("range of {} has {} numbers; it needs two", owner,
                                         items.size()),
                             "write range: [lo, hi]");
          }
          attr.range = std::make_pair(read(items[0], r->value_mark, "range"),
                                      read(items[1], r->value_mark, "range"));
        }
        if (const Entry* u = spec.find("unit")) attr.unit = reader_.text(u->value, u->value_mark, "unit");
        if (const Entry* d = spec.find("doc")) attr.doc = reader_.text(d->value, d->value_mark, "doc");
      } else if (entry.value.IsNull()) {
        attr.initial = Formula::number(0.0, entry.key_mark);
      } else {
        attr.initial = read(entry.value, entry.value_mark, fmt::format("initial value of {}", owner));
      }
      model_->attributes.push_back(std::move(attr));
    }
  }

  // ---- actors -------------------------------------------------------------------------------

  int attribute_index(const Entry& entry, const std::string& where) const {
    const int a = index_of(attribute_names_, entry.key);
    if (a >= 0) return a;
    throw InputError(entry.key_mark,
                     fmt::format("unknown attribute '{}' in {}{}", entry.key, where,
                                 did_you_mean(entry.key, attribute_names_)),
                     attribute_names_.empty()
                         ? fmt::format("declare it under attributes:, e.g. {}: {{initial: 0}}",
                                       entry.key)
                         : fmt::format("attributes are: {}", fmt::join(attribute_names_, ", ")));
  }

  Formula model_formula(const Entry& entry, const std::string& what) {
    Formula f = reader_.formula(entry.value, entry.value_mark, what);
    check_formula(f, all_names_);
    return f;
  }

  void parse_actors(const MapView& top) {
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
        if (const Entry* n = spec.find("name")) display = reader_.text(n->value, n->value_mark, "name");
        if (const Entry* d = spec.find("doc")) actor.doc = reader_.text(d->value, d->value_mark, "doc");
        if (const Entry* w = spec.find("weights")) {
          const MapView weights(reader_, w->value, w->value_mark, fmt::format("weights of {}", owner));
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
        display = reader_.text(entry.value, entry.value_mark, fmt::format("display name of {}", owner));
      }
      model_->actor_ids.push_back(entry.key);
      model_->actor_names.push_back(display);
      model_->actors.push_back(std::move(actor));
    }
  }

  // ---- game ---------------------------------------------------------------------------------

  int actor_index(const Entry& entry, const std::string& where) const {
    const int a = index_of(model_->actor_ids, entry.key);
    if (a >= 0) return a;
    throw InputError(entry.key_mark,
                     fmt::format("unknown actor '{}' in {}{}", entry.key, where,
                                 did_you_mean(entry.key, model_->actor_ids)),
                     fmt::format("actors are: {}", fmt::join(model_->actor_ids, ", ")));
  }

  int move_index(int actor, const std::string& move, const SourceMark& where,
                 const std::string& context) const {
    const auto& ids = model_->move_ids[static_cast<std::size_t>(actor)];
    const int m = index_of(ids, move);
    if (m >= 0) return m;
    const std::string& actor_id = model_->actor_ids[static_cast<std::size_t>(actor)];
    throw InputError(where,
                     fmt::format("unknown move '{}' for actor '{}' in {}{}", move, actor_id, context,
                                 did_you_mean(move, ids)),
                     fmt::format("moves of {} are: {}", actor_id, fmt::join(ids, ", ")));
  }

  void parse_effects(const MapView& spec, std::vector<Effect>& out, const std::string& owner) {
    for (const char* kind : {"set", "add"}) {
      const Entry* e = spec.find(kind);
      if (e == nullptr) continue;
      const MapView targets(reader_, e->value, e->value_mark, fmt::format("{}: of {}", kind, owner));
      for (const auto& t : targets.entries()) {
        Effect effect;
        effect.attribute = attribute_index(t, fmt::format("{}: of {}", kind, owner));
        effect.add = std::string(kind) == "add";
        effect.value = model_formula(t, fmt::format("{}: {}", kind, t.key));
        effect.mark = t.key_mark;
        out.push_back(std::move(effect));
        if (!first_effect_.line) first_effect_ = e->key_mark;
      }
    }
  }

  void parse_moves(const Entry& moves_entry) {
    model_->moves_mark = moves_entry.key_mark;
    const std::size_t n = model_->actor_ids.size();
    model_->move_ids.assign(n, {});
    model_->moves.assign(n, {});
    std::vector<bool> seen(n, false);
    const MapView per_actor(reader_, moves_entry.value, moves_entry.value_mark, "moves");
    for (const auto& entry : per_actor.entries()) {
      const auto a = static_cast<std::size_t>(actor_index(entry, "moves"));
      seen[a] = true;
      const std::string owner = fmt::format("moves of '{}'", entry.key);
      auto& ids = model_->move_ids[a];
      auto& moves = model_->moves[a];
      const auto add_id = [&](const std::string& id, const SourceMark& mark) {
        if (!is_label(id) || id == "*") {
          throw InputError(mark, fmt::format("move id '{}' is not a valid id", id),
                           "use letters, digits, '_', '-' or '.' (e.g. 'offer_two')");
        }
        for (const auto& m : moves) {
          if (m.id == id) {
            throw InputError(mark,
                             fmt::format("duplicate move '{}' in {}; first defined{}", id, owner,
                                         line_ref(m.mark)),
                             "remove or rename one of them");
          }
        }
        Move move;
        move.id = id;
        move.mark = mark;
        ids.push_back(id);
        moves.push_back(std::move(move));
      };
      if (entry.value.IsSequence()) {
        for (const auto& item : entry.value) {
          const SourceMark mark = reader_.mark(item, entry.value_mark);
          add_id(reader_.text(item, mark, "move id"), mark);
        }
      } else if (entry.value.IsMap()) {
        const MapView list(reader_, entry.value, entry.value_mark, owner);
        for (const auto& m : list.entries()) {
          add_id(m.key, m.key_mark);
          Move& move = moves.back();
          const std::string move_owner = fmt::format("move '{}'", m.key);
          if (m.value.IsNull()) continue;
          const MapView spec(reader_, m.value, m.value_mark, move_owner);
          spec.allow_only(kMoveKeys);
          if (const Entry* c = spec.find("category")) {
            move.category = reader_.text(c->value, c->value_mark, "category");
            if (index_of(kCategories, move.category) < 0) {
              throw InputError(c->value_mark,
                               fmt::format("unknown category '{}' for {}{}", move.category,
                                           move_owner, did_you_mean(move.category, kCategories)),
                               fmt::format("categories are: {}", fmt::join(kCategories, ", ")));
            }
          }
          if (const Entry* d = spec.find("doc")) move.doc = reader_.text(d->value, d->value_mark, "doc");
          parse_effects(spec, move.effects, move_owner);
        }
      } else {
        throw InputError(entry.value_mark,
                         fmt::format("{} must be a list of move ids or a mapping of moves", owner),
                         fmt::format("write {}: [move_a, move_b] or {}: {{move_a: {{category: "
                                     "other}}, ...}}",
                                     entry.key, entry.key));
      }
      if (ids.empty()) {
        throw InputError(entry.value_mark, fmt::format("{} is empty", owner),
                         "give every actor at least one move");
      }
    }
    for (std::size_t a = 0; a < n; ++a) {
      if (seen[a]) continue;
      throw InputError(moves_entry.key_mark,
                       fmt::format("actor '{}' has no entry under moves:", model_->actor_ids[a]),
                       fmt::format("add {}: [move_a, move_b] under moves:", model_->actor_ids[a]));
    }
  }

  void parse_rules(const Entry& rules_entry) {
    for (const auto& item : reader_.sequence(rules_entry.value, rules_entry.value_mark, "rules")) {
      Rule rule;
      rule.mark = reader_.mark(item, rules_entry.value_mark);
      rule.allowed.assign(model_->actor_ids.size(), {});
      const MapView spec(reader_, item, rule.mark, "a rule");
      spec.allow_only(kRuleKeys);
      if (const Entry* w = spec.find("when")) {
        const MapView when(reader_, w->value, w->value_mark, "when:");
        for (const auto& e : when.entries()) {
          const int a = actor_index(e, "when:");
          std::vector<int> allowed;
          bool any = false;
          const auto add = [&](const YAML::Node& node, const SourceMark& where) {
            const std::string id = reader_.text(node, where, "move id");
            if (id == "*") {
              any = true;
              return;
            }
            allowed.push_back(move_index(a, id, where, "when:"));
          };
          if (e.value.IsSequence()) {
            for (const auto& m : e.value) add(m, reader_.mark(m, e.value_mark));
          } else {
            add(e.value, e.value_mark);
          }
          if (!any) rule.allowed[static_cast<std::size_t>(a)] = std::move(allowed);
        }
      }
      parse_effects(spec, rule.effects, "a rule");
      if (rule.effects.empty()) {
        throw InputError(rule.mark, "this rule has no set: or add:, so it does nothing",
                         "add set: {attribute: value} or add: {attribute: amount}, or remove it");
      }
      model_->rules.push_back(std::move(rule));
    }
  }

  std::vector<Formula> payoff_values(const YAML::Node& node, const SourceMark& where,
                                     const std::string& what) {
    const std::size_t n = model_->actor_ids.size();
    std::vector<Formula> values(n);
    const auto read = [&](const YAML::Node& v, const SourceMark& at, const std::string& whose) {
      Formula f = reader_.formula(v, at, whose);
      check_formula(f, all_names_);
      require_names(f, parameter_names_, "direct payoffs may only use parameters");
      return f;
    };
    if (node.IsMap()) {
      const MapView by_actor(reader_, node, where, what);
      std::vector<bool> given(n, false);
      for (const auto& e : by_actor.entries()) {
        const auto a = static_cast<std::size_t>(actor_index(e, what));
        values[a] = read(e.value, e.value_mark, fmt::format("payoff of '{}'", e.key));
        given[a] = true;
      }
      for (std::size_t a = 0; a < n; ++a) {
        if (given[a]) continue;
        throw InputError(where, fmt::format("{} gives no payoff for actor '{}'", what,
                                            model_->actor_ids[a]),
                         fmt::format("add {}: <payoff>", model_->actor_ids[a]));
      }
      return values;
    }
    const auto items = reader_.sequence(node, where, what);
    if (items.size() != n) {
      throw InputError(where,
                       fmt::format("{} has {} payoffs but there are {} actors", what, items.size(), n),
                       fmt::format("write one payoff per actor, in the order {}",
                                   fmt::join(model_->actor_ids, ", ")));
    }
    for (std::size_t a = 0; a < n; ++a) {
      values[a] = read(items[a], reader_.mark(items[a], where),
                       fmt::format("payoff of '{}'", model_->actor_ids[a]));
    }
    return values;
  }

  void parse_matrix(const Entry& entry) {
    if (model_->actor_ids.size() != 2) {
      throw InputError(entry.key_mark,
                       fmt::format("matrix: needs exactly two actors, but there are {}",
                                   model_->actor_ids.size()),
                       "use payoffs: keyed by profile for other numbers of actors");
    }
    const auto& rows_ids = model_->move_ids[0];
    const auto& cols_ids = model_->move_ids[1];
    const auto rows = reader_.sequence(entry.value, entry.value_mark, "matrix");
    if (rows.size() != rows_ids.size()) {
      throw InputError(entry.value_mark,
                       fmt::format("matrix has {} rows but '{}' has {} moves", rows.size(),
                                   model_->actor_ids[0], rows_ids.size()),
                       fmt::format("write one row per move of '{}': {}", model_->actor_ids[0],
                                   fmt::join(rows_ids, ", ")));
    }
    for (std::size_t r = 0; r < rows.size(); ++r) {
      const SourceMark row_mark = reader_.mark(rows[r], entry.value_mark);
      const auto cells = reader_.sequence(rows[r], row_mark, fmt::format("matrix row {}", r + 1));
      if (cells.size() != cols_ids.size()) {
        throw InputError(row_mark,
                         fmt::format("matrix row {} ('{}') has {} cells but '{}' has {} moves",
                                     r + 1, rows_ids[r], cells.size(), model_->actor_ids[1],
                                     cols_ids.size()),
                         fmt::format("write one [a, b] cell per move of '{}': {}",
                                     model_->actor_ids[1], fmt::join(cols_ids, ", ")));
      }
      for (std::size_t c = 0; c < cells.size(); ++c) {
        PayoffEntry cell;
        cell.mark = reader_.mark(cells[c], row_mark);
        cell.pattern = {static_cast<int>(r), static_cast<int>(c)};
        cell.values = payoff_values(cells[c], cell.mark,
                                    fmt::format("matrix cell ({}, {})", rows_ids[r], cols_ids[c]));
        model_->payoff_entries.push_back(std::move(cell));
      }
    }
  }

  void parse_payoffs(const Entry& entry) {
    const MapView list(reader_, entry.value, entry.value_mark, "payoffs");
    const std::size_t n = model_->actor_ids.size();
    for (const auto& e : list.entries()) {
      PayoffEntry payoff;
      payoff.mark = e.key_mark;
      // Split the key on commas and blanks; each token is a move id of the actor in turn or "*".
      std::vector<std::pair<std::string, int>> tokens;  // token, offset in the key
      std::size_t i = 0;
      while (i < e.key.size()) {
        while (i < e.key.size() && (e.key[i] == ',' || std::isspace(static_cast<unsigned char>(e.key[i])))) ++i;
        const std::size_t begin = i;
        while (i < e.key.size() && e.key[i] != ',' && !std::isspace(static_cast<unsigned char>(e.key[i]))) ++i;
        if (i > begin) tokens.emplace_back(e.key.substr(begin, i - begin), static_cast<int>(begin));
      }
      if (tokens.size() != n) {
        throw InputError(e.key_mark,
                         fmt::format("profile \"{}\" names {} moves but there are {} actors", e.key,
                                     tokens.size(), n),
                         fmt::format("write one move per actor in the order {}, or '*' for any",
                                     fmt::join(model_->actor_ids, ", ")));
      }
      for (std::size_t a = 0; a < n; ++a) {
        const auto& [token, offset] = tokens[a];
        if (token == "*") {
          payoff.pattern.push_back(-1);
          continue;
        }
        SourceMark where = e.key_mark;
        if (where.column > 0) where.column += offset + (e.key_quoted ? 1 : 0);
        payoff.pattern.push_back(move_index(static_cast<int>(a), token, where,
                                            fmt::format("payoffs profile \"{}\"", e.key)));
      }
      payoff.values = payoff_values(e.value, e.value_mark, fmt::format("payoffs entry \"{}\"", e.key));
      model_->payoff_entries.push_back(std::move(payoff));
    }
  }

  void check_size() {
    // Saturating product, so that the limit check cannot overflow.
    std::size_t profiles = 1;
    for (const auto& ids : model_->move_ids) {
      const std::size_t k = ids.size();
      if (profiles > std::numeric_limits<std::size_t>::max() / k) {
        profiles = std::numeric_limits<std::size_t>::max();
      } else {
        profiles *= k;
      }
    }
    if (profiles > model_->limits.max_profiles) {
      throw InputError(model_->moves_mark,
                       fmt::format("the game is too large: more than {} pure profiles",
                                   model_->limits.max_profiles),
                       "reduce the number of actors or moves");
    }
    try {
      const NormalFormBuilder builder(model_->actor_ids, model_->move_ids, model_->limits);
    } catch (const InvalidGame& e) {
      throw InputError(model_->moves_mark, fmt::format("invalid game: {}", e.what()),
                       "check the actors and moves");
    }
  }

  void check_coverage(const SourceMark& where) {
    std::vector<int> shape;
    std::size_t profiles = 1;
    for (const auto& ids : model_->move_ids) {
      shape.push_back(static_cast<int>(ids.size()));
      profiles *= ids.size();
    }
    std::vector<char> covered(profiles, 0);
    for (const auto& entry : model_->payoff_entries) {
      for_each_match(entry.pattern, shape, [&](std::size_t index) { covered[index] = 1; });
    }
    const auto missing = std::find(covered.begin(), covered.end(), 0);
    if (missing == covered.end()) return;
    std::size_t index = static_cast<std::size_t>(missing - covered.begin());
    std::vector<int> actions;
    for (const int k : shape) {
      actions.push_back(static_cast<int>(index % static_cast<std::size_t>(k)));
      index /= static_cast<std::size_t>(k);
    }
    std::vector<std::string> names;
    for (std::size_t a = 0; a < actions.size(); ++a) {
      names.push_back(model_->move_ids[a][static_cast<std::size_t>(actions[a])]);
    }
    std::vector<std::string> dots(actions.size(), "...");
    throw InputError(where, fmt::format("no payoff for profile {}", profile_text(*model_, actions)),
                     fmt::format("add an entry \"{}\": [{}] or a \"*\" default", fmt::join(names, ", "),
                                 fmt::join(dots, ", ")));
  }

  void parse_game(const MapView& top) {
    const Entry& game_entry = top.require("game", "add game: with type: normal and moves:");
    const MapView game(reader_, game_entry.value, game_entry.value_mark, "game");
    const Entry& type = game.require("type", "write type: normal");
    model_->game_type = reader_.text(type.value, type.value_mark, "type");
    if (model_->game_type == "tree") {
      throw InputError(type.value_mark, "game type 'tree' is not supported yet",
                       "use type: normal or type: repeated");
    }
    if (model_->game_type != "normal" && model_->game_type != "repeated") {
      throw InputError(type.value_mark,
                       fmt::format("unknown game type '{}'{}", model_->game_type,
                                   did_you_mean(model_->game_type, kGameTypes)),
                       "write type: normal");
    }
    if (model_->game_type == "repeated") {
      // The stage game is an ordinary normal-form block under stage:.
      for (const char* key : {"moves", "rules", "matrix", "payoffs"}) {
        if (const Entry* misplaced = game.find(key)) {
          throw InputError(misplaced->key_mark,
                           fmt::format("in a repeated game, {}: belongs to the stage game", key),
                           fmt::format("indent it under stage: (game: {{type: repeated, stage: {{{}: ...}}}})", key));
        }
      }
      game.allow_only(kRepeatedKeys);
      const Entry& stage_entry =
          game.require("stage", "add stage: with the moves and payoffs of one round");
      const MapView stage(reader_, stage_entry.value, stage_entry.value_mark, "stage");
      parse_normal_block(stage, stage_entry);
      std::vector<std::string> known = parameter_names_;
      model_->repeated = std::make_shared<const RepeatedModel>(
          parse_repeated(reader_, game, model_->actor_ids, model_->move_ids, known));
      return;
    }
    game.allow_only(kGameKeys);
    parse_normal_block(game, game_entry);
  }

  /// moves:, rules:, matrix:/payoffs: of a normal-form game (or of a repeated game's stage).
  void parse_normal_block(const MapView& game, const Entry& game_entry) {
    if (model_->game_type == "repeated") game.allow_only({"moves", "rules", "matrix", "payoffs", "doc"});
    parse_moves(game.require("moves", "add moves: with one entry per actor listing its moves"));
    if (const Entry* r = game.find("rules")) parse_rules(*r);
    const Entry* matrix = game.find("matrix");
    const Entry* payoffs = game.find("payoffs");
    check_size();
    if (matrix != nullptr && payoffs != nullptr) {
      throw InputError(payoffs->key_mark, "both matrix: and payoffs: are given",
                       "keep one of them");
    }
    const Entry* direct = matrix != nullptr ? matrix : payoffs;
    if (direct == nullptr) {
      if (!has_weights_or_terms_) {
        throw InputError(game_entry.key_mark,
                         "no payoffs: give actors weights/terms, or a matrix:/payoffs:",
                         "add weights: {attribute: 1} to actors, or matrix:/payoffs: under game:");
      }
      return;
    }
    if (has_weights_or_terms_) {
      throw InputError(direct->key_mark,
                       fmt::format("{}: gives payoffs directly, but actors also have weights:/terms:{}",
                                   direct->key, line_ref(first_valuation_)),
                       fmt::format("remove {}: or the actors' weights:/terms:", direct->key));
    }
    if (first_effect_.line != 0) {
      throw InputError(first_effect_,
                       fmt::format("set:/add: change attributes, which {}: payoffs ignore",
                                   direct->key),
                       "remove set:/add: and rules:, or value the attributes with actor weights:");
    }
    model_->direct_payoffs = true;
    if (matrix != nullptr) {
      parse_matrix(*matrix);
    } else {
      parse_payoffs(*payoffs);
      check_coverage(payoffs->key_mark);
    }
  }

  Reader reader_;
  std::unique_ptr<Model> model_;
  std::unique_ptr<MapView> parameters_;
  std::unique_ptr<MapView> attributes_;
  std::vector<std::string> parameter_names_;
  std::vector<std::string> attribute_names_;
  std::vector<std::string> all_names_;
  std::vector<std::string> earlier_names_;
  std::map<std::string, double> earlier_values_;
  bool has_weights_or_terms_ = false;
  SourceMark first_valuation_;
  SourceMark first_effect_;
  SourceMark actors_mark_;
};

}  // namespace

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
