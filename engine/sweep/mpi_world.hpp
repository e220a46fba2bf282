// MPI for distributed sweeps (engine-private). Everything here works without MPI: a process
// not launched by mpirun (or a build without STRATAGEM_MPI) is rank 0 of 1 and never calls MPI.
#pragma once

#include <string>
#include <string_view>

namespace stratagem::sweep_mpi {

/// True when this process was started by an MPI launcher (OMPI_COMM_WORLD_SIZE, PMI_SIZE or
/// PMIX_RANK in the environment).
[[nodiscard]] bool launched();
/// True when this build includes MPI support (CMake option STRATAGEM_MPI).
[[nodiscard]] bool compiled_in();

/// The MPI world for one command: initialises MPI on construction when launched() and
/// compiled_in(), finalises on destruction. Inactive otherwise (rank 0 of 1; every collective
/// is a no-op). Throws InputError when launched with several ranks by a build without MPI.
/// One per process; not thread-safe (call from the main thread).
class World {
 public:
  World();
  ~World();
  World(const World&) = delete;
  World& operator=(const World&) = delete;

  [[nodiscard]] bool active() const { return active_; }
  [[nodiscard]] int rank() const { return rank_; }
  [[nodiscard]] int size() const { return size_; }
  /// Waits for every rank.
  void barrier() const;
  /// Logical OR of `flag` over the ranks.
  [[nodiscard]] bool any(bool flag) const;
  /// Sum of `value` over the ranks.
  [[nodiscard]] unsigned long long sum(unsigned long long value) const;
  /// Sends `bytes` to rank `dest` (point to point, blocking until the bytes are buffered or
  /// received); messages from one rank to another arrive in the order sent. Any size (split
  /// into pieces below MPI's int counts). Throws std::runtime_error when inactive or on failure.
  void send(int dest, std::string_view bytes) const;
  /// Receives the next message send() sent from rank `source` (blocking). Throws
  /// std::runtime_error when inactive or on failure.
  [[nodiscard]] std::string receive(int source) const;

 private:
  bool active_ = false;
  int rank_ = 0;
  int size_ = 1;
};

}  // namespace stratagem::sweep_mpi
