// LeaderSession's DECLARE CURSOR, FETCH / MOVE and CLOSE. DECLARE binds the query in the
// session's transaction and starts it streaming (WITH HOLD: runs it to the end) for the
// CursorSet (server/cursor_set.h); FETCH pulls rows from it. Without WITH HOLD a cursor needs an explicit
// transaction block and ends with it; WITH HOLD it may be declared anywhere and survives
// COMMIT (Commit() and Rollback() in leader_session.cpp tell the CursorSet).
#include "planner/binder.h"
#include "planner/optimizer.h"
#include "server/leader_session.h"
#include "sql/error.h"

namespace strata {

StatementResult LeaderSession::RunDeclareCursor(const ast::CursorStmt& c, const std::vector<uint32_t>& param_oids,
                                                const std::vector<std::optional<std::string>>* params) {
  const bool in_block = txn_ && txn_->explicit_block;
  StatementTransaction txn(this);
  StampStatementStart();
  // The query is bound first, as PostgreSQL analyses it before it runs DECLARE: a bad query is
  // its own error (42P01, ...) whether or not the cursor could be declared.
  BoundStatement b = Bind(*c.query, ReadCatalog(), param_oids, params, &session_values_);
  Optimize(&b);
  if (b.query == nullptr) throw SqlError(sqlstate::kSyntaxError, "DECLARE CURSOR needs a query");
  // A procedure's OPEN may run outside a block: its cursor lasts as long as the CALL's transaction.
  if (!c.with_hold && !in_block && call_depth_ == 0) {
    throw SqlError(sqlstate::kNoActiveSqlTransaction, "DECLARE CURSOR can only be used in transaction blocks");
  }
  if (cursors_.Contains(c.name)) {
    throw SqlError(sqlstate::kDuplicateCursor, StrCat("cursor \"", c.name, "\" already exists"));
  }
  // A cursor WITH HOLD outlives its transaction: it is materialised now. Others stream.
  StatementResult rows = RunQuery(b, /*stream=*/!c.with_hold);
  cursors_.Add(c.name, std::move(rows.columns), std::move(rows.batches), c.with_hold, std::move(rows.stream));
  txn.Commit();
  StatementResult r;
  r.command_tag = "DECLARE CURSOR";
  return r;
}

StatementResult LeaderSession::RunFetch(const ast::CursorStmt& c) {
  Cursor& cursor = cursors_.Get(c.name);
  int64_t taken = 0;
  StatementResult r;
  r.batches = CursorSet::Take(cursor, c.count, c.move, &taken, &cancelled_);
  r.returns_rows = !c.move;
  if (r.returns_rows) r.columns = cursor.columns;
  r.command_tag = StrCat(c.move ? "MOVE " : "FETCH ", taken);
  return r;
}

StatementResult LeaderSession::RunCloseCursor(const ast::CursorStmt& c) {
  StatementResult r;
  if (c.name.empty()) {
    cursors_.CloseAll();
    r.command_tag = "CLOSE CURSOR ALL";
  } else {
    cursors_.Close(c.name);
    r.command_tag = "CLOSE CURSOR";
  }
  return r;
}

const std::vector<ColumnDesc>* LeaderSession::CursorColumns(const std::string& name) const {
  const Cursor* c = cursors_.Find(name);
  return c == nullptr ? nullptr : &c->columns;
}

}  // namespace strata
