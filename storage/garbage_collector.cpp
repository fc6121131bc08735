// Garbage collection of unreferenced blocks and manifests (see garbage_collector.h).
#include "storage/garbage_collector.h"

#include <chrono>
#include <filesystem>
#include <unordered_set>

#include "sql/error.h"

namespace strata {
namespace {

namespace fs = std::filesystem;

bool OlderThanFence(const fs::directory_entry& e, fs::file_time_type fence) {
  std::error_code ec;
  auto t = e.last_write_time(ec);
  return !ec && t < fence;
}

}  // namespace

GarbageReport CollectGarbage(const BlockStore& blocks, const ManifestStore& manifests,
                             const std::vector<std::string>& live_manifests, int64_t keep_newer_than_ms) {
  GarbageReport report;
  std::unordered_set<std::string> live_blocks, live_ids;
  for (const auto& id : live_manifests) {
    if (id.empty() || !IsContentId(id)) continue;
    live_ids.insert(id);
    std::shared_ptr<const storage::SliceManifest> m;
    try {
      m = manifests.Get(id);
    } catch (const SqlError&) {
      continue;  // another node's manifest (or a missing one): nothing of it lives here
    }
    for (const auto& chain : m->columns()) {
      for (const auto& b : chain.blocks()) live_blocks.insert(b.id());
    }
    if (!m->delete_vector_id().empty()) live_blocks.insert(m->delete_vector_id());
  }
  auto fence = fs::file_time_type::clock::now() - std::chrono::milliseconds(keep_newer_than_ms);
  std::error_code ec;
  for (const auto& shard : fs::directory_iterator(blocks.root() + "/blocks", ec)) {
    if (!shard.is_directory()) continue;
    for (const auto& f : fs::directory_iterator(shard.path(), ec)) {
      std::string name = f.path().filename().string();
      // A name that is not an id is a temporary file of a write (see file_io.h): in flight if
      // young, else left by a crash.
      if (live_blocks.count(name) || !OlderThanFence(f, fence)) {
        ++report.blocks_kept;
        continue;
      }
      std::error_code size_ec;
      auto size = f.file_size(size_ec);
      if (fs::remove(f.path(), size_ec)) {
        ++report.blocks_removed;
        report.bytes_removed += static_cast<int64_t>(size);
      }
    }
  }
  for (const auto& f : fs::directory_iterator(manifests.root() + "/manifests", ec)) {
    std::string name = f.path().filename().string();
    if (live_ids.count(name) || !OlderThanFence(f, fence)) continue;
    std::error_code rm_ec;
    if (fs::remove(f.path(), rm_ec)) ++report.manifests_removed;
  }
  // The small objects in the folder's log (storage/object_log.h), by the same rules.
  if (ObjectLog* log = blocks.log()) {
    auto logged = log->Collect(live_blocks, live_ids,
                               std::chrono::steady_clock::now() - std::chrono::milliseconds(keep_newer_than_ms));
    report.blocks_removed += logged.blocks_removed;
    report.manifests_removed += logged.manifests_removed;
    report.bytes_removed += logged.bytes_removed;
    report.blocks_kept += logged.blocks_kept;
  }
  return report;
}

}  // namespace strata
