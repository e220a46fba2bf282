// How a sweep's points are dealt to MPI ranks, and how the output is assembled from the ranks'
// shares (engine-private). Each rank renders the output text of its own points as it computes
// them; at the end the other ranks send rank 0 their tallies and then their text, block by block
// in point order, and rank 0 writes its own blocks and theirs in turn. Rank 0's work at the end
// grows with the number of points, not with ranks × points, and no record is parsed again. A
// process not started by an MPI launcher is rank 0 of 1 and takes the same path.
#pragma once

#include <cstddef>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "stratagem/sweep/sweep.hpp"
#include "sweep/mpi_world.hpp"
#include "sweep/tally.hpp"

namespace stratagem {

/// Points per block: block b, points [kRankBlock·b, kRankBlock·(b + 1)), is computed by rank
/// b mod ranks (block-cyclic, so every rank gets a fair mix of the sweep).
inline constexpr std::size_t kRankBlock = 16;

/// The rank that computes point `index` when `ranks` ranks share a sweep.
[[nodiscard]] inline int rank_of_point(std::size_t index, int ranks) {
  return static_cast<int>((index / kRankBlock) % static_cast<std::size_t>(ranks));
}

/// Number of the `points` points of a sweep that rank `rank` of `ranks` computes.
[[nodiscard]] std::size_t share_size(std::size_t points, int rank, int ranks);

/// The rendered output (CSV rows or JSON Lines) of the points of one rank's share, held until
/// the end of the sweep: one copy of the text plus 32 bytes a point. Not thread-safe.
class RenderedShare {
 public:
  /// Takes each point's SweepPoint::rendered (moved out). Each point is added once, in any order.
  void add(std::span<SweepPoint> points);
  /// Number of points added.
  [[nodiscard]] std::size_t size() const { return pieces_.size(); }
  /// Orders the points by index; call once, after the last add() and before append().
  void seal();
  /// Appends the text of the points with index in [from, to) to `out`, in index order.
  /// O(log size + text).
  void append(std::size_t from, std::size_t to, std::string& out) const;

 private:
  struct Piece {
    std::size_t index = 0;
    std::size_t chunk = 0;   ///< position in chunks_
    std::size_t offset = 0;  ///< of the text in its chunk
    std::size_t size = 0;
  };
  std::vector<std::string> chunks_;  ///< the text of each add(), concatenated
  std::vector<Piece> pieces_;
};

/// On a rank other than 0: sends rank 0 `tally`, then the text of this rank's blocks of a sweep
/// of `points` points in messages of about 4 MB (whole blocks). `share` must be sealed and hold
/// the rank's whole share. Blocking: returns when rank 0 has taken the last message (see
/// receive_tallies and assemble_output, which rank 0 calls in that order).
void send_share(const sweep_mpi::World& world, std::size_t points, const SweepTally& tally,
                const RenderedShare& share);

/// On rank 0: receives the tally of every other rank and merges it into `tally`.
void receive_tallies(const sweep_mpi::World& world, SweepTally& tally);

/// On rank 0 (or a process without MPI): calls `write` with the whole output text of a sweep of
/// `points` points, in point order, in pieces of about 1 MB: its own blocks from `own` (sealed,
/// the whole share), the other ranks' blocks as they send them (send_share), one message at a
/// time. When `write` throws, the remaining messages are still received (so that no rank is left
/// waiting), then the exception is rethrown.
void assemble_output(const sweep_mpi::World& world, std::size_t points, const RenderedShare& own,
                     const std::function<void(std::string_view)>& write);

}  // namespace stratagem
