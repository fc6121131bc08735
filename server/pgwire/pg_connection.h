// PgConnection runs the PostgreSQL v3 protocol for one client over a ByteStream, on behalf of a
// SqlSession made by a SessionFactory. It is transport-agnostic and single-threaded: PgServer
// gives each accepted socket its own thread and PgConnection, tests drive it over an in-memory
// stream.
//
// Flow: startup (SSLRequest answered 'S' and TLS started when the connection can do TLS, else
// 'N'; GSSENCRequest answered 'N'; CancelRequest forwarded through the CancelRegistry;
// StartupMessage -> a plain connection refused when TLS is required, password authentication
// when passwords are required (pg_auth.cpp: SCRAM-SHA-256 or MD5) else trust, ParameterStatus,
// BackendKeyData, ReadyForQuery), then one message at a time until Terminate or end of stream:
//   simple query  'Q' -> per statement [RowDescription, DataRow*] CommandComplete | error;
//                        always ReadyForQuery
//   extended      'P' Parse, 'B' Bind, 'D' Describe, 'E' Execute (with row limit and
//                 PortalSuspended), 'C' Close, 'H' Flush, 'S' Sync -> ReadyForQuery.
//                 After an error every message up to Sync is discarded, as PostgreSQL does.
//   COPY          a statement whose result has copy_in runs the copy-in sub-protocol inside
//                 its Query or Execute (pg_copy.cpp): CopyInResponse, then CopyData* and
//                 CopyDone | CopyFail from the client; one with copy_out sends
//                 CopyOutResponse, CopyData*, CopyDone before its CommandComplete.
// Protocol violations (bad length, malformed or unknown message) end the connection with a
// FATAL 08P01 ErrorResponse. Output is buffered and flushed at ReadyForQuery, Flush, when the
// buffer grows large, and on close.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "server/pgwire/byte_stream.h"
#include "server/pgwire/cancel_registry.h"
#include "server/pgwire/password_verifiers.h"
#include "server/pgwire/wire_buffer.h"
#include "server/pgwire/sql_session.h"
#include "sql/error.h"

namespace strata::pgwire {

// What a connection reports for the server log (the leader writes the lines; server/server_log.h).
struct ConnectionEvent {
  enum class Kind {
    kReceived,      // a startup packet arrived
    kAuthorized,    // the client logged in and has a session
    kRefused,       // the connection ends with a FATAL error (sqlstate, message)
    kError,         // a statement failed (sqlstate, message, statement)
    kDisconnected,  // a logged-in client's connection ended (session_ms)
  };
  Kind kind = Kind::kReceived;
  std::string host;
  int port = 0;
  std::string user, database, application;
  int32_t pid = 0;  // the backend pid (BackendKeyData), 0 before login
  int64_t query_id = 0;
  bool tls = false;
  std::string sqlstate, message, detail, hint, statement;
  int64_t session_ms = 0;
};

// How a connection authenticates its client and whether it can encrypt. The default is what
// tests over in-memory streams want: trust, no TLS.
struct ConnectionSecurity {
  // The stored password of `user` (a SCRAM-SHA-256 verifier or "md5" + 32 hex digits), nullopt
  // for an unknown user or one without a password. Called from connection threads.
  std::function<std::optional<std::string>(const std::string& user)> stored_password;
  // True when a client logging in as `user` must give a password; null means never (trust).
  std::function<bool(const std::string& user)> passwords_required;
  // Starts TLS on the connection's stream after the 'S' answer; null: TLS is not offered.
  std::function<bool()> start_tls;
  // A plain (non-TLS) startup is refused with FATAL 28000.
  bool require_tls = false;
  std::string peer_host = "127.0.0.1";  // for the refusal's message
  int peer_port = 0;
  // The connection's events for the server log; null: none are reported. Called on the
  // connection's thread.
  std::function<void(const ConnectionEvent&)> on_event;
  // Asked once a StartupMessage has arrived: false refuses the client with FATAL 53300 "sorry,
  // too many clients already" (PgServer's max_connections). Null: there is always room.
  std::function<bool()> has_room;
  // Called once the client has authenticated and has a session, before AuthenticationOk
  // (PgServer's authentication timeout stops counting then).
  std::function<void()> on_authenticated;
};

// A statement that begins, ends or marks a transaction block itself (BEGIN, COMMIT, SAVEPOINT, …),
// judged by its first word.
bool IsTransactionControl(const std::string& text);
// The first word of a statement, lower case ("" when it starts with no letter).
std::string FirstWord(const std::string& text);

class PgConnection {
 public:
  // `registry` is shared by all connections of a server so that CancelRequests find their
  // target; null gives the connection a private one. The stream and registry must outlive Run().
  PgConnection(ByteStream* stream, SessionFactory factory, CancelRegistry* registry = nullptr,
               ConnectionSecurity security = {});
  ~PgConnection();
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;

  // Runs the protocol to the end of the connection, then closes the stream. Never throws.
  void Run();

  // The key sent in BackendKeyData (zero before startup completes).
  BackendKey key() const { return key_; }

  // Startup packets longer than this are refused (PostgreSQL's MAX_STARTUP_PACKET_LENGTH).
  static constexpr int32_t kMaxStartupPacket = 10000;
  // Regular messages longer than this are a protocol violation (PostgreSQL's 1 GB limit).
  static constexpr int32_t kMaxMessageLength = (1 << 30) - 1;
  // Output is pushed to the stream whenever this much is buffered.
  static constexpr size_t kFlushThreshold = 64 * 1024;

 private:
  // A Parse'd statement. `prepared` is null for an empty query string.
  struct Statement {
    std::string sql;
    std::vector<uint32_t> parse_oids;
    std::shared_ptr<PreparedStatement> prepared;
  };
  // A Bind'ed portal; its statement runs on the first Execute and its result is buffered.
  struct Portal {
    std::shared_ptr<Statement> statement;
    std::vector<std::optional<std::string>> params;
    std::vector<int16_t> result_formats;  // empty (all text) or one per column
    bool executed = false;
    bool done = false;
    StatementResult result;
    size_t batch = 0;  // cursor into result.batches
    size_t row = 0;    // row within that batch
  };
  // Replaces the portal's sent batches with the next one from its result's stream, waiting in
  // steps of kStreamWait (flushing output and checking that the client is still there in
  // between); false at the end of the stream or when there is none.
  bool NextStreamedBatch(Portal& portal);
  static constexpr std::chrono::milliseconds kStreamWait{100};
  enum class ReadStatus { kMessage, kEnd };
  // Thrown when the peer can no longer be written to (or went away in the middle of a COPY);
  // deliberately not a std::exception so that no statement-level handler mistakes it for a
  // query error. Run() ends the connection quietly.
  struct StreamClosed {};

  bool Startup();
  bool FinishStartup(MessageReader& reader, int32_t minor);
  // Password authentication of `user` (pg_auth.cpp). True when the client proved it knows the
  // password; otherwise the FATAL error has been written (or the client went away).
  bool Authenticate(const std::string& user);
  bool AuthenticateScram(const std::string& user, std::optional<ScramSecret> secret);
  bool AuthenticateMd5(const std::string& user, const std::string& stored);
  // Reads the client's next message, which must be a PasswordMessage / SASL response ('p').
  // False when the client hung up (as libpq does when it has no password to give).
  bool ReadPasswordMessage(std::string* body, const char* expected);
  bool AuthenticationFailed(const std::string& user);
  ReadStatus ReadMessage(char* type, std::string* body);
  bool ReadBody(std::string* body, size_t n);
  // Handles one message; false ends the connection.
  bool Dispatch(char type, std::string_view body);

  void SimpleQuery(std::string_view body);
  void RunSimpleStatement(const std::string& text);

  void Parse(std::string_view body);
  void Bind(std::string_view body);
  void Describe(std::string_view body);
  void Execute(std::string_view body);
  void Close(std::string_view body);
  // `failed`: an error since the last Sync (the pipeline's block rolls back).
  void Sync(bool failed);
  // Before an Execute runs its statement: opens the pipeline's block, or ends it before a
  // statement that controls transactions itself.
  void EnterPipelineBlock(const PreparedStatement& stmt);
  // Ends the pipeline's block, if one is open: committed when `commit`.
  void EndPipelineBlock(bool commit);

  // Sends the statement's result by kind (copy-in, copy-out, rows or none) with its
  // CommandComplete; the simple query protocol's way to run one statement's result.
  void SendResult(StatementResult& result);
  // Runs the copy-in sub-protocol for a result with copy_in set: answers CopyInResponse, reads
  // messages straight from the stream and feeds CopyData to the sink until CopyDone, and
  // returns the sink's Finish() result. Throws SqlError when the copy fails (CopyFail, a
  // non-COPY message, or the sink's own error); the caller reports it like any statement error.
  StatementResult CopyIn(const StatementResult& start);
  // Sends CopyOutResponse, one CopyData per chunk of result.copy_out_data, then CopyDone.
  void SendCopyOut(const StatementResult& result);
  // Writes the portal's next rows, at most max_rows (<= 0: all), and stores how many in
  // *sent. True when the portal is done (it ran out before reaching the limit).
  bool SendRows(Portal& portal, int64_t max_rows, uint64_t* sent);
  void SendNotices(const StatementResult& result);
  void SendReadyForQuery();
  void SendError(const SqlError& error, int position_offset = 0);
  void SendFatal(const char* sqlstate, const std::string& message);
  void MaybeFlush();
  bool FlushOutput();
  void DropPortalsOf(const Statement* statement);

  ByteStream* stream_;
  std::atomic<bool> terminate_requested_{false};  // pg_terminate_backend asked this connection to end
  bool terminated_ = false;                       // and FATAL 57P01 has been sent
  SessionFactory factory_;
  ConnectionSecurity security_;
  bool tls_active_ = false;
  // For the server log: the statement running (or last run), the login and when it was.
  std::string current_statement_;
  std::string user_, database_, application_;
  std::chrono::steady_clock::time_point logged_in_at_;
  void Report(ConnectionEvent::Kind kind, const SqlError* error = nullptr);
  void SendFatalError(const SqlError& error);
  std::unique_ptr<CancelRegistry> own_registry_;
  CancelRegistry* registry_;
  std::string out_;
  MessageWriter writer_{&out_};
  std::unique_ptr<SqlSession> session_;
  BackendKey key_;
  bool registered_ = false;
  bool ignore_till_sync_ = false;
  // The implicit transaction block of the Executes since the last Sync (pg_extended_query.cpp).
  bool pipeline_block_ = false;
  std::map<std::string, std::shared_ptr<Statement>> statements_;
  std::map<std::string, Portal> portals_;
  std::vector<std::pair<std::string, std::string>> pending_parameter_status_;
};

}  // namespace strata::pgwire
