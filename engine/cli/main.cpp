// The `stratagem` command: dispatches to one subcommand per file.
#include <pthread.h>
#include <semaphore.h>
#include <tbb/global_control.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <thread>
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
  --version       print the version
  repeated FILE   repeated games: is a strategy profile self-enforcing, from which delta
  convert FILE    convert between YAML, .nfg, .efg and JSON; draw trees (--to nfg|json|yaml|efg|dot)
  sweep FILE      solve over a parameter grid or Monte Carlo draws (--grid k=lo:hi:n, --out F)
  tree FILE.efg   a game tree: subgame-perfect equilibria with reasoning, reduced normal form

FILE is a scenario (.yaml), a Gambit strategic game (.nfg) or a game JSON file (.json);
a Gambit game tree (.efg) is solved through its reduced normal form.
Run 'stratagem COMMAND --help' for the options of a command.
)";

/// Set by the first SIGINT/SIGTERM; long work polls it (SolveContext) and stops, printing what it
/// found. A second signal ends the process at once.
std::atomic<bool> g_stop{false};
/// Posted by the signal handler (sem_post is async-signal-safe) to wake the watchdog.
sem_t g_stop_posted;

/// How long work may take to stop by itself after a signal before the watchdog ends the process:
/// every phase of every command stops within a second, polled or not.
constexpr auto kStopGrace = std::chrono::milliseconds(800);

extern "C" void on_signal(int) {
  if (g_stop.exchange(true)) {
    constexpr char kMessage[] = "stratagem: interrupted again; stopping now\n";
    (void)!::write(STDERR_FILENO, kMessage, sizeof kMessage - 1);
    ::_exit(stratagem::cli::kExitInterrupted);
  }
  sem_post(&g_stop_posted);
}

/// Waits for the first signal, then gives the command kStopGrace to finish and report what it
/// found; a phase that does not poll the stop flag (parsing, building a game, writing) is ended
/// here with exit code 130.
void watchdog() {
  while (sem_wait(&g_stop_posted) != 0) {
  }
  std::this_thread::sleep_for(kStopGrace);
  std::fflush(stdout);
  constexpr char kMessage[] =
      "stratagem: interrupted; stopped before this step finished (nothing more to report)\n";
  (void)!::write(STDERR_FILENO, kMessage, sizeof kMessage - 1);
  ::_exit(stratagem::cli::kExitInterrupted);
}

/// Counts the characters written through it to the wrapped buffer, so that main() can tell
/// whether a failing command said why.
class CountingBuffer : public std::streambuf {
 public:
  explicit CountingBuffer(std::streambuf* inner) : inner_(inner) {}
  [[nodiscard]] std::size_t count() const { return count_; }

 protected:
  int overflow(int c) override {
    if (c == traits_type::eof()) return traits_type::not_eof(c);
    ++count_;
    return inner_->sputc(static_cast<char>(c));
  }
  std::streamsize xsputn(const char* s, std::streamsize n) override {
    count_ += static_cast<std::size_t>(n);
    return inner_->sputn(s, n);
  }
  int sync() override { return inner_->pubsync(); }

 private:
  std::streambuf* inner_;
  std::size_t count_ = 0;
};

/// Flushes standard output; throws OutputError when anything written to it was lost.
void finish_stdout() {
  errno = 0;
  std::cout.flush();
  const bool stream_failed = std::cout.fail();
  const bool flush_failed = std::fflush(stdout) != 0 || std::ferror(stdout) != 0;
  if (stream_failed || flush_failed) throw stratagem::output_error("standard output", errno);
}

int run_command(const std::string& command, int (*run)(const std::vector<std::string>&),
                const std::vector<std::string>& args) {
  using namespace stratagem::cli;
  try {
    const int code = run(args);
    finish_stdout();
    return code;
  } catch (const UsageError& e) {
    std::cerr << "stratagem " << command << ": " << e.what() << "\n";
    return kExitUsage;
  } catch (const boost::program_options::error& e) {
    std::cerr << "stratagem " << command << ": " << e.what()
              << "\n  (run 'stratagem " << command << " --help')\n";
    return kExitUsage;
  } catch (const stratagem::OutputError& e) {
    std::cerr << "stratagem " << command << ": " << e.what() << "\n";
    return kExitOutputError;
  } catch (const stratagem::InputError& e) {
    std::cerr << e.what() << "\n";
    return kExitBadInput;
  } catch (const stratagem::InvalidGame& e) {
    std::cerr << "error: " << e.what() << "\n";
    return kExitBadInput;
  } catch (const std::bad_alloc&) {
    std::cerr << "stratagem " << command << ": out of memory; the input is too large for this "
                 "machine (see docs/limits.md for the limits that apply before allocating)\n";
    return kExitSolverFailure;
  } catch (const std::exception& e) {
    std::cerr << "stratagem " << command << ": internal error: " << e.what() << "\n";
    return kExitSolverFailure;
  }
}

/// Stack of the thread that runs the command, and of oneTBB's workers: recursive tree code is
/// bounded by the depth limit (docs/limits.md), and these stacks hold that depth with a wide
/// margin even in sanitizer builds. Only the pages used are ever touched.
constexpr std::size_t kCommandStack = std::size_t{256} << 20;
constexpr std::size_t kWorkerStack = std::size_t{64} << 20;

struct CommandCall {
  std::string command;
  int (*run)(const std::vector<std::string>&);
  std::vector<std::string> args;
  int code = 0;
};

extern "C" void* command_thread(void* data) {
  auto* call = static_cast<CommandCall*>(data);
  call->code = run_command(call->command, call->run, call->args);
  return nullptr;
}

/// Runs the command on a thread with a kCommandStack stack (on this thread if that fails).
int run_on_large_stack(CommandCall& call) {
  pthread_attr_t attr;
  pthread_t thread;
  bool started = false;
  if (pthread_attr_init(&attr) == 0) {
    started = pthread_attr_setstacksize(&attr, kCommandStack) == 0 &&
              pthread_create(&thread, &attr, command_thread, &call) == 0;
    pthread_attr_destroy(&attr);
  }
  if (started) {
    pthread_join(thread, nullptr);
  } else {
    command_thread(&call);
  }
  return call.code;
}

}  // namespace

namespace stratagem::cli {
std::atomic<bool>& stop_flag() { return g_stop; }
}  // namespace stratagem::cli

int main(int argc, char** argv) {
  using namespace stratagem::cli;
  sem_init(&g_stop_posted, 0, 0);
  std::thread(watchdog).detach();
  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
  // A closed pipe is reported as a write error (EPIPE) with a message, not a silent death.
  std::signal(SIGPIPE, SIG_IGN);
  if (argc < 2) {
    std::cerr << kUsage;
    return kExitUsage;
  }
  const std::string command = argv[1];
  if (command == "--help" || command == "-h" || command == "help") {
    std::cout << kUsage;
    return kExitOk;
  }
  if (command == "--version" || command == "version") {
    std::cout << "stratagem " << STRATAGEM_VERSION << "\n";
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
  CountingBuffer counted(std::cerr.rdbuf());
  std::streambuf* const original = std::cerr.rdbuf(&counted);
  tbb::global_control worker_stack(tbb::global_control::thread_stack_size, kWorkerStack);
  CommandCall call{.command = command, .run = it->second, .args = args};
  const int code = run_on_large_stack(call);
  std::cerr.rdbuf(original);
  // Every non-zero exit says why on stderr.
  if (code != kExitOk && counted.count() == 0) {
    std::cerr << "stratagem " << command << ": "
              << (code == kExitInterrupted ? "interrupted" : "failed") << " (exit " << code
              << ")\n";
  }
  return code;
}
