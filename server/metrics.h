// The leader's Prometheus metrics (text exposition format 0.0.4), served at /metrics on the HTTP
// port (server/http_server.h). Counters and the statement latency histogram are kept here,
// process-wide, updated where the work happens (lock-free atomics: a statement adds a few
// increments); gauges — queries by state and queue, connections, each node's memory, disk and
// liveness — are read from their owners when the page is rendered.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "planner/plan.pb.h"

namespace strata {

class Cluster;
class Wlm;
class SessionDirectory;
class NodeMemory;

class Metrics {
 public:
  static Metrics& Get();

  // A statement ended: "success", "failed" or "canceled", and how long it took.
  void ObserveStatement(const std::string& status, double seconds);
  // What a query's scans and steps did (every slice's).
  void ObserveQuery(const std::vector<plan::ScanStat>& scans, const std::vector<plan::StepStat>& steps);
  void AddCopyRows(int64_t rows) { copy_rows_.fetch_add(rows, std::memory_order_relaxed); }
  void AddUnloadRows(int64_t rows) { unload_rows_.fetch_add(rows, std::memory_order_relaxed); }
  void Commit() { commits_.fetch_add(1, std::memory_order_relaxed); }
  void Abort() { aborts_.fetch_add(1, std::memory_order_relaxed); }
  void ResultCacheHit() { cache_hits_.fetch_add(1, std::memory_order_relaxed); }

  // The bucket bounds of the latency histogram, in seconds.
  static constexpr std::array<double, 12> kBuckets = {0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10, 60};

  struct Sources {  // what the gauges read; any may be null
    const Cluster* cluster = nullptr;
    const Wlm* wlm = nullptr;
    const SessionDirectory* sessions = nullptr;
    const NodeMemory* leader_memory = nullptr;
  };
  std::string Render(const Sources& sources) const;

 private:
  static constexpr int kStatuses = 3;  // success, failed, canceled
  struct Histogram {
    std::array<std::atomic<int64_t>, kBuckets.size()> buckets{};  // cumulative on render
    std::atomic<int64_t> count{0};
    std::atomic<int64_t> sum_micros{0};
  };
  std::array<Histogram, kStatuses> latency_;
  std::atomic<int64_t> rows_scanned_{0}, bytes_scanned_{0}, blocks_read_{0}, blocks_skipped_{0};
  std::atomic<int64_t> external_rows_{0}, external_bytes_{0};
  std::atomic<int64_t> spilled_bytes_{0}, copy_rows_{0}, unload_rows_{0};
  std::atomic<int64_t> commits_{0}, aborts_{0}, cache_hits_{0};
};

}  // namespace strata
