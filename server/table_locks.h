// Write locks on tables, held by a transaction from its first write to a table until it ends,
// as Redshift does: concurrent writers to one table queue up instead of failing at commit.
// Readers never take them (they read a snapshot).
//
// Waiters queue in arrival order (a lock freed goes to the longest waiter, so a stream of
// short writers cannot starve a long one). A wait ends in one of four ways: the lock is
// granted; the waiter would close a cycle of transactions each waiting for a lock the next
// one holds (40P01, found by following the wait-for chain when the wait begins, so only a real
// deadlock is reported); `lock_timeout` passes (55P03); or the session is cancelled (cancel,
// statement_timeout, a dropped client), which the caller reports.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <mutex>

namespace strata {

class TableLocks {
 public:
  // Returns once `owner` holds the lock on table `id` (at once if it already does).
  // `lock_timeout_ms` <= 0 waits without a time limit. `cancelled` is polled while waiting;
  // when it returns true the wait ends with SqlError 57014. Throws SqlError 40P01 for a
  // deadlock and 55P03 when lock_timeout passes.
  void Acquire(int64_t id, uint64_t owner, int64_t lock_timeout_ms, const std::function<bool()>& cancelled);
  void ReleaseAll(uint64_t owner);
  // True when `owner` holds a table's lock (it must not then wait for a WLM slot: a slot holder
  // may be waiting for that lock).
  bool HoldsAny(uint64_t owner);

 private:
  struct Lock {
    uint64_t holder = 0;           // 0: free
    std::deque<uint64_t> waiters;  // arrival order
  };
  // True when `owner` waiting for table `id` closes a cycle of waits. Caller holds mu_.
  bool WouldDeadlock(int64_t id, uint64_t owner) const;
  void StopWaiting(int64_t id, uint64_t owner);

  std::mutex mu_;
  std::condition_variable cv_;
  std::map<int64_t, Lock> locks_;
  std::map<uint64_t, int64_t> waiting_for_;  // owner -> the table it waits for
};

}  // namespace strata
