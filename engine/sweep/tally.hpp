// What the end of a sweep needs besides the per-point output (engine-private): the summary, the
// error report and, for a regime map, each point's values and regime. Built from points in any
// order and in parts (one per MPI rank) that merge, so that rank 0 never needs the other ranks'
// points themselves.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "stratagem/sweep/summary.hpp"
#include "stratagem/sweep/sweep.hpp"

namespace stratagem {

/// The first point (lowest index) that could not be solved.
struct SweepFirstError {
  std::size_t index = 0;
  std::string message;
};

/// Running totals over points of one sweep: points and ranges per regime (with the regime's
/// first point, which orders the summary), the points that failed, and optionally a copy of each
/// point's index, values and regime (what a regime map draws). Merging tallies of disjoint sets
/// of points gives the tally of their union, whatever the split and the order. Not thread-safe.
class SweepTally {
 public:
  /// `columns`: number of swept parameters (SweepPlan::columns().size()). `keep_points`: also
  /// keep each point's index, values and regime, for points().
  SweepTally(std::size_t columns, bool keep_points);

  /// Counts `point` (which must have `columns` values). O(columns + log regimes).
  void add(const SweepPoint& point);
  /// Adds every point of `other` (a tally of other points of the same sweep).
  void merge(const SweepTally& other);

  /// Number of points counted.
  [[nodiscard]] std::size_t size() const { return size_; }
  /// Number of points with an error (regime "error").
  [[nodiscard]] std::size_t errors() const { return errors_; }
  /// The failing point with the lowest index, if any.
  [[nodiscard]] const std::optional<SweepFirstError>& first_error() const { return first_error_; }
  /// The summary of the points counted; equal to summarize() over them. O(regimes × columns).
  [[nodiscard]] SweepSummary summary(const std::vector<std::string>& columns) const;
  /// With keep_points: the points counted, sorted by index, each with its index, values and
  /// regime only (no equilibria). Empty otherwise.
  [[nodiscard]] std::vector<SweepPoint> points() const;

  /// The tally as bytes, to move it to another process of the same build (MPI ranks).
  [[nodiscard]] std::string encode() const;
  /// Inverse of encode(). Throws std::runtime_error for bytes encode() did not produce.
  [[nodiscard]] static SweepTally decode(std::string_view bytes);

 private:
  struct Regime {
    std::string name;
    std::size_t first = 0;  ///< lowest point index with this regime
    std::size_t count = 0;
    std::vector<std::pair<double, double>> ranges;  ///< per column: min, max
  };
  /// A kept point: its index and regime (a position in regimes_); its values are
  /// kept_values_[columns_ * k, columns_ * (k + 1)) for the k-th kept point.
  struct Kept {
    std::size_t index = 0;
    std::size_t regime = 0;
  };
  /// The regime named `name` (added, first seen at `index`, when new); returns its position.
  std::size_t regime_slot(std::string_view name, std::size_t index);

  std::size_t columns_;
  bool keep_points_;
  std::size_t size_ = 0;
  std::size_t errors_ = 0;
  std::optional<SweepFirstError> first_error_;
  std::vector<Regime> regimes_;  ///< in order of first appearance to this tally
  std::map<std::string, std::size_t, std::less<>> slots_;  ///< name -> position in regimes_
  std::vector<Kept> kept_;
  std::vector<double> kept_values_;
};

}  // namespace stratagem
