// The `stratagem` command: dispatches to one subcommand per file.
#include <csignal>
#include <iostream>
#include <map>

#include <boost/program_options/errors.hpp>

#include "cli/cli.hpp"
#include "stratagem/scenario/error.hpp"

namespace {

constexpr const char* kUsage = R"(usage: stratagem COMMAND [options]

commands:
  solve FILE      find equilibria (--method NAME|all, --set k=v, --format text|json)
  explain FILE    the reasoning behind the equilibria, in sentences
  validate FILE   check a scenario or game file without solving
  check FILE      evaluate the file's expect: assertions
  solvers         list the solvers and what they apply to
  repeated FILE   repeated games: is a strategy profile self-enforcing, from which delta
  convert FILE    convert between YAML, .nfg, .efg and JSON; draw trees (--to nfg|json|yaml|efg|dot)
  sweep FILE      solve over a parameter grid or Monte Carlo draws (--grid k=lo:hi:n, --out F)
  tree FILE.efg   a game tree: subgame-perfect equilibria with reasoning, reduced normal form

FILE is a scenario (.yaml), a Gambit strategic game (.nfg) or a game JSON file (.json);
a Gambit game tree (.efg) is solved through its reduced normal form.
Run 'stratagem COMMAND --help' for the options of a command.
)";

extern "C" void on_signal(int) { stratagem::cli::stop_flag().store(true); }

}  // namespace

namespace stratagem::cli {
std::atomic<bool>& stop_flag() {
  static std::atomic<bool> flag{false};
  return flag;
}
}  // namespace stratagem::cli

int main(int argc, char** argv) {
  using namespace stratagem::cli;
  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
  if (argc < 2) {
    std::cerr << kUsage;
    return kExitUsage;
  }
  const std::string command = argv[1];
  if (command == "--help" || command == "-h" || command == "help") {
    std::cout << kUsage;
    return kExitOk;
  }
  const std::vector<std::string> args(argv + 2, argv + argc);
  const std::map<std::string, int (*)(const std::vector<std::string>&)> commands{
      {"solve", run_solve},       {"explain", run_explain}, {"validate", run_validate},
      {"check", run_check},       {"repeated", run_repeated},       {"solvers", run_solvers}, {"convert", run_convert},
      {"sweep", run_sweep},       {"tree", run_tree}};
  const auto it = commands.find(command);
  if (it == commands.end()) {
    std::vector<std::string> names;
    for (const auto& [name, fn] : commands) names.push_back(name);
    std::cerr << "stratagem: unknown command '" << command << "'"
              << stratagem::did_you_mean(command, names) << "\n\n"
              << kUsage;
    return kExitUsage;
  }
  try {
    return it->second(args);
  } catch (const UsageError& e) {
    std::cerr << "stratagem " << command << ": " << e.what() << "\n";
    return kExitUsage;
  } catch (const boost::program_options::error& e) {
    std::cerr << "stratagem " << command << ": " << e.what()
              << "\n  (run 'stratagem " << command << " --help')\n";
    return kExitUsage;
  } catch (const stratagem::InputError& e) {
    std::cerr << e.what() << "\n";
    return kExitBadInput;
  } catch (const stratagem::InvalidGame& e) {
    std::cerr << "error: " << e.what() << "\n";
    return kExitBadInput;
  } catch (const std::exception& e) {
    std::cerr << "stratagem " << command << ": internal error: " << e.what() << "\n";
    return kExitSolverFailure;
  }
}
