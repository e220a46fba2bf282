#pragma once

#include <string>

#include "stratagem/game/tree.hpp"
#include "stratagem/scenario/error.hpp"

namespace stratagem {

/// Reads a game tree in Gambit's .efg format (version 2):
///
///     EFG 2 R "title" { "Player 1" "Player 2" } "optional comment"
///     p "name" player infoset "infoset name" { "move" ... } outcome "outcome name" { payoffs }
///     c "name" infoset "infoset name" { "move" probability ... } outcome ...
///     t "name" outcome "outcome name" { payoffs }
///
/// Nodes come in prefix order (a node, then the subtree of each of its moves in order). An
/// information set's names and moves may be omitted after its first node; so may an outcome's
/// name and payoffs after its first use. Outcome 0 means no payoff. Outcomes attached to
/// non-terminal nodes add up along the path, so each terminal of the GameTree holds the sum of
/// the outcomes from the root to it. Probabilities and payoffs may be integers, decimals or
/// fractions ("1/3"). An empty move label becomes the move's 1-based position. Throws InputError
/// with file:line:column and a hint for malformed input, including chance probabilities that do not
/// sum to 1 (within 1e-9) and a node whose moves differ from those of its information set.
[[nodiscard]] GameTree read_efg(const std::string& path);
/// Same, from text; `filename` is used in messages.
[[nodiscard]] GameTree parse_efg(const std::string& text, const std::string& filename);

/// Writes `tree` in the .efg format: each terminal gets its own outcome (named by the terminal's
/// outcome name), information sets are numbered per player in tree order, every chance node has
/// its own chance information set. Numbers read as exact fractions or decimals (TreeNode's exact
/// values) are written as fractions, others in the shortest form that reads back to the same
/// double, so parse_efg(write_efg(t)) equals t, exact data included.
[[nodiscard]] std::string write_efg(const GameTree& tree);

}  // namespace stratagem
