#include "platform/module.hpp"

#include <dlfcn.h>

#include <cstdlib>
#include <filesystem>
#include <vector>

namespace stratagem::platform {

void* open_module(const char* file_name, const char* env_var, const char* built_path, int flags,
                  std::string& tried) {
  std::vector<std::string> candidates;
  if (const char* given = std::getenv(env_var); given != nullptr && *given != '\0') {
    candidates.emplace_back(given);
  }
  std::error_code error;
  const auto exe = std::filesystem::read_symlink("/proc/self/exe", error);
  if (!error) candidates.push_back((exe.parent_path() / file_name).string());
  if (built_path != nullptr) candidates.emplace_back(built_path);
  tried.clear();
  for (const auto& path : candidates) {
    const std::string separator = tried.empty() ? "" : ", ";
    if (!std::filesystem::exists(path, error)) {
      tried += separator + path + " (missing)";
      continue;
    }
    if (void* handle = dlopen(path.c_str(), flags)) return handle;
    const char* why = dlerror();
    tried += separator + path + " (" + (why != nullptr ? why : "dlopen failed") + ")";
  }
  return nullptr;
}

}  // namespace stratagem::platform
