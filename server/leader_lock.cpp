// LOCK [TABLE] t [, ...] [IN mode MODE]: PostgreSQL's explicit table locks, and Redshift's LOCK t
// (ACCESS EXCLUSIVE, the default mode). Strata's readers never block (they read a committed
// snapshot), so the two modes that conflict only with exclusive locks, ACCESS SHARE and ROW
// SHARE (pg_dump's), just check that the tables exist; every stronger mode takes the table's
// write lock (server/table_locks.h) until the transaction ends, so no other transaction writes
// the table meanwhile. As in PostgreSQL, LOCK is for transaction blocks (25P01 outside one).
#include "planner/name_resolution.h"
#include "server/leader_session.h"
#include "sql/error.h"

namespace strata {

StatementResult LeaderSession::RunLock(const ast::Statement& st) {
  if (!txn_ || !txn_->explicit_block) {
    throw SqlError(sqlstate::kNoActiveSqlTransaction, "LOCK TABLE can only be used in transaction blocks");
  }
  if (txn_->failed) {
    throw SqlError(sqlstate::kInFailedSqlTransaction,
                   "current transaction is aborted, commands ignored until end of transaction block");
  }
  CheckWriteAllowed(st);
  constexpr int kRowShare = 2;
  for (const ast::QualifiedName& q : st.truncate_tables) {
    const catalog::Table* t = LookupTable(txn_->catalog.Read(), &session_values_, q.schema, q.name);
    if (t == nullptr) throw SqlError(sqlstate::kUndefinedTable, StrCat("relation \"", q.name, "\" does not exist"), q.location + 1);
    // As PostgreSQL: any privilege on the table lets a user lock it.
    if (TablePrivilegesOf(txn_->catalog.Read(), *t, user_) == 0) {
      throw SqlError(sqlstate::kInsufficientPrivilege, StrCat("permission denied for table ", t->name()));
    }
    if (st.lock_mode > kRowShare && !t->is_view()) AcquireTableLock(t->id());
  }
  StatementResult r;
  r.command_tag = "LOCK TABLE";
  return r;
}

}  // namespace strata
