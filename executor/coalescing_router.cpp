// See coalescing_router.h.
#include "executor/coalescing_router.h"

namespace strata {

void CoalescingRouter::Send(int exchange, int node, int slice, Batch batch) {
  if (batch.rows == 0) return;
  auto key = std::make_tuple(exchange, node, slice);
  auto it = pending_.find(key);
  if (it == pending_.end()) {
    if (batch.rows >= kBatchSize) {
      next_->Send(exchange, node, slice, std::move(batch));
      return;
    }
    pending_.emplace(key, std::move(batch));
    return;
  }
  Batch& held = it->second;
  held.AppendAll(batch);
  if (held.rows >= kBatchSize) {
    Batch full = std::move(held);
    pending_.erase(it);
    next_->Send(exchange, node, slice, std::move(full));
  }
}

void CoalescingRouter::Flush() {
  auto pending = std::move(pending_);
  pending_.clear();
  for (auto& [key, batch] : pending) {
    next_->Send(std::get<0>(key), std::get<1>(key), std::get<2>(key), std::move(batch));
  }
  next_->Flush();
}

}  // namespace strata
