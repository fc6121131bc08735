// ManifestStore: content-addressed slice manifests. A manifest's id is the XXH3-128 (32 hex
// chars) of its deterministic serialization and it is stored at <root>/manifests/<id>, so a
// table version on a slice is named by one string, and publishing a version is writing one
// small file. The id "" means "no data" (an empty table version). With `small_objects_in_log`,
// manifests of up to kLogObjectBytes go to the folder's ObjectLog instead (storage/object_log.h),
// and every Put syncs that log first, so the blocks a manifest names are durable with it.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "storage/object_log.h"
#include "storage/storage.pb.h"

namespace strata {

// While one lives on a thread, ManifestStore::Put on that thread appends a manifest to the
// object log without the log's sync: the writer promises a later sync before anything names the
// manifest durably (a compute node's write stage whose commit pushes it to the mirror; the push
// syncs the log while the mirror writes its copy: ComputeNode::PushObjects).
class DeferredLogSync {
 public:
  DeferredLogSync();
  ~DeferredLogSync();
  DeferredLogSync(const DeferredLogSync&) = delete;
  DeferredLogSync& operator=(const DeferredLogSync&) = delete;
  static bool Active();

 private:
  bool was_ = false;
};

// Thread-safe; parsed manifests are cached in memory (they are immutable, so shared).
class ManifestStore {
 public:
  explicit ManifestStore(std::string root, bool small_objects_in_log = false);

  // Stores `m` durably and returns its id. A no-op when the same manifest already exists.
  std::string Put(const storage::SliceManifest& m);

  // The manifest with this id; nullptr for "". A missing file is 58030; bytes that do not hash
  // to the id or do not parse are XX001.
  std::shared_ptr<const storage::SliceManifest> Get(const std::string& id) const;

  const std::string& root() const { return root_; }
  bool Contains(const std::string& id) const;
  // The stored bytes of a manifest here, checked against its id (58030 missing, XX001 corrupt).
  std::string RawBytes(const std::string& id) const;

  // Where a manifest missing here comes from (a snapshot store a restore reads, see
  // storage/block_store.h): Get fetches it, checks it and keeps it. Set before use.
  void SetRemote(std::function<std::string(const std::string& id)> remote) { remote_ = std::move(remote); }

  // The id Put would return, without storing anything.
  static std::string IdOf(const storage::SliceManifest& m);

 private:
  std::string PathOf(const std::string& id) const;

  std::string root_;
  std::function<std::string(const std::string& id)> remote_;
  std::shared_ptr<ObjectLog> log_;
  mutable std::mutex mu_;
  // GUARDED_BY(mu_)
  mutable std::unordered_map<std::string, std::shared_ptr<const storage::SliceManifest>> cache_;
};

}  // namespace strata
