// Open transactions' snapshots (see snapshot_registry.h).
#include "server/snapshot_registry.h"

#include "catalog/slice_map.h"

#include <algorithm>
#include <cstdint>
#include <set>

namespace strata {

void SnapshotRegistry::Register(uint64_t session, CatalogPtr snapshot) {
  std::lock_guard<std::mutex> lock(mu_);
  entries_[session] = {std::move(snapshot), std::chrono::steady_clock::now()};
}

void SnapshotRegistry::Unregister(uint64_t session) {
  std::lock_guard<std::mutex> lock(mu_);
  entries_.erase(session);
}

std::vector<std::string> SnapshotRegistry::LiveManifests(const CatalogVersion& current) const {
  std::set<std::string> ids;
  auto add = [&](const CatalogVersion& c) {
    for (const auto& t : c.tables()) {
      for (const auto& [slice, id] : t.manifest_by_slice()) if (!id.empty()) ids.insert(id);
    }
  };
  add(current);
  std::lock_guard<std::mutex> lock(mu_);
  for (const auto& [session, e] : entries_) add(*e.snapshot);
  return std::vector<std::string>(ids.begin(), ids.end());
}

std::map<int, std::vector<std::string>> SnapshotRegistry::LiveManifestsByNode(const CatalogVersion& current) const {
  std::map<int, std::set<std::string>> ids;
  // Each version by its own slice map: one read before a resize reads the slices where they were.
  auto add = [&](const CatalogVersion& c) {
    const std::vector<int> map = SliceNodesOf(c.meta());
    for (const auto& t : c.tables()) {
      for (const auto& [slice, id] : t.manifest_by_slice()) {
        if (!id.empty() && slice >= 0 && slice < static_cast<int>(map.size())) ids[map[slice]].insert(id);
      }
    }
  };
  add(current);
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (const auto& [session, e] : entries_) add(*e.snapshot);
  }
  std::map<int, std::vector<std::string>> out;
  for (auto& [node, set] : ids) out[node].assign(set.begin(), set.end());
  return out;
}

int64_t SnapshotRegistry::OldestCommitSeq() const {
  std::lock_guard<std::mutex> lock(mu_);
  int64_t oldest = INT64_MAX;
  for (const auto& [session, e] : entries_) oldest = std::min(oldest, e.snapshot->commit_seq());
  return oldest;
}

int64_t SnapshotRegistry::OldestAgeMs() const {
  std::lock_guard<std::mutex> lock(mu_);
  auto now = std::chrono::steady_clock::now();
  int64_t oldest = 0;
  for (const auto& [session, e] : entries_) {
    oldest = std::max<int64_t>(oldest, std::chrono::duration_cast<std::chrono::milliseconds>(now - e.began).count());
  }
  return oldest;
}

}  // namespace strata
