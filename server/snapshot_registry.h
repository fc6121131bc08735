// The catalog snapshots that open transactions read from, so that garbage collection keeps
// every block a running reader may still need (MVCC: a transaction sees the catalog version it
// began with until it ends). Each session registers its snapshot when a transaction begins and
// drops it when the transaction ends.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "catalog/catalog_store.h"

namespace strata {

class SnapshotRegistry {
 public:
  void Register(uint64_t session, CatalogPtr snapshot);
  void Unregister(uint64_t session);
  // Every manifest id of `current` and of the registered snapshots.
  std::vector<std::string> LiveManifests(const CatalogVersion& current) const;
  // The same, by the compute node whose slices they are (each version by its own slice map).
  std::map<int, std::vector<std::string>> LiveManifestsByNode(const CatalogVersion& current) const;
  // Milliseconds since the oldest registered transaction began (0 when none): files younger
  // than that may be the uncommitted writes of a transaction still open.
  int64_t OldestAgeMs() const;
  // The commit sequence of the oldest registered snapshot; INT64_MAX when none is registered.
  int64_t OldestCommitSeq() const;

 private:
  struct Entry {
    CatalogPtr snapshot;
    std::chrono::steady_clock::time_point began;
  };
  mutable std::mutex mu_;
  std::map<uint64_t, Entry> entries_;
};

}  // namespace strata
