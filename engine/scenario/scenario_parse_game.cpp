// Parsing of a scenario file's game section: moves, rules, direct payoffs, game types.

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <string>
#include <vector>

#include "scenario/model_parser.hpp"

namespace stratagem::scenario_detail::parse_detail {

int ModelParser::actor_index(const Entry& entry, const std::string& where) const {
  const int a = index_of(model_->actor_ids, entry.key);
  if (a >= 0) return a;
  throw InputError(entry.key_mark,
                   fmt::format("unknown actor '{}' in {}{}", entry.key, where,
                               did_you_mean(entry.key, model_->actor_ids)),
                   fmt::format("actors are: {}", fmt::join(model_->actor_ids, ", ")));
}

int ModelParser::move_index(int actor, const std::string& move, const SourceMark& where,
                            const std::string& context) const {
  const auto& ids = model_->move_ids[static_cast<std::size_t>(actor)];
  const int m = index_of(ids, move);
  if (m >= 0) return m;
  const std::string& actor_id = model_->actor_ids[static_cast<std::size_t>(actor)];
  throw InputError(where,
                   fmt::format("unknown move '{}' for actor '{}' in {}{}", move, actor_id, context,
                               did_you_mean(move, ids)),
                   fmt::format("moves of {} are: {}", actor_id, fmt::join(ids, ", ")));
}

void ModelParser::parse_effects(const MapView& spec, std::vector<Effect>& out,
                                const std::string& owner) {
  for (const char* kind : {"set", "add"}) {
    const Entry* e = spec.find(kind);
    if (e == nullptr) continue;
    const MapView targets(reader_, e->value, e->value_mark, fmt::format("{}: of {}", kind, owner));
    for (const auto& t : targets.entries()) {
      Effect effect;
      effect.attribute = attribute_index(t, fmt::format("{}: of {}", kind, owner));
      effect.add = std::string(kind) == "add";
      effect.value = model_formula(t, fmt::format("{}: {}", kind, t.key));
      effect.mark = t.key_mark;
      out.push_back(std::move(effect));
      if (!first_effect_.line) first_effect_ = e->key_mark;
    }
  }
}

void ModelParser::parse_moves(const Entry& moves_entry) {
  model_->moves_mark = moves_entry.key_mark;
  const std::size_t n = model_->actor_ids.size();
  model_->move_ids.assign(n, {});
  model_->moves.assign(n, {});
  std::vector<bool> seen(n, false);
  const MapView per_actor(reader_, moves_entry.value, moves_entry.value_mark, "moves");
  for (const auto& entry : per_actor.entries()) {
    const auto a = static_cast<std::size_t>(actor_index(entry, "moves"));
    seen[a] = true;
    const std::string owner = fmt::format("moves of '{}'", entry.key);
    auto& ids = model_->move_ids[a];
    auto& moves = model_->moves[a];
    const auto add_id = [&](const std::string& id, const SourceMark& mark) {
      if (!is_label(id) || id == "*") {
        throw InputError(mark, fmt::format("move id '{}' is not a valid id", id),
                         "use letters, digits, '_', '-' or '.' (e.g. 'offer_two')");
      }
      for (const auto& m : moves) {
        if (m.id == id) {
          throw InputError(mark,
                           fmt::format("duplicate move '{}' in {}; first defined{}", id, owner,
                                       line_ref(m.mark)),
                           "remove or rename one of them");
        }
      }
      Move move;
      move.id = id;
      move.mark = mark;
      ids.push_back(id);
      moves.push_back(std::move(move));
    };
    if (entry.value.IsSequence()) {
      for (const auto& item : entry.value) {
        const SourceMark mark = reader_.mark(item, entry.value_mark);
        add_id(reader_.text(item, mark, "move id"), mark);
      }
    } else if (entry.value.IsMap()) {
      const MapView list(reader_, entry.value, entry.value_mark, owner);
      for (const auto& m : list.entries()) {
        add_id(m.key, m.key_mark);
        Move& move = moves.back();
        const std::string move_owner = fmt::format("move '{}'", m.key);
        if (m.value.IsNull()) continue;
        const MapView spec(reader_, m.value, m.value_mark, move_owner);
        spec.allow_only(kMoveKeys);
        if (const Entry* c = spec.find("category")) {
          move.category = reader_.text(c->value, c->value_mark, "category");
          if (index_of(kCategories, move.category) < 0) {
            throw InputError(c->value_mark,
                             fmt::format("unknown category '{}' for {}{}", move.category,
                                         move_owner, did_you_mean(move.category, kCategories)),
                             fmt::format("categories are: {}", fmt::join(kCategories, ", ")));
          }
        }
        if (const Entry* d = spec.find("doc"))
          move.doc = reader_.text(d->value, d->value_mark, "doc");
        parse_effects(spec, move.effects, move_owner);
      }
    } else {
      throw InputError(entry.value_mark,
                       fmt::format("{} must be a list of move ids or a mapping of moves", owner),
                       fmt::format("write {}: [move_a, move_b] or {}: {{move_a: {{category: "
                                   "other}}, ...}}",
                                   entry.key, entry.key));
    }
    if (ids.empty()) {
      throw InputError(entry.value_mark, fmt::format("{} is empty", owner),
                       "give every actor at least one move");
    }
  }
  for (std::size_t a = 0; a < n; ++a) {
    if (seen[a]) continue;
    throw InputError(moves_entry.key_mark,
                     fmt::format("actor '{}' has no entry under moves:", model_->actor_ids[a]),
                     fmt::format("add {}: [move_a, move_b] under moves:", model_->actor_ids[a]));
  }
}

void ModelParser::parse_rules(const Entry& rules_entry) {
  for (const auto& item : reader_.sequence(rules_entry.value, rules_entry.value_mark, "rules")) {
    Rule rule;
    rule.mark = reader_.mark(item, rules_entry.value_mark);
    rule.allowed.assign(model_->actor_ids.size(), {});
    const MapView spec(reader_, item, rule.mark, "a rule");
    spec.allow_only(kRuleKeys);
    if (const Entry* w = spec.find("when")) {
      const MapView when(reader_, w->value, w->value_mark, "when:");
      for (const auto& e : when.entries()) {
        const int a = actor_index(e, "when:");
        std::vector<int> allowed;
        bool any = false;
        const auto add = [&](const YAML::Node& node, const SourceMark& where) {
          const std::string id = reader_.text(node, where, "move id");
          if (id == "*") {
            any = true;
            return;
          }
          allowed.push_back(move_index(a, id, where, "when:"));
        };
        if (e.value.IsSequence()) {
          for (const auto& m : e.value) add(m, reader_.mark(m, e.value_mark));
        } else {
          add(e.value, e.value_mark);
        }
        if (!any) rule.allowed[static_cast<std::size_t>(a)] = std::move(allowed);
      }
    }
    parse_effects(spec, rule.effects, "a rule");
    if (rule.effects.empty()) {
      throw InputError(rule.mark, "this rule has no set: or add:, so it does nothing",
                       "add set: {attribute: value} or add: {attribute: amount}, or remove it");
    }
    model_->rules.push_back(std::move(rule));
  }
}

std::vector<Formula> ModelParser::payoff_values(const YAML::Node& node, const SourceMark& where,
                                                const std::string& what,
                                                bool attributes_allowed) {
  const std::size_t n = model_->actor_ids.size();
  std::vector<Formula> values(n);
  const auto read = [&](const YAML::Node& v, const SourceMark& at, const std::string& whose) {
    Formula f = reader_.formula(v, at, whose);
    check_formula(f, all_names_);
    if (!attributes_allowed) {
      require_names(f, parameter_names_, "direct payoffs may only use parameters");
    }
    return f;
  };
  if (node.IsMap()) {
    const MapView by_actor(reader_, node, where, what);
    std::vector<bool> given(n, false);
    for (const auto& e : by_actor.entries()) {
      const auto a = static_cast<std::size_t>(actor_index(e, what));
      values[a] = read(e.value, e.value_mark, fmt::format("payoff of '{}'", e.key));
      given[a] = true;
    }
    for (std::size_t a = 0; a < n; ++a) {
      if (given[a]) continue;
      throw InputError(where,
                       fmt::format("{} gives no payoff for actor '{}'", what, model_->actor_ids[a]),
                       fmt::format("add {}: <payoff>", model_->actor_ids[a]));
    }
    return values;
  }
  const auto items = reader_.sequence(node, where, what);
  if (items.size() != n) {
    throw InputError(
        where, fmt::format("{} has {} payoffs but there are {} actors", what, items.size(), n),
        fmt::format("write one payoff per actor, in the order {}",
                    fmt::join(model_->actor_ids, ", ")));
  }
  for (std::size_t a = 0; a < n; ++a) {
    values[a] = read(items[a], reader_.mark(items[a], where),
                     fmt::format("payoff of '{}'", model_->actor_ids[a]));
  }
  return values;
}

void ModelParser::parse_matrix(const Entry& entry) {
  if (model_->actor_ids.size() != 2) {
    throw InputError(
        entry.key_mark,
        fmt::format("matrix: needs exactly two actors, but there are {}", model_->actor_ids.size()),
        "use payoffs: keyed by profile for other numbers of actors");
  }
  const auto& rows_ids = model_->move_ids[0];
  const auto& cols_ids = model_->move_ids[1];
  const auto rows = reader_.sequence(entry.value, entry.value_mark, "matrix");
  if (rows.size() != rows_ids.size()) {
    throw InputError(entry.value_mark,
                     fmt::format("matrix has {} rows but '{}' has {} moves", rows.size(),
                                 model_->actor_ids[0], rows_ids.size()),
                     fmt::format("write one row per move of '{}': {}", model_->actor_ids[0],
                                 fmt::join(rows_ids, ", ")));
  }
  for (std::size_t r = 0; r < rows.size(); ++r) {
    const SourceMark row_mark = reader_.mark(rows[r], entry.value_mark);
    const auto cells = reader_.sequence(rows[r], row_mark, fmt::format("matrix row {}", r + 1));
    if (cells.size() != cols_ids.size()) {
      throw InputError(
          row_mark,
          fmt::format("matrix row {} ('{}') has {} cells but '{}' has {} moves", r + 1, rows_ids[r],
                      cells.size(), model_->actor_ids[1], cols_ids.size()),
          fmt::format("write one [a, b] cell per move of '{}': {}", model_->actor_ids[1],
                      fmt::join(cols_ids, ", ")));
    }
    for (std::size_t c = 0; c < cells.size(); ++c) {
      PayoffEntry cell;
      cell.mark = reader_.mark(cells[c], row_mark);
      cell.pattern = {static_cast<int>(r), static_cast<int>(c)};
      cell.values = payoff_values(cells[c], cell.mark,
                                  fmt::format("matrix cell ({}, {})", rows_ids[r], cols_ids[c]));
      model_->payoff_entries.push_back(std::move(cell));
    }
  }
}

void ModelParser::parse_payoffs(const Entry& entry) {
  const MapView list(reader_, entry.value, entry.value_mark, "payoffs");
  const std::size_t n = model_->actor_ids.size();
  for (const auto& e : list.entries()) {
    PayoffEntry payoff;
    payoff.mark = e.key_mark;
    // Split the key on commas and blanks; each token is a move id of the actor in turn or "*".
    std::vector<std::pair<std::string, int>> tokens;  // token, offset in the key
    std::size_t i = 0;
    while (i < e.key.size()) {
      while (i < e.key.size() &&
             (e.key[i] == ',' || std::isspace(static_cast<unsigned char>(e.key[i]))))
        ++i;
      const std::size_t begin = i;
      while (i < e.key.size() && e.key[i] != ',' &&
             !std::isspace(static_cast<unsigned char>(e.key[i])))
        ++i;
      if (i > begin) tokens.emplace_back(e.key.substr(begin, i - begin), static_cast<int>(begin));
    }
    if (tokens.size() != n) {
      throw InputError(e.key_mark,
                       fmt::format("profile \"{}\" names {} moves but there are {} actors", e.key,
                                   tokens.size(), n),
                       fmt::format("write one move per actor in the order {}, or '*' for any",
                                   fmt::join(model_->actor_ids, ", ")));
    }
    for (std::size_t a = 0; a < n; ++a) {
      const auto& [token, offset] = tokens[a];
      if (token == "*") {
        payoff.pattern.push_back(-1);
        continue;
      }
      SourceMark where = e.key_mark;
      if (where.column > 0) where.column += offset + (e.key_quoted ? 1 : 0);
      payoff.pattern.push_back(move_index(static_cast<int>(a), token, where,
                                          fmt::format("payoffs profile \"{}\"", e.key)));
    }
    payoff.values =
        payoff_values(e.value, e.value_mark, fmt::format("payoffs entry \"{}\"", e.key));
    model_->payoff_entries.push_back(std::move(payoff));
  }
}

void ModelParser::check_size() {
  // Saturating product, so that the limit check cannot overflow.
  std::size_t profiles = 1;
  for (const auto& ids : model_->move_ids) {
    const std::size_t k = ids.size();
    if (profiles > std::numeric_limits<std::size_t>::max() / k) {
      profiles = std::numeric_limits<std::size_t>::max();
    } else {
      profiles *= k;
    }
  }
  if (profiles > model_->limits.max_profiles) {
    throw InputError(model_->moves_mark,
                     fmt::format("the game is too large: more than {} pure profiles",
                                 model_->limits.max_profiles),
                     "reduce the number of actors or moves");
  }
  try {
    const NormalFormBuilder builder(model_->actor_ids, model_->move_ids, model_->limits);
  } catch (const InvalidGame& e) {
    throw InputError(model_->moves_mark, fmt::format("invalid game: {}", e.what()),
                     "check the actors and moves");
  }
}

void ModelParser::check_coverage(const SourceMark& where) {
  std::vector<int> shape;
  std::size_t profiles = 1;
  for (const auto& ids : model_->move_ids) {
    shape.push_back(static_cast<int>(ids.size()));
    profiles *= ids.size();
  }
  std::vector<char> covered(profiles, 0);
  for (const auto& entry : model_->payoff_entries) {
    for_each_match(entry.pattern, shape, [&](std::size_t index) { covered[index] = 1; });
  }
  const auto missing = std::find(covered.begin(), covered.end(), 0);
  if (missing == covered.end()) return;
  std::size_t index = static_cast<std::size_t>(missing - covered.begin());
  std::vector<int> actions;
  for (const int k : shape) {
    actions.push_back(static_cast<int>(index % static_cast<std::size_t>(k)));
    index /= static_cast<std::size_t>(k);
  }
  std::vector<std::string> names;
  for (std::size_t a = 0; a < actions.size(); ++a) {
    names.push_back(model_->move_ids[a][static_cast<std::size_t>(actions[a])]);
  }
  std::vector<std::string> dots(actions.size(), "...");
  throw InputError(where, fmt::format("no payoff for profile {}", profile_text(*model_, actions)),
                   fmt::format("add an entry \"{}\": [{}] or a \"*\" default",
                               fmt::join(names, ", "), fmt::join(dots, ", ")));
}

void ModelParser::parse_game(const MapView& top) {
  const Entry& game_entry = top.require("game", "add game: with type: normal and moves:");
  const MapView game(reader_, game_entry.value, game_entry.value_mark, "game");
  const Entry& type = game.require("type", "write type: normal");
  model_->game_type = reader_.text(type.value, type.value_mark, "type");
  if (model_->game_type != "normal" && model_->game_type != "tree" && model_->game_type != "repeated") {
    throw InputError(type.value_mark,
                     fmt::format("unknown game type '{}'{}", model_->game_type,
                                 did_you_mean(model_->game_type, kGameTypes)),
                     "write type: normal");
  }
  if (model_->game_type == "tree") {
    parse_tree(game);
    return;
  }
  if (model_->game_type == "repeated") {
    // The stage game is an ordinary normal-form block under stage:.
    for (const char* key : {"moves", "rules", "matrix", "payoffs"}) {
      if (const Entry* misplaced = game.find(key)) {
        throw InputError(
            misplaced->key_mark,
            fmt::format("in a repeated game, {}: belongs to the stage game", key),
            fmt::format("indent it under stage: (game: {{type: repeated, stage: {{{}: ...}}}})",
                        key));
      }
    }
    game.allow_only(kRepeatedKeys);
    const Entry& stage_entry =
        game.require("stage", "add stage: with the moves and payoffs of one round");
    const MapView stage(reader_, stage_entry.value, stage_entry.value_mark, "stage");
    parse_normal_block(stage, stage_entry);
    std::vector<std::string> known = parameter_names_;
    model_->repeated = std::make_shared<const RepeatedModel>(
        parse_repeated(reader_, game, model_->actor_ids, model_->move_ids, known));
    return;
  }
  game.allow_only(kGameKeys);
  parse_normal_block(game, game_entry);
}

void ModelParser::parse_normal_block(const MapView& game, const Entry& game_entry) {
  if (model_->game_type == "repeated")
    game.allow_only({"moves", "rules", "matrix", "payoffs", "doc"});
  parse_moves(game.require("moves", "add moves: with one entry per actor listing its moves"));
  if (const Entry* r = game.find("rules")) parse_rules(*r);
  const Entry* matrix = game.find("matrix");
  const Entry* payoffs = game.find("payoffs");
  check_size();
  if (matrix != nullptr && payoffs != nullptr) {
    throw InputError(payoffs->key_mark, "both matrix: and payoffs: are given", "keep one of them");
  }
  const Entry* direct = matrix != nullptr ? matrix : payoffs;
  if (direct == nullptr) {
    if (!has_weights_or_terms_) {
      throw InputError(game_entry.key_mark,
                       "no payoffs: give actors weights/terms, or a matrix:/payoffs:",
                       "add weights: {attribute: 1} to actors, or matrix:/payoffs: under game:");
    }
    return;
  }
  if (has_weights_or_terms_) {
    throw InputError(
        direct->key_mark,
        fmt::format("{}: gives payoffs directly, but actors also have weights:/terms:{}",
                    direct->key, line_ref(first_valuation_)),
        fmt::format("remove {}: or the actors' weights:/terms:", direct->key));
  }
  if (first_effect_.line != 0) {
    throw InputError(
        first_effect_,
        fmt::format("set:/add: change attributes, which {}: payoffs ignore", direct->key),
        "remove set:/add: and rules:, or value the attributes with actor weights:");
  }
  model_->direct_payoffs = true;
  if (matrix != nullptr) {
    parse_matrix(*matrix);
  } else {
    parse_payoffs(*payoffs);
    check_coverage(payoffs->key_mark);
  }
}

}  // namespace stratagem::scenario_detail::parse_detail
