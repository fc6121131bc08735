// TableLocks: a FIFO queue per table and a wait-for graph walked when a wait begins.
#include "server/table_locks.h"

#include <algorithm>
#include <chrono>

#include "sql/error.h"
#include "sql/sqlstate.h"

namespace strata {

namespace {
// How often a waiter looks at its cancel flag: well inside the ~100 ms a cancel may take.
constexpr auto kCancelPoll = std::chrono::milliseconds(20);
}  // namespace

bool TableLocks::WouldDeadlock(int64_t id, uint64_t owner) const {
  // Each waiter waits for one table; follow holder -> the table that holder waits for -> its
  // holder ... A chain is at most as long as the number of waiting sessions.
  int64_t table = id;
  for (size_t steps = 0; steps <= waiting_for_.size(); ++steps) {
    auto lock = locks_.find(table);
    if (lock == locks_.end() || lock->second.holder == 0) return false;
    uint64_t holder = lock->second.holder;
    if (holder == owner) return true;
    auto next = waiting_for_.find(holder);
    if (next == waiting_for_.end()) return false;
    table = next->second;
  }
  return false;
}

void TableLocks::StopWaiting(int64_t id, uint64_t owner) {
  Lock& l = locks_[id];
  l.waiters.erase(std::remove(l.waiters.begin(), l.waiters.end(), owner), l.waiters.end());
  waiting_for_.erase(owner);
  if (l.holder == 0 && l.waiters.empty()) locks_.erase(id);
  cv_.notify_all();  // the next waiter may now be first in line
}

void TableLocks::Acquire(int64_t id, uint64_t owner, int64_t lock_timeout_ms, const std::function<bool()>& cancelled) {
  std::unique_lock<std::mutex> lock(mu_);
  Lock& l = locks_[id];
  if (l.holder == owner) return;
  if (l.holder == 0 && l.waiters.empty()) {
    l.holder = owner;
    return;
  }
  if (WouldDeadlock(id, owner)) {
    if (l.holder == 0 && l.waiters.empty()) locks_.erase(id);
    throw SqlError(sqlstate::kDeadlockDetected, "deadlock detected")
        .WithDetail("This transaction waits for a write lock on a table held by a transaction that waits, "
                    "directly or through others, for a lock this one holds.");
  }
  l.waiters.push_back(owner);
  waiting_for_[owner] = id;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(lock_timeout_ms);
  while (true) {
    Lock& cur = locks_[id];
    if (cur.holder == 0 && !cur.waiters.empty() && cur.waiters.front() == owner) {
      cur.waiters.pop_front();
      cur.holder = owner;
      waiting_for_.erase(owner);
      return;
    }
    if (cancelled && cancelled()) {
      StopWaiting(id, owner);
      throw SqlError(sqlstate::kQueryCanceled, "canceling statement due to user request");
    }
    auto now = std::chrono::steady_clock::now();
    if (lock_timeout_ms > 0 && now >= deadline) {
      StopWaiting(id, owner);
      throw SqlError(sqlstate::kLockNotAvailable, "canceling statement due to lock timeout");
    }
    auto until = now + kCancelPoll;
    if (lock_timeout_ms > 0) until = std::min(until, deadline);
    cv_.wait_until(lock, until);
  }
}

bool TableLocks::HoldsAny(uint64_t owner) {
  std::lock_guard<std::mutex> lock(mu_);
  for (const auto& [id, l] : locks_) {
    if (l.holder == owner) return true;
  }
  return false;
}

void TableLocks::ReleaseAll(uint64_t owner) {
  std::lock_guard<std::mutex> lock(mu_);
  for (auto it = locks_.begin(); it != locks_.end();) {
    if (it->second.holder == owner) it->second.holder = 0;
    if (it->second.holder == 0 && it->second.waiters.empty()) it = locks_.erase(it);
    else ++it;
  }
  cv_.notify_all();
}

}  // namespace strata
