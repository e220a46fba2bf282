#pragma once

#include <atomic>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <boost/program_options.hpp>

#include "stratagem/game/normal_form.hpp"
#include "stratagem/game/tree.hpp"
#include "stratagem/repeated/analysis.hpp"
#include "stratagem/scenario/repeated.hpp"
#include "stratagem/scenario/scenario.hpp"

namespace stratagem::cli {

/// Exit codes (DESIGN.md §6).
inline constexpr int kExitOk = 0;
inline constexpr int kExitBadInput = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitSolverFailure = 3;
/// The output could not be written (full disk, closed pipe, no permission).
inline constexpr int kExitOutputError = 4;
/// Stopped by SIGINT or SIGTERM; what was found before the stop has been printed.
inline constexpr int kExitInterrupted = 130;

/// A usage mistake on the command line (exit code 2).
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Parses a subcommand's arguments against `desc` (which declares "help" and "file") with FILE
/// as the positional argument. Prints the help and returns nullopt for --help; throws
/// UsageError(`missing_file`) when FILE is absent.
[[nodiscard]] std::optional<boost::program_options::variables_map> parse_command_line(
    const std::vector<std::string>& args, const boost::program_options::options_description& desc,
    const std::string& file, const std::string& missing_file);

/// Set by SIGINT/SIGTERM; long work polls it through SolveContext.
std::atomic<bool>& stop_flag();

/// A game loaded from a file of any supported kind, at one parameter point.
struct LoadedGame {
  std::string path;
  std::string kind;                         ///< "scenario", "nfg", "json" or "efg"
  std::optional<Scenario> scenario;         ///< set for scenarios
  /// The strategic game; for a tree, its reduced normal form (nullptr when too large, see
  /// reduced_error).
  std::unique_ptr<NormalFormGame> game;
  /// Set for game trees (.efg files and `type: tree` scenarios).
  std::shared_ptr<const GameTree> tree;
  /// Why a tree's reduced normal form was not built (empty otherwise).
  std::string reduced_error;
  /// The strategic game; throws InputError naming the reason when a tree's reduced normal form
  /// is too large.
  [[nodiscard]] const NormalFormGame& strategic() const;
  /// Builds a tree's reduced normal form if load_game was told not to (`game`, or
  /// `reduced_error` when it is too large); no effect otherwise.
  void ensure_strategic();
  ParameterValues parameters;
  std::vector<std::string> labels;          ///< player labels for display
  std::string title;
};

/// Loads FILE (.yaml/.yml scenario, .nfg, .json game) and binds `--set` overrides. A tree's
/// reduced normal form is built unless `reduce_tree` is false (commands that may run tree
/// methods only build it later with ensure_strategic()). Throws InputError for bad files or values.
[[nodiscard]] LoadedGame load_game(const std::string& path, const std::vector<std::string>& sets,
                                   bool allow_outside_range, bool reduce_tree = true);

/// A repeated scenario bound at one point, with its stage facts and analysed profiles.
struct RepeatedRun {
  RepeatedSetup setup;
  StageFacts facts;
  std::vector<ProfileAnalysis> analyses;
};
/// Analyses the named profiles (`checks`, see `repeated --check`), or every declared profile.
[[nodiscard]] RepeatedRun run_repeated_analysis(const Scenario& scenario, const ParameterValues& values,
                                                const std::vector<std::string>& checks,
                                                const RepeatedOptions& options);

int run_solve(const std::vector<std::string>& args);
int run_repeated(const std::vector<std::string>& args);
int run_explain(const std::vector<std::string>& args);
int run_validate(const std::vector<std::string>& args);
int run_check(const std::vector<std::string>& args);
int run_solvers(const std::vector<std::string>& args);
int run_convert(const std::vector<std::string>& args);
int run_sweep(const std::vector<std::string>& args);
int run_tree(const std::vector<std::string>& args);  // game trees (.efg): SPE and reduced form

}  // namespace stratagem::cli
