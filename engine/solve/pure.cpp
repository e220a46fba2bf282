#include "stratagem/solve/pure.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <mutex>

#include "solve/parallel.hpp"

namespace stratagem {
namespace {

/// True when no player can gain by a unilateral deviation from the pure profile `idx`.
bool is_pure_equilibrium(const NormalFormGame& game, std::size_t idx) {
  for (int p = 0; p < game.num_players(); ++p) {
    const auto payoffs = game.payoffs(p);
    const int own = game.action_of(idx, p);
    const std::size_t base = idx - static_cast<std::size_t>(own) * game.stride(p);
    const double current = payoffs[idx];
    for (int a = 0; a < game.num_actions(p); ++a) {
      if (payoffs[base + static_cast<std::size_t>(a) * game.stride(p)] > current) return false;
    }
  }
  return true;
}

}  // namespace

std::vector<Equilibrium> solve_pure(const NormalFormGame& game, const SolveOptions& options,
                                    SolveContext& context) {
  parallel::Collector<std::size_t> found;
  const std::size_t profiles = game.num_profiles();
  const double work = static_cast<double>(profiles) * game.num_players() * 2;
  run_with_threads(options.threads, [&] {
    parallel::for_each_range(profiles, 4096, work, [&](std::size_t begin, std::size_t end) {
      if (context.stop_requested()) return;
      std::vector<std::size_t> local;
      for (std::size_t i = begin; i != end; ++i) {
        if (is_pure_equilibrium(game, i)) local.push_back(i);
      }
      found.add(std::move(local));
    });
  });
  std::vector<std::size_t> indices = found.take();
  std::sort(indices.begin(), indices.end());
  if (indices.size() > options.max_equilibria) indices.resize(options.max_equilibria);
  std::vector<Equilibrium> out;
  out.reserve(indices.size());
  for (std::size_t idx : indices) {
    const auto actions = game.profile(idx);
    out.push_back(make_equilibrium(game, "pure", MixedProfile::pure(game.shape(), actions)));
  }
  return out;
}

void register_pure(SolverRegistry& registry) {
  registry.add({
      .name = "pure",
      .summary = "all pure-strategy Nash equilibria (exact comparisons: ties are equilibria)",
      .applies_to = "any normal-form game, any number of players",
      .check = [](const NormalFormGame&) -> std::optional<std::string> { return std::nullopt; },
      .solve =
          [](const NormalFormGame& game, const SolveOptions& options, SolveContext& context) {
            SolveResult result;
            // One more than the cap tells whether the cap cut the list.
            SolveOptions capped = options;
            capped.max_equilibria = std::max<std::size_t>(1, options.max_equilibria) + 1;
            result.equilibria = solve_pure(game, capped, context);
            if (result.equilibria.size() >= capped.max_equilibria) {
              result.equilibria.resize(capped.max_equilibria - 1);
              result.status = SolveStatus::kLimitReached;
              result.message = fmt::format(
                  "ties give more than {} pure equilibria; the first {} (in profile order) are "
                  "listed (raise --max-equilibria to list more)",
                  result.equilibria.size(), result.equilibria.size());
            }
            if (context.stop_requested()) {
              result.status = SolveStatus::kCancelled;
              result.message = kInterruptedMessage;
            }
            return result;
          },
  });
}

}  // namespace stratagem
