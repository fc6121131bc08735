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
        simdjson::dom::object p;
        bool has_predicate = false;
        if (r["predicate"].get_array().get(preds) == simdjson::SUCCESS) {
          for (simdjson::dom::element x : preds) {
            has_predicate = x.get_object().get(p) == simdjson::SUCCESS;
            break;
          }
        }
        if (has_predicate) {
          if (p["metric_name"].get_string().get(s) == simdjson::SUCCESS) rule.metric = std::string(s);
          if (p["operator"].get_string().get(s) == simdjson::SUCCESS) rule.op = std::string(s);
          rule.value = static_cast<double>(Int(p["value"], 0));
        }
        if (rule.name.empty() || (rule.action != "log" && rule.action != "abort" && rule.action != "hop") ||
            (rule.metric != "query_execution_time" && rule.metric != "return_row_count" && rule.metric != "scan_row_count") ||
            (rule.op != ">" && rule.op != "<" && rule.op != "=")) {
          throw std::runtime_error("a query monitoring rule needs rule_name, action log|abort|hop and one predicate on "
                                   "query_execution_time, return_row_count or scan_row_count with > < or =");
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

Wlm::Wlm(std::vector<WlmQueue> queues)
    : queues_(std::move(queues)), waiting_(queues_.size()), running_(queues_.size(), 0) {
  monitor_ = std::thread([this] { Monitor(); });
}

Wlm::~Wlm() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  changed_.notify_all();
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

std::shared_ptr<Wlm::Slot> Wlm::Admit(const Request& r, const std::atomic<bool>* cancelled, int64_t deadline_ms,
                                      int64_t node_memory_bytes, std::function<void()> cancel_query) {
  std::unique_lock<std::mutex> lock(mu_);
  const int64_t id = next_id_++;
  const size_t q = QueueFor(r);
  Entry& e = entries_[id];
  e.request = r;
  e.queue = q;
  e.enqueued = ClockMicros();
  e.cancel_query = std::move(cancel_query);
  waiting_[q].push_back(id);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(deadline_ms > 0 ? deadline_ms : int64_t{1} << 40);
  for (;;) {
    if (!waiting_[q].empty() && waiting_[q].front() == id && running_[q] < queues_[q].slots) break;
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
  ++running_[q];
  e.running = true;
  e.started = ClockMicros();
  changed_.notify_all();  // the next in line may go if a slot is left
  auto slot = std::shared_ptr<Slot>(new Slot());
  slot->wlm_ = this;
  slot->id_ = id;
  slot->service_class_ = queues_[q].service_class;
  // The queue's memory share of the node, divided among its slots.
  int assigned = 0, unassigned = 0;
  for (const auto& x : queues_) {
    if (x.superuser) continue;
    if (x.memory_percent > 0) assigned += x.memory_percent;
    else ++unassigned;
  }
  double percent = queues_[q].memory_percent > 0 ? queues_[q].memory_percent
                   : queues_[q].superuser        ? 100.0 / std::max<size_t>(1, queues_.size())
                                                 : (100.0 - assigned) / std::max(1, unassigned);
  slot->memory_bytes_ = static_cast<int64_t>(static_cast<double>(node_memory_bytes) * percent / 100.0 / queues_[q].slots);
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

void Wlm::Slot::Report(int64_t rows_returned, int64_t rows_scanned) {
  std::lock_guard<std::mutex> lock(wlm_->mu_);
  auto it = wlm_->entries_.find(id_);
  if (it == wlm_->entries_.end()) return;
  it->second.rows_returned = rows_returned;
  it->second.rows_scanned = rows_scanned;
  // Row-count rules are checked at the end, when the counts are known.
  const int64_t now = ClockMicros();
  for (const auto& rule : wlm_->queues_[it->second.queue].rules) {
    if (rule.metric == "query_execution_time" || !wlm_->Fires(rule, it->second, now)) continue;
    if (!it->second.rules_fired.insert(rule.name).second) continue;
    const Request& r = it->second.request;
    wlm_->actions_.push_back({r.query, r.pid, r.user, wlm_->queues_[it->second.queue].service_class, rule.name,
                              rule.action == "abort" ? "log" : rule.action, now});
    if (wlm_->actions_.size() > kKeep) wlm_->actions_.pop_front();
  }
}

void Wlm::Release(int64_t id) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = entries_.find(id);
  if (it == entries_.end()) return;
  Entry& e = it->second;
  --running_[e.queue];
  const Request& r = e.request;
  finished_.push_back({r.query, r.pid, r.xid, r.user, queues_[e.queue].service_class, e.enqueued, e.started, e.started,
                       ClockMicros(), e.aborted ? "Evicted" : "Completed"});
  if (finished_.size() > kKeep) finished_.pop_front();
  entries_.erase(it);
  changed_.notify_all();
}

bool Wlm::Fires(const WlmRule& rule, const Entry& e, int64_t now) const {
  double v = 0;
  if (rule.metric == "query_execution_time") v = static_cast<double>(now - e.started) / 1e6;
  else if (rule.metric == "return_row_count") v = static_cast<double>(e.rows_returned);
  else v = static_cast<double>(e.rows_scanned);
  if (rule.metric != "query_execution_time" && v < 0) return false;
  return rule.op == ">" ? v > rule.value : rule.op == "<" ? v < rule.value : v == rule.value;
}

void Wlm::Monitor() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stopping_) {
    changed_.wait_for(lock, std::chrono::milliseconds(500));
    if (stopping_) break;
    const int64_t now = ClockMicros();
    std::vector<std::function<void()>> cancels;
    for (auto& [id, e] : entries_) {
      if (!e.running) continue;
      for (const auto& rule : queues_[e.queue].rules) {
        if (rule.metric != "query_execution_time" || !Fires(rule, e, now) || !e.rules_fired.insert(rule.name).second) continue;
        const Request& r = e.request;
        actions_.push_back({r.query, r.pid, r.user, queues_[e.queue].service_class, rule.name,
                            rule.action == "hop" ? "log" : rule.action, now});
        if (actions_.size() > kKeep) actions_.pop_front();
        if (rule.action == "abort" && e.cancel_query) {
          e.aborted = true;
          cancels.push_back(e.cancel_query);
        }
      }
    }
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
    out.push_back({r.query, r.pid, r.xid, r.user, queues_[e.queue].service_class, e.enqueued, e.started, e.running});
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
