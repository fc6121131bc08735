// SessionDirectory: every client session of the leader by its backend pid, with what it is
// doing — the rows of pg_stat_activity, stv_recents and stv_inflight — and the hooks that
// pg_cancel_backend(pid) and pg_terminate_backend(pid) pull. A session registers when it
// gets its pid (BackendKeyData) and leaves when it ends; it updates its own entry at each
// statement. Thread-safe: sessions, the system-table producer and the signal functions run on
// different connection threads.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace strata {

struct SessionActivity {
  int64_t pid = 0;
  std::string user;
  std::string database;
  std::string application_name;
  int64_t backend_start_micros = 0;  // since 2000-01-01 UTC, as timestamps are stored
  int64_t query_start_micros = 0;
  std::string state = "idle";        // idle | active | idle in transaction | idle in transaction (aborted)
  std::string query;                 // the last statement's text
  int64_t query_id = 0;              // the running (or last) query's id
};

class SessionDirectory {
 public:
  struct Hooks {
    std::function<void()> cancel;     // stops the running statement (57014)
    std::function<void()> terminate;  // ends the connection (FATAL 57P01)
  };
  void Register(const SessionActivity& a, Hooks hooks);
  void Unregister(int64_t pid);
  // Replaces the entry's mutable fields (state, query, query_start, query_id).
  void Update(const SessionActivity& a);
  // A streamed query ended after its statement returned: the entry becomes `state` unless the
  // session has moved on to another query since.
  void QueryEnded(int64_t pid, int64_t query_id, const std::string& state);
  std::vector<SessionActivity> List() const;
  // The user of session `pid`, if it exists.
  std::optional<std::string> UserOf(int64_t pid) const;
  // Signals session `pid`; false when there is none.
  bool Cancel(int64_t pid);
  bool Terminate(int64_t pid);

 private:
  struct Entry {
    SessionActivity activity;
    Hooks hooks;
  };
  mutable std::mutex mu_;
  std::map<int64_t, Entry> sessions_;
};

}  // namespace strata
