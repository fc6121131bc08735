// Fetching a node's slices from a snapshot store (snapshot_downloader.h).
#include "replication/snapshot_downloader.h"

#include <atomic>
#include <chrono>
#include <thread>
#include <unordered_set>

#include "storage/object_layout.h"

namespace strata {

void AttachSnapshotSource(std::shared_ptr<SnapshotStore> store, BlockStore* blocks, ManifestStore* manifests) {
  blocks->SetRemote([store](const std::string& id) {
    replication::StoredObject o;
    o.set_id(id);
    return store->Fetch(o);
  }, /*keep=*/true);
  manifests->SetRemote([store](const std::string& id) {
    replication::StoredObject o;
    o.set_id(id);
    o.set_manifest(true);
    return store->Fetch(o);
  });
}

int64_t DownloadSlices(BlockStore* blocks, ManifestStore* manifests, const std::vector<std::string>& manifest_ids,
                       const std::function<void(int64_t)>& progress, int delay_ms) {
  struct Item {
    std::string id;
    int64_t size;
  };
  std::vector<Item> items;
  std::unordered_set<std::string> seen;
  for (const std::string& id : manifest_ids) {
    if (id.empty()) continue;
    auto m = manifests->Get(id);  // fetched and kept when missing
    if (progress) progress(static_cast<int64_t>(m->ByteSizeLong()));
    for (const auto& chain : m->columns()) {
      for (const auto& b : chain.blocks()) {
        if (seen.insert(b.id()).second) items.push_back({b.id(), b.byte_size()});
      }
    }
    if (!m->delete_vector_id().empty() && seen.insert(m->delete_vector_id()).second) {
      items.push_back({m->delete_vector_id(), 0});
    }
  }
  std::atomic<int64_t> fetched{0};
  ParallelFor(items.size(), 8, [&](size_t i) {
    const Item& it = items[i];
    if (!blocks->Contains(it.id)) {
      if (delay_ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
      std::string bytes = blocks->Get(it.id);  // fetched, checked and kept
      fetched += static_cast<int64_t>(bytes.size());
    }
    if (progress) progress(it.size);
  });
  return fetched.load();
}

}  // namespace strata
