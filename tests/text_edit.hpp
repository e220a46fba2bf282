#pragma once
// Test helper: edits of scenario text for error tests.

#include <string>

#include <catch2/catch.hpp>

namespace stratagem::testing {

/// `text` with the first occurrence of `from` replaced by `to`; the test fails when `from` is
/// missing (so an edit that no longer applies cannot pass silently).
inline std::string replaced(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}

}  // namespace stratagem::testing
