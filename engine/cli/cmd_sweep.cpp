// `stratagem sweep FILE`: a scenario solved over a grid, a list of values, Monte Carlo draws or
// a Latin hypercube, in parallel (oneTBB) and optionally across MPI ranks.
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>
#include <unistd.h>

#include <boost/program_options.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <limits>
#include <map>
#include <memory>
#include <sstream>
#include <string_view>

#include "cli/cli.hpp"
#include "solve/parallel.hpp"
#include "cli/options.hpp"
#include "stratagem/sweep/journal.hpp"
#include "stratagem/sweep/plot.hpp"
#include "stratagem/sweep/summary.hpp"
#include "stratagem/sweep/sweep.hpp"
#include "sweep/mpi_world.hpp"
#include "sweep/share.hpp"
#include "sweep/tally.hpp"

namespace po = boost::program_options;

namespace stratagem::cli {
namespace {

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

std::string duration_text(double s) {
  if (!(s >= 0) || s > 1e7) return "?";
  const auto t = static_cast<long long>(s + 0.5);
  if (t >= 3600) return fmt::format("{}h{:02}m", t / 3600, (t / 60) % 60);
  if (t >= 60) return fmt::format("{}m{:02}s", t / 60, t % 60);
  return fmt::format("{}s", t);
}

/// A one-line progress bar on stderr (only when stderr is a terminal).
class ProgressBar {
 public:
  ProgressBar(bool enabled, std::size_t total)
      : enabled_(enabled), total_(total), start_(std::chrono::steady_clock::now()) {}
  void add(std::size_t n) {
    done_ += n;
    if (!enabled_) return;
    const double t = seconds_since(start_);
    if (t - last_ < 0.1 && done_ < total_) return;
    last_ = t;
    constexpr int kWidth = 30;
    const double frac =
        total_ == 0 ? 1.0 : static_cast<double>(done_) / static_cast<double>(total_);
    const int filled = static_cast<int>(frac * kWidth);
    const double rate = t > 0 ? static_cast<double>(done_) / t : 0.0;
    const double eta = rate > 0 ? static_cast<double>(total_ - done_) / rate : -1.0;
    std::fprintf(stderr, "\r[%s%s] %zu/%zu  %.0f pts/s  ETA %s   ",
                 std::string(static_cast<std::size_t>(filled), '=').c_str(),
                 std::string(static_cast<std::size_t>(kWidth - filled), ' ').c_str(), done_, total_,
                 rate, duration_text(eta).c_str());
    std::fflush(stderr);
    shown_ = true;
  }
  void finish() {
    if (shown_) std::fputc('\n', stderr);
    shown_ = false;
  }

 private:
  bool enabled_;
  std::size_t total_;
  std::size_t done_ = 0;
  std::chrono::steady_clock::time_point start_;
  double last_ = -1.0;
  bool shown_ = false;
};

}  // namespace

int run_sweep(const std::vector<std::string>& args) {
  po::options_description desc(
      "stratagem sweep FILE (--grid k=lo:hi:n | --values k=v1,v2 | --samples N | --lhs N)... "
      "[options]");
  std::string file, out, plot, format = "text";
  std::vector<std::string> grids, values, methods, sets, vary;
  std::size_t samples = 0, lhs = 0;
  std::uint64_t seed = 1;
  int threads = 0;
  double tolerance = 1e-9;
  std::size_t max_points = kDefaultMaxSweepPoints;
  desc.add_options()("help,h", "show this help")(
      "grid", po::value(&grids),
      "sweep name from lo to hi in n points: --grid name=lo:hi:n "
      "(repeatable; the Cartesian product, first axis slowest)")(
      "values", po::value(&values), "sweep name over listed values: --values name=v1,v2,...")(
      "samples", integer_value(&samples, "--samples", 1, kMaxSweepPointsCeiling),
      "Monte Carlo: N draws from each parameter's declared "
      "distribution (per grid point)")(
      "lhs", integer_value(&lhs, "--lhs", 1, kMaxSweepPointsCeiling),
      "Latin hypercube: N points, uniform over the declared ranges of "
      "the parameters with a distribution (or --vary)")(
      "vary", po::value(&vary), "--lhs: the parameters to vary (comma-separated, repeatable)")(
      "seed", integer_value(&seed, "--seed", 0, std::numeric_limits<long long>::max(), "1"),
      "root of the random streams (--samples, --lhs)")(
      "method,m", po::value(&methods),
      "solver name(s), repeatable or comma-separated; default: "
      "the file's method, else pure+support for two players; tree methods "
      "(subgame-perfect, ...) solve a tree scenario's tree at each point")(
      "set", po::value(&sets), "fix a parameter at every point: --set name=value (repeatable)")(
      "allow-outside-range", "accept values outside a parameter's declared range")(
      "threads", threads_value(&threads), "worker threads (0 = all cores)")(
      "out,o", po::value(&out),
      "per-point results: FILE.csv (one row per point and "
      "equilibrium) or FILE.jsonl (one object per point); without "
      "it, CSV goes to stdout")("resume", "continue an interrupted sweep into the same --out")(
      "quiet,q", "no progress bar or timing line on stderr")(
      "summary-only", "print only the summary (no per-point rows)")(
      "format,f", po::value(&format)->default_value("text"), "summary format: text | json")(
      "plot", po::value(&plot), "write the regime map as SVG (one or two swept parameters)")(
      "max-points",
      integer_value(&max_points, "--max-points", 1, kMaxSweepPointsCeiling,
                    std::to_string(kDefaultMaxSweepPoints)),
      "refuse sweeps with more points than this (each point's output rows are held in memory "
      "until the end, about 0.3-0.5 KB a point)")(
      "tolerance", real_value(&tolerance, "--tolerance", 0.0, 1.0, "1e-9"),
      "solver regret tolerance (a decimal or a fraction, 0 to 1)")("file", po::value(&file),
                                                                   "scenario file");
  const auto parsed = parse_command_line(args, desc, file, "missing FILE (a .yaml scenario)");
  if (!parsed) return kExitOk;
  const po::variables_map& vm = *parsed;
  if (format != "text" && format != "json") {
    throw UsageError(fmt::format("unknown format '{}'; use text or json", format));
  }
  if (vm.count("samples") && vm.count("lhs")) {
    throw UsageError("--samples and --lhs are alternatives; give one of them");
  }
  const bool resume = vm.count("resume") > 0;
  const bool quiet = vm.count("quiet") > 0;
  const bool summary_only = vm.count("summary-only") > 0;
  if (resume && out.empty())
    throw UsageError("--resume needs --out FILE (the interrupted sweep's)");
  if (summary_only && !out.empty()) {
    throw UsageError("--summary-only writes no per-point file; drop --out or --summary-only");
  }

  const std::string ext = std::filesystem::path(file).extension().string();
  if (ext != ".yaml" && ext != ".yml") {
    throw InputError({file, 0, 0}, "sweep needs a scenario file (.yaml) with parameters",
                     "convert a game to a scenario with 'stratagem convert FILE --to yaml' and "
                     "give its payoffs parameters");
  }
  const std::string text = read_input_file(
      file, "check the path; scenarios live in scenarios/, e.g. scenarios/classic/");
  const Scenario scenario = Scenario::parse(text, file);

  // The plan; a sweep above the point limit is a usage error (exit 2): the command line asked
  // for it.
  const SweepPlan plan = [&] {
    SweepSpec spec;
    spec.max_points = max_points;
    for (const auto& g : grids) {
      try {
        spec.axes.push_back(parse_grid_axis(g, max_points));
      } catch (const LimitError& e) {
        throw UsageError(e.what());
      }
    }
    for (const auto& v : values) spec.axes.push_back(parse_values_axis(v));
    if (vm.count("samples")) {
      spec.sampling = SweepSampling::kMonteCarlo;
      spec.samples = samples;
    } else if (vm.count("lhs")) {
      spec.sampling = SweepSampling::kLatinHypercube;
      spec.samples = lhs;
    }
    spec.seed = seed;
    for (const auto& v : vary) {
      std::size_t start = 0;
      while (start <= v.size()) {
        const auto comma = v.find(',', start);
        const std::string name =
            v.substr(start, comma == std::string::npos ? comma : comma - start);
        if (!name.empty()) spec.vary.push_back(name);
        if (comma == std::string::npos) break;
        start = comma + 1;
      }
    }
    for (const auto& s : sets) {
      auto [name, value] = parse_assignment(s, "--set");
      spec.fixed[name] = value;
    }
    spec.methods = methods;
    spec.allow_outside_range = vm.count("allow-outside-range") > 0;
    spec.tolerance = tolerance;
    spec.fingerprint = scenario_fingerprint(text);
    try {
      return SweepPlan::make(scenario, std::move(spec));
    } catch (const LimitError& e) {
      throw UsageError(e.what());
    }
  }();
  if (!plot.empty() && (plan.columns().empty() || plan.columns().size() > 2)) {
    throw InputError({"--plot", 0, 0},
                     fmt::format("a regime map needs one or two swept parameters; this sweep has "
                                 "{} ({})",
                                 plan.columns().size(), fmt::join(plan.columns(), ", ")),
                     "sweep one or two parameters, or drop --plot and plot the CSV yourself");
  }
  const SweepFormat sink = out.empty() ? SweepFormat::kCsv : sweep_format_for(out);

  sweep_mpi::World world;
  if (world.active() && out.empty()) {
    throw UsageError("under mpirun, --out FILE is required (each rank writes its part there)");
  }
  const bool lead = world.rank() == 0;
  const auto mine = [&](std::size_t i) { return rank_of_point(i, world.size()) == world.rank(); };

  // What of this process's share is already done (from journals), and the rest of it.
  std::map<std::size_t, std::string> recorded;
  if (!out.empty()) {
    const auto journals = SweepJournal::existing(out);
    if (!resume && !journals.empty()) {
      throw InputError({journals.front(), 0, 0},
                       "an interrupted sweep left this journal next to --out",
                       "rerun with --resume to finish that sweep, or delete the journal");
    }
    if (resume) recorded = read_journals(out, plan, mine);
  }
  std::vector<std::size_t> pending;
  for (std::size_t i = 0; i < plan.size(); ++i) {
    if (mine(i) && recorded.count(i) == 0) pending.push_back(i);
  }
  const std::size_t resumed = recorded.size();
  world.barrier();  // every rank has read the journals before any is written

  std::unique_ptr<SweepJournal> journal;
  if (!out.empty()) {
    journal = std::make_unique<SweepJournal>(
        SweepJournal::path_for(out, world.active() ? world.rank() : -1), plan, !resume);
  }
  // Each point's output text is rendered by the worker that solved it; the end of the sweep
  // only concatenates (share.hpp). For JSON Lines the journal record already holds the line.
  const bool render_rows = !summary_only;
  const auto render = [&](const SweepPoint& p) {
    if (sink == SweepFormat::kCsv) return csv_rows(plan, p);
    if (!p.record.empty()) return p.record.substr(p.record.find(' ', p.record.find(' ') + 1) + 1);
    return jsonl_line(plan, p);
  };
  RenderedShare share;
  SweepTally tally(plan.columns().size(), /*keep_points=*/!plot.empty());
  ProgressBar bar(lead && !quiet && isatty(STDERR_FILENO) != 0, pending.size());
  auto start = std::chrono::steady_clock::now();
  bool failed = false;
  std::string failure;
  std::size_t computed = 0;
  try {
    if (!recorded.empty()) {
      // Points of this share recorded by an interrupted run: read back, rendered in parallel.
      std::vector<const std::pair<const std::size_t, std::string>*> records;
      for (const auto& record : recorded) records.push_back(&record);
      std::vector<SweepPoint> restored(records.size());
      parallel::prepare_workers();
      tbb::task_arena arena(threads > 0 ? threads : tbb::task_arena::automatic);
      arena.execute([&] {
        tbb::parallel_for(std::size_t{0}, records.size(), [&](std::size_t k) {
          restored[k] = point_from_json(plan, nlohmann::ordered_json::parse(records[k]->second));
          if (render_rows) restored[k].rendered = render(restored[k]);
        });
      });
      recorded.clear();
      for (const auto& p : restored) tally.add(p);
      if (render_rows) share.add(restored);
    }
    start = std::chrono::steady_clock::now();
    computed = run_points(
        scenario, plan, pending,
        {.threads = threads,
         .chunk = 16,
         .stop = &stop_flag(),
         .encode = journal
                       ? std::function<std::string(const SweepPoint&)>([&](const SweepPoint& p) {
                           return SweepJournal::record_line(plan, p);
                         })
                       : nullptr,
         .render = render_rows ? std::function<std::string(const SweepPoint&)>(render) : nullptr},
        [&](std::vector<SweepPoint>& points) {
          if (journal) journal->append(points);
          for (const auto& p : points) tally.add(p);
          if (render_rows) share.add(points);
          bar.add(points.size());
        });
  } catch (...) {
    bar.finish();
    if (!world.active()) throw;
    failed = true;
    try {
      throw;
    } catch (const std::exception& e) {
      failure = e.what();
    }
  }
  bar.finish();
  const double elapsed = seconds_since(start);
  if (journal) journal->sync();
  journal.reset();
  if (world.any(failed)) {
    if (failed) std::cerr << failure << "\n";
    return kExitSolverFailure;
  }
  const bool stopped = world.any(stop_flag().load());
  const unsigned long long computed_all = world.sum(computed);
  const unsigned long long resumed_all = world.sum(resumed);
  if (stopped) {
    if (lead) {
      std::cerr << fmt::format(
          "stratagem sweep: interrupted; {} of {} points are done{}\n", resumed_all + computed_all,
          plan.size(),
          out.empty() ? ""
                      : fmt::format(" and recorded next to {}; rerun the same command with "
                                    "--resume to finish",
                                    out));
    }
    return 130;
  }
  const std::size_t expected = share_size(plan.size(), world.rank(), world.size());
  if (world.any(tally.size() != expected)) {
    if (lead) {
      std::cerr << fmt::format(
          "stratagem sweep: the journals of {} and this run hold {} of {} points\n", out,
          resumed_all + computed_all, plan.size());
    }
    return kExitSolverFailure;
  }

  // The output: rank 0 writes its own blocks and the other ranks' in point order.
  share.seal();
  if (!lead) {
    send_share(world, plan.size(), tally, share);
    return kExitOk;
  }
  receive_tallies(world, tally);
  if (!out.empty()) {
    std::unique_ptr<SweepOutputFile> file;
    const auto open = [&] {
      file = std::make_unique<SweepOutputFile>(out);
      if (sink == SweepFormat::kCsv) file->write(csv_header(plan));
    };
    assemble_output(world, plan.size(), share, [&](std::string_view text) {
      if (!file) open();
      file->write(text);
    });
    if (!file) open();
    file->commit();
    for (const auto& j : SweepJournal::existing(out)) std::filesystem::remove(j);
  } else if (!summary_only) {
    std::cout << csv_header(plan);
    assemble_output(world, plan.size(), share, [&](std::string_view text) {
      std::cout.write(text.data(), static_cast<std::streamsize>(text.size()));
    });
  }
  if (!out.empty() || summary_only) {
    const SweepSummary summary = tally.summary(plan.columns());
    if (format == "json") {
      nlohmann::ordered_json j;
      j["stratagem"] = 1;
      j["source"] = file;
      j["method"] = plan.method_label();
      j["parameters"] = plan.columns();
      j["summary"] = summary_json(summary);
      std::cout << j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    } else {
      std::cout << summary_text(summary, fmt::format("Sweep of {} ({}), method {}", scenario.name(),
                                                     file, plan.method_label()));
    }
  }
  if (!plot.empty()) {
    write_text_file(plot,
                    regime_plot_svg(plan, tally.points(),
                                    {.title = fmt::format("{}: regime map", scenario.name())}));
  }
  if (!quiet) {
    std::cout.flush();
    std::cerr << fmt::format(
        "stratagem sweep: {} points ({} computed{}{}) in {:.2f} s, {:.0f} points/s{}\n",
        plan.size(), computed_all,
        resumed_all > 0 ? fmt::format(", {} from the journal", resumed_all) : "",
        world.active() ? fmt::format(" on {} ranks", world.size()) : "", elapsed,
        elapsed > 0 ? static_cast<double>(computed_all) / elapsed : 0.0,
        out.empty() ? "" : fmt::format("; results in {}", out));
  }
  // Points that could not be solved are in the output (regime "error"); say so and fail.
  if (const auto& first_error = tally.first_error()) {
    std::cout.flush();
    std::cerr << fmt::format(
        "stratagem sweep: {} of {} points could not be solved (regime 'error' in the output, with "
        "the reason under \"error\" in JSON Lines); the first, point {}: {}\n",
        tally.errors(), tally.size(), first_error->index, first_error->message);
    return kExitSolverFailure;
  }
  return kExitOk;
}

}  // namespace stratagem::cli
