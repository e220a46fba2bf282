// MPI for distributed sweeps. MPI itself lives in a module, libstratagem_mpi.so
// (engine/mpi_module/), loaded with dlopen only by a process an MPI launcher started.
#include "sweep/mpi_world.hpp"

#include <dlfcn.h>
#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <system_error>
#include <type_traits>

#include "platform/module.hpp"
#include "stratagem/scenario/error.hpp"

namespace stratagem::sweep_mpi {
namespace {

/// World size announced by the launcher, or 0 when not launched by one.
int launcher_size() {
  for (const char* var : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE"}) {
    if (const char* v = std::getenv(var)) return std::max(1, std::atoi(v));
  }
  // PMIx (e.g. srun --mpi=pmix) announces the rank; MPI itself tells the size.
  if (std::getenv("PMIX_RANK") != nullptr) return 1;
  return 0;
}

}  // namespace

bool launched() { return launcher_size() > 0; }

bool compiled_in() {
#ifdef STRATAGEM_HAVE_MPI
  return true;
#else
  return false;
#endif
}

namespace {

/// The functions of libstratagem_mpi.so, loaded on first use by a launched process.
struct Module {
  int (*init)(int*, int*) = nullptr;
  void (*finalize)() = nullptr;
  void (*barrier)() = nullptr;
  int (*any)(int) = nullptr;
  unsigned long long (*sum)(unsigned long long) = nullptr;
  int (*send)(int, const void*, unsigned long long) = nullptr;
  int (*recv_size)(int, unsigned long long*) = nullptr;
  int (*recv)(int, void*, unsigned long long) = nullptr;
};

/// Loads the module (RTLD_GLOBAL: Open MPI loads plugins that need its symbols). Throws
/// InputError naming the file when it cannot.
Module load_module() {
  std::string tried;
  void* handle = platform::open_module("libstratagem_mpi.so", "STRATAGEM_MPI_MODULE", nullptr,
                                       RTLD_NOW | RTLD_GLOBAL, tried);
  const auto fail = [&](const std::string& why) {
    return InputError({"mpirun", 0, 0},
                      fmt::format("cannot load the MPI module libstratagem_mpi.so: {}", why),
                      "build with -DSTRATAGEM_MPI=ON (needs libopenmpi-dev), keep "
                      "libstratagem_mpi.so next to the stratagem executable or name it in "
                      "STRATAGEM_MPI_MODULE, or run without mpirun");
  };
  if (handle == nullptr) throw fail("tried " + tried);
  Module m;
  const auto get = [&](auto& target, const char* name) {
    target = reinterpret_cast<std::remove_reference_t<decltype(target)>>(dlsym(handle, name));
    if (target == nullptr) throw fail(fmt::format("no symbol {}", name));
  };
  get(m.init, "stratagem_mpi_init");
  get(m.finalize, "stratagem_mpi_finalize");
  get(m.barrier, "stratagem_mpi_barrier");
  get(m.any, "stratagem_mpi_any");
  get(m.sum, "stratagem_mpi_sum");
  get(m.send, "stratagem_mpi_send");
  get(m.recv_size, "stratagem_mpi_recv_size");
  get(m.recv, "stratagem_mpi_recv");
  return m;  // the handle stays open for the life of the process
}

Module& module() {
  static Module m;
  return m;
}

}  // namespace

World::World() {
  if (!launched()) return;
  if (!compiled_in()) {
    if (launcher_size() > 1) {
      throw InputError({"mpirun", 0, 0},
                       fmt::format("launched as one of {} MPI processes, but this stratagem was "
                                   "built without MPI",
                                   launcher_size()),
                       "reconfigure with -DSTRATAGEM_MPI=ON (needs libopenmpi-dev) and rebuild, "
                       "or run without mpirun");
    }
    return;
  }
  module() = load_module();
  if (module().init(&rank_, &size_) != 0) {
    throw InputError({"mpirun", 0, 0}, "MPI_Init failed", "check the MPI installation");
  }
  active_ = true;
}

World::~World() {
  if (active_) module().finalize();
}

void World::barrier() const {
  if (active_) module().barrier();
}

bool World::any(bool flag) const {
  if (active_) return module().any(flag ? 1 : 0) != 0;
  return flag;
}

unsigned long long World::sum(unsigned long long value) const {
  if (active_) return module().sum(value);
  return value;
}

void World::send(int dest, std::string_view bytes) const {
  if (!active_) throw std::runtime_error("MPI send without an MPI world");
  if (module().send(dest, bytes.data(), bytes.size()) != 0) {
    throw std::runtime_error(fmt::format("MPI rank {} could not send to rank {}", rank_, dest));
  }
}

std::string World::receive(int source) const {
  if (!active_) throw std::runtime_error("MPI receive without an MPI world");
  unsigned long long size = 0;
  std::string bytes;
  if (module().recv_size(source, &size) == 0) {
    bytes.resize(size);
    if (module().recv(source, bytes.data(), size) == 0) return bytes;
  }
  throw std::runtime_error(
      fmt::format("MPI rank {} could not receive from rank {}", rank_, source));
}

}  // namespace stratagem::sweep_mpi
