// random_query_diff: the seeded random differential test. It starts a throwaway PostgreSQL 15
// and a Strata cluster, creates the same three small tables in both (query_generator.h), then
// runs randomly generated SELECT queries on each until --queries have run or --time-limit
// seconds have passed, and compares the answers with the rules of result_compare.h (in order
// when the query's ORDER BY covers every output column, as multisets otherwise). A query that
// PostgreSQL rejects is skipped; every failure is printed with its query text. Exit status 1
// when any answer differs, Strata fails a query PostgreSQL answered, Strata dies, or fewer than
// 50 queries ran. Both servers are stopped by PID at the end, also on SIGINT/SIGTERM.
//
//   random_query_diff --strata build/strata [--seed N] [--queries N] [--time-limit SECONDS]
//                     [--pg-bin DIR] [--keep] [--strata-conninfo CONNINFO]
//                     [--print-queries]   (print the generated queries and exit)
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "tests/differential/query_generator.h"
#include "tests/runner/cluster.h"
#include "tests/runner/connection.h"
#include "tests/tpch/oracle_run.h"
#include "tests/tpch/postgres_server.h"
#include "tests/tpch/result_compare.h"

namespace strata::difftest {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

constexpr int kQueryTimeoutMs = 20 * 1000;
constexpr int kSetupTimeoutMs = 60 * 1000;
constexpr int kMinimumQueries = 50;

struct Options {
  std::string strata_binary;
  std::string strata_conninfo;  // an already running server instead of starting a cluster
  std::string pg_bin = "/usr/lib/postgresql/15/bin";
  uint64_t seed = 20261205;
  int queries = 400;
  int time_limit_s = 150;
  bool keep = false;
  bool print_queries = false;
};

[[noreturn]] void Usage(const std::string& problem) {
  std::cerr << "random_query_diff: " << problem << "\n"
            << "usage: random_query_diff --strata PATH | --strata-conninfo CONNINFO\n"
            << "         [--pg-bin DIR] [--seed N] [--queries N] [--time-limit SECONDS] [--keep]\n"
            << "         [--print-queries]\n";
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
    else if (arg == "--strata-conninfo") o.strata_conninfo = value();
    else if (arg == "--pg-bin") o.pg_bin = value();
    else if (arg == "--seed") o.seed = std::strtoull(value().c_str(), nullptr, 10);
    else if (arg == "--queries") o.queries = std::atoi(value().c_str());
    else if (arg == "--time-limit") o.time_limit_s = std::atoi(value().c_str());
    else if (arg == "--keep") o.keep = true;
    else if (arg == "--print-queries") o.print_queries = true;
    else Usage("unknown argument " + arg);
  }
  if (!o.print_queries && o.strata_conninfo.empty() && o.strata_binary.empty()) {
    Usage("--strata or --strata-conninfo is required");
  }
  if (o.queries <= 0) Usage("--queries must be positive");
  if (o.time_limit_s <= 0) Usage("--time-limit must be positive");
  return o;
}

double SecondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

std::string Describe(const sqltest::SqlOutcome& r) {
  switch (r.status) {
    case sqltest::OutcomeStatus::kOk: return "ok";
    case sqltest::OutcomeStatus::kTimeout: return "timeout: " + r.message;
    case sqltest::OutcomeStatus::kConnectionLost: return "connection lost: " + r.message;
    case sqltest::OutcomeStatus::kError: break;
  }
  return (r.sqlstate.empty() ? "" : "[" + r.sqlstate + "] ") + r.message;
}

// Runs `statements` in order; false with `error` set at the first failure.
bool RunSetup(sqltest::Connection& conn, const std::vector<std::string>& statements,
              bool ignore_errors, std::string& error) {
  for (const std::string& sql : statements) {
    sqltest::SqlOutcome r = conn.Execute(sql, kSetupTimeoutMs);
    if (r.status != sqltest::OutcomeStatus::kOk && !ignore_errors) {
      error = Describe(r) + "\n  in: " + sql;
      return false;
    }
  }
  return true;
}

// Reopens a connection after a timeout or a broken connection; false with `error` set.
bool EnsureOpen(sqltest::Connection& conn, const std::string& conninfo,
                const sqltest::SqlOutcome& last, std::string& error) {
  if (last.status == sqltest::OutcomeStatus::kOk || last.status == sqltest::OutcomeStatus::kError) {
    if (conn.IsOpen()) return true;
  }
  return conn.Open(conninfo, error);
}

struct Tally {
  int run = 0;
  int identical = 0;
  int different = 0;
  int strata_errors = 0;
  int skipped = 0;
  int empty = 0;  // identical answers with no rows (a measure of the generator's aim)
  bool strata_died = false;
};

void PrintFailure(int number, const GeneratedQuery& query, const std::string& what) {
  std::printf("query %d FAILED: %s\n  %s\n", number, what.c_str(), query.sql.c_str());
  std::fflush(stdout);
}

// Everything between starting the servers and stopping them. Returns the process exit status.
int RunSuite(const Options& o, const std::string& work_dir) {
  Clock::time_point suite_start = Clock::now();
  std::string error;
  tpch::OraclePair servers;
  if (!tpch::StartOraclePair(o.pg_bin, o.strata_binary, o.strata_conninfo, work_dir, nullptr, &servers)) return 1;
  tpch::PostgresServer& postgres = *servers.postgres;
  std::optional<sqltest::Cluster>& cluster = servers.cluster;
  const std::string strata_conninfo = servers.strata_conninfo;

  DataSetup data = MakeData(o.seed);
  sqltest::Connection pg_conn;
  sqltest::Connection strata_conn;
  if (!pg_conn.Open(postgres.ConnInfo(), error) || !RunSetup(pg_conn, data.postgres, false, error)) {
    std::cout << "setup FAILED: loading PostgreSQL: " << error << "\n";
    return 1;
  }
  if (!strata_conn.Open(strata_conninfo, error) ||
      !RunSetup(strata_conn, data.drops, true, error) ||
      !RunSetup(strata_conn, data.strata, false, error)) {
    std::cout << "setup FAILED: loading Strata: " << error << "\n";
    if (cluster) std::cout << cluster->LogTail(20);
    return 1;
  }
  // Statistics for both optimizers; Strata without them still answers.
  pg_conn.Execute("analyze", kSetupTimeoutMs);
  sqltest::SqlOutcome analyzed = strata_conn.Execute("analyze", kSetupTimeoutMs);
  if (analyzed.status != sqltest::OutcomeStatus::kOk) {
    std::cout << "warning: ANALYZE on Strata failed: " << Describe(analyzed) << "\n";
    if (!EnsureOpen(strata_conn, strata_conninfo, analyzed, error)) {
      std::cout << "setup FAILED: reconnecting to Strata: " << error << "\n";
      return 1;
    }
  }
  std::printf("setup done in %.1f s\n", SecondsSince(suite_start));
  std::fflush(stdout);

  QueryGenerator generator(o.seed);
  Tally t;
  Clock::time_point loop_start = Clock::now();
  for (int number = 1; number <= o.queries; ++number) {
    if (SecondsSince(loop_start) >= o.time_limit_s) {
      std::printf("time limit of %d s reached after %d queries\n", o.time_limit_s, t.run);
      break;
    }
    GeneratedQuery query = generator.Next();
    sqltest::SqlOutcome expected = pg_conn.Execute(query.sql, kQueryTimeoutMs);
    if (expected.status != sqltest::OutcomeStatus::kOk) {
      ++t.skipped;
      if (!EnsureOpen(pg_conn, postgres.ConnInfo(), expected, error)) {
        std::cout << "PostgreSQL connection lost: " << error << "\n";
        return 1;
      }
      continue;
    }
    ++t.run;
    sqltest::SqlOutcome actual = strata_conn.Execute(query.sql, kQueryTimeoutMs);
    if (actual.status != sqltest::OutcomeStatus::kOk) {
      ++t.strata_errors;
      PrintFailure(number, query, "strata error: " + Describe(actual));
      if (cluster && !cluster->IsRunning()) {
        t.strata_died = true;
        std::cout << "Strata died; log tail:\n" << cluster->LogTail(30);
        break;
      }
      if (!EnsureOpen(strata_conn, strata_conninfo, actual, error)) {
        t.strata_died = true;
        std::cout << "cannot reconnect to Strata: " << error << "\n";
        if (cluster) std::cout << cluster->LogTail(30);
        break;
      }
      continue;
    }
    std::optional<std::string> difference =
        tpch::FirstDifference(expected.rows, actual.rows, query.ordered);
    if (difference.has_value()) {
      ++t.different;
      PrintFailure(number, query, *difference);
    } else {
      ++t.identical;
      if (expected.rows.empty()) ++t.empty;
    }
  }
  if (cluster && !t.strata_died && !cluster->IsRunning()) {
    t.strata_died = true;
    std::cout << "Strata died; log tail:\n" << cluster->LogTail(30);
  }
  std::printf("random queries: %d run, %d identical, %d different, %d strata errors, "
              "%d skipped (postgres error), seed %llu (%.1f s)\n",
              t.run, t.identical, t.different, t.strata_errors, t.skipped,
              static_cast<unsigned long long>(o.seed), SecondsSince(suite_start));
  std::printf("%d of the identical answers were empty\n", t.empty);
  if (t.run < kMinimumQueries) {
    std::printf("FAILED: only %d queries ran, at least %d are required\n", t.run, kMinimumQueries);
  }
  std::fflush(stdout);
  strata_conn.Close();
  pg_conn.Close();
  if (cluster) cluster->Stop();
  postgres.Stop();
  bool ok = t.different == 0 && t.strata_errors == 0 && !t.strata_died && t.run >= kMinimumQueries;
  return ok ? 0 : 1;
}

}  // namespace
}  // namespace strata::difftest

int main(int argc, char** argv) {
  using namespace strata::difftest;
  Options options = ParseOptions(argc, argv);
  if (options.print_queries) {
    for (const std::string& sql : MakeData(options.seed).postgres) std::cout << sql << ";\n";
    QueryGenerator generator(options.seed);
    for (int i = 1; i <= options.queries; ++i) {
      GeneratedQuery q = generator.Next();
      std::cout << "-- query " << i << (q.ordered ? " (ordered)" : "") << "\n" << q.sql << ";\n";
    }
    return 0;
  }
  return strata::tpch::RunInWorkDir("random_query_diff", options.keep,
                                    [&](const std::string& work_dir) { return RunSuite(options, work_dir); });
}
