#include "stratagem/solve/solver.hpp"

#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>

#include <tbb/task_arena.h>

#include "stratagem/solve/backward_induction.hpp"
#include "stratagem/solve/dominance.hpp"
#include "stratagem/solve/enumerate.hpp"
#include "stratagem/solve/exact.hpp"
#include "stratagem/solve/lemke_howson.hpp"
#include "stratagem/solve/lp_solvers.hpp"
#include "stratagem/solve/pure.hpp"
#include "stratagem/solve/sequence_lcp.hpp"
#include "stratagem/solve/subgame_perfect.hpp"
#include "stratagem/solve/support_newton.hpp"
#include "stratagem/solve/support.hpp"

namespace stratagem {

Equilibrium make_equilibrium(const NormalFormGame& game, std::string method,
                             MixedProfile profile) {
  Equilibrium eq;
  eq.method = std::move(method);
  eq.payoffs = expected_payoffs(game, profile);
  eq.max_regret = max_regret(game, profile);
  eq.pure = profile.is_pure();
  eq.profile = std::move(profile);
  return eq;
}

void run_with_threads(int threads, const std::function<void()>& work) {
  if (threads <= 0) {
    work();
    return;
  }
  static std::mutex mutex;
  static std::map<int, std::unique_ptr<tbb::task_arena>> arenas;
  tbb::task_arena* arena = nullptr;
  {
    const std::lock_guard lock(mutex);
    auto& slot = arenas[threads];
    if (!slot) slot = std::make_unique<tbb::task_arena>(threads);
    arena = slot.get();
  }
  arena->execute(work);
}

void SolverRegistry::add(SolverEntry entry) {
  if (find(entry.name) != nullptr) {
    throw std::invalid_argument("solver '" + entry.name + "' is registered twice");
  }
  entry.solve = with_exact_verification(entry.name, std::move(entry.solve));  // SolveOptions::exact
  entries_.push_back(std::move(entry));
}

const SolverEntry* SolverRegistry::find(const std::string& name) const {
  for (const auto& e : entries_) {
    if (e.name == name) return &e;
  }
  return nullptr;
}

std::vector<std::string> SolverRegistry::names() const {
  std::vector<std::string> out;
  for (const auto& e : entries_) out.push_back(e.name);
  return out;
}

void register_builtin_solvers(SolverRegistry& registry) {
  register_pure(registry);       // all pure Nash equilibria, n players
  register_dominance(registry);  // iterated elimination of dominated actions
  register_support(registry);    // all Nash equilibria of two-player games
  register_support_newton(registry);  // mixed equilibria of n-player games (support + Newton)
  register_lemke_howson(registry);  // Lemke-Howson paths, two-player games
  register_enumerate(registry);     // extreme equilibria and components by vertex enumeration
  register_zero_sum(registry);   // value and optimal strategies of constant-sum games (LP)
  register_maximin(registry);    // each player's security level and strategy (LP)
  register_correlated(registry); // an optimal correlated equilibrium and small polytopes' vertices
  register_backward_induction(registry);  // subgame-perfect equilibria of perfect-information trees
  register_subgame_perfect(registry);     // subgame-perfect equilibria, imperfect information
  register_sequence_lcp(registry);        // Nash equilibria of two-player trees (sequence form)
}

const SolverRegistry& builtin_solvers() {
  static const SolverRegistry registry = [] {
    SolverRegistry r;
    register_builtin_solvers(r);
    return r;
  }();
  return registry;
}

std::vector<Equilibrium> deduplicate(std::vector<Equilibrium> equilibria, double tol) {
  std::vector<Equilibrium> out;
  for (auto& eq : equilibria) {
    bool seen = false;
    for (const auto& kept : out) {
      if (kept.profile.distance(eq.profile) <= tol) {
        seen = true;
        break;
      }
    }
    if (!seen) out.push_back(std::move(eq));
  }
  return out;
}

}  // namespace stratagem
