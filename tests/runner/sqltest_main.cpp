// strata_sqltest: the SQL logic test runner. It starts a real Strata cluster (`strata serve`
// with 2 compute nodes x 2 slices and 2 spectrum workers) on a free port and a temporary data
// folder, runs every *.test file under --dir (recursively, in sorted order) each on a fresh
// libpq connection over TCP, prints `ok` or `FAILED` per file with the failing records, then
// `N passed, N failed` (files), stops the cluster and removes the temporary folder.
//
//   strata_sqltest --strata build/strata [--dir tests/sql] [--keep] [--timeout SECONDS]
//                  [--connect CONNINFO] [FILTER...]
//
// FILTER selects the files whose path (relative to --dir) contains it; several filters are
// OR-ed. --keep keeps the temporary folder (data and server.log). --connect runs against an
// already running server instead of starting one (for checking expected results on a real
// PostgreSQL: `--connect "host=127.0.0.1 port=5433 user=postgres dbname=postgres"`); `restart`
// records then only reconnect.
//
// Record format (sqllogictest). Records are separated by blank lines; lines starting with `#`
// between records are comments.
//
//   statement ok                  the SQL on the following lines (up to a blank line) must
//   CREATE TABLE t (a int)        succeed
//
//   statement error 42P01         the SQL must fail with SQLSTATE 42P01; `statement error`
//   SELECT * FROM missing         alone accepts any error; text after the code is a regular
//                                 expression (ECMAScript) searched for in the primary message:
//                                 `statement error 42703 column .* does not exist`
//
//   query ITR rowsort             the SQL up to `----` must return exactly the rows below it
//   SELECT a, b, c FROM t         (up to a blank line). The letters give the column count and
//   ----                          types: I integer, T text, R real. One row per line, columns
//   1<TAB>x<TAB>0.500             separated by a single TAB. NULL prints as `NULL`, the empty
//                                 string as `(empty)`, booleans as `t`/`f`; R values are printed
//                                 with 3 digits after the point; I and T exactly as the server
//                                 sent them. `rowsort` sorts actual and expected rows (as text)
//                                 before comparing; `nosort` (default) compares in order;
//                                 `prefix` compares the first rows only, as many as expected
//                                 (EXPLAIN ANALYZE's step lines, which hold times, follow). A
//                                 query without `----` must return no rows.
//
//   query error 22012             same as `statement error`
//   SELECT 1 / 0
//
//   restart                       kill -9 the whole cluster (its process group), start it again
//                                 on the same data folder, wait until ready, reconnect
//
//   halt                          ignore the rest of the file
//
// Several statements in one record are sent as one simple-protocol query: the first error
// wins, otherwise the last statement's rows are compared. Every statement is bounded by
// --timeout (default 60 s); a timeout or a lost connection ends the file, and the cluster is
// checked (and restarted if it died) before the next file.
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "cluster.h"
#include "file_runner.h"

namespace fs = std::filesystem;
using strata::sqltest::Cluster;
using strata::sqltest::ClusterOptions;
using strata::sqltest::FileResult;
using strata::sqltest::RunContext;

namespace {

struct Options {
  std::string strata_binary;
  std::string dir = "tests/sql";
  std::string connect;
  bool keep = false;
  int timeout_s = 60;
  std::vector<std::string> filters;
};

void Usage() {
  std::cerr << "usage: strata_sqltest --strata PATH [--dir DIR] [--keep] [--timeout SECONDS]\n"
               "                      [--connect CONNINFO] [FILTER...]\n";
}

bool ParseOptions(int argc, char** argv, Options& options) {
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    auto value = [&](std::string& out) {
      if (i + 1 >= argc) return false;
      out = argv[++i];
      return true;
    };
    std::string number;
    if (arg == "--strata") {
      if (!value(options.strata_binary)) return false;
    } else if (arg == "--dir") {
      if (!value(options.dir)) return false;
    } else if (arg == "--connect") {
      if (!value(options.connect)) return false;
    } else if (arg == "--keep") {
      options.keep = true;
    } else if (arg == "--timeout") {
      if (!value(number)) return false;
      options.timeout_s = std::max(1, std::atoi(number.c_str()));
    } else if (arg == "-h" || arg == "--help") {
      return false;
    } else if (!arg.empty() && arg[0] == '-') {
      std::cerr << "unknown option " << arg << "\n";
      return false;
    } else {
      options.filters.push_back(arg);
    }
  }
  return !options.strata_binary.empty() || !options.connect.empty();
}

// Every *.test under `dir`, sorted, as (absolute path, path relative to dir).
std::vector<std::pair<std::string, std::string>> FindTestFiles(const Options& options) {
  std::vector<std::pair<std::string, std::string>> files;
  fs::path root = fs::absolute(options.dir);
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (!entry.is_regular_file() || entry.path().extension() != ".test") continue;
    std::string relative = fs::relative(entry.path(), root).string();
    bool selected = options.filters.empty();
    for (const std::string& filter : options.filters) {
      // A filter may also be given as a path: match on its tail relative to --dir.
      std::string tail = filter;
      std::string prefix = root.string() + "/";
      if (tail.rfind(prefix, 0) == 0) tail = tail.substr(prefix.size());
      if (relative.find(tail) != std::string::npos) selected = true;
    }
    if (selected) files.emplace_back(entry.path().string(), relative);
  }
  std::sort(files.begin(), files.end(),
            [](const auto& a, const auto& b) { return a.second < b.second; });
  return files;
}

// The temporary folder's path, for the interrupt message (a signal handler may only write()).
char g_temp_dir_message[512] = "";

void OnSignal(int) {
  strata::sqltest::KillActiveClusterFromSignal();
  ssize_t ignored = write(STDERR_FILENO, g_temp_dir_message, strlen(g_temp_dir_message));
  (void)ignored;
  _exit(130);
}

// Makes sure the cluster still answers after a suspect file; restarts it if it does not.
bool EnsureClusterHealthy(Cluster& cluster, std::string& error) {
  if (cluster.IsRunning() && strata::sqltest::AnswersSelectOne(cluster.ConnInfo())) return true;
  std::cout << "  (the server is not answering; restarting it)\n" << cluster.LogTail(20);
  cluster.Kill();
  return cluster.Start(error);
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  if (!ParseOptions(argc, argv, options)) {
    Usage();
    return 2;
  }
  if (!fs::is_directory(options.dir)) {
    std::cerr << "not a directory: " << options.dir << "\n";
    return 2;
  }
  std::vector<std::pair<std::string, std::string>> files = FindTestFiles(options);
  if (files.empty()) {
    std::cerr << "no .test files selected under " << options.dir << "\n";
    return 1;
  }
  signal(SIGINT, OnSignal);
  signal(SIGTERM, OnSignal);
  signal(SIGPIPE, SIG_IGN);

  RunContext context;
  context.statement_timeout_ms = options.timeout_s * 1000;
  std::unique_ptr<Cluster> cluster;
  std::string temp_dir;
  if (options.connect.empty()) {
    std::string pattern = (getenv("TMPDIR") ? std::string(getenv("TMPDIR")) : "/tmp") + "/strata-sqltest-XXXXXX";
    if (mkdtemp(pattern.data()) == nullptr) {
      std::cerr << "cannot create a temporary folder\n";
      return 2;
    }
    temp_dir = pattern;
    std::snprintf(g_temp_dir_message, sizeof(g_temp_dir_message),
                  "\ninterrupted: the cluster was killed; %s is left behind\n", temp_dir.c_str());
    ClusterOptions cluster_options;
    cluster_options.strata_binary = fs::absolute(options.strata_binary).string();
    cluster_options.data_dir = temp_dir + "/data";
    cluster_options.log_path = temp_dir + "/server.log";
    cluster_options.port = strata::sqltest::PickFreePort();
    fs::create_directories(cluster_options.data_dir);
    cluster = std::make_unique<Cluster>(cluster_options);
    context.cluster = cluster.get();
    context.conninfo = cluster->ConnInfo();
  } else {
    context.conninfo = options.connect;
  }

  int passed = 0;
  int failed = 0;
  std::string error;
  bool cluster_up = true;
  if (cluster && !cluster->Start(error)) {
    std::cout << "cannot start the cluster: " << error;
    cluster_up = false;
  }
  for (const auto& [path, name] : files) {
    if (!cluster_up) {
      std::cout << "FAILED  " << name << " (no server)\n";
      ++failed;
      continue;
    }
    auto start = std::chrono::steady_clock::now();
    FileResult result = strata::sqltest::RunTestFile(path, name, context);
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    char timing[32];
    std::snprintf(timing, sizeof(timing), "%.2f s", seconds);
    if (result.passed) {
      std::cout << "ok      " << name << " (" << result.records_run << " records, " << timing << ")\n";
      ++passed;
    } else {
      std::cout << "FAILED  " << name << " (" << timing << ")\n";
      for (const std::string& failure : result.failures) std::cout << failure;
      if (result.failures_not_shown > 0) {
        std::cout << "  ... and " << result.failures_not_shown << " more failing records\n";
      }
      ++failed;
    }
    std::cout.flush();
    if (cluster && result.server_suspect && !EnsureClusterHealthy(*cluster, error)) {
      std::cout << "cannot restart the cluster: " << error;
      cluster_up = false;
    }
  }
  std::cout << passed << " passed, " << failed << " failed\n";

  if (cluster) {
    cluster->Stop();
    if (options.keep) {
      std::cout << "kept " << temp_dir << " (data/ and server.log)\n";
    } else {
      std::error_code ignored;
      fs::remove_all(temp_dir, ignored);
    }
  }
  return failed == 0 ? 0 : 1;
}
