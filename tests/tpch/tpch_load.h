// Creating the TPC-H tables and loading dbgen's .tbl files into one engine. PostgreSQL's COPY
// rejects the trailing '|' of every dbgen line, so it reads the file through `sed` (COPY FROM
// PROGRAM, run by the server); Strata's COPY accepts the trailing delimiter and reads the file
// itself. Each engine gets its own schema file (Strata's carries DISTKEY/SORTKEY).
#pragma once

#include <string>
#include <vector>

#include "tests/runner/connection.h"

namespace strata::tpch {

enum class LoadDialect {
  kPostgres,  // COPY t FROM PROGRAM 'sed ...' DELIMITER '|'
  kStrata,    // COPY t FROM '/path/t.tbl' DELIMITER '|'
  kInsert,    // multi-row INSERT ... VALUES of quoted literals, for an engine without COPY
};

// The eight tables in load order (dimension tables first).
const std::vector<std::string>& TpchTables();

// Drops the tables if they exist (for a server reused across runs), runs every statement of
// `schema_path`, COPYs `<tbl_dir>/<table>.tbl` into each table. Returns false with
// `error` naming the failed statement. `seconds` receives the time spent in COPY.
bool CreateAndLoad(sqltest::Connection& conn, LoadDialect dialect, const std::string& schema_path,
                   const std::string& tbl_dir, bool drop_first, double& seconds,
                   std::string& error);

}  // namespace strata::tpch
