#pragma once

// Private to the engine: reading yaml-cpp nodes with 1-based source marks and InputError on
// every kind of malformed input (wrong node type, duplicate or unknown keys).

#include <yaml-cpp/yaml.h>

#include <string>
#include <vector>

#include "scenario/formula.hpp"
#include "stratagem/scenario/error.hpp"

namespace stratagem::scenario_detail {

/// Parses YAML text into one document. Converts yaml-cpp exceptions into InputError at their
/// line and column; rejects empty input and several documents.
[[nodiscard]] YAML::Node load_yaml(const std::string& text, const std::string& file);

/// Node helpers bound to a file name.
class Reader {
 public:
  explicit Reader(std::string file) : file_(std::move(file)) {}

  [[nodiscard]] const std::string& file() const { return file_; }
  /// 1-based position of `node`, or `fallback` when yaml-cpp has none (e.g. an empty value).
  [[nodiscard]] SourceMark mark(const YAML::Node& node, const SourceMark& fallback) const;
  /// Position at the start of the file.
  [[nodiscard]] SourceMark start() const { return {file_, 1, 1}; }

  /// A scalar as a string; `what` names the value in messages ("name", "unit").
  [[nodiscard]] std::string text(const YAML::Node& node, const SourceMark& where,
                                 const std::string& what) const;
  /// A number or formula scalar; the mark points at the first character inside any quotes.
  [[nodiscard]] Formula formula(const YAML::Node& node, const SourceMark& where,
                                const std::string& what) const;
  /// The items of a sequence (error when `node` is not one).
  [[nodiscard]] std::vector<YAML::Node> sequence(const YAML::Node& node, const SourceMark& where,
                                                 const std::string& what) const;
  /// A sequence of strings, or one scalar as a one-element list.
  [[nodiscard]] std::vector<std::string> strings(const YAML::Node& node, const SourceMark& where,
                                                 const std::string& what) const;

 private:
  std::string file_;
};

/// One key of a mapping.
struct Entry {
  std::string key;
  SourceMark key_mark;
  bool key_quoted = false;  ///< the key was written in quotes
  YAML::Node value;
  SourceMark value_mark;  ///< the value's position (the key's when the value is empty)
};

/// The entries of a mapping in file order, with duplicate keys rejected (error at the second
/// occurrence, naming the first one's line). An empty (null) node is an empty mapping.
class MapView {
 public:
  MapView(const Reader& reader, const YAML::Node& node, const SourceMark& where,
          const std::string& what);

  [[nodiscard]] const std::vector<Entry>& entries() const { return entries_; }
  [[nodiscard]] bool empty() const { return entries_.empty(); }
  /// The entry with `key`, or nullptr.
  [[nodiscard]] const Entry* find(const std::string& key) const;
  /// Throws InputError at the first key not in `allowed`, suggesting the closest allowed key.
  void allow_only(const std::vector<std::string>& allowed) const;
  /// The entry with `key`; throws "missing `key:` in what" when absent.
  [[nodiscard]] const Entry& require(const std::string& key, const std::string& hint) const;
  [[nodiscard]] const SourceMark& mark() const { return mark_; }
  [[nodiscard]] const std::string& what() const { return what_; }

 private:
  const Reader* reader_;
  SourceMark mark_;
  std::string what_;
  std::vector<Entry> entries_;
};

/// " (line N)" style reference to another place in the same file.
[[nodiscard]] std::string line_ref(const SourceMark& mark);

}  // namespace stratagem::scenario_detail
