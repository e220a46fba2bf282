#pragma once
// Test helper: runs a command line and captures its output and exit code.

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

namespace stratagem::testing {

/// Exit code (-1 when the process did not exit normally) and captured output.
struct CommandResult {
  int code = -1;
  std::string out;
};

/// Runs `command` through the shell; stdout is captured, with stderr too when `merge_stderr`
/// (otherwise stderr is discarded).
inline CommandResult run_command(const std::string& command, bool merge_stderr = true) {
  CommandResult r;
  FILE* pipe = popen((command + (merge_stderr ? " 2>&1" : " 2>/dev/null")).c_str(), "r");
  REQUIRE(pipe != nullptr);
  char buffer[4096];
  std::size_t n;
  while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) r.out.append(buffer, n);
  const int status = pclose(pipe);
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

/// Starts `args` (the program looked up in PATH unless it is a path) in the background with
/// stdout and stderr to /dev/null, in the environment `envp`; returns its pid.
inline pid_t spawn_quiet(std::vector<std::string> args, char* const* envp = environ) {
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  pid_t pid = -1;
  const int rc = posix_spawnp(&pid, argv[0], &actions, nullptr, argv.data(), envp);
  posix_spawn_file_actions_destroy(&actions);
  REQUIRE(rc == 0);
  return pid;
}

/// Runs the built `stratagem` executable with `args`.
inline CommandResult run_stratagem(const std::string& args, bool merge_stderr = true) {
  return run_command(std::string(STRATAGEM_CLI) + " " + args, merge_stderr);
}

/// Exit code that ctest reports as a skip (SKIP_RETURN_CODE in tests/CMakeLists.txt).
inline constexpr int kSkipExitCode = 77;

/// Ends the running test case as skipped: prints why and exits the test process with
/// kSkipExitCode, which ctest shows as "Skipped" (Catch2 v2 has no skip of its own). Each test
/// case runs in its own process under ctest, so no other test is affected.
[[noreturn]] inline void skip_test(const std::string& why) {
  std::cout << "SKIPPED: " << why << std::endl;
  std::_Exit(kSkipExitCode);
}

}  // namespace stratagem::testing
