#include "scenario/yaml_reader.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <exception>
#include <sstream>

namespace stratagem::scenario_detail {
namespace {

std::string kind_of(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
      return "nothing";
    case YAML::NodeType::Scalar:
      return fmt::format("'{}'", node.Scalar());
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Map:
      return "a mapping";
  }
  return "something else";
}

bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r'; }
bool is_space(char c) { return is_blank(c) || c == '\n'; }

SourceMark position_of(const std::string& file, const std::string& text, std::size_t index) {
  int line = 1;
  std::size_t line_start = 0;
  for (std::size_t i = 0; i < index && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      line_start = i + 1;
    }
  }
  return {file, line, static_cast<int>(index - line_start) + 1};
}

/// Index just past the quoted scalar that starts at `i`, or npos when it is not closed.
std::size_t skip_quoted(const std::string& text, std::size_t i) {
  const char quote = text[i];
  for (std::size_t j = i + 1; j < text.size(); ++j) {
    if (quote == '"' && text[j] == '\\') {
      ++j;
    } else if (text[j] == quote) {
      if (quote == '\'' && j + 1 < text.size() && text[j + 1] == '\'') {
        ++j;
      } else {
        return j + 1;
      }
    }
  }
  return std::string::npos;
}

/// Index just past the flow collection that starts at `i`, or npos when it is not closed.
std::size_t skip_flow(const std::string& text, std::size_t i) {
  int depth = 0;
  bool scalar_start = true;
  while (i < text.size()) {
    const char c = text[i];
    if (c == '{' || c == '[') {
      ++depth;
      scalar_start = true;
    } else if (c == '}' || c == ']') {
      if (--depth == 0) return i + 1;
      scalar_start = false;
    } else if (c == ',' || c == ':' || c == '?') {
      scalar_start = true;
    } else if (c == '#' && i > 0 && is_space(text[i - 1])) {
      while (i < text.size() && text[i] != '\n') ++i;
      continue;
    } else if ((c == '"' || c == '\'') && scalar_start) {
      i = skip_quoted(text, i);
      if (i == std::string::npos) return i;
      scalar_start = false;
      continue;
    } else if (!is_space(c)) {
      scalar_start = false;
    }
    ++i;
  }
  return std::string::npos;
}

bool starts_marker(const std::string& text, std::size_t i, const char* marker) {
  if (text.compare(i, 3, marker) != 0) return false;
  return i + 3 >= text.size() || is_space(text[i + 3]);
}

/// yaml-cpp 0.7 allocates without bound when it meets a ',' at document level (e.g. after a
/// root that is a list, a quoted scalar or a flow collection, or after a document marker).
/// A scenario is one document whose root is a mapping, so anything else is rejected here,
/// before yaml-cpp sees it.
void reject_parser_traps(const std::string& text, const std::string& file) {
  // The first content, after blank lines, comments, directives and one '---'.
  std::size_t i = 0;
  bool seen_marker = false;
  while (i < text.size()) {
    if (text[i] == '%') {
      i = text.find('\n', i);
      if (i == std::string::npos) return;
      ++i;
      continue;
    }
    if (starts_marker(text, i, "---")) {
      if (seen_marker) {
        throw InputError(position_of(file, text, i),
                         "more than one YAML document ('---') in a scenario file",
                         "put one scenario in each file");
      }
      seen_marker = true;
      i += 3;
    }
    while (i < text.size() && is_blank(text[i])) ++i;
    if (i < text.size() && text[i] != '\n' && text[i] != '#') break;  // content
    i = text.find('\n', i);
    if (i == std::string::npos) return;  // no content: reported as an empty file
    ++i;
  }
  if (i >= text.size()) return;
  const SourceMark where = position_of(file, text, i);
  const char c = text[i];
  const std::string not_mapping = "the scenario file must be a mapping (key: value), not ";
  const std::string mapping_hint = "start with 'stratagem: 1' and 'name: ...' on separate lines";
  if (c == '{') {
    const std::size_t end = skip_flow(text, i);
    if (end == std::string::npos) return;  // unterminated: yaml-cpp reports it
    for (std::size_t j = end; j < text.size(); ++j) {
      if (text[j] == '#') {
        while (j < text.size() && text[j] != '\n') ++j;
      } else if (!is_space(text[j])) {
        throw InputError(position_of(file, text, j),
                         "malformed YAML: text after the closing '}' of the scenario",
                         "remove it, or move it inside the braces");
      }
    }
    return;
  }
  if (c == '[' || (c == '-' && (i + 1 >= text.size() || is_space(text[i + 1])))) {
    throw InputError(where, not_mapping + "a list", mapping_hint);
  }
  if (c == '!' || c == '&' || c == '*') {
    throw InputError(where, "tags, anchors and aliases cannot start a scenario file", mapping_hint);
  }
  if (std::string(",]}?:|>@`").find(c) != std::string::npos) {
    throw InputError(where, fmt::format("malformed YAML: unexpected '{}' at the start", c),
                     mapping_hint);
  }
  if (c == '"' || c == '\'') {
    std::size_t after_key = skip_quoted(text, i);
    if (after_key == std::string::npos) return;  // unterminated: yaml-cpp reports it
    while (after_key < text.size() && is_blank(text[after_key])) ++after_key;
    if (after_key >= text.size() || text[after_key] != ':') {
      throw InputError(where, not_mapping + "a single quoted text", mapping_hint);
    }
  } else {
    const std::size_t eol = std::min(text.find('\n', i), text.size());
    bool found = false;
    for (std::size_t j = i; j < eol && !found; ++j) {
      if (text[j] == '#' && is_blank(text[j - 1])) break;
      found = text[j] == ':' && (j + 1 >= eol || is_blank(text[j + 1]));
    }
    if (!found) throw InputError(where, not_mapping + "a single text", mapping_hint);
  }
  if (i > 0 && text[i - 1] != '\n') {
    // A root indented by some columns ends at the first line indented less, which returns
    // yaml-cpp to document level (the trap above); scenarios start their keys at column 1.
    throw InputError(where, "the scenario's top-level keys must start at the beginning of the line",
                     "remove the spaces before 'stratagem:', 'name:' and the other top-level "
                     "keys");
  }
  // A block mapping: document markers and directives at the start of a later line would
  // return yaml-cpp to document level.
  for (std::size_t line = text.find('\n', i); line != std::string::npos;
       line = text.find('\n', line + 1)) {
    const std::size_t j = line + 1;
    if (j >= text.size()) break;
    // yaml-cpp takes any '%' at the start of a line for a directive.
    const bool directive = text[j] == '%';
    if (starts_marker(text, j, "...")) {
      // A document end marker is fine when only blanks and comments follow it.
      bool trailing_only = true;
      for (std::size_t k = j + 3; k < text.size() && trailing_only; ++k) {
        if (text[k] == '#') {
          while (k < text.size() && text[k] != '\n') ++k;
        } else {
          trailing_only = is_space(text[k]);
        }
      }
      if (trailing_only) break;
    }
    if (starts_marker(text, j, "---") || starts_marker(text, j, "...") || directive) {
      throw InputError(position_of(file, text, j),
                       "more than one YAML document ('---', '...' or a directive) in a scenario "
                       "file",
                       "put one scenario in each file");
    }
  }
}

}  // namespace

YAML::Node load_yaml(const std::string& text, const std::string& file) {
  reject_parser_traps(text, file);
  std::vector<YAML::Node> documents;
  try {
    documents = YAML::LoadAll(text);
  } catch (const YAML::Exception& e) {
    SourceMark where{file, 0, 0};
    if (!e.mark.is_null()) where = {file, e.mark.line + 1, e.mark.column + 1};
    throw InputError(where, fmt::format("malformed YAML: {}", e.msg),
                     "check indentation, brackets and quotes near here; quote text containing "
                     "':' or '#'");
  } catch (const std::exception& e) {
    throw InputError({file, 0, 0}, fmt::format("cannot read YAML: {}", e.what()),
                     "check that the file is a YAML scenario");
  }
  if (documents.size() > 1) {
    const YAML::Mark m = documents[1].Mark();
    throw InputError({file, m.is_null() ? 0 : m.line + 1, m.is_null() ? 0 : m.column + 1},
                     "more than one YAML document ('---') in a scenario file",
                     "put one scenario in each file");
  }
  bool blank = true;  // only blanks, comments and document markers
  std::istringstream lines(text);
  for (std::string line; blank && std::getline(lines, line);) {
    const std::size_t first = line.find_first_not_of(" \t\r");
    blank = first == std::string::npos || line[first] == '#' || line.rfind("---", 0) == 0 ||
            line.rfind("...", 0) == 0;
  }
  if (documents.empty() && !blank) {
    throw InputError({file, 1, 1}, "malformed YAML: no document could be read",
                     "check the start of the file: it should be 'stratagem: 1'");
  }
  if (documents.empty() || documents[0].IsNull()) {
    throw InputError({file, 1, 1}, "the scenario file is empty",
                     "start with 'stratagem: 1' and 'name: ...'");
  }
  return documents[0];
}

SourceMark Reader::mark(const YAML::Node& node, const SourceMark& fallback) const {
  if (!node.IsDefined() || node.IsNull()) return fallback;
  const YAML::Mark m = node.Mark();
  if (m.is_null() || m.line < 0) return fallback;
  return {file_, m.line + 1, m.column + 1};
}

std::string Reader::text(const YAML::Node& node, const SourceMark& where,
                         const std::string& what) const {
  if (!node.IsScalar()) {
    throw InputError(mark(node, where), fmt::format("{} must be text, not {}", what, kind_of(node)),
                     fmt::format("write {}: \"...\"", what));
  }
  return node.Scalar();
}

Formula Reader::formula(const YAML::Node& node, const SourceMark& where,
                        const std::string& what) const {
  if (!node.IsScalar()) {
    throw InputError(mark(node, where),
                     fmt::format("{} must be a number or a formula, not {}", what, kind_of(node)),
                     "write a number like 0.5 or a quoted formula like \"a * b\"");
  }
  SourceMark start = mark(node, where);
  const bool quoted = node.Tag() == "!";
  if (quoted && start.column > 0) ++start.column;
  std::string value = node.Scalar();
  if (!quoted && (value == "true" || value == "false")) {
    return Formula::number(value == "true" ? 1.0 : 0.0, start);
  }
  if (value.find_first_not_of(" \t\r\n") == std::string::npos) {
    throw InputError(start, fmt::format("{} is empty", what),
                     "write a number like 0.5 or a quoted formula like \"a * b\"");
  }
  return make_formula(std::move(value), start);
}

std::vector<YAML::Node> Reader::sequence(const YAML::Node& node, const SourceMark& where,
                                         const std::string& what) const {
  if (!node.IsSequence()) {
    throw InputError(mark(node, where),
                     fmt::format("{} must be a list, not {}", what, kind_of(node)),
                     fmt::format("write {} as [a, b, ...] or as lines starting with '- '", what));
  }
  std::vector<YAML::Node> items;
  items.reserve(node.size());
  for (const auto& item : node) items.push_back(item);
  return items;
}

std::vector<std::string> Reader::strings(const YAML::Node& node, const SourceMark& where,
                                         const std::string& what) const {
  if (node.IsScalar()) return {node.Scalar()};
  std::vector<std::string> result;
  for (const auto& item : sequence(node, where, what)) {
    result.push_back(text(item, mark(node, where), fmt::format("each entry of {}", what)));
  }
  return result;
}

MapView::MapView(const Reader& reader, const YAML::Node& node, const SourceMark& where,
                 const std::string& what)
    : reader_(&reader), mark_(reader.mark(node, where)), what_(what) {
  if (!node.IsDefined() || node.IsNull()) return;
  if (!node.IsMap()) {
    throw InputError(mark_,
                     fmt::format("{} must be a mapping (key: value), not {}", what, kind_of(node)),
                     fmt::format("write {} as 'key: value' lines or {{key: value, ...}}", what));
  }
  for (auto it = node.begin(); it != node.end(); ++it) {
    const YAML::Node key = it->first;
    Entry entry;
    entry.key_mark = reader.mark(key, mark_);
    if (!key.IsScalar() || key.Scalar().empty()) {
      throw InputError(entry.key_mark, fmt::format("a key in {} is not a plain name", what),
                       "keys are plain names like 'japan' or 'offer_two'");
    }
    entry.key = key.Scalar();
    entry.key_quoted = key.Tag() == "!";
    entry.value = it->second;
    entry.value_mark = reader.mark(entry.value, entry.key_mark);
    for (const auto& previous : entries_) {
      if (previous.key == entry.key) {
        throw InputError(entry.key_mark,
                         fmt::format("duplicate key '{}' in {}; first defined{}", entry.key, what,
                                     line_ref(previous.key_mark)),
                         fmt::format("remove or rename one of the two '{}' entries", entry.key));
      }
    }
    entries_.push_back(std::move(entry));
  }
}

const Entry* MapView::find(const std::string& key) const {
  for (const auto& entry : entries_) {
    if (entry.key == key) return &entry;
  }
  return nullptr;
}

void MapView::allow_only(const std::vector<std::string>& allowed) const {
  for (const auto& entry : entries_) {
    bool ok = false;
    for (const auto& key : allowed) ok = ok || key == entry.key;
    if (ok) continue;
    std::string keys;
    for (const auto& key : allowed) keys += (keys.empty() ? "" : ", ") + key;
    throw InputError(
        entry.key_mark,
        fmt::format("unknown key '{}' in {}{}", entry.key, what_, did_you_mean(entry.key, allowed)),
        fmt::format("allowed keys here: {}", keys));
  }
}

const Entry& MapView::require(const std::string& key, const std::string& hint) const {
  if (const Entry* entry = find(key)) return *entry;
  throw InputError(mark_, fmt::format("missing '{}:' in {}", key, what_), hint);
}

std::string line_ref(const SourceMark& mark) {
  if (mark.line <= 0) return "";
  return fmt::format(" at line {}", mark.line);
}

}  // namespace stratagem::scenario_detail
