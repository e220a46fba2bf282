// Payoff scale and shift must not change any solver's answer (docs/numerics.md): every solver
// that applies to a game is run on the game, on the game with every payoff multiplied by 10^k
// (k = -6..9) and on the game shifted by a constant, and must report the same equilibria.
// Games whose payoffs are finer than doubles separate get their answers from exact arithmetic.
#include <catch2/catch.hpp>

#include <cmath>
#include <random>
#include <set>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "efg_fixtures.hpp"
#include "stratagem/game/rational.hpp"
#include "stratagem/game/tree.hpp"
#include "stratagem/io/efg.hpp"
#include "stratagem/repeated/payoff_set.hpp"
#include "stratagem/repeated/repeated_game.hpp"
#include "stratagem/solve/enumerate.hpp"
#include "stratagem/solve/exact.hpp"
#include "stratagem/solve/solver.hpp"
#include "test_games.hpp"

namespace stratagem {
namespace {

/// The game with every payoff replaced by scale * u + shift.
NormalFormGame transformed(const NormalFormGame& game, double scale, double shift) {
  std::vector<std::vector<std::string>> actions;
  for (int p = 0; p < game.num_players(); ++p) actions.push_back(game.action_names(p));
  NormalFormBuilder builder(game.player_names(), actions);
  for (std::size_t i = 0; i < game.num_profiles(); ++i) {
    for (int p = 0; p < game.num_players(); ++p) {
      builder.set_payoff(i, p, game.payoff(p, i) * scale + shift);
    }
  }
  return std::move(builder).build();
}

/// Equilibria as profiles rounded to 6 decimals (what the text output prints), sorted.
std::set<std::vector<long long>> rounded(const SolveResult& result) {
  std::set<std::vector<long long>> out;
  for (const auto& eq : result.equilibria) {
    std::vector<long long> key;
    for (double x : eq.profile.flat()) key.push_back(std::llround(x * 1e6));
    out.insert(key);
  }
  return out;
}

std::string describe(const std::set<std::vector<long long>>& set) {
  std::string out;
  for (const auto& key : set) out += fmt::format("({}) ", fmt::join(key, " "));
  return out;
}

/// A constant-sum version of a random game (column player gets 10 - row player's payoff).
NormalFormGame constant_sum(const NormalFormGame& game) {
  NormalFormBuilder builder(game.player_names(), game.shape());
  for (std::size_t i = 0; i < game.num_profiles(); ++i) {
    builder.set_payoff(i, 0, game.payoff(0, i));
    builder.set_payoff(i, 1, 10.0 - game.payoff(0, i));
  }
  return std::move(builder).build();
}

/// Runs every applicable strategic-form solver on `game` and its transforms; all must agree.
void check_invariance(const NormalFormGame& game, const std::string& label) {
  const SolverRegistry& registry = builtin_solvers();
  for (const auto& entry : registry.all()) {
    if (entry.is_tree_solver() || entry.check(game)) continue;
    // The correlated solver enumerates the vertices of the correlated-equilibrium polytope
    // (about 0.1 s for a 3x3 game): fewer and smaller games, and the extreme transforms only.
    const bool slow = entry.name == "correlated";
    if (slow && game.num_profiles() > 8) continue;
    SolveOptions options;
    options.threads = 1;
    SolveContext context;
    const SolveResult base = entry.solve(game, options, context);
    const auto expected = rounded(base);
    std::vector<std::pair<double, double>> transforms;
    for (int k = -6; k <= 9; ++k) {
      if (!slow || k == -6 || k == 3 || k == 9) transforms.emplace_back(std::pow(10.0, k), 0.0);
    }
    transforms.emplace_back(1.0, 1e6);
    if (!slow) transforms.emplace_back(1.0, -2.5e3);
    transforms.emplace_back(1e3, 7e8);
    for (const auto& [scale, shift] : transforms) {
      const NormalFormGame moved = transformed(game, scale, shift);
      const SolveResult result = entry.solve(moved, options, context);
      INFO(fmt::format("{} with {}, payoffs x {:g} + {:g}: expected {} got {} ({})", label,
                       entry.name, scale, shift, describe(expected), describe(rounded(result)),
                       result.message));
      CHECK(result.status == base.status);
      CHECK(rounded(result) == expected);
    }
  }
}

TEST_CASE("scale: every solver gives the same equilibria at every payoff scale and shift",
          "[scale]") {
  const std::vector<std::vector<int>> shapes = {{2, 2}, {3, 3}, {2, 4}, {4, 3}, {5, 5},
                                                {2, 2, 2}, {3, 2, 2}, {2, 2, 2, 2}};
  for (const auto& shape : shapes) {
    for (unsigned seed = 1; seed <= 3; ++seed) {
      const auto label = fmt::format("{} game {}", fmt::join(shape, "x"), seed);
      // Small integer payoffs: ties, degenerate games, pure equilibria.
      check_invariance(testing::random_game(shape, seed, 0, 9), label + " (payoffs 0-9)");
      // Continuous payoffs: nondegenerate, mixed equilibria.
      check_invariance(testing::random_real_game(shape, seed), label + " (real payoffs)");
      if (shape.size() == 2) {
        check_invariance(constant_sum(testing::random_game(shape, seed, 0, 9)),
                         label + " (constant-sum)");
      }
    }
  }
}

/// The exact extreme equilibria of a two-player game, rounded like rounded().
std::set<std::vector<long long>> exact_reference(const NormalFormGame& game) {
  SolveContext context;
  const EnumerationResult exact = enumerate_extreme_equilibria_exact(game, context);
  std::set<std::vector<long long>> out;
  for (const auto& eq : exact.equilibria) {
    std::vector<std::vector<mpq_class>> probabilities;
    for (const auto& side : *eq.exact) {
      std::vector<mpq_class> row;
      for (const auto& s : side) row.emplace_back(s);
      probabilities.push_back(std::move(row));
    }
    REQUIRE_FALSE(exact_violation(game, probabilities));  // an exact equilibrium
    std::vector<long long> key;
    for (double x : eq.profile.flat()) key.push_back(std::llround(x * 1e6));
    out.insert(key);
  }
  return out;
}

TEST_CASE("scale: 2x2 games with payoffs 0-9 and one payoff of 1e9 are solved exactly",
          "[scale]") {
  std::mt19937_64 rng(2026);
  std::uniform_int_distribution<int> digit(0, 9);
  std::uniform_int_distribution<int> where(0, 7);
  const SolverRegistry& registry = builtin_solvers();
  for (int g = 0; g < 200; ++g) {
    NormalFormBuilder builder({"row", "column"}, std::vector<int>{2, 2});
    const int big = where(rng);
    for (int k = 0; k < 8; ++k) {
      builder.set_payoff(static_cast<std::size_t>(k / 2), k % 2, k == big ? 1e9 : digit(rng));
    }
    const NormalFormGame game = std::move(builder).build();
    const auto reference = exact_reference(game);
    REQUIRE_FALSE(reference.empty());
    for (const std::string name : {"support", "enumerate", "support-newton", "lemke-howson"}) {
      SolveOptions options;
      SolveContext context;
      const SolveResult result = registry.find(name)->solve(game, options, context);
      INFO(fmt::format("game {} (payoff {} is 1e9), {}: exact {} got {} ({})", g, big, name,
                       describe(reference), describe(rounded(result)), result.message));
      CHECK(result.status == SolveStatus::kOk);
      const auto found = rounded(result);
      if (name == "lemke-howson") {
        CHECK_FALSE(found.empty());
        for (const auto& key : found) CHECK(reference.contains(key));
      } else if (name == "support-newton") {
        // Complete on nondegenerate games; on these degenerate ones every answer must be exact.
        for (const auto& key : found) CHECK(reference.contains(key));
        CHECK_FALSE(found.empty());
      } else {
        CHECK(found == reference);
      }
    }
  }
}

TEST_CASE("scale: a 6x6 game with 63 equilibria keeps all of them at payoffs up to 1e9",
          "[scale]") {
  // Coordination with distinct rewards on the diagonal (row a_i, column b_i, 0 elsewhere): for
  // every non-empty set S of diagonal cells the players mix over S with weights proportional to
  // 1/b_i (row) and 1/a_i (column), and nothing else is an equilibrium: 2^6 - 1 = 63, six pure.
  // Scaled to hundreds of thousands and beyond, the payoff gaps between equilibria shrink
  // relative to the payoffs, as in large published games with many equilibria.
  const std::vector<double> a = {3, 5, 7, 11, 13, 17};
  const std::vector<double> b = {19, 2, 23, 29, 31, 37};
  NormalFormBuilder builder({"row", "column"}, std::vector<int>{6, 6});
  for (int i = 0; i < 6; ++i) {
    for (int j = 0; j < 6; ++j) {
      const std::size_t k = builder.peek().index(std::vector<int>{i, j});
      builder.set_payoff(k, 0, i == j ? a[i] : 0.0);
      builder.set_payoff(k, 1, i == j ? b[i] : 0.0);
    }
  }
  const NormalFormGame game = std::move(builder).build();
  const SolverRegistry& registry = builtin_solvers();
  for (const std::string name : {"support", "enumerate", "support-newton"}) {
    for (const auto& [scale, shift] :
         std::vector<std::pair<double, double>>{{1, 0}, {1e5, 0}, {3e5, 17}, {1e9, 0}, {1e9, -4e9}}) {
      SolveOptions options;
      SolveContext context;
      const SolveResult result =
          registry.find(name)->solve(transformed(game, scale, shift), options, context);
      INFO(fmt::format("{} at payoffs x {:g} + {:g}: {}", name, scale, shift, result.message));
      CHECK(result.status == SolveStatus::kOk);
      REQUIRE(result.equilibria.size() == 63);
      std::size_t pure = 0;
      for (const auto& eq : result.equilibria) {
        pure += eq.profile.is_pure() ? 1 : 0;
        // Both players mix over the same diagonal cells, with the weights above.
        const auto row = eq.profile.probabilities(0);
        const auto col = eq.profile.probabilities(1);
        double row_sum = 0.0;
        double col_sum = 0.0;
        for (int i = 0; i < 6; ++i) {
          CHECK((row[i] > 0) == (col[i] > 0));
          if (row[i] > 0) {
            row_sum += 1.0 / b[i];
            col_sum += 1.0 / a[i];
          }
        }
        for (int i = 0; i < 6; ++i) {
          if (row[i] > 0) {
            CHECK(row[i] == Approx((1.0 / b[i]) / row_sum).epsilon(1e-12));
            CHECK(col[i] == Approx((1.0 / a[i]) / col_sum).epsilon(1e-12));
          }
        }
      }
      CHECK(pure == 6);
    }
  }
  check_invariance(game, "6x6 coordination with 63 equilibria");
}

TEST_CASE("scale: a solver that claims an equilibrium never reports none", "[scale]") {
  // Every two-player 2x2 game with payoffs in {0, 1, 1e9} for the column player.
  const SolverRegistry& registry = builtin_solvers();
  const double values[] = {0.0, 1.0, 1e9};
  for (int code = 0; code < 81; ++code) {
    NormalFormBuilder builder({"row", "column"}, std::vector<int>{2, 2});
    int c = code;
    for (std::size_t k = 0; k < 4; ++k) {
      builder.set_payoff(k, 0, static_cast<double>((k * 7 + 3) % 5));
      builder.set_payoff(k, 1, values[c % 3]);
      c /= 3;
    }
    const NormalFormGame game = std::move(builder).build();
    for (const auto& entry : registry.all()) {
      if (!entry.finds_one || entry.is_tree_solver() || entry.check(game)) continue;
      SolveOptions options;
      SolveContext context;
      const SolveResult result = entry.solve(game, options, context);
      INFO(fmt::format("code {}, {}: {}", code, entry.name, result.message));
      CHECK((result.status != SolveStatus::kOk || !result.equilibria.empty()));
      CHECK(result.status == SolveStatus::kOk);
    }
  }
}


/// The tree with every payoff replaced by scale * u + shift, exactly (same nodes, moves,
/// information sets and chance probabilities).
GameTree transformed(const GameTree& tree, double scale, double shift) {
  GameTreeBuilder builder(tree.player_names());
  std::vector<int> id(static_cast<std::size_t>(tree.num_nodes()), -1);
  for (int n = tree.num_nodes() - 1; n >= 0; --n) {  // children have larger ids than parents
    const TreeNode& node = tree.node(n);
    std::vector<int> children;
    for (int c : node.children) children.push_back(id[static_cast<std::size_t>(c)]);
    switch (node.kind) {
      case NodeKind::kTerminal: {
        std::vector<double> payoffs;
        std::vector<mpq_class> exact;
        for (int p = 0; p < tree.num_players(); ++p) {
          exact.push_back(tree.exact_payoff(n, p) * mpq_class(scale) + mpq_class(shift));
          payoffs.push_back(nearest_double(exact.back()));
        }
        id[static_cast<std::size_t>(n)] = builder.add_terminal(payoffs, node.label, node.outcome);
        builder.set_exact_payoffs(id[static_cast<std::size_t>(n)], exact);
        break;
      }
      case NodeKind::kChance: {
        id[static_cast<std::size_t>(n)] =
            builder.add_chance(node.moves, node.probabilities, children, node.label);
        std::vector<mpq_class> exact;
        for (std::size_t m = 0; m < node.moves.size(); ++m) {
          exact.push_back(tree.exact_probability(n, static_cast<int>(m)));
        }
        builder.set_exact_probabilities(id[static_cast<std::size_t>(n)], exact);
        break;
      }
      case NodeKind::kDecision:
        id[static_cast<std::size_t>(n)] = builder.add_decision(
            {.player = node.player, .infoset = "h" + std::to_string(node.infoset),
             .infoset_label = tree.infoset(node.infoset).label, .moves = node.moves,
             .children = children, .label = node.label});
        break;
    }
  }
  return std::move(builder).build(id[0]);
}

std::set<std::vector<long long>> rounded(const TreeSolveResult& result) {
  std::set<std::vector<long long>> out;
  for (const auto& eq : result.equilibria) {
    std::vector<long long> key;
    for (const auto& set : eq.behaviour) {
      for (double x : set) key.push_back(std::llround(x * 1e6));
    }
    out.insert(key);
  }
  return out;
}

TEST_CASE("scale: every tree solver gives the same equilibria with payoffs x 1e6 and shifted",
          "[scale][tree]") {
  const SolverRegistry& registry = builtin_solvers();
  int compared = 0;
  for (const std::string file : {"card_game.efg", "entry_deterrence.efg", "kuhn_poker.efg",
                                 "selten_horse.efg", "ultimatum.efg"}) {
    const GameTree tree = read_efg(testing::efg_fixture(file));
    for (const auto& entry : registry.all()) {
      if (!entry.is_tree_solver() || entry.tree_check(tree)) continue;
      SolveOptions options;
      options.threads = 1;
      SolveContext context;
      const TreeSolveResult base = entry.solve_tree(tree, options, context);
      const auto expected = rounded(base);
      for (const auto& [scale, shift] : std::vector<std::pair<double, double>>{
               {1e6, 0.0}, {1e-6, 0.0}, {1e9, 0.0}, {1.0, 1e6}, {1e3, -7e8}}) {
        const TreeSolveResult result =
            entry.solve_tree(transformed(tree, scale, shift), options, context);
        INFO(fmt::format("{} with {}, payoffs x {:g} + {:g}: expected {} got {} ({})", file,
                         entry.name, scale, shift, describe(expected), describe(rounded(result)),
                         result.message));
        CHECK(result.status == base.status);
        CHECK(rounded(result) == expected);
        ++compared;
      }
    }
  }
  CHECK(compared >= 25);
}

TEST_CASE("scale: repeated-game analysis is the same with stage payoffs scaled and shifted",
          "[scale][repeated]") {
  // Prisoner's dilemma (T, R, P, S) = (5, 3, 1, 0) and a stag hunt; action 0 cooperates.
  const std::vector<NormalFormGame> stages = {
      testing::bimatrix({{3, 0}, {5, 1}}, {{3, 5}, {0, 1}}),
      testing::bimatrix({{4, 0}, {3, 3}}, {{4, 3}, {0, 3}})};
  const MoveRoles roles{{0, 0}, {1, 1}};
  for (std::size_t g = 0; g < stages.size(); ++g) {
    const NormalFormGame& stage = stages[g];
    const PayoffRegion region = payoff_region(stage);
    for (const std::string name : {"grim", "tit_for_tat", "win_stay_lose_shift"}) {
      const AutomatonProfile profile{builtin_strategy(name, stage, 0, roles),
                                     builtin_strategy(name, stage, 1, roles)};
      const DeltaSet base = equilibrium_deltas(stage, profile, false);
      const DeltaSet base_nash = equilibrium_deltas(stage, profile, true);
      for (const auto& [scale, shift] : std::vector<std::pair<double, double>>{
               {1e6, 0.0}, {1e-6, 0.0}, {1e9, 0.0}, {1.0, 1e6}, {1e3, -7e8}}) {
        const NormalFormGame moved = transformed(stage, scale, shift);
        INFO(fmt::format("stage game {}, {}, payoffs x {:g} + {:g}", g, name, scale, shift));
        const DeltaSet spe = equilibrium_deltas(moved, profile, false);
        const DeltaSet nash = equilibrium_deltas(moved, profile, true);
        REQUIRE(spe.intervals.size() == base.intervals.size());
        for (std::size_t i = 0; i < spe.intervals.size(); ++i) {
          CHECK(spe.intervals[i].first == Approx(base.intervals[i].first).margin(1e-9));
          CHECK(spe.intervals[i].second == Approx(base.intervals[i].second).margin(1e-9));
        }
        REQUIRE(nash.intervals.size() == base_nash.intervals.size());
        for (std::size_t i = 0; i < nash.intervals.size(); ++i) {
          CHECK(nash.intervals[i].first == Approx(base_nash.intervals[i].first).margin(1e-9));
        }
        // The folk-theorem region moves with the payoffs (the same vertices, in payoff units
        // rounded to a millionth of the range; the polygon may start at another vertex).
        const auto vertices = [&](const std::vector<std::vector<double>>& points, double a,
                                  double b) {
          std::set<std::vector<long long>> out;
          for (const auto& v : points) {
            std::vector<long long> key;
            for (double x : v) key.push_back(std::llround(((x - b) / a) * 1e6));
            out.insert(key);
          }
          return out;
        };
        const PayoffRegion moved_region = payoff_region(moved);
        CHECK(vertices(moved_region.feasible, scale, shift) == vertices(region.feasible, 1, 0));
        CHECK(vertices(moved_region.individually_rational, scale, shift) ==
              vertices(region.individually_rational, 1, 0));
      }
    }
  }
}

}  // namespace
}  // namespace stratagem
