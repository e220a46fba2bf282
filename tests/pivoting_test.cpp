#include <algorithm>
#include <atomic>
#include <chrono>
#include <thread>
#include <map>
#include <catch2/catch.hpp>
#include <random>
#include <set>
#include <stdexcept>

#include <tbb/parallel_for.h>

#include "reference_games.hpp"
#include "solve/polytope.hpp"
#include "stratagem/solve/enumerate.hpp"
#include "stratagem/solve/lemke_howson.hpp"
#include "stratagem/solve/support.hpp"
#include "test_games.hpp"

using namespace stratagem;
using stratagem::testing::bimatrix;
using stratagem::testing::random_game;
using stratagem::testing::random_real_game;

namespace {

SolveContext& ctx() {
  static SolveContext context;
  return context;
}

bool contains(const std::vector<MixedProfile>& set, const MixedProfile& p, double tol) {
  return std::any_of(set.begin(), set.end(),
                     [&](const MixedProfile& q) { return q.distance(p) <= tol; });
}

std::vector<MixedProfile> profiles(const std::vector<Equilibrium>& eqs) {
  std::vector<MixedProfile> out;
  for (const auto& e : eqs) out.push_back(e.profile);
  return out;
}

/// Same sets of profiles within tol, each listed once.
bool same_set(const std::vector<MixedProfile>& found, const std::vector<MixedProfile>& want,
              double tol) {
  if (found.size() != want.size()) return false;
  for (const auto& w : want) {
    if (!contains(found, w, tol)) return false;
  }
  for (const auto& f : found) {
    if (!contains(want, f, tol)) return false;
  }
  return true;
}

std::set<std::vector<int>> pure_set(const std::vector<Equilibrium>& eqs) {
  std::set<std::vector<int>> out;
  for (const auto& e : eqs) {
    std::vector<int> actions;
    if (e.profile.is_pure(1e-12, &actions)) out.insert(actions);
  }
  return out;
}

/// Checks the clique structure against the list of extreme equilibria, independently of how
/// it was computed: every pair of a clique is an extreme equilibrium, no clique can grow, every
/// equilibrium is in some clique, components partition the equilibria, and points inside each
/// clique's convex hulls are equilibria.
void check_cliques(const NormalFormGame& game, const EnumerationResult& r) {
  const auto& eqs = r.equilibria;
  REQUIRE(r.row_vertex.size() == eqs.size());
  auto is_pair = [&](int x, int y) {
    for (std::size_t e = 0; e < eqs.size(); ++e) {
      if (r.row_vertex[e] == x && r.column_vertex[e] == y) return true;
    }
    return false;
  };
  std::set<int> covered;
  for (const auto& c : r.cliques) {
    REQUIRE_FALSE(c.row_vertices.empty());
    REQUIRE_FALSE(c.column_vertices.empty());
    CHECK(c.equilibria.size() == c.row_vertices.size() * c.column_vertices.size());
    for (int x : c.row_vertices) {
      for (int y : c.column_vertices) CHECK(is_pair(x, y));
    }
    for (int e : c.equilibria) covered.insert(e);
    // Maximal: no other row (column) vertex pairs with all of the clique's columns (rows).
    for (int x = 0; x < static_cast<int>(r.row_strategies.size()); ++x) {
      if (std::find(c.row_vertices.begin(), c.row_vertices.end(), x) != c.row_vertices.end()) {
        continue;
      }
      CHECK_FALSE(std::all_of(c.column_vertices.begin(), c.column_vertices.end(),
                              [&](int y) { return is_pair(x, y); }));
    }
    for (int y = 0; y < static_cast<int>(r.column_strategies.size()); ++y) {
      if (std::find(c.column_vertices.begin(), c.column_vertices.end(), y) !=
          c.column_vertices.end()) {
        continue;
      }
      CHECK_FALSE(std::all_of(c.row_vertices.begin(), c.row_vertices.end(),
                              [&](int x) { return is_pair(x, y); }));
    }
    // The barycentre of each side is an equilibrium when paired.
    std::vector<double> x(static_cast<std::size_t>(game.num_actions(0)), 0.0);
    std::vector<double> y(static_cast<std::size_t>(game.num_actions(1)), 0.0);
    for (int v : c.row_vertices) {
      for (std::size_t i = 0; i < x.size(); ++i) {
        x[i] += r.row_strategies[static_cast<std::size_t>(v)][i] /
                static_cast<double>(c.row_vertices.size());
      }
    }
    for (int v : c.column_vertices) {
      for (std::size_t j = 0; j < y.size(); ++j) {
        y[j] += r.column_strategies[static_cast<std::size_t>(v)][j] /
                static_cast<double>(c.column_vertices.size());
      }
    }
    CHECK(max_regret(game, MixedProfile({x, y})) <= 1e-9);
  }
  CHECK(covered.size() == eqs.size());
  std::set<int> in_components;
  for (const auto& comp : r.components) {
    for (int e : comp.equilibria) CHECK(in_components.insert(e).second);
  }
  CHECK(in_components.size() == eqs.size());
}

/// Indices (into the equilibria) of the component containing the pure profile `actions`.
std::vector<int> component_of_pure(const EnumerationResult& r, const std::vector<int>& actions) {
  for (const auto& comp : r.components) {
    for (int e : comp.equilibria) {
      std::vector<int> a;
      if (r.equilibria[static_cast<std::size_t>(e)].profile.is_pure(1e-12, &a) && a == actions) {
        return comp.equilibria;
      }
    }
  }
  return {};
}

}  // namespace

TEST_CASE("enumerate finds exactly the reference extreme equilibria", "[solve][enumerate]") {
  int two_player = 0, degenerate = 0;
  for (const auto& ref : load_reference_games()) {
    if (ref.game.num_players() != 2) continue;
    INFO(ref.name);
    ++two_player;
    degenerate += ref.degenerate ? 1 : 0;
    const auto r = enumerate_extreme_equilibria(ref.game, {}, ctx());
    REQUIRE(r.status == SolveStatus::kOk);
    CHECK(same_set(profiles(r.equilibria), ref.equilibria, 1e-6));
    for (const auto& e : r.equilibria) {
      CHECK(e.max_regret <= 1e-9);
      CHECK(e.profile.is_distribution(1e-12));
      CHECK(e.method == "enumerate");
    }
    check_cliques(ref.game, r);
    if (!ref.degenerate) CHECK(r.cliques.size() == r.equilibria.size());
  }
  CHECK(two_player >= 10);
  CHECK(degenerate >= 2);
}

TEST_CASE("lemke-howson reaches only reference equilibria", "[solve][lemke-howson]") {
  for (const auto& ref : load_reference_games()) {
    if (ref.game.num_players() != 2) continue;
    INFO(ref.name);
    const auto r = run_lemke_howson(ref.game, {}, ctx());
    REQUIRE(r.status == SolveStatus::kOk);
    const int labels = ref.game.num_actions(0) + ref.game.num_actions(1);
    REQUIRE(static_cast<int>(r.paths.size()) == labels);
    REQUIRE_FALSE(r.equilibria.empty());
    for (int k = 0; k < labels; ++k) {
      CHECK(r.paths[static_cast<std::size_t>(k)].start_label == k + 1);
      CHECK(r.paths[static_cast<std::size_t>(k)].equilibrium >= 0);
      CHECK(r.paths[static_cast<std::size_t>(k)].pivots >= 2);
    }
    for (const auto& e : r.equilibria) {
      CHECK(e.max_regret <= 1e-9);
      // Lexicographic paths end at vertex pairs, so even in degenerate games every endpoint
      // is an extreme equilibrium.
      CHECK(contains(ref.equilibria, e.profile, 1e-6));
    }
    const auto pure = pure_set(r.equilibria);
    for (const auto& p : pure) {
      CHECK(std::find(ref.pure_equilibria.begin(), ref.pure_equilibria.end(), p) !=
            ref.pure_equilibria.end());
    }
  }
}

TEST_CASE("random nondegenerate games: support = enumerate, lemke-howson within",
          "[solve][enumerate][lemke-howson]") {
  for (unsigned seed = 1; seed <= 60; ++seed) {
    const int m = 1 + static_cast<int>(seed % 8), n = 1 + static_cast<int>((seed * 5 + 3) % 8);
    INFO("seed " << seed << " size " << m << "x" << n);
    const auto g = random_real_game({m, n}, seed);
    const auto support = solve_support(g, {}, ctx());
    const auto all = solve_enumerate(g, {}, ctx());
    const auto lh = solve_lemke_howson(g, {}, ctx());
    CHECK(all.size() % 2 == 1);
    CHECK(same_set(profiles(all), profiles(support), 1e-8));
    REQUIRE_FALSE(lh.empty());
    for (const auto& e : lh) {
      CHECK(e.max_regret <= 1e-9);
      CHECK(contains(profiles(all), e.profile, 1e-8));
    }
    for (const auto& e : all) CHECK(e.max_regret <= 1e-9);
  }
}

TEST_CASE("the visited-basis set: overflow past its table and concurrent inserts",
          "[solve][enumerate]") {
  // Far more keys than the table holds (the smallest table: 1024 slots), so most probe windows
  // fill and the locked overflow sets take the rest; every key is new exactly once.
  std::mt19937_64 rng(7);
  std::vector<detail::BitSet> keys;
  std::set<detail::BitSet> distinct;
  while (keys.size() < 20000) {
    detail::BitSet s;
    for (int b = 0; b < 5; ++b) s.set(static_cast<int>(rng() % detail::BitSet::kMaxBits));
    keys.push_back(s);
    distinct.insert(s);
  }
  detail::VisitedBases serial(1);
  REQUIRE(serial.capacity() == 1024);
  std::size_t fresh = 0;
  for (const auto& k : keys) fresh += serial.insert(k) ? 1 : 0;
  CHECK(fresh == distinct.size());
  std::size_t again = 0;
  for (const auto& k : distinct) again += serial.insert(k) ? 1 : 0;
  CHECK(again == 0);

  // Two threads (or more) inserting the same keys at once: each key is reported new once.
  detail::VisitedBases shared(1);
  std::vector<std::atomic<int>> wins(keys.size());
  tbb::parallel_for(std::size_t{0}, 2 * keys.size(), [&](std::size_t i) {
    const std::size_t k = i % keys.size();
    if (shared.insert(keys[k])) wins[k].fetch_add(1);
  });
  std::map<detail::BitSet, int> per_key;
  for (std::size_t k = 0; k < keys.size(); ++k) per_key[keys[k]] += wins[k].load();
  std::size_t wrong = 0;
  for (const auto& [key, count] : per_key) wrong += count == 1 ? 0 : 1;
  CHECK(per_key.size() == distinct.size());
  CHECK(wrong == 0);
  CHECK(shared.size() == distinct.size());
}

TEST_CASE("the visited-basis set grows when asked, keeping every key", "[solve][enumerate]") {
  std::mt19937_64 rng(11);
  std::vector<detail::BitSet> keys;
  for (int i = 0; i < 30000; ++i) {
    detail::BitSet s;
    for (int b = 0; b < 6; ++b) s.set(static_cast<int>(rng() % detail::BitSet::kMaxBits));
    keys.push_back(s);
  }
  const std::set<detail::BitSet> distinct(keys.begin(), keys.end());
  // Rounds of parallel inserts, as the search does them: stop when the set asks to grow,
  // grow, go on with the keys not yet inserted.
  detail::VisitedBases seen(1);
  std::vector<std::atomic<int>> wins(keys.size());
  std::size_t next = 0, grown = 0;
  while (next < keys.size()) {
    const std::size_t end = std::min(keys.size(), next + 700);
    tbb::parallel_for(next, end, [&](std::size_t k) {
      if (seen.insert(keys[k])) wins[k].fetch_add(1);
      if (seen.insert(keys[(k * 7919) % end])) wins[(k * 7919) % end].fetch_add(1);
    });
    next = end;
    if (seen.wants_to_grow()) {
      seen.grow();
      ++grown;
      CHECK_FALSE(seen.wants_to_grow());
    }
  }
  CHECK(grown >= 2);
  CHECK(seen.capacity() >= 2 * distinct.size());
  std::map<detail::BitSet, int> per_key;
  for (std::size_t k = 0; k < keys.size(); ++k) per_key[keys[k]] += wins[k].load();
  std::size_t wrong = 0;
  for (const auto& [key, count] : per_key) wrong += count == 1 ? 0 : 1;
  CHECK(wrong == 0);
  CHECK(seen.size() == distinct.size());
  std::size_t again = 0;
  for (const auto& k : distinct) again += seen.insert(k) ? 1 : 0;
  CHECK(again == 0);
}

TEST_CASE("enumerate stops when asked, reporting what it found", "[solve][enumerate]") {
  const auto g = random_real_game({15, 15}, 3);
  SolveOptions two;
  two.threads = 2;
  SECTION("stop already requested") {
    std::atomic<bool> stop{true};
    SolveContext context(&stop);
    const auto r = enumerate_extreme_equilibria(g, two, context);
    CHECK(r.status == SolveStatus::kCancelled);
    CHECK(r.equilibria.empty());
  }
  SECTION("stop requested during the search (this 15 x 15 search takes 0.1-0.3 s)") {
    std::atomic<bool> stop{false};
    SolveContext context(&stop);
    std::thread stopper([&] {
      std::this_thread::sleep_for(std::chrono::milliseconds(30));
      stop = true;
    });
    const auto r = enumerate_extreme_equilibria(g, two, context);
    stopper.join();
    CHECK(r.status == SolveStatus::kCancelled);
    // What was found before the stop is reported: true equilibria, part of the full set.
    const auto full = enumerate_extreme_equilibria(g, two, ctx());
    REQUIRE(full.status == SolveStatus::kOk);
    CHECK(r.equilibria.size() < full.equilibria.size());
    CHECK(r.row_polytope_vertices > 0);
    CHECK(r.row_polytope_vertices < full.row_polytope_vertices);
    for (const auto& e : r.equilibria) {
      CHECK(e.max_regret <= 1e-9);
      CHECK(contains(profiles(full.equilibria), e.profile, 1e-9));
    }
  }
}

TEST_CASE("enumerate output does not depend on the thread count", "[solve][enumerate]") {
  for (unsigned seed = 1; seed <= 6; ++seed) {
    const auto g = seed % 2 == 0 ? random_real_game({9, 9}, seed) : random_game({7, 8}, seed, 0, 3);
    SolveOptions one, two;
    one.threads = 1;
    two.threads = 2;
    const auto a = enumerate_extreme_equilibria(g, one, ctx());
    const auto b = enumerate_extreme_equilibria(g, two, ctx());
    REQUIRE(a.equilibria.size() == b.equilibria.size());
    for (std::size_t i = 0; i < a.equilibria.size(); ++i) {
      CHECK(a.equilibria[i].profile.flat() == b.equilibria[i].profile.flat());
    }
    CHECK(components_analysis(a).data == components_analysis(b).data);
  }
}

TEST_CASE("enumerate: degenerate games and their components", "[solve][enumerate]") {
  SECTION("column indifferent: one clique {T} x conv{L, R}") {
    const auto g = bimatrix({{2, 2}, {0, 0}}, {{1, 1}, {0, 2}});
    const auto r = enumerate_extreme_equilibria(g, {}, ctx());
    CHECK(pure_set(r.equilibria) == std::set<std::vector<int>>{{0, 0}, {0, 1}});
    REQUIRE(r.equilibria.size() == 2);
    REQUIRE(r.cliques.size() == 1);
    CHECK(r.cliques[0].row_vertices.size() == 1);
    CHECK(r.cliques[0].column_vertices.size() == 2);
    REQUIRE(r.components.size() == 1);
    CHECK(r.components[0].equilibria == std::vector<int>{0, 1});
    check_cliques(g, r);
    const auto analysis = components_analysis(r);
    CHECK(analysis.key == "components");
    CHECK(analysis.data["cliques"][0]["x_vertices"] == nlohmann::json::array({1}));
    CHECK(analysis.data["cliques"][0]["y_vertices"] == nlohmann::json::array({1, 2}));
    REQUIRE(analysis.text.size() == 2);
    CHECK(analysis.text[0] ==
          "component 1: every convex combination of equilibria 1 (row) × 1, 2 (column)");
    // P = {x >= 0 : B'x <= 1} has 0, (2/3, 0) (both constraints tight) and (0, 1/2); Q has 0 and
    // the two axis points of 2 y1 + 2 y2 <= 1 (after moving payoffs into [1, 2]).
    CHECK(analysis.text[1] ==
          "vertices of the best-response polytopes: 3 (row player), 3 (column player), 0 included");
    CHECK(analysis.data["polytope_vertices"]["row"] == 3);
    CHECK(analysis.data["polytope_vertices"]["column"] == 3);
  }
  SECTION("duplicate rows: a segment of equilibria") {
    const auto g = bimatrix({{1, 0}, {1, 0}, {0, 2}}, {{0, 1}, {0, 1}, {1, 0}});
    const auto r = enumerate_extreme_equilibria(g, {}, ctx());
    CHECK(same_set(profiles(r.equilibria),
                   {MixedProfile({{0.5, 0, 0.5}, {2.0 / 3, 1.0 / 3}}),
                    MixedProfile({{0, 0.5, 0.5}, {2.0 / 3, 1.0 / 3}})},
                   1e-12));
    REQUIRE(r.cliques.size() == 1);
    CHECK(r.cliques[0].row_vertices.size() == 2);
    CHECK(r.cliques[0].column_vertices.size() == 1);
    CHECK(r.components.size() == 1);
    check_cliques(g, r);
  }
  SECTION("all-zero payoffs: every pure profile, one clique of all of them") {
    const auto g = bimatrix({{0, 0, 0}, {0, 0, 0}}, {{0, 0, 0}, {0, 0, 0}});
    const auto r = enumerate_extreme_equilibria(g, {}, ctx());
    CHECK(r.equilibria.size() == 6);
    CHECK(pure_set(r.equilibria).size() == 6);
    REQUIRE(r.cliques.size() == 1);
    CHECK(r.cliques[0].equilibria.size() == 6);
    CHECK(r.components.size() == 1);
    check_cliques(g, r);
  }
  SECTION("reference 4x4: three cliques joined into one component, one isolated equilibrium") {
    const auto games = load_reference_games();
    const auto ref = std::find_if(games.begin(), games.end(), [](const ReferenceGame& g) {
      return g.name == "degenerate_4x4_s11_7";
    });
    REQUIRE(ref != games.end());
    const auto r = enumerate_extreme_equilibria(ref->game, {}, ctx());
    REQUIRE(r.equilibria.size() == 5);
    CHECK(r.cliques.size() == 4);
    CHECK(r.components.size() == 2);
    CHECK(component_of_pure(r, {0, 0}).size() == 4);
    CHECK(component_of_pure(r, {2, 3}).size() == 1);
  }
  SECTION("random small-payoff games: structure is consistent") {
    for (unsigned seed = 1; seed <= 25; ++seed) {
      INFO("seed " << seed);
      const auto g =
          random_game({2 + static_cast<int>(seed % 4), 2 + static_cast<int>(seed % 3)}, seed, 0, 2);
      const auto r = enumerate_extreme_equilibria(g, {}, ctx());
      REQUIRE_FALSE(r.equilibria.empty());
      for (const auto& e : r.equilibria) CHECK(e.max_regret <= 1e-9);
      // Every pure equilibrium is extreme.
      const auto pure = pure_set(r.equilibria);
      for (std::size_t idx = 0; idx < g.num_profiles(); ++idx) {
        const auto actions = g.profile(idx);
        const auto p = MixedProfile::pure(g.shape(), actions);
        if (max_regret(g, p) == 0.0) CHECK(pure.count(actions) == 1);
      }
      // Support enumeration solves square indifference systems with unique solutions, so
      // what it finds are vertex pairs: extreme equilibria.
      for (const auto& e : solve_support(g, {}, ctx())) {
        CHECK(contains(profiles(r.equilibria), e.profile, 1e-8));
      }
      check_cliques(g, r);
    }
  }
}

TEST_CASE("lemke-howson: options, degenerate games and larger games", "[solve][lemke-howson]") {
  SECTION("one start label") {
    const auto g = bimatrix({{2, 0}, {0, 1}}, {{1, 0}, {0, 2}});
    SolveOptions options;
    options.start_label = 3;
    const auto r = run_lemke_howson(g, options, ctx());
    REQUIRE(r.paths.size() == 1);
    CHECK(r.paths[0].start_label == 3);
    REQUIRE(r.equilibria.size() == 1);
    CHECK(r.equilibria[0].max_regret <= 1e-12);
    options.start_label = 5;
    CHECK_THROWS_AS(run_lemke_howson(g, options, ctx()), std::invalid_argument);
    options.start_label = 0;
    CHECK_THROWS_AS(run_lemke_howson(g, options, ctx()), std::invalid_argument);
  }
  SECTION("verbose paths record the entering labels; analysis lists every path") {
    const auto g = random_real_game({4, 5}, 3);
    SolveOptions options;
    options.verbose_paths = true;
    const auto r = run_lemke_howson(g, options, ctx());
    for (const auto& p : r.paths) {
      CHECK(static_cast<int>(p.entering.size()) == p.pivots);
      CHECK(p.entering.front() == p.start_label);
    }
    const auto analysis = lemke_howson_analysis(g, r);
    CHECK(analysis.key == "lemke_howson");
    CHECK(analysis.data["paths"].size() == 9);
    CHECK(analysis.text.size() == 9);
  }
  SECTION("degenerate games end (no cycling) at equilibria") {
    const std::vector<NormalFormGame> games{
        bimatrix({{0, 0, 0}, {0, 0, 0}}, {{0, 0, 0}, {0, 0, 0}}),
        bimatrix({{1, 0}, {1, 0}, {0, 2}}, {{0, 1}, {0, 1}, {1, 0}}),
        bimatrix({{2, 2}, {0, 0}}, {{1, 1}, {0, 2}}),
        random_game({6, 6}, 5, 0, 1),
        random_game({8, 7}, 9, 0, 2),
    };
    for (const auto& g : games) {
      const auto r = run_lemke_howson(g, {}, ctx());
      CHECK(r.status == SolveStatus::kOk);
      const auto all = solve_enumerate(g, {}, ctx());
      for (const auto& e : r.equilibria) {
        CHECK(e.max_regret <= 1e-9);
        CHECK(contains(profiles(all), e.profile, 1e-8));
      }
    }
  }
  SECTION("a 40x40 game: every path ends at an equilibrium") {
    const auto g = random_real_game({40, 40}, 17);
    const auto r = run_lemke_howson(g, {}, ctx());
    REQUIRE(r.status == SolveStatus::kOk);
    for (const auto& e : r.equilibria) CHECK(e.max_regret <= 1e-9);
  }
}

TEST_CASE("pivoting solvers are registered", "[solve][enumerate][lemke-howson]") {
  const auto g = bimatrix({{2, 2}, {0, 0}}, {{1, 1}, {0, 2}});
  const auto* lh = builtin_solvers().find("lemke-howson");
  const auto* en = builtin_solvers().find("enumerate");
  REQUIRE(lh != nullptr);
  REQUIRE(en != nullptr);
  CHECK_FALSE(lh->check(g).has_value());
  CHECK(en->check(random_game({2, 2, 2}, 1)).has_value());
  SolveContext context;
  const auto lr = lh->solve(g, {}, context);
  REQUIRE(lr.analyses.size() == 1);
  CHECK(lr.analyses[0].key == "lemke_howson");
  const auto er = en->solve(g, {}, context);
  CHECK(er.equilibria.size() == 2);
  REQUIRE(er.analyses.size() == 1);
  CHECK(er.analyses[0].key == "components");
}
