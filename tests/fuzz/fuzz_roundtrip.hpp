#pragma once

// Round-trip oracles of `stratagem convert` (engine/cli/cmd_convert.cpp): what
// the writers produce from a valid game must read back. A writer's output that
// fails to load, or loads as a different game, is a finding (reported through
// fuzz::finding).

#include <cstddef>
#include <string>

#include "fuzz_common.hpp"
#include "stratagem/io/efg.hpp"
#include "stratagem/io/game_json.hpp"
#include "stratagem/io/nfg.hpp"
#include "stratagem/io/tree_dot.hpp"
#include "stratagem/scenario/scenario.hpp"

namespace stratagem::fuzz {

/// Largest game whose round trips are checked (writers are O(profiles)).
inline constexpr std::size_t kMaxRoundTripProfiles = 4096;

/// Reads `text` with `read`; an input error is a finding naming `what` and the
/// text (other exceptions escape, as in run_guarded).
template <class Read>
auto read_back(const char* what, const std::string& text, Read&& read) {
  try {
    return read();
  } catch (const InputError& e) {
    finding(std::string(what) + " does not read back: " + e.what() + "\n--- written ---\n" + text);
  } catch (const InvalidGame& e) {
    finding(std::string(what) + " does not read back: " + e.what() + "\n--- written ---\n" + text);
  }
}

/// True when every byte is ASCII. game_to_json and game_to_scenario_yaml
/// re-encode other labels (invalid UTF-8 is read as Latin-1), so only ASCII
/// labels must come back unchanged.
inline bool ascii_labels(const NormalFormGame& game) {
  const auto ascii = [](const std::string& s) {
    for (char c : s) {
      if (static_cast<unsigned char>(c) >= 0x80) return false;
    }
    return true;
  };
  for (int p = 0; p < game.num_players(); ++p) {
    if (!ascii(game.player_name(p))) return false;
    for (const auto& a : game.action_names(p)) {
      if (!ascii(a)) return false;
    }
  }
  return true;
}

/// Same shape and bit-identical payoffs; same player and action labels when
/// `labels`.
inline bool same_game(const NormalFormGame& a, const NormalFormGame& b, bool labels) {
  if (a.shape() != b.shape()) return false;
  if (labels && a.player_names() != b.player_names()) return false;
  if (!labels) {
    for (int p = 0; p < a.num_players(); ++p) {
      for (std::size_t i = 0; i < a.num_profiles(); ++i) {
        if (a.payoff(p, i) != b.payoff(p, i)) return false;
      }
    }
    return true;
  }
  return a.same_payoffs(b, 0.0);
}

/// --to nfg, --to json and --to yaml of a strategic-form game.
inline void check_strategic_round_trips(const NormalFormGame& game) {
  if (game.num_profiles() > kMaxRoundTripProfiles) return;
  const std::string nfg = write_nfg(game);
  const NormalFormGame from_nfg =
      read_back("write_nfg output", nfg, [&] { return parse_nfg(nfg, "roundtrip.nfg"); });
  if (!same_game(game, from_nfg, true))
    finding("write_nfg output reads back as another game:\n" + nfg);
  const std::string json = dump_json(game_to_json(game));
  const NormalFormGame from_json = read_back(
      "game_to_json output", json, [&] { return read_game_json(json, "roundtrip.json"); });
  if (!same_game(game, from_json, ascii_labels(game))) {
    finding("game_to_json output reads back as another game:\n" + json);
  }
  const std::string yaml = game_to_scenario_yaml(game);
  const Scenario scenario = read_back("game_to_scenario_yaml output", yaml,
                                      [&] { return Scenario::parse(yaml, "roundtrip.yaml"); });
  const NormalFormGame from_yaml = read_back("game_to_scenario_yaml output", yaml,
                                             [&] { return scenario.bind(scenario.defaults()); });
  if (from_yaml.shape() != game.shape())
    finding("game_to_scenario_yaml changes the shape:\n" + yaml);
  for (int p = 0; p < game.num_players(); ++p) {
    for (std::size_t i = 0; i < game.num_profiles(); ++i) {
      if (game.payoff(p, i) != from_yaml.payoff(p, i)) {
        finding("game_to_scenario_yaml output has other payoffs:\n" + yaml);
      }
    }
  }
}

/// Same structure, labels, probabilities and payoffs.
inline bool same_tree(const GameTree& a, const GameTree& b) {
  if (a.player_names() != b.player_names() || a.num_nodes() != b.num_nodes() ||
      a.infosets().size() != b.infosets().size()) {
    return false;
  }
  for (int id = 0; id < a.num_nodes(); ++id) {
    const TreeNode& x = a.node(id);
    const TreeNode& y = b.node(id);
    if (x.kind != y.kind || x.player != y.player || x.infoset != y.infoset || x.moves != y.moves ||
        x.probabilities != y.probabilities || x.children != y.children || x.payoffs != y.payoffs) {
      return false;
    }
  }
  return true;
}

/// --to efg (must read back to an equal tree) and --to dot of a game tree.
inline void check_tree_round_trip(const GameTree& tree) {
  if (tree.num_nodes() > 4096) return;
  (void)write_dot(tree);
  const std::string efg = write_efg(tree);
  const GameTree back =
      read_back("write_efg output", efg, [&] { return parse_efg(efg, "roundtrip.efg"); });
  if (!same_tree(tree, back)) finding("write_efg output reads back as another tree:\n" + efg);
}

}  // namespace stratagem::fuzz
