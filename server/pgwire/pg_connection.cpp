// PgConnection: startup, the message loop, the simple query protocol and the output helpers
// shared with the extended query protocol (pg_extended_query.cpp).
#include "server/pgwire/pg_connection.h"

#include <cctype>
#include <algorithm>

#include "server/pgwire/backend_messages.h"

namespace strata::pgwire {
namespace {

constexpr int32_t kSslRequestCode = 80877103;
constexpr int32_t kGssEncRequestCode = 80877104;
constexpr int32_t kCancelRequestCode = 80877102;
constexpr int kMaxEncryptionRequests = 2;  // one SSLRequest and one GSSENCRequest at most

// Characters (not bytes) of UTF-8 text before byte offset `bytes`: error positions count
// characters, as PostgreSQL's do.
int CharCount(const std::string& text, size_t bytes) {
  int n = 0;
  for (size_t i = 0; i < bytes && i < text.size(); ++i) {
    if ((static_cast<uint8_t>(text[i]) & 0xC0) != 0x80) ++n;
  }
  return n;
}

}  // namespace

PgConnection::PgConnection(ByteStream* stream, SessionFactory factory, CancelRegistry* registry,
                           ConnectionSecurity security)
    : stream_(stream), factory_(std::move(factory)), security_(std::move(security)), registry_(registry) {
  if (registry_ == nullptr) {
    own_registry_ = std::make_unique<CancelRegistry>();
    registry_ = own_registry_.get();
  }
}

PgConnection::~PgConnection() {
  if (registered_) registry_->Unregister(key_);
}

void PgConnection::Run() {
  try {
    if (Startup()) {
      while (true) {
        char type = 0;
        std::string body;
        if (!terminate_requested_ && ReadMessage(&type, &body) == ReadStatus::kMessage) {
          if (!Dispatch(type, body)) break;
          MaybeFlush();
          if (!terminate_requested_) continue;
        }
        if (terminate_requested_ && !terminated_) {
          SendFatal(sqlstate::kAdminShutdown, "terminating connection due to administrator command");
        }
        break;
      }
    }
  } catch (const StreamClosed&) {
    out_.clear();
  } catch (const ProtocolViolation& e) {
    SendFatal(sqlstate::kProtocolViolation, e.what());
  } catch (const SqlError& e) {
    SendFatalError(e);
  } catch (const std::exception& e) {
    SendFatal(sqlstate::kInternalError, std::string("internal error: ") + e.what());
  }
  FlushOutput();
  if (session_) Report(ConnectionEvent::Kind::kDisconnected);
  if (registered_) {
    registry_->Unregister(key_);
    registered_ = false;
  }
  portals_.clear();
  statements_.clear();
  session_.reset();  // the session ends with its connection, not with this object
  stream_->Close();
}

bool PgConnection::Startup() {
  for (int requests = 0;; ++requests) {
    char len_bytes[4];
    if (!stream_->ReadExact(len_bytes, 4)) return false;
    int32_t len = static_cast<int32_t>(GetBigEndian(len_bytes, 4));
    if (len < 8 || len > kMaxStartupPacket) {
      throw ProtocolViolation("invalid length of startup packet");
    }
    std::string body;
    if (!ReadBody(&body, len - 4)) throw ProtocolViolation("incomplete startup packet");
    MessageReader reader(body);
    int32_t code = reader.Int32();
    if (code == kSslRequestCode || code == kGssEncRequestCode) {
      if (requests >= kMaxEncryptionRequests || len != 8 || tls_active_) {
        throw ProtocolViolation("unexpected encryption request");
      }
      if (code == kSslRequestCode && security_.start_tls) {
        out_.push_back('S');  // the TLS handshake follows; everything after it is encrypted
        if (!FlushOutput()) return false;
        if (!security_.start_tls()) return false;
        tls_active_ = true;
        continue;
      }
      out_.push_back('N');  // no TLS (or no GSSAPI encryption): the client goes on in the clear
      if (!FlushOutput()) return false;
      continue;
    }
    if (code == kCancelRequestCode) {
      BackendKey target;
      target.pid = reader.Int32();
      target.secret = reader.Int32();
      registry_->Cancel(target);  // PostgreSQL answers nothing, whether or not it matched
      return false;
    }
    int32_t major = static_cast<uint32_t>(code) >> 16;
    int32_t minor = code & 0xffff;
    if (major != 3) {
      SendFatal(sqlstate::kFeatureNotSupported, StrCat("unsupported frontend protocol ", major, ".",
                                                       minor, ": server supports 3.0 to 3.0"));
      return false;
    }
    return FinishStartup(reader, minor);
  }
}

bool PgConnection::FinishStartup(MessageReader& reader, int32_t minor) {
  std::map<std::string, std::string> params;
  std::vector<std::string> unrecognized;
  while (true) {
    std::string_view name = reader.CString();
    if (name.empty()) break;
    std::string_view value = reader.CString();
    if (name.rfind("_pq_.", 0) == 0) {
      unrecognized.emplace_back(name);
    } else {
      params[std::string(name)] = std::string(value);
    }
  }
  reader.ExpectEnd();
  Report(ConnectionEvent::Kind::kReceived);
  auto user_it = params.find("user");
  if (user_it == params.end() || user_it->second.empty()) {
    SendFatal(sqlstate::kInvalidAuthorizationSpecification,
              "no PostgreSQL user name specified in startup packet");
    return false;
  }
  if (security_.has_room && !security_.has_room()) {
    SendFatal(sqlstate::kTooManyConnections, "sorry, too many clients already");
    return false;
  }
  const std::string& user = user_it->second;
  auto db_it = params.find("database");
  std::string database = db_it == params.end() || db_it->second.empty() ? user : db_it->second;
  user_ = user;
  database_ = database;
  auto app_it = params.find("application_name");
  if (app_it != params.end()) application_ = app_it->second;
  if (minor > 0 || !unrecognized.empty()) WriteNegotiateProtocolVersion(writer_, 0, unrecognized);
  if (security_.require_tls && !tls_active_) {
    SendFatal(sqlstate::kInvalidAuthorizationSpecification,
              StrCat("no pg_hba.conf entry for host \"", security_.peer_host, "\", user \"", user,
                     "\", database \"", database, "\", no encryption"));
    return false;
  }
  if (security_.passwords_required && security_.passwords_required(user) && !Authenticate(user)) return false;
  try {
    session_ = factory_(user, database, params);
  } catch (const SqlError& e) {
    SendFatalError(e);
    return false;
  }
  if (!session_) {
    SendFatal(sqlstate::kInternalError, "internal error: no session was created");
    return false;
  }
  if (security_.on_authenticated) security_.on_authenticated();
  WriteAuthenticationOk(writer_);  // after trust or a successful password exchange
  for (const auto& [name, value] : session_->InitialParameters()) {
    WriteParameterStatus(writer_, name, value);
  }
  key_ = registry_->Register(session_.get());
  logged_in_at_ = std::chrono::steady_clock::now();
  Report(ConnectionEvent::Kind::kAuthorized);
  registered_ = true;
  session_->SetTerminateHook([this] {
    terminate_requested_ = true;
    stream_->InterruptRead();
  });
  session_->SetClientCheck([this] { return stream_->PeerGone(); });
  session_->SetBackendPid(key_.pid);
  WriteBackendKeyData(writer_, key_.pid, key_.secret);
  SendReadyForQuery();
  return FlushOutput();
}

bool PgConnection::ReadBody(std::string* body, size_t n) {
  // Grow in steps so that a lying length cannot make us allocate a gigabyte up front.
  constexpr size_t kStep = 1 << 20;
  body->clear();
  while (body->size() < n) {
    size_t chunk = std::min(kStep, n - body->size());
    size_t at = body->size();
    body->resize(at + chunk);
    if (!stream_->ReadExact(body->data() + at, chunk)) return false;
  }
  return true;
}

PgConnection::ReadStatus PgConnection::ReadMessage(char* type, std::string* body) {
  char header[5];
  if (!stream_->ReadExact(header, 1)) return ReadStatus::kEnd;
  *type = header[0];
  if (!stream_->ReadExact(header + 1, 4))
    throw ProtocolViolation("unexpected EOF within message length word");
  int32_t len = static_cast<int32_t>(GetBigEndian(header + 1, 4));
  if (len < 4 || len > kMaxMessageLength) throw ProtocolViolation("invalid message length");
  if (!ReadBody(body, len - 4)) throw ProtocolViolation("unexpected EOF within message");
  return ReadStatus::kMessage;
}

bool PgConnection::Dispatch(char type, std::string_view body) {
  if (type == 'X') return false;
  if (type == 'S') {
    const bool failed = ignore_till_sync_;
    ignore_till_sync_ = false;
    Sync(failed);
    return true;
  }
  static constexpr std::string_view kKnown = "QPBDECHdcfF";
  if (kKnown.find(type) == std::string_view::npos) {
    throw ProtocolViolation(StrCat("invalid frontend message type ", static_cast<int>(type)));
  }
  if (ignore_till_sync_) return true;
  try {
    switch (type) {
      case 'Q':
        SimpleQuery(body);
        break;
      case 'P':
        Parse(body);
        break;
      case 'B':
        Bind(body);
        break;
      case 'D':
        Describe(body);
        break;
      case 'E':
        Execute(body);
        break;
      case 'C':
        Close(body);
        break;
      case 'H':
        FlushOutput();
        break;
      case 'd':
      case 'c':
      case 'f':
        break;  // COPY data outside COPY is ignored, as PostgreSQL
      case 'F':
        throw SqlError(sqlstate::kFeatureNotSupported, "function call protocol is not supported");
    }
  } catch (const ProtocolViolation&) {
    throw;
  } catch (const SqlError& e) {
    SendError(e);
    if (type != 'Q' && type != 'F') ignore_till_sync_ = true;
  } catch (const std::exception& e) {
    SendError(SqlError(sqlstate::kInternalError, std::string("internal error: ") + e.what()));
    if (type != 'Q' && type != 'F') ignore_till_sync_ = true;
  }
  return true;
}

std::string FirstWord(const std::string& text) {
  size_t i = 0;
  while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
  size_t j = i;
  while (j < text.size() && std::isalpha(static_cast<unsigned char>(text[j]))) ++j;
  std::string word = text.substr(i, j - i);
  for (char& c : word) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return word;
}

// A statement that begins, ends or marks a transaction block itself.
bool IsTransactionControl(const std::string& text) {
  const std::string word = FirstWord(text);
  for (const char* w : {"begin", "start", "commit", "end", "rollback", "abort", "savepoint", "release", "prepare"}) {
    if (word == w) return true;
  }
  return false;
}

void PgConnection::SimpleQuery(std::string_view body) {
  MessageReader reader(body);
  std::string sql(reader.CString());
  reader.ExpectEnd();
  EndPipelineBlock(/*commit=*/true);  // a Query after Executes without a Sync
  // A Query message destroys the unnamed statement and portal.
  portals_.erase("");
  statements_.erase("");
  size_t cursor = 0;
  int offset = 0;
  bool implicit_block = false;
  try {
    std::vector<std::string> statements = session_->Split(sql);
    if (statements.empty()) WriteEmptyMessage(writer_, 'I');
    // Several statements in one Query run as one transaction, as in PostgreSQL and Redshift: an
    // error rolls back what the ones before it did. (Not when the string controls transactions
    // itself, or runs inside a block already.)
    if (statements.size() > 1 && session_->TransactionStatus() == 'I' &&
        std::none_of(statements.begin(), statements.end(), IsTransactionControl)) {
      session_->BeginImplicitBlock();
      implicit_block = true;
    }
    for (const std::string& text : statements) {
      // Positions in errors are relative to the statement; PostgreSQL's are relative to the
      // whole query string. The engine may have normalised the text, then we cannot tell.
      size_t at = sql.find(text, cursor);
      offset = at == std::string::npos ? 0 : CharCount(sql, at);
      if (at != std::string::npos) cursor = at + text.size();
      RunSimpleStatement(text);
      MaybeFlush();
    }
    if (implicit_block) {
      implicit_block = false;
      offset = 0;
      session_->EndImplicitBlock(/*commit=*/true);
    }
  } catch (const ProtocolViolation&) {
    throw;  // from inside a COPY: ends the connection
  } catch (const SqlError& e) {
    SendError(e, offset);
  } catch (const std::exception& e) {
    SendError(SqlError(sqlstate::kInternalError, std::string("internal error: ") + e.what()));
  }
  if (implicit_block) {
    try {
      session_->EndImplicitBlock(/*commit=*/false);
    } catch (const std::exception&) {
      // the session ends its transaction on the next statement anyway
    }
  }
  if (session_->TransactionStatus() == 'I') portals_.clear();
  SendReadyForQuery();
  FlushOutput();
}

void PgConnection::RunSimpleStatement(const std::string& text) {
  current_statement_ = text;
  StatementResult result = session_->RunSimple(text);
  SendNotices(result);
  SendResult(result);
}

void PgConnection::SendResult(StatementResult& result) {
  if (result.copy_in) {
    StatementResult finished = CopyIn(result);
    SendNotices(finished);
    WriteCommandComplete(writer_, finished.command_tag);
    return;
  }
  if (result.copy_out) {
    SendCopyOut(result);
  } else if (result.returns_rows) {
    Portal portal;
    portal.result = std::move(result);
    WriteRowDescription(writer_, portal.result.columns, {});
    uint64_t sent = 0;
    SendRows(portal, 0, &sent);
    const std::string& tag = portal.result.command_tag;
    WriteCommandComplete(writer_, portal.result.stream ? StrCat(tag, " ", sent) : tag);
    return;
  }
  WriteCommandComplete(writer_, result.command_tag);
}

bool PgConnection::SendRows(Portal& portal, int64_t max_rows, uint64_t* sent_out) {
  // Like PostgreSQL, a call that fills its limit exactly reports "not done"; the next call
  // then finds no rows and completes.
  auto& batches = portal.result.batches;
  const uint64_t limit = max_rows > 0 ? static_cast<uint64_t>(max_rows) : UINT64_MAX;
  uint64_t sent = 0;
  while (sent < limit) {
    if (portal.batch >= batches.size() && !NextStreamedBatch(portal)) break;
    const Batch& batch = batches[portal.batch];
    if (portal.row >= batch.rows) {
      ++portal.batch;
      portal.row = 0;
      continue;
    }
    // Write at most a slice of rows at a time so that the buffer is flushed while it is small.
    size_t end = std::min<uint64_t>(batch.rows, portal.row + std::min<uint64_t>(limit - sent, 256));
    WriteDataRows(writer_, batch, portal.row, end, portal.result_formats);
    sent += end - portal.row;
    portal.row = end;
    MaybeFlush();
  }
  if (sent_out) *sent_out = sent;
  return sent < limit;
}

bool PgConnection::NextStreamedBatch(Portal& portal) {
  RowSource* source = portal.result.stream.get();
  if (source == nullptr) return false;
  // Rows sent are dropped: a streamed portal holds one batch at a time.
  portal.result.batches.clear();
  portal.batch = 0;
  portal.row = 0;
  Batch b;
  while (true) {
    RowSource::Status st = source->Next(&b, kStreamWait);
    if (st == RowSource::Status::kEnd) {
      portal.result.stream.reset();
      return false;
    }
    if (st == RowSource::Status::kBatch) {
      portal.result.batches.push_back(std::move(b));
      return true;
    }
    // Nothing yet: send what is buffered, and stop the query if the client has gone.
    if (!FlushOutput() || stream_->PeerGone()) throw StreamClosed{};
  }
}

void PgConnection::SendNotices(const StatementResult& result) {
  for (const auto& notice : result.notices) WriteNoticeResponse(writer_, notice);
  for (const auto& kv : result.parameter_status) pending_parameter_status_.push_back(kv);
}

void PgConnection::SendReadyForQuery() {
  // Like PostgreSQL 15, changed settings are reported just before ReadyForQuery.
  for (const auto& [name, value] : pending_parameter_status_) {
    WriteParameterStatus(writer_, name, value);
  }
  pending_parameter_status_.clear();
  WriteReadyForQuery(writer_, session_->TransactionStatus());
}

void PgConnection::SendError(const SqlError& error, int position_offset) {
  if (terminate_requested_ && error.sqlstate() == sqlstate::kQueryCanceled) {
    // pg_terminate_backend stopped the statement: the client hears why, once, as PostgreSQL says it.
    if (!terminated_) SendFatal(sqlstate::kAdminShutdown, "terminating connection due to administrator command");
    terminated_ = true;
    return;
  }
  for (const auto& notice : error.notices()) WriteNoticeResponse(writer_, notice);
  WriteErrorResponse(writer_, error, Severity::kError, position_offset);
  Report(ConnectionEvent::Kind::kError, &error);
  if (session_) session_->OnError();
}

void PgConnection::SendFatal(const char* sqlstate, const std::string& message) {
  SendFatalError(SqlError(sqlstate, message));
}

void PgConnection::SendFatalError(const SqlError& error) {
  WriteErrorResponse(writer_, error, Severity::kFatal);
  Report(ConnectionEvent::Kind::kRefused, &error);
}

void PgConnection::Report(ConnectionEvent::Kind kind, const SqlError* error) {
  if (!security_.on_event) return;
  ConnectionEvent e;
  e.kind = kind;
  e.host = security_.peer_host;
  e.port = security_.peer_port;
  e.user = user_;
  e.database = database_;
  e.application = application_;
  e.pid = key_.pid;
  e.tls = tls_active_;
  if (session_) e.query_id = session_->CurrentQueryId();
  if (error != nullptr) {
    e.sqlstate = error->sqlstate();
    e.message = error->what();
    e.detail = error->detail();
    e.hint = error->hint();
    e.statement = current_statement_;
  }
  if (kind == ConnectionEvent::Kind::kDisconnected) {
    e.session_ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - logged_in_at_).count();
  }
  try {
    security_.on_event(e);
  } catch (...) {
    // The log is no reason to fail a connection.
  }
}

void PgConnection::MaybeFlush() {
  if (out_.size() >= kFlushThreshold && !FlushOutput()) throw StreamClosed{};
}

bool PgConnection::FlushOutput() {
  bool ok = true;
  if (!out_.empty()) ok = stream_->Write(out_.data(), out_.size());
  out_.clear();
  return stream_->Flush() && ok;
}

}  // namespace strata::pgwire
