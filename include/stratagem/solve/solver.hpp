#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "stratagem/game/normal_form.hpp"
#include "stratagem/game/profile.hpp"

namespace stratagem {

/// One equilibrium found by a solver, with its independent verification.
struct Equilibrium {
  std::string method;              ///< solver that found it
  MixedProfile profile;            ///< strategies, in the game's action order
  std::vector<double> payoffs;     ///< expected payoff of each player
  double max_regret = 0.0;         ///< recomputed from the game; <= tolerance for a true equilibrium
  bool pure = false;               ///< every player plays one action with probability one
  /// Exact probabilities as fraction strings ("1/3"), when verified in rational arithmetic.
  std::optional<std::vector<std::vector<std::string>>> exact;
};

/// Builds an Equilibrium from a profile: computes payoffs, max regret and purity.
[[nodiscard]] Equilibrium make_equilibrium(const NormalFormGame& game, std::string method,
                                           MixedProfile profile);

/// Outcome of a solver call that is not a bad-input error.
enum class SolveStatus { kOk, kCancelled, kLimitReached, kFailed };

/// A named analysis that is not a list of equilibria (e.g. dominance steps): machine-readable
/// data for JSON output plus the sentences a person reads.
struct Analysis {
  std::string key;                 ///< JSON key under "analyses"
  nlohmann::json data;             ///< documented per solver
  std::vector<std::string> text;   ///< lines for the text renderer
};

/// What a solver returns: equilibria (possibly none) and analyses.
struct SolveResult {
  SolveStatus status = SolveStatus::kOk;
  std::string message;             ///< why, when status != kOk
  std::vector<Equilibrium> equilibria;
  std::vector<Analysis> analyses;
};

/// Options shared by the built-in solvers; each solver reads the fields it knows.
struct SolveOptions {
  double tolerance = 1e-9;         ///< regret tolerance for accepting an equilibrium
  bool weak_dominance = false;     ///< dominance: eliminate weakly dominated actions too
  int threads = 0;                 ///< 0 = all cores (oneTBB default)
  std::size_t max_supports = 50'000'000;  ///< support: cap on support pairs examined
  std::optional<int> start_label;  ///< lemke-howson: one 1-based label (1..m+n), else all
  bool verbose_paths = false;      ///< lemke-howson: also record each path's entering labels
  bool exact = false;              ///< verify every equilibrium in rational arithmetic (exact.hpp)
  std::string objective = "welfare";  ///< correlated: "welfare" or a player name to maximise
};

/// Cancellation and progress for long work. Thread-safe.
class SolveContext {
 public:
  SolveContext() = default;
  /// Uses an external stop flag (e.g. set by a signal handler).
  explicit SolveContext(const std::atomic<bool>* stop) : stop_(stop) {}
  [[nodiscard]] bool stop_requested() const {
    return stop_ != nullptr && stop_->load(std::memory_order_relaxed);
  }

 private:
  const std::atomic<bool>* stop_ = nullptr;
};

/// A registered solver: name, metadata for `stratagem solvers`, applicability check, entry point.
struct SolverEntry {
  std::string name;
  std::string summary;             ///< one line: what it computes
  std::string applies_to;          ///< one line: which games
  /// Empty when the solver applies to `game`; otherwise the reason it does not.
  std::function<std::optional<std::string>(const NormalFormGame&)> check;
  std::function<SolveResult(const NormalFormGame&, const SolveOptions&, SolveContext&)> solve;
};

/// Name -> solver. Registration is explicit (register_builtin_solvers); lookups are const
/// and thread-safe once registration is done.
class SolverRegistry {
 public:
  /// Adds a solver; throws std::invalid_argument when the name is taken.
  void add(SolverEntry entry);
  /// The solver called `name`, or nullptr.
  [[nodiscard]] const SolverEntry* find(const std::string& name) const;
  /// All solvers in registration order.
  [[nodiscard]] const std::vector<SolverEntry>& all() const { return entries_; }
  /// Names, in registration order.
  [[nodiscard]] std::vector<std::string> names() const;

 private:
  std::vector<SolverEntry> entries_;
};

/// Registers pure, dominance, support (and later families) into `registry`.
void register_builtin_solvers(SolverRegistry& registry);

/// A registry with every built-in solver; built once, thread-safe to read.
[[nodiscard]] const SolverRegistry& builtin_solvers();

/// Removes equilibria whose profiles are within `tol` of an earlier one (keeps first).
[[nodiscard]] std::vector<Equilibrium> deduplicate(std::vector<Equilibrium> equilibria,
                                                   double tol = 1e-7);

}  // namespace stratagem
