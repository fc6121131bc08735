// One client session on the leader: the SqlSession the wire protocol drives. It parses, binds
// and plans statements, runs them on the cluster, and keeps the transaction state: a working
// copy of the catalog (the transaction's snapshot plus its own changes), the tables it has
// written (and holds write locks on), and whether a block has failed.
#pragma once

#include <atomic>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>

#include "server/cluster.h"
#include "server/client_watch.h"
#include "server/cursor_set.h"
#include "server/query_stream.h"
#include "server/session_directory.h"
#include "server/session_settings.h"
#include "server/statement_timer.h"
#include "sql/ast.h"
#include "planner/session_values.h"
#include "server/stl_log.h"
#include "server/query_history.h"
#include "server/result_cache.h"
#include "server/wlm.h"
#include "server/snapshot_registry.h"
#include "server/pgwire/sql_session.h"
#include "server/table_locks.h"
#include "catalog/catalog_privileges.h"
#include "catalog/catalog_transaction.h"

namespace strata {

// A statement as parsed, ready to bind and run (the engine state of a PreparedStatement).
struct ParsedStatement {
  ast::Statement stmt;
};

// The bootstrap superuser: implicit (never stored in the catalog), id 1; its password, if any,
// is the leader's --password, held in memory only.
inline constexpr char kBootstrapUser[] = "strata";

// What the leader's authenticator reads from the committed catalog at connect time
// (server/leader_users.cpp): a user's stored password (nullopt for an unknown user or one without
// a password), and whether any user has a password (then every connection must authenticate).
std::optional<std::string> StoredPasswordOf(const CatalogVersion& c, const std::string& user);
bool AnyUserHasPassword(const CatalogVersion& c);
// Whether `user` exists (the bootstrap user always does) and whether it is a superuser.
bool UserExists(const CatalogVersion& c, const std::string& user);
// Stamps a history record's end (now), status and rows (server/leader_history.cpp).
void FinishRecord(rpc::QueryRecord* r, const std::string& sqlstate, const std::string& message, int64_t rows);
// The rows a command tag reports ("SELECT 5", "INSERT 0 3" ...), -1 when it reports none.
int64_t RowsOfTag(const std::string& tag);
bool UserIsSuperuser(const catalog::Catalog& meta, const std::string& user);
// A result of text columns (SHOW, CRAWL): rows[r][c] for c < ncolumns.
Batch TextRows(const std::vector<std::vector<std::string>>& rows, size_t ncolumns);
inline bool UserIsSuperuser(const CatalogVersion& c, const std::string& user) { return UserIsSuperuser(c.meta(), user); }

// The rows (as text) and command tag of one SQL statement a procedure ran.
struct ProcedureRows {
  std::vector<ColumnDesc> columns;
  std::vector<std::vector<std::optional<std::string>>> rows;
  std::string command_tag;
};

class SnapshotService;
class RestoreGate;
class ResizeManager;

struct LeaderContext {
  CatalogStore* catalog = nullptr;
  Cluster* cluster = nullptr;
  TableLocks* locks = nullptr;
  LoadErrorStore* load_errors = nullptr;
  ScanLog* scan_log = nullptr;
  StepLog* step_log = nullptr;           // svl_query_summary
  QueryHistory* history = nullptr;       // stl_query, svl_qlog, sys_query_history ...
  ResultCache* result_cache = nullptr;   // SELECT results on unchanged data
  Wlm* wlm = nullptr;                    // queues and slots (server/wlm.h)
  int64_t node_memory_bytes = 0;         // a node's memory budget: WLM memory shares are of it
  SnapshotRegistry* snapshots = nullptr;
  SessionDirectory* sessions = nullptr;  // pg_stat_activity, pg_cancel_backend
  SnapshotService* snapshot_service = nullptr;  // CREATE / DROP SNAPSHOT, svv_snapshots
  RestoreGate* restore_gate = nullptr;          // tables a running restore has yet to fill
  ResizeManager* resize = nullptr;              // RESIZE CLUSTER (server/resize.h)
  std::string server_version = "15.0 (Strata 0.1)";
};

class LeaderSession : public SqlSession {
 public:
  LeaderSession(LeaderContext ctx, std::string user, std::string database,
                std::map<std::string, std::string> startup);
  ~LeaderSession() override;

  std::vector<std::string> Split(const std::string& sql) override;
  std::shared_ptr<PreparedStatement> Prepare(const std::string& sql, const std::vector<uint32_t>& param_oids) override;
  StatementResult Execute(const PreparedStatement& stmt, const std::vector<std::optional<std::string>>& params) override;
  // Parses and runs: the statement is bound once, by its run (Prepare binds to describe).
  StatementResult RunSimple(const std::string& sql) override;
  // A restore's step (server/restore.h): fills the empty table `target_id` with `source`'s rows
  // from the snapshot store at `location`, in a transaction of its own; returns the rows.
  int64_t RestoreTableRows(int64_t target_id, const catalog::Table& source, int source_slices_per_node,
                           const std::string& location);
  void BeginImplicitBlock() override;
  void EndImplicitBlock(bool commit) override;
  bool RunsOutsideBlocks(const PreparedStatement& stmt) const override;
  char TransactionStatus() const override;
  void OnError() override;
  void Cancel() override;
  std::vector<std::pair<std::string, std::string>> InitialParameters() const override;
  // Registers the session in the SessionDirectory under its pid.
  void SetBackendPid(int32_t pid) override;
  void SetTerminateHook(std::function<void()> terminate) override { terminate_hook_ = std::move(terminate); }
  void SetClientCheck(std::function<bool()> client_gone) override;
  int64_t CurrentQueryId() const override { return session_values_.last_query_id; }
  // SET name = value for this session (SET LOCAL when `is_local`), as SET and set_config() do:
  // checks and normalises the value, undoes it if the transaction block rolls back, and owes
  // the client a ParameterStatus if it is a reported setting (server/leader_settings.cpp).
  // Throws SqlError 42704 / 22023 / 55P02.
  void ApplySetting(const std::string& name, const std::string& value, bool is_local = false);

 private:
  // Parsed once (EndImplicitBlock).
  std::shared_ptr<PreparedStatement> implicit_commit_, implicit_rollback_;
  // The statements the session parsed last, by text: a client that sends the same text again
  // (an unnamed statement parsed before every execution, as pgbench and many drivers do) gets
  // the parse it had. A parse depends on the text alone, and nothing changes one once made.
  struct ParseCache {
    static constexpr size_t kEntries = 64;
    static constexpr size_t kMaxTextBytes = 16 * 1024;  // longer texts are not kept
    std::unordered_map<std::string, std::shared_ptr<ParsedStatement>> by_text;
    std::deque<std::string> order;  // oldest first
  } parse_cache_;
  std::shared_ptr<ParsedStatement> ParseCached(const std::string& sql);
  // Thrown by LockForWrite in an autocommit statement that reads the table it writes, when the
  // table has a committed version newer than the statement's snapshot: the statement was bound
  // against stale rows, so Run binds it again on a fresh snapshot, with the lock kept.
  struct StaleSnapshot {};
  struct Transaction {
    CatalogTransaction catalog;  // what it sees and what it changed (catalog/catalog_transaction.h)
    bool explicit_block = false;
    bool failed = false;
    int64_t start_micros = 0;  // for now() / sysdate: microseconds since 2000-01-01 UTC
    uint64_t routing_epoch = 0;  // Cluster::routing_epoch() when it began (RunOptions)
    // INSERT … VALUES rows held on the leader until the block's next other statement or its
    // COMMIT (server/leader_insert_buffer.cpp).
    struct PendingInserts {
      int64_t table_id = 0;
      std::string table_name;
      std::vector<std::shared_ptr<Batch>> batches;  // the table's columns; the last one still grows
      int64_t rows = 0;
      size_t bytes = 0;
    };
    PendingInserts pending;
  };
  // Stamps session_values_ with the statement's start (now) and its transaction's start.
  void StampStatementStart();
  const CatalogVersion& ReadCatalog() const;
  // The transaction one statement runs in, as one object: the open block's, or, when no block
  // is open, one of the statement's own, which Commit() commits and which rolls back when the
  // statement leaves without committing (it threw). Release() hands an own transaction to
  // whoever ends it later (COPY FROM STDIN commits once the client's data is in).
  class StatementTransaction {
   public:
    explicit StatementTransaction(LeaderSession* session) : session_(session), own_(!session->txn_) {
      session_->BeginImplicit();
    }
    ~StatementTransaction() {
      if (own_ && !ended_ && session_->txn_) session_->Rollback();
    }
    StatementTransaction(const StatementTransaction&) = delete;
    StatementTransaction& operator=(const StatementTransaction&) = delete;
    bool own() const { return own_; }
    void Commit() {
      ended_ = true;
      if (own_) session_->Commit();
    }
    // True when the transaction was the statement's own (the caller now ends it).
    bool Release() {
      ended_ = true;
      return own_;
    }

   private:
    LeaderSession* session_;
    bool own_;
    bool ended_ = false;
  };
  // Runs body() (which fills a StatementResult) in a StatementTransaction.
  template <typename Body>
  StatementResult InTransaction(Body body) {
    StatementTransaction txn(this);
    StatementResult r;
    body(r);
    txn.Commit();
    return r;
  }
  void BeginImplicit();
  void Commit();
  void Rollback();
  // Dispatch (server/leader_session.cpp): Run handles the statements that need no binding
  // (transaction control, SET/SHOW, cursors, users, VACUUM) and hands the rest to RunBound,
  // which binds once, optimizes, and calls the statement kind's handler below.
  StatementResult Run(const struct ParsedStatement& parsed, const std::vector<uint32_t>& param_oids,
                      const std::vector<std::optional<std::string>>* params);
  // 25006 when `st` writes and the transaction is READ ONLY (SET TRANSACTION READ ONLY, BEGIN
  // READ ONLY, default_transaction_read_only).
  void CheckWriteAllowed(const ast::Statement& st) const;
  // LOCK [TABLE] t IN mode MODE (server/leader_lock.cpp).
  StatementResult RunLock(const ast::Statement& st);
  bool ReadOnlyTransaction() const;
  // The bytes of each table's blocks on the compute nodes, by table id (pg_table_size).
  std::map<int64_t, int64_t> TableBytes();
  // A statement that reads or writes the catalog or tables, in its own transaction or the open one.
  StatementResult RunInTransaction(const ast::Statement& st, const std::vector<uint32_t>& param_oids,
                                   const std::vector<std::optional<std::string>>* params);
  StatementResult RunBound(const ast::Statement& st, StatementTransaction& txn, const std::vector<uint32_t>& param_oids,
                           const std::vector<std::optional<std::string>>* params);
  // An autocommit statement found a table it reads and writes newer than its snapshot: take a
  // new snapshot, keeping the locks.
  void RestartOnNewSnapshot();
  // Runs a statement under statement_timeout: a statement still running when it expires is
  // cancelled and fails with 57014 "canceling statement due to statement timeout".
  StatementResult RunWithTimeout(const struct ParsedStatement& parsed, const std::vector<uint32_t>& param_oids,
                                 const std::vector<std::optional<std::string>>* params);

  // SELECT and EXPLAIN (server/leader_query.cpp). A query's rows: with `stream` they reach the
  // client while the query runs (a QueryStream; plans that read system tables still run to the
  // end first); without, all are gathered here.
  StatementResult RunQuery(const struct BoundStatement& b, bool stream = false);
  // SQL-level PREPARE / EXECUTE / DEALLOCATE (server/leader_prepared.cpp).
  StatementResult RunPrepare(const ast::Statement& st);
  StatementResult RunExecute(const ast::Statement& st);
  StatementResult RunDeallocate(const ast::Statement& st);
  // Starts a plan as a QueryStream that outlives the statement (and its transaction).
  std::shared_ptr<QueryStream> StartStream(struct PhysicalPlan p);
  StatementResult RunExplain(const struct BoundStatement& b);
  // The one path from a plan to the cluster: runs it with the session's cancellation and
  // system tables; records load errors.
  QueryOutcome RunPlan(const struct PhysicalPlan& p, uint64_t qid, LoadTally* tally = nullptr);
  // While one lives, the plans RunPlan runs write without the nodes' own log sync
  // (Cluster::RunOptions::defer_sync): for writes that only a commit publishes, whose push to
  // the mirrors syncs the nodes' logs first (FailoverManager::BeforeCommit, ComputeNode::PushObjects).
  bool defer_write_sync_ = false;
  struct DeferWriteSync {
    LeaderSession* s;
    bool was;
    explicit DeferWriteSync(LeaderSession* session) : s(session), was(session->defer_write_sync_) { s->defer_write_sync_ = true; }
    ~DeferWriteSync() { s->defer_write_sync_ = was; }
  };
  // While a restore runs (server/restore.h): when `p` reads or writes a table not restored yet,
  // waits for it and restarts the statement (StaleSnapshot), or in an explicit transaction
  // fails with 55000.
  void WaitForRestoredTables(const struct PhysicalPlan& p);
  // WITH RECURSIVE (server/leader_recursive.cpp): computes each of b's recursive queries, round
  // by round, into leader_relations_, where the statement's plan reads them.
  void ComputeRecursive(const struct BoundStatement& b);

  // INSERT, DELETE, UPDATE and the write path (server/leader_dml.cpp).
  StatementResult RunInsert(struct BoundStatement& b);
  // Insert buffering (server/leader_insert_buffer.cpp). Takes the rows of an INSERT that
  // computes them without reading a table, inside a transaction block, onto the block's pending
  // rows; false (nothing done) for any other INSERT.
  bool BufferInsert(struct BoundStatement& b, StatementResult* r);
  bool Bufferable(const struct BoundStatement& b) const;
  // Writes the pending rows, as one INSERT; nothing when there are none.
  void FlushInserts();
  StatementResult RunModify(struct BoundStatement& b);  // DELETE, UPDATE, MERGE
  StatementResult RunAppend(struct BoundStatement& b);  // ALTER TABLE APPEND (leader_append.cpp)
  // Waits for the table's write lock under lock_timeout, statement_timeout and cancel.
  void AcquireTableLock(int64_t id);
  // Takes the table's write lock for this transaction and, on its first write, rebases the
  // working copy on the newest committed version; records the write for commit.
  // `reads_table`: the statement reads the table it changes (DELETE, UPDATE, INSERT … SELECT
  // from itself). If the snapshot no longer shows the table's newest version, an autocommit
  // statement is restarted on a new snapshot (Run), and in an explicit transaction that would
  // break serializability, so it fails with 40001 instead.
  catalog::Table* LockForWrite(int64_t id, const std::string& name, bool reads_table = false);
  // Publishes a write plan's new slice versions into the working table; returns rows added.
  int64_t ApplyWrites(catalog::Table* t, const QueryOutcome& out);
  // The new manifests and widened value ranges of a write plan, into the working table.
  void PublishSliceVersions(catalog::Table* t, const QueryOutcome& out);
  // How many copies of each row the nodes hold (a copy per node for DISTSTYLE ALL).
  int64_t CopiesOf(const catalog::Table& t) const;

  // DDL (server/leader_ddl.cpp).
  StatementResult RunCreateTable(struct BoundStatement& b, const ast::CreateTableStmt& ct);
  StatementResult RunCreateTableAs(struct BoundStatement& b);
  StatementResult RunCreateView(struct BoundStatement& b);
  StatementResult RunDrop(const struct BoundStatement& b, const ast::DropStmt& d);
  // CREATE / ALTER / DROP SCHEMA (server/leader_schemas.cpp).
  StatementResult RunSchema(const ast::SchemaStmt& s);
  StatementResult RunDropSchema(const ast::DropStmt& d);
  // The external catalog (Spectrum): server/leader_external.cpp.
  StatementResult RunExternal(const ast::ExternalStmt& e);
  // Snapshots (server/leader_snapshots.cpp): CREATE / DROP SNAPSHOT, RESTORE TABLE.
  StatementResult RunSnapshot(const ast::SnapshotStmt& s);
  // RESIZE CLUSTER TO n (server/leader_resize.cpp).
  StatementResult RunResizeCluster(const ast::ResizeClusterStmt& s);
  // Loads the rows `source` had in the snapshot store at `location` (its manifests) into the
  // table `target_id` of this transaction, distributed and sorted as the target says;
  // `source_slices_per_node` is the snapshot cluster's (a DISTSTYLE ALL table: node 0's copy).
  int64_t LoadSnapshotRows(int64_t target_id, const catalog::Table& source, int source_slices_per_node,
                           const std::string& location);
  // Lists, prunes and splits the plan's external scans (server/external_splits.h) for query `qid`.
  void SplitExternalScans(struct PhysicalPlan* p, uint64_t qid);
  StatementResult CreateExternalTable(const ast::ExternalStmt& e);
  StatementResult CreateExternalTableAs(const ast::ExternalStmt& e);
  catalog::Table ExternalTableEntry(const ast::ExternalStmt& e, const std::vector<std::pair<std::string, SqlType>>& data,
                                    const std::vector<std::pair<std::string, SqlType>>& partitions);
  StatementResult RunCrawl(const ast::ExternalStmt& e);
  // INSERT INTO an external table, and CREATE EXTERNAL TABLE ... AS: the rows of `query`
  // (in table `t`'s column order) as new files under t's location; partitions registered.
  StatementResult InsertIntoExternal(struct BoundStatement& b);
  int64_t WriteExternalFiles(catalog::Table* t, const struct LogicalNode& query);
  void RefuseExternalWriteInBlock(const char* what) const;
  // CREATE / DROP FUNCTION and PROCEDURE (server/leader_functions.cpp).
  StatementResult RunFunction(const ast::FunctionStmt& f);
  // CALL (server/leader_procedures.cpp): runs a stored procedure's body on the leader.
  StatementResult RunCall(const ast::FunctionStmt& call);
  friend class ProcedureRun;
  // One SQL statement of a procedure, in the CALL's transaction; a query's rows are gathered.
  ProcedureRows RunProcedureSql(const std::string& sql, bool* is_query = nullptr);
  // COMMIT / ROLLBACK inside a procedure: ends the CALL's transaction and starts the next; 2D000
  // when the CALL runs inside a transaction block (or under a call that cannot commit).
  void EndProcedureTransaction(bool commit);
  int call_depth_ = 0;            // CALLs under way (nested CALLs count)
  int64_t unnamed_portals_ = 0;   // "<unnamed portal n>" cursors a procedure's OPEN has named
  bool call_nonatomic_ = false;   // the outermost CALL owns its transaction: COMMIT is allowed
  std::vector<std::string> procedure_notices_;  // RAISE NOTICEs etc. of the CALL under way
  // Drops the session's temporary tables (when it ends).
  void DropTemporaryTables() noexcept;
  StatementResult RunTruncate(const ast::Statement& st);
  StatementResult RunAlterTable(struct BoundStatement& b, const ast::AlterTableStmt& a);
  StatementResult RunAlterColumns(const struct BoundStatement& b, const std::string& name);
  void CheckViewsStillBind(const catalog::Table& table, const std::string& column);
  StatementResult RunComment(const ast::CommentStmt& c);

  // COPY / UNLOAD (server/leader_copy.cpp).
  StatementResult RunCopy(struct BoundStatement& b);
  StatementResult StartCopyIn(struct BoundStatement b, bool implicit);
  StatementResult LoadRows(struct BoundStatement& b, const std::string& stdin_data);
  StatementResult RunCopyTo(const struct BoundStatement& b);
  StatementResult RunUnload(const struct BoundStatement& b);
  friend class LeaderCopyInSink;

  // CREATE / ALTER / DROP USER on the transaction's catalog (server/leader_users.cpp).
  StatementResult RunUser(const ast::UserStmt& u);
  // GRANT / REVOKE, groups, roles, default privileges, and owners' checks
  // (server/leader_privileges.cpp).
  StatementResult RunPrivilege(const ast::PrivilegeStmt& p);
  // RLS and masking policies (server/leader_policies.cpp).
  StatementResult RunPolicy(const ast::PolicyStmt& p);
  void CheckGrantees(const std::vector<std::string>& grantees);
  void ApplyAclChange(const ast::PrivilegeStmt& p, google::protobuf::RepeatedPtrField<catalog::AclEntry>* acl,
                      const std::string& owner, uint32_t bits, const std::string& object,
                      const google::protobuf::RepeatedPtrField<catalog::AclEntry>* table_acl = nullptr);
  void GrantOnTable(const ast::PrivilegeStmt& p, const catalog::Table& t);
  void GrantOnSchema(const ast::PrivilegeStmt& p, const std::string& name);
  void GrantOnDatabase(const ast::PrivilegeStmt& p, const std::string& name);
  void GrantOnFunction(const ast::PrivilegeStmt& p, const std::string& key);
  void GrantRoles(const ast::PrivilegeStmt& p);
  void RunGroupOrRole(const ast::PrivilegeStmt& p, StatementResult* r);
  void RunDefaultPrivileges(const ast::PrivilegeStmt& p);
  // The first object `name` holds or granted a privilege on ("" when none).
  std::string PrivilegesHeldBy(const std::string& name);
  // A user, group or role renamed: its grants, and what it owns, follow the new name.
  void RenameGrantee(const std::string& from, const std::string& to);
  // 42501 when the bound statement needs ownership (DROP, ALTER, ALTER TABLE APPEND) or a
  // privilege the binder does not see (TRUNCATE, LOCK, CREATE in a schema); a created table or
  // view gets its owner and default privileges here.
  void CheckOwnership(const ast::Statement& st, struct BoundStatement& b);
  // The session user may VACUUM, ANALYZE or COMMENT ON `t` (its owner, or a superuser).
  bool MayMaintain(const catalog::Table& t) const;
  // SET / RESET / SHOW (server/leader_settings.cpp).
  StatementResult RunSet(const ast::Statement& st);
  StatementResult RunShow(const ast::Statement& st);
  // DECLARE CURSOR, FETCH / MOVE, CLOSE (server/leader_cursors.cpp).
  StatementResult RunDeclareCursor(const ast::CursorStmt& c, const std::vector<uint32_t>& param_oids,
                                   const std::vector<std::optional<std::string>>* params);
  StatementResult RunFetch(const ast::CursorStmt& c);
  StatementResult RunCloseCursor(const ast::CursorStmt& c);
  // The columns a FETCH from the named cursor returns (nullptr: no such cursor yet).
  const std::vector<ColumnDesc>* CursorColumns(const std::string& name) const;
  // ANALYZE (server/leader_analyze.cpp): per-column statistics of `t` (all columns when `only`
  // is empty).
  StatementResult RunAnalyze(const ast::Statement& st);
  void AnalyzeColumns(catalog::Table* t, const std::vector<std::string>& only);
  // VACUUM and ANALYZE COMPRESSION (server/leader_vacuum.cpp).
  StatementResult RunVacuum(const ast::VacuumStmt& v);
  StatementResult RunAnalyzeCompression(const ast::Statement& st);
  // Removes the blocks and manifests nothing live refers to, on every node.
  rpc::GarbageReply CollectGarbage();

  LeaderContext ctx_;
  std::string user_, database_;
  std::string authenticated_user_;
  // The query history's record of the running statement, from StartHistoryRecord until
  // EndHistoryRecord writes it, or until a streamed query takes it to write when it ends
  // (StartStream). Null without a history. Its `query` is the last query id seen before it.
  std::shared_ptr<rpc::QueryRecord> history_pending_;
  int64_t history_xid_ = 0;  // the open transaction's id in the history
  void StartHistoryRecord(const std::string& sql, const ast::Statement& st);
  // The result cache (server/leader_result_cache.cpp): a SELECT served from it, or run with its
  // rows captured for it (StartStream calls CaptureForCache).
  StatementResult RunCachedSelect(const ast::Statement& st, const struct BoundStatement& b,
                                  const std::vector<std::optional<std::string>>* params);
  bool ResultCacheKey(const ast::Statement& st, const struct BoundStatement& b,
                      const std::vector<std::optional<std::string>>* params, std::string* key,
                      std::map<int64_t, int64_t>* versions);
  void CaptureForCache(QueryStream::Params* params);
  // The WLM slot of the running statement (server/leader_wlm.cpp); a streamed query keeps it
  // until it ends.
  std::shared_ptr<Wlm::Slot> wlm_slot_;
  std::shared_ptr<Wlm::Slot> AdmitToWlm(const ast::Statement& st, const struct BoundStatement& b);
  // A statement that shows its progress in stv_progress (COPY, INSERT … SELECT, CREATE TABLE AS,
  // ANALYZE, VACUUM, UNLOAD): its kind and relation, set for the statement's run; COPY's total
  // bytes. RunPlan keeps a meter for each query it runs then (server/leader_progress.cpp).
  std::string progress_kind_, progress_relation_;
  int64_t progress_bytes_total_ = 0;
  void SetProgressKind(const ast::Statement& st, const struct BoundStatement& b);
  std::unique_ptr<class ProgressMeter> StartProgress(const PhysicalPlan& p, uint64_t qid, Cluster::RunOptions* options);
  // The query's memory budget on each node: the session's query_memory when set, else its WLM
  // slot's share (0: the nodes' default).
  int64_t QueryMemory() const;
  std::string pending_cache_key_;
  // The settings' part of the result cache's key, and the settings generation it was made from.
  std::string cache_settings_key_;
  uint64_t cache_settings_generation_ = 0;
  std::map<int64_t, int64_t> pending_cache_versions_;
  void EndHistoryRecord(const std::string& sqlstate, const std::string& message, int64_t rows);  // who logged in; user_ differs after SET SESSION AUTHORIZATION
  SessionSettings settings_;
  CursorSet cursors_;
  std::unique_ptr<Transaction> txn_;
  uint64_t session_id_;
  std::atomic<bool> cancelled_{false};
  // Set while RunInTransaction runs a statement in a transaction of its own, which may restart
  // on a newer snapshot (StaleSnapshot).
  bool restartable_ = false;
  bool restoring_ = false;  // this session fills a restore's tables: the restore gate lets it by
  std::atomic<uint64_t> running_query_{0};
  // Rows the leader holds for the statement running (WITH RECURSIVE results and working tables),
  // by the relation name its plan reads them as; cleared when the statement ends.
  std::map<std::string, std::vector<std::shared_ptr<const Batch>>> leader_relations_;
  // SQL PREPARE's statements, by name, with the types of their $n.
  struct SqlPrepared {
    std::shared_ptr<ParsedStatement> parsed;
    std::vector<uint32_t> param_oids;
  };
  std::map<std::string, SqlPrepared> sql_prepared_;
  // Queries still streaming rows to the client (portals, cursors); Cancel() stops them too.
  std::mutex streams_mu_;
  std::vector<std::weak_ptr<QueryStream>> streams_;  // GUARDED_BY(streams_mu_)
  // Streams Cancel() held while it stopped them, released by the session's own thread (see
  // Cancel and ReleaseParkedStreams).
  std::vector<std::shared_ptr<QueryStream>> parked_streams_;  // GUARDED_BY(streams_mu_)
  void ReleaseParkedStreams();
  SessionValues session_values_;
  std::atomic<bool> timed_out_{false};
  std::function<void()> terminate_hook_;
  bool in_directory_ = false;
  int64_t backend_start_micros_ = 0;
  // The session's row of pg_stat_activity: `state` and the statement (leader_activity.cpp).
  // `query` (set when a statement starts) becomes the row's query and query_start.
  void ReportActivity(const std::string& state, const std::string* query = nullptr);
  std::string query_text_;
  int64_t query_start_micros_ = 0;
  // pg_cancel_backend / pg_terminate_backend: signals session `pid` if this user may.
  bool SignalBackend(int64_t pid, bool terminate);
  // Cancels the running statement when the client goes away (set by SetClientCheck).
  std::unique_ptr<ClientWatch> client_watch_;
  // Last, so that its watchdog thread stops before anything it touches goes away.
  StatementTimer timer_{[this] {
    timed_out_ = true;
    Cancel();
  }};
};

// What a finished query reports to its WLM slot's monitoring rules (server/leader_wlm.cpp).
Wlm::Usage UsageOf(const QueryOutcome& out);

}  // namespace strata
