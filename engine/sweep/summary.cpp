// End-of-sweep summary: points per regime and the range of each parameter per regime.
#include "stratagem/sweep/summary.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "sweep/tally.hpp"

namespace stratagem {

SweepSummary summarize(const SweepPlan& plan, std::span<const SweepPoint> points) {
  SweepTally tally(plan.columns().size(), /*keep_points=*/false);
  for (const auto& point : points) tally.add(point);
  return tally.summary(plan.columns());
}

std::string regime_id(std::size_t i) {
  std::string s;
  do {
    s.insert(s.begin(), static_cast<char>('A' + i % 26));
    i /= 26;
  } while (i-- > 0);
  return s;
}

std::string summary_text(const SweepSummary& summary, const std::string& title) {
  std::string out = fmt::format("{}\n  {} points, {} regime{}\n\n", title, summary.points,
                                summary.regimes.size(), summary.regimes.size() == 1 ? "" : "s");
  out += fmt::format("  {:<4}  {:>8}  {:>6}  {}\n", "id", "points", "share", "regime");
  for (std::size_t r = 0; r < summary.regimes.size(); ++r) {
    const auto& reg = summary.regimes[r];
    const double share = summary.points == 0 ? 0.0
                                             : 100.0 * static_cast<double>(reg.count) /
                                                   static_cast<double>(summary.points);
    out +=
        fmt::format("  {:<4}  {:>8}  {:>5.1f}%  {}\n", regime_id(r), reg.count, share, reg.regime);
  }
  // One-dimensional sensitivity: per regime, the range of each swept parameter.
  std::vector<std::vector<std::string>> cells;
  std::vector<std::size_t> width;
  for (const auto& c : summary.columns) width.push_back(c.size());
  for (const auto& reg : summary.regimes) {
    auto& row = cells.emplace_back();
    for (std::size_t c = 0; c < summary.columns.size(); ++c) {
      row.push_back(fmt::format("[{:.6g}, {:.6g}]", reg.ranges[c].first, reg.ranges[c].second));
      width[c] = std::max(width[c], row.back().size());
    }
  }
  out += "\nRange of each swept parameter over which each regime occurs\n";
  const auto row = [&](const std::string& id, const std::vector<std::string>& texts) {
    std::string line = fmt::format("  {:<4}", id);
    for (std::size_t c = 0; c < texts.size(); ++c)
      line += fmt::format("  {:<{}}", texts[c], width[c]);
    while (!line.empty() && line.back() == ' ') line.pop_back();
    return line + "\n";
  };
  out += row("id", summary.columns);
  for (std::size_t r = 0; r < cells.size(); ++r) out += row(regime_id(r), cells[r]);
  return out;
}

nlohmann::ordered_json summary_json(const SweepSummary& summary) {
  nlohmann::ordered_json j;
  j["points"] = summary.points;
  auto regimes = nlohmann::ordered_json::array();
  for (const auto& r : summary.regimes) {
    nlohmann::ordered_json e;
    e["regime"] = r.regime;
    e["count"] = r.count;
    e["share"] = summary.points == 0
                     ? 0.0
                     : static_cast<double>(r.count) / static_cast<double>(summary.points);
    regimes.push_back(std::move(e));
  }
  j["regimes"] = std::move(regimes);
  auto sensitivity = nlohmann::ordered_json::object();
  for (std::size_t c = 0; c < summary.columns.size(); ++c) {
    auto per = nlohmann::ordered_json::object();
    for (const auto& r : summary.regimes) {
      per[r.regime] = {r.ranges[c].first, r.ranges[c].second};
    }
    sensitivity[summary.columns[c]] = std::move(per);
  }
  j["sensitivity"] = std::move(sensitivity);
  return j;
}

}  // namespace stratagem
