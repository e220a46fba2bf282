#pragma once

// Private to the engine: the engine's own loadable modules (libstratagem_*.so), which hold the
// dependencies most runs never need, so that those runs do not load them (docs/performance.md,
// "Start-up").

#include <string>

namespace stratagem::platform {

/// Opens the module `file_name` (e.g. "libstratagem_lp.so") with dlopen `flags`, trying in
/// turn: the path in the environment variable `env_var` when it is set, the directory of the
/// running executable, and `built_path` (where the build put it, so that test and benchmark
/// executables elsewhere in the build tree find it; may be null). Returns the handle, or
/// nullptr with `tried` listing every path tried and why it failed.
void* open_module(const char* file_name, const char* env_var, const char* built_path, int flags,
                  std::string& tried);

}  // namespace stratagem::platform
