// See block_cache.h.
#include "storage/block_cache.h"

namespace strata {

BlockCache::BlockCache(int64_t capacity)
    : capacity_(capacity > 0 ? capacity : 0),
      shard_capacity_(capacity_ / static_cast<int64_t>(kShards)),
      shards_(kShards) {}

BlockCache::Shard& BlockCache::ShardOf(const std::string& id) { return shards_[std::hash<std::string>{}(id) % kShards]; }

BlockCache::Bytes BlockCache::Find(const std::string& id) {
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
  return it->second->bytes;
}

void BlockCache::Insert(const std::string& id, Bytes bytes) {
  if (bytes == nullptr) return;
  const int64_t size = static_cast<int64_t>(bytes->size());
  if (size > shard_capacity_) return;
  Shard& s = ShardOf(id);
  std::lock_guard<std::mutex> lock(s.mu);
  if (s.index.count(id) > 0) return;  // another reader cached it first
  while (s.bytes + size > shard_capacity_ && !s.order.empty()) {
    Entry& last = s.order.back();
    const int64_t freed = static_cast<int64_t>(last.bytes->size());
    s.index.erase(last.id);
    s.order.pop_back();
    s.bytes -= freed;
    bytes_.fetch_sub(freed, std::memory_order_relaxed);
  }
  s.order.push_front(Entry{id, std::move(bytes)});
  s.index.emplace(id, s.order.begin());
  s.bytes += size;
  bytes_.fetch_add(size, std::memory_order_relaxed);
}

}  // namespace strata
