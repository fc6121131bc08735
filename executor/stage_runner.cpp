#include "executor/stage_runner.h"

#include "executor/coalescing_router.h"

#include "executor/memory_budget.h"
#include "executor/modify_writer.h"
#include "executor/scan_stats.h"
#include "executor/step_profile.h"
#include "executor/unload_writer.h"

#include <atomic>
#include <unordered_set>
#include <chrono>
#include <optional>

#include "executor/expression.h"
#include "executor/operator_factory.h"
#include "executor/row_hash.h"
#include "planner/expr_builder.h"
#include "sql/error.h"
#include "storage/block_format.h"
#include "storage/block_store.h"
#include "storage/manifest_store.h"
#include "storage/slice_reader.h"
#include "storage/slice_writer.h"

namespace strata {

namespace {

int NodeOf(int slice, const ExecContext& ctx) { return ctx.NodeOf(slice); }

// The hash of each row's key values (the distribution hash of INSERT and joins).
void HashKeys(std::vector<std::unique_ptr<ExpressionEvaluator>>& keys, const Batch& b, std::vector<uint64_t>* hashes) {
  std::vector<Vector> kv(keys.size());
  std::vector<const Vector*> kp;
  for (size_t i = 0; i < keys.size(); ++i) {
    kp.push_back(&keys[i]->EvaluateShared(b, &kv[i]));
  }
  HashRows(kp, b.rows, hashes);
}

void RouteHash(const plan::Sink& sink, std::vector<std::unique_ptr<ExpressionEvaluator>>& keys, const Batch& b,
               const ExecContext& ctx, RowRouter* router) {
  // Each row's slice, then the rows grouped by slice in one array (a counting sort: no
  // per-slice vectors growing row by row -- 8 % of TPC-H Q22's samples redistributing orders).
  thread_local std::vector<uint64_t> hashes;
  thread_local std::vector<uint32_t> slice_of, by_slice, start, next;
  HashKeys(keys, b, &hashes);
  const size_t n = b.rows, slices = static_cast<size_t>(ctx.total_slices);
  slice_of.resize(n);
  start.assign(slices + 1, 0);
  for (size_t r = 0; r < n; ++r) {
    slice_of[r] = static_cast<uint32_t>(hashes[r] % slices);
    ++start[slice_of[r] + 1];
  }
  for (size_t s = 0; s < slices; ++s) start[s + 1] += start[s];
  by_slice.resize(n);
  next.assign(start.begin(), start.end() - 1);
  for (size_t r = 0; r < n; ++r) by_slice[next[slice_of[r]]++] = static_cast<uint32_t>(r);
  for (size_t s = 0; s < slices; ++s) {
    const uint32_t count = start[s + 1] - start[s];
    if (count == 0) continue;
    Batch part(b.Types());
    part.AppendSelected(b, by_slice.data() + start[s], count);
    router->Send(sink.exchange_id(), NodeOf(static_cast<int>(s), ctx), static_cast<int>(s), std::move(part));
  }
}

// SINK_MODIFY_ROUTE: each row to the slice its row id names; with keys (UPDATE of a KEY
// table that assigns its DISTKEY, MERGE into a KEY table) a row's new values go to the slice of
// their distribution key instead: there as an insert-only row that keeps its row id (of another
// slice), and to its own slice as a delete-only row. MERGE's new rows (no row id) go by the key,
// round robin, or (every_node, DISTSTYLE ALL) to every node's copy.
void RouteModify(const plan::Sink& sink, std::vector<std::unique_ptr<ExpressionEvaluator>>& keys, const Batch& b,
                 const ExecContext& ctx, RowRouter* router, int64_t* round_robin) {
  std::vector<uint64_t> hashes;
  if (!keys.empty()) HashKeys(keys, b, &hashes);
  const Vector& ids = b.columns[0];
  const Vector& insert = b.columns[1];
  std::vector<std::vector<uint32_t>> whole(ctx.total_slices), deletes(ctx.total_slices), inserts(ctx.total_slices);
  for (size_t r = 0; r < b.rows; ++r) {
    bool has_id = !ids.IsNull(r);
    int owner = has_id ? static_cast<int>(ids.data<int64_t>()[r] >> kRowIdSliceShift) : -1;
    if (has_id && (owner < 0 || owner >= ctx.total_slices)) STRATA_INTERNAL_ERROR("row id of unknown slice ", owner);
    bool ins = !insert.IsNull(r) && insert.data<uint8_t>()[r];
    int target = ins && !hashes.empty() ? static_cast<int>(hashes[r] % ctx.total_slices) : owner;
    if (!has_id) {
      if (!ins) continue;
      if (target < 0 && sink.merge() && sink.every_node()) {
        // A node's copy of a DISTSTYLE ALL table lives on its first slice (as SINK_TO_NODE_COPY writes it).
        for (int n = 0; n < ctx.nodes(); ++n) {
          whole[ctx.FirstSliceOf(n)].push_back(static_cast<uint32_t>(r));
        }
        continue;
      }
      if (target < 0 && sink.merge()) target = static_cast<int>((*round_robin)++ % ctx.total_slices);
      if (target < 0) continue;
      whole[target].push_back(static_cast<uint32_t>(r));
    } else if (!ins || target == owner) {
      whole[owner].push_back(static_cast<uint32_t>(r));
    } else {
      deletes[owner].push_back(static_cast<uint32_t>(r));
      inserts[target].push_back(static_cast<uint32_t>(r));
    }
  }
  for (int s = 0; s < ctx.total_slices; ++s) {
    if (whole[s].empty() && deletes[s].empty() && inserts[s].empty()) continue;
    Batch part(b.Types());
    part.AppendSelected(b, whole[s].data(), whole[s].size());
    size_t at = part.rows;
    part.AppendSelected(b, deletes[s].data(), deletes[s].size());
    for (size_t r = at; r < part.rows; ++r) part.columns[1].data<uint8_t>()[r] = 0;  // delete only
    part.AppendSelected(b, inserts[s].data(), inserts[s].size());  // insert only: the row id is another slice's
    router->Send(sink.exchange_id(), NodeOf(s, ctx), s, std::move(part));
  }
}

std::vector<int> SinkEncodings(const plan::Sink& sink) {
  return std::vector<int>(sink.encodings().begin(), sink.encodings().end());
}

// NOT NULL columns of the rows a sink writes: all rows of SINK_WRITE; of a modify stream
// (`first` = 2), the rows with the insert flag (a delete-only row carries no values).
void CheckNotNull(const plan::Sink& sink, const Batch& b, size_t first = 0) {
  for (int c = 0; c < sink.not_null_size() && first + c < b.columns.size(); ++c) {
    if (!sink.not_null(c)) continue;
    const Vector& v = b.columns[first + c];
    if (!v.HasNulls()) continue;
    bool violated = first == 0;
    for (size_t r = 0; r < b.rows && !violated; ++r) {
      const Vector& insert = b.columns[1];
      violated = v.IsNull(r) && !insert.IsNull(r) && insert.data<uint8_t>()[r];
    }
    if (violated) {
      throw SqlError(sqlstate::kNotNullViolation,
                     StrCat("null value in column \"", sink.column_names(c), "\" of relation \"", sink.table_name(),
                            "\" violates not-null constraint"));
    }
  }
}

// How many operators of a stage hold data under the memory budget (joins, aggregates, sorts,
// windows; a table-writing sink adds its writer): they divide the stage's part of the query's memory (ScopedOperatorShare).
int MemoryOperators(const plan::Operator& op) {
  switch (op.kind_case()) {
    case plan::Operator::kFilter: return MemoryOperators(op.filter().input());
    case plan::Operator::kProject: return MemoryOperators(op.project().input());
    case plan::Operator::kIdentityFill: return MemoryOperators(op.identity_fill().input());
    case plan::Operator::kAggregate: return 1 + MemoryOperators(op.aggregate().input());
    case plan::Operator::kHashJoin:
      return 1 + MemoryOperators(op.hash_join().probe()) + MemoryOperators(op.hash_join().build());
    case plan::Operator::kNestedLoopJoin:
      return 1 + MemoryOperators(op.nested_loop_join().probe()) + MemoryOperators(op.nested_loop_join().build());
    case plan::Operator::kSort: return 1 + MemoryOperators(op.sort().input());
    case plan::Operator::kLimit: return MemoryOperators(op.limit().input());
    case plan::Operator::kWindow: return 1 + MemoryOperators(op.window().input());
    case plan::Operator::kAppend: {
      int n = 0;
      for (const auto& in : op.append().inputs()) n += MemoryOperators(in);
      return n;
    }
    case plan::Operator::kRepeat: return MemoryOperators(op.repeat().input());
    default: return 0;
  }
}

}  // namespace

int StageMemoryOperators(const plan::Stage& stage) {
  const bool writes = stage.sink().kind() == plan::SINK_WRITE || stage.sink().kind() == plan::SINK_MODIFY;
  return MemoryOperators(stage.root()) + (writes ? 1 : 0);
}

namespace {

// Redshift's svl_query_summary label of a stage's last step.
std::string SinkLabel(plan::SinkKind kind) {
  switch (kind) {
    case plan::SINK_RESULT:
    case plan::SINK_GATHER: return "return";
    case plan::SINK_HASH:
    case plan::SINK_ROUND_ROBIN:
    case plan::SINK_MODIFY_ROUTE: return "dist";
    case plan::SINK_BROADCAST:
    case plan::SINK_TO_NODE_COPY: return "bcast";
    case plan::SINK_WRITE: return "insert";
    case plan::SINK_MODIFY: return "delete";
    case plan::SINK_UNLOAD: return "unload";
    default: return "sink";
  }
}

}  // namespace

SliceResult RunStageOnSlice(const plan::Stage& stage, const ExecContext& ctx_in, RowRouter* out_router,
                            BlockStore* blocks, ManifestStore* manifests) {
  // Rows for other slices go on in full batches, not in the slivers a filter or a hash split leaves.
  CoalescingRouter coalescing(out_router);
  RowRouter* router = &coalescing;
  // The stage's memory-holding operators share its part of the query's memory on this slice.
  const int operators = ctx_in.memory_operators > 0 ? ctx_in.memory_operators : StageMemoryOperators(stage);
  ScopedOperatorShare share(OperatorShare(ctx_in.memory, ctx_in.slice < 0 ? 1 : ctx_in.slices_per_node, operators),
                            operators);
  ScanStatsLog scan_stats;
  StageProfile profile(stage.id(), ctx_in.slice);
  ExecContext ctx = ctx_in;
  ctx.scan_stats = &scan_stats;
  ctx.stage = stage.id();
  ctx.profile = &profile;
  auto stage_start = std::chrono::steady_clock::now();
  OperatorPtr root = BuildOperator(stage.root(), ctx);
  plan::StepStat* sink_step = profile.Open(SinkLabel(stage.sink().kind()));
  const plan::Sink& sink = stage.sink();
  SliceResult result;
  std::vector<std::unique_ptr<ExpressionEvaluator>> keys;
  for (const auto& k : sink.keys()) keys.push_back(std::make_unique<ExpressionEvaluator>(k));
  int nodes = ctx.nodes();
  static std::atomic<int64_t> round_robin_start{0};
  int64_t round_robin = round_robin_start.fetch_add(1) + (ctx.slice < 0 ? 0 : ctx.slice);

  // The table writer's buffers count against the query's memory: refused, it cuts blocks early.
  MemoryReservation writer_memory(ctx.memory, "table writer");
  auto hold = [&writer_memory](int64_t bytes) {
    if (bytes <= writer_memory.held()) {
      writer_memory.ShrinkTo(bytes);
      return true;
    }
    return writer_memory.TryGrow(bytes - writer_memory.held());
  };
  std::unique_ptr<SliceWriter> writer;
  if (sink.kind() == plan::SINK_WRITE) {
    std::shared_ptr<const storage::SliceManifest> base;
    auto it = sink.base_manifest_by_slice().find(ctx.slice);
    if (it != sink.base_manifest_by_slice().end() && !it->second.empty()) base = manifests->Get(it->second);
    std::vector<SqlType> types = OutputTypes(stage.root());
    if (sink.returning()) types.pop_back();  // RETURNING's row ordinal is not written
    writer = std::make_unique<SliceWriter>(blocks, std::move(types), sink.table_id(), ctx.slice, base);
    writer->set_input_order(static_cast<SliceWriter::InputOrder>(sink.input_order()));
    writer->set_encodings(SinkEncodings(sink));
    writer->set_memory(hold);
  }
  std::unique_ptr<ModifyWriter> modify;
  if (sink.kind() == plan::SINK_MODIFY) {
    std::shared_ptr<const storage::SliceManifest> base;
    auto it = sink.base_manifest_by_slice().find(ctx.slice);
    if (it != sink.base_manifest_by_slice().end() && !it->second.empty()) base = manifests->Get(it->second);
    std::vector<SqlType> types = OutputTypes(stage.root());
    types.erase(types.begin(), types.begin() + 2);
    modify = std::make_unique<ModifyWriter>(blocks, std::move(types), sink.table_id(), ctx.slice, base,
                                            static_cast<SliceWriter::InputOrder>(sink.input_order()),
                                            SinkEncodings(sink), sink.merge());
    modify->set_memory(hold);
  }

  std::unique_ptr<UnloadWriter> unload;
  if (sink.kind() == plan::SINK_UNLOAD) unload = std::make_unique<UnloadWriter>(sink.unload(), ctx.slice);

  std::unordered_set<int64_t> returned_ids;  // SINK_MODIFY ... RETURNING: row ids sent already
  // RETURNING: this slice sends back what it writes (of a DISTSTYLE ALL table, node 0's copy only).
  const bool returns_rows =
      sink.returning() && (!sink.returning_one_copy() || ctx.NodeOf(ctx.slice) == 0);
  Batch b;
  while (root->Next(&b)) {
    ctx.CheckCancelled();
    if (b.rows == 0) continue;
    result.rows += b.rows;
    switch (sink.kind()) {
      case plan::SINK_RESULT:
      case plan::SINK_GATHER:
        router->Deliver(sink.exchange_id(), std::move(b));
        break;
      case plan::SINK_HASH:
        RouteHash(sink, keys, b, ctx, router);
        break;
      case plan::SINK_ROUND_ROBIN: {
        // Full batches go round robin whole: rows stay together, and many batches keep the
        // slices balanced. A smaller batch (a small INSERT ... SELECT may be one) is cut into
        // one contiguous run of rows per slice, so that even a few rows spread evenly.
        size_t parts = b.rows >= kBatchSize ? 1 : std::min<size_t>(b.rows, static_cast<size_t>(ctx.total_slices));
        if (parts <= 1) {
          int s = static_cast<int>(round_robin++ % ctx.total_slices);
          router->Send(sink.exchange_id(), NodeOf(s, ctx), s, std::move(b));
          break;
        }
        for (size_t p = 0; p < parts; ++p) {
          size_t from = b.rows * p / parts, to = b.rows * (p + 1) / parts;
          Batch part(b.Types());
          for (size_t c = 0; c < b.columns.size(); ++c) AppendRowRange(b.columns[c], from, to, &part.columns[c], false);
          part.rows = to - from;
          int s = static_cast<int>(round_robin++ % ctx.total_slices);
          router->Send(sink.exchange_id(), NodeOf(s, ctx), s, std::move(part));
        }
        break;
      }
      case plan::SINK_BROADCAST:
        for (int n = 0; n < nodes; ++n) {
          Batch copy(b.Types());
          copy.AppendAll(b);
          router->Send(sink.exchange_id(), n, -1, std::move(copy));
        }
        break;
      case plan::SINK_TO_NODE_COPY:
        for (int n = 0; n < nodes; ++n) {
          Batch copy(b.Types());
          copy.AppendAll(b);
          router->Send(sink.exchange_id(), n, ctx.FirstSliceOf(n), std::move(copy));
        }
        break;
      case plan::SINK_WRITE: {
        // RETURNING: the last column numbers the rows for the leader; the rest is written.
        Vector ordinal;
        if (sink.returning()) {
          ordinal = std::move(b.columns.back());
          b.columns.pop_back();
        }
        CheckNotNull(sink, b);
        writer->Append(b);
        if (returns_rows) {
          b.columns.push_back(std::move(ordinal));
          router->Deliver(sink.exchange_id(), std::move(b));
        }
        break;
      }
      case plan::SINK_UNLOAD:
        unload->Write(b);
        break;
      case plan::SINK_MODIFY_ROUTE:
        RouteModify(sink, keys, b, ctx, router, &round_robin);
        break;
      case plan::SINK_MODIFY:
        CheckNotNull(sink, b, 2);
        modify->Append(b);
        if (returns_rows) {
          // UPDATE / DELETE ... RETURNING: the rows of the kind asked for, each row id once (an
          // UPDATE ... FROM or DELETE ... USING may name a row several times).
          std::vector<uint32_t> sel;
          const Vector& ids = b.columns[0];
          const Vector& flags = b.columns[1];
          for (size_t r = 0; r < b.rows; ++r) {
            bool inserted = !flags.IsNull(r) && flags.data<uint8_t>()[r];
            if (inserted != sink.returning_inserted()) continue;
            if (!ids.IsNull(r) && !returned_ids.insert(ids.data<int64_t>()[r]).second) continue;
            sel.push_back(static_cast<uint32_t>(r));
          }
          if (!sel.empty()) {
            Batch back(b.Types());
            back.AppendSelected(b, sel.data(), sel.size());
            router->Deliver(sink.exchange_id(), std::move(back));
          }
        }
        break;
      default:
        STRATA_INTERNAL_ERROR("unknown sink");
    }
    b = Batch();
  }
  coalescing.Flush();
  if (ctx.announce_end) router->EndExchange(sink.exchange_id());
  if (unload) result.unloaded = unload->Finish();
  sink_step->set_rows(result.rows);
  sink_step->set_micros(std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - stage_start).count());
  for (const auto& s : profile.steps()) result.steps.push_back(s);
  for (const auto& st : scan_stats.stats()) result.scans.push_back(st);
  std::optional<storage::SliceManifest> written;
  if (writer && result.rows > 0) written = writer->Finish();
  if (modify && result.rows > 0) {
    written = modify->Finish();
    result.rows = modify->rows_deleted() + modify->rows_inserted();
    result.rows_deleted = modify->rows_deleted();
    result.rows_inserted = modify->rows_inserted();
    result.rows_merged = modify->rows_merged();
  }
  if (written) {
    const storage::SliceManifest& m = *written;
    result.manifest_id = manifests->Put(m);
    result.wrote = true;
    for (const auto& chain : m.columns()) {
      ColumnValueRange r;
      for (const auto& b : chain.blocks()) {
        if (b.zone().kind() != storage::ZONE_INT64) continue;
        if (!r.has_range) {
          r = {true, b.zone().min_i64(), b.zone().max_i64()};
        } else {
          r.min = std::min(r.min, b.zone().min_i64());
          r.max = std::max(r.max, b.zone().max_i64());
        }
      }
      result.ranges.push_back(r);
    }
  }
  return result;
}

}  // namespace strata
