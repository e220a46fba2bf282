#pragma once

#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "stratagem/game/normal_form.hpp"
#include "stratagem/scenario/scenario.hpp"
#include "stratagem/solve/solver.hpp"

namespace stratagem {

/// Everything `solve` shows: the game, where it came from, and each method's result.
struct Report {
  std::string source;                       ///< file the game came from
  std::string title;                        ///< scenario name or game title
  ParameterValues parameters;               ///< parameter point (empty for .nfg games)
  std::vector<std::string> player_labels;   ///< display names, in player order
  /// The strategic game (for a tree: its reduced normal form, or nullptr when too large);
  /// not owned; must outlive the report.
  const NormalFormGame* game = nullptr;
  std::vector<std::pair<std::string, SolveResult>> results;  ///< method name -> result
  /// Set when the input is a game tree; not owned.
  const GameTree* tree = nullptr;
  /// Results of tree solvers (method name -> result), shown before `results`.
  std::vector<std::pair<std::string, TreeSolveResult>> tree_results{};
};

/// JSON of a report, following DESIGN.md §9 (keys: stratagem, source, parameters, game,
/// equilibria, analyses). Non-ok solver statuses go under analyses.status.<method>. For a tree,
/// "game" is the tree (tree_to_json) with "reduced_normal_form": {players, actions}; equilibria
/// of tree solvers come first (behaviour_equilibrium_json), then those of strategic-form
/// solvers on the reduced normal form, marked "form": "reduced_normal_form".
[[nodiscard]] nlohmann::json report_to_json(const Report& report);

/// Equilibria as Gambit's command-line tools print them: one line per equilibrium, "NE,"
/// then every probability (the first player's, then the second's, ...) separated by commas;
/// exact fractions ("1/3") when Equilibrium::exact is set, else decimals with 6 places.
/// Analyses are not printed. Methods in report order. A tree equilibrium prints its behaviour
/// probabilities player by player, each player's information sets in tree order (Gambit's order
/// for behaviour profiles).
[[nodiscard]] std::string render_gambit(const Report& report);

/// Options for text output.
/// Text output stays readable and bounded whatever the game's size (JSON keeps everything): a
/// tree outline is cut after kMaxOutlineLines lines, each list of lines of one equilibrium
/// (choices, reasoning) after kMaxLinesPerList, and equilibria after the first
/// kDetailedEquilibria get one line each.
inline constexpr std::size_t kMaxOutlineLines = 400;
inline constexpr std::size_t kMaxLinesPerList = 60;
inline constexpr std::size_t kDetailedEquilibria = 20;

/// The first `limit` lines of `text`, then "INDENT... N more lines of WHAT (--format json lists
/// them all)" when lines were left out.
[[nodiscard]] std::string first_lines(const std::string& text, std::size_t limit,
                                      const std::string& indent, const std::string& what);

/// `lines`, each after `indent` and ending in a newline: at most kMaxLinesPerList, then a line
/// saying how many of `what` were left out.
[[nodiscard]] std::string bounded_lines(const std::vector<std::string>& lines,
                                        const std::string& indent, const std::string& what);

struct TextOptions {
  int max_profile_rows = 200;  ///< n-player games: largest profile table printed
  bool show_game = true;       ///< print the matrix / profile table
};

/// Text for people: the payoff matrix (two players) or profile table (more players) with best
/// responses marked by '*', then each method's equilibria with names and payoffs, then analyses.
[[nodiscard]] std::string render_text(const Report& report, const TextOptions& options = {});

/// Largest two-player game (in pure profiles) whose matrix the text output shows (n-player tables
/// show at most TextOptions::max_profile_rows rows).
inline constexpr std::size_t kMaxShownProfiles = 2'500;

/// The payoff matrix (two players) or profile table with best responses marked; for a
/// two-player game of more than kMaxShownProfiles profiles, one line saying so instead.
[[nodiscard]] std::string render_game(const NormalFormGame& game,
                                      const std::vector<std::string>& player_labels,
                                      const TextOptions& options = {});

/// A probability or payoff for people: "1/3" when a small fraction matches to 1e-12,
/// otherwise up to 6 significant digits.
[[nodiscard]] std::string format_number(double x);

/// A payoff or parameter for people: up to 6 significant digits, "0" for rounding noise.
[[nodiscard]] std::string format_payoff(double x);

/// An equilibrium in words: "russia: offer_two; japan: accept" or with probabilities.
[[nodiscard]] std::string describe_profile(const NormalFormGame& game, const MixedProfile& profile,
                                           const std::vector<std::string>& player_labels);

/// Plain-sentence reasoning for a student: best replies, why each pure equilibrium is one,
/// what dominance removes, and what makes mixed equilibria indifferent.
[[nodiscard]] std::string explain_game(const NormalFormGame& game,
                                       const std::vector<std::string>& player_labels);

}  // namespace stratagem
