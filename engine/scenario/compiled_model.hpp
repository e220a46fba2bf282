#pragma once

// Private to the engine: what every compiled scenario shares (variable storage, parameters,
// attribute initial values and ranges, actor utilities), for the normal-form binder
// (scenario_bind.cpp) and the tree binder (tree_bind.cpp).

#include <cstddef>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "scenario/model.hpp"

namespace stratagem::scenario_detail {

/// A set:/add: effect compiled against the scenario's storage.
struct CompiledEffect {
  std::size_t slot = 0;  ///< storage slot of the attribute
  bool add = false;
  CompiledFormula value;
  const Effect* source = nullptr;
};

/// Attribute values at the start of every profile or path, and their ranges, at one point.
struct AttributeBounds {
  std::vector<double> initial, lo, hi;
};

/// Storage for parameters and attributes with the formulas that every kind of scenario
/// compiles: parameter values, attribute initial values and ranges, weights and terms.
class CompiledModel : public CompiledScenario {
 protected:
  explicit CompiledModel(std::shared_ptr<const Scenario::Model> model);

  /// Where the current evaluation happens, for messages: "at profile (a, b)", "at the node
  /// reached by x > y", or "at these parameter values".
  [[nodiscard]] virtual std::string point() const = 0;

  /// Checks `values` and stores every parameter (missing ones from their formulas).
  void set_parameters(const ParameterValues& values);
  /// " with a=1, b=2": the current values of the variables a formula uses.
  [[nodiscard]] std::string with_values(const Formula& f) const;
  /// The formula's value; InputError at its position when it is NaN or infinite.
  [[nodiscard]] double eval(const CompiledFormula& f) const;
  /// Initial values and ranges of the attributes at the current parameters; InputError for
  /// an empty range or an initial value outside its range.
  [[nodiscard]] AttributeBounds attribute_bounds() const;
  /// Sets every attribute to its initial value.
  void reset_attributes(const AttributeBounds& bounds);
  [[nodiscard]] std::vector<CompiledEffect> compile_effects(const std::vector<Effect>& effects);
  /// Applies effects in order; `last[j]` records the effect that last changed attribute j.
  void apply(const std::vector<CompiledEffect>& effects, std::vector<const Effect*>& last);
  /// Throws InputError when an attribute is outside its range, at the effect that last
  /// changed it (or the attribute); `hint_tail` completes the hint.
  void check_ranges(const AttributeBounds& bounds, const std::vector<const Effect*>& last,
                    const std::string& hint_tail) const;
  /// Σ weight × attribute + Σ terms of `actor` at the current attribute values.
  [[nodiscard]] double utility(std::size_t actor) const;
  [[nodiscard]] double& attribute(std::size_t j) { return storage_[num_params_ + j]; }
  [[nodiscard]] std::size_t num_attributes() const { return model_->attributes.size(); }
  [[nodiscard]] const std::map<std::string, double*>& slots() const { return slots_; }

  std::shared_ptr<const Scenario::Model> model_;

 private:
  std::size_t num_params_;
  std::unique_ptr<double[]> storage_;  ///< parameters, then attributes; addresses stay fixed
  std::map<std::string, double*> slots_;
  std::vector<CompiledFormula> parameter_values_;
  std::vector<CompiledFormula> initials_;
  std::vector<std::optional<std::pair<CompiledFormula, CompiledFormula>>> ranges_;
  std::vector<std::vector<std::pair<std::size_t, CompiledFormula>>> weights_;
  std::vector<std::vector<CompiledFormula>> terms_;
};

/// Compiles a `type: tree` scenario (tree_bind.cpp).
[[nodiscard]] std::unique_ptr<CompiledScenario> compile_tree_model(
    std::shared_ptr<const Scenario::Model> model);

}  // namespace stratagem::scenario_detail
