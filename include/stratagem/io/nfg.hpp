#pragma once

#include <string>

#include "stratagem/game/normal_form.hpp"
#include "stratagem/scenario/error.hpp"

namespace stratagem {

/// Reads a game in Gambit's .nfg format, payoff or outcome form, any number of players.
/// Payoffs may be integers, decimals or fractions. Throws InputError with file:line:column
/// and a fix for malformed input, including a game with more profiles than `limits` allow.
[[nodiscard]] NormalFormGame read_nfg(const std::string& path, GameLimits limits = {});
/// Same, from text; `filename` is used in messages.
[[nodiscard]] NormalFormGame parse_nfg(const std::string& text, const std::string& filename,
                                       GameLimits limits = {});

/// Writes `game` in the .nfg payoff form with strategy labels; payoffs printed with enough
/// digits to read back exactly (shortest round-trip representation).
[[nodiscard]] std::string write_nfg(const NormalFormGame& game);

}  // namespace stratagem
