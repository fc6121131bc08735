// The leader's Prometheus metrics (see metrics.h): recording and the text exposition.
#include "server/metrics.h"

#include <cstdio>
#include <map>
#include <sstream>

#include "executor/memory_budget.h"
#include "server/cluster.h"
#include "server/session_directory.h"
#include "server/wlm.h"

namespace strata {
namespace {

int StatusIndex(const std::string& status) { return status == "success" ? 0 : status == "failed" ? 1 : 2; }
constexpr const char* kStatusNames[] = {"success", "failed", "canceled"};

// A label value with PostgreSQL's and Prometheus's escapes: \\, \" and \n.
std::string Label(const std::string& v) {
  std::string out;
  for (char c : v) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

std::string Number(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

// Writes one metric family's header.
void Family(std::ostringstream& out, const char* name, const char* type, const char* help) {
  out << "# HELP " << name << ' ' << help << "\n# TYPE " << name << ' ' << type << '\n';
}

}  // namespace

Metrics& Metrics::Get() {
  static Metrics* metrics = new Metrics();  // never destroyed: threads may record at exit
  return *metrics;
}

void Metrics::ObserveStatement(const std::string& status, double seconds) {
  Histogram& h = latency_[StatusIndex(status)];
  for (size_t i = 0; i < kBuckets.size(); ++i) {
    if (seconds <= kBuckets[i]) {
      h.buckets[i].fetch_add(1, std::memory_order_relaxed);
      break;
    }
  }
  h.count.fetch_add(1, std::memory_order_relaxed);
  h.sum_micros.fetch_add(static_cast<int64_t>(seconds * 1e6), std::memory_order_relaxed);
}

void Metrics::ObserveQuery(const std::vector<plan::ScanStat>& scans, const std::vector<plan::StepStat>& steps) {
  int64_t rows = 0, bytes = 0, read = 0, skipped = 0, ext_rows = 0, ext_bytes = 0, spilled = 0;
  for (const auto& s : scans) {
    if (s.external()) {
      ext_rows += s.rows();
      ext_bytes += s.bytes_scanned();
    } else {
      rows += s.rows_pre_filter();
      bytes += s.bytes_scanned();
      read += s.blocks_read();
      skipped += s.blocks_skipped();
    }
  }
  for (const auto& st : steps) spilled += st.spilled_bytes();
  rows_scanned_.fetch_add(rows, std::memory_order_relaxed);
  bytes_scanned_.fetch_add(bytes, std::memory_order_relaxed);
  blocks_read_.fetch_add(read, std::memory_order_relaxed);
  blocks_skipped_.fetch_add(skipped, std::memory_order_relaxed);
  external_rows_.fetch_add(ext_rows, std::memory_order_relaxed);
  external_bytes_.fetch_add(ext_bytes, std::memory_order_relaxed);
  spilled_bytes_.fetch_add(spilled, std::memory_order_relaxed);
}

std::string Metrics::Render(const Sources& src) const {
  std::ostringstream out;
  Family(out, "strata_statement_duration_seconds", "histogram", "Statements by outcome and duration.");
  for (int s = 0; s < kStatuses; ++s) {
    const Histogram& h = latency_[s];
    int64_t cumulative = 0;
    for (size_t i = 0; i < kBuckets.size(); ++i) {
      cumulative += h.buckets[i].load(std::memory_order_relaxed);
      out << "strata_statement_duration_seconds_bucket{status=\"" << kStatusNames[s] << "\",le=\"" << Number(kBuckets[i])
          << "\"} " << cumulative << '\n';
    }
    const int64_t count = h.count.load(std::memory_order_relaxed);
    out << "strata_statement_duration_seconds_bucket{status=\"" << kStatusNames[s] << "\",le=\"+Inf\"} " << count << '\n';
    out << "strata_statement_duration_seconds_sum{status=\"" << kStatusNames[s] << "\"} "
        << Number(static_cast<double>(h.sum_micros.load(std::memory_order_relaxed)) / 1e6) << '\n';
    out << "strata_statement_duration_seconds_count{status=\"" << kStatusNames[s] << "\"} " << count << '\n';
  }
  auto counter = [&](const char* name, const char* help, const std::atomic<int64_t>& v) {
    Family(out, name, "counter", help);
    out << name << ' ' << v.load(std::memory_order_relaxed) << '\n';
  };
  counter("strata_scanned_rows_total", "Rows read by table scans (before filters).", rows_scanned_);
  counter("strata_scanned_bytes_total", "Bytes of blocks read by table scans.", bytes_scanned_);
  counter("strata_blocks_read_total", "Column blocks read by table scans.", blocks_read_);
  counter("strata_blocks_skipped_total", "Column blocks skipped by zone maps.", blocks_skipped_);
  counter("strata_external_scanned_rows_total", "Rows read from external (Spectrum) files.", external_rows_);
  counter("strata_external_scanned_bytes_total", "Bytes read from external (Spectrum) files.", external_bytes_);
  counter("strata_spilled_bytes_total", "Bytes written to spill files by query steps.", spilled_bytes_);
  counter("strata_copy_rows_total", "Rows loaded by COPY.", copy_rows_);
  counter("strata_unload_rows_total", "Rows written by UNLOAD and COPY TO.", unload_rows_);
  counter("strata_commits_total", "Transactions committed.", commits_);
  counter("strata_aborts_total", "Transactions rolled back (by ROLLBACK or an error).", aborts_);
  counter("strata_result_cache_hits_total", "Queries answered from the result cache.", cache_hits_);

  if (src.wlm != nullptr) {
    std::map<std::pair<int, std::string>, int> by;
    for (const auto& q : src.wlm->queues()) {
      by[{q.service_class, "queued"}] = 0;
      by[{q.service_class, "running"}] = 0;
    }
    for (const auto& s : src.wlm->States()) ++by[{s.service_class, s.running ? "running" : "queued"}];
    std::map<int, std::string> names;
    for (const auto& q : src.wlm->queues()) names[q.service_class] = q.name;
    Family(out, "strata_wlm_queries", "gauge", "Queries in each WLM queue by state.");
    for (const auto& [k, n] : by) {
      out << "strata_wlm_queries{service_class=\"" << k.first << "\",queue=\"" << Label(names[k.first]) << "\",state=\""
          << k.second << "\"} " << n << '\n';
    }
    Family(out, "strata_wlm_slots", "gauge", "Concurrency slots of each WLM queue.");
    for (const auto& q : src.wlm->queues()) {
      out << "strata_wlm_slots{service_class=\"" << q.service_class << "\",queue=\"" << Label(q.name) << "\"} " << q.slots
          << '\n';
    }
  }
  if (src.sessions != nullptr) {
    std::map<std::string, int> states;
    for (const char* s : {"idle", "active", "idle in transaction"}) states[s] = 0;
    for (const auto& a : src.sessions->List()) ++states[a.state];
    Family(out, "strata_connections", "gauge", "Client sessions by state.");
    for (const auto& [state, n] : states) out << "strata_connections{state=\"" << Label(state) << "\"} " << n << '\n';
  }
  if (src.leader_memory != nullptr) {
    Family(out, "strata_leader_memory_bytes", "gauge", "The leader's query memory in use.");
    out << "strata_leader_memory_bytes " << src.leader_memory->used() << '\n';
    Family(out, "strata_leader_memory_limit_bytes", "gauge", "The leader's memory budget.");
    out << "strata_leader_memory_limit_bytes " << src.leader_memory->limit() << '\n';
  }
  if (src.cluster != nullptr) {
    const auto usage = src.cluster->Usage();
    Family(out, "strata_node_up", "gauge", "1 when a node answers its heartbeats.");
    std::vector<std::pair<std::string, int>> nodes;
    for (const auto& n : src.cluster->NodeStates()) {
      out << "strata_node_up{role=\"" << n.role << "\",node=\"" << n.node_id << "\",state=\"" << Label(n.state) << "\"} "
          << (n.state == "up" || n.state == "standin" || n.state == "syncing" ? 1 : 0) << '\n';
      nodes.emplace_back(n.role, n.node_id);
    }
    auto gauge = [&](const char* name, const char* help, int64_t (*get)(const rpc::NodeUsage&)) {
      Family(out, name, "gauge", help);
      for (const auto& key : nodes) {
        auto it = usage.find(key);
        if (it == usage.end()) continue;
        out << name << "{role=\"" << key.first << "\",node=\"" << key.second << "\"} " << get(it->second) << '\n';
      }
    };
    gauge("strata_node_memory_bytes", "Query memory a node holds.", [](const rpc::NodeUsage& u) { return u.memory_used(); });
    gauge("strata_node_memory_limit_bytes", "A node's memory budget.", [](const rpc::NodeUsage& u) { return u.memory_limit(); });
    gauge("strata_node_disk_capacity_bytes", "The size of a node's data file system.",
          [](const rpc::NodeUsage& u) { return u.disk_capacity(); });
    gauge("strata_node_disk_free_bytes", "Free space on a node's data file system.",
          [](const rpc::NodeUsage& u) { return u.disk_free(); });
    gauge("strata_node_data_bytes", "Bytes of a node's data folder.", [](const rpc::NodeUsage& u) { return u.data_bytes(); });
    gauge("strata_node_queries", "Queries running on a node.",
          [](const rpc::NodeUsage& u) { return static_cast<int64_t>(u.queries()); });
  }
  return out.str();
}

}  // namespace strata
