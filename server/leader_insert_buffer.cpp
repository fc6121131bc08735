// Insert buffering: inside a transaction block, an INSERT whose rows read no table (INSERT …
// VALUES, with parameters or not) is evaluated on the leader at once — so a bad value or a NULL
// in a NOT NULL column fails that INSERT — and its rows are held with the block until the
// block's next statement of another kind, an INSERT into another table, the COMMIT, or a
// bound on what is held; then they are written as one INSERT (one write per slice). A
// pipelined JDBC batch (one implicit block up to its Sync) or an executemany inside BEGIN …
// COMMIT thus costs one write instead of one per row. ROLLBACK drops the rows with the block.
// Nothing can read the table between an INSERT and the flush: every other statement flushes
// first. Identity columns are numbered when the rows are written, as for any multi-row INSERT.
#include "planner/binder.h"
#include "planner/expr_builder.h"
#include "planner/physical_planner.h"
#include "server/leader_session.h"
#include "sql/error.h"

namespace strata {
namespace {

constexpr int64_t kMaxPendingRows = 100000;
constexpr size_t kMaxPendingBytes = size_t{16} << 20;
constexpr size_t kRowsPerBatch = 8192;
constexpr const char* kPendingRelation = "$pending_insert";

// True when computing `n` reads no table, file or system relation.
bool ReadsNoRelation(const LogicalNode& n) {
  if (n.kind == LogicalKind::kScan || n.kind == LogicalKind::kFileScan || n.kind == LogicalKind::kSystemTable ||
      n.kind == LogicalKind::kDependentJoin) {
    return false;
  }
  for (const auto& c : n.children) {
    if (c && !ReadsNoRelation(*c)) return false;
  }
  return true;
}

}  // namespace

bool LeaderSession::Bufferable(const BoundStatement& b) const {
  return txn_ && txn_->explicit_block && !txn_->failed && b.kind == ast::StatementKind::kInsert && b.query &&
         b.returning.empty() && b.recursive_ctes.empty() && !b.table.has_external() && ReadsNoRelation(*b.query);
}

bool LeaderSession::BufferInsert(BoundStatement& b, StatementResult* r) {
  if (!Bufferable(b)) return false;
  Transaction::PendingInserts& pending = txn_->pending;
  if (pending.rows > 0 && pending.table_id != b.table.id()) FlushInserts();
  catalog::Table* t = LockForWrite(b.table.id(), b.table.name(), /*reads_table=*/false);
  // The rows, computed on the leader alone (the plan reads nothing the nodes hold).
  QueryOutcome out = RunPlan(PlanQuery(*b.query, ctx_.cluster->shape()), ctx_.cluster->NextQueryId());
  int64_t added = 0;
  for (const Batch& batch : out.rows) {
    if (batch.rows == 0) continue;
    if (batch.columns.size() != static_cast<size_t>(t->columns_size())) {
      STRATA_INTERNAL_ERROR("an INSERT's rows have ", batch.columns.size(), " columns, the table ", t->columns_size());
    }
    // NOT NULL now, as the write would (identity columns are filled in then).
    for (int c = 0; c < t->columns_size(); ++c) {
      const catalog::Column& col = t->columns(c);
      if (!col.not_null() || col.has_identity() || !batch.columns[c].HasNulls()) continue;
      throw SqlError(sqlstate::kNotNullViolation, StrCat("null value in column \"", col.name(), "\" of relation \"",
                                                         t->name(), "\" violates not-null constraint"));
    }
    if (pending.batches.empty() || pending.batches.back()->rows + batch.rows > kRowsPerBatch) {
      pending.batches.push_back(std::make_shared<Batch>(batch.Types()));
    }
    pending.batches.back()->AppendAll(batch);
    pending.bytes += batch.EstimatedBytes();
    added += static_cast<int64_t>(batch.rows);
  }
  pending.table_id = t->id();
  pending.table_name = t->name();
  pending.rows += added;
  r->command_tag = StrCat("INSERT 0 ", added);
  if (pending.rows >= kMaxPendingRows || pending.bytes >= kMaxPendingBytes) FlushInserts();
  return true;
}

void LeaderSession::FlushInserts() {
  if (!txn_ || txn_->pending.rows == 0) {
    if (txn_) txn_->pending = {};
    return;
  }
  Transaction::PendingInserts pending = std::move(txn_->pending);
  txn_->pending = {};
  catalog::Table* t = LockForWrite(pending.table_id, pending.table_name, /*reads_table=*/false);
  LogicalNode source;
  source.kind = LogicalKind::kSystemTable;
  source.system_table = kPendingRelation;
  source.estimated_rows = static_cast<double>(pending.rows);
  for (const auto& c : t->columns()) source.columns.push_back({c.name(), FromProtoType(c.type())});
  auto& held = leader_relations_[kPendingRelation];
  for (auto& b : pending.batches) held.push_back(std::move(b));
  struct Drop {
    std::map<std::string, std::vector<std::shared_ptr<const Batch>>>* m;
    ~Drop() { m->erase(kPendingRelation); }
  } drop{&leader_relations_};
  PhysicalPlan p = PlanInsert(source, *t, ctx_.cluster->shape());
  QueryOutcome out;
  {
    DeferWriteSync defer(this);  // the commit's push syncs what the nodes wrote
    out = RunPlan(p, ctx_.cluster->NextQueryId());
  }
  ApplyWrites(t, out);
}

}  // namespace strata
