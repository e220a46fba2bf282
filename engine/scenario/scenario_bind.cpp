// Binding a compiled scenario to a parameter point: the normal-form game it describes.

#include <fmt/format.h>

#include <cmath>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "scenario/loader.hpp"

namespace stratagem::scenario_detail {
namespace {

using Model = Scenario::Model;

/// A set:/add: effect compiled against the scenario's storage.
struct CompiledEffect {
  std::size_t slot = 0;  ///< storage slot of the attribute
  bool add = false;
  CompiledFormula value;
  const Effect* source = nullptr;
};

class CompiledNormalScenario final : public CompiledScenario {
 public:
  explicit CompiledNormalScenario(std::shared_ptr<const Model> model)
      : model_(std::move(model)),
        num_params_(model_->parameters.size()),
        num_slots_(num_params_ + model_->attributes.size()),
        storage_(std::make_unique<double[]>(num_slots_ == 0 ? 1 : num_slots_)) {
    const Model& m = *model_;
    std::map<std::string, double*> slots;
    for (std::size_t i = 0; i < num_params_; ++i) slots[m.parameters[i].name] = &storage_[i];
    for (std::size_t j = 0; j < m.attributes.size(); ++j) {
      slots[m.attributes[j].name] = &storage_[num_params_ + j];
    }
    for (const auto& f : m.parameter_formulas) parameter_values_.emplace_back(f, slots);
    for (const auto& attr : m.attributes) {
      initials_.emplace_back(attr.initial, slots);
      if (attr.range) {
        ranges_.emplace_back(std::in_place, CompiledFormula(attr.range->first, slots),
                             CompiledFormula(attr.range->second, slots));
      } else {
        ranges_.emplace_back(std::nullopt);
      }
    }
    const auto compile_effects = [&](const std::vector<Effect>& effects) {
      std::vector<CompiledEffect> result;
      for (const auto& e : effects) {
        result.push_back({num_params_ + static_cast<std::size_t>(e.attribute), e.add,
                          CompiledFormula(e.value, slots), &e});
      }
      return result;
    };
    for (const auto& actor_moves : m.moves) {
      auto& compiled = move_effects_.emplace_back();
      for (const auto& move : actor_moves) compiled.push_back(compile_effects(move.effects));
    }
    for (const auto& rule : m.rules) {
      rule_effects_.push_back(compile_effects(rule.effects));
      auto& allowed = rule_allowed_.emplace_back();
      for (std::size_t a = 0; a < rule.allowed.size(); ++a) {
        auto& mask = allowed.emplace_back();
        if (rule.allowed[a].empty()) continue;
        mask.assign(m.move_ids[a].size(), 0);
        for (const int move : rule.allowed[a]) mask[static_cast<std::size_t>(move)] = 1;
      }
    }
    for (const auto& actor : m.actors) {
      auto& weights = weights_.emplace_back();
      for (const auto& [attribute, weight] : actor.weights) {
        weights.emplace_back(num_params_ + static_cast<std::size_t>(attribute),
                             CompiledFormula(weight, slots));
      }
      auto& terms = terms_.emplace_back();
      for (const auto& term : actor.terms) terms.emplace_back(term.second, slots);
    }
    for (const auto& entry : m.payoff_entries) {
      auto& values = payoff_values_.emplace_back();
      for (const auto& f : entry.values) values.emplace_back(f, slots);
    }
  }

  NormalFormGame bind(const ParameterValues& values) override {
    const Model& m = *model_;
    set_parameters(values);
    NormalFormBuilder builder(m.actor_ids, m.move_ids, m.limits);
    builder.set_title(m.name);
    if (m.direct_payoffs) {
      bind_direct(builder);
    } else {
      bind_attributes(builder);
    }
    try {
      return std::move(builder).build();
    } catch (const InvalidGame& e) {
      throw InputError(m.moves_mark, fmt::format("invalid game: {}", e.what()),
                       "check the payoff formulas at these parameter values");
    }
  }

 private:
  void set_parameters(const ParameterValues& values) {
    const Model& m = *model_;
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

  /// " with a=1, b=2": the current values of the variables a formula uses.
  std::string with_values(const Formula& f) const {
    const Model& m = *model_;
    std::string text;
    for (const auto& name : f.names) {
      double value = 0.0;
      for (std::size_t i = 0; i < num_params_; ++i) {
        if (m.parameters[i].name == name) value = storage_[i];
      }
      for (std::size_t j = 0; j < m.attributes.size(); ++j) {
        if (m.attributes[j].name == name) value = storage_[num_params_ + j];
      }
      text += fmt::format("{}{}={}", text.empty() ? " with " : ", ", name, value);
    }
    return text;
  }

  std::string at_profile(const std::vector<int>& actions) const {
    return fmt::format("at profile {}", profile_text(*model_, actions));
  }

  double eval(const CompiledFormula& f, const std::vector<int>* actions) const {
    const double value = f.eval();
    if (!std::isfinite(value)) {
      require_finite(f.source(), value,
                     (actions ? at_profile(*actions) : std::string("at these parameter values")) +
                         with_values(f.source()));
    }
    return value;
  }

  void bind_direct(NormalFormBuilder& builder) {
    const Model& m = *model_;
    const std::size_t n = m.actor_ids.size();
    const std::size_t profiles = builder.num_profiles();
    std::vector<double> table(profiles * n, 0.0);
    std::vector<double> entry_values(n);
    for (std::size_t e = 0; e < m.payoff_entries.size(); ++e) {
      for (std::size_t a = 0; a < n; ++a) entry_values[a] = eval(payoff_values_[e][a], nullptr);
      for_each_match(m.payoff_entries[e].pattern, builder.shape(), [&](std::size_t index) {
        std::copy(entry_values.begin(), entry_values.end(), table.begin() + index * n);
      });
    }
    for (std::size_t index = 0; index < profiles; ++index) {
      builder.set_payoffs(index, std::span<const double>(table.data() + index * n, n));
    }
  }

  void apply(const std::vector<CompiledEffect>& effects, const std::vector<int>& actions,
             std::vector<const Effect*>& last) {
    for (const auto& e : effects) {
      const double value = eval(e.value, &actions);
      if (e.add) {
        storage_[e.slot] += value;
      } else {
        storage_[e.slot] = value;
      }
      last[e.slot - num_params_] = e.source;
    }
  }

  void bind_attributes(NormalFormBuilder& builder) {
    const Model& m = *model_;
    const std::size_t n = m.actor_ids.size();
    const std::size_t num_attrs = m.attributes.size();
    std::vector<double> initial(num_attrs);
    std::vector<double> lo(num_attrs, -INFINITY);
    std::vector<double> hi(num_attrs, INFINITY);
    for (std::size_t j = 0; j < num_attrs; ++j) {
      initial[j] = eval(initials_[j], nullptr);
      if (!ranges_[j]) continue;
      lo[j] = eval(ranges_[j]->first, nullptr);
      hi[j] = eval(ranges_[j]->second, nullptr);
      if (lo[j] > hi[j]) {
        throw InputError(m.attributes[j].range->first.mark,
                         fmt::format("range of attribute '{}' is [{}, {}]: the lower bound is "
                                     "above the upper bound",
                                     m.attributes[j].name, lo[j], hi[j]),
                         "write range: [lo, hi] with lo <= hi at these parameter values");
      }
      if (initial[j] < lo[j] || initial[j] > hi[j]) {
        throw InputError(m.attributes[j].initial.mark,
                         fmt::format("initial value {} of attribute '{}' is outside its range "
                                     "[{}, {}]",
                                     initial[j], m.attributes[j].name, lo[j], hi[j]),
                         "change initial: or widen range:");
      }
    }
    std::vector<int> actions(n, 0);
    std::vector<const Effect*> last(num_attrs, nullptr);
    std::vector<double> utility(n);
    const std::size_t profiles = builder.num_profiles();
    for (std::size_t index = 0; index < profiles; ++index) {
      for (std::size_t j = 0; j < num_attrs; ++j) storage_[num_params_ + j] = initial[j];
      std::fill(last.begin(), last.end(), nullptr);
      for (std::size_t a = 0; a < n; ++a) {
        apply(move_effects_[a][static_cast<std::size_t>(actions[a])], actions, last);
      }
      for (std::size_t r = 0; r < rule_effects_.size(); ++r) {
        if (matches(r, actions)) apply(rule_effects_[r], actions, last);
      }
      for (std::size_t j = 0; j < num_attrs; ++j) {
        const double v = storage_[num_params_ + j];
        const double tol = 1e-9 * std::max(1.0, std::abs(hi[j] - lo[j]));
        if (v >= lo[j] - tol && v <= hi[j] + tol) continue;
        const SourceMark where = last[j] ? last[j]->mark : m.attributes[j].mark;
        throw InputError(where,
                         fmt::format("attribute '{}' becomes {} {}, outside its range [{}, {}]",
                                     m.attributes[j].name, v, at_profile(actions), lo[j], hi[j]),
                         fmt::format("keep set:/add: of '{}' within [{}, {}] (rules apply after "
                                     "moves), or widen its range:",
                                     m.attributes[j].name, lo[j], hi[j]));
      }
      for (std::size_t a = 0; a < n; ++a) {
        double u = 0.0;
        for (const auto& [slot, weight] : weights_[a]) u += eval(weight, &actions) * storage_[slot];
        for (const auto& term : terms_[a]) u += eval(term, &actions);
        if (!std::isfinite(u)) {
          throw InputError(
              m.actors[a].mark,
              fmt::format("utility of actor '{}' is {} {}", m.actor_ids[a], u, at_profile(actions)),
              "check the sizes of weights and attributes");
        }
        utility[a] = u;
      }
      builder.set_payoffs(index, utility);
      for (std::size_t a = 0; a < n; ++a) {  // next profile: first actor fastest
        if (++actions[a] < static_cast<int>(m.move_ids[a].size())) break;
        actions[a] = 0;
      }
    }
  }

  bool matches(std::size_t rule, const std::vector<int>& actions) const {
    const auto& allowed = rule_allowed_[rule];
    for (std::size_t a = 0; a < allowed.size(); ++a) {
      if (!allowed[a].empty() && !allowed[a][static_cast<std::size_t>(actions[a])]) return false;
    }
    return true;
  }

  std::shared_ptr<const Model> model_;
  std::size_t num_params_;
  std::size_t num_slots_;
  std::unique_ptr<double[]> storage_;  ///< parameters, then attributes; addresses stay fixed
  std::vector<CompiledFormula> parameter_values_;
  std::vector<CompiledFormula> initials_;
  std::vector<std::optional<std::pair<CompiledFormula, CompiledFormula>>> ranges_;
  std::vector<std::vector<std::vector<CompiledEffect>>> move_effects_;  ///< actor, move
  std::vector<std::vector<CompiledEffect>> rule_effects_;
  std::vector<std::vector<std::vector<char>>> rule_allowed_;  ///< rule, actor, move mask
  std::vector<std::vector<std::pair<std::size_t, CompiledFormula>>> weights_;
  std::vector<std::vector<CompiledFormula>> terms_;
  std::vector<std::vector<CompiledFormula>> payoff_values_;  ///< entry, actor
};

}  // namespace

std::unique_ptr<CompiledScenario> compile_model(std::shared_ptr<const Scenario::Model> model) {
  return std::make_unique<CompiledNormalScenario>(std::move(model));
}

}  // namespace stratagem::scenario_detail
