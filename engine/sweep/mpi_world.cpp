// MPI for distributed sweeps; compiled against MPI only when STRATAGEM_HAVE_MPI is defined.
#include "sweep/mpi_world.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <string>

#include "stratagem/scenario/error.hpp"

#ifdef STRATAGEM_HAVE_MPI
#include <mpi.h>
#endif

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

World::World() {
  if (!launched()) return;
#ifdef STRATAGEM_HAVE_MPI
  int initialised = 0;
  MPI_Initialized(&initialised);
  if (initialised == 0) MPI_Init(nullptr, nullptr);
  MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
  MPI_Comm_size(MPI_COMM_WORLD, &size_);
  active_ = true;
#else
  if (launcher_size() > 1) {
    throw InputError({"mpirun", 0, 0},
                     fmt::format("launched as one of {} MPI processes, but this stratagem was "
                                 "built without MPI",
                                 launcher_size()),
                     "reconfigure with -DSTRATAGEM_MPI=ON (needs libopenmpi-dev) and rebuild, or "
                     "run without mpirun");
  }
#endif
}

World::~World() {
#ifdef STRATAGEM_HAVE_MPI
  if (active_) {
    int finalised = 0;
    MPI_Finalized(&finalised);
    if (finalised == 0) MPI_Finalize();
  }
#endif
}

void World::barrier() const {
#ifdef STRATAGEM_HAVE_MPI
  if (active_) MPI_Barrier(MPI_COMM_WORLD);
#endif
}

bool World::any(bool flag) const {
#ifdef STRATAGEM_HAVE_MPI
  if (active_) {
    int mine = flag ? 1 : 0, all = 0;
    MPI_Allreduce(&mine, &all, 1, MPI_INT, MPI_LOR, MPI_COMM_WORLD);
    return all != 0;
  }
#endif
  return flag;
}

unsigned long long World::sum(unsigned long long value) const {
#ifdef STRATAGEM_HAVE_MPI
  if (active_) {
    unsigned long long all = 0;
    MPI_Allreduce(&value, &all, 1, MPI_UNSIGNED_LONG_LONG, MPI_SUM, MPI_COMM_WORLD);
    return all;
  }
#endif
  return value;
}

}  // namespace stratagem::sweep_mpi
