// Parameter sweeps: known regimes, determinism across threads and MPI ranks, resume after
// SIGKILL and Ctrl-C, sampling, plots, and the error messages for bad input.
#include "stratagem/sweep/sweep.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include "files.hpp"
#include "process.hpp"
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include "stratagem/sweep/journal.hpp"
#include "stratagem/sweep/plot.hpp"
#include "stratagem/sweep/summary.hpp"

extern char** environ;

namespace {

namespace fs = std::filesystem;
using stratagem::testing::read_bytes;
using stratagem::SweepPlan;
using stratagem::SweepPoint;
using stratagem::SweepSpec;

using Run = stratagem::testing::CommandResult;

/// Runs a shell command line; stdout (and stderr when `merge`) captured.
Run shell(const std::string& command, bool merge = true) {
  return stratagem::testing::run_command(command, merge);
}

Run cli(const std::string& args, bool merge = true) {
  return stratagem::testing::run_stratagem(args, merge);
}

fs::path work_dir() { return stratagem::testing::temp_dir("sweep_test"); }

std::string write_file(const std::string& name, const std::string& text) {
  return stratagem::testing::write_temp_file("sweep_test", name, text);
}

std::size_t count_lines(const std::string& text) {
  return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

/// Stag hunt with the stag's value swept across the hare's: below 3 hunting hares dominates;
/// at 3 both pure profiles are equilibria (a tie); above 3 the mixed one appears, hunting the
/// stag with probability hare/stag.
const char* kStag = R"yaml(stratagem: 1
name: "Stag hunt (sweep test)"
parameters:
  stag: {value: 4, range: [0, 8], doc: "share of a stag caught together"}
  hare: {value: 3, range: [1, 3]}
  shock: {value: 0.5, range: [0, 1], distribution: {uniform: [0, 1]}}
actors:
  row: Row
  column: Column
game:
  type: normal
  moves:
    row: [stag, hare]
    column: [stag, hare]
  matrix:
    - [[stag, stag], [0, hare]]
    - [[hare, 0], [hare, hare]]
)yaml";

/// Parameters with every kind of distribution, for the sampler and the error cases.
const char* kDistributions = R"yaml(stratagem: 1
name: "Distributions"
parameters:
  u: {value: 0.5, range: [0, 1], distribution: {uniform: [0.2, 0.6]}}
  n: {value: 0, range: [-1, 1], distribution: {normal: [0, 1], truncate: [-1, 1]}}
  t: {value: 1, range: [0, 2], distribution: {triangular: [0, 1.5, 2]}}
  b: {value: 5, range: [0, 10], distribution: {beta: [2, 6]}}
  c: {value: 1, range: [0, 5], distribution: {choice: [1, 2, 4], weights: [1, 2, 1]}}
  plain: {value: 3, range: [0, 5]}
actors:
  row: Row
  column: Column
game:
  type: normal
  moves:
    row: [up, down]
    column: [left, right]
  matrix:
    - [[u + n, t], [b, c]]
    - [[plain, 0], [1, 1]]
)yaml";

std::string stag_file() { return write_file("stag.yaml", kStag); }
std::string kuril_file() {
  return std::string(STRATAGEM_SOURCE_DIR) + "/scenarios/japan_russia/kuril_bargaining.yaml";
}

SweepPlan stag_plan(const stratagem::Scenario& scenario) {
  SweepSpec spec;
  spec.axes.push_back(stratagem::parse_grid_axis("stag=0:8:17"));
  return SweepPlan::make(scenario, spec);
}

std::vector<SweepPoint> run_all(const stratagem::Scenario& scenario, const SweepPlan& plan,
                                int threads) {
  std::vector<std::size_t> indices(plan.size());
  for (std::size_t i = 0; i < indices.size(); ++i) indices[i] = i;
  std::vector<SweepPoint> points;
  stratagem::run_points(scenario, plan, indices, {.threads = threads, .chunk = 4, .stop = nullptr},
                        [&](std::vector<SweepPoint>& chunk) {
                          for (auto& p : chunk) points.push_back(std::move(p));
                        });
  std::sort(points.begin(), points.end(),
            [](const SweepPoint& a, const SweepPoint& b) { return a.index < b.index; });
  return points;
}

/// Starts the CLI in the background with stdout and stderr to /dev/null; returns its pid.
pid_t spawn_cli(const std::vector<std::string>& args) {
  std::vector<std::string> all{STRATAGEM_CLI};
  all.insert(all.end(), args.begin(), args.end());
  return stratagem::testing::spawn_quiet(std::move(all));
}

/// Waits until `path` holds at least `lines` lines (or the process ended); false on timeout.
bool wait_for_lines(const fs::path& path, std::size_t lines, pid_t pid) {
  for (int i = 0; i < 3000; ++i) {
    if (fs::exists(path) && count_lines(read_bytes(path)) >= lines) return true;
    int status = 0;
    if (waitpid(pid, &status, WNOHANG) == pid) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

std::size_t SweepJournal_count(const std::string& out) {
  return stratagem::SweepJournal::existing(out).size();
}

bool have_mpirun() { return shell("command -v mpirun >/dev/null").code == 0; }

}  // namespace

TEST_CASE("sweep: stag hunt regimes and boundary are the analytic ones", "[sweep]") {
  const auto scenario = stratagem::Scenario::load(stag_file());
  const SweepPlan plan = stag_plan(scenario);
  REQUIRE(plan.size() == 17);
  REQUIRE(plan.columns() == std::vector<std::string>{"stag"});
  CHECK(plan.method_label() == "pure+support");
  const auto points = run_all(scenario, plan, 2);
  REQUIRE(points.size() == 17);
  for (const auto& p : points) {
    const double stag = p.values[0];
    CHECK(stag == Approx(0.5 * static_cast<double>(p.index)));
    if (stag < 3) {
      CHECK(p.regime == "hare/hare");
      CHECK(p.equilibria.size() == 1);
    } else if (stag == 3) {
      CHECK(p.regime == "hare/hare|stag/stag");
      CHECK(p.equilibria.size() == 2);
    } else {
      CHECK(p.regime == "hare/hare|mixed(stag+hare/stag+hare)|stag/stag");
      REQUIRE(p.equilibria.size() == 3);
      const auto& mixed = p.equilibria[1];
      CHECK_FALSE(mixed.pure);
      REQUIRE(mixed.strategy[0].size() == 2);
      CHECK(mixed.strategy[0][0].first == "stag");
      CHECK(mixed.strategy[0][0].second == Approx(3.0 / stag));
      CHECK(mixed.payoffs[0] == Approx(3.0));
    }
    for (const auto& eq : p.equilibria) CHECK(eq.max_regret <= 1e-9);
  }
  const auto summary = stratagem::summarize(plan, points);
  REQUIRE(summary.regimes.size() == 3);
  CHECK(summary.regimes[0].regime == "hare/hare");
  CHECK(summary.regimes[0].count == 6);
  CHECK(summary.regimes[0].ranges[0] == std::make_pair(0.0, 2.5));
  CHECK(summary.regimes[1].ranges[0] == std::make_pair(3.0, 3.0));
  CHECK(summary.regimes[2].count == 10);
  CHECK(summary.regimes[2].ranges[0] == std::make_pair(3.5, 8.0));
}

TEST_CASE("sweep: the CLI summary reports regimes and their parameter ranges", "[sweep]") {
  const Run r = cli("sweep " + stag_file() + " --grid stag=0:8:17 --summary-only --quiet");
  REQUIRE(r.code == 0);
  CHECK_THAT(r.out, Catch::Contains("17 points, 3 regimes"));
  CHECK_THAT(r.out, Catch::Contains("  A            6   35.3%  hare/hare\n"));
  CHECK_THAT(r.out, Catch::Contains("  B            1    5.9%  hare/hare|stag/stag\n"));
  CHECK_THAT(r.out,
             Catch::Contains(
                 "  C           10   58.8%  hare/hare|mixed(stag+hare/stag+hare)|stag/stag\n"));
  CHECK_THAT(r.out, Catch::Contains("  id    stag\n"
                                    "  A     [0, 2.5]\n"
                                    "  B     [3, 3]\n"
                                    "  C     [3.5, 8]\n"));
  const Run j = cli("sweep " + stag_file() + " --grid stag=0:8:17 --summary-only -q --format json");
  REQUIRE(j.code == 0);
  const auto doc = nlohmann::json::parse(j.out);
  CHECK(doc["summary"]["points"] == 17);
  CHECK(doc["summary"]["sensitivity"]["stag"]["hare/hare"] == nlohmann::json({0.0, 2.5}));
}

TEST_CASE("sweep: CSV and JSON Lines sinks have the documented layout", "[sweep]") {
  const auto dir = work_dir();
  const auto csv = (dir / "layout.csv").string();
  const auto jsonl = (dir / "layout.jsonl").string();
  REQUIRE(cli("sweep " + stag_file() + " --values stag=2,6 --out " + csv + " -q").code == 0);
  REQUIRE(cli("sweep " + stag_file() + " --values stag=2,6 --out " + jsonl + " -q").code == 0);
  CHECK(read_bytes(csv) ==
        "point,stag,method,n_equilibria,eq_index,regime,row,column,payoff_row,payoff_column,"
        "max_regret\n"
        "0,2,pure+support,1,1,hare/hare,hare,hare,3,3,0\n"
        "1,6,pure+support,3,1,hare/hare|mixed(stag+hare/stag+hare)|stag/stag,hare,hare,3,3,0\n"
        "1,6,pure+support,3,2,hare/hare|mixed(stag+hare/stag+hare)|stag/stag,stag:0.5;hare:0.5,"
        "stag:0.5;hare:0.5,3,3,0\n"
        "1,6,pure+support,3,3,hare/hare|mixed(stag+hare/stag+hare)|stag/stag,stag,stag,6,6,0\n");
  std::istringstream lines(read_bytes(jsonl));
  std::string line;
  std::vector<nlohmann::json> objects;
  while (std::getline(lines, line)) objects.push_back(nlohmann::json::parse(line));
  REQUIRE(objects.size() == 2);
  CHECK(objects[1]["point"] == 1);
  CHECK(objects[1]["parameters"]["stag"] == 6.0);
  CHECK(objects[1]["n_equilibria"] == 3);
  CHECK(objects[1]["equilibria"][1]["profile"]["row"]["stag"] == 0.5);
  CHECK(objects[1]["equilibria"][1]["label"] == "mixed(stag+hare/stag+hare)");
  CHECK(objects[0]["regime"] == "hare/hare");
  CHECK_FALSE(fs::exists(csv + ".journal"));
}

TEST_CASE("sweep: a point without equilibria gets one row with empty equilibrium cells",
          "[sweep]") {
  const auto scenario = stratagem::Scenario::load(stag_file());
  SweepSpec spec;
  spec.axes.push_back(stratagem::parse_values_axis("stag=4"));
  const SweepPlan plan = SweepPlan::make(scenario, spec);
  SweepPoint p{.index = 0, .values = {4.0}, .equilibria = {}, .regime = "none"};
  CHECK(stratagem::csv_rows(plan, p) == "0,4,pure+support,0,0,none,,,,,\n");
  CHECK(stratagem::point_from_json(plan, stratagem::point_to_json(plan, p)).regime == "none");
}

TEST_CASE("sweep: results are byte-identical for 1 and 2 threads", "[sweep]") {
  const auto dir = work_dir();
  const std::string base = "sweep " + kuril_file() + " -q ";
  for (const std::string& kind :
       {std::string("grid"), std::string("samples"), std::string("lhs")}) {
    const std::string def = kind == "grid"      ? "--grid ac_jp=0:4:21 --grid e_flex=0:1:11"
                            : kind == "samples" ? "--samples 300 --seed 7"
                                                : "--lhs 200 --vary ac_jp,e_flex,china --seed 3";
    for (const std::string ext : {".csv", ".jsonl"}) {
      const auto one = (dir / ("t1_" + kind + ext)).string();
      const auto two = (dir / ("t2_" + kind + ext)).string();
      REQUIRE(cli(base + def + " --threads 1 --out " + one).code == 0);
      REQUIRE(cli(base + def + " --threads 2 --out " + two).code == 0);
      INFO(kind << ext);
      CHECK(read_bytes(one) == read_bytes(two));
      CHECK(read_bytes(one).size() > 1000);
    }
  }
  // Stdout sink: the same bytes as the file sink.
  const Run r = cli(base + "--grid ac_jp=0:4:21 --grid e_flex=0:1:11 --threads 2", false);
  REQUIRE(r.code == 0);
  CHECK(r.out == read_bytes(dir / "t1_grid.csv"));
}

TEST_CASE("sweep: Monte Carlo draws depend only on seed and point index", "[sweep]") {
  const auto scenario = stratagem::Scenario::load(kuril_file());
  SweepSpec spec;
  spec.sampling = stratagem::SweepSampling::kMonteCarlo;
  spec.samples = 1000;
  spec.seed = 11;
  const SweepPlan plan = SweepPlan::make(scenario, spec);
  REQUIRE(plan.columns() == std::vector<std::string>{"ac_jp"});  // the only distribution
  SweepSpec other = spec;
  other.seed = 12;
  const SweepPlan plan2 = SweepPlan::make(scenario, other);
  CHECK(plan.point(500) == plan.point(500));
  CHECK(plan.point(500) != plan2.point(500));
  CHECK(plan.definition_hash() != plan2.definition_hash());
  double sum = 0;
  for (std::size_t i = 0; i < plan.size(); ++i) {
    const double x = plan.point(i)[0];
    CHECK((x >= 0.5 && x <= 4.0));
    sum += x;
  }
  CHECK(sum / 1000 == Approx((0.5 + 2.5 + 4.0) / 3).epsilon(0.05));  // triangular mean
}

TEST_CASE("sweep: samplers follow their declared distributions", "[sweep]") {
  const auto scenario = stratagem::Scenario::parse(kDistributions, "dist.yaml");
  SweepSpec spec;
  spec.sampling = stratagem::SweepSampling::kMonteCarlo;
  spec.samples = 20000;
  const SweepPlan plan = SweepPlan::make(scenario, spec);
  REQUIRE(plan.columns() == std::vector<std::string>{"u", "n", "t", "b", "c"});
  std::vector<double> sum(5, 0.0);
  std::map<double, int> choices;
  for (std::size_t i = 0; i < plan.size(); ++i) {
    const auto v = plan.point(i);
    CHECK((v[0] >= 0.2 && v[0] < 0.6));
    CHECK((v[1] >= -1 && v[1] <= 1));
    CHECK((v[2] >= 0 && v[2] <= 2));
    CHECK((v[3] >= 0 && v[3] <= 10));
    ++choices[v[4]];
    for (int k = 0; k < 5; ++k) sum[static_cast<std::size_t>(k)] += v[static_cast<std::size_t>(k)];
  }
  const double n = static_cast<double>(plan.size());
  CHECK(sum[0] / n == Approx(0.4).margin(0.01));
  CHECK(sum[1] / n == Approx(0.0).margin(0.02));
  CHECK(sum[2] / n == Approx((0 + 1.5 + 2) / 3.0).margin(0.02));
  CHECK(sum[3] / n == Approx(10 * 2.0 / 8.0).margin(0.05));  // beta(2, 6) on [0, 10]
  CHECK(choices.size() == 3);
  CHECK(choices[2.0] / n == Approx(0.5).margin(0.02));
  CHECK(choices[1.0] / n == Approx(0.25).margin(0.02));
}

TEST_CASE("sweep: Latin hypercube puts one point in every stratum of every parameter", "[sweep]") {
  const auto scenario = stratagem::Scenario::load(kuril_file());
  SweepSpec spec;
  spec.sampling = stratagem::SweepSampling::kLatinHypercube;
  spec.samples = 50;
  spec.vary = {"e_flex", "ac_jp"};
  const SweepPlan plan = SweepPlan::make(scenario, spec);
  REQUIRE(plan.columns() == std::vector<std::string>{"ac_jp", "e_flex"});  // file order
  std::set<int> strata_a, strata_e;
  for (std::size_t i = 0; i < plan.size(); ++i) {
    const auto v = plan.point(i);
    strata_a.insert(static_cast<int>(v[0] / 4.0 * 50));
    strata_e.insert(static_cast<int>(v[1] / 1.0 * 50));
  }
  CHECK(strata_a.size() == 50);
  CHECK(strata_e.size() == 50);
}

TEST_CASE("sweep: 2 MPI ranks give the same bytes as one process", "[sweep][mpi]") {
#ifndef STRATAGEM_HAVE_MPI
  stratagem::testing::skip_test("this build has no MPI support (configure with -DSTRATAGEM_MPI=ON)");
#else
  if (!have_mpirun()) stratagem::testing::skip_test("mpirun is not installed (apt-get install openmpi-bin)");
  const auto dir = work_dir();
  const auto single = (dir / "mpi_single.csv").string();
  const auto ranks = (dir / "mpi_ranks.csv").string();
  const std::string def = " --grid ac_jp=0:4:33 --grid e_flex=0:1:9 -q --threads 1 --out ";
  REQUIRE(cli("sweep " + kuril_file() + def + single).code == 0);
  // Open MPI's own allocations (plugins loaded with dlopen, MPI_Finalize) are never freed; in a
  // sanitizer build LeakSanitizer would fail the ranks for them, so leak checking is off for the
  // MPI ranks only (the same sweep code runs leak-checked in the single-process tests).
  const std::string mpirun =
      "ASAN_OPTIONS=detect_leaks=0 mpirun -x ASAN_OPTIONS --oversubscribe --allow-run-as-root -np 2 ";
  const Run r = shell(mpirun + STRATAGEM_CLI + " sweep " + kuril_file() + def + ranks);
  INFO(r.out);
  REQUIRE(r.code == 0);
  CHECK(read_bytes(single) == read_bytes(ranks));
  CHECK(read_bytes(single).size() > 10000);
  CHECK(SweepJournal_count(ranks) == 0);
#endif
}

TEST_CASE("sweep: resume after SIGKILL computes only the missing points", "[sweep][resume]") {
  const auto dir = work_dir();
  const auto reference = (dir / "kill_ref.csv").string();
  const auto out = (dir / "kill.csv").string();
  const std::string grid = " --grid ac_jp=0:4:301 --grid e_flex=0:1:101 ";
  const pid_t pid = spawn_cli({"sweep", kuril_file(), "--grid", "ac_jp=0:4:301", "--grid",
                               "e_flex=0:1:101", "--threads", "1", "--quiet", "--out", out});
  const fs::path journal = stratagem::SweepJournal::path_for(out, -1);
  const bool midway = wait_for_lines(journal, 200, pid);
  kill(pid, SIGKILL);
  int status = 0;
  waitpid(pid, &status, 0);
  REQUIRE(midway);
  REQUIRE(WIFSIGNALED(status));
  CHECK_FALSE(fs::exists(out));
  // A torn record, as a write cut off by the kill would leave.
  { std::ofstream(journal, std::ios::app) << "12345 0badf00d {\"point\": 12345, \"param"; }
  const std::size_t before = count_lines(read_bytes(journal)) - 1;
  REQUIRE(before < 301 * 101);

  const Run resumed = cli("sweep " + kuril_file() + grid + "--threads 2 --resume --out " + out);
  const Run again = cli("sweep " + kuril_file() + grid + "--threads 2 -q --out " + reference);
  REQUIRE(again.code == 0);
  INFO(resumed.out);
  REQUIRE(resumed.code == 0);
  CHECK_THAT(resumed.out, Catch::Contains(fmt::format("{} computed, {} from the journal",
                                                      301 * 101 - before, before)));
  CHECK_THAT(resumed.out, Catch::Contains("from the journal"));
  CHECK(read_bytes(out) == read_bytes(reference));
  CHECK_FALSE(fs::exists(journal));
}

TEST_CASE("sweep: Ctrl-C stops cleanly, and --resume finishes", "[sweep][resume]") {
  const auto dir = work_dir();
  const auto out = (dir / "int.jsonl").string();
  const auto reference = (dir / "int_ref.jsonl").string();
  const std::string grid = " --grid ac_jp=0:4:201 --grid e_flex=0:1:101 --threads 1 ";
  const pid_t pid = spawn_cli({"sweep", kuril_file(), "--grid", "ac_jp=0:4:201", "--grid",
                               "e_flex=0:1:101", "--threads", "1", "-q", "--out", out});
  const bool midway = wait_for_lines(stratagem::SweepJournal::path_for(out, -1), 100, pid);
  kill(pid, SIGINT);
  int status = 0;
  waitpid(pid, &status, 0);
  REQUIRE(midway);
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 130);
  CHECK_FALSE(fs::exists(out));
  const Run resumed = cli("sweep " + kuril_file() + grid + "--resume -q --out " + out);
  REQUIRE(resumed.code == 0);
  REQUIRE(cli("sweep " + kuril_file() + grid + "-q --out " + reference).code == 0);
  CHECK(read_bytes(out) == read_bytes(reference));
}

TEST_CASE("sweep: the interrupt message names the journal and --resume", "[sweep][resume]") {
  const auto dir = work_dir();
  const auto out = (dir / "msg.csv").string();
  // A journal of this very sweep with no records: the CLI refuses to overwrite it silently.
  const auto scenario = stratagem::Scenario::parse(kStag, "ignored.yaml");
  const std::string file = stag_file();
  REQUIRE(cli("sweep " + file + " --grid stag=0:8:5 -q --out " + out).code == 0);
  { std::ofstream(out + ".journal") << "stratagem-sweep-journal 1 0000000000000000 5\n"; }
  Run r = cli("sweep " + file + " --grid stag=0:8:5 -q --out " + out);
  CHECK(r.code == 1);
  CHECK_THAT(r.out, Catch::Contains("an interrupted sweep left this journal"));
  CHECK_THAT(r.out, Catch::Contains("--resume"));
  r = cli("sweep " + file + " --grid stag=0:8:5 -q --resume --out " + out);
  CHECK(r.code == 1);
  CHECK_THAT(r.out, Catch::Contains("belongs to a different sweep"));
  fs::remove(out + ".journal");
}

TEST_CASE("sweep: journals skip torn and corrupt records", "[sweep][resume]") {
  const auto scenario = stratagem::Scenario::load(stag_file());
  const SweepPlan plan = stag_plan(scenario);
  const auto out = (work_dir() / "torn.csv").string();
  const auto path = stratagem::SweepJournal::path_for(out, -1);
  const auto points = run_all(scenario, plan, 1);
  {
    stratagem::SweepJournal journal(path, plan, true);
    journal.append(std::span(points).subspan(0, 5));
  }
  std::string text = read_bytes(path);
  // Corrupt record 2's checksum, then add a torn tail.
  const auto pos = text.find("\n2 ") + 3;
  text[pos] = text[pos] == '0' ? '1' : '0';
  std::ofstream(path, std::ios::binary) << text << "7 1234";
  std::map<std::size_t, std::string> records;
  stratagem::SweepJournal::read(path, plan, records);
  CHECK(records.size() == 4);
  CHECK(records.count(2) == 0);
  {
    stratagem::SweepJournal journal(path, plan, false);  // cuts the torn tail, appends
    journal.append(std::span(points).subspan(2, 1));
  }
  records.clear();
  stratagem::SweepJournal::read(path, plan, records);
  CHECK(records.size() == 5);
  CHECK(stratagem::point_from_json(plan, nlohmann::ordered_json::parse(records.at(2))).regime ==
        points[2].regime);
  fs::remove(path);
}

TEST_CASE("sweep: regime maps are SVG with title, axes and legend", "[sweep][plot]") {
  const auto dir = work_dir();
  const auto svg1 = (dir / "one.svg").string();
  const auto svg2 = (dir / "two.svg").string();
  REQUIRE(
      cli("sweep " + stag_file() + " --grid stag=0:8:17 --summary-only -q --plot " + svg1).code ==
      0);
  const std::string one = read_bytes(svg1);
  CHECK(one.rfind("<svg", 0) == 0);
  CHECK_THAT(one, Catch::Contains("</svg>"));
  CHECK_THAT(one, Catch::Contains(">stag</text>"));
  CHECK_THAT(one, Catch::Contains("hare/hare|stag/stag (1 point)"));
  CHECK_THAT(one, Catch::Contains(">2.75</text>"));  // boundary marked between 2.5 and 3
  REQUIRE(cli("sweep " + kuril_file() +
              " --grid ac_jp=0:4:9 --grid e_flex=0:1:5 --summary-only -q --plot " + svg2)
              .code == 0);
  const std::string two = read_bytes(svg2);
  CHECK_THAT(two, Catch::Contains(">ac_jp</text>"));
  CHECK_THAT(two, Catch::Contains(">e_flex</text>"));
  CHECK_THAT(two, Catch::Contains("hold/insist_four ("));
  CHECK(std::count(two.begin(), two.end(), '\n') > 45);  // 45 cells
}

TEST_CASE("sweep: bad input is reported with a clear message and exit code 1", "[sweep]") {
  const std::string stag = stag_file();
  const std::string dist = write_file("dist.yaml", kDistributions);
  const auto bad_dist = [&](const std::string& name, const std::string& spec) {
    std::string text = kDistributions;
    const auto pos = text.find("  plain:");
    text.insert(pos, "  " + name + ": {value: 1, range: [0, 2], distribution: " + spec + "}\n");
    return write_file(name + ".yaml", text);
  };
  const std::vector<std::pair<std::string, std::string>> cases{
      {"sweep " + stag + " --grid stagg=0:8:3", "unknown parameter 'stagg' (did you mean 'stag'?)"},
      {"sweep " + stag + " --values har=1,2", "unknown parameter 'har' (did you mean 'hare'?)"},
      {"sweep " + stag + " --grid stag=2:2:5", "empty range [2, 2] cannot hold 5 distinct points"},
      {"sweep " + stag + " --grid stag=0:8:0", "n = 0 but a grid needs n >= 1 points"},
      {"sweep " + stag + " --grid stag=5:1:3", "lo = 5 > hi = 1"},
      {"sweep " + stag + " --grid stag=0:8", "not of the form name=lo:hi:n"},
      {"sweep " + stag + " --grid stag=0:x:3", "'x' is not a number"},
      {"sweep " + stag + " --values stag=", "empty list of values"},
      {"sweep " + stag + " --grid stag=0:10:3", "stag = 10 is outside the declared range [0, 8]"},
      {"sweep " + stag + " --grid stag=0:8:3 --grid stag=1:2:2", "'stag' is swept twice"},
      {"sweep " + stag + " --grid stag=0:8:3 --set stag=2", "both swept and fixed"},
      {"sweep " + stag + " --grid stag=0:8:3 --set shock=0.2 --samples 10",
       "no parameter outside the grid has a declared distribution"},
      {"sweep " + dist + " --set u=0.3 --set n=0 --set t=1 --set b=1 --set c=1 --samples 10",
       "--samples needs a parameter with a declared distribution"},
      {"sweep " + stag + " --lhs 10 --vary plain", "unknown parameter 'plain'"},
      {"sweep " + stag + " --grid stag=0:8:3 --method supprt",
       "unknown method 'supprt' (did you mean 'support'?)"},
      {"sweep " + stag + " --grid stag=0:8:3 --method subgame-perfect",
       "method 'subgame-perfect' does not apply: subgame-perfect solves game trees; this is a "
       "normal scenario"},
      {"sweep " + dist + " --grid u=0:1:3 --grid t=0:1:3 --grid b=0:1:3 --plot x.svg",
       "a regime map needs one or two swept parameters; this sweep has 3 (u, t, b)"},
      {"sweep " + stag + " -q", "nothing to sweep"},
      {"sweep " + stag + " --grid stag=0:8:3 --out x.txt", "cannot tell the output format"},
      {"sweep " + bad_dist("x1", "{normal: [1, 1]}") + " --samples 5",
       "an untruncated normal can leave the declared range [0, 2]"},
      {"sweep " + bad_dist("x2", "{triangular: [0, 1, 3]}") + " --samples 5",
       "it produces values in [0, 3], outside the declared range [0, 2]"},
      {"sweep " + bad_dist("x3", "{choice: [1, 5]}") + " --samples 5",
       "outside the declared range [0, 2]"},
      {"sweep " + bad_dist("x4", "{uniform: [2, 1]}") + " --samples 5", "uniform needs lo < hi"},
      {"sweep " + bad_dist("x5", "{beta: [0, 1]}") + " --samples 5", "beta needs a > 0 and b > 0"},
      {"sweep " + bad_dist("x6", "{normal: [0, 1], truncate: [40, 50]}") + " --samples 5",
       "leaves no probability mass"},
  };
  for (const auto& [args, message] : cases) {
    const Run r = cli(args);
    INFO(args << "\n" << r.out);
    CHECK(r.code == 1);
    CHECK_THAT(r.out, Catch::Contains(message));
  }
  // A count outside its range is a usage error (exit 2) naming the option and the range.
  const Run lhs0 = cli("sweep " + dist + " --lhs 0");
  CHECK(lhs0.code == 2);
  CHECK_THAT(lhs0.out, Catch::Contains("--lhs 0 is out of range; write an integer from 1 to"));
  // Values outside the range are accepted on request.
  CHECK(cli("sweep " + stag + " --grid stag=0:10:3 -q --allow-outside-range").code == 0);
  CHECK(cli("sweep " + bad_dist("y", "{normal: [1, 1]}") +
            " --samples 5 -q --summary-only "
            "--allow-outside-range")
            .code == 0);
  // Usage errors exit 2.
  CHECK(cli("sweep " + stag + " --grid stag=0:8:3 --samples 3 --lhs 3").code == 2);
  CHECK(cli("sweep " + stag + " --grid stag=0:8:3 --resume").code == 2);
}

TEST_CASE("sweep: tree methods on a tree scenario, each SPE among the pure Nash equilibria",
          "[sweep][tree]") {
  const auto scenario = stratagem::Scenario::load(std::string(STRATAGEM_SOURCE_DIR) +
                                                  "/scenarios/classic/entry_deterrence.yaml");
  // The incumbent fights an entrant when commitment - war > duopoly, i.e. commitment > 2.5:
  // below, entry and accommodation; above, the entrant stays out (fighting is credible).
  SweepSpec spec;
  spec.axes.push_back(stratagem::parse_grid_axis("commitment=0:5:11"));
  spec.methods = {"subgame-perfect"};
  const SweepPlan spe_plan = SweepPlan::make(scenario, spec);
  spec.methods = {"backward-induction"};
  const SweepPlan bi_plan = SweepPlan::make(scenario, spec);
  spec.methods = {"pure"};
  const SweepPlan pure_plan = SweepPlan::make(scenario, spec);
  const auto spe = run_all(scenario, spe_plan, 2);
  const auto bi = run_all(scenario, bi_plan, 1);
  const auto pure = run_all(scenario, pure_plan, 2);
  REQUIRE(spe.size() == 11);
  for (std::size_t i = 0; i < spe.size(); ++i) {
    const double commitment = spe[i].values[0];
    INFO("commitment = " << commitment);
    CHECK(spe[i].regime == bi[i].regime);
    // At commitment = 2.5 the incumbent is indifferent: both replies are subgame perfect.
    CHECK(spe[i].regime == (commitment < 2.5    ? "in/accommodate"
                            : commitment == 2.5 ? "in/accommodate|out/fight"
                                                : "out/fight"));
    for (const auto& eq : spe[i].equilibria) {
      CHECK(eq.pure);
      CHECK(eq.max_regret <= 1e-9);
      CHECK_THAT(pure[i].regime, Catch::Contains(eq.label));
    }
  }
  // The CLI writes the same regimes.
  const auto r = cli("sweep " + scenario.file() +
                     " --grid commitment=0:5:11 --method subgame-perfect --summary-only");
  INFO(r.out);
  CHECK(r.code == 0);
  CHECK_THAT(r.out, Catch::Contains("in/accommodate"));
  CHECK_THAT(r.out, Catch::Contains("out/fight"));
}

TEST_CASE("sweep axes: bounds and values may be fractions", "[sweep]") {
  const auto grid = stratagem::parse_grid_axis("p=1/4:3/4:3");
  REQUIRE(grid.values.size() == 3);
  CHECK(grid.values[0] == 0.25);
  CHECK(grid.values[1] == 0.5);
  CHECK(grid.values[2] == 0.75);
  const auto listed = stratagem::parse_values_axis("p=1/3,2/3");
  REQUIRE(listed.values.size() == 2);
  CHECK(listed.values[0] == 1.0 / 3.0);
  CHECK(listed.values[1] == 2.0 / 3.0);
  CHECK_THROWS_WITH(stratagem::parse_grid_axis("p=1/0:1:3"), Catch::Contains("is not a number"));
}
