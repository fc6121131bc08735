// GRANT / REVOKE and the group and role statements (see privilege_parser.h).
#include "sql/privilege_parser.h"

#include <string>
#include <vector>

#include "sql/error.h"
#include "sql/token_cursor.h"

namespace strata {
namespace {

using Stmt = ast::PrivilegeStmt;

class PrivilegeParser {
 public:
  explicit PrivilegeParser(std::string_view sql) : c_(sql) {}

  ast::Statement Parse() {
    ast::Statement st;
    st.text = std::string(c_.sql());
    st.kind = ast::StatementKind::kPrivilege;
    auto p = std::make_unique<Stmt>();
    p->location = 0;
    if (c_.AcceptWord("grant")) {
      GrantOrRevoke(p.get(), true);
    } else if (c_.AcceptWord("revoke")) {
      GrantOrRevoke(p.get(), false);
    } else if (c_.AcceptWord("create")) {
      if (c_.AcceptWord("group")) {
        p->action = Stmt::Action::kCreateGroup;
        p->names.push_back(c_.Identifier());
        c_.AcceptWord("with");
        if (c_.AcceptWord("user")) p->members = NameList();
      } else {
        c_.ExpectWord("role");
        p->action = Stmt::Action::kCreateRole;
        p->names.push_back(c_.Identifier());
        // PostgreSQL's role options (NOLOGIN, INHERIT, ...) and Redshift's EXTERNALID say nothing
        // Strata keeps: a role never logs in.
        c_.AcceptWord("with");
        while (!c_.AtEnd()) {
          std::string w = c_.PeekWord();
          if (w == "nologin" || w == "inherit" || w == "noinherit" || w == "nocreatedb" || w == "nocreaterole" ||
              w == "nosuperuser" || w == "noreplication" || w == "nobypassrls") {
            c_.AcceptWord(w);
          } else if (w == "externalid") {
            c_.AcceptWord(w);
            c_.StringLiteral();
          } else {
            Unsupported("this CREATE ROLE option; use CREATE USER for a role that logs in");
          }
        }
      }
    } else if (c_.AcceptWord("alter")) {
      if (c_.AcceptWord("default")) {
        c_.ExpectWord("privileges");
        DefaultPrivileges(p.get());
      } else if (c_.AcceptWord("group")) {
        p->names.push_back(c_.Identifier());
        if (c_.AcceptWord("rename")) {
          c_.ExpectWord("to");
          p->action = Stmt::Action::kRenameGroup;
          p->new_name = c_.Identifier();
        } else {
          if (c_.AcceptWord("add")) p->action = Stmt::Action::kAlterGroupAdd;
          else if (c_.AcceptWord("drop")) p->action = Stmt::Action::kAlterGroupDrop;
          else c_.SyntaxErrorHere();
          c_.ExpectWord("user");
          p->members = NameList();
        }
      } else {
        c_.ExpectWord("role");
        p->action = Stmt::Action::kRenameRole;
        p->names.push_back(c_.Identifier());
        c_.ExpectWord("rename");
        c_.ExpectWord("to");
        p->new_name = c_.Identifier();
      }
    } else {
      c_.ExpectWord("drop");
      if (c_.AcceptWord("group")) p->action = Stmt::Action::kDropGroup;
      else if (c_.AcceptWord("role")) p->action = Stmt::Action::kDropRole;
      else c_.SyntaxErrorHere();
      if (c_.AcceptWord("if")) {
        c_.ExpectWord("exists");
        p->if_exists = true;
      }
      p->names = NameList();
      if (c_.AcceptWord("force")) {}  // Redshift's DROP ROLE r FORCE: grants to it go as well
    }
    if (!c_.AtEnd()) c_.SyntaxErrorHere();
    st.privilege = std::move(p);
    return st;
  }

 private:
  [[noreturn]] void Unsupported(const std::string& what) const {
    throw SqlError(sqlstate::kFeatureNotSupported, StrCat(what, " is not supported yet"), c_.Offset() + 1);
  }

  std::vector<std::string> NameList() {
    std::vector<std::string> out = {c_.Identifier()};
    while (c_.AcceptPunct(",")) out.push_back(c_.Identifier());
    return out;
  }

  // GRANT | REVOKE after the verb.
  void GrantOrRevoke(Stmt* p, bool grant) {
    p->is_grant = grant;
    if (!grant && c_.PeekWord() == "grant" && c_.PeekWord(1) == "option" && c_.PeekWord(2) == "for") {
      c_.AcceptWords({"grant", "option", "for"});
      p->grant_option_for = true;
    }
    if (!grant && c_.PeekWord() == "admin" && c_.PeekWord(1) == "option") {
      c_.AcceptWords({"admin", "option", "for"});
    }
    // GRANT ROLE r TO ... (Redshift) or GRANT r TO ... (PostgreSQL): role membership.
    size_t start = c_.pos();
    bool role_word = c_.PeekWord() == "role" && c_.PeekWord(1) != "on" && c_.PeekWord(1) != ",";
    if (role_word) c_.AcceptWord("role");
    if (!role_word && !TryPrivilegeList(p)) c_.set_pos(start);
    if (role_word || (p->privileges.empty() && !p->all_privileges) || c_.PeekWord() != "on") {
      if (!role_word) {
        c_.set_pos(start);
        p->privileges.clear();
        p->privilege_columns.clear();
        p->all_privileges = false;
      }
      p->action = grant ? Stmt::Action::kGrantRole : Stmt::Action::kRevokeRole;
      p->names = NameList();
      if (!c_.AcceptWord(grant ? "to" : "from")) c_.SyntaxErrorHere();
      p->grantees = Grantees();
      if (grant && c_.AcceptWord("with")) {
        if (!c_.AcceptWord("admin")) c_.ExpectWord("grant");
        c_.ExpectWord("option");
        p->with_grant_option = true;
      }
      Behavior(p);
      return;
    }
    p->action = grant ? Stmt::Action::kGrant : Stmt::Action::kRevoke;
    c_.ExpectWord("on");
    Target(p, false);
    if (!c_.AcceptWord(grant ? "to" : "from")) c_.SyntaxErrorHere();
    p->grantees = Grantees();
    if (grant && c_.AcceptWord("with")) {
      c_.ExpectWord("grant");
      c_.ExpectWord("option");
      p->with_grant_option = true;
    }
    Behavior(p);
  }

  void Behavior(Stmt* p) {
    if (c_.AcceptWord("cascade")) p->cascade = true;
    else c_.AcceptWord("restrict");
  }

  // ALL [PRIVILEGES] [(cols)] | privilege [(cols)] [, ...]; false when the words are no
  // privileges (then they are role names).
  bool TryPrivilegeList(Stmt* p) {
    if (c_.AcceptWord("all")) {
      c_.AcceptWord("privileges");
      p->all_privileges = true;
      if (c_.AcceptPunct("(")) p->privilege_columns.push_back(ColumnList());
      return true;
    }
    do {
      std::string w = c_.PeekWord();
      static const char* const kKnown[] = {"select", "insert", "update", "delete", "truncate", "references", "trigger",
                                           "execute", "usage", "create", "connect", "temporary", "temp", "drop", "alter"};
      bool known = false;
      for (const char* k : kKnown) known = known || w == k;
      if (!known) return false;
      c_.AcceptWord(w);
      std::string upper;
      for (char ch : w) upper += static_cast<char>(ch - 'a' + 'A');
      p->privileges.push_back(upper);
      p->privilege_columns.push_back(c_.AcceptPunct("(") ? ColumnList() : std::vector<std::string>{});
    } while (c_.AcceptPunct(","));
    return true;
  }

  // After "(": names up to ")".
  std::vector<std::string> ColumnList() {
    std::vector<std::string> out = NameList();
    c_.ExpectPunct(")");
    return out;
  }

  // ON what: [TABLE] t [, ...] | ALL TABLES IN SCHEMA s [, ...] | SCHEMA s [, ...] | DATABASE d |
  // FUNCTION f(...) [, ...] | ALL FUNCTIONS IN SCHEMA s | (default privileges) TABLES.
  void Target(Stmt* p, bool defaults) {
    if (defaults) {
      if (c_.AcceptWord("tables")) p->object = Stmt::Object::kTables;
      else if (c_.AcceptWord("functions") || c_.AcceptWord("procedures")) p->object = Stmt::Object::kFunction;
      else c_.SyntaxErrorHere();
      return;
    }
    if (c_.AcceptWord("all")) {
      if (c_.AcceptWord("tables")) p->object = Stmt::Object::kAllTablesInSchema;
      else if (c_.AcceptWord("functions") || c_.AcceptWord("procedures")) p->object = Stmt::Object::kAllFunctionsInSchema;
      else c_.SyntaxErrorHere();
      c_.ExpectWord("in");
      c_.ExpectWord("schema");
      for (const std::string& s : NameList()) p->objects.push_back({"", s, c_.Offset()});
      return;
    }
    if (c_.AcceptWord("schema")) {
      p->object = Stmt::Object::kSchema;
      for (const std::string& s : NameList()) p->objects.push_back({"", s, c_.Offset()});
      return;
    }
    if (c_.AcceptWord("database")) {
      p->object = Stmt::Object::kDatabase;
      for (const std::string& s : NameList()) p->objects.push_back({"", s, c_.Offset()});
      return;
    }
    if (c_.AcceptWord("function") || c_.AcceptWord("procedure")) {
      p->object = Stmt::Object::kFunction;
      do {
        ast::QualifiedName q;
        q.location = c_.Offset();
        c_.QualifiedName(&q.schema, &q.name);
        if (c_.AcceptPunct("(")) {  // argument types: skipped (privileges go to every overload)
          int depth = 1;
          while (depth > 0 && !c_.AtEnd()) {
            if (c_.AcceptPunct("(")) ++depth;
            else if (c_.AcceptPunct(")")) --depth;
            else c_.set_pos(c_.pos() + 1);
          }
        }
        p->objects.push_back(q);
      } while (c_.AcceptPunct(","));
      return;
    }
    c_.AcceptWord("table");
    c_.AcceptWord("external") && c_.AcceptWord("table");
    p->object = Stmt::Object::kTable;
    do {
      ast::QualifiedName q;
      q.location = c_.Offset();
      c_.QualifiedName(&q.schema, &q.name);
      p->objects.push_back(q);
    } while (c_.AcceptPunct(","));
  }

  // [GROUP | ROLE | USER] name | PUBLIC, [...]
  std::vector<std::string> Grantees() {
    std::vector<std::string> out;
    do {
      if (!c_.AcceptWord("group") && !c_.AcceptWord("role")) c_.AcceptWord("user");
      if (c_.PeekWord() == "public") {
        c_.AcceptWord("public");
        out.push_back("");
      } else {
        out.push_back(c_.Identifier());
      }
    } while (c_.AcceptPunct(","));
    return out;
  }

  // After ALTER DEFAULT PRIVILEGES.
  void DefaultPrivileges(Stmt* p) {
    p->action = Stmt::Action::kDefaultPrivileges;
    for (;;) {
      if (c_.AcceptWord("for")) {
        if (!c_.AcceptWord("user") && !c_.AcceptWord("role")) c_.SyntaxErrorHere();
        p->default_for = NameList();
      } else if (c_.AcceptWord("in")) {
        c_.ExpectWord("schema");
        p->default_in = NameList();
      } else {
        break;
      }
    }
    if (c_.AcceptWord("grant")) {
      p->is_grant = true;
    } else {
      c_.ExpectWord("revoke");
      p->is_grant = false;
      if (c_.AcceptWords({"grant", "option", "for"})) p->grant_option_for = true;
    }
    if (!TryPrivilegeList(p)) c_.SyntaxErrorHere();
    c_.ExpectWord("on");
    Target(p, true);
    if (!c_.AcceptWord(p->is_grant ? "to" : "from")) c_.SyntaxErrorHere();
    p->grantees = Grantees();
    if (p->is_grant && c_.AcceptWord("with")) {
      c_.ExpectWord("grant");
      c_.ExpectWord("option");
      p->with_grant_option = true;
    }
    Behavior(p);
  }

  TokenCursor c_;
};

}  // namespace

bool IsPrivilegeStatement(std::string_view sql) {
  std::vector<SqlToken> scanned;
  if (!ScanSqlTokens(std::string(sql), &scanned)) return false;  // the parser reports the error
  TokenCursor c(sql);
  std::string verb = c.PeekWord(), what = c.PeekWord(1);
  if (verb == "grant" || verb == "revoke") return true;
  if (verb == "create" || verb == "drop") return what == "group" || what == "role";
  if (verb == "alter") return what == "group" || what == "role" || (what == "default" && c.PeekWord(2) == "privileges");
  return false;
}

ast::Statement ParsePrivilegeStatement(std::string_view sql) { return PrivilegeParser(sql).Parse(); }

}  // namespace strata
