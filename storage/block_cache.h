// BlockCache: a compute node's recently read block files, kept in memory as the verified bytes
// they are, so a query that reads a block another query (or another slice) read moments ago
// neither reads the file again nor hashes it again to check it against its id. Blocks are
// immutable and named by the hash of their bytes (storage/block_store.h), so an entry never
// goes stale: what it holds is exactly what the id names. Bounded in bytes; the least recently
// used entries leave first. Readers share an entry through a shared_ptr, so evicting one a scan
// still decodes from is safe.
//
// DecodedBlockCache: the same for string blocks decoded whole (storage/slice_reader.h): a point
// lookup that reads one row of a block another lookup read moments ago neither decompresses nor
// decodes the block again. Its own budget, so decoded blocks never push out block files.
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

#include "sql/vector.h"

namespace strata {

inline int64_t CachedBytes(const std::string& bytes) { return static_cast<int64_t>(bytes.size()); }
inline int64_t CachedBytes(const Vector& decoded) { return static_cast<int64_t>(decoded.EstimatedBytes()); }

// An LRU map from block id to a shared immutable Value (sized by CachedBytes), in shards that
// each hold an equal part of the capacity. Thread-safe.
template <typename Value>
class BlockLruCache {
 public:
  using Bytes = std::shared_ptr<const Value>;

  // At most `capacity` bytes (0: nothing is kept).
  explicit BlockLruCache(int64_t capacity)
      : capacity_(capacity > 0 ? capacity : 0), shard_capacity_(capacity_ / static_cast<int64_t>(kShards)), shards_(kShards) {}

  // The value cached under `id`, or null.
  Bytes Find(const std::string& id) {
    if (capacity_ == 0) return nullptr;
    Shard& s = ShardOf(id);
    std::lock_guard<std::mutex> lock(s.mu);
    auto it = s.index.find(id);
    if (it == s.index.end()) {
      misses_.fetch_add(1, std::memory_order_relaxed);
      return nullptr;
    }
    s.order.splice(s.order.begin(), s.order, it->second);
    hits_.fetch_add(1, std::memory_order_relaxed);
    return it->second->value;
  }

  // Keeps `value` under `id` (verified by the caller), evicting the least recently used; a
  // value larger than a shard's share is not kept.
  void Insert(const std::string& id, Bytes value) {
    if (value == nullptr) return;
    const int64_t size = CachedBytes(*value);
    if (size > shard_capacity_) return;
    Shard& s = ShardOf(id);
    std::lock_guard<std::mutex> lock(s.mu);
    if (s.index.count(id) > 0) return;  // another reader cached it first
    while (s.bytes + size > shard_capacity_ && !s.order.empty()) {
      Entry& last = s.order.back();
      s.index.erase(last.id);
      s.bytes -= last.size;
      bytes_.fetch_sub(last.size, std::memory_order_relaxed);
      s.order.pop_back();
    }
    s.order.push_front(Entry{id, std::move(value), size});
    s.index.emplace(id, s.order.begin());
    s.bytes += size;
    bytes_.fetch_add(size, std::memory_order_relaxed);
  }

  int64_t capacity() const { return capacity_; }
  int64_t bytes() const { return bytes_.load(std::memory_order_relaxed); }
  int64_t hits() const { return hits_.load(std::memory_order_relaxed); }
  int64_t misses() const { return misses_.load(std::memory_order_relaxed); }

 private:
  static constexpr size_t kShards = 16;
  struct Entry {
    std::string id;
    Bytes value;
    int64_t size = 0;
  };
  struct Shard {
    std::mutex mu;
    std::list<Entry> order;  // most recently used first
    std::unordered_map<std::string, typename std::list<Entry>::iterator> index;
    int64_t bytes = 0;
  };
  Shard& ShardOf(const std::string& id) { return shards_[std::hash<std::string>{}(id) % kShards]; }

  const int64_t capacity_;
  const int64_t shard_capacity_;
  std::vector<Shard> shards_;
  std::atomic<int64_t> bytes_{0}, hits_{0}, misses_{0};
};

using BlockCache = BlockLruCache<std::string>;
using DecodedBlockCache = BlockLruCache<Vector>;

}  // namespace strata
