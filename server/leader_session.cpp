// LeaderSession (leader_session.h), the engine behind one client connection: the wire protocol's
// entry points (Prepare, Execute, RunSimple), transactions (begin, commit, rollback, restart on a
// newer snapshot), and the dispatch of each statement kind to its handler (leader_query.cpp,
// leader_dml.cpp, leader_ddl.cpp, leader_copy.cpp, leader_users.cpp, leader_settings.cpp,
// leader_cursors.cpp, leader_analyze.cpp, leader_vacuum.cpp).
#include "server/metrics.h"
#include "server/leader_session.h"

#include "sql/client_compat.h"

#include <filesystem>
#include <map>

#include "planner/binder.h"
#include "planner/clock_functions.h"
#include "planner/optimizer.h"
#include "planner/expr_builder.h"
#include "planner/physical_planner.h"
#include "planner/sql_functions.h"
#include "planner/table_constraints.h"
#include "sql/error.h"
#include "sql/parser.h"
#include "catalog/table_styles.h"

namespace strata {

namespace {

std::atomic<uint64_t> next_session_id{1};

// An autocommit statement restarts on a newer snapshot at most once per table it locks; this
// bounds the loop should a statement lock more tables than any statement does today.
constexpr int kMaxSnapshotRestarts = 16;

}  // namespace

LeaderSession::LeaderSession(LeaderContext ctx, std::string user, std::string database,
                             std::map<std::string, std::string> startup)
    : ctx_(ctx),
      user_(std::move(user)),
      database_(std::move(database)),
      settings_(startup, user_, ctx_.server_version, UserIsSuperuser(*ctx_.catalog->Current(), user_)),
      session_id_(next_session_id++) {
  authenticated_user_ = user_;
  session_values_.user = user_;
  session_values_.database = database_;
  session_values_.backend_pid = static_cast<int64_t>(session_id_);
  session_values_.temp_schema = StrCat("pg_temp_", session_id_);
  session_values_.settings = &settings_.values();
  session_values_.signal_backend = [this](int64_t pid, bool terminate) { return SignalBackend(pid, terminate); };
  session_values_.table_bytes = [this] { return TableBytes(); };
  session_values_.apply_setting = [this](const std::string& name, const std::string& value) {
    ApplySetting(name, value);
  };
}

LeaderSession::~LeaderSession() {
  if (in_directory_) ctx_.sessions->Unregister(session_values_.backend_pid);
  if (txn_) Rollback();
  DropTemporaryTables();
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
  // Cancel() runs on another session's thread too (pg_cancel_backend, with the SessionDirectory
  // locked), and the reference taken above may be a stream's last: destroying it here would
  // join its thread, which ends by reporting to that same directory, and deadlock. The session's
  // own thread releases them instead.
  std::lock_guard<std::mutex> lock(streams_mu_);
  for (auto& s : live) parked_streams_.push_back(std::move(s));
}

void LeaderSession::ReleaseParkedStreams() {
  std::vector<std::shared_ptr<QueryStream>> release;
  {
    std::lock_guard<std::mutex> lock(streams_mu_);
    release.swap(parked_streams_);
  }
}

std::vector<std::string> LeaderSession::Split(const std::string& sql) { return SplitSql(sql); }

const CatalogVersion& LeaderSession::ReadCatalog() const { return txn_->catalog.Read(); }

void LeaderSession::StampStatementStart() {
  session_values_.statement_start_micros = ClockMicros();
  session_values_.transaction_start_micros = txn_ ? txn_->start_micros : session_values_.statement_start_micros;
}

void LeaderSession::BeginImplicit() {
  if (txn_) return;
  txn_ = std::make_unique<Transaction>();
  txn_->start_micros = ClockMicros();
  if (ctx_.cluster != nullptr) txn_->routing_epoch = ctx_.cluster->routing_epoch();
  CatalogPtr snapshot = ctx_.catalog->Current();
  txn_->catalog.StartFrom(snapshot);
  if (ctx_.snapshots != nullptr) ctx_.snapshots->Register(session_id_, snapshot);
}

void LeaderSession::RestartOnNewSnapshot() {
  // Nothing of the statement's has been written yet (it stops before its first write), so
  // only the snapshot changes; the locks taken stay, and with them the versions just seen.
  CatalogPtr snapshot = ctx_.catalog->Current();
  txn_->catalog.StartFrom(snapshot);
  if (ctx_.snapshots != nullptr) ctx_.snapshots->Register(session_id_, snapshot);
}

void LeaderSession::Commit() {
  if (!txn_) return;
  if (txn_->pending.rows > 0 && !txn_->failed) {
    try {
      FlushInserts();
    } catch (...) {
      Rollback();
      throw;
    }
  }
  std::unique_ptr<Transaction> t = std::move(txn_);
  try {
    if (t->catalog.HasChanges()) ctx_.catalog->Commit(t->catalog.Read(), t->catalog.changes());
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
  Metrics::Get().Commit();
}

void LeaderSession::Rollback() {
  if (txn_) Metrics::Get().Abort();
  txn_.reset();
  cursors_.EndTransaction(false);
  settings_.EndTransaction(false);
  ctx_.locks->ReleaseAll(session_id_);
  if (ctx_.snapshots != nullptr) ctx_.snapshots->Unregister(session_id_);
}

namespace {

// One statement parsed (client queries Strata answers by rewriting are rewritten first), not
// yet bound or described.
std::shared_ptr<ParsedStatement> ParseStatement(const std::string& sql) {
  std::vector<ast::Statement> stmts = ParseSql(RewriteKnownClientQuery(sql));
  if (stmts.size() > 1) throw SqlError(sqlstate::kSyntaxError, "cannot insert multiple commands into a prepared statement");
  auto parsed = std::make_shared<ParsedStatement>();
  if (!stmts.empty()) parsed->stmt = std::move(stmts[0]);
  return parsed;
}

std::shared_ptr<PreparedStatement> Prepared(const std::string& sql, const std::vector<uint32_t>& param_oids,
                                            std::shared_ptr<ParsedStatement> parsed) {
  auto prep = std::make_shared<PreparedStatement>();
  prep->sql = sql;
  prep->param_oids = param_oids;
  prep->engine_state = std::move(parsed);
  return prep;
}

std::shared_ptr<PreparedStatement> ParseOne(const std::string& sql, const std::vector<uint32_t>& param_oids) {
  return Prepared(sql, param_oids, ParseStatement(sql));
}

}  // namespace

std::shared_ptr<ParsedStatement> LeaderSession::ParseCached(const std::string& sql) {
  auto found = parse_cache_.by_text.find(sql);
  if (found != parse_cache_.by_text.end()) return found->second;
  std::shared_ptr<ParsedStatement> parsed = ParseStatement(sql);
  if (sql.size() > ParseCache::kMaxTextBytes) return parsed;
  if (parse_cache_.order.size() >= ParseCache::kEntries) {
    parse_cache_.by_text.erase(parse_cache_.order.front());
    parse_cache_.order.pop_front();
  }
  parse_cache_.by_text.emplace(sql, parsed);
  parse_cache_.order.push_back(sql);
  return parsed;
}

StatementResult LeaderSession::RunSimple(const std::string& sql) { return Execute(*ParseOne(sql, {}), {}); }

// The extended protocol's implicit block around the statements up to a Sync. The client sent
// no BEGIN or COMMIT: neither is a statement of the session's history or activity, and the
// COMMIT's parse is made once per session.
void LeaderSession::BeginImplicitBlock() {
  ReleaseParkedStreams();
  if (txn_ && txn_->explicit_block) return;
  BeginImplicit();
  txn_->explicit_block = true;
}

void LeaderSession::EndImplicitBlock(bool commit) {
  if (TransactionStatus() == 'I') return;
  std::shared_ptr<PreparedStatement>& end = commit ? implicit_commit_ : implicit_rollback_;
  if (!end) end = ParseOne(commit ? "COMMIT" : "ROLLBACK", {});
  ReleaseParkedStreams();
  cancelled_ = false;
  const std::vector<std::optional<std::string>> no_params;
  struct Idle {
    LeaderSession* s;
    ~Idle() {
      if (s->TransactionStatus() != 'I') return;
      s->history_xid_ = 0;
      try {
        s->ReportActivity("idle");
      } catch (...) {
        // (a report that cannot be made leaves the previous state shown)
      }
    }
  } idle{this};
  // A commit that flushes held INSERTs runs under the statement timeout and the client watch.
  RunWithTimeout(*std::static_pointer_cast<ParsedStatement>(end->engine_state), {}, &no_params);
}

bool LeaderSession::RunsOutsideBlocks(const PreparedStatement& stmt) const {
  auto parsed = std::static_pointer_cast<ParsedStatement>(stmt.engine_state);
  if (!parsed) return false;
  const ast::Statement& st = parsed->stmt;
  using K = ast::StatementKind;
  switch (st.kind) {
    case K::kVacuum: case K::kAppend: case K::kResizeCluster: return true;
    case K::kSnapshot: return st.snapshot->action != ast::SnapshotStmt::Action::kRestoreTable;
    case K::kExternal: return !st.external->query_text.empty();  // CREATE EXTERNAL TABLE … AS
    case K::kInsert: {
      // INSERT INTO an external table (an unqualified name as the oldest table of that name: the
      // binder resolves it by the search path later).
      CatalogPtr cat = ctx_.catalog->Current();
      const catalog::Table* t = cat->TableByName(st.insert->schema, st.insert->name);
      return t != nullptr && t->has_external();
    }
    default: return false;
  }
}

std::shared_ptr<PreparedStatement> LeaderSession::Prepare(const std::string& sql, const std::vector<uint32_t>& param_oids) {
  std::shared_ptr<PreparedStatement> prep = Prepared(sql, param_oids, ParseCached(sql));
  auto parsed = std::static_pointer_cast<ParsedStatement>(prep->engine_state);
  const ast::Statement& st = parsed->stmt;
  const bool returning = (st.kind == ast::StatementKind::kUpdate && !st.update->returning.empty()) ||
                         (st.kind == ast::StatementKind::kDelete && !st.del->returning.empty());
  if (st.kind == ast::StatementKind::kSelect || st.kind == ast::StatementKind::kInsert ||
      st.kind == ast::StatementKind::kExplain || st.kind == ast::StatementKind::kDeclareCursor || returning) {
    bool declare = st.kind == ast::StatementKind::kDeclareCursor;  // binds its query for $n types
    // Describing binds against the open transaction's catalog, or else the committed one: it
    // starts no transaction and pins no snapshot.
    CatalogPtr committed = txn_ ? nullptr : ctx_.catalog->Current();
    const CatalogVersion& cat = txn_ ? ReadCatalog() : *committed;
    StampStatementStart();
    // Describing a statement signals no one: only its execution does.
    SessionValues describe_values = session_values_;
    describe_values.signal_backend = nullptr;
    describe_values.apply_setting = nullptr;
    BoundStatement b = Bind(declare ? *st.cursor->query : st, cat, param_oids, nullptr, &describe_values);
    if (!declare) {
      for (const auto& c : b.result) prep->columns.push_back({c.name, c.type});
    }
    prep->returns_rows = (st.kind == ast::StatementKind::kSelect || st.kind == ast::StatementKind::kExplain || !b.result.empty()) &&
                         !declare;
    prep->param_oids.clear();
    for (const auto& t : b.param_types) prep->param_oids.push_back(t.pg_oid());
  } else if (st.kind == ast::StatementKind::kCall) {
    // A CALL describes the row of its OUT and INOUT arguments (server/leader_procedures.cpp).
    CatalogPtr committed = txn_ ? nullptr : ctx_.catalog->Current();
    const CatalogVersion& cat = txn_ ? ReadCatalog() : *committed;
    const ast::FunctionStmt& call = *st.function;
    const catalog::Function& proc = ProcedureForCall(cat, call.schema, call.name, call.call_args.size(), call.location);
    for (const auto& [name, type] : ProcedureResultColumns(proc)) prep->columns.push_back({name, type});
    prep->returns_rows = !prep->columns.empty();
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
  return prep;
}

StatementResult LeaderSession::Execute(const PreparedStatement& stmt, const std::vector<std::optional<std::string>>& params) {
  auto parsed = std::static_pointer_cast<ParsedStatement>(stmt.engine_state);
  ReleaseParkedStreams();
  cancelled_ = false;
  // A user dropped while connected can do nothing more (its session is invalid from then on).
  if (!UserExists(*ctx_.catalog->Current(), user_)) {
    throw SqlError(sqlstate::kInvalidAuthorizationSpecification,
                   StrCat("role \"", user_, "\" does not exist: it was dropped while this session was connected"));
  }
  ReportActivity("active", &stmt.sql);
  StartHistoryRecord(stmt.sql, parsed->stmt);
  StatementResult r;
  try {
    r = RunWithTimeout(*parsed, stmt.param_oids, &params);
  } catch (const SqlError& e) {
    EndHistoryRecord(e.sqlstate(), e.message(), -1);
    ReportActivity(TransactionStatus() == 'I' ? "idle" : "idle in transaction (aborted)");
    throw;
  } catch (...) {
    EndHistoryRecord(sqlstate::kInternalError, "internal error", -1);
    ReportActivity(TransactionStatus() == 'I' ? "idle" : "idle in transaction (aborted)");
    throw;
  }
  EndHistoryRecord("", "", RowsOfTag(r.command_tag));
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
  // Rows an INSERT left pending are written before any other statement can see the table
  // (server/leader_insert_buffer.cpp); COMMIT writes them itself, ROLLBACK drops them.
  if (txn_ && txn_->pending.rows > 0 && !txn_->failed && st.kind != K::kInsert && st.kind != K::kCommit &&
      st.kind != K::kRollback) {
    FlushInserts();
  }
  switch (st.kind) {
    case K::kEmpty: r.command_tag = ""; return r;
    case K::kBegin:
      if (txn_ && txn_->explicit_block) {
        r.notices.push_back("there is already a transaction in progress");
      } else {
        BeginImplicit();
        txn_->explicit_block = true;
        // BEGIN ISOLATION LEVEL x, READ ONLY: for this transaction, as SET TRANSACTION sets them.
        for (const auto& [name, value] : st.set_more) ApplySetting(name, value, /*is_local=*/true);
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
    case K::kPrivilege: return RunPrivilege(*st.privilege);
    case K::kPolicy: return RunPolicy(*st.policy);
    case K::kComment: return RunComment(*st.comment);
    case K::kPrepare: return RunPrepare(st);
    case K::kExecute: return RunExecute(st);
    case K::kDeallocate: return RunDeallocate(st);
    case K::kLock: return RunLock(st);
    case K::kCall: return RunCall(*st.function);
    case K::kSnapshot: return RunSnapshot(*st.snapshot);
    case K::kResizeCluster: return RunResizeCluster(*st.resize);
    case K::kAppend:
      if (txn_ && txn_->explicit_block) {
        throw SqlError(sqlstate::kActiveSqlTransaction, "ALTER TABLE APPEND cannot run inside a transaction block");
      }
      break;
    case K::kVacuum:
      if (txn_ && txn_->explicit_block) {
        throw SqlError(sqlstate::kActiveSqlTransaction, "VACUUM cannot run inside a transaction block");
      }
      {
        StatementResult r = RunVacuum(*st.vacuum);
        if (st.vacuum->analyze) {
          ast::Statement analyze;
          analyze.kind = K::kAnalyze;
          if (!st.vacuum->name.empty()) analyze.analyze_tables.push_back({st.vacuum->schema, st.vacuum->name, st.vacuum->location});
          RunInTransaction(analyze, param_oids, params);
        }
        return r;
      }
    default: break;
  }
  return RunInTransaction(st, param_oids, params);
}

StatementResult LeaderSession::RunInTransaction(const ast::Statement& st, const std::vector<uint32_t>& param_oids,
                                                const std::vector<std::optional<std::string>>* params) {
  CheckWriteAllowed(st);
  StatementTransaction txn(this);
  struct Restartable {
    bool& flag;
    ~Restartable() { flag = false; }
  } restartable{restartable_};
  for (int restarts = 0;; ++restarts) {
    try {
      restartable_ = txn.own();
      return RunBound(st, txn, param_oids, params);
    } catch (const StaleSnapshot&) {
      if (!txn.own() || restarts >= kMaxSnapshotRestarts) {
        Rollback();
        throw SqlError(sqlstate::kSerializationFailure, "could not serialize access due to concurrent update");
      }
      RestartOnNewSnapshot();
    }
  }
}

StatementResult LeaderSession::RunBound(const ast::Statement& st, StatementTransaction& txn, const std::vector<uint32_t>& param_oids,
                                        const std::vector<std::optional<std::string>>* params) {
  using K = ast::StatementKind;
  StatementResult r;
  // A StaleSnapshot leaves to Run, which restarts the statement; the transaction and its locks stay.
  StampStatementStart();
  BoundStatement b = Bind(st, ReadCatalog(), param_oids, params, &session_values_);
  if (st.kind == K::kInsert && txn_ && txn_->pending.rows > 0 && !Bufferable(b)) {
    // Rows held by earlier INSERTs go first, and this statement (which may read them) is bound
    // again on the table as they leave it.
    FlushInserts();
    b = Bind(st, ReadCatalog(), param_oids, params, &session_values_);
  }
  CheckOwnership(st, b);
  Optimize(&b);
  // A slot of the statement's WLM queue, held until it ends (a streamed query takes it along).
  struct HoldSlot {
    std::shared_ptr<Wlm::Slot>& member;
    ~HoldSlot() { member.reset(); }
  } hold{wlm_slot_};
  wlm_slot_ = AdmitToWlm(st, b);
  struct ClearProgress {
    LeaderSession* s;
    ~ClearProgress() {
      s->progress_kind_.clear();
      s->progress_relation_.clear();
      s->progress_bytes_total_ = 0;
    }
  } clear_progress{this};
  SetProgressKind(st, b);
  // WITH RECURSIVE in a statement that writes (INSERT … SELECT, CTAS, DELETE / UPDATE / MERGE
  // reading one): its rows are computed first, held for the statement's plan, then dropped.
  // SELECT does this itself (RunQuery), as cursors and ANALYZE's samples run through it.
  struct ClearRelations {
    std::map<std::string, std::vector<std::shared_ptr<const Batch>>>* m;
    bool active;
    ~ClearRelations() {
      if (active) m->clear();
    }
  } clear{&leader_relations_, !b.recursive_ctes.empty() && st.kind != K::kSelect};
  if (clear.active) ComputeRecursive(b);
  switch (st.kind) {
    case K::kSelect: r = RunCachedSelect(st, b, params); break;
    case K::kInsert: r = RunInsert(b); break;
    case K::kDelete: case K::kUpdate: case K::kMerge: r = RunModify(b); break;
    case K::kAppend: r = RunAppend(b); break;
    case K::kTruncate: r = RunTruncate(st); break;
    case K::kAlterTable: r = RunAlterTable(b, *st.alter); break;
    case K::kCopy:
      if (b.copy.from_stdin) return StartCopyIn(std::move(b), txn.Release());  // commits when the data is in
      r = st.copy->is_from ? RunCopy(b) : RunCopyTo(b);
      break;
    case K::kUnload: r = RunUnload(b); break;
    case K::kAnalyze: r = RunAnalyze(st); break;
    case K::kAnalyzeCompression: r = RunAnalyzeCompression(st); break;
    case K::kExplain: r = RunExplain(b); break;
    case K::kCreateTable: r = RunCreateTable(b, *st.create_table); break;
    case K::kCreateView: r = RunCreateView(b); break;
    case K::kDrop: r = RunDrop(b, *st.drop); break;
    case K::kSchema: r = RunSchema(*st.schema); break;
    case K::kExternal: r = RunExternal(*st.external); break;
    case K::kFunction: r = RunFunction(*st.function); break;
    default:
      throw SqlError(sqlstate::kFeatureNotSupported, "this statement is not supported yet");
  }
  txn.Commit();
  return r;
}

}  // namespace strata
