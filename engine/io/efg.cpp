// Reader and writer for Gambit's extensive-game (.efg) text format, written from the published
// format description: a header (EFG 2 R "title" { players } "comment") followed by one entry per
// node in prefix order. Decision entries ('p') name the player and a per-player information set
// number, chance entries ('c') give moves with probabilities, terminal entries ('t') an outcome;
// any node may carry an outcome, and outcomes add up along the path to a terminal.

#include "stratagem/io/efg.hpp"

#include "io/gambit_lexer.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <unordered_set>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <string_view>
#include <utility>
#include <vector>

#include "stratagem/game/rational.hpp"

namespace stratagem {
namespace {

constexpr const char* kHeaderHint =
    "a .efg file starts with: EFG 2 R \"title\" { \"Player 1\" \"Player 2\" }";
constexpr const char* kNodeHint =
    "a node reads p \"name\" player infoset \"infoset\" { \"move\" ... } outcome, "
    "c \"name\" infoset \"infoset\" { \"move\" 1/2 ... } outcome, or t \"name\" outcome "
    "\"outcome\" { payoffs }";
constexpr int kMaxDepth = kMaxTreeDepth;

using io_detail::describe;
using io_detail::quoted;
using io_detail::read_text_file;
using io_detail::Lexer;
using io_detail::Token;
using io_detail::TokenKind;

/// The nearest double of an integer, decimal or fraction; nullopt when not a number.
std::optional<double> to_double(const std::string& text) {
  const auto exact = parse_rational(text);
  if (!exact) return std::nullopt;
  const double v = nearest_double(*exact);
  return std::isfinite(v) ? std::optional<double>(v) : std::nullopt;
}

struct ChanceSet {
  std::vector<std::string> moves;
  std::vector<double> probabilities;
  std::vector<mpq_class> exact;  ///< the probabilities as written
};

class EfgReader {
 public:
  EfgReader(const std::string& text, const std::string& filename) : lexer_(text, filename) {}

  GameTree read() {
    read_header();
    builder_.emplace(players_);
    builder_->set_title(title_);
    builder_->set_comment(comment_);
    const Token& first = lexer_.peek();
    if (first.kind == TokenKind::kEnd) {
      throw InputError(lexer_.mark(first), "the file has no nodes", kNodeHint);
    }
    const int root = read_node(std::vector<mpq_class>(players_.size(), mpq_class(0)), 0);
    const Token& rest = lexer_.peek();
    if (rest.kind != TokenKind::kEnd) {
      throw InputError(lexer_.mark(rest),
                       fmt::format("unexpected {} after the last node of the tree", describe(rest)),
                       "every node has one subtree per move; remove the extra entries or add "
                       "moves to a node above");
    }
    try {
      return std::move(*builder_).build(root);
    } catch (const InvalidGame& e) {
      throw InputError(lexer_.last_end(), e.what());
    }
  }

 private:
  Token expect(TokenKind kind, const std::string& what, const std::string& hint) {
    const Token& token = lexer_.peek();
    if (token.kind != kind) {
      throw InputError(lexer_.mark(token),
                       fmt::format("expected {}, found {}", what, describe(token)), hint);
    }
    return lexer_.next();
  }

  /// A non-negative integer token.
  long integer(const std::string& what, const std::string& hint) {
    const Token token = expect(TokenKind::kNumber, what, hint);
    long value = -1;
    const auto r = std::from_chars(token.text.data(), token.text.data() + token.text.size(), value);
    if (r.ec != std::errc() || r.ptr != token.text.data() + token.text.size() || value < 0) {
      throw InputError(lexer_.mark(token), fmt::format("expected {}, found '{}'", what, token.text),
                       hint);
    }
    last_integer_ = token;
    return value;
  }

  /// The exact value of a number token (an integer, decimal or fraction).
  mpq_class number(const std::string& what, const std::string& hint) {
    const Token token = expect(TokenKind::kNumber, what, hint);
    const auto v = parse_rational(token.text);
    if (!v || !std::isfinite(nearest_double(*v))) {
      throw InputError(lexer_.mark(token), fmt::format("bad number '{}'", token.text),
                       "write an integer (3, -2), a decimal (0.25) or a fraction (1/3)");
    }
    return *v;
  }

  void read_header() {
    const Token& first = lexer_.peek();
    if (first.kind != TokenKind::kWord || first.text != "EFG") {
      throw InputError(lexer_.mark(first),
                       fmt::format("missing 'EFG' header (found {})", describe(first)),
                       kHeaderHint);
    }
    lexer_.next();
    const Token version =
        expect(TokenKind::kNumber, "the format version 2 after 'EFG'", kHeaderHint);
    if (version.text != "2") {
      throw InputError(
          lexer_.mark(version),
          fmt::format("unsupported .efg version '{}'; only version 2 is read", version.text),
          "write 'EFG 2 R' at the start of the file");
    }
    const Token r = expect(TokenKind::kWord, "'R' after 'EFG 2'", kHeaderHint);
    if (r.text != "R" && r.text != "D") {
      throw InputError(lexer_.mark(r),
                       fmt::format("expected 'R' after 'EFG 2', found '{}'", r.text),
                       "write 'EFG 2 R' at the start of the file");
    }
    title_ = expect(TokenKind::kString, "the game's title as a quoted string", kHeaderHint).text;
    const Token open = expect(TokenKind::kOpen, "'{' before the players' names", kHeaderHint);
    while (lexer_.peek().kind == TokenKind::kString) players_.push_back(lexer_.next().text);
    expect(TokenKind::kClose, "a quoted player name or '}'",
           "player names are quoted strings: { \"Player 1\" \"Player 2\" }");
    if (players_.empty()) {
      throw InputError(lexer_.mark(open), "the game has no players",
                       "list the players' names: { \"Player 1\" \"Player 2\" }");
    }
    std::unordered_set<std::string> seen;
    seen.reserve(players_.size());
    for (std::size_t i = 0; i < players_.size(); ++i) {
      if (players_[i].empty()) players_[i] = fmt::format("Player {}", i + 1);
      if (!seen.insert(players_[i]).second) {
        throw InputError(lexer_.mark(open),
                         fmt::format("two players are called '{}'", players_[i]),
                         "give every player a different name");
      }
    }
    if (lexer_.peek().kind == TokenKind::kString) comment_ = lexer_.next().text;
  }

  /// Reads the outcome part of a node ("0", or "k" ["name"] [{ payoffs }]); returns the
  /// outcome's payoffs (zeros for 0) and its name.
  std::pair<std::vector<mpq_class>, std::string> read_outcome() {
    const std::string hint =
        "give an outcome number (0 for none) then, the first time, \"name\" { one payoff per "
        "player }";
    const long outcome_number = integer("an outcome number (0 for none)", hint);
    const Token number_token = last_integer_;
    std::string name;
    bool named = false;
    if (lexer_.peek().kind == TokenKind::kString) {
      name = lexer_.next().text;
      named = true;
    }
    std::optional<std::vector<mpq_class>> payoffs;
    if (lexer_.peek().kind == TokenKind::kOpen) {
      const Token open = lexer_.next();
      std::vector<mpq_class> values;
      while (lexer_.peek().kind == TokenKind::kNumber) {
        values.push_back(number("a payoff", "payoffs are numbers: { 1, -2 }"));
      }
      expect(TokenKind::kClose, "a payoff number or '}'", "payoffs are numbers: { 1, -2 }");
      if (values.size() != players_.size()) {
        throw InputError(
            lexer_.mark(open),
            fmt::format("outcome {} has {} payoff{}; expected {} (one per player)", outcome_number,
                        values.size(), values.size() == 1 ? "" : "s", players_.size()),
            "give one payoff per player, in player order");
      }
      payoffs = std::move(values);
    }
    if (outcome_number == 0) {
      if (payoffs) {
        throw InputError(lexer_.mark(number_token),
                         "outcome 0 means no payoff and cannot have payoffs",
                         "number the outcome from 1");
      }
      return {std::vector<mpq_class>(players_.size(), mpq_class(0)), name};
    }
    auto it = outcomes_.find(outcome_number);
    if (it == outcomes_.end()) {
      if (!payoffs) {
        throw InputError(
            lexer_.mark(number_token),
            fmt::format("outcome {} is used before its payoffs are given", outcome_number),
            "the first use of an outcome lists its payoffs: 1 \"name\" { 2, 0 }");
      }
      it = outcomes_.emplace(outcome_number, std::make_pair(*payoffs, name)).first;
    } else if (payoffs && *payoffs != it->second.first) {
      throw InputError(
          lexer_.mark(number_token),
          fmt::format("outcome {} was given different payoffs earlier", outcome_number),
          "use a new outcome number for different payoffs");
    }
    return {it->second.first, named ? name : it->second.second};
  }

  /// Reads the subtree whose entry starts at the current token; returns its builder id.
  /// `accumulated`: the exact sum of the outcomes on the path so far (Gambit adds the payoffs of
  /// outcomes at inner nodes to those below).
  int read_node(std::vector<mpq_class> accumulated, int depth) {
    const Token head = lexer_.peek();
    if (depth > kMaxDepth) {
      throw InputError(lexer_.mark(head),
                       fmt::format("the tree is deeper than {} levels", kMaxDepth),
                       "the limit is kMaxTreeDepth (docs/limits.md); check that the file's "
                       "nodes close their subtrees, or split the game");
    }
    if (head.kind == TokenKind::kEnd) {
      throw InputError(lexer_.mark(head), "the file ends before every move has a subtree",
                       "each node needs one following subtree per move, in prefix order");
    }
    if (head.kind != TokenKind::kWord ||
        (head.text != "p" && head.text != "c" && head.text != "t")) {
      throw InputError(lexer_.mark(head),
                       fmt::format("expected a node ('p', 'c' or 't'), found {}", describe(head)),
                       kNodeHint);
    }
    lexer_.next();
    const std::string label =
        expect(TokenKind::kString, "the node's name as a quoted string (may be \"\")", kNodeHint)
            .text;
    if (head.text == "t") {
      auto [payoffs, outcome] = read_outcome();
      for (std::size_t p = 0; p < payoffs.size(); ++p) accumulated[p] += payoffs[p];
      std::vector<double> nearest;
      for (const mpq_class& v : accumulated) {
        nearest.push_back(nearest_double(v));
        if (!std::isfinite(nearest.back())) {
          throw InputError(lexer_.mark(head), "a payoff is too large for a double",
                           "payoffs must lie within about ±1.8e308");
        }
      }
      const int id = builder_->add_terminal(std::move(nearest), label, outcome);
      builder_->set_exact_payoffs(id, std::move(accumulated));
      return id;
    }
    if (head.text == "p") return read_decision(label, std::move(accumulated), depth);
    return read_chance(label, std::move(accumulated), depth);
  }

  int read_decision(const std::string& label, std::vector<mpq_class> accumulated, int depth) {
    const std::string player_hint =
        fmt::format("players are numbered 1 to {} in the header's order", players_.size());
    const long player = integer("the player number", player_hint);
    const Token player_token = last_integer_;
    if (player < 1 || player > static_cast<long>(players_.size())) {
      throw InputError(lexer_.mark(player_token),
                       fmt::format("player {} does not exist; the game has {} player{}", player,
                                   players_.size(), players_.size() == 1 ? "" : "s"),
                       player_hint + (player == 0 ? "; chance nodes are written with 'c'" : ""));
    }
    const long infoset =
        integer("the information set number", "information sets are numbered 1, 2, ... per player");
    const Token infoset_token = last_integer_;
    std::string infoset_name;
    if (lexer_.peek().kind == TokenKind::kString) infoset_name = lexer_.next().text;
    std::optional<std::vector<std::string>> moves;
    Token moves_token;
    if (lexer_.peek().kind == TokenKind::kOpen) {
      moves_token = lexer_.next();
      std::vector<std::string> list;
      while (lexer_.peek().kind == TokenKind::kString) list.push_back(lexer_.next().text);
      expect(TokenKind::kClose, "a quoted move label or '}'",
             "moves are quoted strings: { \"L\" \"R\" }");
      if (list.empty()) {
        throw InputError(lexer_.mark(moves_token), "a decision node with no moves",
                         "list at least one move, or write the node as a terminal 't'");
      }
      name_moves(list, moves_token);
      moves = std::move(list);
    }
    const auto key = std::make_pair(player, infoset);
    auto known = infosets_.find(key);
    if (known == infosets_.end()) {
      if (!moves) {
        throw InputError(lexer_.mark(infoset_token),
                         fmt::format("information set {} of player {} is used before its moves are "
                                     "given",
                                     infoset, player),
                         "the first node of an information set lists its moves: { \"L\" \"R\" }");
      }
      known = infosets_.emplace(key, std::make_pair(*moves, infoset_name)).first;
    } else {
      if (moves && *moves != known->second.first) {
        throw InputError(
            lexer_.mark(moves_token),
            fmt::format("information set {} of player {} has moves {{ {} }} here but {{ {} }} at "
                        "an earlier node",
                        infoset, player, quoted_list(*moves), quoted_list(known->second.first)),
            "nodes a player cannot tell apart must offer the same moves; use another information "
            "set number or the same moves");
      }
      if (infoset_name.empty()) infoset_name = known->second.second;
    }
    auto [payoffs, outcome] = read_outcome();
    for (std::size_t p = 0; p < payoffs.size(); ++p) accumulated[p] += payoffs[p];
    std::vector<int> children;
    for (std::size_t m = 0; m < known->second.first.size(); ++m) {
      children.push_back(read_node(accumulated, depth + 1));
    }
    return builder_->add_decision(DecisionSpec{.player = static_cast<int>(player - 1),
                                               .infoset = std::to_string(infoset),
                                               .infoset_label = infoset_name,
                                               .moves = known->second.first,
                                               .children = std::move(children),
                                               .label = label});
  }

  int read_chance(const std::string& label, std::vector<mpq_class> accumulated, int depth) {
    const long infoset = integer("the chance information set number",
                                 "chance information sets are numbered 1, 2, ...");
    const Token infoset_token = last_integer_;
    if (lexer_.peek().kind == TokenKind::kString) lexer_.next();  // chance infoset name
    std::optional<ChanceSet> given;
    if (lexer_.peek().kind == TokenKind::kOpen) {
      const Token open = lexer_.next();
      ChanceSet set;
      mpq_class sum = 0;
      const std::string hint = "chance moves read { \"heads\" 1/2 \"tails\" 1/2 }";
      while (lexer_.peek().kind == TokenKind::kString) {
        set.moves.push_back(lexer_.next().text);
        const Token p = expect(TokenKind::kNumber,
                               fmt::format("the probability of move '{}'", set.moves.back()), hint);
        const auto exact = parse_rational(p.text);
        const auto value = to_double(p.text);
        if (!exact || !value) {
          throw InputError(lexer_.mark(p), fmt::format("bad probability '{}'", p.text),
                           "write a decimal (0.25) or a fraction (1/4)");
        }
        if (*exact < 0 || *exact > 1) {
          throw InputError(lexer_.mark(p),
                           fmt::format("probability {} of move '{}' is outside [0, 1]", p.text,
                                       set.moves.back()),
                           hint);
        }
        sum += *exact;
        set.probabilities.push_back(*value);
        set.exact.push_back(*exact);
      }
      expect(TokenKind::kClose, "a quoted move label or '}'", hint);
      if (set.moves.empty()) {
        throw InputError(lexer_.mark(open), "a chance node with no moves", hint);
      }
      name_moves(set.moves, open);
      const double total = sum.get_d();
      if (std::abs(total - 1.0) > 1e-9) {
        throw InputError(lexer_.mark(open),
                         fmt::format("chance probabilities sum to {:.12g} ({}), not 1", total,
                                     fraction_string(sum)),
                         "make the probabilities of a chance node's moves add up to 1");
      }
      given = std::move(set);
    }
    auto known = chance_sets_.find(infoset);
    if (known == chance_sets_.end()) {
      if (!given) {
        throw InputError(
            lexer_.mark(infoset_token),
            fmt::format("chance information set {} is used before its moves are given", infoset),
            "the first chance node of a set lists its moves: { \"H\" 1/2 \"T\" 1/2 }");
      }
      known = chance_sets_.emplace(infoset, *given).first;
    } else if (given && given->moves != known->second.moves) {
      throw InputError(
          lexer_.mark(infoset_token),
          fmt::format("chance information set {} has different moves at an earlier node", infoset),
          "use another chance information set number");
    }
    const ChanceSet set = given ? *given : known->second;
    auto [payoffs, outcome] = read_outcome();
    for (std::size_t p = 0; p < payoffs.size(); ++p) accumulated[p] += payoffs[p];
    std::vector<int> children;
    for (std::size_t m = 0; m < set.moves.size(); ++m) {
      children.push_back(read_node(accumulated, depth + 1));
    }
    const int id = builder_->add_chance(set.moves, set.probabilities, std::move(children), label);
    builder_->set_exact_probabilities(id, set.exact);
    return id;
  }

  /// An empty move label becomes its 1-based position. Gambit allows a label to repeat at a
  /// node (chance moves are often labelled by their probability, "1/2" "1/2"); moves are told
  /// apart by label here, so a repeat gets its 1-based position appended: "1/2", "1/2 #2".
  void name_moves(std::vector<std::string>& moves, const Token&) const {
    for (std::size_t m = 0; m < moves.size(); ++m) {
      if (moves[m].empty()) moves[m] = std::to_string(m + 1);
    }
    for (std::size_t m = 0; m < moves.size(); ++m) {
      const auto repeats = [&](const std::string& label) {
        return std::find(moves.begin(), moves.begin() + static_cast<std::ptrdiff_t>(m), label) !=
               moves.begin() + static_cast<std::ptrdiff_t>(m);
      };
      if (!repeats(moves[m])) continue;
      std::string label = fmt::format("{} #{}", moves[m], m + 1);
      while (repeats(label) ||
             std::find(moves.begin() + static_cast<std::ptrdiff_t>(m) + 1, moves.end(), label) !=
                 moves.end()) {
        label += "'";
      }
      moves[m] = std::move(label);
    }
  }

  static std::string quoted_list(const std::vector<std::string>& moves) {
    std::string out;
    for (const auto& m : moves) out += (out.empty() ? "\"" : " \"") + m + "\"";
    return out;
  }

  Lexer lexer_;
  std::string title_;
  std::string comment_;
  std::vector<std::string> players_;
  std::optional<GameTreeBuilder> builder_;
  std::map<std::pair<long, long>, std::pair<std::vector<std::string>, std::string>> infosets_;
  std::map<long, ChanceSet> chance_sets_;
  std::map<long, std::pair<std::vector<mpq_class>, std::string>> outcomes_;
  Token last_integer_;
};

}  // namespace

GameTree parse_efg(const std::string& text, const std::string& filename) {
  return EfgReader(text, filename).read();
}

GameTree read_efg(const std::string& path) {
  return parse_efg(read_text_file(path), path);
}

std::string write_efg(const GameTree& tree) {
  fmt::memory_buffer out;
  const auto put = [&]<class... Args>(fmt::format_string<Args...> format, Args&&... args) {
    fmt::format_to(std::back_inserter(out), format, std::forward<Args>(args)...);
  };
  put("EFG 2 R {} {{", quoted(tree.title()));
  for (const auto& p : tree.player_names()) put(" {}", quoted(p));
  put(" }}\n{}\n\n", quoted(tree.comment()));
  // Per-player information set numbers, in tree order.
  std::vector<int> number(tree.infosets().size(), 0);
  std::vector<int> next(tree.num_players(), 0);
  for (std::size_t h = 0; h < tree.infosets().size(); ++h) {
    number[h] = ++next[tree.infoset(static_cast<int>(h)).player];
  }
  int chance_sets = 0;
  int outcomes = 0;
  for (const TreeNode& n : tree.nodes()) {
    switch (n.kind) {
      case NodeKind::kDecision: {
        const InfoSet& h = tree.infoset(n.infoset);
        put("p {} {} {} {} {{", quoted(n.label), n.player + 1, number[n.infoset], quoted(h.label));
        for (const auto& m : n.moves) put(" {}", quoted(m));
        put(" }} 0\n");
        break;
      }
      case NodeKind::kChance:
        put("c {} {} \"\" {{", quoted(n.label), ++chance_sets);
        for (std::size_t m = 0; m < n.moves.size(); ++m) {
          // Exact data are written as the fractions they were read as (1/3, not 0.333...).
          if (n.exact_probabilities.empty()) {
            put(" {} {}", quoted(n.moves[m]), n.probabilities[m]);
          } else {
            put(" {} {}", quoted(n.moves[m]), fraction_string(n.exact_probabilities[m]));
          }
        }
        put(" }} 0\n");
        break;
      case NodeKind::kTerminal:
        put("t {} {} {} {{", quoted(n.label), ++outcomes, quoted(n.outcome));
        for (std::size_t p = 0; p < n.payoffs.size(); ++p) {
          if (n.exact_payoffs.empty()) {
            put("{} {}", p == 0 ? "" : ",", n.payoffs[p]);
          } else {
            put("{} {}", p == 0 ? "" : ",", fraction_string(n.exact_payoffs[p]));
          }
        }
        put(" }}\n");
        break;
    }
  }
  return std::string(out.data(), out.size());
}

}  // namespace stratagem
