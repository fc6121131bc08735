#include "server/table_locks.h"

#include <chrono>

#include "sql/error.h"

namespace strata {

void TableLocks::Acquire(int64_t id, uint64_t owner, int timeout_ms) {
  std::unique_lock<std::mutex> lock(mu_);
  bool ok = cv_.wait_for(lock, std::chrono::milliseconds(timeout_ms), [&] {
    auto it = holders_.find(id);
    return it == holders_.end() || it->second == owner;
  });
  if (!ok) throw SqlError("40P01", "deadlock detected: timed out waiting for a write lock on a table");
  holders_[id] = owner;
}

void TableLocks::ReleaseAll(uint64_t owner) {
  std::lock_guard<std::mutex> lock(mu_);
  for (auto it = holders_.begin(); it != holders_.end();) {
    if (it->second == owner) it = holders_.erase(it);
    else ++it;
  }
  cv_.notify_all();
}

}  // namespace strata
