// Test support for the pgwire tests: a scripted FakeSession (SQL text -> canned result or
// error, with a log of what ran), builders for frontend messages, and a parser that splits
// backend output into messages and decodes the fields the tests look at.
#pragma once

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "server/pgwire/byte_stream.h"
#include "server/pgwire/pg_connection.h"
#include "server/pgwire/wire_buffer.h"
#include "server/pgwire/sql_session.h"
#include "sql/error.h"
#include "sql/value_text.h"

// Tests write scripts with designated initializers and leave the other fields defaulted.
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
// GCC 12 reports a false -Wrestrict on `"literal" + std::string` (GCC bug 105329).
#pragma GCC diagnostic ignored "-Wrestrict"

namespace strata::pgwire::testing {

struct FakeColumn {
  std::string name;
  SqlType type;
  std::vector<std::optional<std::string>> values;  // text form; parsed into the vector
};

struct FakeScript {
  std::vector<FakeColumn> columns;  // non-empty: the statement returns rows
  std::string tag;
  std::optional<SqlError> execute_error;
  std::optional<SqlError> prepare_error;
  std::vector<uint32_t> param_oids;
  std::vector<std::string> notices;
  std::vector<std::pair<std::string, std::string>> parameter_status;
  size_t batch_rows = kBatchSize;
  bool echo_params = false;      // result: one text column per parameter, one row
  bool wait_for_cancel = false;  // Execute blocks until Cancel(), then fails with 57014
  char status_after = 0;         // if set, TransactionStatus() afterwards
  // COPY FROM STDIN: the result carries a FakeCopySink (see below) with this column count.
  bool copy_in = false;
  int copy_columns = 0;
  int copy_write_error_at = 0;  // if > 0, that Write() call (1-based) throws copy_error
  bool copy_finish_error = false;  // Finish() throws copy_error
  std::optional<SqlError> copy_error;
  // COPY TO STDOUT: non-empty sends these chunks as CopyData.
  std::vector<std::string> copy_out;
};

// State shared by the test and every session the factory made.
struct FakeState {
  std::mutex mu;
  std::condition_variable cv;
  std::map<std::string, FakeScript> scripts;
  std::vector<std::string> executed;  // "sql|p1|p2" per Execute, NULL printed as <null>
  int prepared = 0;
  int errors_seen = 0;
  std::atomic<int> cancels{0};
  std::atomic<int> sessions{0};
  std::atomic<bool> executing{false};
  std::map<std::string, std::string> last_startup;
  std::string copy_data;                 // every byte any copy sink was given, in order
  std::vector<std::string> copy_writes;  // one entry per Write() call
  std::vector<std::string> copy_aborts;  // Abort() messages
  int copy_finishes = 0;
};

// Records COPY FROM STDIN data in the FakeState; Finish() reports one row per '\n'.
class FakeCopySink : public CopyInSink {
 public:
  FakeCopySink(std::shared_ptr<FakeState> state, FakeScript script)
      : state_(std::move(state)), script_(std::move(script)) {}

  void Write(std::string_view data) override {
    std::lock_guard<std::mutex> lock(state_->mu);
    state_->copy_data.append(data);
    state_->copy_writes.emplace_back(data);
    ++writes_;
    for (char c : data) rows_ += c == '\n';
    if (writes_ == script_.copy_write_error_at) throw *script_.copy_error;
  }
  StatementResult Finish() override {
    std::lock_guard<std::mutex> lock(state_->mu);
    ++state_->copy_finishes;
    if (script_.copy_finish_error) throw *script_.copy_error;
    StatementResult r;
    r.command_tag = "COPY " + std::to_string(rows_);
    r.notices = {"copy finished"};
    return r;
  }
  void Abort(const std::string& message) override {
    std::lock_guard<std::mutex> lock(state_->mu);
    state_->copy_aborts.push_back(message);
  }

 private:
  std::shared_ptr<FakeState> state_;
  FakeScript script_;
  int writes_ = 0;
  int64_t rows_ = 0;
};

class FakeSession : public SqlSession {
 public:
  explicit FakeSession(std::shared_ptr<FakeState> state) : state_(std::move(state)) {
    ++state_->sessions;
  }
  ~FakeSession() override { --state_->sessions; }

  std::vector<std::string> Split(const std::string& sql) override {
    std::vector<std::string> out;
    size_t start = 0;
    while (start <= sql.size()) {
      size_t semi = sql.find(';', start);
      std::string part =
          sql.substr(start, semi == std::string::npos ? std::string::npos : semi - start);
      size_t b = part.find_first_not_of(" \n\t");
      if (b != std::string::npos)
        out.push_back(part.substr(b, part.find_last_not_of(" \n\t") - b + 1));
      if (semi == std::string::npos) break;
      start = semi + 1;
    }
    return out;
  }

  std::shared_ptr<PreparedStatement> Prepare(const std::string& sql,
                                             const std::vector<uint32_t>& oids) override {
    std::lock_guard<std::mutex> lock(state_->mu);
    auto it = state_->scripts.find(sql);
    if (it == state_->scripts.end()) {
      throw SqlError(sqlstate::kSyntaxError, "syntax error at or near \"" + sql + "\"", 1);
    }
    const FakeScript& s = it->second;
    if (s.prepare_error) throw *s.prepare_error;
    ++state_->prepared;
    auto p = std::make_shared<PreparedStatement>();
    p->sql = sql;
    p->param_oids = s.param_oids;
    for (size_t i = 0; i < oids.size() && i < p->param_oids.size(); ++i) {
      if (p->param_oids[i] == 0) p->param_oids[i] = oids[i];
    }
    if (s.echo_params) {
      for (size_t i = 0; i < p->param_oids.size(); ++i) {
        p->columns.push_back({"p" + std::to_string(i + 1), SqlType::Text()});
      }
    } else {
      for (const auto& c : s.columns) p->columns.push_back({c.name, c.type});
    }
    p->returns_rows = !p->columns.empty();
    return p;
  }

  StatementResult Execute(const PreparedStatement& stmt,
                          const std::vector<std::optional<std::string>>& params) override {
    FakeScript s;
    {
      std::unique_lock<std::mutex> lock(state_->mu);
      s = state_->scripts.at(stmt.sql);
      std::string entry = stmt.sql;
      for (const auto& p : params) entry += "|" + (p ? *p : std::string("<null>"));
      state_->executed.push_back(entry);
      if (s.wait_for_cancel) {
        state_->executing = true;
        state_->cv.wait_for(lock, std::chrono::seconds(10), [&] { return cancel_requested_; });
        state_->executing = false;
        cancel_requested_ = false;
        throw SqlError(sqlstate::kQueryCanceled, "canceling statement due to user request");
      }
    }
    if (s.execute_error) throw *s.execute_error;
    if (s.status_after) status_ = s.status_after;
    StatementResult r;
    r.command_tag = s.tag;
    r.notices = s.notices;
    r.parameter_status = s.parameter_status;
    r.copy_columns = s.copy_columns;
    if (s.copy_in) r.copy_in = std::make_shared<FakeCopySink>(state_, s);
    r.copy_out = !s.copy_out.empty();
    r.copy_out_data = s.copy_out;
    if (s.echo_params) {
      s.columns.clear();
      for (size_t i = 0; i < params.size(); ++i) {
        s.columns.push_back({"p" + std::to_string(i + 1), SqlType::Text(), {params[i]}});
      }
    }
    for (const auto& c : s.columns) r.columns.push_back({c.name, c.type});
    r.returns_rows = !r.columns.empty();
    size_t nrows = s.columns.empty() ? 0 : s.columns[0].values.size();
    for (size_t begin = 0; begin < nrows; begin += s.batch_rows) {
      size_t n = std::min(s.batch_rows, nrows - begin);
      Batch b;
      for (const auto& c : s.columns) {
        Vector v(c.type, n);
        for (size_t i = 0; i < n; ++i) {
          const auto& text = c.values[begin + i];
          v.SetNull(i, !text.has_value());
          if (text) ParseValueText(*text, &v, i);
        }
        b.columns.push_back(std::move(v));
      }
      b.rows = n;
      r.batches.push_back(std::move(b));
    }
    return r;
  }

  char TransactionStatus() const override { return status_; }
  void OnError() override {
    std::lock_guard<std::mutex> lock(state_->mu);
    ++state_->errors_seen;
    if (status_ == 'T') status_ = 'E';
  }
  void Cancel() override {
    ++state_->cancels;
    std::lock_guard<std::mutex> lock(state_->mu);
    cancel_requested_ = true;
    state_->cv.notify_all();
  }
  std::vector<std::pair<std::string, std::string>> InitialParameters() const override {
    return {{"server_version", "15.0"}, {"client_encoding", "UTF8"}};
  }

 private:
  std::shared_ptr<FakeState> state_;
  char status_ = 'I';
  bool cancel_requested_ = false;
};

inline SessionFactory MakeFactory(std::shared_ptr<FakeState> state) {
  return [state](const std::string& user, const std::string& database,
                 const std::map<std::string, std::string>& params) -> std::unique_ptr<SqlSession> {
    if (database == "nosuchdb") {
      throw SqlError("3D000", "database \"nosuchdb\" does not exist");
    }
    {
      std::lock_guard<std::mutex> lock(state->mu);
      state->last_startup = params;
    }
    return std::make_unique<FakeSession>(state);
  };
}

// ---- frontend message builders ----

inline std::string Frame(char type, const std::string& body) {
  std::string out(1, type);
  char len[4];
  PutBigEndian(body.size() + 4, 4, len);
  out.append(len, 4);
  return out + body;
}
inline std::string I16(int v) {
  char b[2];
  PutBigEndian(static_cast<uint16_t>(v), 2, b);
  return std::string(b, 2);
}
inline std::string I32(int64_t v) {
  char b[4];
  PutBigEndian(static_cast<uint32_t>(v), 4, b);
  return std::string(b, 4);
}
inline std::string Cstr(const std::string& s) { return s + std::string(1, '\0'); }

inline std::string StartupPacket(const std::map<std::string, std::string>& params,
                                 int32_t version = 196608) {
  std::string body = I32(version);
  for (const auto& [k, v] : params) body += Cstr(k) + Cstr(v);
  body.push_back('\0');
  return I32(body.size() + 4) + body;
}
inline std::string SslRequest() { return I32(8) + I32(80877103); }
inline std::string CancelPacket(int32_t pid, int32_t secret) {
  return I32(16) + I32(80877102) + I32(pid) + I32(secret);
}
inline std::string QueryMsg(const std::string& sql) { return Frame('Q', Cstr(sql)); }
inline std::string ParseMsg(const std::string& name, const std::string& sql,
                            const std::vector<uint32_t>& oids = {}) {
  std::string body = Cstr(name) + Cstr(sql) + I16(oids.size());
  for (uint32_t o : oids) body += I32(o);
  return Frame('P', body);
}
inline std::string BindMsg(const std::string& portal, const std::string& stmt,
                           const std::vector<int>& param_formats,
                           const std::vector<std::optional<std::string>>& params,
                           const std::vector<int>& result_formats) {
  std::string body = Cstr(portal) + Cstr(stmt) + I16(param_formats.size());
  for (int f : param_formats) body += I16(f);
  body += I16(params.size());
  for (const auto& p : params) body += p ? I32(p->size()) + *p : I32(-1);
  body += I16(result_formats.size());
  for (int f : result_formats) body += I16(f);
  return Frame('B', body);
}
inline std::string DescribeMsg(char kind, const std::string& name) {
  return Frame('D', std::string(1, kind) + Cstr(name));
}
inline std::string ExecuteMsg(const std::string& portal, int max_rows) {
  return Frame('E', Cstr(portal) + I32(max_rows));
}
inline std::string CloseMsg(char kind, const std::string& name) {
  return Frame('C', std::string(1, kind) + Cstr(name));
}
inline std::string SyncMsg() { return Frame('S', ""); }
inline std::string FlushMsg() { return Frame('H', ""); }
inline std::string TerminateMsg() { return Frame('X', ""); }
inline std::string CopyDataMsg(const std::string& data) { return Frame('d', data); }
inline std::string CopyDoneMsg() { return Frame('c', ""); }
inline std::string CopyFailMsg(const std::string& message) { return Frame('f', Cstr(message)); }

// ---- backend message parsing ----

struct BackendMessage {
  char type;
  std::string body;
};

// Splits backend bytes into messages; a leading lone 'N' (SSL refusal) is returned as type
// '!' so that tests can assert on it.
inline std::vector<BackendMessage> SplitMessages(const std::string& bytes,
                                                 bool ssl_answer = false) {
  std::vector<BackendMessage> out;
  size_t pos = 0;
  if (ssl_answer && !bytes.empty()) {
    out.push_back({'!', bytes.substr(0, 1)});
    pos = 1;
  }
  while (pos + 5 <= bytes.size()) {
    size_t len = GetBigEndian(bytes.data() + pos + 1, 4);
    out.push_back({bytes[pos], bytes.substr(pos + 5, len - 4)});
    pos += 1 + len;
  }
  return out;
}

inline std::string Types(const std::vector<BackendMessage>& msgs) {
  std::string t;
  for (const auto& m : msgs) t.push_back(m.type);
  return t;
}

inline std::map<char, std::string> ErrorFields(const std::string& body) {
  std::map<char, std::string> f;
  size_t pos = 0;
  while (pos < body.size() && body[pos] != '\0') {
    char code = body[pos];
    size_t nul = body.find('\0', pos + 1);
    f[code] = body.substr(pos + 1, nul - pos - 1);
    pos = nul + 1;
  }
  return f;
}

inline std::vector<std::optional<std::string>> DataRowValues(const std::string& body) {
  MessageReader r(body);
  int n = r.Int16();
  std::vector<std::optional<std::string>> out;
  for (int i = 0; i < n; ++i) {
    int32_t len = r.Int32();
    if (len < 0) {
      out.push_back(std::nullopt);
    } else {
      out.push_back(std::string(r.Bytes(len)));
    }
  }
  return out;
}

inline std::string CString(const std::string& body) { return body.substr(0, body.find('\0')); }

// Runs one connection over an in-memory stream: startup as user "alice", then `script`.
class WireTest : public ::testing::Test {
 protected:
  std::string Startup() { return StartupPacket({{"user", "alice"}, {"database", "dev"}}); }
  // Returns the messages the server sent after its startup answer.
  std::vector<BackendMessage> Run(const std::string& script, bool with_startup = true) {
    MemoryByteStream stream((with_startup ? Startup() : std::string()) + script);
    PgConnection connection(&stream, MakeFactory(state_));
    connection.Run();
    closed_ = stream.closed();
    raw_ = stream.output();
    auto msgs = SplitMessages(raw_);
    if (with_startup) {
      // Drop R, S*, K, Z of the startup.
      size_t z = 0;
      while (z < msgs.size() && msgs[z].type != 'Z') ++z;
      msgs.erase(msgs.begin(), msgs.begin() + std::min(z + 1, msgs.size()));
    }
    return msgs;
  }
  FakeScript& Script(const std::string& sql) { return state_->scripts[sql]; }

  std::shared_ptr<FakeState> state_ = std::make_shared<FakeState>();
  std::string raw_;
  bool closed_ = false;
};

}  // namespace strata::pgwire::testing
