// Starting and stopping a throwaway PostgreSQL (see postgres_server.h).
#include "tests/tpch/postgres_server.h"

#include "tests/runner/cluster.h"

#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <thread>

#include "tests/runner/cluster.h"
#include "tests/tpch/child_process.h"

namespace strata::tpch {
namespace {

volatile std::sig_atomic_t g_active_postgres = 0;

}  // namespace

void KillActivePostgresFromSignal() {
  pid_t pid = g_active_postgres;
  if (pid > 0) kill(-pid, SIGKILL);
}

std::string PostgresServer::ConnInfo() const {
  return "host=127.0.0.1 port=" + std::to_string(port_) +
         " user=postgres dbname=postgres connect_timeout=5 sslmode=disable gssencmode=disable";
}

bool PostgresServer::Start(int port, std::string& error) {
  port_ = port;
  std::optional<RunAs> account = PostgresAccount();
  mkdir(work_dir_.c_str(), 0755);
  if (account.has_value() && chown(work_dir_.c_str(), account->uid, account->gid) != 0) {
    error = "cannot give " + work_dir_ + " to the postgres user";
    return false;
  }
  std::string data_dir = work_dir_ + "/data";
  log_path_ = work_dir_ + "/postgres.log";
  if (!RunToCompletion({bin_dir_ + "/initdb", "-D", data_dir, "-U", "postgres", "-A", "trust",
                        "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"},
                       account, work_dir_ + "/initdb.log", 120, error)) {
    error = "initdb failed: " + error;
    return false;
  }
  pid_ = Spawn({bin_dir_ + "/postgres", "-D", data_dir, "-p", std::to_string(port), "-k", work_dir_,
                "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c",
                "synchronous_commit=off", "-c", "full_page_writes=off", "-c", "max_connections=20"},
               account, log_path_, error);
  if (pid_ < 0) return false;
  g_active_postgres = pid_;
  auto start = std::chrono::steady_clock::now();
  while (std::chrono::steady_clock::now() - start < std::chrono::seconds(60)) {
    if (sqltest::AnswersSelectOne(ConnInfo())) return true;
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) break;  // the postmaster exited
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  error = "PostgreSQL did not start; log tail:\n" + sqltest::LogFileTail(log_path_, 20);
  Stop();
  return false;
}

void PostgresServer::Stop() {
  if (pid_ <= 0) return;
  StopGroup(pid_, SIGINT, 10000);
  pid_ = -1;
  g_active_postgres = 0;
}

}  // namespace strata::tpch
