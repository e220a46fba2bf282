#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "stratagem/repeated/payoff_set.hpp"
#include "stratagem/repeated/repeated_game.hpp"

namespace stratagem {

/// What to compute for a profile of automata.
struct RepeatedOptions {
  std::optional<double> delta;     ///< common discount factor overriding the game's own
  double noise = 0.0;              ///< > 0: also analyse noisy play
  bool critical_delta = true;      ///< compute the discount factors at which it is SPE / Nash
  int path_rounds = 8;             ///< rounds of the (noise-free) path to show
};

/// Everything `stratagem repeated` reports about one profile.
struct ProfileAnalysis {
  std::string name;
  AutomatonProfile profile;
  std::vector<double> discount;              ///< effective per-player discount (delta x continuation)
  std::vector<double> payoffs;               ///< normalised discounted payoffs (horizon if finite)
  LongRun long_run;                          ///< limit of means, shares of joint states
  JointChain chain;                          ///< noise-free chain (states for `long_run.share`)
  ProfileCheck check;                        ///< at `discount`
  std::optional<DeltaSet> spe_deltas;        ///< common delta ranges (before continuation)
  std::optional<DeltaSet> nash_deltas;
  std::vector<std::vector<int>> path;        ///< most likely stage profile per round (first rounds)
  std::optional<FiniteHorizonResult> finite; ///< when the game has a horizon
  // Noisy play (noise > 0):
  double noise = 0.0;
  std::vector<double> noisy_payoffs;
  LongRun noisy_long_run;
  JointChain noisy_chain;
  std::optional<ProfileCheck> noisy_check;
};

/// Analyses one profile in `game` (validated automata, one per player).
[[nodiscard]] ProfileAnalysis analyze_profile(const RepeatedGame& game, const std::string& name,
                                              const AutomatonProfile& profile,
                                              const RepeatedOptions& options);

/// Stage-game facts for the folk theorem.
struct StageFacts {
  std::vector<MinmaxValue> minmax;
  PayoffRegion region;
};
[[nodiscard]] StageFacts stage_facts(const NormalFormGame& stage);

/// Label of a joint automaton state, e.g. "(cooperate, punish)".
[[nodiscard]] std::string joint_state_label(const AutomatonProfile& profile,
                                            const std::vector<int>& state);

/// JSON of an analysis (documented in the README under `repeated`).
[[nodiscard]] nlohmann::json to_json(const ProfileAnalysis& analysis, const NormalFormGame& stage);
[[nodiscard]] nlohmann::json to_json(const StageFacts& facts, const NormalFormGame& stage);

/// Text of an analysis for people; `labels` are the actors' display names.
[[nodiscard]] std::string render_text(const ProfileAnalysis& analysis, const NormalFormGame& stage,
                                      const std::vector<std::string>& labels);
[[nodiscard]] std::string render_text(const StageFacts& facts, const NormalFormGame& stage,
                                      const std::vector<std::string>& labels);

/// The reasoning a student needs: why the profile is (or is not) self-enforcing, the critical
/// discount factor with the payoff arithmetic behind it, and what noise does.
[[nodiscard]] std::string explain_profile(const ProfileAnalysis& analysis, const NormalFormGame& stage,
                                          const std::vector<std::string>& labels);

}  // namespace stratagem
