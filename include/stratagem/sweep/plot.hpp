#pragma once

#include <span>
#include <string>

#include "stratagem/sweep/sweep.hpp"

namespace stratagem {

/// Layout of a regime map.
struct RegimePlotOptions {
  std::string title;      ///< drawn at the top
  int plot_width = 640;   ///< pixels of the data area
  int plot_height = 400;  ///< pixels of the data area (2-D); 1-D uses one lane per regime
};

/// An SVG regime map of a sweep over one or two parameters, written by our own code:
/// - one swept parameter: a band chart, one lane per regime, the parameter on the x axis, with
///   the parameter value of every regime change marked;
/// - two: a heatmap (a cell per grid point, or a dot per point for sampled sweeps), the first
///   swept parameter on the x axis and the second on the y axis.
/// Both have a title, axis labels with the parameter names, tick values, and a legend naming
/// each regime with its colour and point count. `points` must be the whole sweep. Throws
/// InputError when the plan has no or more than two swept parameters.
[[nodiscard]] std::string regime_plot_svg(const SweepPlan& plan, std::span<const SweepPoint> points,
                                          const RegimePlotOptions& options);

}  // namespace stratagem
