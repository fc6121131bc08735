// Running one .test file: a fresh connection, every record in order, `restart` records crashing
// and restarting the cluster. Failures are collected with their file:line and SQL.
#pragma once

#include <string>
#include <vector>

#include "cluster.h"

namespace strata::sqltest {

struct RunContext {
  Cluster* cluster = nullptr;  // null when running against an external server (--connect)
  std::string conninfo;        // libpq connection string of the leader
  int statement_timeout_ms = 60000;
  int max_failures_shown = 10;
};

struct FileResult {
  bool passed = true;
  int records_run = 0;
  std::vector<std::string> failures;  // one printable block per failing record
  int failures_not_shown = 0;
  bool server_suspect = false;        // the connection broke or timed out: check the server
};

// Runs the file at `path`; `display_name` is how failures name it (path relative to --dir).
FileResult RunTestFile(const std::string& path, const std::string& display_name, RunContext& context);

}  // namespace strata::sqltest
