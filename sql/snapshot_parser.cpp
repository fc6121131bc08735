// Parsing CREATE / DROP SNAPSHOT and RESTORE TABLE ... FROM SNAPSHOT (snapshot_parser.h).
#include "sql/snapshot_parser.h"

#include <cstdlib>

#include "sql/error.h"
#include "sql/token_cursor.h"

namespace strata {
namespace {

// A snapshot name: an identifier or a string literal (names may hold '-' and '.').
std::string SnapshotName(TokenCursor& c) {
  if (c.PeekClass() == SqlTokenClass::kString) return c.StringLiteral();
  return c.Identifier();
}

}  // namespace

bool IsSnapshotStatement(std::string_view sql) {
  try {
    TokenCursor c(sql);
    std::string w0 = c.PeekWord(), w1 = c.PeekWord(1);
    if ((w0 == "create" || w0 == "drop") && w1 == "snapshot") return true;
    if (w0 != "restore" || w1 != "table") return false;
    for (size_t i = 3; i < c.size() && i < 8; ++i) {
      if (c.PeekWord(i) == "from" && c.PeekWord(i + 1) == "snapshot") return true;
    }
    return false;
  } catch (const SqlError&) {
    return false;
  }
}

ast::Statement ParseSnapshotStatement(std::string_view sql) {
  TokenCursor c(sql);
  ast::Statement st;
  st.text = std::string(sql);
  st.kind = ast::StatementKind::kSnapshot;
  st.snapshot = std::make_unique<ast::SnapshotStmt>();
  ast::SnapshotStmt& s = *st.snapshot;
  if (c.AcceptWord("create")) {
    c.ExpectWord("snapshot");
    s.action = ast::SnapshotStmt::Action::kCreate;
    s.snapshot = SnapshotName(c);
    if (c.AcceptWord("retention")) {
      int at = c.Offset();
      std::string n(c.Peek());
      if (c.PeekClass() != SqlTokenClass::kNumber) c.SyntaxErrorHere();
      c.set_pos(c.pos() + 1);
      long days = std::strtol(n.c_str(), nullptr, 10);
      if (days < 1 || days > 3653 || n.size() > 5) {
        throw SqlError(sqlstate::kInvalidParameterValue, StrCat("RETENTION must be 1 to 3653 days, not ", n))
            .WithPosition(at + 1);
      }
      s.retention_days = static_cast<int>(days);
    }
  } else if (c.AcceptWord("drop")) {
    c.ExpectWord("snapshot");
    s.action = ast::SnapshotStmt::Action::kDrop;
    s.snapshot = SnapshotName(c);
  } else {
    c.ExpectWord("restore");
    c.ExpectWord("table");
    s.action = ast::SnapshotStmt::Action::kRestoreTable;
    c.QualifiedName(&s.schema, &s.table);
    c.ExpectWord("from");
    c.ExpectWord("snapshot");
    s.snapshot = SnapshotName(c);
    c.ExpectWord("as");
    c.QualifiedName(&s.new_schema, &s.new_table);
  }
  if (!c.AtEnd()) c.SyntaxErrorHere();
  return st;
}

}  // namespace strata
