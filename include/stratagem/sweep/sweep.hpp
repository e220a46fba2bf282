#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <vector>

#include "stratagem/scenario/scenario.hpp"
#include "stratagem/solve/solver.hpp"

namespace stratagem {

/// One swept parameter with an explicit list of values (from `--grid name=lo:hi:n` or
/// `--values name=v1,v2,...`). Axes form a Cartesian product, the first axis varying slowest.
struct SweepAxis {
  std::string parameter;
  std::vector<double> values;
  std::string origin;  ///< the option text it came from, for messages and the definition
};

/// How the non-axis part of each point is drawn.
enum class SweepSampling {
  kNone,            ///< grid/values axes only
  kMonteCarlo,      ///< `samples` draws from each distribution-carrying parameter
  kLatinHypercube,  ///< `samples` Latin-hypercube points, uniform over the declared ranges
};

/// What a sweep computes: axes, sampling, fixed overrides and methods. A plain value; validated
/// against a scenario by SweepPlan::make.
/// Default cap on a sweep's points. The CLI holds every point's rendered output in memory until
/// the output is written (about 0.3 KB a point as CSV, 0.5 KB as JSON Lines, for a two-player
/// scenario with a few equilibria), so the default keeps a sweep under about 2.5 GB; raise it
/// with SweepSpec::max_points (`--max-points`).
inline constexpr std::size_t kDefaultMaxSweepPoints = 5'000'000;
/// The largest cap that may be asked for.
inline constexpr std::size_t kMaxSweepPointsCeiling = 1'000'000'000;

struct SweepSpec {
  std::vector<SweepAxis> axes;
  SweepSampling sampling = SweepSampling::kNone;
  std::size_t samples = 0;        ///< draws per axis point (Monte Carlo or LHS)
  std::uint64_t seed = 1;         ///< root of every point's random stream
  std::vector<std::string> vary;  ///< LHS: parameters to vary (empty = those with a distribution)
  ParameterValues fixed;          ///< `--set` overrides, applied at every point
  std::vector<std::string> methods;  ///< solver names; empty = scenario's method, else pure+support
  bool allow_outside_range = false;
  double tolerance = 1e-9;  ///< regret tolerance passed to the solvers
  std::string fingerprint;  ///< identifies the scenario text (hashed into the definition)
  std::size_t max_points = kDefaultMaxSweepPoints;  ///< SweepPlan::make refuses larger sweeps
};

/// Parses `name=lo:hi:n` (n evenly spaced values from lo to hi inclusive; n = 1 gives lo).
/// Throws InputError (file "--grid") for a malformed text, n < 1, n > max_points, lo > hi or an
/// empty range.
[[nodiscard]] SweepAxis parse_grid_axis(const std::string& text,
                                        std::size_t max_points = kDefaultMaxSweepPoints);
/// Parses `name=v1,v2,...` (numbers, kept in the given order). Throws InputError ("--values").
[[nodiscard]] SweepAxis parse_values_axis(const std::string& text);

/// SweepSpec::fingerprint of a scenario's text: its 64-bit FNV-1a hash and length, so a journal
/// is resumed only with the scenario it was written for.
[[nodiscard]] std::string scenario_fingerprint(const std::string& text);

/// splitmix64's finaliser: a bijective 64-bit mixing function.
[[nodiscard]] std::uint64_t mix64(std::uint64_t x);
/// Seed of point `index`'s random stream: independent of threads, ranks and run order.
[[nodiscard]] std::uint64_t point_seed(std::uint64_t seed, std::uint64_t index);

/// A validated sweep over one scenario: the ordered list of points and how to evaluate them.
/// Immutable after make(); safe to share between threads.
class SweepPlan {
 public:
  /// Validates `spec` against `scenario`. Throws InputError naming the option and a fix for an
  /// unknown parameter (with a suggestion), a parameter swept twice or both swept and set, a
  /// value outside the declared range (unless allow_outside_range), a distribution with invalid
  /// arguments, sampling with nothing to sample, LHS over a parameter without a range, an
  /// unknown or inapplicable method, or more than 2^40 points.
  [[nodiscard]] static SweepPlan make(const Scenario& scenario, SweepSpec spec);

  /// Number of points.
  [[nodiscard]] std::size_t size() const { return size_; }
  /// Swept parameters in column order: axes first (in spec order), then sampled parameters in
  /// file order.
  [[nodiscard]] const std::vector<std::string>& columns() const { return columns_; }
  /// Number of leading columns that are axes.
  [[nodiscard]] std::size_t num_axes() const { return spec_.axes.size(); }
  /// Methods run at every point, in order.
  [[nodiscard]] const std::vector<std::string>& methods() const { return methods_; }
  /// The methods joined with '+', as written in the `method` column.
  [[nodiscard]] const std::string& method_label() const { return method_label_; }
  /// Actor ids (player order) and display names.
  [[nodiscard]] const std::vector<std::string>& actors() const { return actors_; }
  [[nodiscard]] const SweepSpec& spec() const { return spec_; }

  /// Values of the swept parameters at point `index` (column order). Pure function of the plan
  /// and the index. O(columns).
  [[nodiscard]] std::vector<double> point(std::size_t index) const;
  /// The full set of overrides to bind at a point: fixed values plus the point's values.
  [[nodiscard]] ParameterValues bindings(std::span<const double> point) const;

  /// Canonical text of everything that determines the results (scenario fingerprint, axes,
  /// sampling, seed, overrides, methods, tolerance); equal definitions give equal outputs.
  [[nodiscard]] const std::string& definition() const { return definition_; }
  /// 64-bit FNV-1a hash of definition(), as 16 hex digits.
  [[nodiscard]] std::string definition_hash() const;

 private:
  struct Sampled {
    std::string name;
    std::size_t param = 0;  ///< index into the scenario's parameters
    Distribution distribution;
    double lo = 0.0, hi = 0.0;  ///< declared range (LHS, beta)
  };
  SweepSpec spec_;
  std::vector<std::string> columns_;
  std::vector<Sampled> sampled_;
  std::vector<std::vector<std::uint32_t>> lhs_permutations_;  ///< per sampled column
  std::vector<std::string> methods_;
  std::string method_label_;
  std::vector<std::string> actors_;
  std::size_t grid_size_ = 1;
  std::size_t size_ = 0;
  std::string definition_;
};

/// One equilibrium at a sweep point, reduced to what the sinks print.
struct SweepEquilibrium {
  /// Per actor: (move id, probability) for the moves played with positive probability, in the
  /// game's action order.
  std::vector<std::vector<std::pair<std::string, double>>> strategy;
  std::vector<double> payoffs;  ///< expected payoff per actor
  double max_regret = 0.0;
  bool pure = false;
  /// "m1/m2" (one move per actor, joined by '/') for a pure equilibrium; "mixed(s1/s2)" with
  /// each support's moves joined by '+' for a mixed one.
  std::string label;
};

/// The result at one point.
struct SweepPoint {
  std::size_t index = 0;
  std::vector<double> values;                ///< column order
  std::vector<SweepEquilibrium> equilibria;  ///< canonical order (see evaluate_point)
  /// Sorted distinct equilibrium labels joined by '|'; "none" when there is no equilibrium;
  /// "error" when the point could not be solved (see `error`).
  std::string regime;
  /// Why the point could not be bound or solved ("" when it was): such a point is recorded like
  /// the others (journal, output, summary), so a resumed sweep neither recomputes nor stops at it.
  std::string error{};
  /// Text prepared by SweepRunOptions::encode in the worker thread (e.g. the journal line), so
  /// that the serialised delivery only writes it; empty when not prepared.
  std::string record{};
  /// Text prepared by SweepRunOptions::render in the worker thread (e.g. the point's CSV rows),
  /// so that the output is assembled without rendering; empty when not prepared.
  std::string rendered{};
};

/// Evaluates point `index`: binds `compiled` (which must come from the plan's scenario), runs the
/// plan's methods, merges their equilibria (duplicates within 1e-7 removed), and sorts them by
/// label then by probabilities, so the result does not depend on threads or method order.
/// Not thread-safe with respect to `compiled`. Throws InputError when the scenario cannot be
/// bound at the point (the message names the point) and std::runtime_error when a solver fails.
[[nodiscard]] SweepPoint evaluate_point(const SweepPlan& plan, CompiledScenario& compiled,
                                        std::size_t index, SolveContext& context);

/// JSON object of a point, as written to JSON Lines and journals:
/// {"point", "parameters": {name: value}, "method", "n_equilibria", "regime",
///  "equilibria": [{"label", "profile": {actor: {move: p}}, "payoffs": {actor: x},
///  "max_regret", "pure"}]}, plus "error" for a point that could not be solved.
[[nodiscard]] nlohmann::ordered_json point_to_json(const SweepPlan& plan, const SweepPoint& point);
/// Inverse of point_to_json. Throws std::runtime_error for a malformed object.
[[nodiscard]] SweepPoint point_from_json(const SweepPlan& plan,
                                         const nlohmann::ordered_json& object);

/// CSV header: point, each column, method, n_equilibria, eq_index, regime, one column per actor
/// (the profile), payoff_<actor> per actor, max_regret. Ends with '\n'.
[[nodiscard]] std::string csv_header(const SweepPlan& plan);
/// CSV rows of a point: one per equilibrium (eq_index from 1), or one row with empty
/// equilibrium columns (eq_index 0) when there is none. A profile cell is the move id for a
/// pure strategy, or "move:p;move:p" (p with 10 significant digits) for a mixed one.
[[nodiscard]] std::string csv_rows(const SweepPlan& plan, const SweepPoint& point);
/// One JSON Lines record (point_to_json, compact, '\n'-terminated).
[[nodiscard]] std::string jsonl_line(const SweepPlan& plan, const SweepPoint& point);

/// How run_points executes.
struct SweepRunOptions {
  int threads = 0;                          ///< 0 = all cores
  std::size_t chunk = 16;                   ///< points per task; results are delivered per chunk
  const std::atomic<bool>* stop = nullptr;  ///< polled between points
  /// Optional: called in the worker thread for each finished point (concurrently with other
  /// workers); the result is stored in SweepPoint::record before delivery.
  std::function<std::string(const SweepPoint&)> encode{};
  /// Optional: like `encode`, called after it (so it may reuse SweepPoint::record); the result
  /// is stored in SweepPoint::rendered.
  std::function<std::string(const SweepPoint&)> render{};
};

/// Evaluates the points `indices` in parallel (oneTBB task_arena, one CompiledScenario per
/// worker thread). `deliver` is called with each finished chunk of points, serialised (never
/// concurrently), in no particular order; after a stop request, points already finished are
/// delivered and the rest are skipped. Returns the number of points delivered. Exceptions from
/// evaluation propagate after the workers stop.
std::size_t run_points(const Scenario& scenario, const SweepPlan& plan,
                       std::span<const std::size_t> indices, const SweepRunOptions& options,
                       const std::function<void(std::vector<SweepPoint>&)>& deliver);

}  // namespace stratagem
