// Sweep definitions: parsing axes, validating against a scenario, enumerating points.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <numeric>
#include <optional>
#include <set>

#include "stratagem/game/rational.hpp"
#include "stratagem/sweep/sweep.hpp"
#include "sweep/sampling.hpp"

namespace stratagem {
namespace {

constexpr std::size_t kMaxLhsSamples = 100'000'000;

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return "";
  const auto e = s.find_last_not_of(" \t");
  return s.substr(b, e - b + 1);
}

/// Parses a whole string as a finite number; nullopt otherwise.
/// A finite number written as an integer, a decimal or a fraction ("1/3"), as the nearest double.
std::optional<double> number(const std::string& text) {
  const auto exact = parse_rational(trim(text));
  if (!exact) return std::nullopt;
  const double v = nearest_double(*exact);
  if (!std::isfinite(v)) return std::nullopt;
  return v;
}

std::pair<std::string, std::string> split_assignment(const std::string& text,
                                                     const std::string& option,
                                                     const std::string& form) {
  const auto eq = text.find('=');
  if (eq == std::string::npos || trim(text.substr(0, eq)).empty()) {
    throw InputError({option, 0, 0}, fmt::format("'{}' is not of the form {}", text, form),
                     fmt::format("write e.g. {} {}", option, form));
  }
  return {trim(text.substr(0, eq)), text.substr(eq + 1)};
}

std::vector<std::string> split(const std::string& text, char sep) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (true) {
    const auto pos = text.find(sep, start);
    parts.push_back(text.substr(start, pos == std::string::npos ? std::string::npos : pos - start));
    if (pos == std::string::npos) break;
    start = pos + 1;
  }
  return parts;
}

std::string option_of(const SweepAxis& axis) {
  const auto space = axis.origin.find(' ');
  return space == std::string::npos ? axis.origin : axis.origin.substr(0, space);
}

std::string bracketed(double lo, double hi) { return fmt::format("[{}, {}]", lo, hi); }

std::uint64_t fnv1a64(const std::string& text) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (const unsigned char c : text) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return h;
}

}  // namespace

std::string scenario_fingerprint(const std::string& text) {
  return fmt::format("{:016x}:{}", fnv1a64(text), text.size());
}

SweepAxis parse_grid_axis(const std::string& text, std::size_t max_points) {
  const std::string form = "name=lo:hi:n";
  auto [name, rest] = split_assignment(text, "--grid", form);
  const auto parts = split(rest, ':');
  if (parts.size() != 3) {
    throw InputError({"--grid", 0, 0},
                     fmt::format("'{}' is not of the form {} (found {} ':'-separated fields)", text,
                                 form, parts.size()),
                     "write e.g. --grid ac_jp=0:4:9 for 9 values from 0 to 4");
  }
  const auto lo = number(parts[0]);
  const auto hi = number(parts[1]);
  if (!lo || !hi) {
    throw InputError({"--grid", 0, 0},
                     fmt::format("'{}': '{}' is not a number", text, !lo ? parts[0] : parts[1]),
                     "lo and hi must be finite numbers (decimals or fractions), e.g. --grid ac_jp=0:4:9 or p=1/4:3/4:5");
  }
  const auto n = number(parts[2]);
  if (!n || *n != std::floor(*n)) {
    throw InputError(
        {"--grid", 0, 0},
        fmt::format("'{}': the number of points '{}' is not a whole number", text, trim(parts[2])),
        "write the point count as an integer >= 1, e.g. --grid ac_jp=0:4:9");
  }
  if (*n < 1) {
    throw InputError({"--grid", 0, 0},
                     fmt::format("'{}': n = {} but a grid needs n >= 1 points", text, *n),
                     "write n >= 1, e.g. --grid ac_jp=0:4:9");
  }
  if (*lo > *hi) {
    throw InputError({"--grid", 0, 0}, fmt::format("'{}': lo = {} > hi = {}", text, *lo, *hi),
                     fmt::format("write the bounds in increasing order: --grid {}={}:{}:{}", name,
                                 *hi, *lo, *n));
  }
  if (*n > static_cast<double>(max_points)) {
    throw LimitError({"--grid", 0, 0},
                     fmt::format("'{}': {} points exceed the sweep limit of {} points", text,
                                 trim(parts[2]), max_points),
                     "use fewer points, or raise the limit with --max-points N (each point's "
                     "result is kept in memory, about 1 KB a point)");
  }
  const auto count = static_cast<std::size_t>(*n);
  if (*lo == *hi && count > 1) {
    throw InputError({"--grid", 0, 0},
                     fmt::format("'{}': empty range [{}, {}] cannot hold {} distinct points", text,
                                 *lo, *hi, count),
                     fmt::format("widen the range, or fix the value with --set {}={}", name, *lo));
  }
  SweepAxis axis{.parameter = name, .values = {}, .origin = "--grid " + text};
  axis.values.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    if (count == 1) {
      axis.values.push_back(*lo);
    } else if (i + 1 == count) {
      axis.values.push_back(*hi);
    } else {
      axis.values.push_back(*lo +
                            (*hi - *lo) * static_cast<double>(i) / static_cast<double>(count - 1));
    }
  }
  return axis;
}

SweepAxis parse_values_axis(const std::string& text) {
  const std::string form = "name=v1,v2,...";
  auto [name, rest] = split_assignment(text, "--values", form);
  SweepAxis axis{.parameter = name, .values = {}, .origin = "--values " + text};
  if (trim(rest).empty()) {
    throw InputError({"--values", 0, 0}, fmt::format("'{}': empty list of values", text),
                     fmt::format("write e.g. --values {}=0.5,1,2", name));
  }
  for (const auto& part : split(rest, ',')) {
    const auto v = number(part);
    if (!v) {
      throw InputError({"--values", 0, 0},
                       fmt::format("'{}': '{}' is not a number", text, trim(part)),
                       fmt::format("write finite numbers separated by commas, e.g. --values "
                                   "{}=0.5,1,2",
                                   name));
    }
    axis.values.push_back(*v);
  }
  return axis;
}

SweepPlan SweepPlan::make(const Scenario& scenario, SweepSpec spec) {
  SweepPlan plan;
  const auto& params = scenario.parameters();
  std::vector<std::string> names;
  for (const auto& p : params) names.push_back(p.name);
  const auto find_param = [&](const std::string& name) -> const Parameter* {
    for (const auto& p : params) {
      if (p.name == name) return &p;
    }
    return nullptr;
  };
  const std::string known = names.empty() ? std::string("the scenario declares no parameters")
                                          : fmt::format("parameters: {}", fmt::join(names, ", "));

  // Fixed overrides: same checks as `solve --set`.
  (void)scenario.with_overrides(spec.fixed, spec.allow_outside_range, "--set");

  std::set<std::string> swept;
  for (const auto& axis : spec.axes) {
    const std::string option = option_of(axis);
    const Parameter* p = find_param(axis.parameter);
    if (p == nullptr) {
      throw InputError({option, 0, 0},
                       fmt::format("unknown parameter '{}'{}", axis.parameter,
                                   did_you_mean(axis.parameter, names)),
                       known);
    }
    if (!swept.insert(axis.parameter).second) {
      throw InputError({option, 0, 0}, fmt::format("parameter '{}' is swept twice", axis.parameter),
                       "give each parameter one --grid or --values option");
    }
    if (spec.fixed.count(axis.parameter) != 0) {
      throw InputError(
          {option, 0, 0},
          fmt::format("parameter '{}' is both swept and fixed with --set", axis.parameter),
          "drop one of the two options");
    }
    if (axis.values.empty()) {
      throw InputError({option, 0, 0}, fmt::format("'{}' gives no values", axis.origin),
                       "give at least one value");
    }
    if (p->range && !spec.allow_outside_range) {
      for (const double v : axis.values) {
        if (v < p->range->first || v > p->range->second) {
          throw InputError(
              {option, 0, 0},
              fmt::format("{} = {} is outside the declared range {} of '{}'", axis.parameter, v,
                          bracketed(p->range->first, p->range->second), axis.parameter),
              fmt::format("sweep within {} or pass --allow-outside-range",
                          bracketed(p->range->first, p->range->second)));
        }
      }
    }
    plan.columns_.push_back(axis.parameter);
  }

  // Sampled parameters.
  if (spec.sampling != SweepSampling::kNone) {
    const std::string option = spec.sampling == SweepSampling::kMonteCarlo ? "--samples" : "--lhs";
    if (spec.samples < 1) {
      throw InputError({option, 0, 0}, fmt::format("{} needs N >= 1", option),
                       fmt::format("write e.g. {} 1000", option));
    }
    const auto free = [&](const Parameter& p) {
      return swept.count(p.name) == 0 && spec.fixed.count(p.name) == 0;
    };
    if (spec.sampling == SweepSampling::kMonteCarlo) {
      for (std::size_t i = 0; i < params.size(); ++i) {
        const Parameter& p = params[i];
        if (!p.distribution || !free(p)) continue;
        sweep_detail::validate_distribution(p, spec.allow_outside_range);
        plan.sampled_.push_back({p.name, i, *p.distribution, p.range ? p.range->first : 0.0,
                                 p.range ? p.range->second : 0.0});
      }
      if (plan.sampled_.empty()) {
        throw InputError(
            {"--samples", 0, 0},
            spec.axes.empty()
                ? "--samples needs a parameter with a declared distribution, but none has one"
                : "--samples: no parameter outside the grid has a declared distribution",
            "add e.g. distribution: {uniform: [lo, hi]} to a parameter in the scenario, or "
            "sweep with --grid / --lhs instead");
      }
    } else {
      if (spec.samples > kMaxLhsSamples) {
        throw InputError(
            {"--lhs", 0, 0},
            fmt::format("--lhs {} is above the limit {}", spec.samples, kMaxLhsSamples),
            "use fewer points or --samples");
      }
      std::vector<std::string> vary = spec.vary;
      if (vary.empty()) {
        for (const auto& p : params) {
          if (p.distribution && free(p)) vary.push_back(p.name);
        }
        if (vary.empty()) {
          throw InputError({"--lhs", 0, 0},
                           "--lhs has nothing to vary: no free parameter declares a "
                           "distribution and --vary is not given",
                           "name the parameters, e.g. --vary ac_jp,e_flex");
        }
      }
      std::set<std::string> seen;
      for (std::size_t i = 0; i < params.size(); ++i) {
        // Keep file order whatever the order of --vary.
        if (std::find(vary.begin(), vary.end(), params[i].name) == vary.end()) continue;
        const Parameter& p = params[i];
        if (!free(p)) {
          throw InputError({"--vary", 0, 0},
                           fmt::format("parameter '{}' is already swept or set", p.name),
                           "vary each parameter one way only");
        }
        if (!p.range) {
          throw InputError({"--vary", 0, 0},
                           fmt::format("--lhs varies '{}' over its declared range, but it has "
                                       "none",
                                       p.name),
                           fmt::format("add range: [lo, hi] to parameter '{}'", p.name));
        }
        plan.sampled_.push_back({p.name, i, Distribution{}, p.range->first, p.range->second});
        seen.insert(p.name);
      }
      for (const auto& v : vary) {
        if (seen.count(v) == 0 && find_param(v) == nullptr) {
          throw InputError({"--vary", 0, 0},
                           fmt::format("unknown parameter '{}'{}", v, did_you_mean(v, names)),
                           known);
        }
      }
    }
    for (const auto& s : plan.sampled_) plan.columns_.push_back(s.name);
  } else if (!spec.vary.empty()) {
    throw InputError({"--vary", 0, 0}, "--vary only applies to --lhs", "add --lhs N");
  }
  if (plan.columns_.empty()) {
    throw InputError({"sweep", 0, 0}, "nothing to sweep",
                     "give --grid name=lo:hi:n, --values name=v1,v2, --samples N or --lhs N");
  }

  // Size.
  const std::size_t limit = spec.max_points;
  const auto too_many = [&](const std::string& what) {
    return LimitError({"sweep", 0, 0},
                      fmt::format("the sweep has more than {} points (the limit)", limit),
                      fmt::format("use fewer {}, or raise the limit with --max-points N (each "
                                  "point's result is kept in memory, about 1 KB a point)",
                                  what));
  };
  std::size_t size = 1;
  for (const auto& axis : spec.axes) {
    if (axis.values.empty() || size > limit / axis.values.size()) throw too_many("grid points");
    size *= axis.values.size();
  }
  plan.grid_size_ = size;
  if (spec.sampling != SweepSampling::kNone) {
    if (spec.samples == 0) {
      throw InputError({"sweep", 0, 0}, "a sample count of 0 gives no points",
                       "give --samples N or --lhs N with N >= 1");
    }
    if (size > limit / spec.samples) throw too_many("samples or grid points");
    size *= spec.samples;
  }
  plan.size_ = size;

  // Methods.
  const ParameterValues at_defaults =
      scenario.with_overrides(spec.fixed, spec.allow_outside_range, "--set");
  const NormalFormGame game = scenario.bind(at_defaults);
  const SolverRegistry& registry = builtin_solvers();
  std::vector<std::string> methods;
  for (const auto& m : spec.methods) {
    for (const auto& part : split(m, ',')) {
      if (!trim(part).empty()) methods.push_back(trim(part));
    }
  }
  if (methods.empty()) {
    if (!scenario.default_method().empty()) {
      methods.push_back(scenario.default_method());
    } else {
      methods.push_back("pure");
      if (game.num_players() == 2) methods.push_back("support");
    }
  }
  std::optional<GameTree> tree_at_defaults;  // bound once, for the tree methods' checks
  for (const auto& m : methods) {
    const SolverEntry* e = registry.find(m);
    if (e == nullptr) {
      throw InputError({"--method", 0, 0},
                       fmt::format("unknown method '{}'{}", m, did_you_mean(m, registry.names())),
                       "run 'stratagem solvers' for the list");
    }
    // Tree methods run on the scenario's tree at each point; the others on its reduced form.
    std::optional<std::string> why;
    if (e->is_tree_solver()) {
      if (scenario.game_type() != "tree") {
        why = fmt::format("{} solves game trees; this is a {} scenario", m, scenario.game_type());
      } else {
        if (!tree_at_defaults) tree_at_defaults.emplace(scenario.bind_tree(at_defaults));
        why = e->tree_check(*tree_at_defaults);
      }
    } else {
      why = e->check(game);
    }
    if (why) {
      throw InputError({"--method", 0, 0}, fmt::format("method '{}' does not apply: {}", m, *why),
                       "use --method pure or another method listed by 'stratagem solvers'");
    }
    if (std::find(plan.methods_.begin(), plan.methods_.end(), m) == plan.methods_.end()) {
      plan.methods_.push_back(m);
    }
  }
  plan.method_label_ = fmt::format("{}", fmt::join(plan.methods_, "+"));
  plan.actors_ = scenario.actor_ids();

  // Latin hypercube: one random permutation of the strata per sampled column.
  if (spec.sampling == SweepSampling::kLatinHypercube) {
    for (std::size_t d = 0; d < plan.sampled_.size(); ++d) {
      std::vector<std::uint32_t> perm(spec.samples);
      std::iota(perm.begin(), perm.end(), 0U);
      sweep_detail::SplitMix64 rng(point_seed(spec.seed ^ 0x4c48535045524dULL, d));
      for (std::size_t i = perm.size(); i > 1; --i) {
        const auto j = static_cast<std::size_t>(rng.next() % i);
        std::swap(perm[i - 1], perm[j]);
      }
      plan.lhs_permutations_.push_back(std::move(perm));
    }
  }

  // Canonical definition.
  std::string def = "stratagem-sweep 1\n";
  def += fmt::format("scenario {}\n", spec.fingerprint);
  for (const auto& axis : spec.axes) {
    def += fmt::format("axis {} {}\n", axis.parameter, fmt::join(axis.values, ","));
  }
  const char* mode = spec.sampling == SweepSampling::kNone         ? "none"
                     : spec.sampling == SweepSampling::kMonteCarlo ? "montecarlo"
                                                                   : "lhs";
  def += fmt::format("sampling {} {} seed {}\n", mode, spec.samples, spec.seed);
  for (const auto& s : plan.sampled_) def += fmt::format("sampled {}\n", s.name);
  for (const auto& [k, v] : spec.fixed) def += fmt::format("set {}={}\n", k, v);
  def += fmt::format("methods {}\ntolerance {}\noutside {}\n", plan.method_label_, spec.tolerance,
                     spec.allow_outside_range ? 1 : 0);
  plan.definition_ = std::move(def);
  plan.spec_ = std::move(spec);
  return plan;
}

std::string SweepPlan::definition_hash() const {
  return fmt::format("{:016x}", fnv1a64(definition_));
}

std::vector<double> SweepPlan::point(std::size_t index) const {
  std::vector<double> values(columns_.size());
  const std::size_t per_grid = spec_.sampling == SweepSampling::kNone ? 1 : spec_.samples;
  std::size_t grid = index / per_grid;
  const std::size_t sample = index % per_grid;
  // Mixed radix, the first axis slowest.
  for (std::size_t a = spec_.axes.size(); a-- > 0;) {
    const auto& v = spec_.axes[a].values;
    values[a] = v[grid % v.size()];
    grid /= v.size();
  }
  if (spec_.sampling == SweepSampling::kNone) return values;
  sweep_detail::SplitMix64 rng(point_seed(spec_.seed, index));
  const auto& params_offset = spec_.axes.size();
  for (std::size_t d = 0; d < sampled_.size(); ++d) {
    const Sampled& s = sampled_[d];
    double x = 0.0;
    if (spec_.sampling == SweepSampling::kMonteCarlo) {
      x = sweep_detail::sample(s.distribution, std::make_pair(s.lo, s.hi), rng);
    } else {
      const double u = rng.uniform();
      const double stratum = static_cast<double>(lhs_permutations_[d][sample]);
      x = s.lo + (s.hi - s.lo) * (stratum + u) / static_cast<double>(spec_.samples);
      x = std::min(x, s.hi);
    }
    values[params_offset + d] = x;
  }
  return values;
}

ParameterValues SweepPlan::bindings(std::span<const double> point) const {
  ParameterValues values = spec_.fixed;
  for (std::size_t c = 0; c < columns_.size(); ++c) values[columns_[c]] = point[c];
  return values;
}

}  // namespace stratagem
