#include <algorithm>
#include <cmath>
#include <numeric>

#include <fmt/format.h>

#include "stratagem/io/report.hpp"
#include "stratagem/io/tree_report.hpp"

namespace stratagem {

std::string format_number(double x) {
  if (x == 0.0) return "0";
  if (std::abs(x - std::round(x)) < 1e-12 && std::abs(x) < 1e15) {
    return fmt::format("{}", static_cast<long long>(std::llround(x)));
  }
  for (long long q = 2; q <= 64; ++q) {
    const double p = std::round(x * static_cast<double>(q));
    if (std::abs(x - p / static_cast<double>(q)) < 1e-12 &&
        std::gcd(static_cast<long long>(std::abs(p)), q) == 1) {
      return fmt::format("{}/{}", static_cast<long long>(p), q);
    }
  }
  return fmt::format("{:.6g}", x);
}

std::string format_payoff(double x) {
  if (std::abs(x) < 1e-12) return "0";
  return fmt::format("{:.6g}", x);
}

std::string describe_profile(const NormalFormGame& game, const MixedProfile& profile,
                             const std::vector<std::string>& labels) {
  std::string out;
  for (int p = 0; p < game.num_players(); ++p) {
    if (p > 0) out += "; ";
    out += labels[p] + ": ";
    const auto probs = profile.probabilities(p);
    std::vector<std::string> parts;
    for (int a = 0; a < game.num_actions(p); ++a) {
      if (probs[a] == 0.0) continue;
      if (probs[a] == 1.0) {
        parts.push_back(game.action_name(p, a));
      } else {
        parts.push_back(fmt::format("{} {}", game.action_name(p, a), format_number(probs[a])));
      }
    }
    out += fmt::format("{}", fmt::join(parts, ", "));
  }
  return out;
}

namespace {

/// Whether the action of `player` at profile `idx` is a best response to the others' actions.
bool is_best_reply(const NormalFormGame& game, std::size_t idx, int player) {
  const auto payoffs = game.payoffs(player);
  const int own = game.action_of(idx, player);
  const std::size_t base = idx - static_cast<std::size_t>(own) * game.stride(player);
  for (int a = 0; a < game.num_actions(player); ++a) {
    if (payoffs[base + static_cast<std::size_t>(a) * game.stride(player)] > payoffs[idx]) {
      return false;
    }
  }
  return true;
}

std::string pad(const std::string& s, std::size_t width) {
  return s.size() >= width ? s : s + std::string(width - s.size(), ' ');
}

std::string render_matrix(const NormalFormGame& game, const std::vector<std::string>& labels) {
  const int m = game.num_actions(0), n = game.num_actions(1);
  std::vector<std::vector<std::string>> cells(static_cast<std::size_t>(m),
                                              std::vector<std::string>(static_cast<std::size_t>(n)));
  std::size_t width = 0;
  for (int j = 0; j < n; ++j) width = std::max(width, game.action_name(1, j).size());
  for (int i = 0; i < m; ++i) {
    for (int j = 0; j < n; ++j) {
      const std::size_t idx = static_cast<std::size_t>(i) + static_cast<std::size_t>(j) * game.stride(1);
      cells[i][j] = fmt::format("{}{}, {}{}", format_payoff(game.payoff(0, idx)),
                                is_best_reply(game, idx, 0) ? "*" : "",
                                format_payoff(game.payoff(1, idx)),
                                is_best_reply(game, idx, 1) ? "*" : "");
      width = std::max(width, cells[i][j].size());
    }
  }
  std::size_t row_width = labels[0].size();
  for (int i = 0; i < m; ++i) row_width = std::max(row_width, game.action_name(0, i).size());
  std::string out = fmt::format("Payoffs ({} chooses the row, {} the column; * marks a best reply)\n",
                                labels[0], labels[1]);
  out += "  " + pad("", row_width);
  for (int j = 0; j < n; ++j) out += "  " + pad(game.action_name(1, j), width);
  out += "\n";
  for (int i = 0; i < m; ++i) {
    out += "  " + pad(game.action_name(0, i), row_width);
    for (int j = 0; j < n; ++j) out += "  " + pad(cells[i][j], width);
    out += "\n";
  }
  return out;
}

std::string render_table(const NormalFormGame& game, const std::vector<std::string>& labels,
                         const TextOptions& options) {
  std::string out = "Payoffs by profile (* marks a best reply to the others' moves)\n";
  if (game.num_profiles() > static_cast<std::size_t>(options.max_profile_rows)) {
    return out + fmt::format("  ({} profiles: too many to print; use --format json)\n",
                             game.num_profiles());
  }
  std::vector<std::size_t> widths;
  for (int p = 0; p < game.num_players(); ++p) {
    std::size_t w = labels[p].size();
    for (const auto& a : game.action_names(p)) w = std::max(w, a.size());
    widths.push_back(w);
  }
  out += " ";
  for (int p = 0; p < game.num_players(); ++p) out += " " + pad(labels[p], widths[p]);
  out += "  | payoffs\n";
  for (std::size_t idx = 0; idx < game.num_profiles(); ++idx) {
    out += " ";
    for (int p = 0; p < game.num_players(); ++p) {
      out += " " + pad(game.action_name(p, game.action_of(idx, p)), widths[p]);
    }
    out += "  |";
    for (int p = 0; p < game.num_players(); ++p) {
      out += fmt::format(" {}{}", format_payoff(game.payoff(p, idx)),
                         is_best_reply(game, idx, p) ? "*" : "");
    }
    out += "\n";
  }
  return out;
}

/// describe_profile() with the exact fraction strings of a verified equilibrium.
std::string describe_exact(const NormalFormGame& game,
                           const std::vector<std::vector<std::string>>& exact,
                           const std::vector<std::string>& labels) {
  std::string out;
  for (int p = 0; p < game.num_players(); ++p) {
    std::vector<std::string> parts;
    for (int a = 0; a < game.num_actions(p); ++a) {
      if (exact[p][a] == "0") continue;
      parts.push_back(exact[p][a] == "1" ? game.action_name(p, a)
                                         : game.action_name(p, a) + " " + exact[p][a]);
    }
    out += fmt::format("{}{}: {}", p > 0 ? "; " : "", labels[p], fmt::join(parts, ", "));
  }
  return out + " (exact)";
}

/// Each analysis under a heading naming the method.
std::string render_analyses(const std::string& method, const std::vector<Analysis>& analyses) {
  std::string out;
  for (const auto& analysis : analyses) {
    out += fmt::format("{} ({}):\n", analysis.key, method);
    for (const auto& line : analysis.text) out += "  " + line + "\n";
    out += "\n";
  }
  return out;
}

const char* status_text(SolveStatus s) {
  switch (s) {
    case SolveStatus::kOk: return "ok";
    case SolveStatus::kCancelled: return "cancelled";
    case SolveStatus::kLimitReached: return "limit reached";
    case SolveStatus::kFailed: return "failed";
  }
  return "?";
}

}  // namespace

/// The first `limit` lines of `text`, then a line saying how many were left out.
std::string first_lines(const std::string& text, std::size_t limit, const std::string& indent,
                        const std::string& what) {
  std::size_t pos = 0;
  for (std::size_t k = 0; k < limit && pos < text.size(); ++k) {
    const auto nl = text.find('\n', pos);
    if (nl == std::string::npos) return text;
    pos = nl + 1;
  }
  if (pos >= text.size()) return text;
  const auto rest = static_cast<std::size_t>(std::count(text.begin() + static_cast<std::ptrdiff_t>(pos), text.end(), '\n'));
  return text.substr(0, pos) + fmt::format("{}... {} more lines of {} (--format json lists them all)\n",
                                           indent, rest, what);
}

/// `lines` indented, at most kMaxLinesPerList of them.
std::string bounded_lines(const std::vector<std::string>& lines, const std::string& indent,
                          const std::string& what) {
  std::string out;
  const std::size_t shown = std::min(lines.size(), kMaxLinesPerList);
  for (std::size_t k = 0; k < shown; ++k) out += indent + lines[k] + "\n";
  if (shown < lines.size()) {
    out += fmt::format("{}... {} more lines of {} (--format json lists them all)\n", indent,
                       lines.size() - shown, what);
  }
  return out;
}

std::string render_game(const NormalFormGame& game, const std::vector<std::string>& labels,
                        const TextOptions& options) {
  if (game.num_players() == 2 && game.num_profiles() > kMaxShownProfiles) {
    std::vector<std::string> sizes;
    for (const int s : game.shape()) sizes.push_back(std::to_string(s));
    return fmt::format("(the {} game has {} pure profiles, too many to show; 'stratagem convert "
                       "FILE --to nfg' writes them all)\n",
                       fmt::join(sizes, " x "), game.num_profiles());
  }
  return game.num_players() == 2 ? render_matrix(game, labels)
                                 : render_table(game, labels, options);
}

std::string render_text(const Report& report, const TextOptions& options) {
  std::string out = fmt::format("{}\n", report.title.empty() ? report.source : report.title);
  if (!report.title.empty()) out += fmt::format("  source: {}\n", report.source);
  if (!report.parameters.empty()) {
    std::vector<std::string> parts;
    for (const auto& [k, v] : report.parameters) parts.push_back(fmt::format("{} = {:.6g}", k, v));
    out += fmt::format("  parameters: {}\n", fmt::join(parts, ", "));
  }
  out += "\n";
  if (report.tree != nullptr) {
    const GameTree& tree = *report.tree;
    if (options.show_game) {
      out += "tree:\n" +
             first_lines(render_tree_outline(tree), kMaxOutlineLines, "  ", "the tree") + "\n";
    }
    for (const auto& [method, result] : report.tree_results) {
      out += render_analyses(method, result.analyses);
      out += fmt::format("Equilibria found by '{}': {}\n", method, result.equilibria.size());
      int k = 0;
      for (const auto& eq : result.equilibria) {
        std::vector<std::string> pays;
        for (int p = 0; p < tree.num_players(); ++p) {
          pays.push_back(fmt::format("{} {}", report.player_labels[p], format_payoff(eq.payoffs[p])));
        }
        out += fmt::format("  {}. payoffs: {}   (max gain {:.3g})\n", ++k, fmt::join(pays, ", "),
                           eq.max_gain);
        if (static_cast<std::size_t>(k) > kDetailedEquilibria) continue;
        const auto path = behaviour_path(tree, eq.behaviour);
        if (!path.empty()) out += fmt::format("     path: {}\n", fmt::join(path, " > "));
        out += bounded_lines(describe_behaviour(tree, eq.behaviour, true, report.player_labels),
                             "     ", "choices");
        if (!eq.reasoning.empty()) {
          out += "     reasoning (bottom-up):\n";
          out += bounded_lines(eq.reasoning, "       ", "reasoning");
        }
        if (static_cast<std::size_t>(k) == kDetailedEquilibria &&
            result.equilibria.size() > kDetailedEquilibria) {
          out += fmt::format("  (equilibria after the first {} are listed by their payoffs only; "
                             "--format json has each in full)\n",
                             kDetailedEquilibria);
        }
      }
      if (result.status != SolveStatus::kOk) {
        out += fmt::format("  warning: {}: {}\n", status_text(result.status), result.message);
      }
      out += "\n";
    }
    if (report.results.empty()) return out;
    if (report.game == nullptr) return out;
    out += "Reduced normal form (strategies list a move at each of the player's information sets):\n";
  }
  const NormalFormGame& game = *report.game;
  if (options.show_game) out += render_game(game, report.player_labels, options) + "\n";
  for (const auto& [method, result] : report.results) {
    out += render_analyses(method, result.analyses);
    if ((method == "dominance" || method == "maximin" || method == "correlated") &&
        result.equilibria.empty() && result.status == SolveStatus::kOk) {
      continue;  // analyses only; correlated equilibria are not mixed profiles
    }
    out += fmt::format("Equilibria found by '{}': {}\n", method, result.equilibria.size());
    int k = 0;
    for (const auto& eq : result.equilibria) {
      std::vector<std::string> pays;
      for (int p = 0; p < game.num_players(); ++p) {
        pays.push_back(fmt::format("{} {}", report.player_labels[p], format_payoff(eq.payoffs[p])));
      }
      out += fmt::format("  {}. {}{}\n", ++k, eq.pure ? "" : "mixed: ",
                         eq.exact ? describe_exact(game, *eq.exact, report.player_labels)
                                  : describe_profile(game, eq.profile, report.player_labels));
      out += fmt::format("     payoffs: {}   (max regret {:.3g})\n", fmt::join(pays, ", "),
                         eq.max_regret);
    }
    if (result.status != SolveStatus::kOk) {
      out += fmt::format("  warning: {}: {}\n", status_text(result.status), result.message);
    }
    out += "\n";
  }
  return out;
}

}  // namespace stratagem
