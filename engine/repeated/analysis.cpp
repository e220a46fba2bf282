#include "stratagem/repeated/analysis.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace stratagem {

std::string joint_state_label(const AutomatonProfile& profile, const std::vector<int>& state) {
  std::vector<std::string> names;
  for (std::size_t p = 0; p < profile.size(); ++p) names.push_back(profile[p].states[state[p]]);
  return fmt::format("({})", fmt::join(names, ", "));
}

ProfileAnalysis analyze_profile(const RepeatedGame& game, const std::string& name,
                                const AutomatonProfile& profile, const RepeatedOptions& options) {
  const NormalFormGame& stage = game.stage;
  const int n = stage.num_players();
  ProfileAnalysis out;
  out.name = name;
  out.profile = profile;
  for (int p = 0; p < n; ++p) {
    const double delta = options.delta ? *options.delta : game.delta[p];
    if (!(delta > 0.0 && delta < 1.0)) {
      throw InvalidGame(fmt::format("discount factor {} is not in (0, 1)", delta));
    }
    out.discount.push_back(delta * game.continuation);
  }
  out.chain = build_chain(stage, profile, 0.0);
  out.payoffs = discounted_payoffs(out.chain, out.discount, game.horizon);
  out.long_run = long_run(out.chain);
  out.check = check_profile(stage, profile, out.discount);
  if (options.critical_delta) {
    out.spe_deltas = equilibrium_deltas(stage, profile, false, game.continuation);
    out.nash_deltas = equilibrium_deltas(stage, profile, true, game.continuation);
  }
  // The path of play: the most likely profile each round from the initial joint state.
  int state = out.chain.initial;
  for (int t = 0; t < options.path_rounds; ++t) {
    const auto& probs = out.chain.profile_probabilities[state];
    const std::size_t idx = static_cast<std::size_t>(std::max_element(probs.begin(), probs.end()) - probs.begin());
    out.path.push_back(stage.profile(idx));
    const Eigen::Index next_state = [&] {
      Eigen::Index best = 0;
      out.chain.transition.row(state).maxCoeff(&best);
      return best;
    }();
    state = static_cast<int>(next_state);
  }
  if (game.horizon) out.finite = finite_horizon(stage, profile, out.discount, *game.horizon);
  if (options.noise > 0.0) {
    out.noise = options.noise;
    out.noisy_chain = build_chain(stage, profile, options.noise);
    out.noisy_payoffs = discounted_payoffs(out.noisy_chain, out.discount, game.horizon);
    out.noisy_long_run = long_run(out.noisy_chain);
    out.noisy_check = check_profile(stage, profile, out.discount, options.noise);
  }
  return out;
}

StageFacts stage_facts(const NormalFormGame& stage) {
  return {minmax_values(stage), payoff_region(stage)};
}

}  // namespace stratagem
