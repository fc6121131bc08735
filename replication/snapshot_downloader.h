// A compute node's part of a same-shape restore: its block and manifest stores fetch what they
// lack from the snapshot store on demand (AttachSnapshotSource), so queries run at once, while
// DownloadSlices brings the rest over in the background, several objects at once. Everything
// fetched is checked against its content id and kept, so each object crosses the network once.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "replication/snapshot_store.h"
#include "storage/block_store.h"
#include "storage/manifest_store.h"

namespace strata {

// Makes `blocks` and `manifests` fetch missing objects from `store` (kept alive by them).
void AttachSnapshotSource(std::shared_ptr<SnapshotStore> store, BlockStore* blocks, ManifestStore* manifests);

// Fetches every manifest in `manifest_ids` and every block and delete vector they name that is
// not here yet. `progress` gets each object's bytes (present ones too); `delay_ms` > 0 sleeps
// before each fetch (a test's fault point). Returns the bytes fetched.
int64_t DownloadSlices(BlockStore* blocks, ManifestStore* manifests, const std::vector<std::string>& manifest_ids,
                       const std::function<void(int64_t)>& progress, int delay_ms = 0);

}  // namespace strata
