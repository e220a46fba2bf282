// The MPI side of distributed sweeps, built as a module (libstratagem_mpi.so) that the
// stratagem executable loads with dlopen only when an MPI launcher started it: a plain run
// never loads Open MPI's libraries, so start-up stays fast (engine/sweep/mpi_world.cpp).
// A C interface, so the executable needs neither MPI's headers nor its libraries.
#include <mpi.h>

extern "C" {

/// Initialises MPI (unless already done); writes this process's rank and the world size.
/// Returns 0 on success.
int stratagem_mpi_init(int* rank, int* size) {
  int initialised = 0;
  MPI_Initialized(&initialised);
  if (initialised == 0 && MPI_Init(nullptr, nullptr) != MPI_SUCCESS) return 1;
  MPI_Comm_rank(MPI_COMM_WORLD, rank);
  MPI_Comm_size(MPI_COMM_WORLD, size);
  return 0;
}

void stratagem_mpi_finalize() {
  int finalised = 0;
  MPI_Finalized(&finalised);
  if (finalised == 0) MPI_Finalize();
}

void stratagem_mpi_barrier() { MPI_Barrier(MPI_COMM_WORLD); }

int stratagem_mpi_any(int flag) {
  int all = 0;
  MPI_Allreduce(&flag, &all, 1, MPI_INT, MPI_LOR, MPI_COMM_WORLD);
  return all;
}

unsigned long long stratagem_mpi_sum(unsigned long long value) {
  unsigned long long all = 0;
  MPI_Allreduce(&value, &all, 1, MPI_UNSIGNED_LONG_LONG, MPI_SUM, MPI_COMM_WORLD);
  return all;
}

}  // extern "C"
