// Workload management on the leader: queues (Redshift's service classes) with concurrency
// slots and memory shares, read from a JSON file in Redshift's wlm_json_configuration form
// (`strata serve --wlm-config FILE`):
//
//   [ {"name": "etl", "query_group": ["nightly"], "user_group": ["loaders"],
//      "query_concurrency": 2, "memory_percent_to_use": 40,
//      "rules": [{"rule_name": "long", "predicate": [{"metric_name": "query_execution_time",
//                 "operator": ">", "value": 60}], "action": "abort"}]},
//     {"short_query_queue": true, "query_concurrency": 3},
//     {"query_concurrency": 5} ]                       <- the last plain queue is the default
//
// Without a file: a default queue of 5 slots and the short query queue. A superuser queue
// (service class 5, one slot) is always there, used by a superuser whose query_group is
// 'superuser'. A statement that runs a query takes a slot of its queue — by query_group, then
// by the user's groups and roles, else the default; a query predicted short goes to the short
// query queue when there is one — and waits in order (FIFO) while all are taken, under its
// statement_timeout and cancel. Its memory share is the queue's percentage of the node budget
// divided by the queue's slots. Query monitoring rules are checked every second on running
// queries (query_execution_time in seconds, return_row_count and scan_row_count from what the
// query reports at its end): log records the action in stl_wlm_rule_action, abort cancels the
// query (57014), hop is logged as log (the query stays where it is). Thread-safe.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace strata {

struct WlmRule {
  std::string name;
  std::string metric;   // query_execution_time | return_row_count | scan_row_count
  std::string op;       // > | < | =
  double value = 0;
  std::string action;   // log | abort | hop
};

struct WlmQueue {
  int service_class = 6;
  std::string name;
  int slots = 5;
  int memory_percent = 0;  // 0: an even share of what the other queues leave
  std::vector<std::string> query_groups;
  std::vector<std::string> user_groups;
  bool superuser = false;
  bool short_query = false;
  std::vector<WlmRule> rules;
};

class Wlm {
 public:
  // Throws std::runtime_error with the reason for a bad configuration.
  static std::vector<WlmQueue> ParseConfig(const std::string& json);
  static std::vector<WlmQueue> DefaultConfig();

  explicit Wlm(std::vector<WlmQueue> queues);
  ~Wlm();

  // Who asks and for what (the statement's queue is chosen from these).
  struct Request {
    int64_t query = 0;
    int64_t pid = 0;
    int64_t xid = 0;
    std::string user;
    bool superuser = false;
    std::string query_group;
    std::set<std::string> groups;  // the user's groups and roles
    bool predicted_short = false;
    // A statement of an explicit transaction block: it may hold table locks that queued
    // statements wait for, so it takes its slot without waiting (it is still counted).
    bool no_wait = false;
  };
  // Held while the query runs; releasing it frees the slot and records stl_wlm_query.
  class Slot {
   public:
    ~Slot();
    int service_class() const { return service_class_; }
    int64_t memory_bytes() const { return memory_bytes_; }
    // What the query reported at its end (for return_row_count / scan_row_count rules).
    void Report(int64_t rows_returned, int64_t rows_scanned);
    // The query id the statement's plan runs under (known once it starts).
    void SetQuery(int64_t query);

   private:
    friend class Wlm;
    Wlm* wlm_ = nullptr;
    int64_t id_ = 0;
    int service_class_ = 0;
    int64_t memory_bytes_ = 0;
  };
  // Waits for a slot (FIFO in the queue). `cancelled` is polled; `deadline_ms` > 0 bounds the
  // wait (statement_timeout). Throws SqlError 57014 when cancelled or timed out.
  std::shared_ptr<Slot> Admit(const Request& r, const std::atomic<bool>* cancelled, int64_t deadline_ms,
                              int64_t node_memory_bytes, std::function<void()> cancel_query);

  struct QueryState {  // stv_wlm_query_state
    int64_t query, pid, xid;
    std::string user;
    int service_class;
    int64_t start_micros;  // when it entered the queue
    int64_t exec_start_micros;  // 0 while queued
    bool running;
  };
  struct Finished {  // stl_wlm_query
    int64_t query, pid, xid;
    std::string user;
    int service_class;
    int64_t queue_start, queue_end, exec_start, exec_end;
    std::string final_state;  // Completed | Evicted (aborted by a rule)
  };
  struct RuleAction {  // stl_wlm_rule_action
    int64_t query, pid;
    std::string user;
    int service_class;
    std::string rule, action;
    int64_t record_micros;
  };
  const std::vector<WlmQueue>& queues() const { return queues_; }
  std::vector<QueryState> States() const;
  std::vector<Finished> FinishedQueries() const;
  std::vector<RuleAction> RuleActions() const;

 private:
  struct Entry {
    Request request;
    size_t queue = 0;
    int64_t enqueued = 0, started = 0;
    bool running = false;
    std::function<void()> cancel_query;
    std::set<std::string> rules_fired;
    bool aborted = false;
    int64_t rows_returned = -1, rows_scanned = -1;
  };
  size_t QueueFor(const Request& r) const;
  void Release(int64_t id);
  void Monitor();
  bool Fires(const WlmRule& rule, const Entry& e, int64_t now) const;  // under mu_

  std::vector<WlmQueue> queues_;
  mutable std::mutex mu_;
  std::condition_variable changed_;
  std::map<int64_t, Entry> entries_;            // GUARDED_BY(mu_)
  std::vector<std::deque<int64_t>> waiting_;    // per queue, FIFO; GUARDED_BY(mu_)
  std::vector<int> running_;                    // per queue; GUARDED_BY(mu_)
  std::deque<Finished> finished_;               // GUARDED_BY(mu_), the newest 10,000
  std::deque<RuleAction> actions_;              // GUARDED_BY(mu_), the newest 10,000
  int64_t next_id_ = 1;
  bool stopping_ = false;
  std::thread monitor_;
};

}  // namespace strata
