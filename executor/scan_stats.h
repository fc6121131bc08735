// ScanStatsLog: what each table scan of a stage did on one slice (rows, blocks read and
// skipped), collected while the stage runs and reported to the leader with the stage's result
// for stl_scan and EXPLAIN ANALYZE. Entries never move (a deque), so a scan operator keeps a
// pointer to its own and updates it as it goes.
#pragma once

#include <deque>

#include "planner/plan.pb.h"

namespace strata {

class ScanStatsLog {
 public:
  plan::ScanStat* Add() { return &stats_.emplace_back(); }
  const std::deque<plan::ScanStat>& stats() const { return stats_; }

 private:
  std::deque<plan::ScanStat> stats_;
};

}  // namespace strata
