// libFuzzer harness: YAML scenario files (engine/scenario/), one executable per
// game kind. STRATAGEM_FUZZ_KIND ("normal", "tree" or "repeated") selects the
// kind this executable drives past parsing; scenarios of another kind are
// parsed and then rejected from the corpus, so each executable's corpus stays
// on its kind. The input is the scenario text (Scenario::parse is the in-memory
// twin of Scenario::load, which the CLI calls).
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "fuzz_common.hpp"
#include "fuzz_roundtrip.hpp"
#include "stratagem/repeated/analysis.hpp"
#include "stratagem/scenario/repeated.hpp"
#include "stratagem/scenario/scenario.hpp"

#ifndef STRATAGEM_FUZZ_KIND
#error "define STRATAGEM_FUZZ_KIND as \"normal\", \"tree\" or \"repeated\""
#endif

namespace stratagem::fuzz {
namespace {

/// Largest stage game and joint automaton state count analysed for a repeated
/// scenario.
constexpr std::size_t kMaxStageProfiles = 64;
constexpr std::size_t kMaxJointStates = 64;
/// At most this many declared profiles are analysed.
constexpr std::size_t kMaxProfiles = 4;

std::size_t joint_states(const AutomatonProfile& profile) {
  std::size_t product = 1;
  for (const auto& automaton : profile) {
    product *= static_cast<std::size_t>(std::max(1, automaton.num_states()));
    if (product > kMaxJointStates) return product;
  }
  return product;
}

/// What `stratagem repeated FILE` does (run_repeated_analysis + rendering),
/// bounded.
void drive_repeated(const Scenario& scenario, const ParameterValues& values) {
  const RepeatedSetup setup = bind_repeated(scenario, values);
  (void)repeated_expectations(scenario).size();
  if (setup.game.stage.num_profiles() > kMaxStageProfiles) return;
  const StageFacts facts = stage_facts(setup.game.stage);
  (void)dump_json(to_json(facts, setup.game.stage));
  (void)render_text(facts, setup.game.stage, scenario.actor_names());
  // The cheap analysis (`repeated --no-critical-delta`): the search for
  // critical discount factors checks the profile at many deltas and takes
  // seconds per input under the sanitizers.
  RepeatedOptions options;
  options.critical_delta = false;
  for (std::size_t k = 0; k < setup.profiles.size() && k < kMaxProfiles; ++k) {
    if (joint_states(setup.profiles[k]) > kMaxJointStates) continue;
    const ProfileAnalysis analysis =
        analyze_profile(setup.game, setup.profile_names[k], setup.profiles[k], options);
    (void)dump_json(to_json(analysis, setup.game.stage));
    (void)render_text(analysis, setup.game.stage, scenario.actor_names());
    (void)explain_profile(analysis, setup.game.stage, scenario.actor_names());
  }
  // `repeated --check NAME`: the first declared profile by name goes through
  // resolve_profile.
  if (!setup.profile_names.empty()) {
    (void)resolve_profile(scenario, setup, setup.profile_names.front());
  }
}

}  // namespace
}  // namespace stratagem::fuzz

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  stratagem::fuzz::limit_threads();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace stratagem;
  if (size > fuzz::kMaxInputBytes) return -1;
  const std::string text(reinterpret_cast<const char*>(data), size);
  int verdict = 0;
  fuzz::run_guarded([&] {
    const Scenario scenario = Scenario::parse(text, "fuzz.yaml");
    if (scenario.game_type() != STRATAGEM_FUZZ_KIND) {
      verdict = -1;  // valid, but another executable's kind: keep it out of this
                     // corpus
      return;
    }
    // stratagem validate / solve: load_game's steps, at the default parameter
    // point.
    const ParameterValues values = scenario.with_overrides({}, false);
    (void)scenario.parameters().size();
    (void)scenario.expectations().size();
    if (scenario.game_type() == "tree") {
      const GameTree tree = scenario.bind_tree(values);
      fuzz::drive_tree(tree);
      fuzz::check_tree_round_trip(tree);
    } else {
      const NormalFormGame game = scenario.bind(values);
      fuzz::drive_strategic(game, scenario.default_method());
      fuzz::check_strategic_round_trips(game);
      if (scenario.game_type() == "repeated") fuzz::drive_repeated(scenario, values);
    }
  });
  return verdict;
}
