// tpch_diff: the TPC-H differential test. It generates the TPC-H data once (strata-dbgen),
// starts a throwaway PostgreSQL 15 and a Strata cluster (2 compute nodes), loads the same .tbl
// files into both, runs the 22 queries on each and compares the answers with the rules in
// result_compare.h. One line per query (ok / FAILED with the first difference or the error),
// then `N passed, N failed`; the exit status is 1 on any failure. Both servers are stopped by
// PID at the end whatever happened, also on SIGINT/SIGTERM.
//
//   tpch_diff --strata build/strata --dbgen build/strata-dbgen --queries tests/tpch
//             [--scale 0.01] [--only q05,q07] [--keep] [--data DIR_WITH_TBL_FILES]
//             [--strata-conninfo CONNINFO [--strata-dialect postgres]] [--timeout 120]
//             [--strata-load-by-insert]   (INSERT ... VALUES instead of COPY, for debugging)
//             [--strata-set NAME=VALUE]...  (a session setting for Strata's queries)
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "tests/runner/cluster.h"
#include "tests/runner/connection.h"
#include "tests/tpch/child_process.h"
#include "tests/tpch/oracle_run.h"
#include "tests/tpch/postgres_server.h"
#include "tests/tpch/result_compare.h"
#include "tests/tpch/sql_script.h"
#include "tests/tpch/tpch_load.h"

namespace strata::tpch {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

struct Options {
  std::string strata_binary;
  std::string dbgen_binary;
  std::string suite_dir;  // holds schema.sql, schema_strata.sql and queries/
  std::string scale = "0.01";
  std::set<std::string> only;
  bool keep = false;
  std::string data_dir;         // existing .tbl files instead of running dbgen
  std::string strata_conninfo;  // an already running server instead of starting a cluster
  bool strata_is_postgres = false;
  bool strata_load_by_insert = false;
  std::string pg_bin = "/usr/lib/postgresql/15/bin";
  int timeout_s = 120;
  std::vector<std::string> strata_settings;  // "set NAME = VALUE" before each of Strata's queries
};

[[noreturn]] void Usage(const std::string& problem) {
  std::cerr << "tpch_diff: " << problem << "\n"
            << "usage: tpch_diff --strata PATH --dbgen PATH --queries DIR [--scale SF]\n"
            << "         [--only q01,q05] [--keep] [--data TBL_DIR] [--timeout SECONDS]\n"
            << "         [--strata-conninfo CONNINFO [--strata-dialect postgres|strata]]\n"
            << "         [--pg-bin DIR] [--strata-load-by-insert] [--strata-set NAME=VALUE]...\n";
  std::exit(2);
}

Options ParseOptions(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) Usage(arg + " needs a value");
      return argv[++i];
    };
    if (arg == "--strata") o.strata_binary = value();
    else if (arg == "--dbgen") o.dbgen_binary = value();
    else if (arg == "--queries") o.suite_dir = value();
    else if (arg == "--scale") o.scale = value();
    else if (arg == "--keep") o.keep = true;
    else if (arg == "--strata-load-by-insert") o.strata_load_by_insert = true;
    else if (arg == "--data") o.data_dir = value();
    else if (arg == "--strata-conninfo") o.strata_conninfo = value();
    else if (arg == "--pg-bin") o.pg_bin = value();
    else if (arg == "--timeout") o.timeout_s = std::atoi(value().c_str());
    else if (arg == "--strata-set") {
      std::string kv = value();
      size_t eq = kv.find('=');
      if (eq == std::string::npos || eq == 0) Usage("--strata-set takes NAME=VALUE");
      o.strata_settings.push_back("set " + kv.substr(0, eq) + " = " + kv.substr(eq + 1));
    }
    else if (arg == "--strata-dialect") {
      std::string d = value();
      if (d != "postgres" && d != "strata") Usage("--strata-dialect is postgres or strata");
      o.strata_is_postgres = d == "postgres";
    } else if (arg == "--only") {
      std::stringstream list(value());
      std::string name;
      while (std::getline(list, name, ',')) {
        if (name.size() == 2 && name[0] == 'q') name = "q0" + name.substr(1);  // q5 -> q05
        if (!name.empty()) o.only.insert(name);
      }
    } else {
      Usage("unknown argument " + arg);
    }
  }
  if (o.suite_dir.empty()) Usage("--queries is required");
  if (o.strata_conninfo.empty() && o.strata_binary.empty()) Usage("--strata is required");
  if (o.data_dir.empty() && o.dbgen_binary.empty()) Usage("--dbgen or --data is required");
  if (o.timeout_s <= 0) Usage("--timeout must be positive");
  return o;
}

double SecondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

struct QueryOutcome {
  bool ok = false;
  std::string error;
  std::vector<ResultRow> rows;
  double seconds = 0;
};

// Runs a query file's statements in order on one engine within `timeout_s` overall. After a
// failure the file's trailing DROP statements still run (best effort) so that Q15's view does
// not outlive a failed run.
QueryOutcome RunQuery(sqltest::Connection& conn, const std::string& conninfo,
                      const std::vector<std::string>& statements, int timeout_s) {
  QueryOutcome out;
  if (!conn.IsOpen() && !conn.Open(conninfo, out.error)) return out;
  Clock::time_point start = Clock::now();
  size_t i = 0;
  for (; i < statements.size(); ++i) {
    int left_ms = timeout_s * 1000 - static_cast<int>(SecondsSince(start) * 1000);
    sqltest::SqlOutcome r = conn.Execute(statements[i], std::max(left_ms, 1));
    if (r.status != sqltest::OutcomeStatus::kOk) {
      out.error = (r.sqlstate.empty() ? "" : "[" + r.sqlstate + "] ") + r.message;
      if (r.status == sqltest::OutcomeStatus::kTimeout) out.error = "timeout: " + r.message;
      break;
    }
    if (ReturnsRows(statements[i])) out.rows = std::move(r.rows);
  }
  out.seconds = SecondsSince(start);
  out.ok = i == statements.size();
  if (!out.ok && conn.IsOpen()) {
    for (size_t j = i + 1; j < statements.size(); ++j) {
      if (statements[j].rfind("drop", 0) == 0) conn.Execute(statements[j], 10000);
    }
  }
  return out;
}

std::vector<std::string> QueryFiles(const Options& o) {
  std::vector<std::string> files;
  for (const fs::directory_entry& entry : fs::directory_iterator(o.suite_dir + "/queries")) {
    std::string stem = entry.path().stem().string();
    if (entry.path().extension() != ".sql") continue;
    if (!o.only.empty() && o.only.count(stem) == 0) continue;
    files.push_back(entry.path().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

// Everything between starting the servers and stopping them; returns the number of failures
// (setup failures count as one).
int RunSuite(const Options& o, const std::string& work_dir) {
  Clock::time_point suite_start = Clock::now();
  std::string error;
  std::string tbl_dir = o.data_dir;
  if (tbl_dir.empty()) {
    tbl_dir = work_dir + "/tbl";
    fs::create_directories(tbl_dir);
    Clock::time_point start = Clock::now();
    if (!RunToCompletion({o.dbgen_binary, "--scale", o.scale, "--out", tbl_dir}, std::nullopt,
                         work_dir + "/dbgen.log", 600, error)) {
      std::cout << "setup FAILED: dbgen: " << error << "\n";
      return 1;
    }
    std::printf("generated SF %s in %.1f s\n", o.scale.c_str(), SecondsSince(start));
  }
  tbl_dir = fs::absolute(tbl_dir).string();

  OraclePair servers;
  auto allow_tables = [&](sqltest::ClusterOptions* co) { co->allow_paths = {tbl_dir}; };  // COPY reads the .tbl files
  if (!StartOraclePair(o.pg_bin, o.strata_binary, o.strata_conninfo, work_dir, allow_tables, &servers)) return 1;
  PostgresServer& postgres = *servers.postgres;
  std::optional<sqltest::Cluster>& cluster = servers.cluster;
  const std::string strata_conninfo = servers.strata_conninfo;

  sqltest::Connection pg_conn;
  sqltest::Connection strata_conn;
  double pg_load = 0;
  double strata_load = 0;
  if (!pg_conn.Open(postgres.ConnInfo(), error) ||
      !CreateAndLoad(pg_conn, LoadDialect::kPostgres, o.suite_dir + "/schema.sql", tbl_dir,
                     false, pg_load, error)) {
    std::cout << "setup FAILED: loading PostgreSQL: " << error << "\n";
    return 1;
  }
  bool external = !o.strata_conninfo.empty();
  std::string strata_schema =
      o.suite_dir + (o.strata_is_postgres ? "/schema.sql" : "/schema_strata.sql");
  if (!strata_conn.Open(strata_conninfo, error) ||
      !CreateAndLoad(strata_conn,
                     o.strata_load_by_insert ? LoadDialect::kInsert
                     : o.strata_is_postgres  ? LoadDialect::kPostgres
                                             : LoadDialect::kStrata,
                     strata_schema, tbl_dir, external, strata_load, error)) {
    std::cout << "setup FAILED: loading Strata: " << error << "\n";
    if (cluster) std::cout << cluster->LogTail(20);
    return 1;
  }
  std::printf("loaded: postgres %.2f s, strata %.2f s\n", pg_load, strata_load);
  // Statistics for both optimizers. A Strata without ANALYZE still answers the queries (with a
  // worse join order), so its failure is reported and the run goes on.
  sqltest::SqlOutcome analyzed = pg_conn.Execute("analyze", 300 * 1000);
  if (analyzed.status != sqltest::OutcomeStatus::kOk) {
    std::cout << "setup FAILED: ANALYZE on PostgreSQL: " << analyzed.message << "\n";
    return 1;
  }
  analyzed = strata_conn.Execute("analyze", 300 * 1000);
  if (analyzed.status != sqltest::OutcomeStatus::kOk) {
    std::cout << "warning: ANALYZE on Strata failed, running without statistics: ["
              << analyzed.sqlstate << "] " << analyzed.message << "\n";
    if (!strata_conn.IsOpen() && !strata_conn.Open(strata_conninfo, error)) {
      std::cout << "setup FAILED: reconnecting to Strata: " << error << "\n";
      return 1;
    }
  }

  int passed = 0;
  int failed = 0;
  for (const std::string& file : QueryFiles(o)) {
    std::string name = fs::path(file).stem().string();
    std::vector<std::string> statements = SplitStatements(ReadTextFile(file));
    bool ordered = false;
    for (const std::string& s : statements) {
      if (ReturnsRows(s)) ordered = HasTopLevelOrderBy(s);
    }
    QueryOutcome expected = RunQuery(pg_conn, postgres.ConnInfo(), statements, o.timeout_s);
    std::vector<std::string> strata_statements = o.strata_settings;
    strata_statements.insert(strata_statements.end(), statements.begin(), statements.end());
    QueryOutcome actual = RunQuery(strata_conn, strata_conninfo, strata_statements, o.timeout_s);
    std::optional<std::string> difference;
    if (!expected.ok) {
      difference = "postgres error: " + expected.error;
    } else if (!actual.ok) {
      difference = "strata error: " + actual.error;
    } else {
      difference = FirstDifference(expected.rows, actual.rows, ordered);
    }
    if (difference.has_value()) {
      ++failed;
      std::printf("%s FAILED  %s\n", name.c_str(), difference->c_str());
    } else {
      ++passed;
      std::printf("%s ok      %4zu rows  postgres %.3f s  strata %.3f s\n", name.c_str(),
                  expected.rows.size(), expected.seconds, actual.seconds);
    }
    std::fflush(stdout);
    if (cluster && !cluster->IsRunning()) {
      std::cout << "Strata died; log tail:\n" << cluster->LogTail(30);
      ++failed;
      break;
    }
  }
  std::printf("%d passed, %d failed (%.1f s)\n", passed, failed, SecondsSince(suite_start));
  if (cluster) cluster->Stop();
  postgres.Stop();
  return failed;
}

}  // namespace
}  // namespace strata::tpch

int main(int argc, char** argv) {
  using namespace strata::tpch;
  Options options = ParseOptions(argc, argv);
  int failures = RunInWorkDir("tpch_diff", options.keep,
                              [&](const std::string& work_dir) { return RunSuite(options, work_dir); });
  return failures == 0 ? 0 : 1;
}
