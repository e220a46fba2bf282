#include "solve/enumerate_components.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <numeric>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace stratagem {
namespace {

/// Maximal bicliques of the bipartite graph `adjacent[row] = sorted columns`; each returned as
/// (rows, columns). Every maximal biclique has column set equal to an intersection of row
/// neighbourhoods, so those intersections (closed under further intersection) are enumerated.
std::vector<std::pair<std::vector<int>, std::vector<int>>> maximal_bicliques(
    const std::vector<std::vector<int>>& adjacent, int columns) {
  using Set = std::vector<bool>;
  std::vector<Set> neighbourhood;
  for (const auto& cols : adjacent) {
    Set s(static_cast<std::size_t>(columns), false);
    for (int c : cols) s[static_cast<std::size_t>(c)] = true;
    neighbourhood.push_back(std::move(s));
  }
  std::set<Set> closed;
  std::vector<Set> work;
  for (const auto& s : neighbourhood) {
    if (closed.insert(s).second) work.push_back(s);
  }
  while (!work.empty()) {
    const Set y = std::move(work.back());
    work.pop_back();
    for (const auto& s : neighbourhood) {
      Set z(y.size());
      bool any = false;
      for (std::size_t c = 0; c < y.size(); ++c) any |= (z[c] = y[c] && s[c]);
      if (any && closed.insert(z).second) work.push_back(std::move(z));
    }
  }
  std::vector<std::pair<std::vector<int>, std::vector<int>>> out;
  for (const auto& y : closed) {
    std::vector<int> rows, cols;
    for (std::size_t c = 0; c < y.size(); ++c) {
      if (y[c]) cols.push_back(static_cast<int>(c));
    }
    for (std::size_t r = 0; r < neighbourhood.size(); ++r) {
      if (std::all_of(cols.begin(), cols.end(),
                      [&](int c) { return neighbourhood[r][static_cast<std::size_t>(c)]; })) {
        rows.push_back(static_cast<int>(r));
      }
    }
    out.emplace_back(std::move(rows), std::move(cols));
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string join(const std::vector<int>& values) {
  std::string out;
  for (int v : values) out += (out.empty() ? "" : ", ") + std::to_string(v);
  return out;
}

}  // namespace

namespace detail {

/// Fills cliques and components of `result` from its equilibria's vertex indices.
void find_cliques(EnumerationResult& result) {
  const int rows = static_cast<int>(result.row_strategies.size());
  const int cols = static_cast<int>(result.column_strategies.size());
  std::vector<std::vector<int>> adjacent(static_cast<std::size_t>(rows));
  std::map<std::pair<int, int>, int> equilibrium_of;
  for (std::size_t e = 0; e < result.equilibria.size(); ++e) {
    adjacent[static_cast<std::size_t>(result.row_vertex[e])].push_back(result.column_vertex[e]);
    equilibrium_of[{result.row_vertex[e], result.column_vertex[e]}] = static_cast<int>(e);
  }
  std::vector<int> parent(result.equilibria.size());
  std::iota(parent.begin(), parent.end(), 0);
  auto root = [&](int e) {
    while (parent[static_cast<std::size_t>(e)] != e) {
      e = parent[static_cast<std::size_t>(e)] =
          parent[static_cast<std::size_t>(parent[static_cast<std::size_t>(e)])];
    }
    return e;
  };
  for (auto& [xs, ys] : maximal_bicliques(adjacent, cols)) {
    NashClique clique{.row_vertices = xs, .column_vertices = ys, .equilibria = {}};
    for (int x : xs) {
      for (int y : ys) clique.equilibria.push_back(equilibrium_of.at({x, y}));
    }
    std::sort(clique.equilibria.begin(), clique.equilibria.end());
    for (int e : clique.equilibria) {
      const int a = root(e), b = root(clique.equilibria.front());
      parent[static_cast<std::size_t>(std::max(a, b))] = std::min(a, b);
    }
    result.cliques.push_back(std::move(clique));
  }
  std::map<int, std::size_t> component_of_root;
  for (std::size_t e = 0; e < result.equilibria.size(); ++e) {
    const int r = root(static_cast<int>(e));
    auto [it, inserted] = component_of_root.emplace(r, result.components.size());
    if (inserted) result.components.emplace_back();
    result.components[it->second].equilibria.push_back(static_cast<int>(e));
  }
  for (std::size_t c = 0; c < result.cliques.size(); ++c) {
    const int r = root(result.cliques[c].equilibria.front());
    result.components[component_of_root.at(r)].cliques.push_back(static_cast<int>(c));
  }
}

}  // namespace detail

Analysis components_analysis(const EnumerationResult& result) {
  Analysis analysis{.key = "components", .data = nlohmann::json::object(), .text = {}};
  // First equilibrium (1-based) using each row / column vertex.
  std::vector<int> first_row(result.row_strategies.size(), 0);
  std::vector<int> first_column(result.column_strategies.size(), 0);
  for (std::size_t e = result.equilibria.size(); e-- > 0;) {
    first_row[static_cast<std::size_t>(result.row_vertex[e])] = static_cast<int>(e) + 1;
    first_column[static_cast<std::size_t>(result.column_vertex[e])] = static_cast<int>(e) + 1;
  }
  auto one_based = [](std::vector<int> v) {
    for (auto& x : v) ++x;
    return v;
  };
  auto describe = [&](const NashClique& c) {
    std::vector<int> xs, ys;
    for (int x : c.row_vertices) xs.push_back(first_row[static_cast<std::size_t>(x)]);
    for (int y : c.column_vertices) ys.push_back(first_column[static_cast<std::size_t>(y)]);
    if (c.equilibria.size() == 1) {
      return fmt::format("equilibrium {} (isolated)", c.equilibria.front() + 1);
    }
    return fmt::format("every convex combination of equilibria {} (row) × {} (column)", join(xs),
                       join(ys));
  };

  nlohmann::json cliques = nlohmann::json::array();
  bool trivial = true;
  for (std::size_t i = 0; i < result.cliques.size(); ++i) {
    const auto& c = result.cliques[i];
    std::vector<int> xs, ys;
    for (int x : c.row_vertices) xs.push_back(first_row[static_cast<std::size_t>(x)]);
    for (int y : c.column_vertices) ys.push_back(first_column[static_cast<std::size_t>(y)]);
    cliques.push_back({{"index", i + 1},
                       {"x_vertices", xs},
                       {"y_vertices", ys},
                       {"equilibria", one_based(c.equilibria)}});
    trivial = trivial && c.equilibria.size() == 1;
  }
  nlohmann::json components = nlohmann::json::array();
  for (std::size_t i = 0; i < result.components.size(); ++i) {
    const auto& comp = result.components[i];
    components.push_back({{"index", i + 1},
                          {"cliques", one_based(comp.cliques)},
                          {"equilibria", one_based(comp.equilibria)}});
    if (trivial) continue;
    if (comp.cliques.size() == 1) {
      analysis.text.push_back(
          fmt::format("component {}: {}", i + 1,
                      describe(result.cliques[static_cast<std::size_t>(comp.cliques[0])])));
      continue;
    }
    analysis.text.push_back(fmt::format("component {}: union of {} cliques (equilibria {})", i + 1,
                                        comp.cliques.size(), join(one_based(comp.equilibria))));
    for (int c : comp.cliques) {
      analysis.text.push_back(fmt::format("  clique {}: {}", c + 1,
                                          describe(result.cliques[static_cast<std::size_t>(c)])));
    }
  }
  if (trivial) {
    analysis.text.push_back(fmt::format("every equilibrium is isolated ({} component{})",
                                        result.components.size(),
                                        result.components.size() == 1 ? "" : "s"));
  }
  analysis.text.push_back(fmt::format(
      "vertices of the best-response polytopes: {} (row player), {} (column player), 0 included",
      result.row_polytope_vertices, result.column_polytope_vertices));
  analysis.data["cliques"] = std::move(cliques);
  analysis.data["components"] = std::move(components);
  analysis.data["polytope_vertices"] = {{"row", result.row_polytope_vertices},
                                        {"column", result.column_polytope_vertices}};
  return analysis;
}

}  // namespace stratagem
