#include "stratagem/scenario/scenario.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "scenario/loader.hpp"
#include "stratagem/scenario/repeated.hpp"

namespace stratagem {

using scenario_detail::Formula;

namespace {

/// Largest scenario file read (a guard against pointing the loader at a huge file by mistake).
constexpr std::uintmax_t kMaxFileBytes = 64u * 1024u * 1024u;

std::vector<std::string> parameter_names(const Scenario& scenario) {
  std::vector<std::string> names;
  for (const auto& p : scenario.parameters()) names.push_back(p.name);
  return names;
}

std::string list_or_none(const std::vector<std::string>& names) {
  return names.empty() ? std::string("this scenario has no parameters")
                       : fmt::format("parameters are: {}", fmt::join(names, ", "));
}

}  // namespace

Scenario::Scenario(std::unique_ptr<Model> model) : model_(std::move(model)) {}
Scenario::~Scenario() = default;
Scenario::Scenario(Scenario&&) noexcept = default;
Scenario& Scenario::operator=(Scenario&&) noexcept = default;

Scenario Scenario::load(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    throw InputError({path, 0, 0}, "cannot open the scenario file (missing, or not a file)",
                     "check the path");
  }
  const std::uintmax_t size = std::filesystem::file_size(path, ec);
  if (ec || size > kMaxFileBytes) {
    throw InputError({path, 0, 0},
                     ec ? std::string("cannot read the file size")
                        : fmt::format("the file is too large for a scenario ({} bytes)", size),
                     "check the path");
  }
  return parse(read_input_file(path, "check permissions"), path);
}

Scenario Scenario::parse(const std::string& text, const std::string& filename) {
  Scenario scenario(scenario_detail::parse_model(text, filename));
  // Evaluate every formula once at the default point and at each expect block's point, so
  // that validation catches value errors (division by zero, attributes out of range) too.
  // A tree is checked as a tree: its reduced normal form may be too large to build, which is
  // an error only for strategic-form methods (bind() reports it).
  const auto compiled = scenario.compile();
  const bool tree = scenario.model().tree != nullptr;
  const auto check = [&](const ParameterValues& values) {
    if (tree) {
      (void)compiled->bind_tree(values);
    } else {
      (void)compiled->bind(values);
    }
  };
  check(scenario.defaults());
  for (const auto& x : scenario.expectations()) {
    if (!x.at.empty()) check(scenario.with_overrides(x.at, false, filename));
  }
  if (scenario.model().repeated) {
    // Discount factors, probabilities and built-in strategies are checked at the defaults too.
    (void)bind_repeated(scenario, scenario.defaults());
  }
  return scenario;
}

const std::string& Scenario::file() const { return model_->file; }
const std::string& Scenario::name() const { return model_->name; }
const std::string& Scenario::description() const { return model_->description; }
const std::vector<std::string>& Scenario::sources() const { return model_->sources; }
const std::string& Scenario::game_type() const { return model_->game_type; }
const std::vector<Parameter>& Scenario::parameters() const { return model_->parameters; }
const std::vector<std::string>& Scenario::actor_ids() const { return model_->actor_ids; }
const std::vector<std::string>& Scenario::actor_names() const { return model_->actor_names; }
const std::vector<std::vector<std::string>>& Scenario::moves() const { return model_->move_ids; }
const std::string& Scenario::default_method() const { return model_->method; }
const std::vector<Expectation>& Scenario::expectations() const { return model_->expectations; }

ParameterValues Scenario::defaults() const {
  ParameterValues values;
  for (const auto& p : model_->parameters) values[p.name] = p.value;
  return values;
}

ParameterValues Scenario::with_overrides(const ParameterValues& overrides, bool allow_outside_range,
                                         const std::string& origin) const {
  const auto names = parameter_names(*this);
  for (const auto& [name, value] : overrides) {
    if (std::find(names.begin(), names.end(), name) == names.end()) {
      throw InputError({origin, 0, 0},
                       fmt::format("unknown parameter '{}'{}", name, did_you_mean(name, names)),
                       list_or_none(names));
    }
    if (!std::isfinite(value)) {
      throw InputError(
          {origin, 0, 0},
          fmt::format("value {} for parameter '{}' is not a finite number", value, name),
          "give a finite number");
    }
  }
  // Parameters whose value is a formula of earlier ones follow their overrides.
  ParameterValues values;
  const auto& params = model_->parameters;
  for (std::size_t i = 0; i < params.size(); ++i) {
    const Parameter& p = params[i];
    const Formula& f = model_->parameter_formulas[i];
    const auto it = overrides.find(p.name);
    const bool overridden = it != overrides.end();
    double value = p.value;
    if (overridden) {
      value = it->second;
    } else if (!f.constant) {
      value = scenario_detail::evaluate_once(
          f, values, fmt::format("(value of parameter '{}' after overrides)", p.name));
    }
    values[p.name] = value;
    if (allow_outside_range || !p.range) continue;
    const auto [lo, hi] = *p.range;
    if (value >= lo && value <= hi) continue;
    if (overridden) {
      throw InputError({origin, 0, 0},
                       fmt::format("value {} for parameter '{}' is outside its range [{}, {}]",
                                   value, p.name, lo, hi),
                       fmt::format("use --allow-outside-range or a value in [{}, {}]", lo, hi));
    }
    throw InputError(f.mark,
                     fmt::format("parameter '{}' = {} (its formula '{}' after overrides) is "
                                 "outside its range [{}, {}]",
                                 p.name, value, f.text, lo, hi),
                     fmt::format("use --allow-outside-range, or override '{}' too", p.name));
  }
  return values;
}

std::unique_ptr<CompiledScenario> Scenario::compile() const {
  return scenario_detail::compile_model(model_);
}

NormalFormGame Scenario::bind(const ParameterValues& values) const {
  return compile()->bind(values);
}

GameTree Scenario::bind_tree(const ParameterValues& values) const {
  return compile()->bind_tree(values);
}

std::pair<std::string, double> parse_assignment(const std::string& text,
                                                const std::string& origin) {
  const std::size_t eq = text.find('=');
  const std::string hint = "write name=value, e.g. e_deal=0.4 or T=\"10/3\"";
  if (eq == std::string::npos) {
    throw InputError({origin, 0, 0}, fmt::format("'{}' is not an assignment", text), hint);
  }
  const auto trim = [](std::string s) {
    const std::size_t b = s.find_first_not_of(" \t");
    const std::size_t e = s.find_last_not_of(" \t");
    return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
  };
  const std::string name = trim(text.substr(0, eq));
  const std::string value_text = trim(text.substr(eq + 1));
  if (!scenario_detail::is_identifier(name)) {
    throw InputError({origin, 0, 0},
                     fmt::format("'{}' in '{}' is not a parameter name", name, text), hint);
  }
  if (value_text.empty()) {
    throw InputError({origin, 0, 0}, fmt::format("no value after '=' in '{}'", text), hint);
  }
  Formula f = scenario_detail::make_formula(value_text, {origin, 0, 0});
  try {
    scenario_detail::check_formula(f, {});
    return {name, scenario_detail::evaluate_once(f, {}, fmt::format("(value of '{}')", name))};
  } catch (const InputError& e) {
    throw InputError({origin, 0, 0}, fmt::format("in '{}': {}", text, e.message()),
                     "the value must be a number or a formula of numbers, e.g. 0.4 or 2/3");
  }
}

}  // namespace stratagem
