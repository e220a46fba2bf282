#include "support_intervals.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <type_traits>

namespace stratagem::detail {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

}  // namespace

IndifferencePolynomials::IndifferencePolynomials(const NormalFormGame& game,
                                                 const std::vector<std::vector<int>>& support)
    : game_(game), support_(support) {
  const int n = game.num_players();
  for (int p = 0; p < n; ++p) {
    first_.push_back(vars_);
    count_.push_back(static_cast<int>(support[p].size()) - 1);
    vars_ += count_.back();
  }
  terms_.resize(static_cast<std::size_t>(vars_));
  vars_of_.resize(static_cast<std::size_t>(vars_));
  for (int i = 0; i < n; ++i) {
    std::vector<int> others;
    for (int p = 0; p < n; ++p) {
      if (p != i) others.push_back(p);
    }
    std::size_t cells = 1;
    for (int p : others) cells *= support[p].size();
    std::vector<int> actions(static_cast<std::size_t>(n), 0);
    for (int l = 1; l < static_cast<int>(support[i].size()); ++l) {
      // Payoff differences over the others' supports, then, axis by axis, the change of basis
      // from probabilities (p_0 = 1 - sum q, p_j = q_j) to monomials (1, q_1, ...).
      std::vector<Interval> tensor(cells);
      std::vector<int> digit(others.size(), 0);
      for (std::size_t cell = 0; cell < cells; ++cell) {
        for (std::size_t o = 0; o < others.size(); ++o) {
          actions[others[o]] = support[others[o]][digit[o]];
        }
        actions[i] = support[i][l];
        const double gain = game.payoff(i, game.index(actions));
        actions[i] = support[i][0];
        const double base = game.payoff(i, game.index(actions));
        tensor[cell] = subtract(point(gain), point(base));
        for (std::size_t o = 0; o < others.size(); ++o) {
          if (++digit[o] < static_cast<int>(support[others[o]].size())) break;
          digit[o] = 0;
        }
      }
      std::size_t stride = 1;
      for (int p : others) {
        const std::size_t k = support[p].size();
        for (std::size_t cell = 0; cell < cells; ++cell) {
          if ((cell / stride) % k != 0) continue;
          for (std::size_t j = 1; j < k; ++j) {
            tensor[cell + j * stride] = subtract(tensor[cell + j * stride], tensor[cell]);
          }
        }
        stride *= k;
      }
      auto& eq = terms_[static_cast<std::size_t>(first_[i] + l - 1)];
      std::fill(digit.begin(), digit.end(), 0);
      for (std::size_t cell = 0; cell < cells; ++cell) {
        if (tensor[cell].lo != 0.0 || tensor[cell].hi != 0.0) {
          Term term{.coefficient = tensor[cell], .vars = {-1, -1, -1, -1, -1, -1, -1, -1}};
          int used = 0;
          for (std::size_t o = 0; o < others.size(); ++o) {
            if (digit[o] > 0) term.vars[used++] = first_[others[o]] + digit[o] - 1;
          }
          eq.push_back(term);
          auto& seen = vars_of_[static_cast<std::size_t>(first_[i] + l - 1)];
          for (int a = 0; a < used; ++a) {
            if (std::find(seen.begin(), seen.end(), term.vars[a]) == seen.end()) {
              seen.push_back(term.vars[a]);
            }
          }
        }
        for (std::size_t o = 0; o < others.size(); ++o) {
          if (++digit[o] < static_cast<int>(support[others[o]].size())) break;
          digit[o] = 0;
        }
      }
    }
  }
  corner_terms_.resize(static_cast<std::size_t>(vars_));
  for (std::size_t e = 0; e < static_cast<std::size_t>(vars_); ++e) {
    const auto& vars = vars_of_[e];
    equation_vars_ = std::max(equation_vars_, static_cast<int>(vars.size()));
    for (const Term& t : terms_[e]) {
      CornerTerm c;
      // A point coefficient gets radius exactly 0: up(0) is 2^-1022, and its products with
      // probabilities are subnormal numbers, each operation on which costs a microcode assist
      // (measured: a quarter of the time on Gambit's coord333.nfg).
      midpoint_radius(t.coefficient, c.mid, c.radius);
      for (; c.count < 8 && t.vars[c.count] >= 0; ++c.count) {
        c.slots[c.count] = static_cast<int>(
            std::find(vars.begin(), vars.end(), t.vars[c.count]) - vars.begin());
      }
      corner_terms_[e].push_back(c);
    }
  }
}

template <class T, class Coefficient, class At, class Cell>
void IndifferencePolynomials::accumulate(const Coefficient& coefficient, const At& at, T* f,
                                         const Cell& cell) const {
  for (int e = 0; e < vars_; ++e) {
    for (const auto& t : terms_[static_cast<std::size_t>(e)]) {
      const T c = coefficient(t);
      T product = c;
      int k = 0;
      for (; k < 8 && t.vars[k] >= 0; ++k) product = product * at(t.vars[k]);
      f[e] = f[e] + product;
      if constexpr (!std::is_same_v<Cell, std::nullptr_t>) {
        for (int a = 0; a < k; ++a) {
          T rest = c;
          for (int b = 0; b < k; ++b) {
            if (b != a) rest = rest * at(t.vars[b]);
          }
          T& entry = cell(e, t.vars[a]);
          entry = entry + rest;
        }
      }
    }
  }
}

void IndifferencePolynomials::evaluate(const Eigen::VectorXd& x, Eigen::VectorXd& f,
                                       Eigen::MatrixXd& jac) const {
  f.setZero(vars_);
  jac.setZero(vars_, vars_);
  accumulate<double>([](const Term& t) { return t.coefficient.mid(); },
                     [&](int v) { return x(v); }, f.data(),
                     [&](int e, int v) -> double& { return jac(e, v); });
}

void IndifferencePolynomials::enclose(const std::vector<Interval>& box, std::vector<Interval>& f,
                                      std::vector<Interval>& jac) const {
  const auto m = static_cast<std::size_t>(vars_);
  f.assign(m, point(0.0));
  jac.assign(m * m, point(0.0));
  accumulate<Interval>([](const Term& t) { return t.coefficient; },
                       [&](int v) { return box[static_cast<std::size_t>(v)]; }, f.data(),
                       [&](int e, int v) -> Interval& {
                         return jac[static_cast<std::size_t>(e) * m + static_cast<std::size_t>(v)];
                       });
}

void IndifferencePolynomials::enclose_vertices(const std::vector<Interval>& box,
                                               std::vector<Interval>& f,
                                               std::vector<Interval>& jac) const {
  const auto m = static_cast<std::size_t>(vars_);
  f.assign(m, point(0.0));
  jac.assign(m * m, point(0.0));
  if (equation_vars_ > kMaxCornerVars) {  // 2^k corners too many: the natural extension
    enclose(box, f, jac);
    return;
  }
  // Per corner, a sum of N products of at most 9 doubles is within gamma * (the sum of the
  // products' magnitudes) of the exact sum, gamma = (9 + N) u / (1 - (9 + N) u) with u = 2^-53
  // (Higham, Accuracy and Stability, 3.1 and 4.2); (11 + N) 2^-52 is a safe upper bound. The
  // coefficients' widths add radius * |product of the variables|; underflow adds at most
  // kAbs per operation.
  // The magnitudes are bounded once per box, with each variable at its largest |value|, which
  // bounds them at every corner.
  std::array<double, kMaxCornerVars> x{}, largest{}, g{}, g_abs{}, g_rad{};
  for (std::size_t e = 0; e < m; ++e) {
    const auto& vars = vars_of_[e];
    const auto& terms = corner_terms_[e];
    if (terms.empty()) continue;  // F_e = 0 and no Jacobian entries
    const std::size_t k = vars.size();
    const double n_terms = static_cast<double>(terms.size());
    const double gamma = (11.0 + n_terms) * 0x1p-52;
    const double tiny = (10.0 * n_terms + 2.0) * kAbs;
    for (std::size_t s = 0; s < k; ++s) {
      const Interval& side = box[static_cast<std::size_t>(vars[s])];
      largest[s] = std::max(std::abs(side.lo), std::abs(side.hi));
    }
    double sum_abs = 0.0, sum_rad = 0.0;
    std::fill(g_abs.begin(), g_abs.begin() + static_cast<std::ptrdiff_t>(k), 0.0);
    std::fill(g_rad.begin(), g_rad.begin() + static_cast<std::ptrdiff_t>(k), 0.0);
    for (const CornerTerm& t : terms) {
      double magnitude = std::abs(t.mid), radius = t.radius;
      for (int a = 0; a < t.count; ++a) {
        magnitude *= largest[static_cast<std::size_t>(t.slots[a])];
        radius *= largest[static_cast<std::size_t>(t.slots[a])];
      }
      sum_abs += magnitude;
      sum_rad += radius;
      for (int a = 0; a < t.count; ++a) {
        double partial = std::abs(t.mid), partial_rad = t.radius;
        for (int b = 0; b < t.count; ++b) {
          if (b == a) continue;
          partial *= largest[static_cast<std::size_t>(t.slots[b])];
          partial_rad *= largest[static_cast<std::size_t>(t.slots[b])];
        }
        g_abs[static_cast<std::size_t>(t.slots[a])] += partial;
        g_rad[static_cast<std::size_t>(t.slots[a])] += partial_rad;
      }
    }
    // Bounds computed in doubles themselves: inflated by (1 + gamma).
    const double err = (gamma * sum_abs + sum_rad) * (1.0 + gamma) + tiny;
    double f_lo = kInf, f_hi = -kInf;
    std::array<double, kMaxCornerVars> g_lo{}, g_hi{};
    g_lo.fill(kInf);
    g_hi.fill(-kInf);
    for (std::size_t bits = 0; bits < (std::size_t{1} << k); ++bits) {
      for (std::size_t s = 0; s < k; ++s) {
        const Interval& side = box[static_cast<std::size_t>(vars[s])];
        x[s] = ((bits >> s) & 1U) != 0 ? side.hi : side.lo;
      }
      double sum = 0.0;
      std::fill(g.begin(), g.begin() + static_cast<std::ptrdiff_t>(k), 0.0);
      for (const CornerTerm& t : terms) {
        double product = t.mid;
        for (int a = 0; a < t.count; ++a) product *= x[static_cast<std::size_t>(t.slots[a])];
        sum += product;
        for (int a = 0; a < t.count; ++a) {
          double partial = t.mid;
          for (int b = 0; b < t.count; ++b) {
            if (b != a) partial *= x[static_cast<std::size_t>(t.slots[b])];
          }
          g[static_cast<std::size_t>(t.slots[a])] += partial;
        }
      }
      f_lo = std::min(f_lo, sum);
      f_hi = std::max(f_hi, sum);
      for (std::size_t s = 0; s < k; ++s) {
        g_lo[s] = std::min(g_lo[s], g[s]);
        g_hi[s] = std::max(g_hi[s], g[s]);
      }
    }
    f[e] = {down(f_lo - err), up(f_hi + err)};
    for (std::size_t s = 0; s < k; ++s) {
      const double g_err = (gamma * g_abs[s] + g_rad[s]) * (1.0 + gamma) + tiny;
      jac[e * m + static_cast<std::size_t>(vars[s])] = {down(g_lo[s] - g_err),
                                                        up(g_hi[s] + g_err)};
    }
  }
}

bool IndifferencePolynomials::narrow(std::vector<Interval>& box) const {
  // F_e = A_v + B_v q_v for each variable v of equation e: B_v sums the terms with q_v (q_v
  // removed), A_v the terms without it, i.e. all terms minus those with q_v. The bounds are
  // summed in plain doubles (as real numbers, sum(lo) over the terms without v is sum(lo) over
  // all terms minus sum(lo) over those with v), then widened by the sums' rounding bound
  // gamma * (sum of magnitudes), gamma = (N + 4) 2^-52 for N terms (Higham 4.2).
  struct Sum {
    double lo = 0.0, hi = 0.0, magnitude = 0.0;
    void add(const Interval& x) {
      lo += x.lo;
      hi += x.hi;
      magnitude += std::abs(x.lo) + std::abs(x.hi);
    }
  };
  std::array<Sum, 64> with{}, factor{};
  for (int e = 0; e < vars_; ++e) {
    const auto& vars = vars_of_[static_cast<std::size_t>(e)];
    const auto& terms = terms_[static_cast<std::size_t>(e)];
    const auto& corner = corner_terms_[static_cast<std::size_t>(e)];
    if (vars.empty()) {
      // A constant equation: no zero unless the constant can be 0.
      Interval constant = point(0.0);
      for (const auto& t : terms) constant = constant + t.coefficient;
      if (!constant.contains_zero()) return false;
      continue;
    }
    const std::size_t k = vars.size();
    if (k > with.size()) continue;  // beyond the buffers (dozens of actions): not narrowed
    Sum all;
    std::fill(with.begin(), with.begin() + static_cast<std::ptrdiff_t>(k), Sum{});
    std::fill(factor.begin(), factor.begin() + static_cast<std::ptrdiff_t>(k), Sum{});
    for (std::size_t i = 0; i < terms.size(); ++i) {
      const Term& t = terms[i];
      const CornerTerm& c = corner[i];
      Interval whole = t.coefficient;
      for (int a = 0; a < c.count; ++a) whole = whole * box[static_cast<std::size_t>(t.vars[a])];
      all.add(whole);
      for (int a = 0; a < c.count; ++a) {
        const auto slot = static_cast<std::size_t>(c.slots[a]);
        with[slot].add(whole);
        Interval without = t.coefficient;
        for (int b = 0; b < c.count; ++b) {
          if (b != a) without = without * box[static_cast<std::size_t>(t.vars[b])];
        }
        factor[slot].add(without);
      }
    }
    const double gamma = (static_cast<double>(terms.size()) + 4.0) * 0x1p-52;
    for (std::size_t slot = 0; slot < k; ++slot) {
      const Sum& f = factor[slot];
      const double f_err = gamma * f.magnitude + kAbs;
      const Interval b{down(f.lo - f_err), up(f.hi + f_err)};
      if (b.contains_zero()) continue;
      const Sum& w = with[slot];
      const double r_err = gamma * (all.magnitude + w.magnitude) + kAbs;
      const Interval rest{down(all.lo - w.lo - r_err), up(all.hi - w.hi + r_err)};
      const Interval range = divide(point(0.0) - rest, b);
      Interval& x = box[static_cast<std::size_t>(vars[slot])];
      const double lo = std::max(x.lo, range.lo);
      const double hi = std::min(x.hi, range.hi);
      if (lo > hi) return false;
      x = {lo, hi};
    }
  }
  // The simplex: a player's free probabilities sum to at most 1.
  for (int p = 0; p < players(); ++p) {
    double low_sum = 0.0;
    for (int v = first(p); v < first(p) + count(p); ++v) low_sum += box[v].lo;
    for (int v = first(p); v < first(p) + count(p); ++v) {
      const double cap = up(1.0 + kSearchMargin - (low_sum - box[v].lo));
      if (cap < box[v].lo) return false;
      box[v].hi = std::min(box[v].hi, cap);
    }
  }
  return true;
}

void IndifferencePolynomials::enclose_at(const Eigen::VectorXd& x, std::vector<Interval>& f) const {
  f.assign(static_cast<std::size_t>(vars_), point(0.0));
  accumulate<Interval>([](const Term& t) { return t.coefficient; },
                       [&](int v) { return point(x(v)); }, f.data(), nullptr);
}

std::optional<std::vector<std::vector<double>>> IndifferencePolynomials::probabilities(
    const Eigen::VectorXd& x, double snap) const {
  std::vector<std::vector<double>> probs;
  for (int p = 0; p < game_.num_players(); ++p) {
    auto& mine = probs.emplace_back(static_cast<std::size_t>(game_.num_actions(p)), 0.0);
    double rest = 1.0;
    for (int j = 0; j < count_[p]; ++j) {
      double v = x(first_[p] + j);
      if (v < -snap) return std::nullopt;
      if (v < snap) v = 0.0;
      mine[static_cast<std::size_t>(support_[p][j + 1])] = v;
      rest -= v;
    }
    if (rest < -snap) return std::nullopt;
    if (rest < snap) rest = 0.0;
    mine[static_cast<std::size_t>(support_[p][0])] = rest;
    double sum = 0.0;
    for (double v : mine) sum += v;
    for (double& v : mine) v /= sum;
  }
  return probs;
}

}  // namespace stratagem::detail
