// Rows that arrived for one query from other processes (or from this one), by exchange id and
// destination slice. Slice -1 means "every slice of this node" (broadcasts, and the leader's
// gathered rows). Stages run in order, so an exchange is complete before anyone reads it.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <vector>

#include "sql/vector.h"

namespace strata {

class ExchangeInbox {
 public:
  void Add(int exchange, int slice, std::shared_ptr<const Batch> batch);
  // The batches for `slice`, followed by the node-wide ones.
  std::vector<std::shared_ptr<const Batch>> Get(int exchange, int slice) const;

 private:
  mutable std::mutex mu_;
  std::map<std::pair<int, int>, std::vector<std::shared_ptr<const Batch>>> batches_;
};

}  // namespace strata
