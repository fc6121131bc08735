// A throwaway PostgreSQL 15 for the differential test: initdb into a fresh folder, a postmaster
// on a free 127.0.0.1 port (with fsync off: the data is regenerated every run), stopped by its
// PID at the end. When we are root both run as the `postgres` user, which must be able to read
// the folder (the caller makes it 0755).
#pragma once

#include <sys/types.h>

#include <string>

namespace strata::tpch {

class PostgresServer {
 public:
  // `bin_dir` holds initdb and postgres; `work_dir` is created if needed and owned by the
  // server's account.
  PostgresServer(std::string bin_dir, std::string work_dir)
      : bin_dir_(std::move(bin_dir)), work_dir_(std::move(work_dir)) {}
  ~PostgresServer() { Stop(); }
  PostgresServer(const PostgresServer&) = delete;
  PostgresServer& operator=(const PostgresServer&) = delete;

  // initdb + start + wait (bounded, 60 s) until it answers `select 1`. False with `error` set.
  bool Start(int port, std::string& error);

  // Fast shutdown (SIGINT) of the postmaster, SIGKILL of its group after 10 s. Idempotent.
  void Stop();

  std::string ConnInfo() const;
  pid_t pid() const { return pid_; }
  const std::string& log_path() const { return log_path_; }

 private:
  std::string bin_dir_;
  std::string work_dir_;
  std::string log_path_;
  int port_ = 0;
  pid_t pid_ = -1;
};

// Kills the running PostgreSQL's process group from a signal handler; 0 when none runs.
void KillActivePostgresFromSignal();

}  // namespace strata::tpch
