// What a COPY's slices report besides rows: the rows they rejected (for stl_load_errors and
// MAXERROR) and how far they have read. One LoadLog is shared by the slices of a node running a
// load stage; the node sends its contents to the leader with the stage's result.
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <vector>

#include "planner/plan.pb.h"

namespace strata {

class LoadLog {
 public:
  // Records a rejected row; returns the node's rejected count so far (including this one).
  int64_t Reject(plan::LoadError error) {
    std::lock_guard<std::mutex> lock(mu_);
    if (errors_.size() < kMaxKept) errors_.push_back(std::move(error));
    return ++rejected_;
  }
  int64_t rejected() const {
    std::lock_guard<std::mutex> lock(mu_);
    return rejected_;
  }
  std::vector<plan::LoadError> errors() const {
    std::lock_guard<std::mutex> lock(mu_);
    return errors_;
  }
  void AddBytes(int64_t n) { bytes_loaded_ += n; }
  int64_t bytes_loaded() const { return bytes_loaded_; }

 private:
  static constexpr size_t kMaxKept = 1000;  // rows kept per node and load for stl_load_errors
  mutable std::mutex mu_;
  std::vector<plan::LoadError> errors_;
  int64_t rejected_ = 0;
  std::atomic<int64_t> bytes_loaded_{0};
};

}  // namespace strata
