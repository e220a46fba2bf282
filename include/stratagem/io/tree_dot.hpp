#pragma once

#include <string>

#include "stratagem/game/tree.hpp"

namespace stratagem {

/// The tree as a Graphviz DOT digraph, top to bottom: decision nodes are ellipses labelled with
/// the player (and the node's name), chance nodes diamonds, terminals boxes with the payoffs (and
/// outcome name); edges carry the move labels, chance edges their probabilities. Each information
/// set with several nodes is drawn as dashed undirected edges joining its nodes, labelled with
/// the set's name, and its nodes are kept on one rank. Render with `dot -Tsvg`.
[[nodiscard]] std::string write_dot(const GameTree& tree);

}  // namespace stratagem
