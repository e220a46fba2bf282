// Distributed sweeps: the output assembled from the ranks' shares (tallies that merge, rendered
// text in point order), byte-identical to one process for any rank count, and resumable from
// the journals of an interrupted MPI run with any rank count or none.
#include <fcntl.h>
#include <fmt/format.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <numeric>
#include <random>
#include <set>
#include <sstream>
#include <thread>

#include "files.hpp"
#include "process.hpp"
#include "stratagem/sweep/journal.hpp"
#include "stratagem/sweep/summary.hpp"
#include "stratagem/sweep/sweep.hpp"
#include "sweep/mpi_world.hpp"
#include "sweep/share.hpp"
#include "sweep/tally.hpp"

extern char** environ;

namespace {

namespace fs = std::filesystem;
using stratagem::testing::read_bytes;
using Run = stratagem::testing::CommandResult;
using stratagem::SweepPlan;
using stratagem::SweepPoint;

fs::path work_dir() { return stratagem::testing::temp_dir("sweep_mpi_test"); }

std::size_t count_lines(const std::string& text) {
  return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

std::string kuril_file() {
  return std::string(STRATAGEM_SOURCE_DIR) + "/scenarios/japan_russia/kuril_bargaining.yaml";
}

/// 37 × 11 = 407 points: 25 whole blocks of 16 and a short one, so that ranks get unequal shares.
const char* kGrid = " --grid ac_jp=0:4:37 --grid e_flex=0:1:11 ";

/// The plan the CLI makes for `sweep kuril_file() kGrid` (same definition, so same journals).
SweepPlan kuril_plan(const stratagem::Scenario& scenario, const std::string& text) {
  stratagem::SweepSpec spec;
  spec.axes.push_back(stratagem::parse_grid_axis("ac_jp=0:4:37"));
  spec.axes.push_back(stratagem::parse_grid_axis("e_flex=0:1:11"));
  spec.fingerprint = stratagem::scenario_fingerprint(text);
  return SweepPlan::make(scenario, spec);
}

std::vector<SweepPoint> solve_all(const stratagem::Scenario& scenario, const SweepPlan& plan) {
  std::vector<std::size_t> indices(plan.size());
  std::iota(indices.begin(), indices.end(), std::size_t{0});
  std::vector<SweepPoint> points;
  stratagem::run_points(scenario, plan, indices, {.threads = 2, .chunk = 16, .stop = nullptr},
                        [&](std::vector<SweepPoint>& chunk) {
                          for (auto& p : chunk) points.push_back(std::move(p));
                        });
  std::sort(points.begin(), points.end(),
            [](const SweepPoint& a, const SweepPoint& b) { return a.index < b.index; });
  return points;
}

void skip_without_mpi() {
#ifndef STRATAGEM_HAVE_MPI
  stratagem::testing::skip_test(
      "this build has no MPI support (configure with -DSTRATAGEM_MPI=ON)");
#else
  if (stratagem::testing::run_command("command -v mpirun >/dev/null").code != 0) {
    stratagem::testing::skip_test("mpirun is not installed (apt-get install openmpi-bin)");
  }
#endif
}

/// `mpirun -np N` for the CLI. Open MPI's own allocations are never freed, so leak checking is
/// off in the ranks of a sanitizer build (the same code runs leak-checked without MPI).
std::string mpirun(int ranks) {
  return fmt::format(
      "ASAN_OPTIONS=detect_leaks=0 mpirun -x ASAN_OPTIONS --oversubscribe --allow-run-as-root "
      "-np {} {} ",
      ranks, STRATAGEM_CLI);
}

/// `command` with its stdout (the summary) discarded and its stderr (the timing line) kept.
std::string stderr_only(const std::string& command) {
  return "{ " + command + " 2>&1 >/dev/null; }";
}

/// Writes the journals an interrupted 2-rank run of kuril_plan could leave next to `out`: rank 0
/// recorded the first 60 % of its share, rank 1 the first 40 % of its and a torn record, and an
/// earlier single-process run a few points of either share. Returns how many distinct points
/// they hold.
std::size_t write_interrupted_journals(const SweepPlan& plan, const std::vector<SweepPoint>& all,
                                       const std::string& out) {
  std::vector<SweepPoint> rank0, rank1, single;
  for (const auto& p : all) {
    const bool first = stratagem::rank_of_point(p.index, 2) == 0;
    auto& share = first ? rank0 : rank1;
    const std::size_t limit =
        stratagem::share_size(plan.size(), first ? 0 : 1, 2) * (first ? 60 : 40) / 100;
    if (share.size() < limit) share.push_back(p);
    if (p.index >= 390 && p.index < 397) single.push_back(p);
  }
  std::set<std::size_t> held;
  const auto write = [&](int rank, const std::vector<SweepPoint>& points) {
    stratagem::SweepJournal journal(stratagem::SweepJournal::path_for(out, rank), plan, true);
    journal.append(points);
    for (const auto& p : points) held.insert(p.index);
  };
  write(0, rank0);
  write(1, rank1);
  write(-1, single);
  std::ofstream(stratagem::SweepJournal::path_for(out, 1), std::ios::app)
      << "300 0badf00d {\"point\": 300, \"param";
  return held.size();
}

/// Starts `argv` (looked up in PATH) in the background with stdout and stderr to /dev/null and
/// leak checking off (see mpirun()); returns its pid.
pid_t spawn_background(std::vector<std::string> args) {
  std::vector<std::string> env_text{"ASAN_OPTIONS=detect_leaks=0"};
  for (char** e = environ; *e != nullptr; ++e) {
    if (std::string_view(*e).rfind("ASAN_OPTIONS=", 0) != 0) env_text.emplace_back(*e);
  }
  std::vector<char*> envp;
  for (auto& e : env_text) envp.push_back(e.data());
  envp.push_back(nullptr);
  return stratagem::testing::spawn_quiet(std::move(args), envp.data());
}

}  // namespace

TEST_CASE("sweep shares: block-cyclic shares cover every point once", "[sweep][mpi]") {
  for (const std::size_t points : {0UL, 1UL, 15UL, 16UL, 17UL, 47UL, 48UL, 49UL, 407UL, 1000UL}) {
    for (int ranks = 1; ranks <= 5; ++ranks) {
      std::size_t total = 0;
      for (int rank = 0; rank < ranks; ++rank) {
        std::size_t counted = 0;
        for (std::size_t i = 0; i < points; ++i) {
          counted += stratagem::rank_of_point(i, ranks) == rank ? 1 : 0;
        }
        INFO(points << " points, rank " << rank << " of " << ranks);
        CHECK(stratagem::share_size(points, rank, ranks) == counted);
        total += counted;
      }
      CHECK(total == points);
    }
  }
}

TEST_CASE("sweep shares: tallies of parts merge into the summary of the whole", "[sweep][mpi]") {
  const std::string text = read_bytes(kuril_file());
  const auto scenario = stratagem::Scenario::parse(text, kuril_file());
  const SweepPlan plan = kuril_plan(scenario, text);
  auto points = solve_all(scenario, plan);
  REQUIRE(points.size() == 407);
  // Two failed points, as run_points records them.
  for (const std::size_t i : {250UL, 77UL}) {
    points[i].regime = "error";
    points[i].equilibria.clear();
    points[i].error = fmt::format("failure at {}", i);
  }
  const auto expected = stratagem::summarize(plan, points);
  REQUIRE(expected.regimes.size() > 5);

  // Three parts, each in a shuffled order, moved between "ranks" as bytes.
  std::vector<std::size_t> order(points.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::shuffle(order.begin(), order.end(), std::mt19937(7));
  std::vector<stratagem::SweepTally> parts;
  for (int k = 0; k < 3; ++k) parts.emplace_back(plan.columns().size(), true);
  for (const std::size_t i : order) parts[i % 3].add(points[i]);
  stratagem::SweepTally whole = parts[1];
  whole.merge(stratagem::SweepTally::decode(parts[2].encode()));
  whole.merge(stratagem::SweepTally::decode(parts[0].encode()));

  const auto summary = whole.summary(plan.columns());
  CHECK(summary.points == expected.points);
  CHECK(summary.columns == expected.columns);
  REQUIRE(summary.regimes.size() == expected.regimes.size());
  for (std::size_t r = 0; r < summary.regimes.size(); ++r) {
    CHECK(summary.regimes[r].regime == expected.regimes[r].regime);
    CHECK(summary.regimes[r].count == expected.regimes[r].count);
    CHECK(summary.regimes[r].ranges == expected.regimes[r].ranges);
  }
  CHECK(summary_text(summary, "t") == summary_text(expected, "t"));
  CHECK(whole.size() == 407);
  CHECK(whole.errors() == 2);
  REQUIRE(whole.first_error());
  CHECK(whole.first_error()->index == 77);
  CHECK(whole.first_error()->message == "failure at 77");
  const auto kept = whole.points();
  REQUIRE(kept.size() == points.size());
  for (std::size_t i = 0; i < kept.size(); ++i) {
    CHECK(kept[i].index == i);
    CHECK(kept[i].values == points[i].values);
    CHECK(kept[i].regime == points[i].regime);
  }
  CHECK_THROWS(stratagem::SweepTally::decode(parts[0].encode().substr(5)));
}

TEST_CASE("sweep shares: rendered text comes back in point order", "[sweep][mpi]") {
  // Points 0..99 with text "<i>;", added in shuffled chunks as workers deliver them.
  std::vector<SweepPoint> points(100);
  for (std::size_t i = 0; i < points.size(); ++i) {
    points[i].index = i;
    points[i].rendered = std::to_string(i) + ";";
  }
  std::shuffle(points.begin(), points.end(), std::mt19937(11));
  stratagem::RenderedShare share;
  for (std::size_t from = 0; from < points.size(); from += 7) {
    share.add(std::span(points).subspan(from, std::min<std::size_t>(7, points.size() - from)));
  }
  share.seal();
  CHECK(share.size() == 100);
  std::string text;
  share.append(14, 18, text);
  CHECK(text == "14;15;16;17;");
  std::string all;
  for (std::size_t i = 0; i < 100; ++i) all += std::to_string(i) + ";";
  // One process (no MPI launcher in the test): every block is rank 0's.
  const stratagem::sweep_mpi::World world;
  REQUIRE_FALSE(world.active());
  std::string assembled;
  stratagem::assemble_output(world, 100, share,
                             [&](std::string_view piece) { assembled += piece; });
  CHECK(assembled == all);
}

TEST_CASE("sweep: 1, 2 and 3 MPI ranks give the plain run's bytes", "[sweep][mpi]") {
  skip_without_mpi();
  const auto dir = work_dir();
  const std::string common = kuril_file() + kGrid + "-q --threads 1 --format json ";
  const auto plain = [&](const std::string& out) {
    const Run r = stratagem::testing::run_stratagem(
        "sweep " + common + "--out " + out + " --plot " + out + ".svg", false);
    REQUIRE(r.code == 0);
    return r.out;
  };
  const std::string plain_summary = plain((dir / "plain.csv").string());
  plain((dir / "plain.jsonl").string());
  const std::string csv = read_bytes(dir / "plain.csv");
  REQUIRE(count_lines(csv) > 407);
  for (const int ranks : {1, 2, 3}) {
    for (const char* ext : {"csv", "jsonl"}) {
      if (ranks != 2 && std::string(ext) == "jsonl") continue;
      const auto out = (dir / fmt::format("np{}.{}", ranks, ext)).string();
      const Run r = stratagem::testing::run_command(
          mpirun(ranks) + "sweep " + common + "--out " + out + " --plot " + out + ".svg", false);
      INFO(ranks << " ranks, " << ext << ": " << r.out);
      REQUIRE(r.code == 0);
      CHECK(read_bytes(out) == read_bytes(dir / fmt::format("plain.{}", ext)));
      CHECK(r.out == plain_summary);
      CHECK(read_bytes(out + ".svg") == read_bytes(dir / fmt::format("plain.{}.svg", ext)));
      CHECK(stratagem::SweepJournal::existing(out).empty());
    }
  }
}

TEST_CASE("sweep: an interrupted MPI sweep resumes with 2 ranks, 3 ranks or none",
          "[sweep][mpi][resume]") {
  skip_without_mpi();
  const auto dir = work_dir();
  const std::string text = read_bytes(kuril_file());
  const auto scenario = stratagem::Scenario::parse(text, kuril_file());
  const SweepPlan plan = kuril_plan(scenario, text);
  const auto all = solve_all(scenario, plan);
  const auto reference = (dir / "resume_ref.csv").string();
  REQUIRE(
      stratagem::testing::run_stratagem("sweep " + kuril_file() + kGrid + "-q --out " + reference)
          .code == 0);
  const std::string expected = read_bytes(reference);
  // The library's one-call writer gives the same bytes from points in memory.
  const auto written = (dir / "resume_lib.csv").string();
  stratagem::write_sweep_output(written, stratagem::SweepFormat::kCsv, plan, all);
  CHECK(read_bytes(written) == expected);
  for (const int ranks : {2, 3, 0}) {
    const auto out = (dir / fmt::format("resume_np{}.csv", ranks)).string();
    const std::size_t held = write_interrupted_journals(plan, all, out);
    REQUIRE(held > 100);
    REQUIRE(held < plan.size());
    const std::string command = (ranks > 0 ? mpirun(ranks) : std::string(STRATAGEM_CLI) + " ") +
                                "sweep " + kuril_file() + kGrid + "--threads 1 --resume --out " +
                                out;
    const Run r = stratagem::testing::run_command(stderr_only(command), true);
    INFO(ranks << " ranks: " << r.out);
    REQUIRE(r.code == 0);
    CHECK_THAT(r.out, Catch::Contains(fmt::format("{} computed, {} from the journal",
                                                  plan.size() - held, held)));
    CHECK(read_bytes(out) == expected);
    CHECK(stratagem::SweepJournal::existing(out).empty());
  }
}

TEST_CASE("sweep: Ctrl-C of mpirun stops every rank, and --resume finishes",
          "[sweep][mpi][resume]") {
  skip_without_mpi();
  const auto dir = work_dir();
  const auto out = (dir / "mpi_int.jsonl").string();
  const auto reference = (dir / "mpi_int_ref.jsonl").string();
  // Large enough (121,401 points, seconds on two ranks) that the stop lands midway.
  const std::string grid = " --grid ac_jp=0:4:601 --grid e_flex=0:1:201 --threads 1 ";
  const pid_t pid =
      spawn_background({"mpirun", "-x", "ASAN_OPTIONS", "--oversubscribe", "--allow-run-as-root",
                        "-np", "2", STRATAGEM_CLI, "sweep", kuril_file(), "--grid", "ac_jp=0:4:601",
                        "--grid", "e_flex=0:1:201", "--threads", "1", "-q", "--out", out});
  const auto journal = stratagem::SweepJournal::path_for(out, 0);
  bool midway = false;
  for (int i = 0; i < 3000 && !midway; ++i) {
    midway = fs::exists(journal) && count_lines(read_bytes(journal)) >= 100;
    int status = 0;
    if (!midway && waitpid(pid, &status, WNOHANG) == pid) FAIL("mpirun ended before the stop");
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  kill(pid, SIGINT);
  int status = 0;
  waitpid(pid, &status, 0);
  REQUIRE(midway);
  CHECK_FALSE(fs::exists(out));
  REQUIRE_FALSE(stratagem::SweepJournal::existing(out).empty());
  const Run resumed = stratagem::testing::run_command(
      stderr_only(mpirun(2) + "sweep " + kuril_file() + grid + "--resume --out " + out), true);
  INFO(resumed.out);
  REQUIRE(resumed.code == 0);
  CHECK_THAT(resumed.out, Catch::Contains("from the journal on 2 ranks"));
  REQUIRE(
      stratagem::testing::run_stratagem("sweep " + kuril_file() + grid + "-q --out " + reference)
          .code == 0);
  CHECK(read_bytes(out) == read_bytes(reference));
  CHECK(stratagem::SweepJournal::existing(out).empty());
}
