// Hand-written parser for COPY and UNLOAD over libpg_query's scanner tokens (see copy_parser.h).
#include "sql/copy_parser.h"

#include <algorithm>
#include <cctype>
#include <vector>

#include "sql/error.h"
#include "sql/redshift_dialect.h"
#include "sql/sqlstate.h"
#include "sql/token_cursor.h"

namespace strata {
namespace {

class CopyParser {
 public:
  explicit CopyParser(std::string_view sql) : sql_(sql) {
    std::string text(sql);
    std::vector<SqlToken> all;
    if (!ScanSqlTokens(text, &all)) Fail("unterminated quoted string or comment", 0);
    for (const auto& t : all) {
      if (t.cls == SqlTokenClass::kComment) continue;
      tokens_.push_back(t);
    }
    // A trailing ';' ends the statement.
    while (!tokens_.empty() && Text(tokens_.size() - 1) == ";") tokens_.pop_back();
  }

  ast::Statement Parse() {
    ast::Statement st;
    st.text = std::string(sql_);
    std::string first = AsciiLower(Peek());
    if (first == "unload") {
      st.kind = ast::StatementKind::kUnload;
      st.unload = Unload();
    } else {
      st.kind = ast::StatementKind::kCopy;
      st.copy = Copy();
    }
    return st;
  }

 private:
  [[noreturn]] void Fail(const std::string& message, int byte_offset) const {
    throw SqlError(sqlstate::kSyntaxError, message, CharPositionAt(sql_, byte_offset));
  }
  [[noreturn]] void SyntaxErrorHere() const {
    if (pos_ >= tokens_.size()) Fail("syntax error at end of input", static_cast<int>(sql_.size()));
    Fail("syntax error at or near \"" + std::string(Peek()) + "\"", tokens_[pos_].start);
  }
  std::string_view Text(size_t i) const {
    return sql_.substr(tokens_[i].start, tokens_[i].end - tokens_[i].start);
  }
  bool AtEnd() const { return pos_ >= tokens_.size(); }
  std::string_view Peek() const { return AtEnd() ? std::string_view() : Text(pos_); }
  SqlTokenClass PeekClass() const { return AtEnd() ? SqlTokenClass::kOther : tokens_[pos_].cls; }
  int Offset() const { return AtEnd() ? static_cast<int>(sql_.size()) : tokens_[pos_].start; }
  bool PeekWord(std::string_view w) const {
    return !AtEnd() && tokens_[pos_].cls == SqlTokenClass::kWord && AsciiLower(Peek()) == w;
  }
  bool AcceptWord(std::string_view w) {
    if (!PeekWord(w)) return false;
    ++pos_;
    return true;
  }
  bool AcceptPunct(std::string_view p) {
    if (AtEnd() || Peek() != p) return false;
    ++pos_;
    return true;
  }
  void ExpectWord(std::string_view w) {
    if (!AcceptWord(w)) SyntaxErrorHere();
  }
  void ExpectPunct(std::string_view p) {
    if (!AcceptPunct(p)) SyntaxErrorHere();
  }
  std::string Identifier() {
    if (AtEnd() || (tokens_[pos_].cls != SqlTokenClass::kWord && tokens_[pos_].cls != SqlTokenClass::kQuotedIdent)) {
      SyntaxErrorHere();
    }
    return NormalizeIdentifier(Text(pos_++));
  }
  std::string StringLiteral() {
    if (PeekClass() != SqlTokenClass::kString) SyntaxErrorHere();
    return StringLiteralValue(Text(pos_++));
  }

  std::unique_ptr<ast::CopyStmt> Copy() {
    ExpectWord("copy");
    auto c = std::make_unique<ast::CopyStmt>();
    c->location = Offset();
    if (AcceptPunct("(")) {
      // COPY (query) TO STDOUT: the query's text runs to the matching parenthesis.
      int depth = 1;
      size_t begin = pos_;
      while (!AtEnd() && depth > 0) {
        if (Peek() == "(") ++depth;
        if (Peek() == ")") --depth;
        ++pos_;
      }
      if (depth != 0 || pos_ - 1 == begin) SyntaxErrorHere();
      c->query_text = std::string(sql_.substr(tokens_[begin].start, tokens_[pos_ - 2].end - tokens_[begin].start));
      c->location = tokens_[begin].start;
    } else {
      c->name = Identifier();
      if (AcceptPunct(".")) {
        c->schema = c->name;
        c->name = Identifier();
      }
      if (AcceptPunct("(")) {
        do c->columns.push_back(Identifier()); while (AcceptPunct(","));
        ExpectPunct(")");
      }
    }
    if (AcceptWord("from")) {
      c->is_from = true;
      if (AcceptWord("stdin")) c->from_stdin = true;
      else c->source = StringLiteral();
    } else if (AcceptWord("to")) {
      c->is_from = false;
      if (AcceptWord("stdout")) c->to_stdout = true;
      else c->source = StringLiteral();
    } else {
      SyntaxErrorHere();
    }
    if (!c->query_text.empty() && c->is_from) Fail("COPY (query) needs TO", c->location);
    Options(&c->options);
    return c;
  }

  std::unique_ptr<ast::UnloadStmt> Unload() {
    ExpectWord("unload");
    auto u = std::make_unique<ast::UnloadStmt>();
    ExpectPunct("(");
    u->location = Offset();
    u->query_text = StringLiteral();
    ExpectPunct(")");
    ExpectWord("to");
    u->target = StringLiteral();
    Options(&u->options);
    return u;
  }

  // The option list: Redshift's free list of keywords with optional [AS] values, or
  // PostgreSQL's `[WITH] (name value, ...)`, or PostgreSQL's old `WITH CSV HEADER ...`.
  void Options(std::vector<std::pair<std::string, std::string>>* out) {
    AcceptWord("with");
    while (!AtEnd()) {
      if (AcceptPunct(",")) continue;
      if (AcceptPunct("(")) {
        ParenthesizedOptions(out);
        continue;
      }
      if (PeekClass() != SqlTokenClass::kWord) SyntaxErrorHere();
      std::string name = AsciiLower(Text(pos_++));
      if (name == "format") {
        AcceptWord("as");
        if (PeekClass() != SqlTokenClass::kWord) SyntaxErrorHere();
        name = AsciiLower(Text(pos_++));
      }
      if (name == "csv" || name == "json" || name == "parquet" || name == "avro" || name == "orc" ||
          name == "text" || name == "binary" || name == "fixedwidth" || name == "shapefile") {
        out->emplace_back("format", name);
        if (name == "json" || name == "avro" || name == "fixedwidth") {
          bool as = AcceptWord("as");
          if (PeekClass() == SqlTokenClass::kString) out->emplace_back(name, StringLiteral());
          else if (as) SyntaxErrorHere();
        }
        continue;
      }
      if (name == "null" || name == "delimiter" || name == "quote" || name == "escape" || name == "force_quote" ||
          name == "force_not_null") {
        // PostgreSQL's old-style options (NULL 'x', DELIMITER 'x', QUOTE 'x', ESCAPE 'x') and
        // Redshift's (NULL AS 'x', DELIMITER [AS] 'x', QUOTE [AS] 'x', ESCAPE without a value).
        bool as = AcceptWord("as");
        if (PeekClass() == SqlTokenClass::kString) out->emplace_back(name, StringLiteral());
        else if (as) SyntaxErrorHere();
        else out->emplace_back(name, "");
        continue;
      }
      bool as = AcceptWord("as");
      std::string value;
      if (PeekClass() == SqlTokenClass::kString) {
        value = StringLiteral();
      } else if (PeekClass() == SqlTokenClass::kNumber) {
        value = std::string(Text(pos_++));
        // MAXFILESIZE 100 MB
        if (PeekWord("mb") || PeekWord("gb")) value += " " + AsciiLower(Text(pos_++));
      } else if (PeekWord("on") || PeekWord("off") || PeekWord("true") || PeekWord("false") ||
                 PeekWord("preset") || PeekWord("default") || PeekWord("verbose") || PeekWord("include")) {
        value = AsciiLower(Text(pos_++));
      } else if (name == "partition" && AcceptWord("by")) {
        // PARTITION BY (a, b) [INCLUDE]
        ExpectPunct("(");
        do {
          if (!value.empty()) value += ",";
          value += Identifier();
        } while (AcceptPunct(","));
        ExpectPunct(")");
        if (AcceptWord("include")) out->emplace_back("partition_include", "");
      } else if (as) {
        SyntaxErrorHere();
      }
      out->emplace_back(name, value);
    }
  }

  void ParenthesizedOptions(std::vector<std::pair<std::string, std::string>>* out) {
    while (true) {
      if (PeekClass() != SqlTokenClass::kWord) SyntaxErrorHere();
      std::string name = AsciiLower(Text(pos_++));
      std::string value;
      if (!AtEnd() && Peek() != "," && Peek() != ")") {
        if (PeekClass() == SqlTokenClass::kString) value = StringLiteral();
        else value = AsciiLower(Text(pos_++));
      }
      if (name == "format") {
        out->emplace_back("format", value);
      } else {
        out->emplace_back(name, value);
      }
      if (AcceptPunct(")")) return;
      ExpectPunct(",");
    }
  }

  std::string_view sql_;
  std::vector<SqlToken> tokens_;
  size_t pos_ = 0;
};

}  // namespace

bool IsCopyOrUnload(std::string_view sql) {
  size_t i = 0;
  while (true) {
    while (i < sql.size() && std::isspace(static_cast<unsigned char>(sql[i]))) ++i;
    if (sql.substr(i, 2) == "--") {
      size_t nl = sql.find('\n', i);
      if (nl == std::string_view::npos) return false;
      i = nl + 1;
      continue;
    }
    if (sql.substr(i, 2) == "/*") {
      size_t end = sql.find("*/", i + 2);
      if (end == std::string_view::npos) return false;
      i = end + 2;
      continue;
    }
    break;
  }
  size_t j = i;
  while (j < sql.size() && std::isalpha(static_cast<unsigned char>(sql[j]))) ++j;
  std::string word = AsciiLower(sql.substr(i, j - i));
  return (word == "copy" || word == "unload") && (j == sql.size() || !std::isalnum(static_cast<unsigned char>(sql[j])));
}

ast::Statement ParseCopyOrUnload(std::string_view sql) { return CopyParser(sql).Parse(); }

}  // namespace strata
