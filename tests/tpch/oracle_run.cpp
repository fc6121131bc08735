// See oracle_run.h.
#include "tests/tpch/oracle_run.h"

#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <exception>
#include <filesystem>
#include <iostream>

namespace strata::tpch {
namespace {

void OnSignal(int signal_number) {
  sqltest::KillActiveClusterFromSignal();
  KillActivePostgresFromSignal();
  _exit(128 + signal_number);
}

}  // namespace

int RunInWorkDir(const std::string& name, bool keep, const std::function<int(const std::string& work_dir)>& suite) {
  signal(SIGINT, OnSignal);
  signal(SIGTERM, OnSignal);
  signal(SIGPIPE, SIG_IGN);
  std::string pattern = "/tmp/" + name + ".XXXXXX";
  if (mkdtemp(pattern.data()) == nullptr) {
    std::cerr << name << ": cannot create a temporary directory\n";
    return 1;
  }
  const std::string work_dir = pattern;
  chmod(work_dir.c_str(), 0755);  // PostgreSQL's account must reach its folder (and data) in here
  int status = 1;
  try {
    status = suite(work_dir);
  } catch (const std::exception& e) {
    std::cout << name << ": " << e.what() << "\n";
    status = 1;
  }
  if (keep) {
    std::cout << "kept " << work_dir << "\n";
  } else {
    std::error_code ignored;
    std::filesystem::remove_all(work_dir, ignored);
  }
  return status;
}

bool StartOraclePair(const std::string& pg_bin, const std::string& strata_binary, const std::string& strata_conninfo,
                     const std::string& work_dir, const std::function<void(sqltest::ClusterOptions*)>& configure,
                     OraclePair* pair) {
  std::string error;
  pair->postgres = std::make_unique<PostgresServer>(pg_bin, work_dir + "/pg");
  if (!pair->postgres->Start(sqltest::PickFreePort(), error)) {
    std::cout << "setup FAILED: PostgreSQL: " << error << "\n";
    return false;
  }
  pair->strata_conninfo = strata_conninfo;
  if (!strata_conninfo.empty()) return true;
  sqltest::ClusterOptions co;
  co.strata_binary = strata_binary;
  co.data_dir = work_dir + "/strata";
  co.log_path = work_dir + "/strata.log";
  co.port = sqltest::PickFreePort();
  co.ready_timeout_s = 60;
  if (configure) configure(&co);
  std::filesystem::create_directories(co.data_dir);
  pair->cluster.emplace(co);
  if (!pair->cluster->Start(error)) {
    std::cout << "setup FAILED: Strata: " << error << "\n";
    return false;
  }
  pair->strata_conninfo = pair->cluster->ConnInfo();
  return true;
}

}  // namespace strata::tpch
