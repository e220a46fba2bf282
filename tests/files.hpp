#pragma once
// Test helper: scratch files in the temporary directory.

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace stratagem::testing {

/// <temporary directory>/stratagem_<tag>_<pid>, created if missing: one per test process.
inline std::filesystem::path temp_dir(const std::string& tag) {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("stratagem_" + tag + "_" + std::to_string(static_cast<long>(getpid())));
  std::filesystem::create_directories(dir);
  return dir;
}

/// The whole file, byte for byte ("" when it cannot be read).
inline std::string read_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

/// Writes `text` to temp_dir(tag)/name; returns the path.
inline std::string write_temp_file(const std::string& tag, const std::string& name,
                                   const std::string& text) {
  const auto path = temp_dir(tag) / name;
  std::ofstream(path, std::ios::binary) << text;
  return path.string();
}

}  // namespace stratagem::testing
