// A test operator that hands out given batches one by one: the input of operators under test.
#pragma once

#include <utility>
#include <vector>

#include "executor/operator.h"

namespace strata {

class BatchSource : public Operator {
 public:
  explicit BatchSource(std::vector<Batch> batches) : batches_(std::move(batches)) {}
  bool Next(Batch* out) override {
    if (pos_ >= batches_.size()) return false;
    *out = Batch(batches_[pos_].Types());
    out->AppendAll(batches_[pos_++]);
    return true;
  }

 private:
  std::vector<Batch> batches_;
  size_t pos_ = 0;
};

}  // namespace strata
