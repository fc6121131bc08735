// The Strata cluster under test: one `strata serve` process started in its own process group
// (setsid) so that the runner can kill the leader and every compute and spectrum child at once,
// the way a crash would. Its stdout and stderr go to a log file whose tail is printed when it
// fails to start. Every wait here is bounded. The cluster runs as production would: the bootstrap
// user has a password (random per Cluster) and TLS is on (a self-signed certificate made with
// the openssl CLI next to the data folder); every connection string it hands out carries the
// password and sslmode=require.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace strata::sqltest {

struct ClusterOptions {
  std::string strata_binary;   // path to the `strata` executable
  std::string data_dir;        // passed as --data; kept across restarts
  std::string log_path;        // the server's stdout and stderr are appended here
  int port = 0;                // the leader's PostgreSQL port on 127.0.0.1
  int ready_timeout_s = 30;    // how long Start() waits for `select 1` to succeed
  int stop_timeout_s = 10;     // how long Stop() waits after SIGTERM before SIGKILL
  std::string password;        // the `strata` user's password; empty: a random one
  std::vector<std::string> allow_paths;  // --allow-path folders (server-side COPY / UNLOAD)
  std::vector<std::string> extra_args;   // more `strata serve` options, e.g. --memory-limit 256MB
};

// The last `max_lines` lines of a log file, indented for test output.
std::string LogFileTail(const std::string& path, int max_lines);

class Cluster {
 public:
  explicit Cluster(ClusterOptions options);
  ~Cluster();  // kills the process group if still running
  Cluster(const Cluster&) = delete;
  Cluster& operator=(const Cluster&) = delete;

  // Starts the server and waits until it answers `select 1`. Returns false (with `error` set,
  // including the log's tail) if it exits or does not become ready within the timeout; the
  // process group is killed in that case.
  bool Start(std::string& error);

  // SIGTERM to the whole group, then SIGKILL after stop_timeout_s. Idempotent.
  void Stop();

  // SIGKILL to the whole group and reap the leader: a simulated crash.
  void Kill();

  // True while the leader process has not exited.
  bool IsRunning();

  // libpq connection string for the leader.
  std::string ConnInfo() const;

  // The last `max_lines` lines of the server log.
  std::string LogTail(int max_lines) const { return LogFileTail(options_.log_path, max_lines); }

  const ClusterOptions& options() const { return options_; }
  // The leader's process id (the group's id too); -1 before Start.
  pid_t pid() const { return pid_; }

 private:
  // Makes the TLS certificate and key (once) with the openssl CLI; false with `error` set.
  bool MakeTlsFiles(std::string& error);
  // Waits (bounded) until no process of the group is left, so that ports and files are free.
  void WaitGroupGone(int timeout_ms);

  ClusterOptions options_;
  std::string tls_cert_, tls_key_;
  pid_t pid_ = -1;  // the leader; also the process group id
};

// Asks the kernel for a free TCP port on 127.0.0.1 (bind port 0, read it back, close).
int PickFreePort();

// Tries `select 1` over a fresh connection to `conninfo` once; true when it succeeds.
bool AnswersSelectOne(const std::string& conninfo);

// Kills the process group of the cluster currently running, from a signal handler (the runner
// registers it for SIGINT and SIGTERM so that an interrupted run leaves no servers behind).
void KillActiveClusterFromSignal();

}  // namespace strata::sqltest
