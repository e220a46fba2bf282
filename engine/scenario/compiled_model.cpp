// What every compiled scenario shares: variable storage, parameters, attributes, utilities.

#include "scenario/compiled_model.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace stratagem::scenario_detail {

CompiledModel::CompiledModel(std::shared_ptr<const Scenario::Model> model)
    : model_(std::move(model)),
      num_params_(model_->parameters.size()),
      storage_(std::make_unique<double[]>(num_params_ + model_->attributes.size() + 1)) {
  const Scenario::Model& m = *model_;
  for (std::size_t i = 0; i < num_params_; ++i) slots_[m.parameters[i].name] = &storage_[i];
  for (std::size_t j = 0; j < m.attributes.size(); ++j) {
    slots_[m.attributes[j].name] = &storage_[num_params_ + j];
  }
  for (const auto& f : m.parameter_formulas) parameter_values_.emplace_back(f, slots_);
  for (const auto& attr : m.attributes) {
    initials_.emplace_back(attr.initial, slots_);
    if (attr.range) {
      ranges_.emplace_back(std::in_place, CompiledFormula(attr.range->first, slots_),
                           CompiledFormula(attr.range->second, slots_));
    } else {
      ranges_.emplace_back(std::nullopt);
    }
  }
  for (const auto& actor : m.actors) {
    auto& weights = weights_.emplace_back();
    for (const auto& [attribute, weight] : actor.weights) {
      weights.emplace_back(num_params_ + static_cast<std::size_t>(attribute),
                           CompiledFormula(weight, slots_));
    }
    auto& terms = terms_.emplace_back();
    for (const auto& term : actor.terms) terms.emplace_back(term.second, slots_);
  }
}

void CompiledModel::set_parameters(const ParameterValues& values) {
  const Scenario::Model& m = *model_;
  for (const auto& [name, value] : values) {
    bool known = false;
    for (const auto& p : m.parameters) known = known || p.name == name;
    if (!known) {
      std::vector<std::string> names;
      for (const auto& p : m.parameters) names.push_back(p.name);
      throw InputError({m.file, 0, 0},
                       fmt::format("unknown parameter '{}'{}", name, did_you_mean(name, names)),
                       fmt::format("parameters are: {}", fmt::join(names, ", ")));
    }
    if (!std::isfinite(value)) {
      throw InputError({m.file, 0, 0},
                       fmt::format("parameter '{}' = {} is not a finite number", name, value),
                       "give a finite value");
    }
  }
  for (std::size_t i = 0; i < num_params_; ++i) {
    const auto it = values.find(m.parameters[i].name);
    if (it != values.end()) {
      storage_[i] = it->second;
    } else {
      storage_[i] = parameter_values_[i].eval();
      require_finite(m.parameter_formulas[i], storage_[i],
                     fmt::format("(value of parameter '{}'){}", m.parameters[i].name,
                                 with_values(m.parameter_formulas[i])));
    }
  }
}

std::string CompiledModel::with_values(const Formula& f) const {
  std::string text;
  for (const auto& name : f.names) {
    const auto it = slots_.find(name);
    const double value = it == slots_.end() ? 0.0 : *it->second;
    text += fmt::format("{}{}={}", text.empty() ? " with " : ", ", name, value);
  }
  return text;
}

double CompiledModel::eval(const CompiledFormula& f) const {
  const double value = f.eval();
  if (!std::isfinite(value)) require_finite(f.source(), value, point() + with_values(f.source()));
  return value;
}

AttributeBounds CompiledModel::attribute_bounds() const {
  const Scenario::Model& m = *model_;
  const std::size_t num_attrs = m.attributes.size();
  AttributeBounds b{.initial = std::vector<double>(num_attrs),
                    .lo = std::vector<double>(num_attrs, -INFINITY),
                    .hi = std::vector<double>(num_attrs, INFINITY)};
  for (std::size_t j = 0; j < num_attrs; ++j) {
    b.initial[j] = eval(initials_[j]);
    if (!ranges_[j]) continue;
    b.lo[j] = eval(ranges_[j]->first);
    b.hi[j] = eval(ranges_[j]->second);
    if (b.lo[j] > b.hi[j]) {
      throw InputError(m.attributes[j].range->first.mark,
                       fmt::format("range of attribute '{}' is [{}, {}]: the lower bound is "
                                   "above the upper bound",
                                   m.attributes[j].name, b.lo[j], b.hi[j]),
                       "write range: [lo, hi] with lo <= hi at these parameter values");
    }
    if (b.initial[j] < b.lo[j] || b.initial[j] > b.hi[j]) {
      throw InputError(m.attributes[j].initial.mark,
                       fmt::format("initial value {} of attribute '{}' is outside its range "
                                   "[{}, {}]",
                                   b.initial[j], m.attributes[j].name, b.lo[j], b.hi[j]),
                       "change initial: or widen range:");
    }
  }
  return b;
}

void CompiledModel::reset_attributes(const AttributeBounds& bounds) {
  std::copy(bounds.initial.begin(), bounds.initial.end(), storage_.get() + num_params_);
}

std::vector<CompiledEffect> CompiledModel::compile_effects(const std::vector<Effect>& effects) {
  std::vector<CompiledEffect> result;
  for (const auto& e : effects) {
    result.push_back({num_params_ + static_cast<std::size_t>(e.attribute), e.add,
                      CompiledFormula(e.value, slots_), &e});
  }
  return result;
}

void CompiledModel::apply(const std::vector<CompiledEffect>& effects,
                          std::vector<const Effect*>& last) {
  for (const auto& e : effects) {
    const double value = eval(e.value);
    if (e.add) {
      storage_[e.slot] += value;
    } else {
      storage_[e.slot] = value;
    }
    last[e.slot - num_params_] = e.source;
  }
}

void CompiledModel::check_ranges(const AttributeBounds& bounds,
                                 const std::vector<const Effect*>& last,
                                 const std::string& hint_tail) const {
  const Scenario::Model& m = *model_;
  for (std::size_t j = 0; j < m.attributes.size(); ++j) {
    const double v = storage_[num_params_ + j];
    const double lo = bounds.lo[j];
    const double hi = bounds.hi[j];
    const double tol = 1e-9 * std::max(1.0, std::abs(hi - lo));
    if (v >= lo - tol && v <= hi + tol) continue;
    const SourceMark where = last[j] ? last[j]->mark : m.attributes[j].mark;
    throw InputError(where,
                     fmt::format("attribute '{}' becomes {} {}, outside its range [{}, {}]",
                                 m.attributes[j].name, v, point(), lo, hi),
                     fmt::format("keep set:/add: of '{}' within [{}, {}]{}, or widen its range:",
                                 m.attributes[j].name, lo, hi, hint_tail));
  }
}

double CompiledModel::utility(std::size_t actor) const {
  double u = 0.0;
  for (const auto& [slot, weight] : weights_[actor]) u += eval(weight) * storage_[slot];
  for (const auto& term : terms_[actor]) u += eval(term);
  if (!std::isfinite(u)) {
    throw InputError(
        model_->actors[actor].mark,
        fmt::format("utility of actor '{}' is {} {}", model_->actor_ids[actor], u, point()),
        "check the sizes of weights and attributes");
  }
  return u;
}

}  // namespace stratagem::scenario_detail
