#pragma once

// Private to the engine: the interface of libstratagem_formula.so, the module that holds
// muparser (engine/formula_module/). Formulas of scenario files are checked, compiled and
// evaluated there, so runs that read no scenario never load muparser and its OpenMP runtime.
// The engine and the module are built together (same compiler and standard library), so the
// interface uses C++ types; `version` guards against a stale module.

#include <string>
#include <utility>
#include <vector>

namespace stratagem::formula_module {

inline constexpr int kVersion = 1;

/// Why muparser refused a formula.
struct Failure {
  bool unknown_name = false;  ///< an unknown token or unexpected variable (muparser's codes)
  int pos = 0;                ///< position in the formula's text (0 when unknown)
  std::string token;          ///< the offending token, when muparser names one
  std::string message;        ///< muparser's message
};

/// What the module offers; every function catches muparser's exceptions and reports them in
/// `failure` (returning false or nullptr).
struct Api {
  int version = 0;
  /// The names muparser reserves: built-in functions, then constants.
  std::vector<std::string> (*reserved_names)() = nullptr;
  /// Parses `text` with every name in `known` defined as a variable and evaluates it once;
  /// fills the variables it uses and the number of comma-separated results.
  bool (*check)(const std::string& text, const std::vector<std::string>& known,
                std::vector<std::string>& used, int& results, Failure& failure) = nullptr;
  /// Compiles `text` against variables at the given addresses; nullptr on failure.
  void* (*compile)(const std::string& text,
                   const std::vector<std::pair<std::string, double*>>& variables,
                   Failure& failure) = nullptr;
  /// The compiled formula's value at the current variable values.
  bool (*eval)(void* compiled, double& value, Failure& failure) = nullptr;
  void (*destroy)(void* compiled) = nullptr;
};

}  // namespace stratagem::formula_module

/// The module's entry point.
extern "C" const stratagem::formula_module::Api* stratagem_formula_api();
