// Workload management (see wlm.h).
#include "server/wlm.h"

#include <algorithm>
#include <chrono>
#include <stdexcept>

#include <simdjson.h>

#include "planner/clock_functions.h"
#include "sql/error.h"

namespace strata {
namespace {

constexpr int kSuperuserClass = 5;
constexpr int kFirstUserClass = 6;
constexpr int kShortQueryClass = 14;
constexpr size_t kKeep = 10000;

std::vector<std::string> Strings(simdjson::simdjson_result<simdjson::dom::element> e) {
  std::vector<std::string> out;
  simdjson::dom::array a;
  std::string_view s;
  if (e.get_array().get(a) == simdjson::SUCCESS) {
    for (simdjson::dom::element x : a) {
      if (x.get_string().get(s) == simdjson::SUCCESS) out.emplace_back(s);
    }
  } else if (e.get_string().get(s) == simdjson::SUCCESS) {
    out.emplace_back(s);
  }
  return out;
}

int64_t Int(simdjson::simdjson_result<simdjson::dom::element> e, int64_t otherwise) {
  if (e.error() != simdjson::SUCCESS) return otherwise;
  int64_t i;
  double d;
  if (e.get_int64().get(i) == simdjson::SUCCESS) return i;
  if (e.get_double().get(d) == simdjson::SUCCESS) return static_cast<int64_t>(d);
  std::string_view s;
  if (e.get_string().get(s) == simdjson::SUCCESS) {
    try {
      return std::stoll(std::string(s));
    } catch (...) {
      return otherwise;
    }
  }
  return otherwise;
}

bool IsMetric(const std::string& m) {
  return m == "query_execution_time" || m == "query_queue_time" || m == "return_row_count" || m == "scan_row_count" ||
         m == "query_blocks_read" || m == "query_temp_blocks_to_disk" || m == "spectrum_scan_row_count" ||
         m == "spectrum_scan_size_mb";
}

// Metrics known while the query runs; the others are reported at its end.
bool IsRunningMetric(const std::string& m) { return m == "query_execution_time" || m == "query_queue_time"; }

// abort > hop > log: the one that acts when several rules hold at once.
int Severity(const std::string& action) { return action == "abort" ? 3 : action == "hop" ? 2 : 1; }

}  // namespace

std::vector<WlmQueue> Wlm::DefaultConfig() {
  return ParseConfig("[{\"short_query_queue\": true, \"query_concurrency\": 3}, {\"query_concurrency\": 5}]");
}

std::vector<WlmQueue> Wlm::ParseConfig(const std::string& json) {
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  simdjson::dom::array items;
  if (parser.parse(json).get(doc) != simdjson::SUCCESS || doc.get_array().get(items) != simdjson::SUCCESS) {
    throw std::runtime_error("the WLM configuration must be a JSON array of queues");
  }
  std::vector<WlmQueue> out;
  WlmQueue super;
  super.service_class = kSuperuserClass;
  super.name = "superuser queue";
  super.slots = 1;
  super.superuser = true;
  out.push_back(super);
  int next_class = kFirstUserClass;
  bool has_short = false;
  for (simdjson::dom::element item : items) {
    simdjson::dom::object o;
    if (item.get_object().get(o) != simdjson::SUCCESS) throw std::runtime_error("each WLM queue must be a JSON object");
    WlmQueue q;
    bool short_queue = false;
    if (o["short_query_queue"].get_bool().get(short_queue) == simdjson::SUCCESS && short_queue) {
      if (has_short) throw std::runtime_error("only one short query queue");
      has_short = true;
      q.short_query = true;
      q.service_class = kShortQueryClass;
      q.name = "short query queue";
      q.slots = static_cast<int>(Int(o["query_concurrency"], 3));
    } else {
      if (next_class > 13) throw std::runtime_error("at most 8 WLM queues");
      q.service_class = next_class++;
      std::string_view name;
      q.name = o["name"].get_string().get(name) == simdjson::SUCCESS ? std::string(name) : "queue " + std::to_string(q.service_class - 5);
      q.slots = static_cast<int>(Int(o["query_concurrency"], 5));
      q.memory_percent = static_cast<int>(Int(o["memory_percent_to_use"], 0));
      q.query_groups = Strings(o["query_group"]);
      q.user_groups = Strings(o["user_group"]);
    }
    if (q.slots < 1 || q.slots > 50) throw std::runtime_error("query_concurrency must be 1 to 50");
    if (q.memory_percent < 0 || q.memory_percent > 100) throw std::runtime_error("memory_percent_to_use must be 0 to 100");
    simdjson::dom::array rules;
    if (o["rules"].get_array().get(rules) == simdjson::SUCCESS) {
      for (simdjson::dom::element r : rules) {
        WlmRule rule;
        std::string_view s;
        if (r["rule_name"].get_string().get(s) == simdjson::SUCCESS) rule.name = std::string(s);
        if (r["action"].get_string().get(s) == simdjson::SUCCESS) rule.action = std::string(s);
        simdjson::dom::array preds;
        if (r["predicate"].get_array().get(preds) == simdjson::SUCCESS) {
          for (simdjson::dom::element x : preds) {
            simdjson::dom::object p;
            if (x.get_object().get(p) != simdjson::SUCCESS) continue;
            WlmPredicate pred;
            if (p["metric_name"].get_string().get(s) == simdjson::SUCCESS) pred.metric = std::string(s);
            if (p["operator"].get_string().get(s) == simdjson::SUCCESS) pred.op = std::string(s);
            pred.value = static_cast<double>(Int(p["value"], 0));
            rule.predicates.push_back(pred);
          }
        }
        bool good = !rule.name.empty() && (rule.action == "log" || rule.action == "abort" || rule.action == "hop") &&
                    !rule.predicates.empty() && rule.predicates.size() <= 3;
        for (const auto& pred : rule.predicates) {
          good = good && IsMetric(pred.metric) && (pred.op == ">" || pred.op == "<" || pred.op == "=");
        }
        if (!good) {
          throw std::runtime_error("a query monitoring rule needs rule_name, action log|abort|hop and one to three "
                                   "predicates with > < or = on query_execution_time, query_queue_time, return_row_count, "
                                   "scan_row_count, query_blocks_read, query_temp_blocks_to_disk, "
                                   "spectrum_scan_row_count or spectrum_scan_size_mb");
        }
        q.rules.push_back(rule);
      }
    }
    out.push_back(q);
  }
  if (out.size() < 2 || out.back().short_query) {
    // The last plain queue is the default; a configuration without one gets one.
    WlmQueue d;
    d.service_class = next_class;
    d.name = "default";
    out.push_back(d);
  }
  int total = 0;
  for (const auto& q : out) total += q.memory_percent;
  if (total > 100) throw std::runtime_error("the queues' memory_percent_to_use add up to more than 100");
  return out;
}

Wlm::Wlm(std::vector<WlmQueue> queues, int64_t node_memory_bytes)
    : queues_(std::move(queues)), waiting_(queues_.size()), running_(queues_.size(), 0) {
  // Each plain queue's share of the node, divided among its slots; the superuser queue's one
  // slot has the default queue's; the short query queue's slots too.
  int assigned = 0, unassigned = 0;
  for (const auto& x : queues_) {
    if (x.superuser || x.short_query) continue;
    if (x.memory_percent > 0) assigned += x.memory_percent;
    else ++unassigned;
  }
  const double rest = unassigned > 0 ? std::max(0, 100 - assigned) / static_cast<double>(unassigned) : 0;
  slot_memory_.assign(queues_.size(), 0);
  size_t default_queue = queues_.size() - 1;
  for (size_t i = 0; i < queues_.size(); ++i) {
    const WlmQueue& q = queues_[i];
    if (q.superuser || q.short_query) continue;
    default_queue = i;
    const double percent = q.memory_percent > 0 ? q.memory_percent : rest;
    slot_memory_[i] = std::max<int64_t>(1, static_cast<int64_t>(static_cast<double>(node_memory_bytes) * percent / 100.0 / q.slots));
  }
  for (size_t i = 0; i < queues_.size(); ++i) {
    if (queues_[i].superuser || queues_[i].short_query) slot_memory_[i] = slot_memory_[default_queue];
  }
  monitor_ = std::thread([this] { Monitor(); });
}

int64_t Wlm::SlotMemory(size_t queue) const { return queue < slot_memory_.size() ? slot_memory_[queue] : 0; }

Wlm::~Wlm() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  changed_.notify_all();
  monitor_wake_.notify_all();
  monitor_.join();
}

size_t Wlm::QueueFor(const Request& r) const {
  size_t fallback = queues_.size() - 1;
  for (size_t i = 0; i < queues_.size(); ++i) {
    if (queues_[i].superuser && r.superuser && r.query_group == "superuser") return i;
  }
  for (size_t i = 0; i < queues_.size(); ++i) {
    const auto& g = queues_[i].query_groups;
    if (!queues_[i].superuser && !queues_[i].short_query && std::find(g.begin(), g.end(), r.query_group) != g.end()) return i;
  }
  for (size_t i = 0; i < queues_.size(); ++i) {
    for (const auto& ug : queues_[i].user_groups) {
      if (r.groups.count(ug)) return i;
    }
  }
  if (r.predicted_short) {
    for (size_t i = 0; i < queues_.size(); ++i) {
      if (queues_[i].short_query) return i;
    }
  }
  // The last plain queue.
  for (size_t i = queues_.size(); i-- > 0;) {
    if (!queues_[i].superuser && !queues_[i].short_query) return i;
  }
  return fallback;
}

size_t Wlm::HopTarget(const Request& r, size_t from) const {
  for (size_t i = from + 1; i < queues_.size(); ++i) {
    const WlmQueue& q = queues_[i];
    if (q.superuser || q.short_query) continue;
    if (std::find(q.query_groups.begin(), q.query_groups.end(), r.query_group) != q.query_groups.end()) return i;
    for (const auto& ug : q.user_groups) {
      if (r.groups.count(ug)) return i;
    }
  }
  // The default queue (the last plain one), unless the query is in it already.
  for (size_t i = queues_.size(); i-- > 0;) {
    if (queues_[i].superuser || queues_[i].short_query) continue;
    return i != from ? i : std::string::npos;
  }
  return std::string::npos;
}

std::shared_ptr<Wlm::Slot> Wlm::Admit(const Request& r, const std::atomic<bool>* cancelled, int64_t deadline_ms,
                                      std::function<void()> cancel_query) {
  std::unique_lock<std::mutex> lock(mu_);
  const size_t q = QueueFor(r);
  const int slots = std::max(1, r.slot_count);
  if (slots > queues_[q].slots) {
    throw SqlError(sqlstate::kInvalidParameterValue,
                   StrCat("wlm_query_slot_count ", slots, " is more than the ", queues_[q].slots, " slots of queue \"",
                          queues_[q].name, "\""))
        .WithHint("Set wlm_query_slot_count to at most the queue's query_concurrency.");
  }
  const int64_t id = next_id_++;
  Entry& e = entries_[id];
  e.request = r;
  e.request.slot_count = slots;
  e.queue = q;
  e.enqueued = ClockMicros();
  e.cancel_query = std::move(cancel_query);
  waiting_[q].push_back(id);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(deadline_ms > 0 ? deadline_ms : int64_t{1} << 40);
  for (;;) {
    if (!waiting_[q].empty() && waiting_[q].front() == id && running_[q] + slots <= queues_[q].slots) break;
    if (r.no_wait) break;
    const bool stop = (cancelled != nullptr && cancelled->load()) || std::chrono::steady_clock::now() >= deadline;
    if (stop) {
      waiting_[q].erase(std::find(waiting_[q].begin(), waiting_[q].end(), id));
      entries_.erase(id);
      changed_.notify_all();
      const bool timed_out = !(cancelled != nullptr && cancelled->load());
      throw SqlError(sqlstate::kQueryCanceled,
                     timed_out ? "canceling statement due to statement timeout" : "canceling statement due to user request");
    }
    // Short waits: cancel is a flag, not a notification.
    changed_.wait_for(lock, std::chrono::milliseconds(50));
  }
  waiting_[q].erase(std::find(waiting_[q].begin(), waiting_[q].end(), id));
  running_[q] += slots;
  e.running = true;
  e.started = ClockMicros();
  changed_.notify_all();  // the next in line may go if a slot is left
  auto slot = std::shared_ptr<Slot>(new Slot());
  slot->wlm_ = this;
  slot->id_ = id;
  slot->service_class_ = queues_[q].service_class;
  slot->memory_bytes_ = SlotMemory(q) * slots;
  // query_queue_time rules hold (or not) from now on.
  std::vector<std::function<void()>> cancels;
  CheckRules(e, e.started, false, &cancels);
  lock.unlock();
  for (auto& c : cancels) c();
  return slot;
}

Wlm::Slot::~Slot() {
  if (wlm_ != nullptr) wlm_->Release(id_);
}

void Wlm::Slot::SetQuery(int64_t query) {
  std::lock_guard<std::mutex> lock(wlm_->mu_);
  auto it = wlm_->entries_.find(id_);
  if (it != wlm_->entries_.end()) it->second.request.query = query;
}

void Wlm::Slot::Report(const Usage& usage) {
  std::lock_guard<std::mutex> lock(wlm_->mu_);
  auto it = wlm_->entries_.find(id_);
  if (it == wlm_->entries_.end()) return;
  Usage& u = it->second.usage;
  for (auto [from, to] : {std::pair{usage.rows_returned, &u.rows_returned}, {usage.rows_scanned, &u.rows_scanned},
                          {usage.blocks_read, &u.blocks_read}, {usage.temp_mb, &u.temp_mb},
                          {usage.spectrum_rows, &u.spectrum_rows}, {usage.spectrum_mb, &u.spectrum_mb}}) {
    if (from >= 0) *to = from;
  }
  // The query is ending: what its counts make hold is recorded, not acted on.
  wlm_->CheckRules(it->second, ClockMicros(), true, nullptr);
}

void Wlm::Release(int64_t id) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = entries_.find(id);
  if (it == entries_.end()) return;
  Entry& e = it->second;
  if (e.running) running_[e.queue] -= e.request.slot_count;
  const Request& r = e.request;
  finished_.push_back({r.query, r.pid, r.xid, r.user, queues_[e.queue].service_class, r.slot_count, e.enqueued, e.started,
                       e.started, ClockMicros(), e.aborted ? "Evicted" : "Completed"});
  if (finished_.size() > kKeep) finished_.pop_front();
  entries_.erase(it);
  changed_.notify_all();
}

bool Wlm::Holds(const WlmPredicate& p, const Entry& e, int64_t now) const {
  double v = 0;
  const Usage& u = e.usage;
  if (p.metric == "query_execution_time") v = static_cast<double>(now - e.started) / 1e6;
  else if (p.metric == "query_queue_time") v = static_cast<double>(e.started - e.enqueued) / 1e6;
  else {
    const int64_t n = p.metric == "return_row_count"          ? u.rows_returned
                      : p.metric == "scan_row_count"          ? u.rows_scanned
                      : p.metric == "query_blocks_read"       ? u.blocks_read
                      : p.metric == "query_temp_blocks_to_disk" ? u.temp_mb
                      : p.metric == "spectrum_scan_row_count" ? u.spectrum_rows
                                                              : u.spectrum_mb;
    if (n < 0) return false;  // not reported (yet)
    v = static_cast<double>(n);
  }
  return p.op == ">" ? v > p.value : p.op == "<" ? v < p.value : v == p.value;
}

void Wlm::RecordAction(const Entry& e, const std::string& rule, const std::string& action, int64_t now) {
  const Request& r = e.request;
  actions_.push_back({r.query, r.pid, r.user, queues_[e.queue].service_class, rule, action, now});
  if (actions_.size() > kKeep) actions_.pop_front();
}

void Wlm::CheckRules(Entry& e, int64_t now, bool at_end, std::vector<std::function<void()>>* cancels) {
  if (!e.running) return;
  // The rules of the entry's queue that hold now and have not acted on this query.
  std::vector<const WlmRule*> holding;
  for (const auto& rule : queues_[e.queue].rules) {
    if (e.rules_fired.count(rule.name)) continue;
    bool all = true, running_only = true;
    for (const auto& p : rule.predicates) {
      all = all && Holds(p, e, now);
      running_only = running_only && IsRunningMetric(p.metric);
    }
    // While it runs, only rules on running metrics are decided; at its end, every rule.
    if (all && (at_end || running_only)) holding.push_back(&rule);
  }
  if (holding.empty()) return;
  const WlmRule* acting = holding.front();
  for (const WlmRule* r : holding) {
    if (Severity(r->action) > Severity(acting->action)) acting = r;
  }
  const std::string acting_name = acting->name;
  const std::string acting_action = acting->action;
  for (const WlmRule* r : holding) {
    if (r->name == acting_name) continue;
    e.rules_fired.insert(r->name);
    RecordAction(e, r->name, "none", now);
  }
  if (at_end || acting_action == "log") {
    // A query that is ending cannot be stopped or moved any more: its rule is logged.
    e.rules_fired.insert(acting_name);
    RecordAction(e, acting_name, "log", now);
    return;
  }
  if (acting_action == "hop") {
    const size_t to = HopTarget(e.request, e.queue);
    if (to != std::string::npos) {
      if (running_[to] + e.request.slot_count > queues_[to].slots) return;  // tried again at the next check
      e.rules_fired.insert(acting_name);
      RecordAction(e, acting_name, "hop(reassign)", now);
      running_[e.queue] -= e.request.slot_count;
      running_[to] += e.request.slot_count;
      e.queue = to;
      changed_.notify_all();  // its first queue has a free slot
      return;
    }
    // No queue to go to: cancelled, as Redshift does.
  }
  e.rules_fired.insert(acting_name);
  RecordAction(e, acting_name, "abort", now);
  if (e.cancel_query && cancels != nullptr) {
    e.aborted = true;
    cancels->push_back(e.cancel_query);
  }
}

void Wlm::Monitor() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stopping_) {
    monitor_wake_.wait_for(lock, std::chrono::milliseconds(500), [&] { return stopping_; });
    if (stopping_) break;
    const int64_t now = ClockMicros();
    std::vector<std::function<void()>> cancels;
    for (auto& [id, e] : entries_) CheckRules(e, now, false, &cancels);
    if (!cancels.empty()) {
      lock.unlock();
      for (auto& c : cancels) c();
      lock.lock();
    }
  }
}

std::vector<Wlm::QueryState> Wlm::States() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<QueryState> out;
  for (const auto& [id, e] : entries_) {
    const Request& r = e.request;
    out.push_back({r.query, r.pid, r.xid, r.user, queues_[e.queue].service_class, r.slot_count, e.enqueued, e.started,
                   e.running});
  }
  return out;
}

std::vector<Wlm::Finished> Wlm::FinishedQueries() const {
  std::lock_guard<std::mutex> lock(mu_);
  return {finished_.begin(), finished_.end()};
}

std::vector<Wlm::RuleAction> Wlm::RuleActions() const {
  std::lock_guard<std::mutex> lock(mu_);
  return {actions_.begin(), actions_.end()};
}

}  // namespace strata
