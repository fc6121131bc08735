// Schema creation and bulk load for one engine (see tpch_load.h).
#include "tests/tpch/tpch_load.h"

#include <chrono>
#include <fstream>

#include "tests/tpch/sql_script.h"

namespace strata::tpch {
namespace {

constexpr int kStatementTimeoutMs = 300 * 1000;

bool Run(sqltest::Connection& conn, const std::string& sql, std::string& error) {
  sqltest::SqlOutcome outcome = conn.Execute(sql, kStatementTimeoutMs);
  if (outcome.status == sqltest::OutcomeStatus::kOk) return true;
  std::string shown = sql.size() > 200 ? sql.substr(0, 200) + "..." : sql;
  error = "`" + shown + "` failed: " +
          (outcome.sqlstate.empty() ? "" : "[" + outcome.sqlstate + "] ") + outcome.message;
  return false;
}

// Loads a .tbl file as INSERT statements of kInsertBatchRows rows each; every value is a quoted
// literal and the engine's assignment casts turn it into the column's type.
constexpr int kInsertBatchRows = 500;

bool InsertFile(sqltest::Connection& conn, const std::string& table, const std::string& path,
                std::string& error) {
  std::ifstream in(path);
  if (!in) {
    error = "cannot read " + path;
    return false;
  }
  std::string head = "insert into " + table + " values ";
  std::string sql = head;
  int rows = 0;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    if (line.back() == '|') line.pop_back();
    sql += rows == 0 ? "(" : ",(";
    size_t start = 0;
    while (true) {
      size_t bar = line.find('|', start);
      std::string field = line.substr(start, bar == std::string::npos ? std::string::npos : bar - start);
      sql += start == 0 ? "'" : ",'";
      for (char c : field) sql += c == '\'' ? std::string("''") : std::string(1, c);
      sql += "'";
      if (bar == std::string::npos) break;
      start = bar + 1;
    }
    sql += ")";
    if (++rows == kInsertBatchRows) {
      if (!Run(conn, sql, error)) return false;
      sql = head;
      rows = 0;
    }
  }
  return rows == 0 || Run(conn, sql, error);
}

}  // namespace

const std::vector<std::string>& TpchTables() {
  static const std::vector<std::string> kTables = {"region",   "nation",   "part",   "supplier",
                                                   "partsupp", "customer", "orders", "lineitem"};
  return kTables;
}

bool CreateAndLoad(sqltest::Connection& conn, LoadDialect dialect, const std::string& schema_path,
                   const std::string& tbl_dir, bool drop_first, double& seconds,
                   std::string& error) {
  seconds = 0;
  if (drop_first) {
    for (const std::string& table : TpchTables()) {
      if (!Run(conn, "drop table if exists " + table, error)) return false;
    }
  }
  for (const std::string& statement : SplitStatements(ReadTextFile(schema_path))) {
    if (!Run(conn, statement, error)) return false;
  }
  auto start = std::chrono::steady_clock::now();
  for (const std::string& table : TpchTables()) {
    std::string path = tbl_dir + "/" + table + ".tbl";
    if (dialect == LoadDialect::kInsert) {
      if (!InsertFile(conn, table, path, error)) return false;
      continue;
    }
    std::string copy =
        dialect == LoadDialect::kPostgres
            ? "copy " + table + " from program 'sed \"s/|$//\" " + path + "' delimiter '|'"
            : "copy " + table + " from '" + path + "' delimiter '|'";
    if (!Run(conn, copy, error)) return false;
  }
  seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return true;
}

}  // namespace strata::tpch
