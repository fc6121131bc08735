// The contract between the wire protocol (server/pgwire/) and the SQL engine behind it. The wire
// layer owns bytes and message flow; a SqlSession owns parsing, planning, execution and
// transaction state for one client connection. Keeping this seam abstract lets the protocol be
// tested byte for byte against a scripted session, and the engine be tested without sockets.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sql/types.h"
#include "sql/vector.h"

namespace strata {

struct ColumnDesc {
  std::string name;
  SqlType type;
};

// A parsed and bound statement, ready to execute any number of times.
struct PreparedStatement {
  std::string sql;
  std::vector<uint32_t> param_oids;  // one per $n, resolved (0 only if never inferable)
  std::vector<ColumnDesc> columns;   // empty when the statement returns no rows
  bool returns_rows = false;
  std::shared_ptr<void> engine_state;  // the engine's bound form; opaque to the wire layer
};

class CopyInSink;

// Rows a statement produces while the client reads them: a running SELECT, or a cursor's.
// Next waits at most `wait` so that the reader can look after its client in between (a
// client that went away cancels the query by destroying the source). Destroying a source whose
// query still runs stops the query. Next throws SqlError when the query fails.
class RowSource {
 public:
  enum class Status { kBatch, kEnd, kWaiting };
  virtual ~RowSource() = default;
  virtual Status Next(Batch* out, std::chrono::milliseconds wait) = 0;
};

struct StatementResult {
  std::vector<ColumnDesc> columns;
  bool returns_rows = false;
  std::vector<Batch> batches;     // result rows, in order (all of them unless `stream`)
  // Set: the rest of the rows come from here after `batches`, and command_tag ("SELECT") gets
  // the number of rows sent appended.
  std::shared_ptr<RowSource> stream;
  std::string command_tag;        // "SELECT 3", "INSERT 0 3", "CREATE TABLE", "BEGIN", ...
  std::vector<std::string> notices;                               // NoticeResponse messages
  std::vector<std::pair<std::string, std::string>> parameter_status;  // changed settings
  std::shared_ptr<CopyInSink> copy_in;    // set: enter copy-in mode (see CopyInSink)
  int copy_columns = 0;                   // column count for CopyInResponse/CopyOutResponse
  bool copy_out = false;                  // set: send CopyOutResponse, each copy_out_data chunk
  std::vector<std::string> copy_out_data; //   as one CopyData, CopyDone, then CommandComplete
};

// COPY ... FROM STDIN: the engine returns a result with copy_in set; the wire layer answers
// CopyInResponse (overall format text, copy_in_columns columns of format 0), feeds every
// CopyData message's bytes to Write(), and on CopyDone sends Finish()'s result (CommandComplete
// "COPY n"); on CopyFail calls Abort(message) and answers ErrorResponse 57014 "COPY from stdin
// failed: <message>". An SqlError thrown by Write/Finish ends the copy with that error; as in
// PostgreSQL the ErrorResponse goes out at once, the rest of a simple query is skipped and
// ReadyForQuery follows (extended protocol: messages are discarded until Sync), and CopyData/
// CopyDone/CopyFail arriving after that are ignored. Abort() is called on CopyFail and whenever
// the copy ends without Finish() for a reason other than Write/Finish throwing (a non-COPY
// message, a malformed message, the connection closing); after Write/Finish throw, the sink is
// simply released.
class CopyInSink {
 public:
  virtual ~CopyInSink() = default;
  virtual void Write(std::string_view data) = 0;
  virtual StatementResult Finish() = 0;
  virtual void Abort(const std::string& message) = 0;
};

class SqlSession {
 public:
  virtual ~SqlSession() = default;
  // Splits a simple-query string into its statements' texts. Throws SqlError on bad syntax.
  virtual std::vector<std::string> Split(const std::string& sql) = 0;
  // Parses and binds one statement. param_oids may be shorter than the $n used (0 = infer).
  virtual std::shared_ptr<PreparedStatement> Prepare(const std::string& sql,
                                                     const std::vector<uint32_t>& param_oids) = 0;
  // Runs a prepared statement with text-form parameters (nullopt = NULL). Throws SqlError.
  virtual StatementResult Execute(const PreparedStatement& stmt,
                                  const std::vector<std::optional<std::string>>& params) = 0;
  // Runs one statement of a simple query. Its result describes itself, so an engine need not
  // bind it for a Describe first; the default prepares and executes.
  virtual StatementResult RunSimple(const std::string& sql) { return Execute(*Prepare(sql, {}), {}); }
  // 'I' idle, 'T' in a transaction block, 'E' in a failed transaction block.
  virtual char TransactionStatus() const = 0;
  // The implicit transaction block of a Query message with several statements (PostgreSQL's):
  // begun before the first, ended after the last — committed when `commit`, else rolled back.
  // An engine without transactions keeps the defaults, which do nothing.
  // The extended protocol's statements between two Syncs share such a block too (PostgreSQL's
  // implicit transaction of a pipeline: pgjdbc's executeBatch commits once, at its Sync).
  virtual void BeginImplicitBlock() {}
  virtual void EndImplicitBlock(bool commit) { (void)commit; }
  // A statement that may not run inside a transaction block (VACUUM, …): the first statement
  // of a pipeline that is one runs on its own instead of opening the pipeline's block.
  virtual bool RunsOutsideBlocks(const PreparedStatement& stmt) const { (void)stmt; return false; }
  // Called when a statement failed inside the wire layer's handling (marks a block failed).
  virtual void OnError() = 0;
  // Asks the running statement to stop with 57014; safe to call from any thread.
  virtual void Cancel() = 0;
  // ParameterStatus values to report after authentication.
  virtual std::vector<std::pair<std::string, std::string>> InitialParameters() const = 0;
  // The process id the client was given in BackendKeyData, which pg_backend_pid() returns.
  virtual void SetBackendPid(int32_t pid) { (void)pid; }
  // How the engine ends this connection from elsewhere (pg_terminate_backend): the wire layer
  // then sends FATAL 57P01 and closes. Called before SetBackendPid; thread-safe to call.
  virtual void SetTerminateHook(std::function<void()> terminate) { (void)terminate; }
  // How the engine can tell, from another thread, that the client has gone (a long statement
  // then stops). Called before SetBackendPid.
  virtual void SetClientCheck(std::function<bool()> client_gone) { (void)client_gone; }
  // The id of the query the session runs now, or ran last (for the server log); 0: none.
  virtual int64_t CurrentQueryId() const { return 0; }
};

// Creates a session for an authenticated startup (user, database, startup parameters).
// Throws SqlError (e.g. 3D000 unknown database, 28000 unknown user) to refuse it.
using SessionFactory = std::function<std::unique_ptr<SqlSession>(
    const std::string& user, const std::string& database,
    const std::map<std::string, std::string>& startup_params)>;

}  // namespace strata
