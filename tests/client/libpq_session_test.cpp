// Client test of what a session keeps between extended-protocol statements, with the real libpq
// against a running cluster (started by tests/client/libpq_test.sh). PQexecParams sends Parse,
// Bind, Describe, Execute and Sync for an unnamed statement every time, as pgbench and most
// drivers do; the server reuses the parse of a text it saw before and runs each statement in an
// implicit block that the client never sent. The checks:
//   * the same text with new parameters gives new answers, and after ALTER TABLE the same text
//     describes the new columns (only the parse is reused, never the binding);
//   * the implicit BEGIN and COMMIT are not in the session's statement history, while a BEGIN and
//     COMMIT the client sends are;
//   * a failed statement leaves the session idle and usable, and another connection sees it idle;
//   * a SET sent this way is reported back (ParameterStatus);
//   * settings given at connect time in libpq's "options" (PGOPTIONS: -c name=value) apply.
// Usage: libpq_session_test PORT [PASSWORD]   (a password also turns on sslmode=require)
#include <libpq-fe.h>

#include "named_checks.h"

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

namespace {

using client_checks::Check;

PGconn* Connect(const std::string& port, const std::string& password, const std::string& options = "") {
  std::string info = "host=127.0.0.1 port=" + port + " user=strata dbname=dev connect_timeout=10";
  if (!options.empty()) info += " options='" + options + "'";
  info += password.empty() ? " sslmode=disable" : " sslmode=require password=" + password;
  PGconn* conn = PQconnectdb(info.c_str());
  if (PQstatus(conn) != CONNECTION_OK) {
    std::printf("FAIL connect: %s\n", PQerrorMessage(conn));
    std::exit(1);
  }
  return conn;
}

// One extended-protocol statement with text parameters; the result, which the caller clears.
PGresult* Extended(PGconn* conn, const std::string& sql, const std::vector<std::string>& params = {}) {
  std::vector<const char*> values;
  for (const auto& p : params) values.push_back(p.c_str());
  return PQexecParams(conn, sql.c_str(), static_cast<int>(values.size()), nullptr, values.data(), nullptr, nullptr, 0);
}

// The first value of a simple-protocol query, or "<error: ...>".
std::string Scalar(PGconn* conn, const std::string& sql) {
  PGresult* r = PQexec(conn, sql.c_str());
  std::string out = PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) > 0 ? PQgetvalue(r, 0, 0)
                                                                              : "<error: " + std::string(PQresultErrorMessage(r)) + ">";
  PQclear(r);
  return out;
}

bool Ok(PGconn* conn, const std::string& sql) {
  PGresult* r = PQexec(conn, sql.c_str());
  bool ok = PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK;
  if (!ok) std::printf("  %s: %s", sql.c_str(), PQresultErrorMessage(r));
  PQclear(r);
  return ok;
}

void SameTextNewParameters(PGconn* conn) {
  int wrong = 0;
  for (int i = 0; i < 50; ++i) {
    PGresult* r = Extended(conn, "select $1::int * 3 + 1", {std::to_string(i)});
    if (PQresultStatus(r) != PGRES_TUPLES_OK || std::string(PQgetvalue(r, 0, 0)) != std::to_string(i * 3 + 1)) ++wrong;
    PQclear(r);
  }
  Check("the same text with 50 parameter values gives 50 right answers", wrong == 0, std::to_string(wrong) + " wrong");
}

void SameTextAfterAlter(PGconn* conn) {
  Ok(conn, "drop table if exists session_parse_t");
  Check("create the table", Ok(conn, "create table session_parse_t (a int)") && Ok(conn, "insert into session_parse_t values (1)"));
  const std::string sql = "select * from session_parse_t";
  PGresult* before = Extended(conn, sql);
  const int columns_before = PQnfields(before);
  PQclear(before);
  Check("alter table", Ok(conn, "alter table session_parse_t add column b int default 7"));
  PGresult* after = Extended(conn, sql);
  const int columns_after = PQnfields(after);
  const std::string b = PQresultStatus(after) == PGRES_TUPLES_OK && PQntuples(after) == 1 ? PQgetvalue(after, 0, 1) : "";
  PQclear(after);
  Check("the same text sees the column ALTER TABLE added", columns_before == 1 && columns_after == 2 && b == "7",
        "columns " + std::to_string(columns_before) + " then " + std::to_string(columns_after) + ", b = '" + b + "'");
  Ok(conn, "drop table session_parse_t");
}

void ImplicitBlocksAreNotStatements(PGconn* conn) {
  const std::string count =
      "select count(*) from svl_statementtext where pid = pg_backend_pid() and trim(text) in ('BEGIN', 'COMMIT', 'begin', 'commit')";
  const std::string before = Scalar(conn, count);
  for (int i = 0; i < 5; ++i) PQclear(Extended(conn, "select $1::int", {"1"}));
  Check("no history record for the implicit BEGIN and COMMIT of 5 statements", Scalar(conn, count) == before,
        "before " + before + ", after " + Scalar(conn, count));
  Ok(conn, "begin");
  Ok(conn, "commit");
  const std::string sent = Scalar(conn, count);
  Check("a BEGIN and COMMIT the client sends are recorded",
        sent.rfind("<", 0) != 0 && before.rfind("<", 0) != 0 && std::atoi(sent.c_str()) == std::atoi(before.c_str()) + 2,
        "before " + before + ", after " + sent);
}

void FailedStatementLeavesIdle(PGconn* conn, PGconn* other) {
  PGresult* r = Extended(conn, "select 1 / $1::int", {"0"});
  const char* state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
  Check("division by zero fails with 22012", state != nullptr && std::string(state) == "22012", state ? state : "(none)");
  PQclear(r);
  Check("the session is idle after the failed statement", PQtransactionStatus(conn) == PQTRANS_IDLE);
  r = Extended(conn, "select $1::int + 1", {"41"});
  Check("and runs the next one", PQresultStatus(r) == PGRES_TUPLES_OK && std::string(PQgetvalue(r, 0, 0)) == "42");
  PQclear(r);
  const std::string pid = std::to_string(PQbackendPID(conn));
  const std::string seen = Scalar(other, "select state from pg_stat_activity where pid = " + pid);
  Check("another session sees it idle", seen == "idle", seen);
}

void SetIsReported(PGconn* conn) {
  PGresult* r = Extended(conn, "set datestyle to 'SQL, DMY'");
  Check("SET over the extended protocol", PQresultStatus(r) == PGRES_COMMAND_OK, PQresultErrorMessage(r));
  PQclear(r);
  const char* shown = PQparameterStatus(conn, "DateStyle");
  Check("its new value is reported", shown != nullptr && std::string(shown) == "SQL, DMY", shown ? shown : "(none)");
  PQclear(Extended(conn, "reset datestyle"));
  shown = PQparameterStatus(conn, "DateStyle");
  Check("and so is the value RESET brings back", shown != nullptr && std::string(shown) == "ISO, MDY", shown ? shown : "(none)");
}

void StartupOptions(const std::string& port, const std::string& password) {
  PGconn* conn = Connect(port, password, "-c search_path=session_opt_schema,public -c enable_result_cache_for_session=off --datestyle=SQL,\\\\ DMY");
  const std::string path = Scalar(conn, "show search_path");
  Check("-c search_path=... at connect time", path == "session_opt_schema,public" || path == "session_opt_schema, public", path);
  const std::string cache = Scalar(conn, "show enable_result_cache_for_session");
  Check("-c enable_result_cache_for_session=off at connect time", cache == "off", cache);
  const std::string style = Scalar(conn, "show datestyle");
  Check("--datestyle=SQL,\\ DMY at connect time (an escaped space)", style == "SQL, DMY", style);
  PQfinish(conn);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s PORT [PASSWORD]\n", argv[0]);
    return 2;
  }
  const std::string port = argv[1];
  const std::string password = argc > 2 ? argv[2] : "";
  PGconn* conn = Connect(port, password);
  PGconn* other = Connect(port, password);
  SameTextNewParameters(conn);
  SameTextAfterAlter(conn);
  ImplicitBlocksAreNotStatements(conn);
  FailedStatementLeavesIdle(conn, other);
  SetIsReported(conn);
  StartupOptions(port, password);
  PQfinish(other);
  PQfinish(conn);
  return client_checks::Finish();
}
