// BlockStore: the content-addressed home of a compute node's column blocks. A block's id is the
// XXH3-128 of the block file's bytes as 32 lowercase hex chars, and the file lives at
// <root>/blocks/<first 2 hex chars>/<id>. Because ids are hashes of immutable bytes, writing a
// block that already exists is a no-op, concurrent writers of the same block cannot conflict,
// and a reader can verify the bytes it got against the id it asked for.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_set>

#include "storage/block_cache.h"
#include "storage/object_log.h"

namespace strata {

// XXH3-128 of `bytes` as 32 lowercase hex chars (the canonical big-endian form).
std::string ContentId(std::string_view bytes);

// True when `id` has the shape ContentId produces (so it is safe to use in a path).
bool IsContentId(std::string_view id);

// Thread-safe.
class BlockStore {
 public:
  // `root` "" makes a store with nothing local: every Get goes to the remote source.
  explicit BlockStore(std::string root, bool small_objects_in_log = false);

  // Where a block missing here comes from (a snapshot store being restored from): Get asks it,
  // checks the bytes against the id and, when `keep` is set, stores them here. Set before use.
  using RemoteSource = std::function<std::string(const std::string& id)>;
  void SetRemote(RemoteSource remote, bool keep) {
    remote_ = std::move(remote);
    keep_remote_ = keep;
  }

  // Stores the block durably and returns its id. A no-op when the block already exists. With
  // the object log, a small block is durable after the next Sync (see above).
  std::string Put(std::string_view bytes);
  // Makes the blocks put so far durable (the object log's fdatasync; nothing without one).
  void Sync() {
    if (log_) log_->Sync();
  }

  // Reads a block. A missing block is a 58030 io_error; bytes that do not hash to `id` are
  // XX001 (data corrupted).
  std::string Get(const std::string& id) const;

  // Like Get, through the block cache when there is one: a block read recently is neither
  // read from its file nor hashed again (storage/block_cache.h).
  std::shared_ptr<const std::string> GetShared(const std::string& id) const;
  // Keeps up to `bytes` of recently read blocks in memory (0: none). Before use.
  void EnableCache(int64_t bytes) { cache_ = bytes > 0 ? std::make_unique<BlockCache>(bytes) : nullptr; }
  const BlockCache* cache() const { return cache_.get(); }
  // Keeps up to `bytes` of string blocks decoded whole (0: none). Before use.
  void EnableDecodedCache(int64_t bytes) { decoded_ = bytes > 0 ? std::make_unique<DecodedBlockCache>(bytes) : nullptr; }
  // Block `id` decoded, when it was decoded recently and kept (null otherwise or without the cache).
  std::shared_ptr<const Vector> FindDecoded(const std::string& id) const { return decoded_ ? decoded_->Find(id) : nullptr; }
  const DecodedBlockCache* decoded_cache() const { return decoded_.get(); }
  // Keeps block `id` decoded (the caller decoded it from the block's verified bytes).
  void KeepDecoded(const std::string& id, std::shared_ptr<const Vector> decoded) const {
    if (decoded_) decoded_->Insert(id, std::move(decoded));
  }

  bool Contains(const std::string& id) const;
  // The stored size of a block here (58030 when it is missing).
  int64_t SizeOf(const std::string& id) const;
  // The folder's object log; null without one.
  ObjectLog* log() const { return log_.get(); }
  // Bytes of blocks this store has newly written since it was opened.
  int64_t bytes_written() const { return bytes_written_.load(); }
  std::string PathOf(const std::string& id) const;
  const std::string& root() const { return root_; }

 private:
  std::string FromRemote(const std::string& id) const;

  std::string root_;
  RemoteSource remote_;
  bool keep_remote_ = false;
  std::shared_ptr<ObjectLog> log_;
  std::atomic<int64_t> bytes_written_{0};
  std::unique_ptr<BlockCache> cache_;
  std::unique_ptr<DecodedBlockCache> decoded_;
  mutable std::mutex mu_;
  std::unordered_set<std::string> made_dirs_;  // GUARDED_BY(mu_): shard folders known to exist
};

}  // namespace strata
