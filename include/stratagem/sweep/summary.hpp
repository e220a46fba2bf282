#pragma once

#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "stratagem/sweep/sweep.hpp"

namespace stratagem {

/// How often a regime occurs and where: a one-dimensional sensitivity table.
struct RegimeStats {
  std::string regime;
  std::size_t count = 0;
  /// Per swept parameter (column order): smallest and largest value at which the regime occurs.
  std::vector<std::pair<double, double>> ranges;
};

/// The end-of-sweep summary. Regimes are ordered by first occurrence in point order, so the
/// order follows the sweep (e.g. increasing values along the first axis).
struct SweepSummary {
  std::size_t points = 0;
  std::vector<std::string> columns;
  std::vector<RegimeStats> regimes;
};

/// Summarises every point of a sweep. O(points × (columns + log regimes)).
[[nodiscard]] SweepSummary summarize(const SweepPlan& plan, std::span<const SweepPoint> points);

/// Short id of the regime at position `i` of SweepSummary::regimes: A, B, ..., Z, AA, AB, ...
/// (the same letters label the plot legend).
[[nodiscard]] std::string regime_id(std::size_t i);

/// Text for a person: points per regime (id, count, share, label), then a table with one row per
/// regime and, per swept parameter, the range [min, max] over which the regime occurs.
[[nodiscard]] std::string summary_text(const SweepSummary& summary, const std::string& title);

/// {"points", "regimes": [{"regime", "count", "share"}],
///  "sensitivity": {parameter: {regime: [min, max]}}}.
[[nodiscard]] nlohmann::ordered_json summary_json(const SweepSummary& summary);

}  // namespace stratagem
