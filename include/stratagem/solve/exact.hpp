#pragma once

#include <gmpxx.h>

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "stratagem/game/normal_form.hpp"
#include "stratagem/game/profile.hpp"
#include "stratagem/solve/solver.hpp"

namespace stratagem {

/// Outcome of checking one equilibrium in rational arithmetic.
enum class ExactStatus {
  kVerified,       ///< an exact equilibrium within tolerance of the double profile was found
  kFailed,         ///< no exact equilibrium matches the profile: a bug or a wrong answer
  kNotVerifiable,  ///< n-player mixed profile with no nearby rational equilibrium found; such
                   ///< equilibria can be irrational, so this is a limit, not a failure
};

/// Options of exact recovery.
struct ExactOptions {
  /// Largest difference |exact - double| accepted for a probability; the double profile must
  /// be this close to the exact equilibrium recovered from it.
  double tolerance = 1e-9;
};

/// An equilibrium in rational arithmetic.
struct ExactEquilibrium {
  ExactStatus status = ExactStatus::kFailed;
  std::string message;                                ///< why, when not verified
  std::vector<std::vector<mpq_class>> probabilities;  ///< [player][action], when verified
  std::vector<mpq_class> payoffs;                     ///< each player's payoff, when verified
};

/// Recovers the exact equilibrium that a floating-point profile approximates and checks it.
///
/// Two players: the supports are read from the profile (probabilities above the tolerance) and
/// the indifference equations are solved over the rationals, as support enumeration does: the
/// mixture on each support makes the opponent indifferent over the opponent's support, plus
/// tight best-response equations (the opponent's other actions whose value equals the best)
/// when the supports differ in size or the system is singular. A side whose equations still
/// have no unique solution is rationalised by continued fractions (simplest rational within
/// a shrinking tolerance). Pure profiles of any number of players: probabilities 0 and 1,
/// checked by exact payoff comparisons. Mixed n-player profiles: continued fractions only.
/// The result is verified only when the exact profile is within `options.tolerance` of the
/// given one and passes exact_violation(). Throws std::invalid_argument when the profile's
/// shape differs from the game's. Thread-safe; O((m+n)^3) rational operations for m x n.
[[nodiscard]] ExactEquilibrium recover_exact(const NormalFormGame& game,
                                             const MixedProfile& profile,
                                             const ExactOptions& options = {});

/// Why `probabilities` is not an exact Nash equilibrium of `game` (a negative probability, a
/// sum other than 1, or a pure action earning more than the equilibrium payoff, named), or
/// nullopt when it is one. Exact payoffs from NormalFormGame::exact_payoff.
/// O(num_profiles * num_players) rational operations.
[[nodiscard]] std::optional<std::string> exact_violation(
    const NormalFormGame& game, const std::vector<std::vector<mpq_class>>& probabilities);

/// The probabilities of `eq` as rationals, from its exact fraction strings; nullopt when it has
/// none or one does not read as a number.
[[nodiscard]] std::optional<std::vector<std::vector<mpq_class>>> exact_probabilities(
    const Equilibrium& eq);

/// Each player's exact expected payoff under `probabilities`.
[[nodiscard]] std::vector<mpq_class> exact_expected_payoffs(
    const NormalFormGame& game, const std::vector<std::vector<mpq_class>>& probabilities);

/// Counts from verify_exact().
struct ExactSummary {
  int verified = 0;
  int failed = 0;
  int not_verifiable = 0;
  std::vector<std::string> messages;  ///< one per equilibrium not verified, "equilibrium 2: ..."
};

/// Runs recover_exact() on every equilibrium and fills Equilibrium::exact with fraction
/// strings ("1/3", "0", "1") for those verified; the others keep `exact` empty and are counted
/// and explained in the summary.
ExactSummary verify_exact(const NormalFormGame& game, std::vector<Equilibrium>& equilibria,
                          const ExactOptions& options = {});

/// verify_exact() on a solver's result, recorded in it: an analysis "exact_<method>"
/// {verified, failed, not_verifiable, messages}, and status kFailed with the reasons when an
/// equilibrium fails the exact check (a failure is surfaced, never hidden). No-op without
/// equilibria.
void verify_exact(const NormalFormGame& game, const std::string& method, SolveResult& result,
                  const ExactOptions& options = {});

/// A solver entry point as stored in SolverEntry::solve.
using SolveFunction =
    std::function<SolveResult(const NormalFormGame&, const SolveOptions&, SolveContext&)>;

/// Wraps a solver so that its result is verified in rational arithmetic (the overload of
/// verify_exact() on SolveResult) whenever SolveOptions::exact is set. SolverRegistry::add
/// applies it to every registered solver.
[[nodiscard]] SolveFunction with_exact_verification(std::string method, SolveFunction solve);

}  // namespace stratagem
