#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "stratagem/solve/solver.hpp"

namespace stratagem {

/// What solve_support_newton examined.
struct SupportNewtonResult {
  std::vector<Equilibrium> equilibria;  ///< verified, deduplicated, in canonical order
  std::size_t support_profiles = 0;     ///< support profiles in the game
  std::size_t examined = 0;             ///< support profiles examined (all unless stopped/capped)
  /// Support profiles whose indifference equations have a singular zero in the simplices (a
  /// continuum of solutions, or a degenerate zero): their search stopped there.
  std::size_t continua = 0;
  std::vector<std::string> singular_supports;  ///< those support profiles, named
  /// True when nothing else was found and one point of each such continuum that is an
  /// equilibrium is listed instead.
  bool continuum_points_listed = false;
  /// Support profiles where the certified search ran out of boxes and random Newton starts were
  /// used instead (an equilibrium there can be missed).
  std::size_t multistart_supports = 0;
  /// Boxes below the search's resolution that could be neither excluded nor certified.
  std::size_t undecided_boxes = 0;
  SolveStatus status = SolveStatus::kOk;
  std::string message;
};

/// Nash equilibria of a game with any number of players by support enumeration: for every
/// support profile (one non-empty set of actions per player, smallest first) the indifference
/// equations -- each player's actions in its support earn the same payoff -- are solved, and a
/// solution with no profitable deviation (max regret recomputed, <= tolerance) is an equilibrium.
///
/// Two players: the equations are linear, each support profile is solved directly, and the result
/// is complete for nondegenerate games (it matches `support`).
///
/// Three to nine players: each support profile's equations (multilinear in the free
/// probabilities) are solved by a certified interval search over the closed product of simplices
/// (branch and prune with the Krawczyk test, outward-rounded arithmetic). What is guaranteed:
/// every equilibrium x that is a regular zero (nonsingular Jacobian) of the equations of some
/// support profile S with supp(x) <= S <= the best replies at x is found. That covers every
/// equilibrium of a game whose equilibria are all regular (generic games), every pure
/// equilibrium, and the extreme points of components where as many best-reply constraints are
/// tight as the component has dimensions (one player mixing while the others' unused actions
/// are exactly as good). What is reported instead of guaranteed: a support profile whose
/// equations have a singular zero in the simplices (a continuum of solutions) stops being
/// searched and is named in `singular_supports`; when nothing else is found, one point of each
/// such continuum that is an equilibrium is listed (its centre when that is an exact equilibrium).
/// A support profile that exceeds the box budget falls back to random Newton starts
/// (`multistart_supports`), and boxes that could not be decided are counted. More than nine
/// players: random Newton starts on every support profile (no guarantee for mixed equilibria).
///
/// Parallel over support profiles (oneTBB). kLimitReached when the game has more than
/// `options.max_supports` (at most 10^6) support profiles: then only its pure equilibria are
/// searched, exactly, by `solve_pure`. kCancelled when stopped.
[[nodiscard]] SupportNewtonResult solve_support_newton(const NormalFormGame& game,
                                                       const SolveOptions& options,
                                                       SolveContext& context);

/// Registers "support-newton".
void register_support_newton(SolverRegistry& registry);

}  // namespace stratagem
