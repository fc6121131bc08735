// Bounded statement execution over libpq's asynchronous API (PQsendQuery, poll, PQconsumeInput).
#include "connection.h"

#include <libpq-fe.h>
#include <poll.h>

#include <chrono>

namespace strata::sqltest {
namespace {

long long NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// libpq's own messages span several lines with tabs; fold them into one line for the report.
std::string TrimMessage(const char* text) {
  std::string s;
  for (const char* p = text == nullptr ? "" : text; *p != '\0'; ++p) {
    bool space = *p == '\n' || *p == '\t' || *p == ' ';
    if (!space) {
      s += *p;
    } else if (!s.empty() && s.back() != ' ') {
      s += ' ';
    }
  }
  if (!s.empty() && s.back() == ' ') s.pop_back();
  return s;
}

}  // namespace

Connection::~Connection() { Close(); }

void Connection::Close() {
  if (conn_ != nullptr) PQfinish(conn_);
  conn_ = nullptr;
}

bool Connection::Open(const std::string& conninfo, std::string& error) {
  Close();
  conn_ = PQconnectdb(conninfo.c_str());
  if (PQstatus(conn_) != CONNECTION_OK) {
    error = "cannot connect: " + TrimMessage(PQerrorMessage(conn_));
    Close();
    return false;
  }
  // Notices (e.g. "table does not exist, skipping") are expected and must not clutter output.
  PQsetNoticeProcessor(conn_, [](void*, const char*) {}, nullptr);
  return true;
}

bool Connection::WaitForResult(long long deadline_ms, bool& lost) {
  lost = false;
  while (PQisBusy(conn_)) {
    long long remaining = deadline_ms - NowMs();
    if (remaining <= 0) return false;
    pollfd pfd{PQsocket(conn_), POLLIN, 0};
    int ready = poll(&pfd, 1, static_cast<int>(remaining > 1000 ? 1000 : remaining));
    if (ready < 0) continue;  // EINTR: re-check the deadline
    if (ready > 0 && PQconsumeInput(conn_) == 0) {
      lost = true;
      return false;
    }
  }
  return true;
}

SqlOutcome Connection::Execute(const std::string& sql, int timeout_ms) {
  SqlOutcome outcome;
  if (conn_ == nullptr || PQsendQuery(conn_, sql.c_str()) == 0) {
    outcome.status = OutcomeStatus::kConnectionLost;
    outcome.message = conn_ == nullptr ? "not connected" : TrimMessage(PQerrorMessage(conn_));
    return outcome;
  }
  long long deadline = NowMs() + timeout_ms;
  bool have_error = false;
  while (true) {
    bool lost = false;
    if (!WaitForResult(deadline, lost)) {
      if (lost) {
        outcome.status = OutcomeStatus::kConnectionLost;
        outcome.message = "connection lost: " + TrimMessage(PQerrorMessage(conn_));
        return outcome;
      }
      // Ask the server to cancel; whatever happens next, this connection is not reused.
      if (PGcancel* cancel = PQgetCancel(conn_)) {
        char buffer[256];
        PQcancel(cancel, buffer, sizeof(buffer));
        PQfreeCancel(cancel);
      }
      outcome.status = OutcomeStatus::kTimeout;
      outcome.message = "no answer within " + std::to_string(timeout_ms / 1000) + " s";
      Close();
      return outcome;
    }
    PGresult* result = PQgetResult(conn_);
    if (result == nullptr) break;
    ExecStatusType status = PQresultStatus(result);
    if (status == PGRES_TUPLES_OK && !have_error) {
      outcome.column_count = PQnfields(result);
      outcome.rows.clear();
      int rows = PQntuples(result);
      outcome.rows.reserve(rows);
      for (int r = 0; r < rows; ++r) {
        std::vector<std::optional<std::string>> row;
        row.reserve(outcome.column_count);
        for (int c = 0; c < outcome.column_count; ++c) {
          if (PQgetisnull(result, r, c)) {
            row.emplace_back(std::nullopt);
          } else {
            row.emplace_back(std::string(PQgetvalue(result, r, c), PQgetlength(result, r, c)));
          }
        }
        outcome.rows.push_back(std::move(row));
      }
    } else if (status == PGRES_COMMAND_OK || status == PGRES_EMPTY_QUERY) {
      if (!have_error) {
        outcome.column_count = 0;
        outcome.rows.clear();
      }
    } else if (!have_error) {
      have_error = true;
      outcome.status = OutcomeStatus::kError;
      const char* state = PQresultErrorField(result, PG_DIAG_SQLSTATE);
      const char* primary = PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY);
      outcome.sqlstate = state == nullptr ? "" : state;
      outcome.message = primary != nullptr ? TrimMessage(primary) : TrimMessage(PQresultErrorMessage(result));
    }
    PQclear(result);
  }
  if (PQstatus(conn_) == CONNECTION_BAD) {
    // The error may have been libpq's own report of a dropped socket.
    outcome.status = OutcomeStatus::kConnectionLost;
    if (outcome.message.empty()) outcome.message = "connection lost";
    outcome.message = "connection lost: " + outcome.message;
  }
  return outcome;
}

}  // namespace strata::sqltest
