#pragma once
// Test helper: paths of the Gambit .efg fixtures in tests/data/efg.

#include <string>

namespace stratagem::testing {

/// tests/data/efg/NAME in the source tree.
inline std::string efg_fixture(const std::string& name) {
  return std::string(STRATAGEM_SOURCE_DIR) + "/tests/data/efg/" + name;
}

}  // namespace stratagem::testing
