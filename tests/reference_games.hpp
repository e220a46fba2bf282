#pragma once

#include <string>
#include <vector>

#include "stratagem/game/normal_form.hpp"
#include "stratagem/game/profile.hpp"

namespace stratagem {

/// A game from the reference set in tests/data/reference (see tests/data/README.md) with its
/// known answers.
struct ReferenceGame {
  /// File name without ".nfg", e.g. "random_3x3_s11_0".
  std::string name;
  NormalFormGame game;
  /// Two-player files: every extreme Nash equilibrium (doubles), in the file's order.
  /// Empty for n-player files.
  std::vector<MixedProfile> equilibria;
  /// The same equilibria as written (fraction strings such as "35/109"): [eq][player][action].
  std::vector<std::vector<std::vector<std::string>>> exact;
  /// Pure equilibria as 0-based actions per player: from "pure_equilibria" for n-player files
  /// (all pure equilibria), and the pure profiles among `equilibria` for two-player files.
  std::vector<std::vector<int>> pure_equilibria;
  /// True when the game may be degenerate ("degenerate_possible" in the .json; true when the
  /// file does not say, as for the n-player games whose small payoffs have ties).
  bool degenerate = true;
};

/// The reference games' directory inside the repository (tests/data/reference).
[[nodiscard]] std::string reference_dir();

/// Every reference_dir()/*.nfg with the answers from its .json, sorted by name. Throws
/// std::runtime_error when the directory or a .json file is missing or malformed (so a test
/// that expects games never passes vacuously). Reads the files on every call.
[[nodiscard]] std::vector<ReferenceGame> load_reference_games();

/// Value of "p/q", "p" or a decimal such as "0.25" as the nearest double (exact division for
/// integers below 2^53). Throws std::invalid_argument for anything else.
[[nodiscard]] double parse_fraction(const std::string& text);

}  // namespace stratagem
