// Garbage collection of a compute node's blocks and manifests. Blocks and manifests are never
// changed, only superseded: a DELETE publishes a new manifest, VACUUM writes new blocks, an
// aborted or crashed write leaves files nothing refers to. Once no committed version and no
// running transaction's snapshot refers to a file, it can go.
//
// The leader names the live manifests (those of the committed catalog and of every open
// transaction's snapshot) and a fence: files modified within the last `keep_newer_than_ms` may
// belong to a write still in flight and are kept. BlockStore::Put refreshes the modification
// time of a block it finds already stored, so a block that a new write reuses is never older
// than the fence.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "storage/block_store.h"
#include "storage/manifest_store.h"

namespace strata {

struct GarbageReport {
  int64_t blocks_removed = 0;
  int64_t manifests_removed = 0;
  int64_t bytes_removed = 0;
  int64_t blocks_kept = 0;
};

GarbageReport CollectGarbage(const BlockStore& blocks, const ManifestStore& manifests,
                             const std::vector<std::string>& live_manifests, int64_t keep_newer_than_ms);

}  // namespace strata
