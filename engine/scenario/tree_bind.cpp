// Binding a compiled `type: tree` scenario to a parameter point: its game tree, and the tree's
// reduced normal form for strategic-form methods.

#include <fmt/format.h>

#include <cmath>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "scenario/compiled_model.hpp"
#include "scenario/tree_model.hpp"

namespace stratagem::scenario_detail {
namespace {

using Model = Scenario::Model;

/// The compiled formulas of one spec node.
struct CompiledTreeNode {
  std::vector<CompiledEffect> effects;
  std::vector<CompiledEffect> outcome;
  std::vector<CompiledFormula> probabilities;
  std::vector<CompiledFormula> payoffs;
};

/// Attribute values (and the effects that set them) before a level of the path changed them.
struct SavedLevel {
  std::vector<double> values;
  std::vector<const Effect*> last;
};

class CompiledTreeScenario final : public CompiledModel, private TreeValues {
 public:
  explicit CompiledTreeScenario(std::shared_ptr<const Model> model)
      : CompiledModel(std::move(model)) {
    const TreeModel& t = *model_->tree;
    nodes_.resize(t.nodes.size());
    for (std::size_t i = 0; i < t.nodes.size(); ++i) {
      const TreeSpecNode& n = t.nodes[i];
      CompiledTreeNode& c = nodes_[i];
      c.effects = compile_effects(n.effects);
      c.outcome = compile_effects(n.outcome);
      for (const auto& f : n.probabilities) c.probabilities.emplace_back(f, slots());
      for (const auto& f : n.payoffs) c.payoffs.emplace_back(f, slots());
    }
  }

  NormalFormGame bind(const ParameterValues& values) override {
    const TreeModel& t = *model_->tree;
    if (!t.reduced_error.empty()) throw reduced_too_large(t.reduced_error);
    const GameTree tree = bind_tree(values);
    try {
      return reduced_normal_form(tree, model_->limits);
    } catch (const InvalidGame& e) {
      throw reduced_too_large(e.what());
    }
  }

  GameTree bind_tree(const ParameterValues& values) override {
    path_ = nullptr;
    set_parameters(values);
    bounds_ = attribute_bounds();
    reset_attributes(bounds_);
    last_.assign(num_attributes(), nullptr);
    evaluate_chance();
    GameTree tree = expand_tree(*model_, *this, false);
    path_ = nullptr;
    return tree;
  }

 private:
  [[nodiscard]] InputError reduced_too_large(const std::string& why) const {
    return InputError(model_->tree->tree_mark,
                      fmt::format("this tree's reduced normal form cannot be built: {}", why),
                      "use a tree method (backward-induction, subgame-perfect), or make the "
                      "tree smaller");
  }

  std::string point() const override {
    if (path_ == nullptr) return "at these parameter values";
    return path_->empty() ? std::string("at the root")
                          : fmt::format("at the node reached by {}", path_text(*path_));
  }

  /// Probabilities of every chance node: formulas of parameters, so once per bind.
  void evaluate_chance() {
    const TreeModel& t = *model_->tree;
    chance_.assign(t.nodes.size(), {});
    for (std::size_t i = 0; i < t.nodes.size(); ++i) {
      const TreeSpecNode& n = t.nodes[i];
      if (n.kind != SpecKind::kChance) continue;
      double sum = 0.0;
      Formula all;  // every name the node's formulas use, for the message
      std::set<std::string> names;
      for (std::size_t m = 0; m < n.moves.size(); ++m) {
        const CompiledFormula& f = nodes_[i].probabilities[m];
        const double p = eval(f);
        if (!(p >= 0.0 && p <= 1.0)) {
          throw InputError(f.source().mark,
                           fmt::format("probability of chance move '{}' is {}{}, outside [0, 1]",
                                       n.moves[m], p, with_values(f.source())),
                           "a probability lies between 0 and 1");
        }
        chance_[i].push_back(p);
        sum += p;
        names.insert(f.source().names.begin(), f.source().names.end());
      }
      if (std::abs(sum - 1.0) > 1e-9) {
        all.names.assign(names.begin(), names.end());
        throw InputError(n.mark,
                         fmt::format("the probabilities of this chance node sum to {}, not 1{}",
                                     sum, with_values(all)),
                         "make them add up to 1 at every parameter value, e.g. write the last "
                         "one as \"1 - p\"");
      }
    }
  }

  void save(int depth) override {
    const auto d = static_cast<std::size_t>(depth);
    if (saved_.size() <= d) saved_.resize(d + 1);
    SavedLevel& level = saved_[d];
    level.values.resize(num_attributes());
    for (std::size_t j = 0; j < num_attributes(); ++j) level.values[j] = attribute(j);
    level.last = last_;
  }

  void restore(int depth) override {
    const SavedLevel& level = saved_[static_cast<std::size_t>(depth)];
    for (std::size_t j = 0; j < num_attributes(); ++j) attribute(j) = level.values[j];
    last_ = level.last;
  }

  void apply_effects(int node, const std::vector<std::string>& path) override {
    path_ = &path;
    apply(nodes_[static_cast<std::size_t>(node)].effects, last_);
  }

  std::vector<double> probabilities(int node) override {
    return chance_[static_cast<std::size_t>(node)];
  }

  std::vector<double> payoffs(int node, const std::vector<std::string>& path) override {
    path_ = &path;
    const CompiledTreeNode& c = nodes_[static_cast<std::size_t>(node)];
    apply(c.outcome, last_);
    check_ranges(bounds_, last_, " along every path (outcome: applies last)");
    const std::size_t n = model_->actor_ids.size();
    std::vector<double> out(n);
    for (std::size_t a = 0; a < n; ++a) {
      out[a] = c.payoffs.empty() ? utility(a) : eval(c.payoffs[a]);
    }
    return out;
  }

  std::vector<CompiledTreeNode> nodes_;      ///< per spec node
  std::vector<std::vector<double>> chance_;  ///< per spec node: probabilities at this point
  AttributeBounds bounds_;
  std::vector<const Effect*> last_;                 ///< per attribute: the effect that last set it
  std::vector<SavedLevel> saved_;                   ///< per depth of the path
  const std::vector<std::string>* path_ = nullptr;  ///< the node being evaluated, for messages
};

}  // namespace

std::unique_ptr<CompiledScenario> compile_tree_model(std::shared_ptr<const Scenario::Model> model) {
  return std::make_unique<CompiledTreeScenario>(std::move(model));
}

}  // namespace stratagem::scenario_detail
