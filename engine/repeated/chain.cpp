#include <algorithm>
#include <cmath>
#include <map>
#include <stdexcept>

#include <fmt/format.h>

#include "repeated/joint.hpp"
#include "stratagem/repeated/repeated_game.hpp"

namespace stratagem {
namespace repeated_detail {

std::vector<double> executed_mix(const std::vector<double>& intended, double noise) {
  const std::size_t k = intended.size();
  if (noise <= 0.0 || k < 2) return intended;
  std::vector<double> out(k, 0.0);
  for (std::size_t b = 0; b < k; ++b) {
    if (intended[b] == 0.0) continue;
    for (std::size_t a = 0; a < k; ++a) {
      out[a] += intended[b] * (a == b ? 1.0 - noise : noise / static_cast<double>(k - 1));
    }
  }
  return out;
}

std::vector<double> profile_distribution(const NormalFormGame& stage,
                                         const std::vector<std::vector<double>>& mixes) {
  std::vector<double> probs(stage.num_profiles(), 0.0);
  const int n = stage.num_players();
  for (std::size_t idx = 0; idx < stage.num_profiles(); ++idx) {
    double w = 1.0;
    for (int p = 0; p < n && w != 0.0; ++p) w *= mixes[p][stage.action_of(idx, p)];
    probs[idx] = w;
  }
  return probs;
}

std::vector<int> next_joint(const AutomatonProfile& profile, const std::vector<int>& state,
                            std::size_t stage_profile) {
  std::vector<int> out(state.size());
  for (std::size_t p = 0; p < state.size(); ++p) out[p] = profile[p].next[state[p]][stage_profile];
  return out;
}

JointSpace explore(const NormalFormGame& stage, const AutomatonProfile& profile, bool any_history,
                   double noise) {
  JointSpace space;
  std::map<std::vector<int>, int> index;
  std::vector<int> start;
  for (const auto& a : profile) start.push_back(a.initial);
  index[start] = 0;
  space.states.push_back(start);
  for (std::size_t i = 0; i < space.states.size(); ++i) {
    const auto current = space.states[i];
    std::vector<std::vector<double>> mixes;
    for (std::size_t p = 0; p < profile.size(); ++p) {
      mixes.push_back(executed_mix(profile[p].play[current[p]], noise));
    }
    const auto probs = profile_distribution(stage, mixes);
    for (std::size_t idx = 0; idx < stage.num_profiles(); ++idx) {
      if (!any_history && probs[idx] == 0.0) continue;
      auto nxt = next_joint(profile, current, idx);
      if (index.emplace(nxt, static_cast<int>(space.states.size())).second) {
        space.states.push_back(std::move(nxt));
      }
    }
  }
  space.index = std::move(index);
  return space;
}

void check_profile_shape(const NormalFormGame& stage, const AutomatonProfile& profile) {
  if (static_cast<int>(profile.size()) != stage.num_players()) {
    throw InvalidGame(fmt::format("a strategy profile needs {} automata, one per player; got {}",
                                  stage.num_players(), profile.size()));
  }
  for (std::size_t p = 0; p < profile.size(); ++p) {
    if (profile[p].player != static_cast<int>(p)) {
      throw InvalidGame(fmt::format("strategy '{}' is for player {}, used for player {}",
                                    profile[p].name, profile[p].player, p));
    }
    validate(profile[p], stage);
  }
}

}  // namespace repeated_detail

using namespace repeated_detail;

JointChain build_chain(const NormalFormGame& stage, const AutomatonProfile& profile, double noise) {
  check_profile_shape(stage, profile);
  if (!(noise >= 0.0 && noise < 1.0)) throw InvalidGame("noise must be in [0, 1)");
  const JointSpace space = explore(stage, profile, false, noise);
  const int m = static_cast<int>(space.states.size());
  const int n = stage.num_players();
  JointChain chain;
  chain.states = space.states;
  chain.transition = Eigen::MatrixXd::Zero(m, m);
  chain.stage_payoffs = Eigen::MatrixXd::Zero(m, n);
  for (int i = 0; i < m; ++i) {
    const auto& s = space.states[i];
    std::vector<std::vector<double>> mixes;
    for (int p = 0; p < n; ++p) mixes.push_back(executed_mix(profile[p].play[s[p]], noise));
    auto probs = profile_distribution(stage, mixes);
    for (std::size_t idx = 0; idx < stage.num_profiles(); ++idx) {
      if (probs[idx] == 0.0) continue;
      chain.transition(i, space.index.at(next_joint(profile, s, idx))) += probs[idx];
      for (int p = 0; p < n; ++p) chain.stage_payoffs(i, p) += probs[idx] * stage.payoff(p, idx);
    }
    chain.profile_probabilities.push_back(std::move(probs));
  }
  chain.initial = 0;
  return chain;
}

std::vector<double> discounted_payoffs(const JointChain& chain, const std::vector<double>& discount,
                                       std::optional<int> horizon) {
  const int m = static_cast<int>(chain.states.size());
  const int n = static_cast<int>(chain.stage_payoffs.cols());
  if (static_cast<int>(discount.size()) != n) {
    throw std::invalid_argument("one discount factor per player is needed");
  }
  std::vector<double> out;
  for (int p = 0; p < n; ++p) {
    const double d = discount[p];
    if (horizon) {
      Eigen::VectorXd value = Eigen::VectorXd::Zero(m);
      for (int t = 0; t < *horizon; ++t) value = chain.stage_payoffs.col(p) + d * chain.transition * value;
      const double norm = d == 1.0 ? 1.0 / *horizon : (1.0 - d) / (1.0 - std::pow(d, *horizon));
      out.push_back(norm * value(chain.initial));
    } else {
      const Eigen::MatrixXd system = Eigen::MatrixXd::Identity(m, m) - d * chain.transition;
      const Eigen::VectorXd value = system.partialPivLu().solve((1.0 - d) * chain.stage_payoffs.col(p));
      out.push_back(value(chain.initial));
    }
  }
  return out;
}

namespace {

/// Strongly connected components (Tarjan, iterative); returns component id per node.
std::vector<int> components(const Eigen::MatrixXd& p, int& count) {
  const int m = static_cast<int>(p.rows());
  std::vector<int> index(m, -1), low(m, 0), comp(m, -1), stack;
  std::vector<bool> on_stack(m, false);
  int next_index = 0;
  count = 0;
  for (int root = 0; root < m; ++root) {
    if (index[root] != -1) continue;
    std::vector<std::pair<int, int>> work{{root, 0}};
    while (!work.empty()) {
      auto& [v, edge] = work.back();
      if (edge == 0 && index[v] == -1) {
        index[v] = low[v] = next_index++;
        stack.push_back(v);
        on_stack[v] = true;
      }
      bool descended = false;
      while (edge < m) {
        const int w = edge++;
        if (p(v, w) <= 0.0) continue;
        if (index[w] == -1) {
          work.emplace_back(w, 0);
          descended = true;
          break;
        }
        if (on_stack[w]) low[v] = std::min(low[v], index[w]);
      }
      if (descended) continue;
      if (low[v] == index[v]) {
        while (true) {
          const int w = stack.back();
          stack.pop_back();
          on_stack[w] = false;
          comp[w] = count;
          if (w == v) break;
        }
        ++count;
      }
      const int finished = v;
      work.pop_back();
      if (!work.empty()) low[work.back().first] = std::min(low[work.back().first], low[finished]);
    }
  }
  return comp;
}

}  // namespace

LongRun long_run(const JointChain& chain) {
  const Eigen::MatrixXd& p = chain.transition;
  const int m = static_cast<int>(p.rows());
  int count = 0;
  const std::vector<int> comp = components(p, count);
  std::vector<bool> closed(count, true);
  for (int i = 0; i < m; ++i) {
    for (int j = 0; j < m; ++j) {
      if (p(i, j) > 0.0 && comp[i] != comp[j]) closed[comp[i]] = false;
    }
  }
  // Absorption probabilities into each closed class from the initial state.
  std::vector<int> transient;
  std::vector<int> position(m, -1);
  for (int i = 0; i < m; ++i) {
    if (!closed[comp[i]]) {
      position[i] = static_cast<int>(transient.size());
      transient.push_back(i);
    }
  }
  std::vector<double> absorb(count, 0.0);
  if (closed[comp[chain.initial]]) {
    absorb[comp[chain.initial]] = 1.0;
  } else {
    const int t = static_cast<int>(transient.size());
    Eigen::MatrixXd q = Eigen::MatrixXd::Identity(t, t);
    Eigen::MatrixXd r = Eigen::MatrixXd::Zero(t, count);
    for (int a = 0; a < t; ++a) {
      for (int j = 0; j < m; ++j) {
        if (p(transient[a], j) == 0.0) continue;
        if (position[j] >= 0) {
          q(a, position[j]) -= p(transient[a], j);
        } else {
          r(a, comp[j]) += p(transient[a], j);
        }
      }
    }
    const Eigen::MatrixXd b = q.partialPivLu().solve(r);
    for (int c = 0; c < count; ++c) absorb[c] = b(position[chain.initial], c);
  }
  LongRun out;
  out.share.assign(m, 0.0);
  for (int c = 0; c < count; ++c) {
    if (!closed[c] || absorb[c] <= 0.0) continue;
    std::vector<int> members;
    for (int i = 0; i < m; ++i) {
      if (comp[i] == c) members.push_back(i);
    }
    const int k = static_cast<int>(members.size());
    // Stationary distribution of the irreducible class: pi (P_c - I) = 0, sum pi = 1.
    Eigen::MatrixXd system(k + 1, k);
    for (int a = 0; a < k; ++a) {
      for (int b = 0; b < k; ++b) system(b, a) = p(members[a], members[b]) - (a == b ? 1.0 : 0.0);
    }
    system.row(k).setOnes();
    Eigen::VectorXd rhs = Eigen::VectorXd::Zero(k + 1);
    rhs(k) = 1.0;
    const Eigen::VectorXd pi = system.colPivHouseholderQr().solve(rhs);
    for (int a = 0; a < k; ++a) out.share[members[a]] += absorb[c] * std::max(0.0, pi(a));
  }
  const int n = static_cast<int>(chain.stage_payoffs.cols());
  out.payoffs.assign(n, 0.0);
  for (int i = 0; i < m; ++i) {
    for (int pl = 0; pl < n; ++pl) out.payoffs[pl] += out.share[i] * chain.stage_payoffs(i, pl);
  }
  return out;
}

}  // namespace stratagem
