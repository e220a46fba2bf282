// Sweep journals (append-only records of completed points) and the final sorted output.
#include "stratagem/sweep/journal.hpp"
#include "solve/parallel.hpp"

#include <fmt/format.h>
#include <tbb/parallel_for.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace stratagem {
namespace {

namespace fs = std::filesystem;

constexpr const char* kMagic = "stratagem-sweep-journal 1";
constexpr double kSyncSeconds = 2.0;

std::uint32_t fnv1a32(std::string_view text) {
  std::uint32_t h = 0x811c9dc5U;
  for (const unsigned char c : text) {
    h ^= c;
    h *= 0x01000193U;
  }
  return h;
}

std::string header_line(const SweepPlan& plan) {
  return fmt::format("{} {} {}\n", kMagic, plan.definition_hash(), plan.size());
}

double now_seconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

std::string lowercase_extension(const std::string& path) {
  std::string ext = fs::path(path).extension().string();
  for (auto& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return ext;
}

}  // namespace

std::string SweepJournal::path_for(const std::string& out, int rank) {
  return rank < 0 ? out + ".journal" : fmt::format("{}.rank{}.journal", out, rank);
}

std::vector<std::string> SweepJournal::existing(const std::string& out) {
  std::vector<std::string> found;
  const fs::path p(out);
  const fs::path dir = p.parent_path().empty() ? fs::path(".") : p.parent_path();
  const std::string base = p.filename().string();
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return found;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (name == base + ".journal") {
      found.push_back(entry.path().string());
      continue;
    }
    const std::string prefix = base + ".rank";
    const std::string suffix = ".journal";
    if (name.size() > prefix.size() + suffix.size() && name.rfind(prefix, 0) == 0 &&
        name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0) {
      const std::string rank =
          name.substr(prefix.size(), name.size() - prefix.size() - suffix.size());
      if (std::all_of(rank.begin(), rank.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        found.push_back(entry.path().string());
      }
    }
  }
  std::sort(found.begin(), found.end());
  return found;
}

std::size_t SweepJournal::read(const std::string& path, const SweepPlan& plan,
                               std::map<std::size_t, std::string>& records,
                               const std::function<bool(std::size_t)>& keep) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return 0;
  std::ostringstream buffer;
  buffer << in.rdbuf();
  const std::string text = buffer.str();
  const auto first = text.find('\n');
  if (first == std::string::npos) return 0;  // torn header: as if empty
  const std::string header = text.substr(0, first + 1);
  if (header != header_line(plan)) {
    std::string theirs = header.substr(0, header.size() - 1);
    throw InputError({path, 1, 1},
                     fmt::format("this journal belongs to a different sweep ('{}'; this sweep is "
                                 "'{}')",
                                 theirs, header_line(plan).substr(0, header_line(plan).size() - 1)),
                     "resume with exactly the options and scenario of the interrupted sweep, or "
                     "delete the journal to start over");
  }
  std::size_t valid = first + 1;
  std::size_t pos = first + 1;
  while (pos < text.size()) {
    const auto end = text.find('\n', pos);
    if (end == std::string::npos) break;  // torn tail
    const std::string_view line(text.data() + pos, end - pos);
    pos = end + 1;
    const auto s1 = line.find(' ');
    const auto s2 = s1 == std::string_view::npos ? s1 : line.find(' ', s1 + 1);
    if (s2 == std::string_view::npos) continue;
    const std::string_view index_text = line.substr(0, s1);
    const std::string_view sum_text = line.substr(s1 + 1, s2 - s1 - 1);
    const std::string_view json = line.substr(s2 + 1);
    std::size_t index = 0;
    bool ok = !index_text.empty();
    for (const char c : index_text) {
      ok = ok && c >= '0' && c <= '9';
      index = index * 10 + static_cast<std::size_t>(c - '0');
    }
    if (!ok || index >= plan.size()) continue;
    if (sum_text != fmt::format("{:08x}", fnv1a32(json))) continue;
    valid = pos;
    if (!keep || keep(index)) records.emplace(index, std::string(json));
  }
  return valid;
}

SweepJournal::SweepJournal(std::string path, const SweepPlan& plan, bool fresh)
    : path_(std::move(path)), plan_(&plan) {
  std::size_t keep = 0;
  if (!fresh && fs::exists(path_)) {
    std::map<std::size_t, std::string> ignored;
    keep = read(path_, plan, ignored);
    std::error_code ec;
    if (keep < fs::file_size(path_, ec)) fs::resize_file(path_, keep, ec);
  }
  errno = 0;
  file_ = std::fopen(path_.c_str(), keep > 0 ? "ab" : "wb");
  if (file_ == nullptr) {
    throw InputError({path_, 0, 0},
                     fmt::format("cannot write the sweep journal: {}", std::strerror(errno)),
                     "check that the directory of --out exists and is writable");
  }
  if (keep == 0) {
    const std::string header = header_line(plan);
    if (std::fwrite(header.data(), 1, header.size(), file_) != header.size() ||
        std::fflush(file_) != 0) {
      const int error_number = errno;
      std::fclose(file_);
      file_ = nullptr;
      throw output_error(path_, error_number);
    }
    sync();
  }
  last_sync_ = now_seconds();
}

SweepJournal::~SweepJournal() {
  if (file_ != nullptr) {
    std::fflush(file_);
    ::fsync(fileno(file_));
    std::fclose(file_);
  }
}

std::string SweepJournal::record_line(const SweepPlan& plan, const SweepPoint& point) {
  const std::string json =
      point_to_json(plan, point).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return fmt::format("{} {:08x} {}\n", point.index, fnv1a32(json), json);
}

void SweepJournal::append(std::span<const SweepPoint> points) {
  std::string text;
  for (const auto& point : points) {
    text += point.record.empty() ? record_line(*plan_, point) : point.record;
  }
  errno = 0;
  if (std::fwrite(text.data(), 1, text.size(), file_) != text.size() || std::fflush(file_) != 0) {
    throw output_error(path_, errno);
  }
  if (now_seconds() - last_sync_ >= kSyncSeconds) sync();
}

void SweepJournal::sync() {
  std::fflush(file_);
  ::fsync(fileno(file_));
  last_sync_ = now_seconds();
}

std::map<std::size_t, std::string> read_journals(const std::string& out, const SweepPlan& plan,
                                                 const std::function<bool(std::size_t)>& keep) {
  std::map<std::size_t, std::string> records;
  for (const auto& path : SweepJournal::existing(out)) {
    SweepJournal::read(path, plan, records, keep);
  }
  return records;
}

SweepFormat sweep_format_for(const std::string& path) {
  const std::string ext = lowercase_extension(path);
  if (ext == ".csv") return SweepFormat::kCsv;
  if (ext == ".jsonl" || ext == ".ndjson") return SweepFormat::kJsonLines;
  throw InputError({"--out", 0, 0},
                   fmt::format("cannot tell the output format of '{}' from its extension", path),
                   "name the file .csv (one row per point and equilibrium) or .jsonl (one JSON "
                   "object per point)");
}

std::string render_sweep_output(SweepFormat format, const SweepPlan& plan,
                                std::span<const SweepPoint> points) {
  std::string out;
  if (format == SweepFormat::kCsv) {
    out = csv_header(plan);
    for (const auto& p : points) out += csv_rows(plan, p);
  } else {
    for (const auto& p : points) out += jsonl_line(plan, p);
  }
  return out;
}

SweepOutputFile::SweepOutputFile(std::string out) : out_(std::move(out)), tmp_(out_ + ".tmp") {
  errno = 0;
  file_ = std::fopen(tmp_.c_str(), "wb");
  if (file_ == nullptr) {
    throw InputError({out_, 0, 0},
                     fmt::format("cannot write the output file: {}", std::strerror(errno)),
                     "check that its directory exists and is writable");
  }
}

SweepOutputFile::~SweepOutputFile() {
  if (file_ == nullptr) return;
  std::fclose(file_);
  std::error_code ignored;
  fs::remove(tmp_, ignored);
}

void SweepOutputFile::write(std::string_view text) {
  errno = 0;
  if (std::fwrite(text.data(), 1, text.size(), file_) != text.size()) {
    throw output_error(out_, errno);
  }
}

void SweepOutputFile::commit() {
  errno = 0;
  int error_number = std::fflush(file_) != 0 ? errno : 0;
  ::fsync(fileno(file_));
  if (std::fclose(file_) != 0 && error_number == 0) error_number = errno;
  file_ = nullptr;
  std::error_code ec;
  if (error_number != 0) {
    fs::remove(tmp_, ec);
    throw output_error(out_, error_number);
  }
  fs::rename(tmp_, out_, ec);
  if (ec) throw OutputError(out_, ec.message());
}

void write_sweep_output(const std::string& out, SweepFormat format, const SweepPlan& plan,
                        std::span<const SweepPoint> points) {
  SweepOutputFile file(out);
  if (format == SweepFormat::kCsv) file.write(csv_header(plan));
  // Slices of kSlice points are rendered kBatch at a time in parallel, then written in order,
  // so that a large sweep does not hold the whole text at once.
  constexpr std::size_t kSlice = 4096;
  constexpr std::size_t kBatch = 16;
  std::vector<std::string> texts(kBatch);
  for (std::size_t i = 0; i < points.size(); i += kSlice * kBatch) {
    parallel::prepare_workers();
    tbb::parallel_for(std::size_t{0}, kBatch, [&](std::size_t b) {
      std::string& text = texts[b];
      text.clear();
      const std::size_t from = std::min(points.size(), i + b * kSlice);
      const std::size_t to = std::min(points.size(), from + kSlice);
      for (std::size_t k = from; k < to; ++k) {
        text +=
            format == SweepFormat::kCsv ? csv_rows(plan, points[k]) : jsonl_line(plan, points[k]);
      }
    });
    for (const auto& text : texts) file.write(text);
  }
  file.commit();
}

}  // namespace stratagem
