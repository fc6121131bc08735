// BlockCache: a compute node's recently read block files, kept in memory as the verified bytes
// they are, so a query that reads a block another query (or another slice) read moments ago
// neither reads the file again nor hashes it again to check it against its id. Blocks are
// immutable and named by the hash of their bytes (storage/block_store.h), so an entry never
// goes stale: what it holds is exactly what the id names. Bounded in bytes; the least recently
// used entries leave first. Readers share an entry through a shared_ptr, so evicting one a scan
// still decodes from is safe.
//
// A damaged file is still reported (XX001) the first time it is read from disk; a block whose
// file is damaged after its good bytes were cached keeps being served from those bytes.
#pragma once

#include <atomic>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace strata {

class BlockCache {
 public:
  using Bytes = std::shared_ptr<const std::string>;

  // At most `capacity` bytes of block files (0: nothing is kept).
  explicit BlockCache(int64_t capacity);

  // The bytes cached under `id`, or null.
  Bytes Find(const std::string& id);
  // Keeps `bytes` under `id` (verified by the caller), evicting the least recently used; a
  // block larger than a shard's share is not kept.
  void Insert(const std::string& id, Bytes bytes);

  int64_t capacity() const { return capacity_; }
  int64_t bytes() const { return bytes_.load(std::memory_order_relaxed); }
  int64_t hits() const { return hits_.load(std::memory_order_relaxed); }
  int64_t misses() const { return misses_.load(std::memory_order_relaxed); }

 private:
  static constexpr size_t kShards = 16;
  struct Entry {
    std::string id;
    Bytes bytes;
  };
  struct Shard {
    std::mutex mu;
    std::list<Entry> order;  // most recently used first
    std::unordered_map<std::string, std::list<Entry>::iterator> index;
    int64_t bytes = 0;
  };
  Shard& ShardOf(const std::string& id);

  const int64_t capacity_;
  const int64_t shard_capacity_;
  std::vector<Shard> shards_;
  std::atomic<int64_t> bytes_{0}, hits_{0}, misses_{0};
};

}  // namespace strata
