// The leader's query handlers: SELECT (streamed to the client when it reads no system table),
// EXPLAIN [ANALYZE], and the one path every statement's plan takes to the cluster (RunPlan).
#include "server/external_splits.h"
#include "replication/progress.h"
#include "catalog/slice_map.h"
#include "executor/backend_signal.h"
#include "planner/binder.h"
#include "planner/clock_functions.h"
#include "planner/physical_planner.h"
#include "server/metrics.h"
#include "server/leader_session.h"
#include "server/plan_walk.h"
#include "server/restore.h"
#include "server/system_relations/system_relation_context.h"
#include "sql/error.h"

namespace strata {

StatementResult LeaderSession::RunQuery(const BoundStatement& b, bool stream) {
  struct ClearRelations {
    std::map<std::string, std::vector<std::shared_ptr<const Batch>>>* m;
    ~ClearRelations() { m->clear(); }
  } clear{&leader_relations_};
  if (!b.recursive_ctes.empty()) ComputeRecursive(b);
  PhysicalPlan p = PlanQuery(*b.query, ctx_.cluster->shape());
  StatementResult r;
  r.returns_rows = true;
  for (const auto& c : b.result) r.columns.push_back({c.name, c.type});
  if (stream && p.system_inputs.empty()) {
    r.stream = StartStream(std::move(p));
    r.command_tag = "SELECT";
    return r;
  }
  QueryOutcome out = RunPlan(p, ctx_.cluster->NextQueryId());
  size_t n = 0;
  for (auto& batch : out.rows) {
    n += batch.rows;
    r.batches.push_back(std::move(batch));
  }
  r.command_tag = StrCat("SELECT ", n);
  return r;
}

std::shared_ptr<QueryStream> LeaderSession::StartStream(PhysicalPlan p) {
  if (ctx_.restore_gate != nullptr && !restoring_ && ctx_.restore_gate->active()) WaitForRestoredTables(p);
  QueryStream::Params params;
  params.cluster = ctx_.cluster;
  params.plan = std::move(p);
  params.query_id = ctx_.cluster->NextQueryId();
  params.timeout_ms = settings_.statement_timeout_ms();
  params.query_memory = QueryMemory();
  params.pipelining = settings_.stage_pipelining();
  params.routing_epoch = txn_ ? txn_->routing_epoch : 0;
  params.snapshots = ctx_.snapshots;
  // The blocks the query reads stay live while it runs: those of the committed snapshot, or of
  // the transaction's own working copy when it has written (it may end before the query).
  params.snapshot = txn_->catalog.WroteTables() ? txn_->catalog.Frozen() : txn_->catalog.snapshot();
  session_values_.last_query_id = static_cast<int64_t>(params.query_id);
  if (HasExternalScans(params.plan.plan)) SplitExternalScans(&params.plan, params.query_id);
  {
    ScanLog* scans = ctx_.scan_log;
    StepLog* steps = ctx_.step_log;
    std::string user = user_;
    int64_t started = session_values_.statement_start_micros;
    int64_t qid = static_cast<int64_t>(params.query_id);
    params.on_success = [scans, steps, user, started, qid](const QueryOutcome& out) {
      Metrics::Get().ObserveQuery(out.scans, out.steps);
      if (scans != nullptr && !out.scans.empty()) scans->Add(qid, user, started, out.scans);
      if (steps != nullptr && !out.steps.empty()) steps->Add(qid, user, started, SummarizeSteps(out.steps));
    };
  }
  CaptureForCache(&params);
  if (history_pending_ != nullptr) {
    // The statement's history record ends with the query, after its statement has returned.
    std::shared_ptr<rpc::QueryRecord> record = std::move(history_pending_);
    history_pending_ = nullptr;
    QueryHistory* history = ctx_.history;
    record->set_query(static_cast<int64_t>(params.query_id));
    params.on_end = [record, history](const std::string& state, const std::string& message, int64_t rows) {
      FinishRecord(record.get(), state, message, rows);
      history->Record(*record);
    };
  }
  if (in_directory_) {
    SessionDirectory* dir = ctx_.sessions;
    int64_t pid = session_values_.backend_pid;
    int64_t qid = static_cast<int64_t>(params.query_id);
    bool in_block = txn_ && txn_->explicit_block;
    params.on_finish = [dir, pid, qid, in_block] { dir->QueryEnded(pid, qid, in_block ? "idle in transaction" : "idle"); };
  }
  if (wlm_slot_ != nullptr) {
    // The slot stays taken until the streamed query ends, after its statement has returned.
    std::shared_ptr<Wlm::Slot> slot = wlm_slot_;
    slot->SetQuery(static_cast<int64_t>(params.query_id));
    auto end = std::move(params.on_end);
    std::weak_ptr<Wlm::Slot> reported = slot;  // only on_finish keeps the slot taken
    params.on_end = [reported, end](const std::string& state, const std::string& message, int64_t rows) {
      Wlm::Usage returned;
      returned.rows_returned = rows;
      if (auto s = reported.lock()) s->Report(returned);  // return_row_count rules
      if (end) end(state, message, rows);
    };
    auto success = std::move(params.on_success);
    params.on_success = [reported, success](const QueryOutcome& out) {
      if (auto s = reported.lock()) s->Report(UsageOf(out));
      if (success) success(out);
    };
    auto finish = std::move(params.on_finish);
    params.on_finish = [slot, finish]() mutable {
      if (finish) finish();
      slot.reset();
    };
  }
  auto stream = std::make_shared<QueryStream>(std::move(params));
  {
    std::lock_guard<std::mutex> lock(streams_mu_);
    std::erase_if(streams_, [](const std::weak_ptr<QueryStream>& w) { return w.expired(); });
    streams_.push_back(stream);
  }
  // A cancel that arrived after the statement began but before the stream was listed above
  // found no stream to stop: it left only cancelled_ set, so it is passed on here. (Cancel()
  // sets the flag before it reads the list, so one of the two always sees the other.)
  if (cancelled_.load()) stream->Cancel();
  return stream;
}

StatementResult LeaderSession::RunExplain(const BoundStatement& b) {
  PhysicalPlan p = b.explained_kind == ast::StatementKind::kInsert
                       ? PlanInsert(*b.query, b.table, ctx_.cluster->shape())
                       : PlanQuery(*b.query, ctx_.cluster->shape());
  if (HasExternalScans(p.plan)) p.explain = WithPartitionCounts(p.explain, ExternalPartitionCounts(p.plan, ReadCatalog()));
  if (b.explain_analyze) {
    if (b.explained_kind != ast::StatementKind::kSelect) {
      throw SqlError(sqlstate::kFeatureNotSupported, "EXPLAIN ANALYZE is supported for queries only");
    }
    // Run the query (its rows are dropped) and show what each table scan read, summed over
    // the slices, as stl_scan has it.
    QueryOutcome out = RunPlan(p, ctx_.cluster->NextQueryId());
    size_t result_rows = 0;
    for (const auto& batch : out.rows) result_rows += batch.rows;
    std::map<std::pair<int, int64_t>, plan::ScanStat> per_scan;
    for (const auto& s : out.scans) {
      plan::ScanStat& sum = per_scan[{s.stage(), s.table_id()}];
      sum.set_table_name(s.table_name());
      sum.set_rows(sum.rows() + s.rows());
      sum.set_rows_pre_filter(sum.rows_pre_filter() + s.rows_pre_filter());
      sum.set_blocks_read(sum.blocks_read() + s.blocks_read());
      sum.set_blocks_skipped(sum.blocks_skipped() + s.blocks_skipped());
      sum.set_slice(sum.slice() + 1);  // slices that ran the scan
    }
    p.explain.push_back(StrCat("Actual: ", result_rows, " rows returned"));
    for (const auto& [key, s] : per_scan) {
      p.explain.push_back(StrCat("  Scan on ", s.table_name(), " (segment ", key.first, "): rows=", s.rows(),
                                 " rows_pre_filter=", s.rows_pre_filter(), " blocks_read=", s.blocks_read(),
                                 " blocks_skipped=", s.blocks_skipped(), " slices=", s.slice()));
    }
    // Every step as svl_query_summary has it: rows summed over the slices, the slowest slice's
    // time, the most memory one slice's operator held, the bytes it spilled.
    p.explain.push_back("Steps:");
    for (const auto& s : SummarizeSteps(out.steps)) {
      char ms[32];
      std::snprintf(ms, sizeof ms, "%.3f", static_cast<double>(s.micros()) / 1000.0);
      std::string line = StrCat("  segment ", s.stage(), " step ", s.step(), " ", s.label(), ": rows=", s.rows(), " time=", ms,
                                " ms peak_memory=", FormatMemorySize(s.peak_bytes()));
      if (s.spilled_bytes() > 0) line += StrCat(" spilled=", FormatMemorySize(s.spilled_bytes()), " (disk-based)");
      p.explain.push_back(std::move(line));
    }
  }
  StatementResult r;
  r.returns_rows = true;
  r.columns.push_back({"QUERY PLAN", SqlType::Varchar(-1)});
  Batch batch({SqlType::Varchar(-1)});
  batch.columns[0].Resize(p.explain.size());
  for (size_t i = 0; i < p.explain.size(); ++i) batch.columns[0].SetString(i, p.explain[i]);
  batch.rows = p.explain.size();
  r.batches.push_back(std::move(batch));
  r.command_tag = "EXPLAIN";
  return r;
}

void LeaderSession::SplitExternalScans(PhysicalPlan* p, uint64_t qid) {
  std::vector<rpc::NodeAddress> workers;
  if (settings_.spectrum_enabled()) workers = ctx_.cluster->SpectrumWorkers();
  std::vector<plan::ScanStat> listed = PrepareExternalScans(&p->plan, ReadCatalog(), ctx_.cluster->shape().total_slices(), workers);
  if (ctx_.scan_log != nullptr) {
    ctx_.scan_log->Add(static_cast<int64_t>(qid), user_, session_values_.statement_start_micros, listed);
  }
}

void LeaderSession::WaitForRestoredTables(const PhysicalPlan& p) {
  std::set<int64_t> touched;
  plan::QueryPlan copy = p.plan;
  WalkMessages(&copy, [&](google::protobuf::Message* m) {
    if (m->GetDescriptor() == plan::Scan::descriptor()) touched.insert(static_cast<plan::Scan*>(m)->table_id());
    if (m->GetDescriptor() == plan::Sink::descriptor()) {
      auto* sink = static_cast<plan::Sink*>(m);
      if (sink->table_id() != 0) touched.insert(sink->table_id());
    }
    return true;
  });
  int64_t first = ctx_.restore_gate->FirstPending(touched);
  if (first < 0) return;
  const catalog::Table* t = FindTableById(ReadCatalog(), first);
  std::string name = t != nullptr ? t->name() : StrCat(first);
  if (!restartable_) {
    throw SqlError(sqlstate::kObjectNotInPrerequisiteState,
                   StrCat("relation \"", name, "\" is still being restored from snapshot \"", ctx_.restore_gate->snapshot(), "\""))
        .WithHint("Retry outside a transaction block, or once the restore is complete.");
  }
  std::string why;
  if (!ctx_.restore_gate->Wait(touched, &cancelled_, 0, &why)) {
    if (why == "cancelled") throw SqlError(sqlstate::kQueryCanceled, "canceling statement due to user request");
    throw SqlError(sqlstate::kObjectNotInPrerequisiteState, StrCat("relation \"", name, "\" could not be restored: ", why));
  }
  throw StaleSnapshot();  // the restored rows are in a newer catalog version: run again on it
}

QueryOutcome LeaderSession::RunPlan(const PhysicalPlan& planned, uint64_t qid, LoadTally* tally) {
  if (ctx_.restore_gate != nullptr && !restoring_ && ctx_.restore_gate->active()) WaitForRestoredTables(planned);
  running_query_ = qid;
  session_values_.last_query_id = static_cast<int64_t>(qid);
  if (wlm_slot_ != nullptr) wlm_slot_->SetQuery(static_cast<int64_t>(qid));
  const CatalogVersion& cat = ReadCatalog();
  int64_t started = ClockMicros();
  // External tables: their files are listed, pruned and split now (server/external_splits.h).
  std::optional<PhysicalPlan> with_splits;
  if (HasExternalScans(planned.plan)) {
    with_splits = planned;
    try {
      SplitExternalScans(&*with_splits, qid);
    } catch (...) {
      running_query_ = 0;
      throw;
    }
  }
  const PhysicalPlan& p = with_splits ? *with_splits : planned;
  try {
    // pg_cancel_backend(pid) over rows signals through this session (executor/backend_signal.h).
    ScopedBackendSignal signal(session_values_.signal_backend ? &session_values_.signal_backend : nullptr,
                               session_values_.apply_setting ? &session_values_.apply_setting : nullptr);
    Cluster::RunOptions options;
    options.tally = tally;
    options.query_memory = QueryMemory();
    options.pipelining = settings_.stage_pipelining();
    options.routing_epoch = txn_ ? txn_->routing_epoch : 0;
    options.slice_node = SliceNodesOf(ReadCatalog().meta());  // the slices as this statement's catalog has them
    options.defer_sync = defer_write_sync_;
    std::unique_ptr<ProgressMeter> progress = StartProgress(p, qid, &options);
    QueryOutcome out = ctx_.cluster->Run(
        p, qid, &cancelled_,
        [&](int exchange, const std::string& name, ExchangeInbox* inbox) {
          if (name.starts_with("$")) {  // rows the leader holds for this statement
            auto held = leader_relations_.find(name);
            if (held == leader_relations_.end()) throw SqlError(sqlstate::kFeatureNotSupported, "WITH RECURSIVE is not supported here yet");
            for (const auto& batch : held->second) inbox->Add(exchange, -1, batch);
            return;
          }
          const SystemRelation* rel = FindSystemRelation(name);
          if (rel == nullptr) STRATA_INTERNAL_ERROR("no rows for system table ", name);
          SystemRelationContext reading{cat, ctx_.cluster, ctx_.load_errors, ctx_.scan_log, user_,
                                        UserIsSuperuser(*ctx_.catalog->Current(), user_), ctx_.sessions, ctx_.step_log,
                                        &session_values_, ctx_.snapshot_service, ctx_.history, ctx_.wlm};
          inbox->Add(exchange, -1, std::make_shared<const Batch>(SystemRelationRows(*rel, reading)));
        },
        options);
    running_query_ = 0;
    if (wlm_slot_ != nullptr) wlm_slot_->Report(UsageOf(out));
    Metrics::Get().ObserveQuery(out.scans, out.steps);
    if (ctx_.scan_log != nullptr && !out.scans.empty()) ctx_.scan_log->Add(static_cast<int64_t>(qid), user_, started, out.scans);
    if (ctx_.step_log != nullptr && !out.steps.empty()) ctx_.step_log->Add(static_cast<int64_t>(qid), user_, started, SummarizeSteps(out.steps));
    return out;
  } catch (...) {
    running_query_ = 0;
    throw;
  }
}

}  // namespace strata
