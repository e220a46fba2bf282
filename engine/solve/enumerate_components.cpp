#include "solve/enumerate_components.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <numeric>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace stratagem {
namespace {

/// Maximal bicliques of the bipartite graph `adjacent[row] = sorted columns`; each returned as
/// (rows, columns), sorted. Every maximal biclique has its column set equal to an intersection
/// of row neighbourhoods, so those intersections (closed under further intersection) are
/// enumerated -- separately in each connected component of the graph, where a biclique lies
/// whole. An isolated equilibrium is a component of one edge and costs O(1), so a game whose
/// extreme equilibria are isolated takes time linear in their number (a 10 x 10 coordination
/// game's 1,023 took 2 s when the closure ran over the whole graph at once).
std::vector<std::pair<std::vector<int>, std::vector<int>>> maximal_bicliques(
    const std::vector<std::vector<int>>& adjacent, int columns) {
  const int rows = static_cast<int>(adjacent.size());
  // Connected components over rows [0, rows) and columns [rows, rows + columns).
  std::vector<int> parent(static_cast<std::size_t>(rows + columns));
  std::iota(parent.begin(), parent.end(), 0);
  const auto root = [&](int v) {
    while (parent[static_cast<std::size_t>(v)] != v) {
      v = parent[static_cast<std::size_t>(v)] =
          parent[static_cast<std::size_t>(parent[static_cast<std::size_t>(v)])];
    }
    return v;
  };
  for (int r = 0; r < rows; ++r) {
    for (int c : adjacent[static_cast<std::size_t>(r)]) {
      const int a = root(r), b = root(rows + c);
      if (a != b) parent[static_cast<std::size_t>(std::max(a, b))] = std::min(a, b);
    }
  }
  std::map<int, std::pair<std::vector<int>, std::vector<int>>> parts;  // root -> (rows, columns)
  for (int r = 0; r < rows; ++r) {
    if (!adjacent[static_cast<std::size_t>(r)].empty()) parts[root(r)].first.push_back(r);
  }
  for (int c = 0; c < columns; ++c) {
    const auto it = parts.find(root(rows + c));
    if (it != parts.end()) it->second.second.push_back(c);
  }

  std::vector<std::pair<std::vector<int>, std::vector<int>>> out;
  using Set = std::vector<std::uint64_t>;  // bits over the component's columns
  for (const auto& [key, part] : parts) {
    const auto& [part_rows, part_cols] = part;
    if (part_rows.size() == 1 || part_cols.size() == 1) {  // one biclique: the whole component
      out.emplace_back(part_rows, part_cols);
      continue;
    }
    std::map<int, std::size_t> local;
    for (std::size_t k = 0; k < part_cols.size(); ++k) local[part_cols[k]] = k;
    const std::size_t words = (part_cols.size() + 63) / 64;
    std::vector<Set> neighbourhood;
    for (int r : part_rows) {
      Set set(words, 0);
      for (int c : adjacent[static_cast<std::size_t>(r)]) {
        const std::size_t k = local.at(c);
        set[k / 64] |= std::uint64_t{1} << (k % 64);
      }
      neighbourhood.push_back(std::move(set));
    }
    std::set<Set> closed;
    std::vector<Set> work;
    for (const auto& set : neighbourhood) {
      if (closed.insert(set).second) work.push_back(set);
    }
    while (!work.empty()) {
      const Set y = std::move(work.back());
      work.pop_back();
      for (const auto& set : neighbourhood) {
        Set z(words);
        bool any = false;
        for (std::size_t w = 0; w < words; ++w) any |= (z[w] = y[w] & set[w]) != 0;
        if (any && closed.insert(z).second) work.push_back(std::move(z));
      }
    }
    for (const auto& y : closed) {
      std::vector<int> xs, ys;
      for (std::size_t k = 0; k < part_cols.size(); ++k) {
        if ((y[k / 64] >> (k % 64)) & 1U) ys.push_back(part_cols[k]);
      }
      for (std::size_t i = 0; i < part_rows.size(); ++i) {
        bool contains = true;
        for (std::size_t w = 0; w < words; ++w) contains &= (y[w] & ~neighbourhood[i][w]) == 0;
        if (contains) xs.push_back(part_rows[i]);
      }
      out.emplace_back(std::move(xs), std::move(ys));
    }
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
