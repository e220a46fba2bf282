// Exact recovery of a sequence-lcp equilibrium: the final basis solved again over the rationals.
#include <fmt/format.h>

#include <cmath>

#include "solve/sequence_lcp_system.hpp"

namespace stratagem::detail {
namespace {

/// A number of the tree as a fraction: the exact value the file gave, else (values computed by
/// formulas) the simplest fraction within 1e-12 relative of the double.
mpq_class exact_number(const std::vector<mpq_class>& given, const std::vector<double>& values,
                       std::size_t k) {
  if (!given.empty()) return given[k];
  const double v = values[k];
  return simplest_rational(v, 1e-12 * std::max(1.0, std::abs(v)));
}

/// Best-response payoff of `player` in the sequence form to the sequence values `values`, by
/// backward recursion over the player's information sets.
mpq_class exact_best_response(const Lcp& lcp, int player, const std::vector<mpq_class>& values) {
  std::vector<mpq_class> continuation(values.size(), mpq_class(0));
  const auto& sets = lcp.tree->player_infosets(player);
  for (auto it = sets.rbegin(); it != sets.rend(); ++it) {
    const auto first =
        static_cast<std::size_t>(lcp.form.first_sequence[static_cast<std::size_t>(*it)]);
    const std::size_t moves = lcp.tree->infoset(*it).moves.size();
    mpq_class best = values[first] + continuation[first];
    for (std::size_t s = first + 1; s < first + moves; ++s) {
      const mpq_class v = values[s] + continuation[s];
      if (v > best) best = v;
    }
    continuation[static_cast<std::size_t>(lcp.form.sequences[player][first].parent)] += best;
  }
  return values[0] + continuation[0];
}

}  // namespace

/// Exact sequence-form payoff matrices: the same leaves as sequence_form(), read as fractions.
std::array<RationalMatrix, 2> exact_payoffs(const Lcp& lcp) {
  const GameTree& tree = *lcp.tree;
  std::array<RationalMatrix, 2> payoffs;
  for (auto& m : payoffs) {
    m.assign(static_cast<std::size_t>(lcp.n1),
             std::vector<mpq_class>(static_cast<std::size_t>(lcp.n2), mpq_class(0)));
  }
  std::vector<std::array<int, 2>> seq(static_cast<std::size_t>(tree.num_nodes()), {0, 0});
  std::vector<mpq_class> weight(static_cast<std::size_t>(tree.num_nodes()), mpq_class(1));
  for (int id = 0; id < tree.num_nodes(); ++id) {
    const TreeNode& n = tree.node(id);
    const auto uid = static_cast<std::size_t>(id);
    if (n.kind == NodeKind::kTerminal) {
      for (std::size_t p = 0; p < 2; ++p) {
        payoffs[p][static_cast<std::size_t>(seq[uid][0])][static_cast<std::size_t>(seq[uid][1])] +=
            weight[uid] * exact_number(n.exact_payoffs, n.payoffs, p);
      }
      continue;
    }
    for (std::size_t m = 0; m < n.children.size(); ++m) {
      const auto c = static_cast<std::size_t>(n.children[m]);
      seq[c] = seq[uid];
      weight[c] = weight[uid];
      if (n.kind == NodeKind::kChance) {
        weight[c] *= exact_number(n.exact_probabilities, n.probabilities, m);
      } else {
        seq[c][static_cast<std::size_t>(n.player)] =
            lcp.form.first_sequence[static_cast<std::size_t>(n.infoset)] + static_cast<int>(m);
      }
    }
  }
  return payoffs;
}

ExactBehaviorEquilibrium recover_exact(const Lcp& lcp, const std::array<RationalMatrix, 2>& payoffs,
                                       const std::vector<int>& basis,
                                       const BehaviourProfile& approx) {
  ExactBehaviorEquilibrium out;
  const auto n1 = static_cast<std::size_t>(lcp.n1);
  const auto n2 = static_cast<std::size_t>(lcp.n2);
  const auto n = static_cast<std::size_t>(lcp.n);
  const auto rows = static_cast<std::size_t>(lcp.rows);
  // Exact columns of the system: payoff entries exact, the rest (0, +-1) exact as doubles.
  auto column = [&](int var) {
    std::vector<mpq_class> col(rows, mpq_class(0));
    for (Eigen::SparseMatrix<double>::InnerIterator it(lcp.system, var); it; ++it) {
      col[static_cast<std::size_t>(it.row())] = it.value();
    }
    const auto v = static_cast<std::size_t>(var);
    if (v < n1) {
      for (std::size_t t = 0; t < n2; ++t) col[n1 + t] = payoffs[1][v][t];
    } else if (v < n) {
      for (std::size_t s = 0; s < n1; ++s) col[s] = payoffs[0][s][v - n1];
    }
    return col;
  };
  RationalMatrix m(rows, std::vector<mpq_class>(rows, mpq_class(0)));
  for (std::size_t j = 0; j < rows; ++j) {
    const int var = j < n ? basis[j] : lcp.num_vars() + static_cast<int>(j - n);
    const auto col = column(var);
    for (std::size_t r = 0; r < rows; ++r) m[r][j] = col[r];
  }
  std::vector<mpq_class> rhs(rows, mpq_class(0));
  for (std::size_t r = 0; r < rows; ++r) rhs[r] = lcp.rhs(static_cast<int>(r));
  const RationalSolution solved = solve_rational_system(std::move(m), std::move(rhs), rows);
  if (solved.kind != RationalSolution::kUnique) {
    out.message = "the final basis is singular in exact arithmetic";
    return out;
  }
  const RationalVector* solution = &solved.x;
  std::vector<mpq_class> x(n1, mpq_class(0));
  std::vector<mpq_class> y(n2, mpq_class(0));
  for (std::size_t j = 0; j < n; ++j) {
    if (sgn((*solution)[j]) < 0) {
      out.message = "the final basis has a negative value in exact arithmetic";
      return out;
    }
    const auto v = static_cast<std::size_t>(basis[j]);
    if (v < n1) x[v] = (*solution)[j];
    if (v >= n1 && v < n) y[v - n1] = (*solution)[j];
  }
  // The plans satisfy E x = e and F y = f (rows (E) and (F) with z0 = 0, solved exactly).
  std::vector<mpq_class> row_values(n1, mpq_class(0));  // A y
  std::vector<mpq_class> col_values(n2, mpq_class(0));  // B'x
  for (std::size_t s = 0; s < n1; ++s) {
    for (std::size_t t = 0; t < n2; ++t) {
      if (sgn(y[t]) != 0) row_values[s] += payoffs[0][s][t] * y[t];
      if (sgn(x[s]) != 0) col_values[t] += payoffs[1][s][t] * x[s];
    }
  }
  out.payoffs.assign(2, mpq_class(0));
  for (std::size_t s = 0; s < n1; ++s) out.payoffs[0] += x[s] * row_values[s];
  for (std::size_t t = 0; t < n2; ++t) out.payoffs[1] += y[t] * col_values[t];
  const mpq_class best[2] = {exact_best_response(lcp, 0, row_values),
                             exact_best_response(lcp, 1, col_values)};
  const GameTree& tree = *lcp.tree;
  out.behaviour.resize(tree.infosets().size());
  for (int player = 0; player < 2; ++player) {
    const auto& plan = player == 0 ? x : y;
    for (int h : tree.player_infosets(player)) {
      const auto first =
          static_cast<std::size_t>(lcp.form.first_sequence[static_cast<std::size_t>(h)]);
      const mpq_class& reach =
          plan[static_cast<std::size_t>(lcp.form.sequences[player][first].parent)];
      auto& probs = out.behaviour[static_cast<std::size_t>(h)];
      probs.assign(tree.infoset(h).moves.size(), mpq_class(0));
      if (sgn(reach) == 0) {
        probs[0] = 1;
        continue;
      }
      for (std::size_t m = 0; m < probs.size(); ++m) probs[m] = plan[first + m] / reach;
    }
  }
  for (int player = 0; player < 2; ++player) {
    if (best[player] != out.payoffs[static_cast<std::size_t>(player)]) {
      out.message = fmt::format(
          "{} gains {} by a best response in exact arithmetic", tree.player_name(player),
          fraction_string(best[player] - out.payoffs[static_cast<std::size_t>(player)]));
      return out;
    }
  }
  for (std::size_t h = 0; h < approx.size(); ++h) {
    for (std::size_t m = 0; m < approx[h].size(); ++m) {
      if (std::abs(out.behaviour[h][m].get_d() - approx[h][m]) > 1e-6) {
        out.message = fmt::format(
            "the exact equilibrium differs from the floating-point one at information set '{}'",
            tree.infoset_name(static_cast<int>(h)));
        return out;
      }
    }
  }
  out.verified = true;
  return out;
}

}  // namespace stratagem::detail
