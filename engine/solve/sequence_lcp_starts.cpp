// Starting profiles of the sequence-form Lemke paths, and pure best replies in sequence form.
#include <fmt/format.h>

#include <cmath>
#include <limits>
#include <random>
#include <stdexcept>

#include "solve/sequence_lcp_system.hpp"

namespace stratagem::detail {

/// The sequences of `player` chosen by a best response to `values` (the payoff of each of the
/// player's sequences against the opponent): the empty sequence and the best move at every
/// information set, reached or not. Among moves within 1e-12 of the best, the one `prefer` (a
/// behaviour profile) plays with the highest probability, then the first.
std::vector<char> best_response_sequences(const Lcp& lcp, int player, const Eigen::VectorXd& values,
                                          const BehaviourProfile& prefer) {
  const auto& seqs = lcp.form.sequences[player];
  std::vector<char> chosen(seqs.size(), 0);
  std::vector<double> continuation(seqs.size(), 0.0);
  chosen[0] = 1;
  const auto& sets = lcp.tree->player_infosets(player);
  for (auto it = sets.rbegin(); it != sets.rend(); ++it) {
    const int first = lcp.form.first_sequence[static_cast<std::size_t>(*it)];
    const int moves = static_cast<int>(lcp.tree->infoset(*it).moves.size());
    double best_value = -std::numeric_limits<double>::infinity();
    for (int s = first; s < first + moves; ++s) {
      best_value = std::max(best_value, values(s) + continuation[static_cast<std::size_t>(s)]);
    }
    const double tie = 1e-12 * std::max(1.0, std::abs(best_value));
    const auto& weights = prefer[static_cast<std::size_t>(*it)];
    int best = -1;
    for (int s = first; s < first + moves; ++s) {
      if (values(s) + continuation[static_cast<std::size_t>(s)] < best_value - tie) continue;
      if (best < 0 || weights[static_cast<std::size_t>(s - first)] >
                          weights[static_cast<std::size_t>(best - first)]) {
        best = s;
      }
    }
    chosen[static_cast<std::size_t>(best)] = 1;
    continuation[static_cast<std::size_t>(seqs[static_cast<std::size_t>(first)].parent)] +=
        best_value;
  }
  return chosen;
}

BehaviourProfile centroid_profile(const GameTree& tree) {
  BehaviourProfile b;
  for (const InfoSet& set : tree.infosets()) {
    b.emplace_back(set.moves.size(), 1.0 / static_cast<double>(set.moves.size()));
  }
  return b;
}

std::uint64_t start_seed(std::uint64_t seed, std::uint64_t index) {
  std::uint64_t z = seed + 0x9e3779b97f4a7c15ULL * (index + 1);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

void check_prior(const GameTree& tree, const BehaviourProfile& prior, std::size_t index) {
  if (prior.size() != tree.infosets().size()) {
    throw std::invalid_argument(
        fmt::format("sequence-lcp prior {} has {} information sets; the tree has {}", index + 1,
                    prior.size(), tree.infosets().size()));
  }
  for (std::size_t h = 0; h < prior.size(); ++h) {
    const auto& moves = tree.infoset(static_cast<int>(h)).moves;
    double sum = 0.0;
    bool ok = prior[h].size() == moves.size();
    for (double q : prior[h]) {
      ok = ok && std::isfinite(q) && q >= 0.0;
      sum += q;
    }
    if (!ok || std::abs(sum - 1.0) > 1e-9) {
      throw std::invalid_argument(
          fmt::format("sequence-lcp prior {} at information set '{}': give {} non-negative "
                      "probabilities summing to 1",
                      index + 1, tree.infoset_name(static_cast<int>(h)), moves.size()));
    }
  }
}

/// profile := (1 - weight) profile + weight r, r a random completely mixed profile.
void blend_with_random(BehaviourProfile& profile, double weight, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::exponential_distribution<double> draw(1.0);
  for (auto& probs : profile) {
    std::vector<double> r(probs.size());
    double sum = 0.0;
    for (double& v : r) sum += (v = draw(rng) + 1e-3);
    for (std::size_t m = 0; m < probs.size(); ++m) {
      probs[m] = (1.0 - weight) * probs[m] + weight * r[m] / sum;
    }
  }
}

/// A pure best reply of `player` to the other player's part of `profile`, written over the
/// player's part (every set, reached or not; ties as in best_response_sequences).
void best_reply(const Lcp& lcp, int player, BehaviourProfile& profile) {
  const Eigen::VectorXd values =
      player == 0 ? Eigen::VectorXd(lcp.a * realization_plan(lcp.form, 1, profile))
                  : Eigen::VectorXd(lcp.b.transpose() * realization_plan(lcp.form, 0, profile));
  const auto chosen = best_response_sequences(lcp, player, values, profile);
  for (int h : lcp.tree->player_infosets(player)) {
    const auto first =
        static_cast<std::size_t>(lcp.form.first_sequence[static_cast<std::size_t>(h)]);
    auto& probs = profile[static_cast<std::size_t>(h)];
    for (std::size_t m = 0; m < probs.size(); ++m) probs[m] = chosen[first + m] ? 1.0 : 0.0;
  }
}

std::vector<SequenceLcpStart> make_starts(const Lcp& lcp, const SequenceLcpOptions& options) {
  const GameTree& tree = *lcp.tree;
  std::vector<SequenceLcpStart> starts;
  for (std::size_t i = 0; i < options.priors.size(); ++i) {
    check_prior(tree, options.priors[i], i);
    starts.push_back({fmt::format("prior {}", i + 1), options.priors[i]});
  }
  const BehaviourProfile middle = centroid_profile(tree);
  if (starts.empty() || options.all_starts) starts.push_back({"centroid", middle});
  if (options.all_starts) {
    for (int player = 0; player < 2; ++player) {
      for (int h : tree.player_infosets(player)) {
        const auto& moves = tree.infoset(h).moves;
        if (moves.size() < 2) continue;
        for (std::size_t m = 0; m < moves.size(); ++m) {
          BehaviourProfile b = middle;
          auto& probs = b[static_cast<std::size_t>(h)];
          std::fill(probs.begin(), probs.end(), 0.0);
          probs[m] = 1.0;
          best_reply(lcp, 1 - player, b);
          starts.push_back(
              {fmt::format("{} plays '{}' at '{}', {} a best reply", tree.player_label(player),
                           moves[m], tree.infoset_name(h), tree.player_label(1 - player)),
               std::move(b)});
        }
      }
    }
  }
  for (int i = 0; i < options.random_starts; ++i) {
    BehaviourProfile b = middle;
    blend_with_random(b, 1.0, start_seed(options.seed, static_cast<std::uint64_t>(i)));
    starts.push_back({fmt::format("random {}", i + 1), std::move(b)});
  }
  if (starts.size() > options.max_starts) starts.resize(options.max_starts);
  return starts;
}

}  // namespace stratagem::detail
