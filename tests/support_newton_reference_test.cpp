// support-newton against an independent reference on random n-player games, and its statement
// about components and continua (docs/limits.md): extreme points where best-reply constraints
// are tight are found, continua are named and never turned into clouds of near-duplicates.
#include <Eigen/Dense>
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "stratagem/solve/support_newton.hpp"
#include "test_games.hpp"

using namespace stratagem;

namespace {

SolveContext& ctx() {
  static SolveContext context;
  return context;
}

using Profile = std::vector<std::vector<double>>;

/// Expected payoff of player i's pure action a against the others' mixed strategies, by brute
/// force over all pure profiles.
double action_value(const NormalFormGame& game, const Profile& sigma, int i, int a) {
  double value = 0.0;
  for (std::size_t k = 0; k < game.num_profiles(); ++k) {
    const auto s = game.profile(k);
    if (s[i] != a) continue;
    double w = 1.0;
    for (int p = 0; p < game.num_players(); ++p) {
      if (p != i) w *= sigma[p][static_cast<std::size_t>(s[p])];
    }
    value += w * game.payoff(i, k);
  }
  return value;
}

/// Every player's every action's expected payoff in one pass over the profiles (profiles where
/// two players play actions of probability 0 contribute nothing and are skipped).
std::vector<std::vector<double>> all_values(const NormalFormGame& game, const Profile& sigma) {
  const int n = game.num_players();
  std::vector<std::vector<double>> values(static_cast<std::size_t>(n));
  for (int p = 0; p < n; ++p) values[p].assign(static_cast<std::size_t>(game.num_actions(p)), 0.0);
  for (std::size_t k = 0; k < game.num_profiles(); ++k) {
    const auto s = game.profile(k);
    int zeros = 0;
    int zero_player = -1;
    double all = 1.0;
    for (int p = 0; p < n; ++p) {
      const double q = sigma[p][static_cast<std::size_t>(s[p])];
      if (q == 0.0) {
        ++zeros;
        zero_player = p;
      } else {
        all *= q;
      }
    }
    if (zeros > 1) continue;
    for (int i = 0; i < n; ++i) {
      if (zeros == 1 && i != zero_player) continue;
      const double w = zeros == 1 ? all : all / sigma[i][static_cast<std::size_t>(s[i])];
      values[i][static_cast<std::size_t>(s[i])] += w * game.payoff(i, k);
    }
  }
  return values;
}

double regret(const NormalFormGame& game, const Profile& sigma) {
  double worst = 0.0;
  for (int i = 0; i < game.num_players(); ++i) {
    double best = -1e300;
    double mine = 0.0;
    for (int a = 0; a < game.num_actions(i); ++a) {
      const double v = action_value(game, sigma, i, a);
      best = std::max(best, v);
      mine += sigma[i][static_cast<std::size_t>(a)] * v;
    }
    worst = std::max(worst, best - mine);
  }
  return worst;
}

double distance(const Profile& a, const Profile& b) {
  double d = 0.0;
  for (std::size_t p = 0; p < a.size(); ++p) {
    for (std::size_t k = 0; k < a[p].size(); ++k) d = std::max(d, std::abs(a[p][k] - b[p][k]));
  }
  return d;
}

Profile as_profile(const MixedProfile& m, int players) {
  Profile out;
  for (int p = 0; p < players; ++p) {
    const auto probs = m.probabilities(p);
    out.emplace_back(probs.begin(), probs.end());
  }
  return out;
}

/// The reference: every support profile, many random starts of a plain Newton iteration on the
/// full system (all probabilities of the supports and one value per player as unknowns,
/// derivatives by finite differences), and a point kept only when its probabilities are positive
/// and its brute-force regret is below 1e-9. Written independently of the solver (no shared
/// code beyond the game's payoff table).
std::vector<Profile> reference_equilibria(const NormalFormGame& game, int starts) {
  const int n = game.num_players();
  std::vector<Profile> found;
  std::vector<int> mask(static_cast<std::size_t>(n), 1);
  std::mt19937_64 rng(12345);
  std::uniform_real_distribution<double> unit(0.05, 1.0);
  while (true) {
    std::vector<std::vector<int>> support(static_cast<std::size_t>(n));
    int unknowns = 0;
    for (int p = 0; p < n; ++p) {
      for (int a = 0; a < game.num_actions(p); ++a) {
        if ((mask[p] >> a) & 1) support[p].push_back(a);
      }
      unknowns += static_cast<int>(support[p].size()) + 1;
    }
    const auto unpack = [&](const Eigen::VectorXd& x) {
      Profile sigma(static_cast<std::size_t>(n));
      int at = 0;
      for (int p = 0; p < n; ++p) {
        sigma[p].assign(static_cast<std::size_t>(game.num_actions(p)), 0.0);
        for (int a : support[p]) sigma[p][static_cast<std::size_t>(a)] = x(at++);
      }
      return sigma;
    };
    const auto residual = [&](const Eigen::VectorXd& x) {
      const Profile sigma = unpack(x);
      Eigen::VectorXd r(unknowns);
      int row = 0;
      int value_at = unknowns - n;
      const auto values = all_values(game, sigma);
      for (int p = 0; p < n; ++p) {
        double sum = 0.0;
        for (int a : support[p]) {
          r(row++) = values[p][static_cast<std::size_t>(a)] - x(value_at + p);
          sum += sigma[p][static_cast<std::size_t>(a)];
        }
        r(row++) = sum - 1.0;
      }
      return r;
    };
    for (int s = 0; s < starts; ++s) {
      Eigen::VectorXd x(unknowns);
      int at = 0;
      for (int p = 0; p < n; ++p) {
        double sum = 0.0;
        for (std::size_t k = 0; k < support[p].size(); ++k) sum += x(at + static_cast<int>(k)) = unit(rng);
        for (std::size_t k = 0; k < support[p].size(); ++k) x(at + static_cast<int>(k)) /= sum;
        at += static_cast<int>(support[p].size());
      }
      for (int p = 0; p < n; ++p) x(at + p) = 0.0;
      for (int it = 0; it < 40; ++it) {
        const Eigen::VectorXd r = residual(x);
        if (r.lpNorm<Eigen::Infinity>() < 1e-14) break;
        Eigen::MatrixXd jac(unknowns, unknowns);
        for (int c = 0; c < unknowns; ++c) {
          Eigen::VectorXd y = x;
          const double h = 1e-7;
          y(c) += h;
          jac.col(c) = (residual(y) - r) / h;
        }
        x -= jac.partialPivLu().solve(r);
        if (!x.allFinite() || x.lpNorm<Eigen::Infinity>() > 1e6) break;
      }
      if (!x.allFinite() || residual(x).lpNorm<Eigen::Infinity>() > 1e-10) continue;
      const Profile sigma = unpack(x);
      bool positive = true;
      for (int p = 0; p < n; ++p) {
        for (int a : support[p]) positive = positive && sigma[p][static_cast<std::size_t>(a)] > 1e-9;
      }
      if (!positive || regret(game, sigma) > 1e-9) continue;
      if (std::none_of(found.begin(), found.end(),
                       [&](const Profile& f) { return distance(f, sigma) < 1e-6; })) {
        found.push_back(sigma);
      }
    }
    int p = 0;
    while (p < n && ++mask[p] == (1 << game.num_actions(p))) mask[p++] = 1;
    if (p == n) break;
  }
  return found;
}

}  // namespace

TEST_CASE("support-newton finds every equilibrium an independent multi-start search finds, on 100 "
          "random games with 3 to 5 players",
          "[solve][support-newton][reference]") {
  const std::vector<std::vector<int>> shapes = {{2, 2, 2},    {3, 3, 3},    {3, 2, 2},
                                                {2, 2, 2, 2}, {3, 2, 2, 2}, {2, 2, 2, 2, 2}};
  int games = 0;
  std::size_t total = 0;
  std::size_t mixed = 0;
  for (unsigned seed = 1; games < 102; ++seed) {
    const auto& shape = shapes[seed % shapes.size()];
    const auto game = testing::random_real_game(shape, 7000 + seed);
    const int n = game.num_players();
    INFO("shape " << shape.size() << " players, seed " << 7000 + seed);
    const auto reference = reference_equilibria(game, 16);
    const auto result = solve_support_newton(game, {}, ctx());
    REQUIRE(result.status == SolveStatus::kOk);
    // Generic games: no continuum, no fallback, nothing undecided.
    CHECK(result.continua == 0);
    CHECK(result.multistart_supports == 0);
    CHECK(result.undecided_boxes == 0);
    std::vector<Profile> mine;
    for (const auto& eq : result.equilibria) {
      mine.push_back(as_profile(eq.profile, n));
      CHECK(regret(game, mine.back()) <= 1e-9);
    }
    for (const auto& r : reference) {
      CHECK(std::any_of(mine.begin(), mine.end(),
                        [&](const Profile& m) { return distance(m, r) <= 1e-7; }));
    }
    // Nothing listed twice.
    for (std::size_t a = 0; a < mine.size(); ++a) {
      for (std::size_t b = a + 1; b < mine.size(); ++b) CHECK(distance(mine[a], mine[b]) > 1e-6);
    }
    CHECK(mine.size() >= reference.size());
    total += mine.size();
    for (const auto& m : mine) {
      bool pure = true;
      for (const auto& s : m) {
        pure = pure && std::any_of(s.begin(), s.end(), [](double v) { return v == 1.0; });
      }
      mixed += pure ? 0 : 1;
    }
    ++games;
  }
  CHECK(games >= 100);
  // The games are not trivial: many equilibria, most of them mixed.
  CHECK(total > 300);
  CHECK(mixed > 150);
}

TEST_CASE("support-newton finds the extreme point of a segment of equilibria where a best-reply "
          "constraint is tight",
          "[solve][support-newton]") {
  // Player 1 prefers Top strictly. Given Top: player 2's Left pays r2 (player 3's probability of
  // action 2), Right pays 3 r1; player 3 is indifferent when player 2 plays Right and prefers 1
  // (2 against 0) when player 2 plays Left. The equilibria: Top, Right, player 3 mixing with
  // r1 in [1/4, 1]: a segment with extreme points (1, 0) -- pure -- and (1/4, 3/4), where
  // player 2's Left is exactly as good as Right.
  NormalFormBuilder builder({"p1", "p2", "p3"}, {2, 2, 2});
  for (std::size_t k = 0; k < builder.num_profiles(); ++k) {
    const auto s = builder.peek().profile(k);
    const bool top = s[0] == 0;
    const bool left = s[1] == 0;
    const bool one = s[2] == 0;
    const double u1 = top ? 1.0 : 0.0;
    double u2 = 0.0;
    double u3 = 0.0;
    if (top) {
      u2 = left ? (one ? 0.0 : 1.0) : (one ? 3.0 : 0.0);
      u3 = left ? (one ? 2.0 : 0.0) : 0.0;
    }
    builder.set_payoffs(k, std::vector<double>{u1, u2, u3});
  }
  const auto game = std::move(builder).build();
  const auto r = solve_support_newton(game, {}, ctx());
  REQUIRE(r.status == SolveStatus::kOk);
  const Profile pure = {{1, 0}, {0, 1}, {1, 0}};
  const Profile extreme = {{1, 0}, {0, 1}, {0.25, 0.75}};
  std::vector<Profile> mine;
  for (const auto& eq : r.equilibria) {
    mine.push_back(as_profile(eq.profile, 3));
    CHECK(regret(game, mine.back()) <= 1e-12);
  }
  CHECK(std::any_of(mine.begin(), mine.end(), [&](const Profile& m) { return distance(m, pure) < 1e-12; }));
  CHECK(std::any_of(mine.begin(), mine.end(),
                    [&](const Profile& m) { return distance(m, extreme) < 1e-12; }));
  CHECK(mine.size() == 2);
  // The segment's own support (player 3 mixing, the others pure) is singular and named.
  CHECK(r.continua >= 1);
  CHECK(std::any_of(r.singular_supports.begin(), r.singular_supports.end(),
                    [](const std::string& s) { return s == "p1 {1}, p2 {2}, p3 {1, 2}"; }));
}

TEST_CASE("support-newton on degenerate games: continua named, no near-duplicate equilibria",
          "[solve][support-newton]") {
  // Payoffs 0 or 1: many ties, so many supports hold continua of solutions.
  for (unsigned seed = 1; seed <= 12; ++seed) {
    const auto game = testing::random_game(seed % 2 == 0 ? std::vector<int>{3, 3, 3}
                                                         : std::vector<int>{2, 2, 2, 2},
                                           500 + seed, 0, 1);
    INFO("seed " << 500 + seed);
    const auto r = solve_support_newton(game, {}, ctx());
    REQUIRE(r.status == SolveStatus::kOk);
    REQUIRE_FALSE(r.equilibria.empty());
    std::vector<Profile> mine;
    for (const auto& eq : r.equilibria) {
      mine.push_back(as_profile(eq.profile, game.num_players()));
      CHECK(regret(game, mine.back()) <= 1e-9);
    }
    for (std::size_t a = 0; a < mine.size(); ++a) {
      for (std::size_t b = a + 1; b < mine.size(); ++b) CHECK(distance(mine[a], mine[b]) > 1e-4);
    }
    CHECK(r.singular_supports.size() == r.continua);
  }
}
