// The `stratagem` command: dispatches to one subcommand per file.
#include <pthread.h>
#include <semaphore.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <ctime>
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

/// Set by the command's thread when the command has returned (it then posts g_stop_posted too).
std::atomic<bool> g_command_done{false};

/// Ends the process after a signal when the command did not stop within kStopGrace: a phase
/// that does not poll the stop flag (parsing, building a game, writing) is ended here with exit
/// code 130.
[[noreturn]] void stop_now() {
  std::fflush(stdout);
  constexpr char kMessage[] =
      "stratagem: interrupted; stopped before this step finished (nothing more to report)\n";
  (void)!::write(STDERR_FILENO, kMessage, sizeof kMessage - 1);
  ::_exit(stratagem::cli::kExitInterrupted);
}

/// Waits until the command's thread is done or a first signal comes; after a signal, gives the
/// command kStopGrace to finish and report what it found, then stop_now().
void watch_command() {
  while (sem_wait(&g_stop_posted) != 0) {
  }
  if (g_command_done.load()) return;
  timespec deadline{};
  clock_gettime(CLOCK_REALTIME, &deadline);
  static_assert(kStopGrace < std::chrono::seconds(1));
  deadline.tv_nsec += static_cast<long>(std::chrono::nanoseconds(kStopGrace).count());
  if (deadline.tv_nsec >= 1'000'000'000) {
    deadline.tv_sec += 1;
    deadline.tv_nsec -= 1'000'000'000;
  }
  while (!g_command_done.load()) {
    if (sem_timedwait(&g_stop_posted, &deadline) != 0 && errno == ETIMEDOUT) stop_now();
  }
}

/// The watcher for a command that runs on the main thread (when its own thread could not be
/// started): a thread that waits for the first signal.
void watchdog() {
  while (sem_wait(&g_stop_posted) != 0) {
  }
  std::this_thread::sleep_for(kStopGrace);
  stop_now();
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

/// Stack of the thread that runs the command (oneTBB's workers: solve/parallel.cpp): recursive
/// tree code is bounded by the depth limit (docs/limits.md), and this stack holds that depth
/// with a wide margin even in sanitizer builds. Only the pages used are ever touched.
constexpr std::size_t kCommandStack = std::size_t{256} << 20;

struct CommandCall {
  std::string command;
  int (*run)(const std::vector<std::string>&);
  std::vector<std::string> args;
  int code = 0;
};

extern "C" void* command_thread(void* data) {
  auto* call = static_cast<CommandCall*>(data);
  call->code = run_command(call->command, call->run, call->args);
  g_command_done.store(true);
  sem_post(&g_stop_posted);
  return nullptr;
}

/// Whether the command may run on the main thread, without a thread of its own and without a
/// watcher: every file it names is a strategic-form game (.nfg) of at most kMainNfgBytes
/// (reading and solving one recurses on nothing in the input; reading takes milliseconds, and
/// every solver polls the stop flag) or a game tree (.efg) of at most kMainEfgBytes (a level of
/// a tree takes two node lines of 8 bytes or more, so such a tree is at most ~130 levels deep,
/// far within the main stack). Saves starting a thread: about 0.1 ms of a 2 ms run
/// (docs/performance.md, "Start-up").
bool fits_main_thread(const std::vector<std::string>& args) {
  constexpr std::uintmax_t kMainNfgBytes = std::uintmax_t{1} << 20;
  constexpr std::uintmax_t kMainEfgBytes = 2048;
  constexpr rlim_t kMainStack = rlim_t{8} << 20;
  rlimit stack{};
  if (getrlimit(RLIMIT_STACK, &stack) != 0 ||
      (stack.rlim_cur != RLIM_INFINITY && stack.rlim_cur < kMainStack)) {
    return false;
  }
  bool any = false;
  for (const auto& arg : args) {
    if (arg.empty() || arg[0] == '-') continue;
    std::error_code error;
    if (!std::filesystem::is_regular_file(arg, error)) continue;
    const std::uintmax_t size = std::filesystem::file_size(arg, error);
    if (error) return false;
    const std::string ext = std::filesystem::path(arg).extension().string();
    if (ext == ".nfg" && size <= kMainNfgBytes) {
      any = true;
    } else if (ext == ".efg" && size <= kMainEfgBytes) {
      any = true;
    } else {
      return false;
    }
  }
  return any;
}

/// Runs the command on a thread with a kCommandStack stack while this thread watches for
/// signals (watch_command); on this thread, watched by a watchdog thread, if that fails.
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
    watch_command();
    pthread_join(thread, nullptr);
  } else {
    std::thread(watchdog).detach();
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
  CommandCall call{.command = command, .run = it->second, .args = args};
  int code = 0;
  if (fits_main_thread(args)) {
    command_thread(&call);
    code = call.code;
  } else {
    code = run_on_large_stack(call);
  }
  std::cerr.rdbuf(original);
  // Every non-zero exit says why on stderr.
  if (code != kExitOk && counted.count() == 0) {
    std::cerr << "stratagem " << command << ": "
              << (code == kExitInterrupted ? "interrupted" : "failed") << " (exit " << code
              << ")\n";
  }
  return code;
}
