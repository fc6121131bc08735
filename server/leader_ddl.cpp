// The leader's DDL handlers: CREATE TABLE (and CREATE TABLE AS, which also writes rows), CREATE
// [OR REPLACE] VIEW, DROP TABLE / VIEW, TRUNCATE, ALTER TABLE (RENAME; ADD / DROP COLUMN, which
// rewrite every slice) and COMMENT ON. Each changes the catalog only through the transaction's
// typed edits (catalog/catalog_transaction.h), under the table's write lock where the table
// exists, so ROLLBACK undoes it and the commit checks it like any write. Comments are part of a
// table's definition (Table.comment, Column.comment); clients read them through pg_description,
// obj_description() and col_description().
#include <algorithm>

#include "catalog/catalog_store.h"
#include "planner/name_resolution.h"
#include "planner/binder.h"
#include "planner/physical_planner.h"
#include "planner/table_constraints.h"
#include "server/leader_session.h"
#include "planner/view_references.h"
#include "sql/error.h"
#include "sql/parser.h"
#include "sql/redshift_dialect.h"

namespace strata {

StatementResult LeaderSession::RunCreateTable(BoundStatement& b, const ast::CreateTableStmt& ct) {
  StatementResult r;
  r.command_tag = "CREATE TABLE";
  if (b.table.name().empty()) {  // IF NOT EXISTS, and it does
    r.notices.push_back(StrCat("relation \"", ct.name, "\" already exists, skipping"));
    return r;
  }
  if (b.create_as) return RunCreateTableAs(b);
  b.table.set_id(ctx_.catalog->NextTableId());
  ResolveSelfReferences(&b.table);
  txn_->catalog.CreateTable(b.table);
  return r;
}

StatementResult LeaderSession::RunCreateView(BoundStatement& b) {
  StatementResult r;
  r.command_tag = "CREATE VIEW";
  for (int64_t id : b.drop_ids) txn_->catalog.DropTable(id, /*keep_write_check=*/true);  // CREATE OR REPLACE
  b.table.set_id(ctx_.catalog->NextTableId());
  txn_->catalog.CreateTable(b.table);
  return r;
}

StatementResult LeaderSession::RunDrop(const BoundStatement& b, const ast::DropStmt& d) {
  if (d.kind == ast::DropStmt::Kind::kSchema) return RunDropSchema(d);
  StatementResult r;
  bool view = d.kind == ast::DropStmt::Kind::kView;
  r.command_tag = view ? "DROP VIEW" : "DROP TABLE";
  for (const auto& n : b.drop_missing) {
    r.notices.push_back(StrCat(view ? "view" : "table", " \"", n, "\" does not exist, skipping"));
  }
  for (int64_t id : b.drop_ids) {
    AcquireTableLock(id);
    txn_->catalog.DropTable(id);
  }
  // The RLS and masking policies attached to a dropped table are detached with it (the
  // policies stay).
  const auto& attached = txn_->catalog.Read().meta().policy_attachments();
  const bool any = std::any_of(attached.begin(), attached.end(), [&](const catalog::PolicyAttachment& a) {
    return std::find(b.drop_ids.begin(), b.drop_ids.end(), a.table_id()) != b.drop_ids.end();
  });
  if (any) {
    auto* edit = txn_->catalog.EditMeta()->mutable_policy_attachments();
    edit->erase(std::remove_if(edit->begin(), edit->end(),
                               [&](const catalog::PolicyAttachment& a) {
                                 return std::find(b.drop_ids.begin(), b.drop_ids.end(), a.table_id()) != b.drop_ids.end();
                               }),
                edit->end());
    txn_->catalog.SecurityChanged();
  }
  // CASCADE: the foreign keys that referenced a dropped table go from their tables.
  for (const auto& [id, name] : b.drop_constraints) {
    catalog::Table* t = LockForWrite(id, "", /*reads_table=*/false);
    auto* constraints = t->mutable_constraints();
    for (int i = constraints->size() - 1; i >= 0; --i) {
      if (constraints->Get(i).name() == name) constraints->DeleteSubrange(i, 1);
    }
  }
  r.notices.insert(r.notices.end(), b.notices.begin(), b.notices.end());
  return r;
}

StatementResult LeaderSession::RunTruncate(const ast::Statement& st) {
  for (const auto& q : st.truncate_tables) {
    const catalog::Table* found = LookupTable(ReadCatalog(), &session_values_, q.schema, q.name);
    if (found == nullptr || found->is_view()) {
      throw SqlError(sqlstate::kUndefinedTable, StrCat("relation \"", q.name, "\" does not exist"), q.location + 1);
    }
    if (found->has_external()) {
      throw SqlError(sqlstate::kFeatureNotSupported, StrCat("cannot truncate external table \"", q.name, "\""));
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

StatementResult LeaderSession::RunAlterTable(BoundStatement& b, const ast::AlterTableStmt& a) {
  StatementResult r;
  r.command_tag = "ALTER TABLE";
  if (b.table.name().empty()) {  // IF EXISTS and no such table
    r.notices.push_back(StrCat("relation \"", a.name, "\" does not exist, skipping"));
    return r;
  }
  if (b.alter_added_column || b.alter_dropped_column >= 0) return RunAlterColumns(b, a.name);
  catalog::Table* t = LockForWrite(b.table.id(), a.name, /*reads_table=*/false);
  if (t->name() != b.table.name()) {
    // The views that read the relation follow its new name (PostgreSQL's views hold the
    // relation itself); their texts are rewritten while the old name still resolves.
    std::vector<std::pair<int64_t, std::string>> views;
    const CatalogVersion& cat = txn_->catalog.Read();
    for (int64_t id : ViewsReading(cat, t->id())) {
      views.push_back({id, ViewSqlAfterRename(cat, *cat.TableById(id), t->id(), b.table.name())});
    }
    for (auto& [id, sql] : views) LockForWrite(id, "", /*reads_table=*/false)->set_view_sql(std::move(sql));
    t = txn_->catalog.WriteTable(b.table.id());
  }
  // Renames and constraints: the definition changes, the data does not.
  *t->mutable_columns() = b.table.columns();
  *t->mutable_constraints() = b.table.constraints();
  t->set_name(b.table.name());
  t->set_owner(b.table.owner());  // ALTER TABLE | VIEW ... OWNER TO
  r.notices = b.notices;
  return r;
}

// After column `column` of `table` was dropped in this transaction: 2BP01, as PostgreSQL
// answers, when a view that reads the table no longer binds without it.
void LeaderSession::CheckViewsStillBind(const catalog::Table& table, const std::string& column) {
  const CatalogVersion& cat = txn_->catalog.Read();
  // A view that reads the table only through another view fails with that view, so the direct
  // readers are enough.
  for (int64_t id : ViewsReading(cat, table.id())) {
    const catalog::Table* v = cat.TableById(id);
    try {
      std::vector<ast::Statement> read =
          ParseSql(StrCat("SELECT * FROM ", QuoteIdentifier(v->schema()), ".", QuoteIdentifier(v->name())));
      Bind(read.at(0), cat, {}, nullptr, &session_values_);
    } catch (const SqlError&) {
      throw SqlError(sqlstate::kDependentObjectsStillExist,
                     StrCat("cannot drop column ", column, " of table ", table.name(), " because other objects depend on it"))
          .WithDetail(StrCat(RelationDescription(*v), " depends on column ", column, " of table ", table.name()))
          .WithHint("Use DROP ... CASCADE to drop the dependent objects too.");
    }
  }
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
    for (int64_t other : TablesReferencing(txn_->catalog.Read(), t->id())) {
      const catalog::Table* o = FindTableById(txn_->catalog.Read(), other);
      LockForWrite(other, o != nullptr ? o->name() : "", /*reads_table=*/false);
    }
    DropColumnFromConstraints(&txn_->catalog, t->id(), dropped);
    if (t->distkey() > dropped) t->set_distkey(t->distkey() - 1);
    for (int i = 0; i < t->sortkey_size(); ++i) if (t->sortkey(i) > dropped) t->set_sortkey(i, t->sortkey(i) - 1);
    for (int c = 0; c < t->columns_size(); ++c) sources.push_back(c < dropped ? c : c + 1);
    CheckViewsStillBind(before, before.columns(dropped).name());
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

std::map<int64_t, int64_t> LeaderSession::TableBytes() {
  std::map<int64_t, int64_t> bytes;
  const CatalogVersion& cat = txn_ ? ReadCatalog() : *ctx_.catalog->Current();
  for (const auto& r : ctx_.cluster->AllTableBlocks(cat)) bytes[r.tbl()] += r.size_bytes();
  return bytes;
}

StatementResult LeaderSession::RunComment(const ast::CommentStmt& c) {
  using O = ast::CommentStmt::Object;
  return InTransaction([&](StatementResult& r) {
    r.command_tag = "COMMENT";
    if (c.object == O::kSchema) {
      // Schemas carry no comment yet: removing one (pg_dump writes COMMENT ON SCHEMA public IS
      // '') is a no-op; setting one is refused rather than lost.
      if (!SchemaExists(txn_->catalog.Read(), c.schema)) {
        throw SqlError(sqlstate::kUndefinedSchema, StrCat("schema \"", c.schema, "\" does not exist"));
      }
      if (!c.text.empty()) throw SqlError(sqlstate::kFeatureNotSupported, "comments on schemas are not supported yet");
      return;
    }
    const catalog::Table* found = LookupTable(txn_->catalog.Read(), &session_values_, c.schema, c.table);
    if (found == nullptr) throw SqlError(sqlstate::kUndefinedTable, StrCat("relation \"", c.table, "\" does not exist"));
    if (!MayMaintain(*found)) {
      throw SqlError(sqlstate::kInsufficientPrivilege, StrCat("must be owner of relation ", found->name()));
    }
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
