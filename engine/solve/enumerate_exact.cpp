// Vertex enumeration of a two-player game in rational arithmetic: the same method as
// enumerate.cpp (lexicographic bases of the best-response polytopes, completely labelled
// vertex pairs), with every pivot, ratio test and zero test exact. Used where doubles cannot
// separate the payoffs (payoff_resolution) and for exact answers from exact data.
#include <fmt/format.h>
#include <gmpxx.h>

#include <algorithm>
#include <deque>
#include <map>
#include <numeric>
#include <set>

#include "solve/enumerate_components.hpp"
#include "solve/polytope.hpp"
#include "stratagem/game/rational.hpp"
#include "stratagem/solve/enumerate.hpp"

namespace stratagem {
namespace {

using detail::BitSet;

/// Rational tableau of { (z, s) >= 0 : M z + s = 1 } (M k x d, positive), the slack basis
/// first; slack columns hold B^-1, so the lexicographic ratio test needs no extra storage.
class ExactTableau {
 public:
  explicit ExactTableau(const std::vector<std::vector<mpq_class>>& m)
      : rows_(static_cast<int>(m.size())),
        decision_(m.empty() ? 0 : static_cast<int>(m.front().size())),
        cols_(decision_ + rows_ + 1),
        t_(static_cast<std::size_t>(rows_) * static_cast<std::size_t>(cols_)),
        basis_(static_cast<std::size_t>(rows_)),
        where_(static_cast<std::size_t>(decision_ + rows_), -1) {
    for (int r = 0; r < rows_; ++r) {
      for (int c = 0; c < decision_; ++c) at(r, c) = m[static_cast<std::size_t>(r)][static_cast<std::size_t>(c)];
      at(r, decision_ + r) = 1;
      at(r, cols_ - 1) = 1;
      basis_[static_cast<std::size_t>(r)] = decision_ + r;
      where_[static_cast<std::size_t>(decision_ + r)] = r;
    }
  }
  [[nodiscard]] int num_vars() const { return decision_ + rows_; }
  [[nodiscard]] int basic(int row) const { return basis_[static_cast<std::size_t>(row)]; }
  [[nodiscard]] BitSet basis_set() const {
    BitSet s;
    for (int v : basis_) s.set(v);
    return s;
  }
  /// Lexicographic minimum-ratio row for entering `var`, or -1.
  [[nodiscard]] int leaving_row(int var) const {
    int best = -1;
    for (int r = 0; r < rows_; ++r) {
      if (sgn(at(r, var)) <= 0) continue;
      if (best < 0 || lex_less(r, best, var)) best = r;
    }
    return best;
  }
  void pivot(int row, int var) {
    const mpq_class p = at(row, var);
    for (int c = 0; c < cols_; ++c) at(row, c) /= p;
    mpq_class f;
    for (int r = 0; r < rows_; ++r) {
      if (r == row || sgn(at(r, var)) == 0) continue;
      f = at(r, var);
      for (int c = 0; c < cols_; ++c) {
        if (sgn(at(row, c)) != 0) at(r, c) -= f * at(row, c);
      }
    }
    where_[static_cast<std::size_t>(basic(row))] = -1;
    basis_[static_cast<std::size_t>(row)] = var;
    where_[static_cast<std::size_t>(var)] = row;
  }
  /// Variables that are exactly zero in the basic solution.
  [[nodiscard]] BitSet zero_vars() const {
    BitSet zero;
    for (int v = 0; v < num_vars(); ++v) {
      const int r = where_[static_cast<std::size_t>(v)];
      if (r < 0 || sgn(at(r, cols_ - 1)) == 0) zero.set(v);
    }
    return zero;
  }
  /// The decision variables' values.
  [[nodiscard]] std::vector<mpq_class> decision_values() const {
    std::vector<mpq_class> z(static_cast<std::size_t>(decision_), mpq_class(0));
    for (int v = 0; v < decision_; ++v) {
      const int r = where_[static_cast<std::size_t>(v)];
      if (r >= 0) z[static_cast<std::size_t>(v)] = at(r, cols_ - 1);
    }
    return z;
  }

 private:
  mpq_class& at(int r, int c) { return t_[static_cast<std::size_t>(r) * static_cast<std::size_t>(cols_) + static_cast<std::size_t>(c)]; }
  [[nodiscard]] const mpq_class& at(int r, int c) const {
    return t_[static_cast<std::size_t>(r) * static_cast<std::size_t>(cols_) + static_cast<std::size_t>(c)];
  }
  /// Row r1's ratio vector (rhs, then the B^-1 columns) over column `col` is lexicographically
  /// smaller than row r2's. The B^-1 rows are independent, so two rows never tie.
  [[nodiscard]] bool lex_less(int r1, int r2, int col) const {
    const auto compare = [&](int c) {
      return cmp(at(r1, c) * at(r2, col), at(r2, c) * at(r1, col));
    };
    if (const int c = compare(cols_ - 1); c != 0) return c < 0;
    for (int s = decision_; s < decision_ + rows_; ++s) {
      if (const int c = compare(s); c != 0) return c < 0;
    }
    return false;
  }

  int rows_, decision_, cols_;
  std::vector<mpq_class> t_;
  std::vector<int> basis_;
  std::vector<int> where_;
};

/// A vertex of a polytope: its labels and exact coordinates.
struct ExactVertex {
  BitSet labels;
  std::vector<mpq_class> coords;
};

/// Every vertex of { z >= 0 : M z <= 1 } by a breadth-first search of the lexicographic bases.
/// False when stopped.
bool exact_vertices(const std::vector<std::vector<mpq_class>>& m, const std::vector<int>& var_label,
                    const SolveContext& context, std::vector<ExactVertex>& out) {
  std::set<BitSet> seen;
  std::map<BitSet, std::vector<mpq_class>> vertices;
  std::deque<ExactTableau> queue;
  queue.emplace_back(m);
  seen.insert(queue.front().basis_set());
  while (!queue.empty()) {
    if (context.stop_requested()) return false;
    ExactTableau tab = std::move(queue.front());
    queue.pop_front();
    const BitSet zero = tab.zero_vars();
    BitSet labels;
    for (int v = 0; v < tab.num_vars(); ++v) {
      if (zero.test(v)) labels.set(var_label[static_cast<std::size_t>(v)]);
    }
    if (!vertices.contains(labels)) vertices.emplace(labels, tab.decision_values());
    const BitSet basis = tab.basis_set();
    for (int v = 0; v < tab.num_vars(); ++v) {
      if (basis.test(v)) continue;
      const int row = tab.leaving_row(v);
      if (row < 0) continue;
      BitSet next = basis;
      next.reset(tab.basic(row));
      next.set(v);
      if (!seen.insert(next).second) continue;
      ExactTableau child = tab;
      child.pivot(row, v);
      queue.push_back(std::move(child));
    }
  }
  for (auto& [labels, coords] : vertices) out.push_back({labels, std::move(coords)});
  return true;
}

/// A nonzero vertex scaled to a probability vector.
std::vector<mpq_class> to_probabilities(const std::vector<mpq_class>& coords) {
  mpq_class sum = 0;
  for (const auto& c : coords) sum += c;
  std::vector<mpq_class> p;
  for (const auto& c : coords) p.push_back(c / sum);
  return p;
}

}  // namespace

EnumerationResult enumerate_extreme_equilibria_exact(const NormalFormGame& game,
                                                     SolveContext& context) {
  if (game.num_players() != 2) {
    throw InvalidGame(fmt::format("enumerate needs a two-player game; this game has {} players",
                                  game.num_players()));
  }
  const int m = game.num_actions(0);
  const int n = game.num_actions(1);
  if (m + n > BitSet::kMaxBits) {
    throw InvalidGame(fmt::format(
        "enumerate handles at most {} actions in total; this game has {} (try lemke-howson)",
        BitSet::kMaxBits, m + n));
  }
  // Payoffs moved into [1, 2] exactly, as positive_bimatrix does in doubles.
  auto positive = [&](int player) {
    mpq_class lo, hi;
    for (std::size_t k = 0; k < game.num_profiles(); ++k) {
      const mpq_class u = game.exact_payoff(player, k);
      if (k == 0 || u < lo) lo = u;
      if (k == 0 || u > hi) hi = u;
    }
    const mpq_class range = hi > lo ? mpq_class(hi - lo) : mpq_class(1);
    std::vector<std::vector<mpq_class>> out(static_cast<std::size_t>(m),
                                            std::vector<mpq_class>(static_cast<std::size_t>(n)));
    for (int i = 0; i < m; ++i) {
      for (int j = 0; j < n; ++j) {
        const std::size_t k = static_cast<std::size_t>(i) + static_cast<std::size_t>(j) * game.stride(1);
        out[static_cast<std::size_t>(i)][static_cast<std::size_t>(j)] =
            1 + (game.exact_payoff(player, k) - lo) / range;
      }
    }
    return out;
  };
  const auto a = positive(0);
  const auto b = positive(1);
  std::vector<std::vector<mpq_class>> bt(static_cast<std::size_t>(n),
                                         std::vector<mpq_class>(static_cast<std::size_t>(m)));
  for (int i = 0; i < m; ++i) {
    for (int j = 0; j < n; ++j) bt[static_cast<std::size_t>(j)][static_cast<std::size_t>(i)] = b[static_cast<std::size_t>(i)][static_cast<std::size_t>(j)];
  }
  std::vector<int> p_labels(static_cast<std::size_t>(m + n));
  std::iota(p_labels.begin(), p_labels.end(), 0);
  std::vector<int> q_labels;
  for (int j = 0; j < n; ++j) q_labels.push_back(m + j);
  for (int i = 0; i < m; ++i) q_labels.push_back(i);

  EnumerationResult result;
  std::vector<ExactVertex> p, q;
  const bool complete = exact_vertices(bt, p_labels, context, p) &&
                        exact_vertices(a, q_labels, context, q);
  result.row_polytope_vertices = p.size();
  result.column_polytope_vertices = q.size();

  const BitSet all = BitSet::first(m + n);
  struct Found {
    std::vector<double> flat;
    std::vector<std::vector<mpq_class>> exact;
    int p, q;
  };
  std::vector<Found> found;
  for (std::size_t i = 0; i < p.size(); ++i) {
    if ((p[i].labels | BitSet::first(m)) == p[i].labels) continue;  // x = 0
    for (std::size_t j = 0; j < q.size(); ++j) {
      if ((p[i].labels | q[j].labels) != all) continue;
      if ((q[j].labels | (all ^ BitSet::first(m))) == q[j].labels) continue;  // y = 0
      Found f{.flat = {}, .exact = {to_probabilities(p[i].coords), to_probabilities(q[j].coords)},
              .p = static_cast<int>(i), .q = static_cast<int>(j)};
      for (const auto& side : f.exact) {
        for (const auto& v : side) f.flat.push_back(v.get_d());
      }
      found.push_back(std::move(f));
    }
  }
  // The order of the double-precision enumeration: flat profiles, lexicographically descending.
  std::sort(found.begin(), found.end(), [](const Found& l, const Found& r) { return l.flat > r.flat; });
  std::map<int, int> row_id, column_id;
  for (const auto& f : found) {
    std::vector<std::vector<double>> probs{{f.flat.begin(), f.flat.begin() + m},
                                           {f.flat.begin() + m, f.flat.end()}};
    auto [ri, new_row] = row_id.emplace(f.p, static_cast<int>(result.row_strategies.size()));
    if (new_row) result.row_strategies.push_back(probs[0]);
    auto [ci, new_col] = column_id.emplace(f.q, static_cast<int>(result.column_strategies.size()));
    if (new_col) result.column_strategies.push_back(probs[1]);
    result.row_vertex.push_back(ri->second);
    result.column_vertex.push_back(ci->second);
    Equilibrium eq = make_equilibrium(game, "enumerate", MixedProfile(probs));
    std::vector<std::vector<std::string>> strings;
    for (const auto& side : f.exact) {
      std::vector<std::string> row;
      for (const auto& v : side) row.push_back(fraction_string(v));
      strings.push_back(std::move(row));
    }
    eq.exact = std::move(strings);
    result.equilibria.push_back(std::move(eq));
  }
  detail::find_cliques(result);
  if (!complete) {
    result.status = SolveStatus::kCancelled;
    result.message = "interrupted during exact vertex enumeration; equilibria found before the "
                     "stop are listed, others may be missing";
  }
  return result;
}

}  // namespace stratagem
