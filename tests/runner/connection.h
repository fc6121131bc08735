// One libpq connection with bounded statement execution: every statement is sent with the
// simple query protocol and waited for with poll() against a deadline, then cancelled, so a hung
// server fails the test instead of hanging the runner.
#pragma once

#include <optional>
#include <string>
#include <vector>

typedef struct pg_conn PGconn;

namespace strata::sqltest {

enum class OutcomeStatus {
  kOk,              // the statement succeeded (rows, if any, are in `rows`)
  kError,           // the server answered with an ErrorResponse
  kTimeout,         // no answer before the deadline (a cancel was sent)
  kConnectionLost,  // the connection broke; the runner must reconnect
};

struct SqlOutcome {
  OutcomeStatus status = OutcomeStatus::kOk;
  std::string sqlstate;  // kError
  std::string message;   // kError: primary message; otherwise a description of the failure
  int column_count = 0;
  std::vector<std::vector<std::optional<std::string>>> rows;  // text values; nullopt = NULL
};

class Connection {
 public:
  Connection() = default;
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Opens a new connection (closing any previous one). Returns false with `error` set.
  bool Open(const std::string& conninfo, std::string& error);
  void Close();
  bool IsOpen() const { return conn_ != nullptr; }

  // Runs `sql` and waits at most `timeout_ms` for its complete answer. With several
  // statements in `sql`, the first error wins, otherwise the last result's rows are kept.
  SqlOutcome Execute(const std::string& sql, int timeout_ms);

 private:
  // Waits until libpq has a complete result or the deadline passes; false on timeout or a
  // broken connection (`lost` tells which).
  bool WaitForResult(long long deadline_ms, bool& lost);

  PGconn* conn_ = nullptr;
};

}  // namespace strata::sqltest
