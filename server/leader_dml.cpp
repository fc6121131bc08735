// LeaderSession's data-changing statements beyond INSERT and COPY: DELETE, UPDATE, TRUNCATE,
// CREATE TABLE AS and ALTER TABLE (RENAME; ADD/DROP COLUMN rewrite every slice). DELETE and
// UPDATE run a plan whose last stage applies the modify stream on the slices that own the rows
// (new delete vectors and appended blocks); the new manifests become the transaction's version
// of the table, committed like any write.
#include "planner/binder.h"
#include "planner/optimizer.h"
#include "planner/physical_planner.h"
#include "planner/table_constraints.h"
#include "server/leader_session.h"
#include "sql/error.h"

namespace strata {

StatementResult LeaderSession::RunModify(BoundStatement& b, bool is_update) {
  int64_t id = b.table.id();
  catalog::Table* t = LockForWrite(id, b.table.name(), /*reads_table=*/true);
  // The statement reads the version this transaction sees and changes it in place.
  PhysicalPlan p = PlanModify(*b.query, *t, b.update_moves_rows, ctx_.cluster->shape());
  QueryOutcome out = RunPlan(p, ctx_.cluster->NextQueryId());
  PublishSliceVersions(t, out);
  int64_t deleted = out.rows_deleted / CopiesOf(*t), inserted = out.rows_inserted / CopiesOf(*t);
  t->set_rows(std::max<int64_t>(0, t->rows() - deleted + inserted));
  StatementResult r;
  r.command_tag = StrCat(is_update ? "UPDATE " : "DELETE ", deleted);
  return r;
}

StatementResult LeaderSession::RunTruncate(const ast::Statement& st) {
  for (const auto& q : st.truncate_tables) {
    const catalog::Table* found = FindTable(ReadCatalog(), q.schema.empty() ? "public" : q.schema, q.name);
    if (found == nullptr || found->is_view()) {
      throw SqlError(sqlstate::kUndefinedTable, StrCat("relation \"", q.name, "\" does not exist"), q.location + 1);
    }
    catalog::Table* t = LockForWrite(found->id(), q.name, /*reads_table=*/false);
    t->clear_manifest_by_slice();
    t->set_rows(0);
    for (auto& c : *t->mutable_columns()) c.set_has_range(false);
  }
  StatementResult r;
  r.command_tag = "TRUNCATE TABLE";
  return r;
}

StatementResult LeaderSession::RunCreateTableAs(BoundStatement& b) {
  b.table.set_id(ctx_.catalog->NextTableId());
  ResolveSelfReferences(&b.table);
  *txn_->working->add_tables() = b.table;
  txn_->changes.created.insert(b.table.id());
  catalog::Table* t = FindMutableTableById(txn_->working.get(), b.table.id());
  PhysicalPlan p = PlanInsert(*b.create_as, *t, ctx_.cluster->shape());
  QueryOutcome out = RunPlan(p, ctx_.cluster->NextQueryId());
  int64_t rows = ApplyWrites(t, out);
  StatementResult r;
  r.command_tag = StrCat("SELECT ", rows);
  return r;
}

StatementResult LeaderSession::RunAlterTable(BoundStatement& b, const ast::AlterTableStmt& a) {
  StatementResult r;
  r.command_tag = "ALTER TABLE";
  if (b.table.name().empty()) {  // IF EXISTS and no such table
    r.notices.push_back(StrCat("relation \"", a.name, "\" does not exist, skipping"));
    return r;
  }
  if (b.alter_added_column || b.alter_dropped_column >= 0) return RunAlterColumns(b, a.name);
  catalog::Table* t = LockForWrite(b.table.id(), a.name, /*reads_table=*/false);
  // Renames: the definition changes, the data does not.
  *t->mutable_columns() = b.table.columns();
  t->set_name(b.table.name());
  return r;
}

// ADD / DROP COLUMN: the new definition, and every slice's live rows rewritten in it (sorted
// by the sort key, as VACUUM leaves them) as the table's new version. Blocks of the columns that
// keep their values and row order come out byte-identical and are shared, not stored twice.
StatementResult LeaderSession::RunAlterColumns(const BoundStatement& b, const std::string& name) {
  catalog::Table* t = LockForWrite(b.table.id(), name, /*reads_table=*/true);
  catalog::Table before = *t;
  std::vector<int> sources;
  if (b.alter_added_column) {
    *t->add_columns() = b.table.columns(b.table.columns_size() - 1);
    for (int c = 0; c < t->columns_size(); ++c) sources.push_back(c < before.columns_size() ? c : -1);
  } else {
    int dropped = b.alter_dropped_column;
    t->mutable_columns()->DeleteSubrange(dropped, 1);
    // The foreign keys that reference this table renumber their referenced columns: their
    // tables change too, under their locks, so that the commit takes their new definitions.
    for (int64_t other : TablesReferencing(*txn_->working, t->id())) {
      const catalog::Table* o = FindTableById(*txn_->working, other);
      LockForWrite(other, o != nullptr ? o->name() : "", /*reads_table=*/false);
    }
    DropColumnFromConstraints(txn_->working.get(), t->id(), dropped);
    if (t->distkey() > dropped) t->set_distkey(t->distkey() - 1);
    for (int i = 0; i < t->sortkey_size(); ++i) if (t->sortkey(i) > dropped) t->set_sortkey(i, t->sortkey(i) - 1);
    for (int c = 0; c < t->columns_size(); ++c) sources.push_back(c < dropped ? c : c + 1);
  }
  if (!before.manifest_by_slice().empty()) {
    PhysicalPlan p = PlanRewriteAs(before, *t, sources, /*sort=*/true, ctx_.cluster->shape());
    QueryOutcome out = RunPlan(p, ctx_.cluster->NextQueryId());
    t->clear_manifest_by_slice();
    for (const auto& [slice, manifest] : out.written) (*t->mutable_manifest_by_slice())[slice] = manifest;
  }
  StatementResult r;
  r.command_tag = "ALTER TABLE";
  return r;
}

}  // namespace strata
