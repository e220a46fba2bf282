#pragma once

// Private to the engine: number-or-formula values of scenario files, checked and compiled with
// muparser (in the module libstratagem_formula.so, loaded on the first formula:
// scenario/formula_module.hpp).

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "stratagem/scenario/error.hpp"

namespace stratagem::formula_module {
struct Failure;
}  // namespace stratagem::formula_module

namespace stratagem::scenario_detail {

using formula_module_failure = formula_module::Failure;

/// A number or formula as written in a scenario file.
struct Formula {
  std::string text;                ///< the text as written (a number or an expression)
  SourceMark mark;                 ///< position of the first character of `text`
  std::optional<double> constant;  ///< set when `text` is a plain finite number
  std::vector<std::string> names;  ///< variables the formula uses (filled by check_formula)

  /// A formula holding a constant (for defaults that were not written in the file).
  static Formula number(double value, SourceMark mark);
};

/// Parses `text` as a plain decimal number (the whole string, surrounding blanks allowed).
[[nodiscard]] std::optional<double> parse_number(const std::string& text);

/// Makes a Formula from scalar text; `mark` is the position of the first character of `text`.
[[nodiscard]] Formula make_formula(std::string text, SourceMark mark);

/// Names muparser reserves (built-in functions and constants); they cannot name a parameter.
[[nodiscard]] const std::vector<std::string>& reserved_names();

/// True for [A-Za-z_][A-Za-z0-9_]*.
[[nodiscard]] bool is_identifier(const std::string& name);

/// Checks syntax and names of `formula` against the variables in `known` and fills
/// `formula.names`. Throws InputError at the offending character: unknown name (with a
/// suggestion from `known`), syntax error (muparser's message), assignment, several results.
void check_formula(Formula& formula, const std::vector<std::string>& known);

/// Throws InputError when `formula` uses a name outside `allowed`; `why` completes
/// "... cannot be used here: " (e.g. "parameter values may only use earlier parameters").
void require_names(const Formula& formula, const std::vector<std::string>& allowed,
                   const std::string& why);

/// Throws InputError at `formula` when `value` is NaN or infinite; `where` describes the
/// point of evaluation (e.g. "at profile (a, b) with x=1").
void require_finite(const Formula& formula, double value, const std::string& where);

/// A formula compiled once against caller-owned variable storage; evaluation reads the
/// current values. Not copyable (muparser binds variables by address). Not thread-safe.
/// Throws std::runtime_error when the formula module cannot be loaded.
class CompiledFormula {
 public:
  /// `variables` maps every name the formula uses to the address of its value; the addresses
  /// must stay valid for the lifetime of this object.
  CompiledFormula(const Formula& formula, const std::map<std::string, double*>& variables);
  ~CompiledFormula();
  CompiledFormula(CompiledFormula&&) noexcept;
  CompiledFormula& operator=(CompiledFormula&&) noexcept;
  CompiledFormula(const CompiledFormula&) = delete;
  CompiledFormula& operator=(const CompiledFormula&) = delete;

  /// The value at the current variable values (may be NaN or infinite).
  [[nodiscard]] double eval() const;
  /// The source formula (owned by the scenario model).
  [[nodiscard]] const Formula& source() const { return *source_; }

 private:
  const Formula* source_;
  double constant_ = 0.0;
  bool (*eval_)(void*, double&, formula_module_failure&) = nullptr;
  std::unique_ptr<void, void (*)(void*)> compiled_{nullptr, nullptr};
};

/// Evaluates a checked formula once with variables looked up by name in `values` (names it
/// uses must be present). Throws InputError when the result is not finite; `where` as for
/// require_finite.
[[nodiscard]] double evaluate_once(const Formula& formula,
                                   const std::map<std::string, double>& values,
                                   const std::string& where);

}  // namespace stratagem::scenario_detail
