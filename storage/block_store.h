// BlockStore: the content-addressed home of a compute node's column blocks. A block's id is the
// XXH3-128 of the block file's bytes as 32 lowercase hex chars, and the file lives at
// <root>/blocks/<first 2 hex chars>/<id>. Because ids are hashes of immutable bytes, writing a
// block that already exists is a no-op, concurrent writers of the same block cannot conflict,
// and a reader can verify the bytes it got against the id it asked for.
#pragma once

#include <mutex>
#include <string>
#include <string_view>
#include <unordered_set>

namespace strata {

// XXH3-128 of `bytes` as 32 lowercase hex chars (the canonical big-endian form).
std::string ContentId(std::string_view bytes);

// True when `id` has the shape ContentId produces (so it is safe to use in a path).
bool IsContentId(std::string_view id);

// Thread-safe.
class BlockStore {
 public:
  explicit BlockStore(std::string root);

  // Stores the block durably and returns its id. A no-op when the block already exists.
  std::string Put(std::string_view bytes);

  // Reads a block. A missing block is a 58030 io_error; bytes that do not hash to `id` are
  // XX001 (data corrupted).
  std::string Get(const std::string& id) const;

  bool Contains(const std::string& id) const;
  std::string PathOf(const std::string& id) const;
  const std::string& root() const { return root_; }

 private:
  std::string root_;
  mutable std::mutex mu_;
  std::unordered_set<std::string> made_dirs_;  // GUARDED_BY(mu_): shard folders known to exist
};

}  // namespace strata
