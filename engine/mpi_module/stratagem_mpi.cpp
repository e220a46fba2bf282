// The MPI side of distributed sweeps, built as a module (libstratagem_mpi.so) that the
// stratagem executable loads with dlopen only when an MPI launcher started it: a plain run
// never loads Open MPI's libraries, so start-up stays fast (engine/sweep/mpi_world.cpp).
// A C interface, so the executable needs neither MPI's headers nor its libraries.
#include <mpi.h>

#include <cstdlib>

namespace {

/// Tag of the byte messages (stratagem_mpi_send / stratagem_mpi_recv).
constexpr int kBytesTag = 14;
/// Largest piece of a byte message sent at once: MPI counts are ints.
constexpr unsigned long long kPieceBytes = 1ULL << 30;

}  // namespace

extern "C" {

/// Initialises MPI (unless already done); writes this process's rank and the world size.
/// Returns 0 on success.
///
/// A sweep's ranks exchange a few messages, at the end: start-up matters, bandwidth does not.
/// So unless a messaging layer was chosen (`mpirun --mca pml ...`, OMPI_MCA_pml; the environment
/// overrides Open MPI's parameter files), Open MPI is asked for ob1, its portable one (shared
/// memory on a node, TCP between nodes), which spares each process probing for UCX, OFI and PSM
/// network stacks: 0.2-0.3 s of MPI_Init.
int stratagem_mpi_init(int* rank, int* size) {
  int initialised = 0;
  MPI_Initialized(&initialised);
#ifdef OPEN_MPI
  if (initialised == 0) setenv("OMPI_MCA_pml", "ob1", /*overwrite=*/0);
#endif
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

/// Sends `size` bytes to rank `dest` (blocking): a length message, then the bytes in pieces of
/// at most 1 GiB. Messages between two ranks arrive in the order they were sent. Returns 0 on
/// success.
int stratagem_mpi_send(int dest, const void* data, unsigned long long size) {
  if (MPI_Send(&size, 1, MPI_UNSIGNED_LONG_LONG, dest, kBytesTag, MPI_COMM_WORLD) != MPI_SUCCESS) {
    return 1;
  }
  const char* bytes = static_cast<const char*>(data);
  for (unsigned long long sent = 0; sent < size;) {
    const unsigned long long piece = size - sent < kPieceBytes ? size - sent : kPieceBytes;
    if (MPI_Send(bytes + sent, static_cast<int>(piece), MPI_BYTE, dest, kBytesTag,
                 MPI_COMM_WORLD) != MPI_SUCCESS) {
      return 1;
    }
    sent += piece;
  }
  return 0;
}

/// Receives the length of the next message stratagem_mpi_send sent from rank `source` (blocking);
/// the caller then receives the bytes with stratagem_mpi_recv. Returns 0 on success.
int stratagem_mpi_recv_size(int source, unsigned long long* size) {
  return MPI_Recv(size, 1, MPI_UNSIGNED_LONG_LONG, source, kBytesTag, MPI_COMM_WORLD,
                  MPI_STATUS_IGNORE) == MPI_SUCCESS
             ? 0
             : 1;
}

/// Receives the `size` bytes announced by stratagem_mpi_recv_size from rank `source` into `data`
/// (blocking). Returns 0 on success.
int stratagem_mpi_recv(int source, void* data, unsigned long long size) {
  char* bytes = static_cast<char*>(data);
  for (unsigned long long received = 0; received < size;) {
    const unsigned long long piece = size - received < kPieceBytes ? size - received : kPieceBytes;
    if (MPI_Recv(bytes + received, static_cast<int>(piece), MPI_BYTE, source, kBytesTag,
                 MPI_COMM_WORLD, MPI_STATUS_IGNORE) != MPI_SUCCESS) {
      return 1;
    }
    received += piece;
  }
  return 0;
}

}  // extern "C"
