// Gambit-compatible equilibrium lines ("NE,p1,p2,..."), so that scripts written for Gambit's
// command-line solvers can read Stratagem's answers.
#include <fmt/format.h>

#include <cmath>

#include "stratagem/io/report.hpp"

namespace stratagem {

std::string render_gambit(const Report& report) {
  std::string out;
  const auto number = [](double p) {
    // Round-off such as -1e-17 prints as 0.000000, not -0.000000.
    return fmt::format(",{:.6f}", p == 0.0 || std::abs(p) < 5e-7 ? 0.0 : p);
  };
  for (const auto& [method, result] : report.tree_results) {
    for (const auto& eq : result.equilibria) {
      out += "NE";
      for (int player = 0; player < report.tree->num_players(); ++player) {
        for (int h : report.tree->player_infosets(player)) {
          for (double p : eq.behaviour[static_cast<std::size_t>(h)]) out += number(p);
        }
      }
      out += "\n";
    }
  }
  for (const auto& [method, result] : report.results) {
    for (const auto& eq : result.equilibria) {
      out += "NE";
      if (eq.exact) {
        for (const auto& player : *eq.exact) {
          for (const auto& p : player) out += "," + p;
        }
      } else {
        for (double p : eq.profile.flat()) out += number(p);
      }
      out += "\n";
    }
  }
  return out;
}

}  // namespace stratagem
