#pragma once

#include <string>
#include <vector>

#include "stratagem/scenario/scenario.hpp"
#include "stratagem/solve/solver.hpp"

namespace stratagem {

/// Outcome of one `expect:` assertion.
struct ExpectationOutcome {
  const Expectation* expectation = nullptr;
  bool passed = false;
  std::string summary;               ///< one line: what was checked
  std::vector<std::string> details;  ///< differences when failed (missing, unexpected, counts)
};

/// Evaluates every assertion of the scenario's `expect:` block with the registry's solvers.
/// Throws InputError for an unknown method (naming the line) or bad `at:` values.
[[nodiscard]] std::vector<ExpectationOutcome> check_expectations(const Scenario& scenario,
                                                                 const SolverRegistry& registry,
                                                                 const SolveOptions& options,
                                                                 SolveContext& context);

/// Converts an expected profile to a MixedProfile of the bound game; throws InputError at
/// `mark` when a name does not exist.
[[nodiscard]] MixedProfile to_mixed_profile(const NormalFormGame& game,
                                            const ExpectedProfile& expected,
                                            const SourceMark& mark);

}  // namespace stratagem
