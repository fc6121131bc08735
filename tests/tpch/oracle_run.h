// The frame both differential tests against PostgreSQL run in (tests/tpch/tpch_diff_main.cpp,
// tests/differential/random_queries_main.cpp): signal handlers that kill both servers, a fresh
// work folder PostgreSQL's account can reach, and the two servers started in it.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "tests/runner/cluster.h"
#include "tests/tpch/postgres_server.h"

namespace strata::tpch {

// Installs the signal handlers (SIGINT / SIGTERM kill both servers' process groups, SIGPIPE is
// ignored), makes /tmp/<name>.XXXXXX (mode 0755), runs `suite` in it, then removes it unless
// `keep`. An exception from `suite` is printed as "<name>: <what>" and counts as status 1.
int RunInWorkDir(const std::string& name, bool keep, const std::function<int(const std::string& work_dir)>& suite);

// PostgreSQL (in work_dir/pg) and, unless `strata_conninfo` is given, a Strata cluster (in
// work_dir/strata, its options adjusted by `configure`), both started and answering.
struct OraclePair {
  std::unique_ptr<PostgresServer> postgres;
  std::optional<sqltest::Cluster> cluster;  // empty when Strata was given by conninfo
  std::string strata_conninfo;
};

// Starts the pair; false after printing "setup FAILED: ..." when either does not start.
bool StartOraclePair(const std::string& pg_bin, const std::string& strata_binary, const std::string& strata_conninfo,
                     const std::string& work_dir, const std::function<void(sqltest::ClusterOptions*)>& configure,
                     OraclePair* pair);

}  // namespace strata::tpch
