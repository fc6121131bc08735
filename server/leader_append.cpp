// ALTER TABLE target APPEND FROM source (Redshift's) on the leader. The source's rows become the
// target's by moving blocks, not rows: every node writes, for its slices, the target's new
// version with the source's blocks after the target's own (executor/append_blocks.h; both
// tables are distributed and sorted alike, planner/dml_binder.h, so every row is already on the
// slice the target wants it on), and one commit publishes those versions and empties the source.
// As in Redshift it cannot run inside a transaction block (25001, checked by the caller); it is
// a transaction of its own, so a failure leaves both tables as they were.
#include "catalog/table_styles.h"
#include "catalog/slice_map.h"
#include "planner/bind_helpers.h"
#include "planner/binder.h"
#include "planner/expr_builder.h"
#include "planner/identity_columns.h"
#include "planner/physical_planner.h"
#include "server/leader_session.h"
#include "sql/error.h"

namespace strata {

StatementResult LeaderSession::RunAppend(BoundStatement& b) {
  int64_t target_id = b.table.id(), source_id = b.append_source.id();
  // Both write locks, the lower table id first, so two APPENDs in opposite directions wait
  // rather than deadlock. The source is read, so it must not have changed since the snapshot.
  for (int64_t id : {std::min(target_id, source_id), std::max(target_id, source_id)}) {
    if (id == target_id) LockForWrite(id, b.table.name(), /*reads_table=*/false);
    else LockForWrite(id, b.append_source.name(), /*reads_table=*/true);
  }
  catalog::Table* target = txn_->catalog.WriteTable(target_id);
  catalog::Table* source = txn_->catalog.WriteTable(source_id);
  if (target == nullptr || source == nullptr) STRATA_INTERNAL_ERROR("ALTER TABLE APPEND lost a table");
  // The tables may have changed between binding and locking (LockForWrite rebased them).
  if (target->columns_size() != static_cast<int>(b.append_columns.size())) {
    throw SqlError(sqlstate::kSerializationFailure, "could not serialize access due to concurrent update");
  }

  rpc::AppendBlocksRequest req;
  req.set_table_id(target_id);
  std::vector<int> encodings = WriteEncodings(*target);
  for (int c = 0; c < target->columns_size(); ++c) {
    const catalog::Column& col = target->columns(c);
    *req.add_types() = col.type();
    req.add_encodings(encodings[c]);
    req.add_source_columns(b.append_columns[c]);
    *req.add_fill() = ColumnDefaultOrNull(col);
  }
  req.set_sorted(target->sortkey_size() > 0);
  for (int n : SliceNodesOf(ReadCatalog().meta())) req.add_slice_node(n);
  for (const auto& [slice, id] : source->manifest_by_slice()) {
    if (id.empty()) continue;
    auto* s = req.add_slices();
    s->set_slice(slice);
    s->set_source_manifest(id);
    auto t = target->manifest_by_slice().find(slice);
    if (t != target->manifest_by_slice().end()) s->set_target_manifest(t->second);
  }
  int64_t moved = source->rows();
  if (req.slices_size() > 0) {
    for (const auto& [slice, id] : ctx_.cluster->AppendBlocks(req)) (*target->mutable_manifest_by_slice())[slice] = id;
  }
  target->set_rows(target->rows() + moved);
  for (int c = 0; c < target->columns_size(); ++c) {
    int from = b.append_columns[c];
    if (from < 0 || moved == 0) continue;
    const catalog::Column& sc = source->columns(from);
    if (!sc.has_range()) continue;
    WidenValueRange(target->mutable_columns(c), sc.min_value(), sc.max_value());
    AdvanceIdentity(target->mutable_columns(c), sc.min_value(), sc.max_value());
  }
  // The source is left empty, as TRUNCATE leaves it.
  source->clear_manifest_by_slice();
  source->set_rows(0);
  for (auto& c : *source->mutable_columns()) c.set_has_range(false);
  StatementResult r;
  r.command_tag = "ALTER TABLE";
  return r;
}

}  // namespace strata
