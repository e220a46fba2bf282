#include "stratagem/scenario/error.hpp"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

namespace stratagem {
namespace {

std::string format_error(const SourceMark& mark, const std::string& message,
                         const std::string& hint) {
  std::string where = mark.file.empty() ? std::string("<input>") : mark.file;
  if (mark.line > 0) {
    where += fmt::format(":{}", mark.line);
    if (mark.column > 0) where += fmt::format(":{}", mark.column);
  }
  std::string text = fmt::format("{}: error: {}", where, message);
  if (!hint.empty()) text += fmt::format("\n  hint: {}", hint);
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
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError({path, 0, 0}, "cannot open the file", hint);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace stratagem
