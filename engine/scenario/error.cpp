#include "stratagem/scenario/error.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

namespace stratagem {
namespace {

/// `text` with control bytes other than newline and tab written as \xNN, so a NUL or an escape
/// sequence taken from hostile input neither truncates nor garbles the message.
std::string printable(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if ((u < 0x20 && c != '\n' && c != '\t') || u == 0x7f) {
      out += fmt::format("\\x{:02x}", u);
    } else {
      out += c;
    }
  }
  return out;
}

std::string format_error(const SourceMark& mark, const std::string& message,
                         const std::string& hint) {
  std::string where = mark.file.empty() ? std::string("<input>") : printable(mark.file);
  if (mark.line > 0) {
    where += fmt::format(":{}", mark.line);
    if (mark.column > 0) where += fmt::format(":{}", mark.column);
  }
  std::string text = fmt::format("{}: error: {}", where, printable(message));
  if (!hint.empty()) text += fmt::format("\n  hint: {}", printable(hint));
  return text;
}

std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const bool same = std::tolower(static_cast<unsigned char>(a[i - 1])) ==
                        std::tolower(static_cast<unsigned char>(b[j - 1]));
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (same ? 0 : 1)});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

}  // namespace

InputError::InputError(SourceMark mark, const std::string& message, const std::string& hint)
    : std::runtime_error(format_error(mark, message, hint)),
      mark_(std::move(mark)),
      message_(message),
      hint_(hint) {}

OutputError::OutputError(const std::string& destination, const std::string& reason)
    : std::runtime_error(fmt::format("cannot write {}: {}", printable(destination), reason)) {}

OutputError output_error(const std::string& destination, int error_number) {
  return OutputError(destination, error_number == 0 ? std::string("write failed")
                                                    : std::string(std::strerror(error_number)));
}

void write_text_file(const std::string& path, const std::string& text) {
  errno = 0;
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) throw output_error(path, errno);
  const bool wrote = std::fwrite(text.data(), 1, text.size(), f) == text.size() &&
                     std::fflush(f) == 0;
  const int write_errno = errno;
  const bool closed = std::fclose(f) == 0;
  if (!wrote || !closed) throw output_error(path, wrote ? errno : write_errno);
}

std::string closest_match(const std::string& word, const std::vector<std::string>& candidates) {
  std::string best;
  std::size_t best_distance = std::string::npos;
  for (const auto& c : candidates) {
    const std::size_t d = edit_distance(word, c);
    if (d < best_distance) {
      best_distance = d;
      best = c;
    }
  }
  // Accept up to a third of the word's length (at least 2 edits), or a prefix relation.
  const std::size_t limit = std::max<std::size_t>(2, word.size() / 3);
  if (best.empty()) return "";
  if (best_distance <= limit) return best;
  if (best.rfind(word, 0) == 0 || word.rfind(best, 0) == 0) return best;
  return "";
}

std::string did_you_mean(const std::string& word, const std::vector<std::string>& candidates) {
  const std::string best = closest_match(word, candidates);
  return best.empty() ? std::string() : fmt::format(" (did you mean '{}'?)", best);
}

std::string read_input_file(const std::string& path, const std::string& hint) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (!ec && size > kMaxInputFileBytes) {
    throw LimitError({path, 0, 0},
                     fmt::format("the file has {} bytes, above the limit of {} bytes for an input "
                                 "file",
                                 size, kMaxInputFileBytes),
                     "check that this is the intended file (the limit is kMaxInputFileBytes, "
                     "docs/limits.md)");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError({path, 0, 0}, "cannot open the file", hint);
  std::string text;
  if (!ec) {  // a regular file of known size: one read into place
    text.resize(static_cast<std::size_t>(size));
    in.read(text.data(), static_cast<std::streamsize>(size));
    text.resize(static_cast<std::size_t>(in.gcount()));
  }
  // The rest: all of a pipe or device, or what a file gained since its size was taken.
  char buffer[1 << 16];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    text.append(buffer, static_cast<std::size_t>(in.gcount()));
    if (text.size() > kMaxInputFileBytes) {
      throw LimitError({path, 0, 0},
                       fmt::format("the input has more than {} bytes, the limit for an input file",
                                   kMaxInputFileBytes),
                       "check that this is the intended input (the limit is kMaxInputFileBytes, "
                       "docs/limits.md)");
    }
  }
  return text;
}

}  // namespace stratagem
