// RLS and masking policy statements (see policy_parser.h).
#include "sql/policy_parser.h"

#include "sql/error.h"
#include "sql/token_cursor.h"

namespace strata {
namespace {

using Stmt = ast::PolicyStmt;

class PolicyParser {
 public:
  explicit PolicyParser(std::string_view sql) : c_(sql) {}

  ast::Statement Parse() {
    ast::Statement st;
    st.text = std::string(c_.sql());
    st.kind = ast::StatementKind::kPolicy;
    auto p = std::make_unique<Stmt>();
    p->location = 0;
    std::string verb = c_.PeekWord();
    c_.AcceptWord(verb);
    if (verb == "alter" && c_.AcceptWord("table")) {
      p->action = Stmt::Action::kTableRls;
      ast::QualifiedName q;
      q.location = c_.Offset();
      c_.QualifiedName(&q.schema, &q.name);
      p->tables.push_back(q);
      c_.ExpectWord("row");
      c_.ExpectWord("level");
      c_.ExpectWord("security");
      if (c_.AcceptWord("on")) p->rls_on = true;
      else c_.ExpectWord("off");
      if (c_.AcceptWord("conjunction")) {
        c_.ExpectWord("type");
        if (c_.AcceptWord("or")) p->conjunction_or = true;
        else c_.ExpectWord("and");
        p->conjunction_given = true;
      }
      if (c_.AcceptWord("for")) c_.ExpectWord("datashares");
      Done();
      st.policy = std::move(p);
      return st;
    }
    if (c_.AcceptWord("masking")) p->masking = true;
    else c_.ExpectWord("rls");
    c_.ExpectWord("policy");
    if (verb == "drop" && c_.AcceptWord("if")) {
      c_.ExpectWord("exists");
      p->if_exists = true;
    }
    p->name = c_.Identifier();
    if (verb == "create" || verb == "alter") {
      p->action = verb == "create" ? Stmt::Action::kCreate : Stmt::Action::kAlter;
      if (c_.AcceptWord("with")) {
        c_.ExpectPunct("(");
        do {
          p->columns.push_back(c_.Identifier());
          p->column_types.push_back(Type());
        } while (c_.AcceptPunct(","));
        c_.ExpectPunct(")");
        if (!p->masking) {
          c_.AcceptWord("as");
          if (c_.PeekWord() != "using" && !c_.AtEnd()) p->alias = c_.Identifier();
        }
      }
      c_.ExpectWord("using");
      p->expression = Parenthesized();
    } else if (verb == "drop") {
      p->action = Stmt::Action::kDrop;
      if (c_.AcceptWord("cascade")) p->cascade = true;
      else c_.AcceptWord("restrict");
    } else if (verb == "attach" || verb == "detach") {
      p->action = verb == "attach" ? Stmt::Action::kAttach : Stmt::Action::kDetach;
      c_.ExpectWord("on");
      c_.AcceptWord("table");
      do {
        ast::QualifiedName q;
        q.location = c_.Offset();
        c_.QualifiedName(&q.schema, &q.name);
        p->tables.push_back(q);
        if (p->masking) break;
      } while (c_.AcceptPunct(","));
      if (p->masking) {
        c_.ExpectPunct("(");
        p->target_columns = Names();
        c_.ExpectPunct(")");
        if (c_.AcceptWord("using")) {
          c_.ExpectPunct("(");
          p->input_columns = Names();
          c_.ExpectPunct(")");
        }
      }
      if (!c_.AcceptWord(p->action == Stmt::Action::kAttach ? "to" : "from")) c_.SyntaxErrorHere();
      do {
        if (!c_.AcceptWord("role")) c_.AcceptWord("user");
        if (c_.PeekWord() == "public") {
          c_.AcceptWord("public");
          p->grantees.push_back("");
        } else {
          p->grantees.push_back(c_.Identifier());
        }
      } while (c_.AcceptPunct(","));
      if (p->masking && p->action == Stmt::Action::kAttach && c_.AcceptWord("priority")) {
        std::string_view n = c_.Peek();
        if (c_.PeekClass() != SqlTokenClass::kNumber) c_.SyntaxErrorHere();
        p->priority = std::stoi(std::string(n));
        c_.set_pos(c_.pos() + 1);
      }
    } else {
      c_.SyntaxErrorHere();
    }
    Done();
    st.policy = std::move(p);
    return st;
  }

 private:
  void Done() {
    if (!c_.AtEnd()) c_.SyntaxErrorHere();
  }

  std::vector<std::string> Names() {
    std::vector<std::string> out = {c_.Identifier()};
    while (c_.AcceptPunct(",")) out.push_back(c_.Identifier());
    return out;
  }

  // A type name as written: words, then optional (n [, m]).
  ast::TypeName Type() {
    ast::TypeName t;
    t.location = c_.Offset();
    while (c_.PeekClass() == SqlTokenClass::kWord && !c_.PeekWord().empty()) {
      if (!t.name.empty()) t.name += " ";
      t.name += c_.PeekWord();
      c_.set_pos(c_.pos() + 1);
    }
    if (t.name.empty()) c_.SyntaxErrorHere();
    if (c_.AcceptPunct("(")) {
      do {
        if (c_.PeekClass() != SqlTokenClass::kNumber) {
          if (c_.PeekWord() == "max") {  // VARCHAR(MAX)
            c_.AcceptWord("max");
            t.mods.push_back(65535);
            continue;
          }
          c_.SyntaxErrorHere();
        }
        t.mods.push_back(std::stoi(std::string(c_.Peek())));
        c_.set_pos(c_.pos() + 1);
      } while (c_.AcceptPunct(","));
      c_.ExpectPunct(")");
    }
    return t;
  }

  // "(" ... ")": the text between, nested parentheses included.
  std::string Parenthesized() {
    c_.ExpectPunct("(");
    size_t begin = c_.pos();
    int depth = 1;
    while (!c_.AtEnd()) {
      if (c_.Peek() == "(") ++depth;
      if (c_.Peek() == ")" && --depth == 0) break;
      c_.set_pos(c_.pos() + 1);
    }
    if (c_.AtEnd()) c_.SyntaxErrorHere();
    std::string text(c_.TextFrom(begin));
    c_.ExpectPunct(")");
    if (text.empty()) throw SqlError(sqlstate::kSyntaxError, "the USING expression is empty");
    return text;
  }

  TokenCursor c_;
};

}  // namespace

bool IsPolicyStatement(std::string_view sql) {
  std::vector<SqlToken> scanned;
  if (!ScanSqlTokens(std::string(sql), &scanned)) return false;
  TokenCursor c(sql);
  std::string verb = c.PeekWord(), what = c.PeekWord(1);
  if (verb == "create" || verb == "alter" || verb == "drop" || verb == "attach" || verb == "detach") {
    if ((what == "rls" || what == "masking") && c.PeekWord(2) == "policy") return true;
  }
  if (verb != "alter" || what != "table") return false;
  // ALTER TABLE [s.]t ROW LEVEL SECURITY ...
  for (size_t i = 2; i < 6; ++i) {
    if (c.PeekWord(i) == "row" && c.PeekWord(i + 1) == "level" && c.PeekWord(i + 2) == "security") return true;
  }
  return false;
}

ast::Statement ParsePolicyStatement(std::string_view sql) { return PolicyParser(sql).Parse(); }

}  // namespace strata
