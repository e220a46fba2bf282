#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace stratagem {

/// A place in an input file; line and column are 1-based (0 = unknown).
struct SourceMark {
  std::string file;
  int line = 0;
  int column = 0;
};

/// Bad input (scenario YAML, .nfg file, command-line value): names where and how to fix it.
/// what() reads "file:line:col: error: message" followed by "\n  hint: ..." when a hint exists.
class InputError : public std::runtime_error {
 public:
  InputError(SourceMark mark, const std::string& message, const std::string& hint = "");
  [[nodiscard]] const SourceMark& mark() const { return mark_; }
  [[nodiscard]] const std::string& message() const { return message_; }
  [[nodiscard]] const std::string& hint() const { return hint_; }

 private:
  SourceMark mark_;
  std::string message_;
  std::string hint_;
};

/// Input that is well formed but above a documented resource limit (players, profiles, tree
/// nodes, nesting depth, sweep points, output size; see docs/limits.md). Checked before the memory
/// is allocated; the hint says how to raise the limit or what to do instead.
class LimitError : public InputError {
 public:
  using InputError::InputError;
};

/// Output that could not be written (a full disk, a closed pipe, no permission): what() reads
/// "cannot write DESTINATION: REASON" with the system's reason (e.g. "No space left on device").
class OutputError : public std::runtime_error {
 public:
  OutputError(const std::string& destination, const std::string& reason);
};

/// OutputError for `destination` with the reason of the C library's `error_number` (an errno).
[[nodiscard]] OutputError output_error(const std::string& destination, int error_number);

/// Writes `text` to the file `path` (created or truncated) and closes it, checking every step.
/// Throws OutputError naming the path and the system's reason when any step fails.
void write_text_file(const std::string& path, const std::string& text);

/// The candidate closest to `word` by edit distance, or "" when none is reasonably close.
[[nodiscard]] std::string closest_match(const std::string& word,
                                        const std::vector<std::string>& candidates);

/// " (did you mean 'x'?)" or "" — for error messages about unknown names.
[[nodiscard]] std::string did_you_mean(const std::string& word,
                                       const std::vector<std::string>& candidates);

/// Largest input file read (.nfg, .efg, game JSON): 1 GiB. Scenario files have their own, smaller
/// limit (64 MiB).
inline constexpr std::uintmax_t kMaxInputFileBytes = std::uintmax_t{1} << 30;

/// The whole file as text. Throws InputError naming the path, with `hint` as the fix, when it
/// cannot be opened, and LimitError when it is larger than kMaxInputFileBytes.
[[nodiscard]] std::string read_input_file(const std::string& path,
                                          const std::string& hint = "check the path and permissions");

}  // namespace stratagem
