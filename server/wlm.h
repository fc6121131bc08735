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
// statement_timeout and cancel. A statement takes wlm_query_slot_count slots of its queue at once.
// Its memory share — the query's memory budget on every node (RunStage.query_memory), past which
// it spills — is the queue's percentage of the node budget divided by the queue's slots, times
// the slots it holds; a queue without a percentage gets an even share of what the others leave
// (the short query queue's slots get the default queue's share: short queries are small).
//
// Query monitoring rules (up to three predicates, all of which must hold) are checked every
// half second on running queries — query_execution_time and query_queue_time in seconds — and
// at the query's end on what it reports: return_row_count, scan_row_count, query_blocks_read,
// query_temp_blocks_to_disk (MB spilled), spectrum_scan_row_count, spectrum_scan_size_mb. Each
// rule acts once per query, recorded in stl_wlm_rule_action: log; abort cancels the query (57014,
// final state Evicted); hop reassigns the running query to the next queue after its own that its
// query group or user groups match, or else the default queue ("hop(reassign)"): it keeps running
// and its slots move, freeing its first queue (a full next queue is tried again at each check);
// with no next queue the query is cancelled, as Redshift's hop does. When rules fire together the
// most severe acts (abort > hop > log) and the others are recorded as "none". Thread-safe.
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

struct WlmPredicate {
  std::string metric;  // see the list above
  std::string op;      // > | < | =
  double value = 0;
};

struct WlmRule {
  std::string name;
  std::vector<WlmPredicate> predicates;  // 1 to 3, all must hold
  std::string action;                    // log | abort | hop
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

  // `node_memory_bytes`: a compute node's memory budget, of which the queues have their shares.
  Wlm(std::vector<WlmQueue> queues, int64_t node_memory_bytes);
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
    int slot_count = 1;  // wlm_query_slot_count
    // A statement of an explicit transaction block: it may hold table locks that queued
    // statements wait for, so it takes its slot without waiting (it is still counted).
    bool no_wait = false;
  };
  // What a query reports at its end, for the rules on it; -1 = not known.
  struct Usage {
    int64_t rows_returned = -1;
    int64_t rows_scanned = -1;   // rows the scans read, before filters
    int64_t blocks_read = -1;
    int64_t temp_mb = -1;        // spilled to disk
    int64_t spectrum_rows = -1;
    int64_t spectrum_mb = -1;
  };
  // Held while the query runs; releasing it frees the slot and records stl_wlm_query.
  class Slot {
   public:
    ~Slot();
    int service_class() const { return service_class_; }
    // The query's memory budget on each node.
    int64_t memory_bytes() const { return memory_bytes_; }
    // Merges what the query reported (fields not -1) and checks the end-of-query rules.
    void Report(const Usage& usage);
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
  // Throws 22023 when the request asks for more slots than its queue has.
  std::shared_ptr<Slot> Admit(const Request& r, const std::atomic<bool>* cancelled, int64_t deadline_ms,
                              std::function<void()> cancel_query);
  // A slot's memory in a queue (bytes).
  int64_t SlotMemory(size_t queue) const;

  struct QueryState {  // stv_wlm_query_state
    int64_t query, pid, xid;
    std::string user;
    int service_class;
    int slots;
    int64_t start_micros;  // when it entered the queue
    int64_t exec_start_micros;  // 0 while queued
    bool running;
  };
  struct Finished {  // stl_wlm_query
    int64_t query, pid, xid;
    std::string user;
    int service_class;  // where it ended (after any hop)
    int slots;
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
    Usage usage;
  };
  size_t QueueFor(const Request& r) const;
  // The queue a hop moves a query in `from` to; npos when there is none.
  size_t HopTarget(const Request& r, size_t from) const;
  void Release(int64_t id);
  void Monitor();
  // Under mu_: which of the entry's queue's rules hold now and act on them (at the end of the
  // query: only record them). Cancels to run once mu_ is released are added to `cancels`.
  void CheckRules(Entry& e, int64_t now, bool at_end, std::vector<std::function<void()>>* cancels);
  bool Holds(const WlmPredicate& p, const Entry& e, int64_t now) const;
  void RecordAction(const Entry& e, const std::string& rule, const std::string& action, int64_t now);

  std::vector<WlmQueue> queues_;
  std::vector<int64_t> slot_memory_;  // per queue
  mutable std::mutex mu_;
  std::condition_variable changed_;
  // The monitor's own: it checks the rules every half second, and is not woken by every
  // admission and release (two thread switches per statement).
  std::condition_variable monitor_wake_;
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
