// stl_load_errors on the leader: the rejected rows of recent COPYs (kept in memory, the newest
// kLimit rows), with the COPY's query id and start time, filled from what the compute nodes
// report with each load stage — also when the load fails, since that is when users look.
#pragma once

#include <cstdint>
#include <deque>
#include <mutex>
#include <vector>

#include "planner/plan.pb.h"

namespace strata {

struct LoadErrorRow {
  int64_t query = 0;
  int64_t starttime_micros = 0;  // since 2000-01-01, as TIMESTAMP values are
  plan::LoadError error;
};

class LoadErrorStore {
 public:
  void Add(int64_t query, int64_t starttime_micros, const std::vector<plan::LoadError>& errors);
  std::vector<LoadErrorRow> Rows() const;

 private:
  static constexpr size_t kLimit = 100000;
  mutable std::mutex mu_;
  std::deque<LoadErrorRow> rows_;
};

}  // namespace strata
