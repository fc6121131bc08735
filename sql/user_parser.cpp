// CREATE / ALTER / DROP USER in Redshift's syntax (see user_parser.h).
#include "sql/user_parser.h"

#include <string>
#include <vector>

#include "sql/error.h"
#include "sql/redshift_dialect.h"
#include "sql/sqlstate.h"

namespace strata {
namespace {

// Tokens without comments and without a trailing ';'.
bool Tokenize(const std::string& text, std::vector<SqlToken>* tokens) {
  std::vector<SqlToken> all;
  if (!ScanSqlTokens(text, &all)) return false;
  for (const auto& t : all) if (t.cls != SqlTokenClass::kComment) tokens->push_back(t);
  while (!tokens->empty() && text.substr(tokens->back().start, tokens->back().end - tokens->back().start) == ";") {
    tokens->pop_back();
  }
  return true;
}

class UserParser {
 public:
  explicit UserParser(std::string_view sql) : text_(sql) {
    if (!Tokenize(text_, &tokens_)) throw SqlError(sqlstate::kSyntaxError, "syntax error", 1);
  }

  ast::Statement Parse() {
    ast::Statement st;
    st.text = text_;
    st.kind = ast::StatementKind::kUser;
    auto u = std::make_unique<ast::UserStmt>();
    u->location = 0;
    using A = ast::UserStmt::Action;
    std::string verb = Word();
    ++at_;
    Expect("user");
    if (verb == "drop") {
      u->action = A::kDrop;
      if (Word() == "if") {
        ++at_;
        Expect("exists");
        u->if_exists = true;
      }
      u->names.push_back(Identifier());
      while (!AtEnd() && Text(at_) == ",") {
        ++at_;
        u->names.push_back(Identifier());
      }
    } else {
      u->action = verb == "create" ? A::kCreate : A::kAlter;
      u->names.push_back(Identifier());
      if (u->action == A::kAlter && Word() == "rename") {
        ++at_;
        Expect("to");
        u->rename_to = Identifier();
      } else {
        if (Word() == "with") ++at_;
        if (u->action == A::kAlter && AtEnd()) Fail();
        while (!AtEnd()) Option(u.get());
      }
    }
    if (!AtEnd()) Fail();
    st.user = std::move(u);
    return st;
  }

 private:
  void Option(ast::UserStmt* u) {
    size_t at = at_;
    std::string w = Word();
    ++at_;
    if (w == "password") {
      if (Word() == "disable" || Word() == "null") {
        ++at_;
        u->password_disable = true;
        u->password.reset();
      } else {
        u->password = StringLiteral();
        u->password_disable = false;
      }
    } else if (w == "createdb" || w == "nocreatedb") {
      u->create_db = w == "createdb";
    } else if (w == "createuser" || w == "nocreateuser" || w == "superuser" || w == "nosuperuser") {
      u->superuser = w == "createuser" || w == "superuser";
    } else if (w == "syslog" || w == "in" || w == "valid" || w == "connection" || w == "session" ||
               w == "externalid" || w == "set" || w == "reset") {
      throw SqlError(sqlstate::kFeatureNotSupported, StrCat("USER option ", AsciiUpper(w), " is not supported yet"),
                     tokens_[at].start + 1);
    } else {
      at_ = at;
      Fail();
    }
  }

  static std::string AsciiUpper(std::string s) {
    for (char& c : s) if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    return s;
  }

  // A standard '...' string ('' is a quote).
  std::string StringLiteral() {
    if (AtEnd() || tokens_[at_].cls != SqlTokenClass::kString) Fail();
    std::string t = Text(at_);
    if (t.size() < 2 || t.front() != '\'' || t.back() != '\'') Fail();
    ++at_;
    std::string out;
    for (size_t i = 1; i + 1 < t.size(); ++i) {
      out.push_back(t[i]);
      if (t[i] == '\'') ++i;  // the second quote of ''
    }
    return out;
  }

  std::string Identifier() {
    if (AtEnd()) Fail();
    const SqlToken& t = tokens_[at_];
    if (t.cls != SqlTokenClass::kWord && t.cls != SqlTokenClass::kQuotedIdent) Fail();
    ++at_;
    std::string name = NormalizeIdentifier(Text(at_ - 1));
    if (name.empty()) {
      throw SqlError(sqlstate::kSyntaxError, "zero-length delimited identifier", t.start + 1);
    }
    return name;
  }

  void Expect(const char* w) {
    if (AtEnd() || AsciiLower(Text(at_)) != w) Fail();
    ++at_;
  }

  std::string Word() const { return AtEnd() ? "" : AsciiLower(Text(at_)); }
  bool AtEnd() const { return at_ >= tokens_.size(); }
  std::string Text(size_t i) const { return text_.substr(tokens_[i].start, tokens_[i].end - tokens_[i].start); }

  [[noreturn]] void Fail() const {
    if (AtEnd()) throw SqlError(sqlstate::kSyntaxError, "syntax error at end of input", static_cast<int>(text_.size()) + 1);
    throw SqlError(sqlstate::kSyntaxError, StrCat("syntax error at or near \"", Text(at_), "\""),
                   CharPositionAt(text_, tokens_[at_].start));
  }

  std::string text_;
  std::vector<SqlToken> tokens_;
  size_t at_ = 0;
};

}  // namespace

bool IsUserStatement(std::string_view sql) {
  std::string text(sql);
  std::vector<SqlToken> tokens;
  if (!Tokenize(text, &tokens)) return false;
  auto word = [&](size_t i) {
    return i < tokens.size() ? AsciiLower(text.substr(tokens[i].start, tokens[i].end - tokens[i].start)) : std::string();
  };
  std::string verb = word(0);
  return (verb == "create" || verb == "alter" || verb == "drop") && word(1) == "user" && word(2) != "mapping";
}

ast::Statement ParseUserStatement(std::string_view sql) { return UserParser(sql).Parse(); }

}  // namespace strata
