// See result_cache.h.
#include "server/result_cache.h"

namespace strata {

std::shared_ptr<const ResultCache::Entry> ResultCache::Lookup(const std::string& key,
                                                              const std::map<int64_t, int64_t>& versions_now) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = index_.find(key);
  if (it == index_.end()) return nullptr;
  std::shared_ptr<const Entry> e = it->second->second;
  if (e->table_versions != versions_now) {  // a table it read changed: the entry is stale
    bytes_ -= e->bytes;
    lru_.erase(it->second);
    index_.erase(it);
    return nullptr;
  }
  lru_.splice(lru_.begin(), lru_, it->second);
  ++hits_;
  return e;
}

void ResultCache::Store(const std::string& key, std::shared_ptr<const Entry> entry) {
  if (entry->bytes > kMaxEntryBytes) return;
  std::lock_guard<std::mutex> lock(mu_);
  auto it = index_.find(key);
  if (it != index_.end()) {
    bytes_ -= it->second->second->bytes;
    lru_.erase(it->second);
    index_.erase(it);
  }
  bytes_ += entry->bytes;
  lru_.emplace_front(key, std::move(entry));
  index_[key] = lru_.begin();
  while (bytes_ > kMaxTotalBytes && !lru_.empty()) {
    bytes_ -= lru_.back().second->bytes;
    index_.erase(lru_.back().first);
    lru_.pop_back();
  }
}

int64_t ResultCache::hits() const {
  std::lock_guard<std::mutex> lock(mu_);
  return hits_;
}

}  // namespace strata
