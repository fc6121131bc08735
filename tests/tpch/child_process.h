// Starting helper programs for the TPC-H differential test (dbgen, initdb, postgres): each runs
// in its own process group with its output appended to a log file, optionally under another
// user (PostgreSQL's initdb and postmaster refuse to run as root, so when we are root they run
// as `postgres`). Every wait is bounded.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

namespace strata::tpch {

struct RunAs {
  uid_t uid;
  gid_t gid;
};

// The account to run PostgreSQL under: `postgres` when we are root, nobody else (nullopt) when
// we are not root. Throws when we are root and the account does not exist.
std::optional<RunAs> PostgresAccount();

// Forks and execs `argv` in a new process group (setsid), stdin from /dev/null, stdout and
// stderr appended to `log_path`. Returns the pid, or -1 with `error` set.
pid_t Spawn(const std::vector<std::string>& argv, const std::optional<RunAs>& run_as,
            const std::string& log_path, std::string& error);

// Spawns `argv` and waits at most `timeout_s` for it; on timeout its group is killed. Returns
// true when it exited with status 0; otherwise `error` says what happened.
bool RunToCompletion(const std::vector<std::string>& argv, const std::optional<RunAs>& run_as,
                     const std::string& log_path, int timeout_s, std::string& error);

// Sends `first_signal` to the process group `pid`, waits up to `timeout_ms` for the leader to
// exit, then SIGKILLs the group and reaps the leader. Safe to call with pid <= 0.
void StopGroup(pid_t pid, int first_signal, int timeout_ms);

}  // namespace strata::tpch
