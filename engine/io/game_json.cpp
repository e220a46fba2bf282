#include "stratagem/io/game_json.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cstddef>
#include <iterator>
#include <optional>
#include <set>
#include <string_view>
#include <utility>
#include <vector>

namespace stratagem {
namespace {

using nlohmann::json;

constexpr const char* kLayoutHint =
    "expected {\"stratagem\": 1, \"game\": {\"type\": \"normal\", \"players\": [...], "
    "\"actions\": [[...], ...], \"payoffs\": [[...], ...]}}";

/// 1-based line and column of the byte at `offset` (0-based) in `text`.
SourceMark position_of(const std::string& text, std::size_t offset, const std::string& file) {
  offset = std::min(offset, text.size());
  int line = 1;
  int column = 1;
  for (std::size_t i = 0; i < offset; ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return {file, line, column};
}

/// Length of the valid UTF-8 sequence starting at `s[i]`, or 0 when it is not valid.
std::size_t utf8_sequence(std::string_view s, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = byte(i);
  if (c < 0x80) return 1;
  std::size_t length = 0;
  unsigned min = 0;
  unsigned code = 0;
  if ((c & 0xE0) == 0xC0) {
    length = 2, min = 0x80, code = c & 0x1F;
  } else if ((c & 0xF0) == 0xE0) {
    length = 3, min = 0x800, code = c & 0x0F;
  } else if ((c & 0xF8) == 0xF0) {
    length = 4, min = 0x10000, code = c & 0x07;
  } else {
    return 0;
  }
  if (i + length > s.size()) return 0;
  for (std::size_t k = 1; k < length; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
    code = (code << 6) | (byte(i + k) & 0x3F);
  }
  if (code < min || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return 0;
  return length;
}

/// `s` with every byte that is not part of valid UTF-8 read as Latin-1 (so old .nfg files in
/// Latin-1 keep their accented letters), making the text safe for JSON and YAML.
std::string to_utf8(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t length = utf8_sequence(s, i);
    if (length > 0) {
      out.append(s.substr(i, length));
      i += length;
    } else {
      const auto c = static_cast<unsigned char>(s[i++]);
      out += static_cast<char>(0xC0 | (c >> 6));
      out += static_cast<char>(0x80 | (c & 0x3F));
    }
  }
  return out;
}

std::vector<std::string> to_utf8(const std::vector<std::string>& labels) {
  std::vector<std::string> out;
  out.reserve(labels.size());
  for (const auto& label : labels) out.push_back(to_utf8(label));
  return out;
}

class JsonReader {
 public:
  JsonReader(std::string filename, GameLimits limits)
      : file_(std::move(filename)), limits_(limits) {}

  NormalFormGame read(const json& doc) const {
    if (!doc.is_object()) fail("", "the document is not a JSON object");
    if (doc.contains("stratagem")) {
      const json& version = doc.at("stratagem");
      if (!version.is_number_integer() || version.get<long>() != 1) {
        fail("/stratagem",
             fmt::format("unsupported version {}; this program reads version 1", version.dump()));
      }
    }
    if (!doc.contains("game")) fail("", "missing \"game\"");
    const json& game = doc.at("game");
    if (!game.is_object()) fail("/game", "\"game\" must be an object");
    if (game.contains("type") && game.at("type") != "normal") {
      fail("/game/type", fmt::format("game type {} is not supported; only \"normal\" games "
                                     "have this layout",
                                     game.at("type").dump()));
    }

    const std::vector<std::string> players = strings(game, "players", "/game/players");
    if (players.empty()) fail("/game/players", "the game has no players");
    if (!game.contains("actions")) fail("/game", "missing \"actions\"");
    const json& actions_json = game.at("actions");
    if (!actions_json.is_array() || actions_json.size() != players.size()) {
      fail("/game/actions", fmt::format("expected an array of {} action-label lists (one per "
                                        "player)",
                                        players.size()));
    }
    std::vector<std::vector<std::string>> actions;
    for (std::size_t p = 0; p < players.size(); ++p) {
      const std::string where = fmt::format("/game/actions/{}", p);
      if (!actions_json[p].is_array()) fail(where, "expected an array of action labels");
      std::vector<std::string> labels;
      for (std::size_t a = 0; a < actions_json[p].size(); ++a) {
        if (!actions_json[p][a].is_string()) {
          fail(fmt::format("{}/{}", where, a), "an action label must be a string");
        }
        labels.push_back(actions_json[p][a].get<std::string>());
      }
      actions.push_back(std::move(labels));
    }

    std::optional<NormalFormBuilder> builder;
    try {
      builder.emplace(players, actions, limits_);
    } catch (const InvalidGame& e) {
      fail("/game", e.what());
    }
    if (game.contains("title")) {
      if (!game.at("title").is_string()) fail("/game/title", "the title must be a string");
      builder->set_title(game.at("title").get<std::string>());
    }

    if (!game.contains("payoffs")) fail("/game", "missing \"payoffs\"");
    const json& payoffs = game.at("payoffs");
    if (!payoffs.is_array() || payoffs.size() != players.size()) {
      fail("/game/payoffs",
           fmt::format("expected an array of {} payoff lists (one per player)", players.size()));
    }
    const std::size_t profiles = builder->num_profiles();
    for (std::size_t p = 0; p < players.size(); ++p) {
      const std::string where = fmt::format("/game/payoffs/{}", p);
      const json& list = payoffs[p];
      if (!list.is_array() || list.size() != profiles) {
        fail(where, fmt::format("expected {} numbers (one per profile), found {}", profiles,
                                list.is_array() ? fmt::format("{}", list.size())
                                                : std::string("no array")));
      }
      for (std::size_t i = 0; i < profiles; ++i) {
        if (!list[i].is_number()) fail(fmt::format("{}/{}", where, i), "a payoff must be a number");
        builder->set_payoff(i, static_cast<int>(p), list[i].get<double>());
      }
    }
    try {
      return std::move(*builder).build();
    } catch (const InvalidGame& e) {
      fail("/game/payoffs", e.what());
    }
  }

 private:
  [[noreturn]] void fail(const std::string& pointer, const std::string& message) const {
    throw InputError({file_, 0, 0},
                     pointer.empty() ? message : fmt::format("at {}: {}", pointer, message),
                     kLayoutHint);
  }

  std::vector<std::string> strings(const json& object, const char* key,
                                   const std::string& where) const {
    if (!object.contains(key)) fail("/game", fmt::format("missing \"{}\"", key));
    const json& list = object.at(key);
    if (!list.is_array()) fail(where, "expected an array of strings");
    std::vector<std::string> out;
    for (std::size_t i = 0; i < list.size(); ++i) {
      if (!list[i].is_string()) fail(fmt::format("{}/{}", where, i), "expected a string");
      out.push_back(list[i].get<std::string>());
    }
    return out;
  }

  std::string file_;
  GameLimits limits_;
};

// ---- scenario YAML export ----

bool is_ident_start(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; }
bool is_ident_char(char c) { return is_ident_start(c) || (c >= '0' && c <= '9'); }

/// Identifiers for `labels`: characters outside [A-Za-z0-9_] are dropped at both ends and a run
/// of them inside becomes one '_'; a leading digit gets `prefix`, an empty result becomes prefix
/// + 1-based index, and a repeat gets "_2", "_3", ... appended.
std::vector<std::string> identifiers(const std::vector<std::string>& labels,
                                     const std::string& prefix) {
  std::vector<std::string> ids;
  std::set<std::string> used;
  for (std::size_t i = 0; i < labels.size(); ++i) {
    std::string id;
    bool gap = false;
    for (char c : labels[i]) {
      if (!is_ident_char(c)) {
        gap = true;
        continue;
      }
      if (gap && !id.empty()) id += '_';
      gap = false;
      id += c;
    }
    if (id.empty()) id = fmt::format("{}{}", prefix, i + 1);
    if (!is_ident_start(id.front())) id = prefix + id;
    if (used.count(id) != 0) {
      std::string candidate;
      for (int k = 2;; ++k) {
        candidate = fmt::format("{}_{}", id, k);
        if (used.count(candidate) == 0) break;
      }
      id = candidate;
    }
    used.insert(id);
    ids.push_back(std::move(id));
  }
  return ids;
}

/// A YAML double-quoted scalar.
std::string yaml_quoted(const std::string& text) {
  const std::string s = to_utf8(text);
  std::string out = "\"";
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    switch (ch) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        if (c < 0x20 || c == 0x7f) {
          out += fmt::format("\\x{:02x}", c);
        } else {
          out += ch;
        }
    }
  }
  out += '"';
  return out;
}

/// Identifiers that a YAML 1.1 reader could take for booleans or null are quoted.
std::string yaml_key(const std::string& id) {
  static const std::array<std::string_view, 22> kSpecial = {
      "y",    "Y",    "n",     "N",     "yes",   "Yes", "YES", "no", "No",  "NO",  "true",
      "True", "TRUE", "false", "False", "FALSE", "on",  "On",  "ON", "off", "Off", "OFF"};
  const bool special = std::find(kSpecial.begin(), kSpecial.end(), id) != kSpecial.end() ||
                       id == "null" || id == "Null" || id == "NULL";
  return special ? yaml_quoted(id) : id;
}

std::string label_comment(const std::string& id, const std::string& label) {
  if (id == label) return "";
  std::string shown;
  for (char c : to_utf8(label)) {
    const auto u = static_cast<unsigned char>(c);
    shown += (u < 0x20 || u == 0x7f) ? ' ' : c;  // a comment holds printable text only
  }
  return "  # label: " + shown;
}

}  // namespace

json game_to_json(const NormalFormGame& game) {
  json actions = json::array();
  json payoffs = json::array();
  for (int p = 0; p < game.num_players(); ++p) {
    actions.push_back(to_utf8(game.action_names(p)));
    const auto values = game.payoffs(p);
    payoffs.push_back(std::vector<double>(values.begin(), values.end()));
  }
  return json{{"stratagem", 1},
              {"game",
               {{"type", "normal"},
                {"title", to_utf8(game.title())},
                {"players", to_utf8(game.player_names())},
                {"actions", std::move(actions)},
                {"payoffs", std::move(payoffs)}}}};
}

NormalFormGame read_game_json(const std::string& text, const std::string& filename,
                              GameLimits limits) {
  json doc;
  try {
    doc = json::parse(text);
  } catch (const json::parse_error& e) {
    // e.byte is the 1-based index of the byte where parsing stopped.
    const std::size_t offset = e.byte > 0 ? e.byte - 1 : 0;
    std::string message = e.what();
    const auto syntax = message.find("syntax error");
    if (syntax != std::string::npos) message = message.substr(syntax);
    throw InputError(position_of(text, offset, filename), "invalid JSON: " + message);
  } catch (const json::out_of_range& e) {
    // A number too large for a double ("number overflow parsing '1e999'"): the exception has no
    // position, so the number's first occurrence in the text marks it.
    const std::string message = e.what();
    const auto open = message.find('\'');
    const auto close = open == std::string::npos ? open : message.find('\'', open + 1);
    std::size_t offset = 0;
    std::string number;
    if (close != std::string::npos) {
      number = message.substr(open + 1, close - open - 1);
      offset = std::min(text.find(number), text.size());
    }
    throw InputError(position_of(text, offset, filename),
                     number.empty() ? "invalid JSON: a number out of range"
                                    : fmt::format("the number {} is too large (beyond ±1.8e308)",
                                                  number),
                     "write payoffs as finite numbers");
  }
  return JsonReader(filename, limits).read(doc);
}

std::string game_to_scenario_yaml(const NormalFormGame& game) {
  const int n = game.num_players();
  const std::vector<std::string> actors = identifiers(game.player_names(), "p");
  std::vector<std::vector<std::string>> moves;
  for (int p = 0; p < n; ++p) moves.push_back(identifiers(game.action_names(p), "a"));

  fmt::memory_buffer out;
  auto put = [&out](std::string_view text) { out.append(text.data(), text.data() + text.size()); };
  put("stratagem: 1\n");
  put(fmt::format("name: {}\n", yaml_quoted(game.title())));
  put("actors:\n");
  for (int p = 0; p < n; ++p) {
    put(fmt::format("  {}: {{name: {}}}{}\n", yaml_key(actors[p]), yaml_quoted(game.player_name(p)),
                    label_comment(actors[p], game.player_name(p))));
  }
  put("game:\n  type: normal\n  moves:\n");
  for (int p = 0; p < n; ++p) {
    put(fmt::format("    {}:\n", yaml_key(actors[p])));
    for (int a = 0; a < game.num_actions(p); ++a) {
      put(fmt::format("      - {}{}\n", yaml_key(moves[p][a]),
                      label_comment(moves[p][a], game.action_name(p, a))));
    }
  }
  put("  payoffs:  # \"move of each actor, in actor order\": [payoff of each actor]\n");
  std::vector<int> profile(static_cast<std::size_t>(n), 0);
  for (std::size_t i = 0; i < game.num_profiles(); ++i) {
    std::string key;
    for (int p = 0; p < n; ++p) {
      if (p > 0) key += ", ";
      key += moves[p][game.action_of(i, p)];
    }
    put(fmt::format("    \"{}\": [", key));
    for (int p = 0; p < n; ++p) {
      if (p > 0) put(", ");
      put(fmt::format("{}", game.payoff(p, i)));
    }
    put("]\n");
  }
  return std::string(out.data(), out.size());
}

}  // namespace stratagem
