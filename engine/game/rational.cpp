#include "stratagem/game/rational.hpp"

#include <cfloat>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <unordered_map>
#include <vector>

namespace stratagem {
namespace {

bool digits_only(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

/// The simplest rational in [lo, hi], 0 <= lo <= hi, by the continued-fraction expansion that
/// both endpoints share.
mpq_class simplest_in(mpq_class lo, mpq_class hi) {
  std::vector<mpz_class> terms;
  while (true) {
    mpz_class up;
    mpz_cdiv_q(up.get_mpz_t(), lo.get_num_mpz_t(), lo.get_den_mpz_t());  // ceil(lo)
    if (mpq_class(up) <= hi) {
      terms.push_back(up);
      break;
    }
    mpz_class down;
    mpz_fdiv_q(down.get_mpz_t(), lo.get_num_mpz_t(), lo.get_den_mpz_t());  // floor(lo)
    terms.push_back(down);
    // lo and hi lie strictly between down and down + 1: recurse on the reciprocals.
    const mpq_class new_lo = 1 / (hi - down);
    const mpq_class new_hi = 1 / (lo - down);
    lo = new_lo;
    hi = new_hi;
  }
  mpq_class value = terms.back();
  for (std::size_t i = terms.size() - 1; i-- > 0;) {
    value = mpq_class(terms[i]) + 1 / value;
  }
  value.canonicalize();
  return value;
}

}  // namespace

static mpq_class simplest_rational_uncached(double x, double tolerance);

std::optional<mpq_class> parse_rational(std::string_view text) {
  bool negative = false;
  if (!text.empty() && (text.front() == '+' || text.front() == '-')) {
    negative = text.front() == '-';
    text.remove_prefix(1);
  }
  mpq_class value;
  if (const auto slash = text.find('/'); slash != std::string_view::npos) {
    const std::string_view num = text.substr(0, slash), den = text.substr(slash + 1);
    if (!digits_only(num) || !digits_only(den)) return std::nullopt;
    const mpz_class d(std::string(den), 10);
    if (d == 0) return std::nullopt;
    value = mpq_class(mpz_class(std::string(num), 10), d);
  } else {
    std::string digits;
    long exponent = 0;
    std::size_t i = 0, count = 0;
    for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i, ++count) digits += text[i];
    if (i < text.size() && text[i] == '.') {
      for (++i; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i, ++count) {
        digits += text[i];
        --exponent;
      }
    }
    if (count == 0) return std::nullopt;
    if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
      std::string_view rest = text.substr(i + 1);
      bool negative_exp = false;
      if (!rest.empty() && (rest.front() == '+' || rest.front() == '-')) {
        negative_exp = rest.front() == '-';
        rest.remove_prefix(1);
      }
      if (!digits_only(rest) || rest.size() > 5) return std::nullopt;
      const long e = std::stol(std::string(rest));
      exponent += negative_exp ? -e : e;
      i = text.size();
    }
    if (i != text.size() || exponent > 4000 || exponent < -4000) return std::nullopt;
    mpz_class scale;
    mpz_ui_pow_ui(scale.get_mpz_t(), 10, static_cast<unsigned long>(std::labs(exponent)));
    const mpz_class mantissa(digits, 10);
    value = exponent >= 0 ? mpq_class(mantissa * scale) : mpq_class(mantissa, scale);
  }
  value.canonicalize();
  if (negative) value = -value;
  return value;
}

double nearest_double(const mpq_class& value) {
  // mpq_get_d truncates toward zero: compare with the neighbour away from zero.
  const double truncated = value.get_d();
  if (!std::isfinite(truncated)) return truncated;
  const double away = std::nextafter(truncated, sgn(value) < 0 ? -HUGE_VAL : HUGE_VAL);
  if (!std::isfinite(away)) {
    // At the largest double: infinity from half an ulp (2^970) beyond it on.
    const mpq_class limit = mpq_class(DBL_MAX) + mpq_class(std::ldexp(1.0, 970));
    return abs(value) >= limit ? away : truncated;
  }
  const mpq_class d_trunc = abs(mpq_class(truncated) - value);
  const mpq_class d_away = abs(mpq_class(away) - value);
  if (d_away < d_trunc) return away;
  if (d_away == d_trunc) {  // a tie: the one with an even last bit
    std::uint64_t bits = 0;
    std::memcpy(&bits, &truncated, sizeof bits);
    return (bits & 1U) == 0 ? truncated : away;
  }
  return truncated;
}

std::string fraction_string(const mpq_class& value) {
  mpq_class copy = value;
  copy.canonicalize();
  return copy.get_str();
}

mpq_class simplest_rational(double x, double tolerance) {
  // The same few values come back again and again (a game's equilibria share their
  // probabilities: 1/2, 1/3, ...): a small per-thread memo of this pure function.
  struct Key {
    double x, tolerance;
    bool operator==(const Key&) const = default;
  };
  struct Hash {
    std::size_t operator()(const Key& k) const {
      return std::hash<double>()(k.x) * 31 + std::hash<double>()(k.tolerance);
    }
  };
  constexpr std::size_t kMemo = 4096;
  thread_local std::unordered_map<Key, mpq_class, Hash> memo;
  const Key key{x, tolerance};
  if (const auto it = memo.find(key); it != memo.end()) return it->second;
  if (memo.size() >= kMemo) memo.clear();
  mpq_class result = simplest_rational_uncached(x, tolerance);
  memo.emplace(key, result);
  return result;
}

static mpq_class simplest_rational_uncached(double x, double tolerance) {
  const mpq_class center(x);
  const mpq_class radius(std::abs(tolerance));
  const mpq_class lo = center - radius, hi = center + radius;
  if (lo <= 0 && hi >= 0) return mpq_class(0);
  if (hi < 0) return -simplest_in(-hi, -lo);
  return simplest_in(lo, hi);
}

RationalSolution solve_rational_system(RationalMatrix rows, RationalVector rhs, std::size_t cols) {
  const std::size_t n_rows = rows.size();
  std::vector<std::size_t> pivots;
  std::size_t r = 0;
  for (std::size_t c = 0; c < cols && r < n_rows; ++c) {
    std::size_t p = r;
    while (p < n_rows && sgn(rows[p][c]) == 0) ++p;
    if (p == n_rows) continue;
    std::swap(rows[p], rows[r]);
    std::swap(rhs[p], rhs[r]);
    const mpq_class inverse = 1 / rows[r][c];
    for (std::size_t k = c; k < cols; ++k) rows[r][k] *= inverse;
    rhs[r] *= inverse;
    for (std::size_t q = 0; q < n_rows; ++q) {
      if (q == r || sgn(rows[q][c]) == 0) continue;
      const mpq_class factor = rows[q][c];
      for (std::size_t k = c; k < cols; ++k) rows[q][k] -= factor * rows[r][k];
      rhs[q] -= factor * rhs[r];
    }
    pivots.push_back(c);
    ++r;
  }
  RationalSolution out;
  for (std::size_t q = r; q < n_rows; ++q) {
    if (sgn(rhs[q]) != 0) return out;  // 0 = nonzero: no solution
  }
  if (r < cols) {
    out.kind = RationalSolution::kUnderdetermined;
    return out;
  }
  out.kind = RationalSolution::kUnique;
  out.x.assign(cols, mpq_class(0));
  for (std::size_t i = 0; i < pivots.size(); ++i) out.x[pivots[i]] = rhs[i];
  return out;
}

}  // namespace stratagem
