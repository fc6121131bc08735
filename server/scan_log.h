// stl_scan on the leader: what every table scan of recent queries read on each slice (rows,
// rows before filtering, blocks read and skipped thanks to zone maps), as the compute nodes
// report it with each stage's result. Kept in memory, the newest kLimit rows.
#pragma once

#include <cstdint>
#include <deque>
#include <mutex>
#include <vector>

#include "planner/plan.pb.h"

namespace strata {

struct ScanLogRow {
  int64_t query = 0;
  int64_t starttime_micros = 0;  // since 2000-01-01, as TIMESTAMP values are
  plan::ScanStat scan;
};

class ScanLog {
 public:
  void Add(int64_t query, int64_t starttime_micros, const std::vector<plan::ScanStat>& scans);
  std::vector<ScanLogRow> Rows() const;

 private:
  static constexpr size_t kLimit = 100000;
  mutable std::mutex mu_;
  std::deque<ScanLogRow> rows_;
};

}  // namespace strata
