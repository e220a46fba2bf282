// Byte strings for messages between MPI ranks of one sweep (engine-private): fixed-width
// integers and doubles in the machine's own representation, and length-prefixed strings. The
// ranks run the same build, so no conversion is needed.
#pragma once

#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>
#include <string_view>

namespace stratagem::sweep_bytes {

/// Appends values to a byte string.
class Writer {
 public:
  void u64(std::uint64_t value) { raw(&value, sizeof value); }
  void f64(double value) { raw(&value, sizeof value); }
  void text(std::string_view value) {
    u64(value.size());
    bytes_.append(value);
  }
  /// Overwrites the u64 at byte `offset` (written earlier with u64()).
  void patch_u64(std::size_t offset, std::uint64_t value) {
    std::memcpy(bytes_.data() + offset, &value, sizeof value);
  }
  [[nodiscard]] std::size_t size() const { return bytes_.size(); }
  [[nodiscard]] std::string& bytes() { return bytes_; }

 private:
  void raw(const void* data, std::size_t size) {
    bytes_.append(static_cast<const char*>(data), size);
  }
  std::string bytes_;
};

/// Reads back what a Writer wrote, in the same order. Throws std::runtime_error when the bytes
/// run out.
class Reader {
 public:
  explicit Reader(std::string_view bytes) : bytes_(bytes) {}
  std::uint64_t u64() {
    std::uint64_t value = 0;
    raw(&value, sizeof value);
    return value;
  }
  double f64() {
    double value = 0;
    raw(&value, sizeof value);
    return value;
  }
  std::string_view text() { return take(u64()); }
  /// The next `size` bytes, as a view into the bytes being read.
  std::string_view take(std::uint64_t size) {
    if (size > bytes_.size() - pos_) throw std::runtime_error("truncated message between ranks");
    const std::string_view out = bytes_.substr(pos_, size);
    pos_ += size;
    return out;
  }
  [[nodiscard]] bool done() const { return pos_ == bytes_.size(); }

 private:
  void raw(void* data, std::size_t size) { std::memcpy(data, take(size).data(), size); }
  std::string_view bytes_;
  std::size_t pos_ = 0;
};

}  // namespace stratagem::sweep_bytes
