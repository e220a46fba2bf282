#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "stratagem/game/tree.hpp"
#include "stratagem/solve/solver.hpp"

namespace stratagem {

/// The tree as indented text: one line per node, each child under its parent with the move (and
/// chance probability) that leads to it; decision nodes name the mover and a shared information
/// set, terminals show payoffs and outcome names. Trees with more than `max_nodes` nodes are cut
/// off with a line saying how many nodes were left out.
[[nodiscard]] std::string render_tree_outline(const GameTree& tree, int max_nodes = 400);

/// The tree as JSON: {"type": "tree", "title", "players", "perfect_information",
/// "nodes": [{id, kind, label, player, infoset, moves, probabilities, children, payoffs,
/// outcome}], "infosets": [{player, label, moves, nodes}]}. The "infosets" order is the order of
/// behaviour strategies in equilibria.
[[nodiscard]] nlohmann::json tree_to_json(const GameTree& tree);

/// A readable name for information set `h`: its label in quotes, else the name of its node.
[[nodiscard]] std::string infoset_name(const GameTree& tree, int h);

/// One line per information set: "Russia at 'route': angarsk" or with probabilities; with
/// `with_beliefs`, sets of several nodes also show the beliefs the profile implies (Bayes' rule)
/// or say that they are not determined (the set is not reached). Players are named by
/// `player_labels` when given (one per player), else by the tree's player names.
[[nodiscard]] std::vector<std::string> describe_behaviour(
    const GameTree& tree, const BehaviourProfile& behaviour, bool with_beliefs = true,
    const std::vector<std::string>& player_labels = {});

/// A tree equilibrium as JSON: {"method", "strategies": behaviour per information set (the
/// game's "infosets" order), "named": {information set label: {move: probability}}, "payoffs",
/// "max_gain", "beliefs": {label: {node name: probability} | null}, "reasoning": [...]}.
[[nodiscard]] nlohmann::json behaviour_equilibrium_json(const GameTree& tree,
                                                        const std::string& method,
                                                        const BehaviorEquilibrium& eq);

/// The moves on the path that `behaviour` plays with probability one from the root, stopping at
/// the first chance node or mixed choice ("in > accommodate"); empty when the root mixes.
[[nodiscard]] std::vector<std::string> behaviour_path(const GameTree& tree,
                                                      const BehaviourProfile& behaviour);

}  // namespace stratagem
