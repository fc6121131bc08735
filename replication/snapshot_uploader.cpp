// Uploading a node's slices to a snapshot store (snapshot_uploader.h).
#include "replication/snapshot_uploader.h"

#include <atomic>
#include <filesystem>
#include <unordered_set>

#include "io/file_io.h"
#include "sql/error.h"

namespace strata {

UploadResult UploadSlices(const BlockStore& blocks, const ManifestStore& manifests,
                          const std::vector<std::string>& manifest_ids, SnapshotStore& store,
                          const std::function<void(int64_t)>& progress) {
  UploadResult out;
  std::unordered_set<std::string> seen;
  auto add = [&](const std::string& id, int64_t size, bool manifest) {
    if (id.empty() || !seen.insert(id).second) return;
    auto& o = out.objects.emplace_back();
    o.set_id(id);
    o.set_size(size);
    o.set_manifest(manifest);
    out.total_bytes += size;
  };
  for (const std::string& id : manifest_ids) {
    if (id.empty()) continue;
    auto m = manifests.Get(id);  // checked against its id
    add(id, static_cast<int64_t>(m->ByteSizeLong()), true);
    for (const auto& chain : m->columns()) {
      for (const auto& b : chain.blocks()) add(b.id(), b.byte_size(), false);
    }
    if (!m->delete_vector_id().empty()) add(m->delete_vector_id(), 0, false);
  }
  std::unordered_set<std::string> there = store.ExistingIds();
  std::atomic<int64_t> uploaded_bytes{0}, uploaded_objects{0};
  ParallelFor(out.objects.size(), 8, [&](size_t i) {
    replication::StoredObject& o = out.objects[i];
    if (there.count(o.id()) == 0) {
      std::string bytes = o.manifest() ? manifests.RawBytes(o.id()) : blocks.Get(o.id());  // both checked
      o.set_size(static_cast<int64_t>(bytes.size()));
      store.Put(o, bytes);
      o.set_uploaded(true);
      uploaded_bytes += o.size();
      ++uploaded_objects;
    } else if (o.size() == 0) {
      // A delete vector's size is not in its manifest: take it from the local file.
      try {
        o.set_size(blocks.SizeOf(o.id()));
      } catch (const SqlError&) {
      }
    }
    if (progress) progress(o.size());
  });
  out.total_bytes = 0;
  for (const auto& o : out.objects) out.total_bytes += o.size();
  out.uploaded_bytes = uploaded_bytes.load();
  out.uploaded_objects = uploaded_objects.load();
  return out;
}

}  // namespace strata
