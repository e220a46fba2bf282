#include "stratagem/solve/subgame_perfect.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <utility>

#include "stratagem/solve/backward_induction.hpp"
#include "stratagem/solve/lemke_howson.hpp"
#include "stratagem/solve/support.hpp"
#include "stratagem/solve/support_newton.hpp"

namespace stratagem {
namespace {

using Behaviour = std::vector<std::vector<double>>;

/// Largest total strategy count of a two-player subgame solved by support enumeration.
constexpr int kMaxSupportStrategies = 24;
/// Largest number of support profiles of a subgame of three or more players examined by
/// support-newton; above it, only its pure equilibria are searched.
constexpr std::size_t kMaxSupportProfiles = 100'000;
/// Largest number of pure strategies enumerated per deviator and subgame when verifying.
constexpr std::size_t kMaxDeviations = 1u << 20;

std::vector<int> subtree_sizes(const GameTree& tree) {
  std::vector<int> size(tree.num_nodes(), 1);
  for (int id = tree.num_nodes() - 1; id >= 0; --id) {
    for (int c : tree.node(id).children) size[id] += size[c];
  }
  return size;
}

/// Expected payoff of `player` from `node` when everyone follows `behaviour`, except that at
/// information sets h with `pure[h] >= 0` the move pure[h] is played.
double value(const GameTree& tree, int node, int player, const Behaviour& behaviour,
             const std::vector<int>& pure) {
  const TreeNode& n = tree.node(node);
  switch (n.kind) {
    case NodeKind::kTerminal:
      return n.payoffs[player];
    case NodeKind::kChance: {
      double v = 0.0;
      for (std::size_t m = 0; m < n.children.size(); ++m) {
        if (n.probabilities[m] > 0.0) {
          v += n.probabilities[m] * value(tree, n.children[m], player, behaviour, pure);
        }
      }
      return v;
    }
    case NodeKind::kDecision: {
      if (pure[n.infoset] >= 0) {
        return value(tree, n.children[pure[n.infoset]], player, behaviour, pure);
      }
      double v = 0.0;
      for (std::size_t m = 0; m < n.children.size(); ++m) {
        const double p = behaviour[n.infoset][m];
        if (p > 0.0) v += p * value(tree, n.children[m], player, behaviour, pure);
      }
      return v;
    }
  }
  return 0.0;
}

/// One equilibrium of one subgame: its value, the behaviour at the information sets it owns
/// (those not inside an inner subgame), and which equilibrium of each inner subgame it uses.
struct Solution {
  std::vector<double> value;
  std::vector<std::pair<int, std::vector<double>>> local;
  std::vector<int> inner;
};


}  // namespace

/// The first information set (tree order) at which `tree` lacks perfect recall: its nodes are
/// reached after different own moves of its player, or (absent-mindedness) one of its nodes
/// follows another. nullopt with perfect recall.
std::optional<RecallDefect> first_recall_defect(const GameTree& tree) {
  std::vector<std::vector<std::pair<int, int>>> history(tree.infosets().size());
  std::vector<bool> seen(tree.infosets().size(), false);
  std::optional<RecallDefect> defect;
  for (int id = 0; id < tree.num_nodes(); ++id) {
    const TreeNode& n = tree.node(id);
    if (n.kind != NodeKind::kDecision) continue;
    std::vector<std::pair<int, int>> own;  // (information set, move) of the player's own moves
    for (int c = id; tree.node(c).parent >= 0; c = tree.node(c).parent) {
      const TreeNode& up = tree.node(tree.node(c).parent);
      if (up.kind != NodeKind::kDecision || up.player != n.player) continue;
      if (up.infoset == n.infoset) {
        return RecallDefect{.infoset = n.infoset, .absent_minded = true};
      }
      own.emplace_back(up.infoset, tree.node(c).parent_move);
    }
    const auto h = static_cast<std::size_t>(n.infoset);
    if (!seen[h]) {
      seen[h] = true;
      history[h] = std::move(own);
    } else if (history[h] != own && !defect) {
      defect = RecallDefect{.infoset = n.infoset, .absent_minded = false};
    }
  }
  return defect;
}

namespace {
std::string describe_recall_defect(const GameTree& tree, const RecallDefect& defect) {
  const InfoSet& h = tree.infoset(defect.infoset);
  if (defect.absent_minded) {
    return fmt::format(
        "information set '{}' of {} is met twice on one path (absent-mindedness): behaviour "
        "strategies there are not mixtures of pure strategies, so an equilibrium in them cannot be "
        "verified by pure deviations; subgame-perfect does not support such trees (the reduced "
        "normal form, e.g. --method enumerate or support-newton, gives the equilibria in mixed "
        "strategies)",
        tree.infoset_name(defect.infoset), tree.player_name(h.player));
  }
  return fmt::format("information set '{}' of {} is reached after different own moves "
                     "(imperfect recall)",
                     tree.infoset_name(defect.infoset), tree.player_name(h.player));
}
}  // namespace

std::vector<int> subgame_roots(const GameTree& tree) {
  const auto size = subtree_sizes(tree);
  const std::size_t n_sets = tree.infosets().size();
  std::vector<int> lo(n_sets), hi(n_sets);
  for (std::size_t h = 0; h < n_sets; ++h) {
    const auto& nodes = tree.infoset(static_cast<int>(h)).nodes;
    lo[h] = nodes.front();
    hi[h] = nodes.back();
  }
  std::vector<int> roots;
  for (int v = 0; v < tree.num_nodes(); ++v) {
    if (tree.node(v).kind == NodeKind::kTerminal) continue;
    bool proper = true;
    for (int u = v; u < v + size[v] && proper; ++u) {
      const TreeNode& n = tree.node(u);
      if (n.kind == NodeKind::kDecision) {
        proper = lo[n.infoset] >= v && hi[n.infoset] < v + size[v];
      }
    }
    if (proper) roots.push_back(v);
  }
  return roots;
}

double behaviour_max_gain(const GameTree& tree, const Behaviour& behaviour) {
  const auto size = subtree_sizes(tree);
  const std::vector<int> none(tree.infosets().size(), -1);
  double gain = 0.0;
  for (int v : subgame_roots(tree)) {
    for (int player = 0; player < tree.num_players(); ++player) {
      // The player's information sets in this subgame.
      std::vector<int> sets;
      for (int h : tree.player_infosets(player)) {
        const int first = tree.infoset(h).nodes.front();
        if (first >= v && first < v + size[v]) sets.push_back(h);
      }
      if (sets.empty()) continue;
      std::size_t count = 1;
      std::vector<std::size_t> radix;
      for (int h : sets) {
        radix.push_back(tree.infoset(h).moves.size());
        count = count > kMaxDeviations / radix.back() ? kMaxDeviations + 1 : count * radix.back();
      }
      if (count > kMaxDeviations) {
        return std::numeric_limits<double>::quiet_NaN();  // too large to verify by enumeration
      }
      const double current = value(tree, v, player, behaviour, none);
      std::vector<int> pure = none;
      std::vector<int> counter(sets.size(), 0);
      double best = -std::numeric_limits<double>::infinity();
      do {
        for (std::size_t k = 0; k < sets.size(); ++k) pure[sets[k]] = counter[k];
        best = std::max(best, value(tree, v, player, behaviour, pure));
      } while (next_combination(counter, radix));
      gain = std::max(gain, best - current);
    }
  }
  return gain;
}

SubgamePerfectResult solve_subgame_perfect(const GameTree& tree,
                                           const SubgamePerfectOptions& options,
                                           SolveContext& context) {
  SubgamePerfectResult result;
  result.recall_defect = first_recall_defect(tree);
  if (result.recall_defect && result.recall_defect->absent_minded) {
    result.status = SolveStatus::kFailed;
    result.message = describe_recall_defect(tree, *result.recall_defect);
    return result;
  }
  // Each subgame root keeps up to `cap` solutions, each a behaviour profile of its subtree, so
  // the cap shrinks on large trees to keep cap * nodes within a fixed budget.
  constexpr std::size_t kBudget = 2'000'000;
  const std::size_t cap = std::clamp<std::size_t>(
      kBudget / static_cast<std::size_t>(std::max(1, tree.num_nodes())), 1,
      std::max<std::size_t>(1, options.max_equilibria));
  if (tree.node(0).kind == NodeKind::kTerminal) {
    result.equilibria.push_back(
        BehaviorEquilibrium{.behaviour = {}, .payoffs = tree.node(0).payoffs, .max_gain = 0.0, .reasoning = {}});
    return result;
  }
  const auto roots = subgame_roots(tree);
  // The nearest subgame root strictly above each subgame root.
  std::vector<int> is_root(tree.num_nodes(), 0);
  for (int r : roots) is_root[r] = 1;
  std::vector<std::vector<int>> frontier(tree.num_nodes());
  for (int r : roots) {
    if (r == 0) continue;
    int up = tree.node(r).parent;
    while (!is_root[up]) up = tree.node(up).parent;
    frontier[up].push_back(r);
  }
  std::vector<std::vector<Solution>> solutions(tree.num_nodes());
  std::vector<int> frontier_index(tree.num_nodes(), -1);
  bool truncated = false;

  for (auto it = roots.rbegin(); it != roots.rend(); ++it) {
    const int v = *it;
    result.subgames.push_back(v);
    const auto& inner = frontier[v];
    for (std::size_t j = 0; j < inner.size(); ++j) frontier_index[inner[j]] = static_cast<int>(j);
    std::vector<std::size_t> radix;
    for (int w : inner) radix.push_back(solutions[w].size());
    std::vector<int> counter(inner.size(), 0);
    if (std::find(radix.begin(), radix.end(), 0) != radix.end()) {
      if (result.message.empty()) {
        result.message = fmt::format(
            "no equilibrium was found in a subgame below {} (for more than two players the search "
            "by support-newton is not exhaustive)",
            tree.node_name(v));
      }
      for (int w : inner) frontier_index[w] = -1;
      continue;
    }
    do {
      if (context.stop_requested()) {
        result.status = SolveStatus::kCancelled;
        result.message = "cancelled";
        return result;
      }
      // The subgame at v with each inner subgame replaced by the chosen equilibrium's value.
      GameTreeBuilder builder(tree.player_names());
      const auto add = [&](const auto& self, int u) -> int {
        const TreeNode& n = tree.node(u);
        if (u != v && frontier_index[u] >= 0) {
          return builder.add_terminal(solutions[u][counter[frontier_index[u]]].value);
        }
        if (n.kind == NodeKind::kTerminal) {
          const int id = builder.add_terminal(n.payoffs);
          if (!n.exact_payoffs.empty()) builder.set_exact_payoffs(id, n.exact_payoffs);
          return id;
        }
        std::vector<int> children;
        for (int c : n.children) children.push_back(self(self, c));
        if (n.kind == NodeKind::kChance) {
          const int id = builder.add_chance(n.moves, n.probabilities, children);
          if (!n.exact_probabilities.empty()) builder.set_exact_probabilities(id, n.exact_probabilities);
          return id;
        }
        DecisionSpec spec;
        spec.player = n.player;
        spec.infoset = std::to_string(n.infoset);
        spec.moves = n.moves;
        spec.children = std::move(children);
        return builder.add_decision(std::move(spec));
      };
      const int local_root = add(add, v);
      const GameTree local = std::move(builder).build(local_root);
      const ReducedNormalForm reduced = reduce_to_normal_form(local);
      const auto& shape = reduced.game.shape();
      SolveOptions solve_options;
      solve_options.tolerance = options.tolerance;
      // Two players: every equilibrium by support enumeration when small, else the equilibria
      // Lemke-Howson reaches from every label (at least one); more players: support-newton
      // (pure equilibria only when the subgame has too many support profiles).
      const bool pair = shape.size() == 2;
      const bool small_pair = pair && shape[0] + shape[1] <= kMaxSupportStrategies;
      solve_options.max_supports = kMaxSupportProfiles;
      // The subgame's payoffs mapped onto [0, 1] (docs/numerics.md): the same equilibria
      // whatever the payoffs' scale and shift; values are taken from the subgame itself.
      const NormalFormGame unit = normalized_payoffs(reduced.game);
      const auto equilibria =
          small_pair ? solve_support(unit, solve_options, context)
          : pair     ? solve_lemke_howson(unit, solve_options, context)
                     : solve_support_newton(unit, solve_options, context).equilibria;
      for (const auto& eq : equilibria) {
        if (solutions[v].size() >= cap) {
          truncated = true;
          break;
        }
        Solution sol{.value = expected_payoffs(reduced.game, eq.profile), .local = {}, .inner = counter};
        for (int p = 0; p < local.num_players(); ++p) {
          const auto sigma = eq.profile.probabilities(p);
          const auto& sets = local.player_infosets(p);
          for (std::size_t k = 0; k < sets.size(); ++k) {
            const InfoSet& h = local.infoset(sets[k]);
            std::vector<double> probs(h.moves.size(), 0.0);
            double reach = 0.0;
            for (std::size_t s = 0; s < sigma.size(); ++s) {
              const int m = reduced.strategies[p][s][k];
              if (m < 0) continue;
              probs[m] += sigma[s];
              reach += sigma[s];
            }
            if (reach > 1e-15) {
              for (double& x : probs) x /= reach;
            } else {
              std::fill(probs.begin(), probs.end(), 0.0);
              probs[0] = 1.0;
            }
            sol.local.emplace_back(std::stoi(h.label), std::move(probs));
          }
        }
        solutions[v].push_back(std::move(sol));
      }
      if (solutions[v].size() >= cap) {
        std::vector<int> probe = counter;
        if (next_combination(probe, radix)) truncated = true;
        break;
      }
    } while (next_combination(counter, radix));
    for (int w : inner) frontier_index[w] = -1;
  }

  for (std::size_t k = 0; k < solutions[0].size(); ++k) {
    BehaviorEquilibrium eq;
    eq.behaviour.resize(tree.infosets().size());
    std::vector<std::pair<int, int>> stack{{0, static_cast<int>(k)}};
    while (!stack.empty()) {
      const auto [r, index] = stack.back();
      stack.pop_back();
      const Solution& sol = solutions[r][index];
      for (const auto& [h, probs] : sol.local) eq.behaviour[h] = probs;
      for (std::size_t j = 0; j < frontier[r].size(); ++j) {
        stack.emplace_back(frontier[r][j], sol.inner[j]);
      }
    }
    eq.payoffs = solutions[0][k].value;
    eq.max_gain = behaviour_max_gain(tree, eq.behaviour);
    if (result.recall_defect) {
      // Without perfect recall a mixed equilibrium of a reduced form need not have an
      // equivalent in behaviour strategies: keep only the profiles verified as subgame-perfect
      // equilibria in behaviour strategies (pure deviations suffice: without absent-mindedness
      // every behaviour strategy is a mixture of pure ones), with their own payoffs.
      const double allowed = std::max(options.tolerance, 1e-9) * payoff_scale(tree);
      const auto actual = behaviour_payoffs(tree, eq.behaviour);
      double mismatch = 0.0;
      for (std::size_t p = 0; p < actual.size(); ++p) {
        mismatch = std::max(mismatch, std::abs(actual[p] - eq.payoffs[p]));
      }
      if (!(eq.max_gain <= allowed) || mismatch > allowed) {
        ++result.dropped_imperfect_recall;
        continue;
      }
      eq.payoffs = actual;
    }
    result.equilibria.push_back(std::move(eq));
  }
  if (result.equilibria.empty() && result.dropped_imperfect_recall > 0) {
    result.status = SolveStatus::kFailed;
    result.message = fmt::format(
        "{}: the {} equilibri{} found in mixed strategies of the reduced forms {} no equivalent "
        "in behaviour strategies, so none is reported; the reduced normal form (e.g. --method "
        "enumerate or support-newton) gives the equilibria in mixed strategies",
        describe_recall_defect(tree, *result.recall_defect), result.dropped_imperfect_recall,
        result.dropped_imperfect_recall == 1 ? "um" : "a",
        result.dropped_imperfect_recall == 1 ? "has" : "have");
  } else if (result.equilibria.empty()) {
    // A finite tree always has a subgame-perfect equilibrium; none found means the search was
    // incomplete (support-newton's, for more than two players).
    result.status = SolveStatus::kFailed;
    if (result.message.empty()) {
      result.message =
          "no equilibrium was found in the whole game (for more than two players each subgame is "
          "searched by support-newton, which is not exhaustive); try sequence-lcp for two "
          "players or the reduced normal form with another method";
    }
  } else if (truncated) {
    result.status = SolveStatus::kLimitReached;
    result.message =
        fmt::format("more than {} equilibria in a subgame or in all; the first {} are reported",
                    cap, result.equilibria.size());
  }
  return result;
}

void register_subgame_perfect(SolverRegistry& registry) {
  registry.add(tree_solver_entry(
      "subgame-perfect",
      "subgame-perfect equilibria of trees with imperfect information (behaviour strategies, "
      "proper subgames solved bottom-up)",
      "small game trees; without perfect recall only profiles verified in behaviour strategies "
      "are reported, and absent-minded trees are refused",
      [](const GameTree& tree) -> std::optional<std::string> {
        const auto defect = first_recall_defect(tree);
        if (defect && defect->absent_minded) return describe_recall_defect(tree, *defect);
        return std::nullopt;
      },
      [](const GameTree& tree, const SolveOptions& options, SolveContext& context) {
        auto spe = solve_subgame_perfect(
            tree, {.max_equilibria = options.max_equilibria, .tolerance = options.tolerance},
            context);
        TreeSolveResult result{.status = spe.status, .message = spe.message,
                               .equilibria = std::move(spe.equilibria), .analyses = {}};
        std::vector<std::string> roots;
        for (int r : spe.subgames) roots.push_back(tree.node_name(r));
        result.analyses.push_back(Analysis{
            .key = "subgames",
            .data = {{"roots", spe.subgames}, {"names", roots}},
            .text = {fmt::format("proper subgames solved bottom-up: {}", fmt::join(roots, "; "))}});
        if (spe.recall_defect && !spe.recall_defect->absent_minded) {
          result.analyses.push_back(Analysis{
              .key = "imperfect_recall",
              .data = {{"infoset", tree.infoset_name(spe.recall_defect->infoset)},
                       {"dropped", spe.dropped_imperfect_recall}},
              .text = {fmt::format(
                  "{}: each subgame's equilibria are found in mixed strategies of its reduced "
                  "form and turned into behaviour strategies, which need not be equivalent; each "
                  "is kept only when verified as a subgame-perfect equilibrium in behaviour "
                  "strategies (every pure deviation in every subgame){}",
                  describe_recall_defect(tree, *spe.recall_defect),
                  spe.dropped_imperfect_recall > 0
                      ? fmt::format("; {} failed and {} dropped", spe.dropped_imperfect_recall,
                                    spe.dropped_imperfect_recall == 1 ? "was" : "were")
                      : "")}});
        }
        return result;
      }));
}

}  // namespace stratagem
