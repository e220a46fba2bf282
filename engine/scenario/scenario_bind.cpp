// Binding a compiled scenario to a parameter point: the normal-form game it describes.

#include <fmt/format.h>

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "scenario/compiled_model.hpp"
#include "scenario/loader.hpp"

namespace stratagem::scenario_detail {
namespace {

using Model = Scenario::Model;

class CompiledNormalScenario final : public CompiledModel {
 public:
  explicit CompiledNormalScenario(std::shared_ptr<const Model> model)
      : CompiledModel(std::move(model)) {
    const Model& m = *model_;
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
    for (const auto& entry : m.payoff_entries) {
      auto& values = payoff_values_.emplace_back();
      for (const auto& f : entry.values) values.emplace_back(f, slots());
    }
  }

  NormalFormGame bind(const ParameterValues& values) override {
    const Model& m = *model_;
    actions_ = nullptr;
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

  GameTree bind_tree(const ParameterValues& /*values*/) override {
    const Model& m = *model_;
    throw InputError({m.file, 0, 0},
                     fmt::format("'{}' is a {} game, not a game tree", m.file, m.game_type),
                     "solve it with a strategic-form method, or write game: {type: tree, "
                     "tree: ...}");
  }

 private:
  std::string point() const override {
    if (actions_ == nullptr) return "at these parameter values";
    return fmt::format("at profile {}", profile_text(*model_, *actions_));
  }

  void bind_direct(NormalFormBuilder& builder) {
    const Model& m = *model_;
    const std::size_t n = m.actor_ids.size();
    const std::size_t profiles = builder.num_profiles();
    std::vector<double> table(profiles * n, 0.0);
    std::vector<double> entry_values(n);
    actions_ = nullptr;
    for (std::size_t e = 0; e < m.payoff_entries.size(); ++e) {
      for (std::size_t a = 0; a < n; ++a) entry_values[a] = eval(payoff_values_[e][a]);
      for_each_match(m.payoff_entries[e].pattern, builder.shape(), [&](std::size_t index) {
        std::copy(entry_values.begin(), entry_values.end(), table.begin() + index * n);
      });
    }
    for (std::size_t index = 0; index < profiles; ++index) {
      builder.set_payoffs(index, std::span<const double>(table.data() + index * n, n));
    }
  }

  void bind_attributes(NormalFormBuilder& builder) {
    const Model& m = *model_;
    const std::size_t n = m.actor_ids.size();
    actions_ = nullptr;
    const AttributeBounds bounds = attribute_bounds();
    std::vector<int> actions(n, 0);
    actions_ = &actions;
    std::vector<const Effect*> last(num_attributes(), nullptr);
    std::vector<double> utilities(n);
    const std::size_t profiles = builder.num_profiles();
    for (std::size_t index = 0; index < profiles; ++index) {
      reset_attributes(bounds);
      std::fill(last.begin(), last.end(), nullptr);
      for (std::size_t a = 0; a < n; ++a) {
        apply(move_effects_[a][static_cast<std::size_t>(actions[a])], last);
      }
      for (std::size_t r = 0; r < rule_effects_.size(); ++r) {
        if (matches(r, actions)) apply(rule_effects_[r], last);
      }
      check_ranges(bounds, last, " (rules apply after moves)");
      for (std::size_t a = 0; a < n; ++a) utilities[a] = utility(a);
      builder.set_payoffs(index, utilities);
      for (std::size_t a = 0; a < n; ++a) {  // next profile: first actor fastest
        if (++actions[a] < static_cast<int>(m.move_ids[a].size())) break;
        actions[a] = 0;
      }
    }
    actions_ = nullptr;
  }

  bool matches(std::size_t rule, const std::vector<int>& actions) const {
    const auto& allowed = rule_allowed_[rule];
    for (std::size_t a = 0; a < allowed.size(); ++a) {
      if (!allowed[a].empty() && !allowed[a][static_cast<std::size_t>(actions[a])]) return false;
    }
    return true;
  }

  const std::vector<int>* actions_ = nullptr;  ///< the profile being evaluated, for messages
  std::vector<std::vector<std::vector<CompiledEffect>>> move_effects_;  ///< actor, move
  std::vector<std::vector<CompiledEffect>> rule_effects_;
  std::vector<std::vector<std::vector<char>>> rule_allowed_;  ///< rule, actor, move mask
  std::vector<std::vector<CompiledFormula>> payoff_values_;   ///< entry, actor
};

}  // namespace

std::unique_ptr<CompiledScenario> compile_model(std::shared_ptr<const Scenario::Model> model) {
  if (model->tree) return compile_tree_model(std::move(model));
  return std::make_unique<CompiledNormalScenario>(std::move(model));
}

}  // namespace stratagem::scenario_detail
