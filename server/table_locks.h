// Write locks on tables, held by a transaction from its first write to a table until it ends,
// as Redshift does: concurrent writers to one table queue up instead of failing at commit.
// Readers never take them (they read a snapshot).
#pragma once

#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>

namespace strata {

class TableLocks {
 public:
  // Returns once `owner` holds the lock on table `id`; throws SqlError 40P01 after timeout_ms.
  void Acquire(int64_t id, uint64_t owner, int timeout_ms);
  void ReleaseAll(uint64_t owner);

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::map<int64_t, uint64_t> holders_;
};

}  // namespace strata
