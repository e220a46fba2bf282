// libFuzzer harness: the formula compiler (engine/scenario/formula.hpp) that
// scenario files and
// `--set name=value` use. The input is the formula text. It is checked against
// a fixed list of variables, compiled, evaluated at a few points (ordinary,
// zero, negative, huge), evaluated once by name, and given to parse_assignment
// as `--set v=TEXT` would be.
#include <cstddef>
#include <cstdint>
#include <limits>
#include <map>
#include <string>
#include <vector>

#include "fuzz_common.hpp"
#include "scenario/formula.hpp"
#include "stratagem/scenario/scenario.hpp"

namespace {

const std::vector<std::string> kNames = {"x", "y", "cost", "benefit", "delta", "p_1"};

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  stratagem::fuzz::limit_threads();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace stratagem;
  using namespace stratagem::scenario_detail;
  if (size > 4096) return -1;
  const std::string text(reinterpret_cast<const char*>(data), size);
  (void)parse_number(text);
  (void)is_identifier(text);
  fuzz::run_guarded([&] {
    Formula formula = make_formula(text, {"fuzz.yaml", 3, 7});
    check_formula(formula, kNames);
    require_names(formula, kNames, "fuzz");
    std::vector<double> storage(kNames.size(), 0.0);
    std::map<std::string, double*> addresses;
    for (std::size_t i = 0; i < kNames.size(); ++i) addresses[kNames[i]] = &storage[i];
    const CompiledFormula compiled(formula, addresses);
    const double points[] = {0.5, 0.0, -3.0, 1e308, std::numeric_limits<double>::denorm_min()};
    for (double v : points) {
      for (auto& s : storage) s = v;
      const double value = compiled.eval();
      fuzz::run_guarded([&] { require_finite(formula, value, "at the fuzz point"); });
    }
    std::map<std::string, double> values;
    for (const auto& name : kNames) values[name] = 2.0;
    (void)evaluate_once(formula, values, "at the fuzz point");
  });
  fuzz::run_guarded([&] { (void)parse_assignment("v=" + text, "--set"); });
  fuzz::run_guarded([&] { (void)parse_assignment(text, "--set"); });
  return 0;
}
