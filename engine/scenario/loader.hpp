#pragma once

// Private to the engine: the stages of loading a scenario (parse, expect block, compile).

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "scenario/model.hpp"
#include "scenario/yaml_reader.hpp"

namespace stratagem::scenario_detail {

/// Parses and checks a scenario document (structure, names, formulas' syntax, parameter
/// defaults and ranges). Does not bind the game; Scenario::parse does that afterwards.
[[nodiscard]] std::unique_ptr<Scenario::Model> parse_model(const std::string& text,
                                                           const std::string& file);

/// Parses the `expect:` block into `model.expectations` (actors, moves and parameters must
/// already be in `model`).
void parse_expectations(const Reader& reader, const Entry& expect, Scenario::Model& model);

/// Compiles every formula of `model` against fresh variable storage.
[[nodiscard]] std::unique_ptr<CompiledScenario> compile_model(
    std::shared_ptr<const Scenario::Model> model);

/// "(hold, accept)": a pure profile by move ids.
[[nodiscard]] std::string profile_text(const Scenario::Model& model,
                                       const std::vector<int>& actions);

/// Calls `fn(index)` for every profile index matching `pattern` (per player: action or -1
/// for any), in increasing index order; the first player's action changes fastest.
template <class Fn>
void for_each_match(const std::vector<int>& pattern, const std::vector<int>& shape, Fn&& fn) {
  const std::size_t n = shape.size();
  std::vector<std::size_t> strides(n);
  std::size_t stride = 1;
  std::size_t base = 0;
  std::vector<std::size_t> free;
  for (std::size_t p = 0; p < n; ++p) {
    strides[p] = stride;
    if (pattern[p] < 0) {
      free.push_back(p);
    } else {
      base += static_cast<std::size_t>(pattern[p]) * stride;
    }
    stride *= static_cast<std::size_t>(shape[p]);
  }
  std::vector<int> counter(free.size(), 0);
  std::size_t index = base;
  while (true) {
    fn(index);
    std::size_t k = 0;
    for (; k < free.size(); ++k) {
      const std::size_t p = free[k];
      if (++counter[k] < shape[p]) {
        index += strides[p];
        break;
      }
      index -= static_cast<std::size_t>(counter[k] - 1) * strides[p];
      counter[k] = 0;
    }
    if (k == free.size()) return;
  }
}

}  // namespace stratagem::scenario_detail
