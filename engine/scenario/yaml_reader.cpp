#include "scenario/yaml_reader.hpp"

#include <exception>

#include <fmt/format.h>

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

}  // namespace

YAML::Node load_yaml(const std::string& text, const std::string& file) {
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
    throw InputError(mark(node, where), fmt::format("{} must be a list, not {}", what, kind_of(node)),
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
    throw InputError(mark_, fmt::format("{} must be a mapping (key: value), not {}", what,
                                        kind_of(node)),
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
    throw InputError(entry.key_mark,
                     fmt::format("unknown key '{}' in {}{}", entry.key, what_,
                                 did_you_mean(entry.key, allowed)),
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
