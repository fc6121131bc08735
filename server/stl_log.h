// The leader's in-memory STL tables: the newest kLimit rows of one kind, each with the query id
// and start time of the statement that produced it, as the compute nodes report them with each
// stage's result — also when the statement fails, since that is when users look.
//
//   stl_load_errors  LoadErrorLog: the rows COPY rejected
//   stl_scan         ScanLog: what every table scan read on each slice
//   svl_query_summary StepLog: what every step of every stage did
//
// Kept in memory only: a restart empties them (Redshift keeps STL for days).
#pragma once

#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <vector>

#include "planner/plan.pb.h"

namespace strata {

template <typename Entry>
class StlLog {
 public:
  struct Row {
    int64_t query = 0;
    int64_t starttime_micros = 0;  // since 2000-01-01, as TIMESTAMP values are
    std::string user;              // who ran the statement: others see the row only as superusers
    Entry entry;
  };

  void Add(int64_t query, const std::string& user, int64_t starttime_micros, const std::vector<Entry>& entries) {
    std::lock_guard<std::mutex> lock(mu_);
    for (const auto& e : entries) rows_.push_back({query, starttime_micros, user, e});
    while (rows_.size() > kLimit) rows_.pop_front();
  }

  std::vector<Row> Rows() const {
    std::lock_guard<std::mutex> lock(mu_);
    return {rows_.begin(), rows_.end()};
  }

 private:
  static constexpr size_t kLimit = 100000;
  mutable std::mutex mu_;
  std::deque<Row> rows_;  // GUARDED_BY(mu_)
};

using LoadErrorStore = StlLog<plan::LoadError>;
using ScanLog = StlLog<plan::ScanStat>;
// svl_query_summary: one row per query, stage and step, summed over the slices (rows, bytes,
// spilled_bytes), with the longest slice's time in `micros`, the biggest slice's memory in
// `peak_bytes` and the number of slices in `slice`.
using StepLog = StlLog<plan::StepStat>;

// The per-slice steps of one query, merged per (stage, step) as StepLog keeps them.
std::vector<plan::StepStat> SummarizeSteps(const std::vector<plan::StepStat>& per_slice);

}  // namespace strata
