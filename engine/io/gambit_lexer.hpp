#pragma once
// Private to the engine: the tokenizer shared by the Gambit .nfg and .efg readers (quoted
// strings with \" escapes, braces, bare numbers and words; commas count as whitespace), with
// 1-based positions for error messages. A reader may scan a long run of plain tokens itself (the
// .nfg payload, see nfg.cpp) from position() and hand the lexer back with skip_to().

#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "stratagem/scenario/error.hpp"

namespace stratagem::io_detail {

enum class TokenKind { kString, kOpen, kClose, kNumber, kWord, kEnd };

/// A place in the text: byte offset and its 1-based line and column (columns count bytes; a
/// UTF-8 byte-order mark at the start of the text takes no column).
struct TextPosition {
  std::size_t offset = 0;
  int line = 1;
  int column = 1;
};

/// One token with its 1-based start position and the position just after it.
struct Token {
  TokenKind kind = TokenKind::kEnd;
  std::string text;  // string contents (unescaped) or the bare word as written
  int line = 0;
  int column = 0;
  int end_line = 0;
  int end_column = 0;
};

inline std::string describe(const Token& token) {
  switch (token.kind) {
    case TokenKind::kString:
      return fmt::format("the string \"{}\"", token.text);
    case TokenKind::kOpen:
      return "'{'";
    case TokenKind::kClose:
      return "'}'";
    case TokenKind::kNumber:
    case TokenKind::kWord:
      return fmt::format("'{}'", token.text);
    case TokenKind::kEnd:
      return "the end of the file";
  }
  return "?";
}

/// True for the bytes that end a bare number or word: whitespace, ',', braces and '"'.
inline bool is_delimiter(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v' || c == ',' ||
         c == '{' || c == '}' || c == '"';
}

/// Splits the text into tokens on demand (so a large body is never held as tokens). Commas are
/// optional separators and count as whitespace.
class Lexer {
 public:
  Lexer(std::string_view text, const std::string& file) : text_(text), file_(file) {
    if (text_.substr(0, 3) == "\xEF\xBB\xBF") pos_ = 3;  // UTF-8 byte-order mark
    advance();
  }

  [[nodiscard]] const Token& peek() const { return current_; }

  /// The whole text being split (a view of the caller's string).
  [[nodiscard]] std::string_view text() const { return text_; }

  /// Where the current token (peek()) starts.
  [[nodiscard]] TextPosition position() const { return current_start_; }

  /// For a reader that scanned a run of tokens from position() itself: drops the current token
  /// and goes on lexing at `resume` (at or after position(), never inside a string: at whitespace
  /// or at the first byte of a token), with `last_end` (line and column just after the last token
  /// the reader consumed) as last_end().
  void skip_to(const TextPosition& resume, const TextPosition& last_end) {
    pos_ = resume.offset;
    line_ = resume.line;
    column_ = resume.column;
    last_end_line_ = last_end.line;
    last_end_column_ = last_end.column;
    advance();
  }

  /// Bytes of the text from the start of the current token to the end: an upper bound on what
  /// the rest of the file can still hold.
  [[nodiscard]] std::size_t remaining_bytes() const {
    return text_.size() - std::min(text_.size(), pos_) + current_.text.size() + 2;
  }

  Token next() {
    Token token = std::move(current_);
    last_end_line_ = token.end_line;
    last_end_column_ = token.end_column;
    advance();
    return token;
  }

  [[nodiscard]] SourceMark mark(const Token& token) const {
    return {file_, token.line, token.column};
  }
  [[nodiscard]] SourceMark end_mark(const Token& token) const {
    return {file_, token.end_line, token.end_column};
  }
  /// Position just after the last token consumed.
  [[nodiscard]] SourceMark last_end() const { return {file_, last_end_line_, last_end_column_}; }
  [[nodiscard]] const std::string& file() const { return file_; }

 private:
  void bump() {
    if (text_[pos_] == '\n') {
      ++line_;
      column_ = 1;
    } else {
      ++column_;
    }
    ++pos_;
  }

  void advance() {
    while (pos_ < text_.size() && is_delimiter(text_[pos_]) && text_[pos_] != '{' &&
           text_[pos_] != '}' && text_[pos_] != '"') {
      bump();
    }
    Token token;
    token.line = line_;
    token.column = column_;
    current_start_ = {pos_, line_, column_};
    if (pos_ >= text_.size()) {
      token.kind = TokenKind::kEnd;
    } else if (text_[pos_] == '{' || text_[pos_] == '}') {
      token.kind = text_[pos_] == '{' ? TokenKind::kOpen : TokenKind::kClose;
      token.text = std::string(1, text_[pos_]);
      bump();
    } else if (text_[pos_] == '"') {
      token.kind = TokenKind::kString;
      bump();
      bool closed = false;
      while (pos_ < text_.size()) {
        const char c = text_[pos_];
        if (c == '"') {
          bump();
          closed = true;
          break;
        }
        if (c == '\\' && pos_ + 1 < text_.size()) {
          bump();
          token.text += text_[pos_];
          bump();
          continue;
        }
        token.text += c;
        bump();
      }
      if (!closed) {
        throw InputError({file_, token.line, token.column}, "unterminated string",
                         "close the string with '\"'; write \\\" for a quote inside a string");
      }
    } else {
      const std::size_t start = pos_;
      while (pos_ < text_.size() && !is_delimiter(text_[pos_])) bump();
      token.text = std::string(text_.substr(start, pos_ - start));
      const char c = token.text.front();
      const bool numeric = (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.';
      token.kind = numeric ? TokenKind::kNumber : TokenKind::kWord;
    }
    token.end_line = line_;
    token.end_column = column_;
    current_ = std::move(token);
  }

  std::string_view text_;
  std::string file_;
  std::size_t pos_ = 0;
  int line_ = 1;
  int column_ = 1;
  int last_end_line_ = 1;
  int last_end_column_ = 1;
  Token current_;
  TextPosition current_start_;
};

/// `s` as a Gambit quoted string ('"' and '\\' escaped with a backslash).
inline std::string quoted(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  out += '"';
  return out;
}

/// The whole file as text (read_input_file).
inline std::string read_text_file(const std::string& path) { return read_input_file(path); }

}  // namespace stratagem::io_detail
