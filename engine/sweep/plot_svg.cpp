// Regime maps as SVG: a band chart for one swept parameter, a heatmap for two.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "stratagem/sweep/plot.hpp"
#include "stratagem/sweep/summary.hpp"

namespace stratagem {
namespace {

constexpr const char* kPalette[] = {"#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
                                    "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac",
                                    "#a0cbe8", "#ffbe7d", "#8cd17d", "#b6992d", "#499894",
                                    "#d37295", "#f1ce63", "#86bcb6", "#d4a6c8", "#79706e"};
constexpr std::size_t kPaletteSize = sizeof(kPalette) / sizeof(kPalette[0]);
constexpr double kCharWidth = 7.0;  // average glyph width of 12px sans-serif, for layout
constexpr int kFont = 12;

std::string escape(const std::string& s) {
  std::string out;
  for (const char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

/// About `target` round tick values covering [lo, hi].
std::vector<double> nice_ticks(double lo, double hi, int target = 6) {
  if (!(hi > lo)) return {lo};
  const double raw = (hi - lo) / target;
  const double mag = std::pow(10.0, std::floor(std::log10(raw)));
  double step = mag;
  for (const double m : {1.0, 2.0, 2.5, 5.0, 10.0}) {
    step = m * mag;
    if (step >= raw) break;
  }
  std::vector<double> ticks;
  for (double t = std::ceil(lo / step - 1e-9) * step; t <= hi + step * 1e-9; t += step) {
    ticks.push_back(std::abs(t) < step * 1e-9 ? 0.0 : t);
  }
  return ticks;
}

std::string tick_text(double v) { return fmt::format("{:.4g}", v); }

/// Sorted distinct values.
std::vector<double> distinct(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
  return v;
}

/// Cell edges around sorted distinct values: midpoints between neighbours, half a step beyond
/// the ends (a single value gets a unit-wide cell).
std::vector<double> edges_of(const std::vector<double>& v) {
  std::vector<double> e;
  if (v.size() == 1) return {v[0] - 0.5, v[0] + 0.5};
  e.push_back(v[0] - (v[1] - v[0]) / 2);
  for (std::size_t i = 0; i + 1 < v.size(); ++i) e.push_back((v[i] + v[i + 1]) / 2);
  e.push_back(v.back() + (v.back() - v[v.size() - 2]) / 2);
  return e;
}

struct Axis {
  double lo = 0, hi = 1;  // data domain
  double p0 = 0, p1 = 1;  // pixels
  [[nodiscard]] double at(double v) const {
    return hi == lo ? (p0 + p1) / 2 : p0 + (v - lo) / (hi - lo) * (p1 - p0);
  }
};

}  // namespace

std::string regime_plot_svg(const SweepPlan& plan, std::span<const SweepPoint> points,
                            const RegimePlotOptions& options) {
  const std::size_t dims = plan.columns().size();
  if (dims < 1 || dims > 2) {
    throw InputError({"--plot", 0, 0},
                     fmt::format("a regime map needs one or two swept parameters, not {}", dims),
                     "sweep one or two parameters");
  }
  const SweepSummary summary = summarize(plan, points);
  std::map<std::string, std::size_t> id;
  for (std::size_t r = 0; r < summary.regimes.size(); ++r) id[summary.regimes[r].regime] = r;
  const auto colour = [&](std::size_t r) -> std::string {
    if (summary.regimes[r].regime == "none") return "#dddddd";
    return kPalette[r % kPaletteSize];
  };
  const std::size_t nreg = summary.regimes.size();

  // Layout: title, data area with axes, x label, legend below.
  const double left = dims == 2 ? 80 : 60, top = 50;
  const double lane = 28;
  const double plot_w = options.plot_width;
  const double plot_h =
      dims == 2 ? options.plot_height : std::max(lane * static_cast<double>(nreg), 2 * lane);
  const double legend_top = top + plot_h + 60;
  const double legend_row = 17;
  const double width = std::max(left + plot_w + 40, 760.0);
  // Legend entries wrapped at '|' so that long regime labels stay inside the picture.
  const auto max_chars = static_cast<std::size_t>((width - 60) / kCharWidth);
  std::vector<std::vector<std::string>> legend;
  std::size_t legend_lines = 0;
  for (std::size_t r = 0; r < nreg; ++r) {
    const auto& reg = summary.regimes[r];
    const std::string text =
        fmt::format("{} ({} point{})", reg.regime, reg.count, reg.count == 1 ? "" : "s");
    auto& lines = legend.emplace_back(1, std::string());
    std::size_t start = 0;
    while (start < text.size()) {
      auto bar = text.find('|', start);
      const std::string piece =
          text.substr(start, bar == std::string::npos ? std::string::npos : bar + 1 - start);
      if (!lines.back().empty() && lines.back().size() + piece.size() > max_chars) {
        lines.emplace_back();
      }
      lines.back() += piece;
      start = bar == std::string::npos ? text.size() : bar + 1;
    }
    legend_lines += lines.size();
  }
  const double height = legend_top + legend_row * static_cast<double>(legend_lines) +
                        4 * static_cast<double>(nreg) + 20;

  std::string svg = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0:.0f}\" height=\"{1:.0f}\" "
      "viewBox=\"0 0 {0:.0f} {1:.0f}\" font-family=\"DejaVu Sans, Arial, sans-serif\" "
      "font-size=\"{2}\">\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n",
      width, height, kFont);
  svg += fmt::format(
      "<text x=\"{:.1f}\" y=\"28\" font-size=\"16\" font-weight=\"bold\" "
      "text-anchor=\"middle\">{}</text>\n",
      width / 2, escape(options.title));

  Axis x{.lo = 0, .hi = 1, .p0 = left, .p1 = left + plot_w};
  Axis y{.lo = 0, .hi = 1, .p0 = top + plot_h, .p1 = top};
  const auto xs = [&] {
    std::vector<double> v;
    for (const auto& p : points) v.push_back(p.values[0]);
    return distinct(v);
  }();
  if (xs.empty()) return svg + "</svg>\n";

  if (dims == 1) {
    const auto e = edges_of(xs);
    x.lo = e.front();
    x.hi = e.back();
    // The regime at each distinct value (the first point's, if samples repeat a value).
    std::map<double, std::size_t> at;
    for (const auto& p : points) at.emplace(p.values[0], id[p.regime]);
    std::vector<std::size_t> reg;
    for (const double v : xs) reg.push_back(at[v]);
    for (std::size_t r = 0; r < nreg; ++r) {
      const double ly = top + lane * static_cast<double>(r);
      svg += fmt::format(
          "<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\" "
          "fill=\"{}\"/>\n",
          left, ly, plot_w, lane, r % 2 ? "#f4f4f4" : "#fafafa");
      svg += fmt::format(
          "<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"end\" "
          "font-weight=\"bold\">{}</text>\n",
          left - 8, ly + lane / 2 + 4, regime_id(r));
    }
    // Bands: runs of equal regime. changes[k] = index of the first value of a new band.
    std::vector<std::size_t> changes;
    for (std::size_t i = 0; i < xs.size();) {
      std::size_t j = i;
      while (j + 1 < xs.size() && reg[j + 1] == reg[i]) ++j;
      const double x0 = x.at(e[i]), x1 = x.at(e[j + 1]);
      const double ly = top + lane * static_cast<double>(reg[i]);
      svg += fmt::format(
          "<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\" "
          "fill=\"{}\"><title>{}: {} to {}</title></rect>\n",
          x0, ly + 3, std::max(1.0, x1 - x0), lane - 6, colour(reg[i]),
          escape(summary.regimes[reg[i]].regime), tick_text(xs[i]), tick_text(xs[j]));
      if (j + 1 < xs.size()) changes.push_back(j + 1);
      i = j + 1;
    }
    // Regime changes: a dashed line midway between the grid values on either side, labelled
    // with that midpoint; changes closer than a label's width are labelled once, with the grid
    // value between them (a regime holding at a single value, e.g. a tie).
    for (const std::size_t c : changes) {
      svg += fmt::format(
          "<line x1=\"{0:.1f}\" y1=\"{1:.1f}\" x2=\"{0:.1f}\" y2=\"{2:.1f}\" "
          "stroke=\"#333\" stroke-dasharray=\"3,3\"/>\n",
          x.at(e[c]), top, top + plot_h);
    }
    for (std::size_t k = 0; k < changes.size();) {
      std::size_t m = k;
      while (m + 1 < changes.size() && x.at(e[changes[m + 1]]) - x.at(e[changes[k]]) < 36) ++m;
      const double px = (x.at(e[changes[k]]) + x.at(e[changes[m]])) / 2;
      const std::string label = m == k ? tick_text(e[changes[k]]) : tick_text(xs[changes[k]]);
      svg += fmt::format(
          "<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\" font-size=\"11\">{}</text>\n", px,
          top - 6, label);
      k = m + 1;
    }
  } else {
    const auto ys = [&] {
      std::vector<double> v;
      for (const auto& p : points) v.push_back(p.values[1]);
      return distinct(v);
    }();
    const bool grid = xs.size() * ys.size() == points.size() && plan.num_axes() == 2;
    if (grid) {
      const auto ex = edges_of(xs), ey = edges_of(ys);
      x.lo = ex.front();
      x.hi = ex.back();
      y.lo = ey.front();
      y.hi = ey.back();
      for (const auto& p : points) {
        const auto i = static_cast<std::size_t>(
            std::lower_bound(xs.begin(), xs.end(), p.values[0]) - xs.begin());
        const auto j = static_cast<std::size_t>(
            std::lower_bound(ys.begin(), ys.end(), p.values[1]) - ys.begin());
        const double x0 = x.at(ex[i]), x1 = x.at(ex[i + 1]);
        const double y0 = y.at(ey[j + 1]), y1 = y.at(ey[j]);
        // A hairline of overlap avoids anti-aliasing seams between cells.
        svg += fmt::format(
            "<rect x=\"{:.2f}\" y=\"{:.2f}\" width=\"{:.2f}\" height=\"{:.2f}\" "
            "fill=\"{}\"/>\n",
            x0, y0, x1 - x0 + 0.3, y1 - y0 + 0.3, colour(id[p.regime]));
      }
    } else {
      const auto pad = [](double lo, double hi) {
        const double d = hi > lo ? (hi - lo) * 0.03 : 0.5;
        return std::make_pair(lo - d, hi + d);
      };
      std::tie(x.lo, x.hi) = pad(xs.front(), xs.back());
      std::tie(y.lo, y.hi) = pad(ys.front(), ys.back());
      for (const auto& p : points) {
        svg += fmt::format("<circle cx=\"{:.2f}\" cy=\"{:.2f}\" r=\"3\" fill=\"{}\"/>\n",
                           x.at(p.values[0]), y.at(p.values[1]), colour(id[p.regime]));
      }
    }
    // Each regime's letter on the map, at its cell nearest the centre of its cells.
    std::vector<double> cx(nreg, 0.0), cy(nreg, 0.0);
    for (const auto& p : points) {
      cx[id[p.regime]] += x.at(p.values[0]);
      cy[id[p.regime]] += y.at(p.values[1]);
    }
    std::vector<std::pair<double, double>> spot(nreg);
    std::vector<double> best(nreg, 1e300);
    for (const auto& p : points) {
      const std::size_t r = id[p.regime];
      const double n = static_cast<double>(summary.regimes[r].count);
      const double px = x.at(p.values[0]), py = y.at(p.values[1]);
      const double d = std::hypot(px - cx[r] / n, py - cy[r] / n);
      if (d < best[r]) {
        best[r] = d;
        spot[r] = {px, py};
      }
    }
    for (std::size_t r = 0; r < nreg; ++r) {
      svg += fmt::format(
          "<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\" font-weight=\"bold\" "
          "font-size=\"13\" stroke=\"white\" stroke-width=\"3\" paint-order=\"stroke\">{}</text>\n",
          spot[r].first, spot[r].second + 5, regime_id(r));
    }
    for (const double t : nice_ticks(y.lo, y.hi)) {
      const double py = y.at(t);
      svg += fmt::format(
          "<line x1=\"{0:.1f}\" y1=\"{1:.1f}\" x2=\"{2:.1f}\" y2=\"{1:.1f}\" "
          "stroke=\"black\"/>\n<text x=\"{3:.1f}\" y=\"{4:.1f}\" "
          "text-anchor=\"end\">{5}</text>\n",
          left - 5, py, left, left - 8, py + 4, tick_text(t));
    }
    svg += fmt::format(
        "<text transform=\"translate({:.1f},{:.1f}) rotate(-90)\" "
        "text-anchor=\"middle\" font-size=\"14\">{}</text>\n",
        left - 55, top + plot_h / 2, escape(plan.columns()[1]));
  }
  // Frame, x ticks and label.
  svg += fmt::format(
      "<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\" "
      "fill=\"none\" stroke=\"black\"/>\n",
      left, top, plot_w, plot_h);
  for (const double t : nice_ticks(x.lo, x.hi)) {
    const double px = x.at(t);
    svg += fmt::format(
        "<line x1=\"{0:.1f}\" y1=\"{1:.1f}\" x2=\"{0:.1f}\" y2=\"{2:.1f}\" "
        "stroke=\"black\"/>\n<text x=\"{0:.1f}\" y=\"{3:.1f}\" "
        "text-anchor=\"middle\">{4}</text>\n",
        px, top + plot_h, top + plot_h + 5, top + plot_h + 19, tick_text(t));
  }
  svg += fmt::format(
      "<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\" "
      "font-size=\"14\">{}</text>\n",
      left + plot_w / 2, top + plot_h + 40, escape(plan.columns()[0]));
  // Legend.
  double ly = legend_top;
  for (std::size_t r = 0; r < nreg; ++r) {
    svg += fmt::format(
        "<rect x=\"20\" y=\"{:.1f}\" width=\"14\" height=\"14\" fill=\"{}\" "
        "stroke=\"#555\" stroke-width=\"0.5\"/>\n"
        "<text x=\"42\" y=\"{:.1f}\" font-weight=\"bold\">{}</text>\n",
        ly, colour(r), ly + 11.5, regime_id(r));
    for (const auto& line : legend[r]) {
      svg += fmt::format("<text x=\"66\" y=\"{:.1f}\">{}</text>\n", ly + 11.5, escape(line));
      ly += legend_row;
    }
    ly += 4;
  }
  return svg + "</svg>\n";
}

}  // namespace stratagem
