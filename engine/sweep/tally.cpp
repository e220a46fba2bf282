// Running totals of a sweep's points: summary, errors and the points a regime map draws.
#include "sweep/tally.hpp"

#include <algorithm>
#include <limits>
#include <numeric>
#include <stdexcept>

#include "sweep/bytes.hpp"

namespace stratagem {

SweepTally::SweepTally(std::size_t columns, bool keep_points)
    : columns_(columns), keep_points_(keep_points) {}

std::size_t SweepTally::regime_slot(std::string_view name, std::size_t index) {
  auto it = slots_.find(name);
  if (it == slots_.end()) {
    constexpr double kInf = std::numeric_limits<double>::infinity();
    it = slots_.emplace(std::string(name), regimes_.size()).first;
    regimes_.push_back({.name = std::string(name),
                        .first = index,
                        .count = 0,
                        .ranges = std::vector<std::pair<double, double>>(columns_, {kInf, -kInf})});
  }
  Regime& regime = regimes_[it->second];
  regime.first = std::min(regime.first, index);
  return it->second;
}

void SweepTally::add(const SweepPoint& point) {
  if (point.values.size() != columns_) {
    throw std::invalid_argument("SweepTally::add: a point with the wrong number of values");
  }
  const std::size_t slot = regime_slot(point.regime, point.index);
  Regime& regime = regimes_[slot];
  ++regime.count;
  for (std::size_t c = 0; c < columns_; ++c) {
    regime.ranges[c].first = std::min(regime.ranges[c].first, point.values[c]);
    regime.ranges[c].second = std::max(regime.ranges[c].second, point.values[c]);
  }
  ++size_;
  if (!point.error.empty()) {
    ++errors_;
    if (!first_error_ || point.index < first_error_->index) {
      first_error_ = SweepFirstError{.index = point.index, .message = point.error};
    }
  }
  if (keep_points_) {
    kept_.push_back({.index = point.index, .regime = slot});
    kept_values_.insert(kept_values_.end(), point.values.begin(), point.values.end());
  }
}

void SweepTally::merge(const SweepTally& other) {
  if (other.columns_ != columns_) {
    throw std::invalid_argument("SweepTally::merge: tallies of different sweeps");
  }
  std::vector<std::size_t> slot_of(other.regimes_.size());
  for (std::size_t r = 0; r < other.regimes_.size(); ++r) {
    const Regime& theirs = other.regimes_[r];
    slot_of[r] = regime_slot(theirs.name, theirs.first);
    Regime& mine = regimes_[slot_of[r]];
    mine.count += theirs.count;
    for (std::size_t c = 0; c < columns_; ++c) {
      mine.ranges[c].first = std::min(mine.ranges[c].first, theirs.ranges[c].first);
      mine.ranges[c].second = std::max(mine.ranges[c].second, theirs.ranges[c].second);
    }
  }
  size_ += other.size_;
  errors_ += other.errors_;
  if (other.first_error_ && (!first_error_ || other.first_error_->index < first_error_->index)) {
    first_error_ = other.first_error_;
  }
  if (keep_points_) {
    for (const Kept& k : other.kept_)
      kept_.push_back({.index = k.index, .regime = slot_of[k.regime]});
    kept_values_.insert(kept_values_.end(), other.kept_values_.begin(), other.kept_values_.end());
  }
}

SweepSummary SweepTally::summary(const std::vector<std::string>& columns) const {
  SweepSummary summary;
  summary.points = size_;
  summary.columns = columns;
  std::vector<const Regime*> order;
  for (const auto& regime : regimes_) order.push_back(&regime);
  std::sort(order.begin(), order.end(),
            [](const Regime* a, const Regime* b) { return a->first < b->first; });
  for (const Regime* regime : order) {
    summary.regimes.push_back(
        {.regime = regime->name, .count = regime->count, .ranges = regime->ranges});
  }
  return summary;
}

std::vector<SweepPoint> SweepTally::points() const {
  std::vector<std::size_t> order(kept_.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(),
            [&](std::size_t a, std::size_t b) { return kept_[a].index < kept_[b].index; });
  std::vector<SweepPoint> points;
  points.reserve(kept_.size());
  for (const std::size_t k : order) {
    SweepPoint& point = points.emplace_back();
    point.index = kept_[k].index;
    const auto values = kept_values_.begin() + static_cast<std::ptrdiff_t>(k * columns_);
    point.values.assign(values, values + static_cast<std::ptrdiff_t>(columns_));
    point.regime = regimes_[kept_[k].regime].name;
  }
  return points;
}

std::string SweepTally::encode() const {
  sweep_bytes::Writer out;
  out.u64(columns_);
  out.u64(keep_points_ ? 1 : 0);
  out.u64(size_);
  out.u64(errors_);
  out.u64(first_error_ ? 1 : 0);
  if (first_error_) {
    out.u64(first_error_->index);
    out.text(first_error_->message);
  }
  out.u64(regimes_.size());
  for (const auto& regime : regimes_) {
    out.text(regime.name);
    out.u64(regime.first);
    out.u64(regime.count);
    for (const auto& [lo, hi] : regime.ranges) {
      out.f64(lo);
      out.f64(hi);
    }
  }
  out.u64(kept_.size());
  for (const Kept& k : kept_) {
    out.u64(k.index);
    out.u64(k.regime);
  }
  for (const double v : kept_values_) out.f64(v);
  return std::move(out.bytes());
}

SweepTally SweepTally::decode(std::string_view bytes) {
  sweep_bytes::Reader in(bytes);
  const std::size_t columns = in.u64();
  if (columns > bytes.size()) throw std::runtime_error("malformed sweep tally between ranks");
  SweepTally tally(columns, in.u64() != 0);
  tally.size_ = in.u64();
  tally.errors_ = in.u64();
  if (in.u64() != 0) {
    const std::size_t index = in.u64();
    tally.first_error_ = SweepFirstError{.index = index, .message = std::string(in.text())};
  }
  const std::size_t regimes = in.u64();
  for (std::size_t r = 0; r < regimes; ++r) {
    const std::string_view name = in.text();
    const std::size_t first = in.u64();
    Regime& regime = tally.regimes_[tally.regime_slot(name, first)];
    regime.count = in.u64();
    for (auto& [lo, hi] : regime.ranges) {
      lo = in.f64();
      hi = in.f64();
    }
  }
  const std::size_t kept = in.u64();
  if (kept > bytes.size() / 16) throw std::runtime_error("malformed sweep tally between ranks");
  tally.kept_.resize(kept);
  for (Kept& k : tally.kept_) {
    k.index = in.u64();
    k.regime = in.u64();
    if (k.regime >= tally.regimes_.size()) {
      throw std::runtime_error("malformed sweep tally between ranks");
    }
  }
  tally.kept_values_.resize(kept * columns);
  for (double& v : tally.kept_values_) v = in.f64();
  if (!in.done() || tally.regimes_.size() != regimes) {
    throw std::runtime_error("malformed sweep tally between ranks");
  }
  return tally;
}

}  // namespace stratagem
