#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "stratagem/game/normal_form.hpp"
#include "stratagem/scenario/error.hpp"

namespace stratagem {

/// The game as JSON, the same `game` object as in `solve --format json` (DESIGN.md §9) plus the
/// title and the payoffs:
/// `{"stratagem": 1, "game": {"type": "normal", "title": "...", "players": [...],
///   "actions": [[...], ...], "payoffs": [[...], ...]}}`.
/// `payoffs[p][i]` is player p's payoff at profile index i, the first player's action changing
/// fastest (NormalFormGame::index). Doubles are written so that they read back bit-exactly.
/// O(players × profiles). Thread-safe.
[[nodiscard]] nlohmann::json game_to_json(const NormalFormGame& game);

/// Reads the layout written by game_to_json (the text of a whole JSON document). `title` is
/// optional. Throws InputError: syntax errors carry `filename`:line:column; errors in the
/// contents name the JSON location (e.g. "/game/payoffs/1") in the message. Thread-safe.
[[nodiscard]] NormalFormGame read_game_json(const std::string& text, const std::string& filename,
                                            GameLimits limits = {});

/// The game as a Stratagem scenario file (DESIGN.md §5) with payoffs given directly:
/// `stratagem: 1`, `name:`, `actors:` (id -> {name: display name}) and
/// `game: {type: normal, moves: {actor: [move ids]}, payoffs: {"m1, m2": [u1, u2], ...}}`,
/// one `payoffs` entry per pure profile, moves in actor order, values in actor order.
/// Player and action labels become identifiers ([A-Za-z_][A-Za-z0-9_]*, unique per list):
/// characters outside that set become '_', a leading digit gets the prefix "p" (players) or
/// "a" (actions), and a `# label: original` comment records every changed label.
/// Payoffs are written so that they read back bit-exactly. Thread-safe.
[[nodiscard]] std::string game_to_scenario_yaml(const NormalFormGame& game);

}  // namespace stratagem
