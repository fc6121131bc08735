// The leader's query history: one QueryRecord (rpc.proto) per statement a client ran — text,
// user, session, start and end, outcome — behind stl_query, stl_querytext, svl_qlog,
// svl_statementtext and sys_query_history (server/system_relations/query_history_views.cpp).
// Records go to memory (the newest kMemoryLimit, at most kMemoryBytes) and are appended to a file per UTC day under
// DIR/leader/history, so the history survives a restart; files older than the retention
// (days) are removed when the leader starts and when a new day's file begins. Thread-safe.
#pragma once

#include <cstdint>
#include <deque>
#include <fstream>
#include <atomic>
#include <mutex>
#include <string>
#include <vector>

#include "server/rpc.pb.h"

namespace strata {

class QueryHistory {
 public:
  // `dir`: the folder of the day files (made when missing); "" keeps the history in memory only.
  QueryHistory(std::string dir, int retention_days);

  void Record(rpc::QueryRecord r);
  // Every record kept, oldest first.
  std::vector<rpc::QueryRecord> Rows() const;
  // A transaction id for a statement outside a block, or a block's first statement.
  int64_t NextXid() { return next_xid_.fetch_add(1); }
  // The highest query id of the records loaded at start (0 when none).
  int64_t LastQueryId() const { return last_query_; }

  static constexpr size_t kMemoryLimit = 100000;           // records kept in memory, at most
  static constexpr size_t kMemoryBytes = size_t{64} << 20;  // and their bytes, at most
  static constexpr size_t kMaxTextBytes = 64 * 1024;  // of each statement's text

 private:
  void OpenDay(int64_t day);  // under mu_
  void RemoveExpired(int64_t today);
  void Keep(rpc::QueryRecord r);  // appends to rows_, dropping the oldest past the limits; under mu_

  std::string dir_;
  int retention_days_;
  mutable std::mutex mu_;
  std::deque<rpc::QueryRecord> rows_;  // GUARDED_BY(mu_)
  size_t bytes_ = 0;                   // rows_' serialized bytes; GUARDED_BY(mu_)
  std::ofstream out_;                  // today's file; GUARDED_BY(mu_)
  int64_t out_day_ = -1;
  std::atomic<int64_t> next_xid_{1};
  int64_t last_query_ = 0;
};

}  // namespace strata
