// COMMENT ON TABLE / VIEW / COLUMN on the leader: the comment is part of the table's definition
// in the catalog (catalog.proto's Table.comment and Column.comment), written under the table's
// write lock through the session's transaction, so ROLLBACK undoes it. Clients read comments
// through pg_description, obj_description() and col_description().
#include "server/leader_session.h"
#include "sql/error.h"
#include "storage/catalog_store.h"

namespace strata {

StatementResult LeaderSession::RunComment(const ast::CommentStmt& c) {
  using O = ast::CommentStmt::Object;
  return InTransaction([&](StatementResult& r) {
    r.command_tag = "COMMENT";
    const catalog::Table* found = FindTable(*txn_->working, c.schema.empty() ? "public" : c.schema, c.table);
    if (found == nullptr) throw SqlError(sqlstate::kUndefinedTable, StrCat("relation \"", c.table, "\" does not exist"));
    if (c.object == O::kTable && found->is_view()) {
      throw SqlError(sqlstate::kWrongObjectType, StrCat("\"", c.table, "\" is not a table"));
    }
    if (c.object == O::kView && !found->is_view()) {
      throw SqlError(sqlstate::kWrongObjectType, StrCat("\"", c.table, "\" is not a view"));
    }
    int column = -1;
    if (c.object == O::kColumn) {
      for (int i = 0; i < found->columns_size(); ++i) {
        if (found->columns(i).name() == c.column) column = i;
      }
      if (column < 0) {
        throw SqlError(sqlstate::kUndefinedColumn,
                       StrCat("column \"", c.column, "\" of relation \"", c.table, "\" does not exist"));
      }
    }
    catalog::Table* t = LockForWrite(found->id(), c.table, /*reads_table=*/false);
    if (column >= 0) {
      t->mutable_columns(column)->set_comment(c.text);
    } else {
      t->set_comment(c.text);
    }
  });
}

}  // namespace strata
