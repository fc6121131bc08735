// TokenCursor: a position in libpg_query's scanner tokens of one statement, with the small
// steps the hand-written parsers of Redshift's own statements take (accept or expect a word or
// punctuation mark, read an identifier, a string literal or a number) and PostgreSQL-style
// syntax errors at the right character position. Comments are dropped and a trailing ';' ends
// the statement.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "sql/redshift_dialect.h"

namespace strata {

// The value of a string literal token: '...' with doubled quotes, E'...' with backslash
// escapes, $tag$...$tag$.
std::string StringLiteralValue(std::string_view token);

class TokenCursor {
 public:
  explicit TokenCursor(std::string_view sql);

  std::string_view sql() const { return sql_; }
  bool AtEnd() const { return pos_ >= tokens_.size(); }
  size_t pos() const { return pos_; }
  void set_pos(size_t p) { pos_ = p; }
  size_t size() const { return tokens_.size(); }
  const SqlToken& token(size_t i) const { return tokens_[i]; }
  std::string_view Text(size_t i) const { return sql_.substr(tokens_[i].start, tokens_[i].end - tokens_[i].start); }
  std::string_view Peek(size_t ahead = 0) const { return pos_ + ahead < tokens_.size() ? Text(pos_ + ahead) : std::string_view(); }
  SqlTokenClass PeekClass() const { return AtEnd() ? SqlTokenClass::kOther : tokens_[pos_].cls; }
  // The byte offset of the current token (the end of the text at the end).
  int Offset() const { return AtEnd() ? static_cast<int>(sql_.size()) : tokens_[pos_].start; }
  // The lowercased word `ahead` tokens on; empty when that is no unquoted word.
  std::string PeekWord(size_t ahead = 0) const;
  bool AcceptWord(std::string_view w);
  bool AcceptWords(std::initializer_list<std::string_view> words);  // all of them in order, or none
  bool AcceptPunct(std::string_view p);
  void ExpectWord(std::string_view w);
  void ExpectPunct(std::string_view p);
  // An unquoted word (lowercased) or a "quoted identifier".
  std::string Identifier();
  // [schema.]name
  void QualifiedName(std::string* schema, std::string* name);
  std::string StringLiteral();
  // The text from token `begin` up to (not including) the current one.
  std::string_view TextFrom(size_t begin) const;

  [[noreturn]] void SyntaxErrorHere() const;
  [[noreturn]] void Fail(const std::string& message, int byte_offset) const;

 private:
  std::string_view sql_;
  std::vector<SqlToken> tokens_;
  size_t pos_ = 0;
};

}  // namespace strata
