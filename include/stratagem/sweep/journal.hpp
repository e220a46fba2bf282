#pragma once

#include <cstdio>
#include <functional>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "stratagem/sweep/sweep.hpp"

namespace stratagem {

/// Where a sweep's completed points are recorded while it runs, so that an interrupted sweep
/// (Ctrl-C, kill -9, power loss) resumes without losing or repeating work.
///
/// Format: a header line `stratagem-sweep-journal 1 <definition hash> <points>`, then one line
/// per completed point: `<index> <fnv1a-32 of the JSON, 8 hex digits> <point JSON>`. A line is
/// valid only when complete ('\n'-terminated) with a matching checksum; anything else (a torn
/// tail after kill -9) is ignored and cut off before appending. One process (or MPI rank) writes
/// each journal; journals are named after the output file: OUT.journal, or OUT.rank<k>.journal
/// under MPI. Not thread-safe: callers serialise append().
class SweepJournal {
 public:
  /// Journal path for output `out`; `rank` < 0 for a single process.
  [[nodiscard]] static std::string path_for(const std::string& out, int rank);
  /// Existing journals of `out` (single-process and per-rank), sorted by name.
  [[nodiscard]] static std::vector<std::string> existing(const std::string& out);

  /// Reads the valid records of the journal at `path` into `records` (index -> JSON text; an
  /// index already present is kept), only those whose index satisfies `keep` when it is given.
  /// Throws InputError when the header names another sweep definition or point count. Returns
  /// the byte length of the valid prefix.
  static std::size_t read(const std::string& path, const SweepPlan& plan,
                          std::map<std::size_t, std::string>& records,
                          const std::function<bool(std::size_t)>& keep = {});

  /// Opens `path` for appending: `fresh` truncates it; otherwise a valid existing journal of
  /// this plan is kept and its torn tail, if any, cut off. Writes the header when empty.
  /// Throws InputError when the file cannot be written.
  SweepJournal(std::string path, const SweepPlan& plan, bool fresh);
  ~SweepJournal();
  SweepJournal(const SweepJournal&) = delete;
  SweepJournal& operator=(const SweepJournal&) = delete;

  /// Appends one record per point and flushes to the OS (survives kill -9); fsyncs at most
  /// every `sync_seconds` (power loss). Throws std::runtime_error on a write error.
  void append(std::span<const SweepPoint> points);
  /// The journal line of a point ("index checksum json\n"), as append() writes it; append() uses
  /// SweepPoint::record instead when it is set (prepared in parallel by run_points). Thread-safe.
  [[nodiscard]] static std::string record_line(const SweepPlan& plan, const SweepPoint& point);
  /// Flushes and fsyncs.
  void sync();
  [[nodiscard]] const std::string& path() const { return path_; }

 private:
  std::string path_;
  const SweepPlan* plan_;
  std::FILE* file_ = nullptr;
  double last_sync_ = 0.0;
};

/// Every record in the journals of `out`, by index (see SweepJournal::read); only those whose
/// index satisfies `keep` when it is given (e.g. one MPI rank's share).
[[nodiscard]] std::map<std::size_t, std::string> read_journals(
    const std::string& out, const SweepPlan& plan,
    const std::function<bool(std::size_t)>& keep = {});

/// Output sink format, from the file extension: ".csv" or ".jsonl" (also ".ndjson").
enum class SweepFormat { kCsv, kJsonLines };
/// The format for `path`; throws InputError for another extension.
[[nodiscard]] SweepFormat sweep_format_for(const std::string& path);

/// An output file written atomically: the text goes to `OUT.tmp`, and commit() flushes, fsyncs
/// and renames it to `OUT`; destroyed without commit(), the temporary file is removed and `OUT`
/// is untouched. Not thread-safe.
class SweepOutputFile {
 public:
  /// Creates `out` + ".tmp". Throws InputError when it cannot.
  explicit SweepOutputFile(std::string out);
  ~SweepOutputFile();
  SweepOutputFile(const SweepOutputFile&) = delete;
  SweepOutputFile& operator=(const SweepOutputFile&) = delete;

  /// Appends `text` (buffered). Throws OutputError on a write error.
  void write(std::string_view text);
  /// Flushes, fsyncs, closes and renames the temporary file to the output. Throws OutputError.
  void commit();

 private:
  std::string out_;
  std::string tmp_;
  std::FILE* file_ = nullptr;
};

/// Writes the complete, sorted output for `points` (which must hold every point of the plan,
/// in index order) to `out` atomically (temporary file + rename).
void write_sweep_output(const std::string& out, SweepFormat format, const SweepPlan& plan,
                        std::span<const SweepPoint> points);
/// The same content as a string (CSV header + rows, or JSON Lines).
[[nodiscard]] std::string render_sweep_output(SweepFormat format, const SweepPlan& plan,
                                              std::span<const SweepPoint> points);

}  // namespace stratagem
