// A compute node's part of a snapshot: it uploads, for the manifests of its slices that the
// snapshot's catalog version names, each manifest and every block and delete vector they refer
// to that the store does not hold yet (content ids: one listing of the store decides), several
// at once. What it returns names every object the snapshot needs from this node, uploaded or not.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "replication/snapshot_store.h"
#include "storage/block_store.h"
#include "storage/manifest_store.h"

namespace strata {

struct UploadResult {
  std::vector<replication::StoredObject> objects;  // every object needed, once
  int64_t total_bytes = 0;
  int64_t uploaded_bytes = 0;
  int64_t uploaded_objects = 0;
};

// `progress` (may be empty) is called with the bytes of each object as it is handled; it may
// throw to stop the upload (a cancelled snapshot).
UploadResult UploadSlices(const BlockStore& blocks, const ManifestStore& manifests,
                          const std::vector<std::string>& manifest_ids, SnapshotStore& store,
                          const std::function<void(int64_t)>& progress);

}  // namespace strata
