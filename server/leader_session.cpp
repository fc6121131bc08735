#include "server/leader_session.h"

#include "sql/client_compat.h"

#include <filesystem>
#include <map>

#include "planner/binder.h"
#include "planner/clock_functions.h"
#include "planner/optimizer.h"
#include "planner/expr_builder.h"
#include "planner/physical_planner.h"
#include "planner/table_constraints.h"
#include "server/system_table_rows.h"
#include "sql/error.h"
#include "sql/parser.h"
#include "storage/table_styles.h"

namespace strata {

struct ParsedStatement {
  ast::Statement stmt;
};

namespace {

std::atomic<uint64_t> next_session_id{1};

// An autocommit statement restarts on a newer snapshot at most once per table it locks; this
// bounds the loop should a statement lock more tables than any statement does today.
constexpr int kMaxSnapshotRestarts = 16;

// Thrown by LockForWrite in an autocommit statement that reads the table it writes, when the
// table has a committed version newer than the statement's snapshot: the statement was bound
// against stale rows, so it is bound again on a fresh snapshot, with the lock kept.
struct StaleSnapshot {};

// True when `node` (or anything below it) scans table `id`.
bool ScansTable(const LogicalNode& node, int64_t id) {
  if (node.kind == LogicalKind::kScan && node.table.id() == id) return true;
  for (const auto& c : node.children) {
    if (c && ScansTable(*c, id)) return true;
  }
  return false;
}

}  // namespace

LeaderSession::LeaderSession(LeaderContext ctx, std::string user, std::string database,
                             std::map<std::string, std::string> startup)
    : ctx_(ctx),
      user_(std::move(user)),
      database_(std::move(database)),
      settings_(startup, user_, ctx_.server_version, UserIsSuperuser(*ctx_.catalog->Current(), user_)),
      session_id_(next_session_id++) {
  session_values_.user = user_;
  session_values_.database = database_;
  session_values_.backend_pid = static_cast<int64_t>(session_id_);
  session_values_.settings = &settings_.values();
  session_values_.signal_backend = [this](int64_t pid, bool terminate) { return SignalBackend(pid, terminate); };
  session_values_.apply_setting = [this](const std::string& name, const std::string& value) {
    ApplySetting(name, value);
  };
}

LeaderSession::~LeaderSession() {
  if (in_directory_) ctx_.sessions->Unregister(session_values_.backend_pid);
  if (txn_) Rollback();
}

std::vector<std::pair<std::string, std::string>> LeaderSession::InitialParameters() const {
  return settings_.InitialReports();
}

char LeaderSession::TransactionStatus() const {
  if (!txn_ || !txn_->explicit_block) return 'I';
  return txn_->failed ? 'E' : 'T';
}

void LeaderSession::OnError() {
  if (txn_ && txn_->explicit_block) {
    txn_->failed = true;
  } else if (txn_) {
    Rollback();
  }
}

void LeaderSession::Cancel() {
  cancelled_ = true;
  uint64_t q = running_query_.load();
  if (q != 0) ctx_.cluster->Cancel(q);
  std::vector<std::shared_ptr<QueryStream>> live;
  {
    std::lock_guard<std::mutex> lock(streams_mu_);
    for (const auto& w : streams_) {
      if (auto s = w.lock()) live.push_back(std::move(s));
    }
  }
  for (const auto& s : live) s->Cancel();
}

std::vector<std::string> LeaderSession::Split(const std::string& sql) { return SplitSql(sql); }

const catalog::Catalog& LeaderSession::ReadCatalog() const { return *txn_->working; }

void LeaderSession::StampStatementStart() {
  session_values_.statement_start_micros = ClockMicros();
  session_values_.transaction_start_micros = txn_ ? txn_->start_micros : session_values_.statement_start_micros;
}

void LeaderSession::BeginImplicit() {
  if (txn_) return;
  txn_ = std::make_unique<Transaction>();
  txn_->start_micros = ClockMicros();
  CatalogPtr snapshot = ctx_.catalog->Current();
  txn_->working = std::make_unique<catalog::Catalog>(*snapshot);
  txn_->snapshot = snapshot;
  if (ctx_.snapshots != nullptr) ctx_.snapshots->Register(session_id_, snapshot);
}

void LeaderSession::RestartOnNewSnapshot() {
  // Nothing of the statement's has been written yet (it stops before its first write), so
  // only the snapshot changes; the locks taken stay, and with them the versions just seen.
  CatalogPtr snapshot = ctx_.catalog->Current();
  txn_->working = std::make_unique<catalog::Catalog>(*snapshot);
  txn_->snapshot = snapshot;
  txn_->changes = CatalogChanges();
  if (ctx_.snapshots != nullptr) ctx_.snapshots->Register(session_id_, snapshot);
}

void LeaderSession::Commit() {
  if (!txn_) return;
  std::unique_ptr<Transaction> t = std::move(txn_);
  try {
    if (!t->changes.created.empty() || !t->changes.dropped.empty() || !t->changes.written.empty() ||
        !t->changes.users.empty()) {
      ctx_.catalog->Commit(*t->working, t->changes);
    }
  } catch (...) {
    ctx_.locks->ReleaseAll(session_id_);
    if (ctx_.snapshots != nullptr) ctx_.snapshots->Unregister(session_id_);
    cursors_.EndTransaction(false);
    settings_.EndTransaction(false);
    throw;
  }
  ctx_.locks->ReleaseAll(session_id_);
  if (ctx_.snapshots != nullptr) ctx_.snapshots->Unregister(session_id_);
  cursors_.EndTransaction(true);
  settings_.EndTransaction(true);
}

void LeaderSession::Rollback() {
  txn_.reset();
  cursors_.EndTransaction(false);
  settings_.EndTransaction(false);
  ctx_.locks->ReleaseAll(session_id_);
  if (ctx_.snapshots != nullptr) ctx_.snapshots->Unregister(session_id_);
}

std::shared_ptr<PreparedStatement> LeaderSession::Prepare(const std::string& sql, const std::vector<uint32_t>& param_oids) {
  std::vector<ast::Statement> stmts = ParseSql(RewriteKnownClientQuery(sql));
  if (stmts.size() > 1) throw SqlError(sqlstate::kSyntaxError, "cannot insert multiple commands into a prepared statement");
  auto parsed = std::make_shared<ParsedStatement>();
  if (!stmts.empty()) parsed->stmt = std::move(stmts[0]);
  auto prep = std::make_shared<PreparedStatement>();
  prep->sql = sql;
  prep->param_oids = param_oids;
  const ast::Statement& st = parsed->stmt;
  if (st.kind == ast::StatementKind::kSelect || st.kind == ast::StatementKind::kInsert ||
      st.kind == ast::StatementKind::kExplain || st.kind == ast::StatementKind::kDeclareCursor) {
    bool had_txn = txn_ != nullptr;
    bool declare = st.kind == ast::StatementKind::kDeclareCursor;  // binds its query for $n types
    BeginImplicit();
    try {
      StampStatementStart();
      // Describing a statement signals no one: only its execution does.
      SessionValues describe_values = session_values_;
      describe_values.signal_backend = nullptr;
      describe_values.apply_setting = nullptr;
      BoundStatement b = Bind(declare ? *st.cursor->query : st, ReadCatalog(), param_oids, nullptr, &describe_values);
      if (!declare) {
        for (const auto& c : b.result) prep->columns.push_back({c.name, c.type});
      }
      prep->returns_rows = st.kind != ast::StatementKind::kInsert && !declare;
      prep->param_oids.clear();
      for (const auto& t : b.param_types) prep->param_oids.push_back(t.pg_oid());
    } catch (...) {
      if (!had_txn) txn_.reset();
      throw;
    }
    if (!had_txn) txn_.reset();
  } else if (st.kind == ast::StatementKind::kShow) {
    prep->returns_rows = true;
    if (st.set_name == "all") {
      for (const char* name : {"name", "setting", "description"}) prep->columns.push_back({name, SqlType::Text()});
    } else {
      prep->columns.push_back({settings_.Show(st.set_name).first, SqlType::Text()});
    }
  } else if (st.kind == ast::StatementKind::kFetch && !st.cursor->move) {
    // Describe reports the cursor's columns when it exists by now (it is usually declared
    // by an earlier statement of the same transaction).
    if (const std::vector<ColumnDesc>* columns = CursorColumns(st.cursor->name)) {
      prep->returns_rows = true;
      prep->columns = *columns;
    }
  }
  prep->engine_state = parsed;
  return prep;
}

StatementResult LeaderSession::Execute(const PreparedStatement& stmt, const std::vector<std::optional<std::string>>& params) {
  auto parsed = std::static_pointer_cast<ParsedStatement>(stmt.engine_state);
  cancelled_ = false;
  // A user dropped while connected can do nothing more (its session is invalid from then on).
  if (!UserExists(*ctx_.catalog->Current(), user_)) {
    throw SqlError(sqlstate::kInvalidAuthorizationSpecification,
                   StrCat("role \"", user_, "\" does not exist: it was dropped while this session was connected"));
  }
  ReportActivity("active", &stmt.sql);
  StatementResult r;
  try {
    r = RunWithTimeout(*parsed, stmt.param_oids, &params);
  } catch (...) {
    ReportActivity(TransactionStatus() == 'I' ? "idle" : "idle in transaction (aborted)");
    throw;
  }
  std::string idle = TransactionStatus() == 'I' ? "idle" : TransactionStatus() == 'T' ? "idle in transaction"
                                                                                        : "idle in transaction (aborted)";
  // A streaming query is still running: the session stays active until it ends.
  ReportActivity(r.stream ? "active" : idle);
  if (auto* qs = dynamic_cast<QueryStream*>(r.stream.get()); qs != nullptr && in_directory_) {
    if (qs->finished()) ctx_.sessions->QueryEnded(session_values_.backend_pid, static_cast<int64_t>(qs->query_id()), idle);
  }
  for (auto& report : settings_.TakeReports()) r.parameter_status.push_back(std::move(report));
  return r;
}

StatementResult LeaderSession::Run(const ParsedStatement& parsed, const std::vector<uint32_t>& param_oids,
                                   const std::vector<std::optional<std::string>>* params) {
  const ast::Statement& st = parsed.stmt;
  StatementResult r;
  using K = ast::StatementKind;
  if (txn_ && txn_->failed && st.kind != K::kCommit && st.kind != K::kRollback) {
    throw SqlError(sqlstate::kInFailedSqlTransaction,
                   "current transaction is aborted, commands ignored until end of transaction block");
  }
  switch (st.kind) {
    case K::kEmpty: r.command_tag = ""; return r;
    case K::kBegin:
      if (txn_ && txn_->explicit_block) {
        r.notices.push_back("there is already a transaction in progress");
      } else {
        BeginImplicit();
        txn_->explicit_block = true;
      }
      r.command_tag = "BEGIN";
      return r;
    case K::kCommit:
      if (!txn_ || !txn_->explicit_block) {
        r.notices.push_back("there is no transaction in progress");
        r.command_tag = "COMMIT";
        return r;
      }
      if (txn_->failed) {
        Rollback();
        r.command_tag = "ROLLBACK";
        return r;
      }
      Commit();
      r.command_tag = "COMMIT";
      return r;
    case K::kRollback:
      if (!txn_ || !txn_->explicit_block) r.notices.push_back("there is no transaction in progress");
      Rollback();
      r.command_tag = "ROLLBACK";
      return r;
    case K::kSet: return RunSet(st);
    case K::kShow: return RunShow(st);
    case K::kDeclareCursor: return RunDeclareCursor(*st.cursor, param_oids, params);
    case K::kFetch: return RunFetch(*st.cursor);
    case K::kCloseCursor: return RunCloseCursor(*st.cursor);
    case K::kUser: return RunUser(*st.user);
    case K::kComment: return RunComment(*st.comment);
    case K::kVacuum:
      if (txn_ && txn_->explicit_block) {
        throw SqlError(sqlstate::kActiveSqlTransaction, "VACUUM cannot run inside a transaction block");
      }
      return RunVacuum(*st.vacuum);
    default: break;
  }
  bool implicit = !txn_;
  BeginImplicit();
  for (int restarts = 0;; ++restarts) {
    try {
      return RunBound(st, implicit, param_oids, params);
    } catch (const StaleSnapshot&) {
      if (!implicit || restarts >= kMaxSnapshotRestarts) {
        Rollback();
        throw SqlError(sqlstate::kSerializationFailure, "could not serialize access due to concurrent update");
      }
      RestartOnNewSnapshot();
    }
  }
}

StatementResult LeaderSession::RunBound(const ast::Statement& st, bool implicit, const std::vector<uint32_t>& param_oids,
                                        const std::vector<std::optional<std::string>>* params) {
  using K = ast::StatementKind;
  StatementResult r;
  try {
    StampStatementStart();
    BoundStatement b = Bind(st, ReadCatalog(), param_oids, params, &session_values_);
    Optimize(&b);
    switch (st.kind) {
      case K::kSelect: r = RunQuery(b, /*stream=*/true); break;
      case K::kInsert: r = RunInsert(b); break;
      case K::kDelete: r = RunModify(b, false); break;
      case K::kUpdate: r = RunModify(b, true); break;
      case K::kTruncate: r = RunTruncate(st); break;
      case K::kAlterTable: r = RunAlterTable(b, *st.alter); break;
      case K::kCopy:
        if (b.copy.from_stdin) return StartCopyIn(std::move(b), implicit);  // commits when the data is in
        r = st.copy->is_from ? RunCopy(b) : RunCopyTo(b);
        break;
      case K::kUnload: r = RunUnload(b); break;
      case K::kAnalyze: r = RunAnalyze(st); break;
      case K::kAnalyzeCompression: r = RunAnalyzeCompression(st); break;
      case K::kExplain: r = RunExplain(b); break;
      case K::kCreateTable: {
        r.command_tag = "CREATE TABLE";
        if (b.table.name().empty()) {
          r.notices.push_back(StrCat("relation \"", st.create_table->name, "\" already exists, skipping"));
          break;
        }
        if (b.create_as) {
          r = RunCreateTableAs(b);
          break;
        }
        b.table.set_id(ctx_.catalog->NextTableId());
        ResolveSelfReferences(&b.table);
        *txn_->working->add_tables() = b.table;
        txn_->changes.created.insert(b.table.id());
        break;
      }
      case K::kCreateView: {
        r.command_tag = "CREATE VIEW";
        for (int64_t id : b.drop_ids) {  // CREATE OR REPLACE
          auto* tables = txn_->working->mutable_tables();
          for (int i = 0; i < tables->size(); ++i) {
            if (tables->Get(i).id() == id) { tables->DeleteSubrange(i, 1); break; }
          }
          if (txn_->changes.created.erase(id) == 0) txn_->changes.dropped.insert(id);
        }
        b.table.set_id(ctx_.catalog->NextTableId());
        *txn_->working->add_tables() = b.table;
        txn_->changes.created.insert(b.table.id());
        break;
      }
      case K::kDrop: {
        bool view = st.drop->kind == ast::DropStmt::Kind::kView;
        r.command_tag = view ? "DROP VIEW" : "DROP TABLE";
        for (const auto& n : b.drop_missing) {
          r.notices.push_back(StrCat(view ? "view" : "table", " \"", n, "\" does not exist, skipping"));
        }
        for (int64_t id : b.drop_ids) {
          AcquireTableLock(id);
          auto* tables = txn_->working->mutable_tables();
          for (int i = 0; i < tables->size(); ++i) {
            if (tables->Get(i).id() == id) { tables->DeleteSubrange(i, 1); break; }
          }
          if (txn_->changes.created.erase(id) == 0) txn_->changes.dropped.insert(id);
          txn_->changes.written.erase(id);
        }
        break;
      }
      default:
        throw SqlError(sqlstate::kFeatureNotSupported, "this statement is not supported yet");
    }
  } catch (const StaleSnapshot&) {
    throw;  // Run restarts the statement; the transaction and its locks stay
  } catch (...) {
    if (implicit) Rollback();
    throw;
  }
  if (implicit) Commit();
  return r;
}

StatementResult LeaderSession::RunQuery(const BoundStatement& b, bool stream) {
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
  QueryStream::Params params;
  params.cluster = ctx_.cluster;
  params.plan = std::move(p);
  params.query_id = ctx_.cluster->NextQueryId();
  params.timeout_ms = settings_.statement_timeout_ms();
  params.query_memory = settings_.query_memory_bytes();
  params.pipelining = settings_.stage_pipelining();
  params.snapshots = ctx_.snapshots;
  // The blocks the query reads stay live while it runs: those of the committed snapshot, or of
  // the transaction's own working copy when it has written (it may end before the query).
  bool wrote = !txn_->changes.written.empty() || !txn_->changes.created.empty();
  params.snapshot = wrote ? std::make_shared<const catalog::Catalog>(*txn_->working) : txn_->snapshot;
  session_values_.last_query_id = static_cast<int64_t>(params.query_id);
  {
    ScanLog* scans = ctx_.scan_log;
    StepLog* steps = ctx_.step_log;
    std::string user = user_;
    int64_t started = session_values_.statement_start_micros;
    int64_t qid = static_cast<int64_t>(params.query_id);
    params.on_success = [scans, steps, user, started, qid](const QueryOutcome& out) {
      if (scans != nullptr && !out.scans.empty()) scans->Add(qid, user, started, out.scans);
      if (steps != nullptr && !out.steps.empty()) steps->Add(qid, user, started, SummarizeSteps(out.steps));
    };
  }
  if (in_directory_) {
    SessionDirectory* dir = ctx_.sessions;
    int64_t pid = session_values_.backend_pid;
    int64_t qid = static_cast<int64_t>(params.query_id);
    bool in_block = txn_ && txn_->explicit_block;
    params.on_finish = [dir, pid, qid, in_block] { dir->QueryEnded(pid, qid, in_block ? "idle in transaction" : "idle"); };
  }
  auto stream = std::make_shared<QueryStream>(std::move(params));
  std::lock_guard<std::mutex> lock(streams_mu_);
  std::erase_if(streams_, [](const std::weak_ptr<QueryStream>& w) { return w.expired(); });
  streams_.push_back(stream);
  return stream;
}

StatementResult LeaderSession::RunInsert(BoundStatement& b) {
  int64_t id = b.table.id();
  // INSERT … SELECT from the table itself reads what it writes.
  catalog::Table* t = LockForWrite(id, b.table.name(), /*reads_table=*/b.query && ScansTable(*b.query, id));
  PhysicalPlan p = PlanInsert(*b.query, *t, ctx_.cluster->shape());
  QueryOutcome out = RunPlan(p, ctx_.cluster->NextQueryId());
  StatementResult r;
  r.command_tag = StrCat("INSERT 0 ", ApplyWrites(t, out));
  return r;
}

void LeaderSession::PublishSliceVersions(catalog::Table* t, const QueryOutcome& out) {
  for (const auto& [slice, manifest] : out.written) (*t->mutable_manifest_by_slice())[slice] = manifest;
  // Value ranges only grow with appends: merge them into the table's statistics.
  for (int c = 0; c < t->columns_size() && c < static_cast<int>(out.ranges.size()); ++c) {
    const auto& r = out.ranges[c];
    if (r.has_range()) WidenValueRange(t->mutable_columns(c), r.min(), r.max());
  }
}

int64_t LeaderSession::CopiesOf(const catalog::Table& t) const {
  // DISTSTYLE ALL keeps a copy per node: rows the nodes report are counted once.
  return DistStyleOf(t) == DistStyle::kAll ? std::max(1, ctx_.cluster->shape().compute_nodes) : 1;
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
  bool first_write = txn_->changes.written.count(id) == 0 && txn_->changes.created.count(id) == 0;
  AcquireTableLock(id);
  catalog::Table* t = FindMutableTableById(txn_->working.get(), id);
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
    *t = *committed;
  }
  if (!txn_->changes.written.count(id) && !txn_->changes.created.count(id)) txn_->changes.written[id] = t->version();
  return t;
}

StatementResult LeaderSession::RunExplain(const BoundStatement& b) {
  PhysicalPlan p = b.explained_kind == ast::StatementKind::kInsert
                       ? PlanInsert(*b.query, b.table, ctx_.cluster->shape())
                       : PlanQuery(*b.query, ctx_.cluster->shape());
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

}  // namespace strata
