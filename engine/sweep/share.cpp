// Assembling a sweep's output from the ranks' rendered shares (see share.hpp).
#include "sweep/share.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <exception>
#include <stdexcept>

#include "sweep/bytes.hpp"

namespace stratagem {
namespace {

/// Text of one message from a rank to rank 0 (whole blocks; at least one block).
constexpr std::size_t kMessageBytes = std::size_t{4} << 20;
/// Text handed to `write` at once.
constexpr std::size_t kWriteBytes = std::size_t{1} << 20;

std::size_t block_count(std::size_t points) { return (points + kRankBlock - 1) / kRankBlock; }

/// The next unread message of one rank: per block its text length, then the text.
struct Incoming {
  std::string message;
  std::vector<std::uint64_t> lengths;
  std::size_t next = 0;   ///< next block, in lengths
  std::string_view text;  ///< the text not yet taken
};

void receive_message(const sweep_mpi::World& world, int rank, Incoming& in) {
  in.message = world.receive(rank);
  sweep_bytes::Reader reader(in.message);
  const std::uint64_t blocks = reader.u64();
  if (blocks == 0 || blocks > in.message.size() / 8) {
    throw std::runtime_error(fmt::format("malformed output message from MPI rank {}", rank));
  }
  in.lengths.resize(blocks);
  std::uint64_t total = 0;
  for (auto& length : in.lengths) total += length = reader.u64();
  in.text = reader.take(total);
  if (!reader.done()) {
    throw std::runtime_error(fmt::format("malformed output message from MPI rank {}", rank));
  }
  in.next = 0;
}

}  // namespace

std::size_t share_size(std::size_t points, int rank, int ranks) {
  const std::size_t blocks = block_count(points);
  const auto r = static_cast<std::size_t>(rank);
  const auto n = static_cast<std::size_t>(ranks);
  if (r >= blocks) return 0;
  // Blocks r, r + n, ...; only the last block of the sweep may be short.
  const std::size_t mine = (blocks - 1 - r) / n + 1;
  const std::size_t last = r + (mine - 1) * n;
  return last == blocks - 1 ? (mine - 1) * kRankBlock + (points - last * kRankBlock)
                            : mine * kRankBlock;
}

void RenderedShare::add(std::span<SweepPoint> points) {
  std::size_t bytes = 0;
  for (const auto& p : points) bytes += p.rendered.size();
  std::string& chunk = chunks_.emplace_back();
  chunk.reserve(bytes);
  for (auto& p : points) {
    pieces_.push_back({.index = p.index,
                       .chunk = chunks_.size() - 1,
                       .offset = chunk.size(),
                       .size = p.rendered.size()});
    chunk += p.rendered;
    p.rendered.clear();
    p.rendered.shrink_to_fit();
  }
}

void RenderedShare::seal() {
  std::sort(pieces_.begin(), pieces_.end(),
            [](const Piece& a, const Piece& b) { return a.index < b.index; });
}

void RenderedShare::append(std::size_t from, std::size_t to, std::string& out) const {
  auto it = std::lower_bound(pieces_.begin(), pieces_.end(), from,
                             [](const Piece& p, std::size_t index) { return p.index < index; });
  for (; it != pieces_.end() && it->index < to; ++it) {
    out.append(chunks_[it->chunk], it->offset, it->size);
  }
}

void send_share(const sweep_mpi::World& world, std::size_t points, const SweepTally& tally,
                const RenderedShare& share) {
  world.send(0, tally.encode());
  const std::size_t blocks = block_count(points);
  const auto ranks = static_cast<std::size_t>(world.size());
  std::vector<std::uint64_t> lengths;
  std::string text;
  const auto send = [&] {
    sweep_bytes::Writer message;
    message.u64(lengths.size());
    for (const auto length : lengths) message.u64(length);
    message.bytes() += text;
    world.send(0, message.bytes());
    lengths.clear();
    text.clear();
  };
  for (std::size_t b = static_cast<std::size_t>(world.rank()); b < blocks; b += ranks) {
    const std::size_t before = text.size();
    share.append(b * kRankBlock, std::min(points, (b + 1) * kRankBlock), text);
    lengths.push_back(text.size() - before);
    if (text.size() >= kMessageBytes) send();
  }
  if (!lengths.empty()) send();
}

void receive_tallies(const sweep_mpi::World& world, SweepTally& tally) {
  for (int rank = 1; rank < world.size(); ++rank) {
    tally.merge(SweepTally::decode(world.receive(rank)));
  }
}

void assemble_output(const sweep_mpi::World& world, std::size_t points, const RenderedShare& own,
                     const std::function<void(std::string_view)>& write) {
  const int ranks = world.size();
  std::vector<Incoming> incoming(static_cast<std::size_t>(ranks));
  std::exception_ptr failure;
  std::string buffer;
  buffer.reserve(kWriteBytes + kMessageBytes);
  const auto flush = [&] {
    if (!failure && !buffer.empty()) {
      try {
        write(buffer);
      } catch (...) {
        failure = std::current_exception();  // keep receiving: the other ranks wait on us
      }
    }
    buffer.clear();
  };
  const std::size_t blocks = block_count(points);
  for (std::size_t b = 0; b < blocks; ++b) {
    const int rank = static_cast<int>(b % static_cast<std::size_t>(ranks));
    if (rank == 0) {
      own.append(b * kRankBlock, std::min(points, (b + 1) * kRankBlock), buffer);
    } else {
      Incoming& in = incoming[static_cast<std::size_t>(rank)];
      if (in.next == in.lengths.size()) receive_message(world, rank, in);
      const auto length = static_cast<std::size_t>(in.lengths[in.next++]);
      buffer += in.text.substr(0, length);
      in.text.remove_prefix(length);
    }
    if (buffer.size() >= kWriteBytes) flush();
  }
  flush();
  if (failure) std::rethrow_exception(failure);
}

}  // namespace stratagem
