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
#include "stratagem/game/tree.hpp"

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

/// Builds an Equilibrium from a profile: computes payoffs, max regret and purity; probabilities
/// within rounding of 0, 1 or a simple fraction are first set to it (docs/numerics.md).
[[nodiscard]] Equilibrium make_equilibrium(const NormalFormGame& game, std::string method,
                                           MixedProfile profile);

/// make_equilibrium() without the tidying: for profiles whose doubles are the nearest values of
/// known exact fractions.
[[nodiscard]] Equilibrium describe_equilibrium(const NormalFormGame& game, std::string method,
                                               MixedProfile profile);

/// Outcome of a solver call that is not a bad-input error.
enum class SolveStatus { kOk, kCancelled, kLimitReached, kFailed };

/// The message of a solver stopped part way that lists what it found before the stop.
inline constexpr const char* kInterruptedMessage =
    "interrupted; the equilibria listed were found before the stop";

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
  /// Cap on the equilibria a solver lists when ties multiply them (pure, backward-induction,
  /// subgame-perfect): the first ones are kept and the status is kLimitReached. Bounds the memory
  /// and the output of games whose payoffs are all ties.
  std::size_t max_equilibria = 1'000;
  /// enumerate: memory budget of the vertex search (tableaux kept alive by pending bases, and
  /// the visited-basis tables); beyond it the search stops with kLimitReached (docs/limits.md).
  std::size_t max_search_bytes = std::size_t{2} << 30;
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

/// An equilibrium of a game tree in behaviour strategies.
struct BehaviorEquilibrium {
  /// behaviour[h][m]: probability of move m at information set h (GameTree::infosets() order).
  /// At an information set the player's own strategy never reaches, the first move unless the
  /// solver fixed a choice there (subgame-perfect solvers do).
  std::vector<std::vector<double>> behaviour;
  /// Expected payoff of each player from the root.
  std::vector<double> payoffs;
  /// Verification recomputed independently of the solver: for subgame-perfect solvers the
  /// largest gain from deviating in any subgame, for Nash solvers the largest gain from a best
  /// response at the root; <= tolerance for a true equilibrium.
  double max_gain = 0.0;
  /// The reasoning for a student (e.g. backward-induction steps), one sentence per line.
  std::vector<std::string> reasoning;
};

/// What a tree solver returns.
struct TreeSolveResult {
  SolveStatus status = SolveStatus::kOk;
  std::string message;             ///< why, when status != kOk
  std::vector<BehaviorEquilibrium> equilibria;
  std::vector<Analysis> analyses;
};

/// Runs `work` on the calling thread; the parallel loops it starts use `threads` threads (an
/// oneTBB arena of that many slots, created on the first loop that is worth running in parallel
/// and reused), oneTBB's default arena when `threads` <= 0, and none when `threads` == 1: then
/// every loop runs on the calling thread and oneTBB is not started. Thread-safe.
void run_with_threads(int threads, const std::function<void()>& work);

/// A registered solver: name, metadata for `stratagem solvers`, applicability check, entry point.
/// Strategic-form solvers set `check` and `solve`; tree solvers set `tree_check` and
/// `solve_tree` (and `check` answers why a strategic-form game is not their input). A game tree
/// given to a strategic-form solver is solved in its reduced normal form.
struct SolverEntry {
  std::string name;
  std::string summary;             ///< one line: what it computes
  std::string applies_to;          ///< one line: which games
  /// Empty when the solver applies to `game`; otherwise the reason it does not.
  std::function<std::optional<std::string>(const NormalFormGame&)> check;
  std::function<SolveResult(const NormalFormGame&, const SolveOptions&, SolveContext&)> solve;
  /// Tree solvers only: empty when the solver applies to `tree`, else the reason.
  std::function<std::optional<std::string>(const GameTree&)> tree_check{};
  /// Tree solvers only: the entry point.
  std::function<TreeSolveResult(const GameTree&, const SolveOptions&, SolveContext&)> solve_tree{};
  /// Strategic-form solvers whose answer depends on each player's payoffs only up to a positive
  /// affine map (Nash equilibrium solvers): the registry hands them normalized_payoffs(game),
  /// every payoff in [0, 1], so their tolerances are relative to each player's payoff range and
  /// the same equilibria come out at every payoff scale and shift; the equilibria are then
  /// re-evaluated (payoffs, regret) in the original game.
  bool affine_invariant = false;
  /// The solver claims at least one equilibrium of every game it applies to (it finds all, or
  /// one). Every finite game has an equilibrium, so when such a solver ends with none and no
  /// other explanation (a stop, a limit), the registry turns its result into kFailed with a
  /// message saying so: "0 equilibria" is never reported as an answer.
  bool finds_one = false;
  /// The solver claims every equilibrium (two players: every extreme equilibrium). Where the
  /// payoffs are finer than doubles can separate, the registry then answers with the exact
  /// vertex enumeration of a two-player game instead of the solver's double-precision result.
  bool finds_all = false;
  /// True for a solver of game trees.
  [[nodiscard]] bool is_tree_solver() const { return static_cast<bool>(solve_tree); }
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
