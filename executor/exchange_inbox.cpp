#include "executor/exchange_inbox.h"

#include "executor/operator.h"
#include "sql/error.h"

namespace strata {

void ExecContext::CheckCancelled() const {
  if (cancelled != nullptr && cancelled->load(std::memory_order_relaxed)) {
    throw SqlError(sqlstate::kQueryCanceled, "canceling statement due to user request");
  }
}

void ExchangeInbox::Add(int exchange, int slice, std::shared_ptr<const Batch> batch) {
  std::lock_guard<std::mutex> lock(mu_);
  batches_[{exchange, slice}].push_back(std::move(batch));
}

std::vector<std::shared_ptr<const Batch>> ExchangeInbox::Get(int exchange, int slice) const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<std::shared_ptr<const Batch>> out;
  auto it = batches_.find({exchange, slice});
  if (it != batches_.end()) out = it->second;
  if (slice != -1) {
    auto all = batches_.find({exchange, -1});
    if (all != batches_.end()) out.insert(out.end(), all->second.begin(), all->second.end());
  }
  return out;
}

}  // namespace strata
