// CREATE SNAPSHOT, DROP SNAPSHOT and RESTORE TABLE ... FROM SNAPSHOT (server/snapshot_service.h
// takes and deletes snapshots), and the load that both a table restore and a whole-cluster
// restore use: the snapshot's slice manifests become the splits of a COPY-like plan (format
// "strata_snapshot", executor/snapshot_slice_reader.h), so rows reach their slices by this
// cluster's distribution, whatever shape the snapshot's cluster had, and are written sorted.
#include "planner/clock_functions.h"
#include "planner/expr_builder.h"
#include "planner/logical_plan.h"
#include "planner/name_resolution.h"
#include "planner/physical_planner.h"
#include "server/leader_session.h"
#include "server/snapshot_service.h"
#include "sql/error.h"
#include "storage/object_layout.h"

namespace strata {


int64_t LeaderSession::LoadSnapshotRows(int64_t target_id, const catalog::Table& source, int source_slices_per_node,
                                       const std::string& location) {
  catalog::Table* t = LockForWrite(target_id, source.name());
  if (t->columns_size() != source.columns_size()) {
    STRATA_INTERNAL_ERROR("restore target and source differ in columns");
  }
  auto scan = std::make_unique<LogicalNode>();
  scan->kind = LogicalKind::kFileScan;
  plan::FileScan& fs = scan->file_scan;
  fs.set_format("strata_snapshot");
  fs.set_path(location);
  fs.set_table_name(t->name());
  for (const auto& c : t->columns()) {
    scan->columns.push_back({c.name(), FromProtoType(c.type())});
    *fs.add_types() = c.type();
    fs.add_column_names(c.name());
  }
  // Every slice manifest of the snapshot's table is a split; the splits go round the slices. A
  // DISTSTYLE ALL table has a copy on every node of the snapshot's cluster: node 0's is read.
  const int slices = ctx_.cluster->shape().total_slices();
  int next = 0;
  for (const auto& [slice, id] : source.manifest_by_slice()) {
    if (id.empty()) continue;
    if (source.dist_style() == catalog::DIST_ALL && slice != 0) continue;  // node 0's copy (slice 0 stays on node 0)
    plan::LoadSplit sp;
    sp.set_url(StoredManifestUrl(location, id));
    sp.set_end(-1);
    *(*fs.mutable_splits_by_slice())[next++ % slices].add_splits() = sp;
  }
  scan->estimated_rows = static_cast<double>(std::max<int64_t>(source.rows(), 1));
  PhysicalPlan p = PlanInsert(*scan, *t, ctx_.cluster->shape());
  QueryOutcome out = RunPlan(p, ctx_.cluster->NextQueryId());
  return ApplyWrites(t, out);
}

int64_t LeaderSession::RestoreTableRows(int64_t target_id, const catalog::Table& source, int source_slices_per_node,
                                       const std::string& location) {
  restoring_ = true;
  StatementTransaction txn(this);
  int64_t rows = LoadSnapshotRows(target_id, source, source_slices_per_node, location);
  txn.Commit();
  return rows;
}

StatementResult LeaderSession::RunSnapshot(const ast::SnapshotStmt& s) {
  using A = ast::SnapshotStmt::Action;
  StatementResult r;
  if (!UserIsSuperuser(*ctx_.catalog->Current(), user_)) {
    throw SqlError(sqlstate::kInsufficientPrivilege, "permission denied: only a superuser may manage snapshots");
  }
  if (ctx_.snapshot_service == nullptr) {
    throw SqlError(sqlstate::kObjectNotInPrerequisiteState, "this cluster has no snapshot location");
  }
  SnapshotService& svc = *ctx_.snapshot_service;
  if (s.action != A::kRestoreTable && txn_ && txn_->explicit_block) {
    // A snapshot holds committed transactions only and its files cannot be rolled back.
    throw SqlError(sqlstate::kActiveSqlTransaction,
                   StrCat(s.action == A::kCreate ? "CREATE" : "DROP", " SNAPSHOT cannot run inside a transaction block"));
  }
  switch (s.action) {
    case A::kCreate: {
      replication::SnapshotRecord rec = svc.Create(s.snapshot, "manual", s.retention_days, 0, &cancelled_);
      r.command_tag = "CREATE SNAPSHOT";
      r.notices.push_back(StrCat("snapshot \"", rec.name(), "\" holds ", rec.table_count(), " tables at commit ",
                                 rec.commit_id(), ": ", rec.total_bytes(), " bytes, ", rec.uploaded_bytes(),
                                 " of them uploaded now"));
      return r;
    }
    case A::kDrop: {
      svc.Drop(s.snapshot);
      r.command_tag = "DROP SNAPSHOT";
      return r;
    }
    case A::kRestoreTable: break;
  }
  // RESTORE TABLE: the table as the snapshot has it, under a new name, with its rows.
  SnapshotStore& store = svc.store();
  replication::SnapshotRecord rec = store.Read(s.snapshot);
  std::string schema = s.schema.empty() ? "public" : s.schema;
  const catalog::Table* source = nullptr;
  for (const auto& t : rec.catalog().tables()) {
    if (t.schema() == schema && t.name() == s.table && !t.temporary()) source = &t;
  }
  if (source == nullptr) {
    throw SqlError(sqlstate::kUndefinedTable,
                   StrCat("relation \"", schema, ".", s.table, "\" does not exist in snapshot \"", s.snapshot, "\""));
  }
  if (source->is_view() || source->has_external()) {
    throw SqlError(sqlstate::kWrongObjectType,
                   StrCat("\"", schema, ".", s.table, "\" is a ", source->is_view() ? "view" : "external table",
                          ": only a table's rows can be restored"));
  }
  return InTransaction([&](StatementResult& out) {
    const CatalogVersion& cat = txn_->catalog.Read();
    std::string new_schema = s.new_schema.empty() ? schema : s.new_schema;
    if (!SchemaExists(cat, new_schema)) {
      throw SqlError(sqlstate::kUndefinedSchema, StrCat("schema \"", new_schema, "\" does not exist"));
    }
    if (FindTable(cat, new_schema, s.new_table) != nullptr) {
      throw SqlError(sqlstate::kDuplicateTable, StrCat("relation \"", s.new_table, "\" already exists"));
    }
    catalog::Table t = *source;
    t.set_id(ctx_.catalog->NextTableId());
    t.set_schema(new_schema);
    t.set_name(s.new_table);
    t.clear_manifest_by_slice();
    t.set_rows(0);
    t.set_version(0);
    t.clear_comment();
    // Foreign keys name tables of the snapshot's catalog by id: they do not carry over.
    auto* cons = t.mutable_constraints();
    for (int i = cons->size() - 1; i >= 0; --i) {
      if (cons->Get(i).kind() == catalog::FOREIGN_KEY) cons->DeleteSubrange(i, 1);
    }
    txn_->catalog.CreateTable(t);
    int64_t rows = LoadSnapshotRows(t.id(), *source, rec.catalog().slices_per_node(), store.location());
    out.command_tag = "RESTORE TABLE";
    out.notices.push_back(StrCat("restored ", rows, " rows of ", schema, ".", s.table, " from snapshot \"", s.snapshot,
                                 "\" (commit ", rec.commit_id(), ") into ", new_schema, ".", s.new_table));
  });
}

}  // namespace strata
