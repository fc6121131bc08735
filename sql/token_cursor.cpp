// See token_cursor.h.
#include "sql/token_cursor.h"

#include "sql/error.h"
#include "sql/sqlstate.h"

namespace strata {

std::string StringLiteralValue(std::string_view tok) {
  std::string out;
  if (!tok.empty() && tok[0] == '$') {
    size_t tag_end = tok.find('$', 1);
    size_t tag_len = tag_end + 1;
    return std::string(tok.substr(tag_len, tok.size() - 2 * tag_len));
  }
  bool escapes = false;
  if (!tok.empty() && (tok[0] == 'E' || tok[0] == 'e')) {
    escapes = true;
    tok.remove_prefix(1);
  }
  if (tok.size() < 2) return out;
  tok = tok.substr(1, tok.size() - 2);
  for (size_t i = 0; i < tok.size(); ++i) {
    char c = tok[i];
    if (c == '\'' && i + 1 < tok.size() && tok[i + 1] == '\'') {
      out.push_back('\'');
      ++i;
    } else if (escapes && c == '\\' && i + 1 < tok.size()) {
      char n = tok[++i];
      switch (n) {
        case 'n': out.push_back('\n'); break;
        case 't': out.push_back('\t'); break;
        case 'r': out.push_back('\r'); break;
        case 'b': out.push_back('\b'); break;
        case 'f': out.push_back('\f'); break;
        case '0': out.push_back('\0'); break;
        default: out.push_back(n);
      }
    } else {
      out.push_back(c);
    }
  }
  return out;
}

TokenCursor::TokenCursor(std::string_view sql) : sql_(sql) {
  std::string text(sql);
  std::vector<SqlToken> all;
  if (!ScanSqlTokens(text, &all)) Fail("unterminated quoted string or comment", 0);
  for (const auto& t : all) {
    if (t.cls != SqlTokenClass::kComment) tokens_.push_back(t);
  }
  while (!tokens_.empty() && Text(tokens_.size() - 1) == ";") tokens_.pop_back();
}

std::string TokenCursor::PeekWord(size_t ahead) const {
  if (pos_ + ahead >= tokens_.size() || tokens_[pos_ + ahead].cls != SqlTokenClass::kWord) return "";
  return AsciiLower(Text(pos_ + ahead));
}

bool TokenCursor::AcceptWord(std::string_view w) {
  if (PeekWord() != w) return false;
  ++pos_;
  return true;
}

bool TokenCursor::AcceptWords(std::initializer_list<std::string_view> words) {
  size_t i = 0;
  for (std::string_view w : words) {
    if (PeekWord(i++) != w) return false;
  }
  pos_ += words.size();
  return true;
}

bool TokenCursor::AcceptPunct(std::string_view p) {
  if (AtEnd() || Peek() != p) return false;
  ++pos_;
  return true;
}

void TokenCursor::ExpectWord(std::string_view w) {
  if (!AcceptWord(w)) SyntaxErrorHere();
}

void TokenCursor::ExpectPunct(std::string_view p) {
  if (!AcceptPunct(p)) SyntaxErrorHere();
}

std::string TokenCursor::Identifier() {
  if (AtEnd() || (tokens_[pos_].cls != SqlTokenClass::kWord && tokens_[pos_].cls != SqlTokenClass::kQuotedIdent)) {
    SyntaxErrorHere();
  }
  return NormalizeIdentifier(Text(pos_++));
}

void TokenCursor::QualifiedName(std::string* schema, std::string* name) {
  schema->clear();
  *name = Identifier();
  if (AcceptPunct(".")) {
    *schema = *name;
    *name = Identifier();
  }
}

std::string TokenCursor::StringLiteral() {
  if (PeekClass() != SqlTokenClass::kString) SyntaxErrorHere();
  return StringLiteralValue(Text(pos_++));
}

std::string_view TokenCursor::TextFrom(size_t begin) const {
  if (begin >= pos_ || begin >= tokens_.size()) return {};
  size_t last = pos_ - 1;
  return sql_.substr(tokens_[begin].start, tokens_[last].end - tokens_[begin].start);
}

void TokenCursor::Fail(const std::string& message, int byte_offset) const {
  throw SqlError(sqlstate::kSyntaxError, message, CharPositionAt(sql_, byte_offset));
}

void TokenCursor::SyntaxErrorHere() const {
  if (AtEnd()) Fail("syntax error at end of input", static_cast<int>(sql_.size()));
  Fail("syntax error at or near \"" + std::string(Peek()) + "\"", tokens_[pos_].start);
}

}  // namespace strata
