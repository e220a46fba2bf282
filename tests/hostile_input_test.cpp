// Hostile and careless input (issue: a repository that survives hostile input): every case here
// was found by fault injection or fuzzing and crashed, blew up or lost output before its fix.
// Each asserts a clear message and the documented exit code: 1 bad input, 2 usage error,
// 3 solver failure, 4 output not written, 130 interrupted.
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include <catch2/catch.hpp>

#include "process.hpp"
#include "reference_games.hpp"

namespace {

namespace fs = std::filesystem;
using Run = stratagem::testing::CommandResult;

Run run(const std::string& args) { return stratagem::testing::run_stratagem(args, true); }

fs::path work_dir() {
  const auto dir = fs::temp_directory_path() /
                   ("stratagem_hostile_test_" + std::to_string(static_cast<long>(getpid())));
  fs::create_directories(dir);
  return dir;
}

std::string write_file(const std::string& name, const std::string& text) {
  const auto path = work_dir() / name;
  std::ofstream(path, std::ios::binary) << text;
  return path.string();
}

std::string kuril() {
  return std::string(STRATAGEM_SOURCE_DIR) + "/scenarios/japan_russia/kuril_bargaining.yaml";
}

std::string small_game() { return stratagem::reference_dir() + "/random_3x3_s11_0.nfg"; }

}  // namespace

TEST_CASE("hostile: numeric options out of range are usage errors naming the option",
          "[hostile][cli]") {
  struct Case {
    std::string args, message;
  };
  const std::vector<Case> cases{
      {"sweep " + kuril() + " --grid ac_jp=0:1:3 --threads 65537",
       "--threads 65537 is out of range; write an integer from 0 to 1024"},
      {"sweep " + kuril() + " --grid ac_jp=0:1:3 --threads -1", "--threads -1 is out of range"},
      {"solve " + small_game() + " --threads 99999999999999999999", "--threads"},
      {"sweep " + kuril() + " --samples -3", "--samples -3 is out of range"},
      {"sweep " + kuril() + " --samples 18446744073709551615", "--samples"},
      {"sweep " + kuril() + " --samples 2.5", "--samples '2.5': not a whole number"},
      {"sweep " + kuril() + " --grid ac_jp=0:1:1000000000",
       "1000000000 points exceed the sweep limit of 5000000 points"},
      {"sweep " + kuril() + " --grid ac_jp=0:1:100000 --grid e_flex=0:1:10000",
       "the sweep has more than 5000000 points (the limit)"},
      {"sweep " + kuril() + " --samples 1000 --grid e_flex=0:1:10000",
       "the sweep has more than 5000000 points"},
      {"sweep " + kuril() + " --grid ac_jp=0:1:3 --tolerance nan", "--tolerance 'nan': not a finite number"},
      {"solve " + small_game() + " --tolerance nan", "--tolerance 'nan': not a finite number"},
      {"solve " + small_game() + " --tolerance inf", "--tolerance 'inf': not a finite number"},
      {"solve " + small_game() + " --tolerance -1", "--tolerance -1 is out of range"},
      {"solve " + small_game() + " --tolerance 1/0", "not a finite number"},
      {"solve " + small_game() + " --method lemke-howson --label 0",
       "--label 0 is out of range"},
      {"solve " + small_game() + " --method lemke-howson --label 7",
       "--label 7 is out of range: this game has labels 1..6"},
      {"tree " + stratagem::reference_dir() + "/random_3x3_s11_0.nfg --max-equilibria 0",
       "--max-equilibria 0 is out of range"},
  };
  for (const auto& c : cases) {
    const Run r = run(c.args);
    INFO(c.args << "\n" << r.out);
    CHECK(r.code == 2);
    CHECK_THAT(r.out, Catch::Contains(c.message));
    CHECK_THAT(r.out, !Catch::Contains("internal error"));
  }
  // The limit can be raised on request, and fractions are numbers.
  CHECK(run("sweep " + kuril() + " --grid ac_jp=0:1:11 --max-points 10 -q --summary-only").code == 2);
  CHECK(run("sweep " + kuril() + " --grid ac_jp=0:1:11 --max-points 11 -q --summary-only").code == 0);
  CHECK(run("solve " + small_game() + " --tolerance 1/1000").code == 0);
}

TEST_CASE("hostile: output that cannot be written is an error, never exit 0", "[hostile][cli]") {
  // stdout on a full device.
  const std::string cli = STRATAGEM_CLI;
  const Run full = stratagem::testing::run_command("{ " + cli + " solve " + small_game() +
                                                   " >/dev/full; }");
  CHECK(full.code == 4);
  CHECK_THAT(full.out, Catch::Contains("cannot write standard output: No space left on device"));
  // An output file on a full device.
  const Run convert = run("convert " + small_game() + " --to json -o /dev/full");
  CHECK(convert.code == 4);
  CHECK_THAT(convert.out, Catch::Contains("cannot write /dev/full: No space left on device"));
  // A closed standard output: a message, not a silent loss.
  const Run closed =
      stratagem::testing::run_command("{ " + cli + " solve " + small_game() + " >&-; }");
  CHECK(closed.code == 4);
  CHECK_THAT(closed.out, Catch::Contains("cannot write standard output"));
  // Files past the size limit (the same failure as a full disk): the sweep's journal and output.
  const auto out = (work_dir() / "limited.csv").string();
  const std::string limited = "sh -c 'trap \"\" XFSZ; ulimit -f 8; exec " +
                              std::string(STRATAGEM_CLI) + " sweep " + kuril() +
                              " --grid ac_jp=0:4:301 --grid e_flex=0:1:11 -q --threads 1 --out " +
                              out + "'";
  const Run sweep = stratagem::testing::run_command(limited, true);
  INFO(sweep.out);
  CHECK(sweep.code == 4);
  CHECK_THAT(sweep.out, Catch::Contains("cannot write"));
  CHECK_THAT(sweep.out, Catch::Contains("File too large"));
  CHECK_THAT(sweep.out, !Catch::Contains("internal error"));
}

TEST_CASE("hostile: control bytes in input are shown escaped in messages", "[hostile][scenario]") {
  std::string text = R"(stratagem: 1
name: "nul"
parameters: {R: 3}
actors: {row: Row, column: Column}
game:
  type: normal
  moves: {row: [a, b], column: [a, b]}
  matrix:
    - [["R + x@yz", R], [0, 0]]
    - [[0, 0], [1, 1]]
)";
  text[text.find('@')] = '\0';
  const Run r = run("validate " + write_file("nul.yaml", text));
  CHECK(r.code == 1);
  CHECK_THAT(r.out, Catch::Contains("unknown name 'x' in formula 'R + x\\x00yz'"));
}
