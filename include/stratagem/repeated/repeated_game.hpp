#pragma once

#include <optional>
#include <string>
#include <vector>

#include <Eigen/Dense>

#include "stratagem/game/normal_form.hpp"
#include "stratagem/repeated/automaton.hpp"

namespace stratagem {

/// A repeated game: a stage game played again and again. Payoffs are normalised discounted
/// averages (1 - d) * sum_t d^t u_t with effective discount d = delta * continuation, where
/// `continuation` is the probability that the relationship lasts another round. With a finite
/// horizon the game has exactly `horizon` rounds (payoffs: discounted sums normalised the same
/// way).
struct RepeatedGame {
  NormalFormGame stage;
  std::vector<double> delta;        ///< per player, each in (0, 1)
  double continuation = 1.0;        ///< in (0, 1]
  std::optional<int> horizon;       ///< finite number of rounds, if any
};

/// One automaton per player, in player order.
using AutomatonProfile = std::vector<Automaton>;

/// The joint-state Markov chain of a profile of automata (optionally with noise): each joint
/// state is the tuple of every player's automaton state.
struct JointChain {
  std::vector<std::vector<int>> states;      ///< joint states reachable on the path of play
  Eigen::MatrixXd transition;                ///< row-stochastic, over `states`
  Eigen::MatrixXd stage_payoffs;             ///< [joint state][player] expected stage payoff
  std::vector<std::vector<double>> profile_probabilities;  ///< [joint state][stage profile]
  int initial = 0;                           ///< index of the initial joint state
};

/// Builds the chain from the initial joint state. `noise` in [0, 1): each intended move is
/// replaced by a uniformly chosen other move with that probability.
[[nodiscard]] JointChain build_chain(const NormalFormGame& stage, const AutomatonProfile& profile,
                                     double noise = 0.0);

/// Exact normalised discounted payoffs from the initial state (closed form: (1-d)(I - dP)^-1 r),
/// one discount per player. With a horizon, the normalised sum over that many rounds.
[[nodiscard]] std::vector<double> discounted_payoffs(const JointChain& chain,
                                                     const std::vector<double>& discount,
                                                     std::optional<int> horizon = std::nullopt);

/// Long-run behaviour: the Cesaro-limit share of time in each joint state (from the chain's
/// closed classes and absorption probabilities; exact for periodic chains too) and the
/// limit-of-means payoffs.
struct LongRun {
  std::vector<double> share;       ///< per joint state of the chain, sums to 1
  std::vector<double> payoffs;     ///< limit-of-means payoff per player
};
[[nodiscard]] LongRun long_run(const JointChain& chain);

/// A profitable one-shot deviation: in joint state `state`, `player` plays `action` instead.
struct Deviation {
  std::vector<int> state;          ///< joint automaton state
  int player = 0;
  int action = 0;
  double gain = 0.0;               ///< normalised payoff gain over following the automaton
  /// Expected stage-payoff difference in the deviation round (deviation minus automaton's move).
  double immediate = 0.0;
  /// What the deviation costs afterwards: (1 - d) * immediate - gain, i.e. d times the drop in
  /// the normalised continuation value.
  double continuation_loss = 0.0;
  bool on_path = false;            ///< the state is reached without any deviation
};

/// Result of checking a profile at one discount vector.
struct ProfileCheck {
  bool subgame_perfect = false;     ///< no profitable one-shot deviation in any reachable state
  bool nash = false;                ///< no profitable deviation (any plan) from the initial state
  std::vector<double> payoffs;      ///< normalised payoffs from the initial state
  std::vector<Deviation> deviations;  ///< profitable one-shot deviations, largest gain first
  /// Per player: best payoff achievable against the others' automata from the initial state.
  std::vector<double> best_response_values;
};

/// One-shot-deviation check over every joint state reachable under any history (for subgame
/// perfection) and a best-response computation (policy iteration) for Nash. `noise` applies to
/// intended moves of everyone, deviations included. `tol` is the gain regarded as zero.
[[nodiscard]] ProfileCheck check_profile(const NormalFormGame& stage,
                                         const AutomatonProfile& profile,
                                         const std::vector<double>& discount, double noise = 0.0,
                                         double tol = 1e-10);

/// A set of discount factors, as disjoint intervals [lo, hi] (hi = 1 means "up to 1").
struct DeltaSet {
  std::vector<std::pair<double, double>> intervals;
  /// The endpoints as exact fractions ("1/2") where the boundary was confirmed in rational
  /// arithmetic, else empty strings; one pair per interval. An upper end of 1 is "1".
  std::vector<std::pair<std::string, std::string>> exact;
  [[nodiscard]] bool empty() const { return intervals.empty(); }
  /// Smallest discount factor in the set (the critical delta), if any.
  [[nodiscard]] std::optional<double> critical() const {
    if (intervals.empty()) return std::nullopt;
    return intervals.front().first;
  }
};

/// The common discount factors delta in (0, 1) at which the profile is subgame perfect
/// (`nash` = false) or Nash (`nash` = true), with `continuation` multiplying delta. Found by a
/// scan of `grid` points and bisection of every boundary to 1e-12, each boundary verified by
/// checking on both sides. Isolated knife-edge points narrower than the grid may be missed.
/// Each boundary is then tried as a fraction (the simplest within 1e-8): when the profile holds
/// at it in exact rational arithmetic, with some gain exactly zero there, and fails just
/// outside it, the boundary is that fraction (DeltaSet::exact; the double is its nearest).
[[nodiscard]] DeltaSet equilibrium_deltas(const NormalFormGame& stage,
                                          const AutomatonProfile& profile, bool nash,
                                          double continuation = 1.0, double noise = 0.0,
                                          int grid = 2000);

/// A finitely repeated game by backward induction over (round, joint state): the automata's
/// payoffs over `rounds` rounds, and whether following them is subgame perfect (one-shot
/// deviation check at every round). Also: when the stage game has a unique pure Nash
/// equilibrium, the backward-induction outcome is that equilibrium in every round.
struct FiniteHorizonResult {
  std::vector<double> payoffs;                 ///< normalised, per player
  bool subgame_perfect = false;
  std::vector<Deviation> deviations;           ///< profitable one-shot deviations (first round found)
  std::vector<int> deviation_rounds;           ///< round (1-based) of each deviation
  std::optional<std::vector<int>> unique_stage_equilibrium;  ///< the repeated outcome, if unique
};
[[nodiscard]] FiniteHorizonResult finite_horizon(const NormalFormGame& stage,
                                                 const AutomatonProfile& profile,
                                                 const std::vector<double>& discount, int rounds);

}  // namespace stratagem
