// The leader's DML handlers — INSERT, DELETE, UPDATE, MERGE and CREATE TABLE AS's rows — and the
// write path they share with COPY: the table's write lock (LockForWrite, which rebases the
// transaction's copy of the table on the newest committed version), and the new manifests the
// slices report, which become the transaction's version of the table (ApplyWrites). DELETE and
// UPDATE run a plan whose last stage applies the modify stream on the slices that own the rows
// (new delete vectors and appended blocks); MERGE's stream also inserts.
#include "catalog/table_styles.h"
#include "catalog/slice_map.h"
#include "planner/binder.h"
#include "planner/identity_columns.h"
#include "planner/optimizer.h"
#include "planner/physical_planner.h"
#include "planner/table_constraints.h"
#include "server/leader_session.h"
#include "sql/error.h"

namespace strata {
namespace {

// True when `node` (or anything below it) scans table `id`.
bool ScansTable(const LogicalNode& node, int64_t id) {
  if (node.kind == LogicalKind::kScan && node.table.id() == id) return true;
  for (const auto& c : node.children) {
    if (c && ScansTable(*c, id)) return true;
  }
  return false;
}

// RETURNING: the rows the statement's plan gathered on the leader, held until the statement ends
// (as PostgreSQL holds them).
void AttachReturning(const BoundStatement& b, QueryOutcome* out, StatementResult* r) {
  if (b.returning.empty()) return;
  r->returns_rows = true;
  for (const auto& c : b.result) r->columns.push_back({c.name, c.type});
  for (auto& batch : out->rows) r->batches.push_back(std::move(batch));
}

}  // namespace

StatementResult LeaderSession::RunModify(BoundStatement& b) {
  int64_t id = b.table.id();
  catalog::Table* t = LockForWrite(id, b.table.name(), /*reads_table=*/true);
  // The statement reads the version this transaction sees and changes it in place.
  bool merge = b.kind == ast::StatementKind::kMerge;
  InsertReturning returning{b.returning, b.result, b.kind == ast::StatementKind::kDelete};
  PhysicalPlan p = merge ? PlanMerge(*b.query, *t, ctx_.cluster->shape())
                         : PlanModify(*b.query, *t, b.update_moves_rows, ctx_.cluster->shape(),
                                      b.returning.empty() ? nullptr : &returning);
  QueryOutcome out = RunPlan(p, ctx_.cluster->NextQueryId());
  PublishSliceVersions(t, out);
  int64_t deleted = out.rows_deleted / CopiesOf(*t), inserted = out.rows_inserted / CopiesOf(*t);
  t->set_rows(std::max<int64_t>(0, t->rows() - deleted + inserted));
  StatementResult r;
  switch (b.kind) {
    case ast::StatementKind::kMerge: r.command_tag = StrCat("MERGE ", out.rows_merged / CopiesOf(*t)); break;
    case ast::StatementKind::kUpdate: r.command_tag = StrCat("UPDATE ", deleted); break;
    default: r.command_tag = StrCat("DELETE ", deleted); break;
  }
  AttachReturning(b, &out, &r);
  return r;
}

StatementResult LeaderSession::RunCreateTableAs(BoundStatement& b) {
  b.table.set_id(ctx_.catalog->NextTableId());
  ResolveSelfReferences(&b.table);
  txn_->catalog.CreateTable(b.table);
  catalog::Table* t = txn_->catalog.WriteTable(b.table.id());
  PhysicalPlan p = PlanInsert(*b.create_as, *t, ctx_.cluster->shape());
  QueryOutcome out = RunPlan(p, ctx_.cluster->NextQueryId());
  int64_t rows = ApplyWrites(t, out);
  StatementResult r;
  r.command_tag = StrCat("SELECT ", rows);
  return r;
}

StatementResult LeaderSession::RunInsert(BoundStatement& b) {
  if (StatementResult held; BufferInsert(b, &held)) return held;
  FlushInserts();  // rows pending for a table come before this statement's
  if (b.table.has_external()) return InsertIntoExternal(b);
  int64_t id = b.table.id();
  // INSERT … SELECT from the table itself reads what it writes.
  catalog::Table* t = LockForWrite(id, b.table.name(), /*reads_table=*/b.query && ScansTable(*b.query, id));
  InsertReturning returning{b.returning, b.result};
  PhysicalPlan p = PlanInsert(*b.query, *t, ctx_.cluster->shape(), b.returning.empty() ? nullptr : &returning);
  QueryOutcome out;
  {
    DeferWriteSync defer(this);  // the commit's push syncs what the nodes wrote
    out = RunPlan(p, ctx_.cluster->NextQueryId());
  }
  StatementResult r;
  r.command_tag = StrCat("INSERT 0 ", ApplyWrites(t, out));
  AttachReturning(b, &out, &r);
  return r;
}

void LeaderSession::PublishSliceVersions(catalog::Table* t, const QueryOutcome& out) {
  for (const auto& [slice, manifest] : out.written) (*t->mutable_manifest_by_slice())[slice] = manifest;
  // Value ranges only grow with appends: merge them into the table's statistics.
  for (int c = 0; c < t->columns_size() && c < static_cast<int>(out.ranges.size()); ++c) {
    const auto& r = out.ranges[c];
    if (!r.has_range()) continue;
    WidenValueRange(t->mutable_columns(c), r.min(), r.max());
    AdvanceIdentity(t->mutable_columns(c), r.min(), r.max());  // past every value written
  }
}

int64_t LeaderSession::CopiesOf(const catalog::Table& t) const {
  // DISTSTYLE ALL keeps a copy per node: rows the nodes report are counted once.
  return t.dist_style() == catalog::DIST_ALL ? std::max(1, NodeCount(SliceNodesOf(ReadCatalog().meta()))) : 1;
}

int64_t LeaderSession::ApplyWrites(catalog::Table* t, const QueryOutcome& out) {
  PublishSliceVersions(t, out);
  int64_t added = out.rows_written / CopiesOf(*t);
  t->set_rows(t->rows() + added);
  return added;
}

void LeaderSession::AcquireTableLock(int64_t id) {
  ctx_.locks->Acquire(id, session_id_, settings_.lock_timeout_ms(), [this] { return cancelled_.load(); });
}

catalog::Table* LeaderSession::LockForWrite(int64_t id, const std::string& name, bool reads_table) {
  bool first_write = !txn_->catalog.Touched(id);
  AcquireTableLock(id);
  const catalog::Table* t = FindTableById(txn_->catalog.Read(), id);
  if (t == nullptr) throw SqlError(sqlstate::kUndefinedTable, StrCat("relation \"", name, "\" does not exist"));
  if (first_write) {
    // With the write lock held, write on top of the newest committed version of the table.
    CatalogPtr now = ctx_.catalog->Current();
    const catalog::Table* committed = FindTableById(*now, id);
    if (committed == nullptr) throw SqlError(sqlstate::kUndefinedTable, StrCat("relation \"", name, "\" does not exist"));
    if (reads_table && !txn_->explicit_block && committed->version() != t->version()) throw StaleSnapshot();
    if (reads_table && txn_->explicit_block && committed->version() != t->version()) {
      throw SqlError(sqlstate::kSerializationFailure,
                     StrCat("Serializable isolation violation on table - ", id, ", transactions forming the cycle are: ",
                            "this one and one that committed a change to \"", name, "\" after it began"));
    }
    return txn_->catalog.WriteTable(id, committed);  // records the version written on top of
  }
  return txn_->catalog.WriteTable(id);
}

}  // namespace strata
