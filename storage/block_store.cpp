#include "storage/block_store.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <xxhash.h>

#include "sql/error.h"
#include "storage/fault_point.h"
#include "io/file_io.h"

namespace strata {

std::string ContentId(std::string_view bytes) {
  XXH128_canonical_t canon;
  XXH128_canonicalFromHash(&canon, XXH3_128bits(bytes.data(), bytes.size()));
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(32, '0');
  for (int i = 0; i < 16; ++i) {
    out[2 * i] = kHex[canon.digest[i] >> 4];
    out[2 * i + 1] = kHex[canon.digest[i] & 15];
  }
  return out;
}

bool IsContentId(std::string_view id) {
  if (id.size() != 32) return false;
  for (char c : id) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

BlockStore::BlockStore(std::string root, bool small_objects_in_log) : root_(std::move(root)) {
  if (!root_.empty()) MakeDirectories(root_ + "/blocks");
  if (!root_.empty() && small_objects_in_log) log_ = ObjectLog::Open(root_);
}

std::string BlockStore::PathOf(const std::string& id) const {
  if (!IsContentId(id)) STRATA_INTERNAL_ERROR("malformed block id \"", id, "\"");
  return root_ + "/blocks/" + id.substr(0, 2) + "/" + id;
}

bool BlockStore::Contains(const std::string& id) const {
  if (root_.empty()) return false;
  return (log_ && log_->Contains(ObjectLog::Kind::kBlock, id)) || PathExists(PathOf(id));
}

int64_t BlockStore::SizeOf(const std::string& id) const {
  if (log_) {
    if (auto size = log_->SizeOf(ObjectLog::Kind::kBlock, id)) return *size;
  }
  struct stat st;
  if (root_.empty() || ::stat(PathOf(id).c_str(), &st) != 0) {
    throw SqlError(sqlstate::kIoError, StrCat("block ", id, " is missing"));
  }
  return static_cast<int64_t>(st.st_size);
}

std::string BlockStore::Put(std::string_view bytes) {
  std::string id = ContentId(bytes);
  std::string path = PathOf(id);
  if (PathExists(path)) {
    // Reused by a new write: refresh its time so garbage collection sees it as young.
    utimensat(AT_FDCWD, path.c_str(), nullptr, 0);
    return id;
  }
  if (log_ && bytes.size() <= kLogObjectBytes) {
    log_->Append(ObjectLog::Kind::kBlock, id, bytes);  // or only refreshes it when it is there
    bytes_written_ += static_cast<int64_t>(bytes.size());
    FaultPoint("block_written");
    return id;
  }
  std::string dir = root_ + "/blocks/" + id.substr(0, 2);
  bool known;
  {
    std::lock_guard<std::mutex> lock(mu_);
    known = made_dirs_.count(dir) > 0;
  }
  if (!known) {
    MakeDirectories(dir);
    std::lock_guard<std::mutex> lock(mu_);
    made_dirs_.insert(dir);
  }
  WriteFileDurably(path, bytes);
  bytes_written_ += static_cast<int64_t>(bytes.size());
  FaultPoint("block_written");
  return id;
}

std::string BlockStore::FromRemote(const std::string& id) const {
  if (!IsContentId(id)) STRATA_INTERNAL_ERROR("malformed block id \"", id, "\"");
  if (!remote_) STRATA_INTERNAL_ERROR("a block store without a folder has no remote source");
  std::string bytes = remote_(id);
  if (ContentId(bytes) != id) {
    throw SqlError(sqlstate::kDataCorrupted, StrCat("block ", id, " is corrupted"))
        .WithDetail("The bytes the remote source returned do not match the block's id.");
  }
  if (keep_remote_ && !root_.empty()) const_cast<BlockStore*>(this)->Put(bytes);
  return bytes;
}

std::string BlockStore::Get(const std::string& id) const {
  if (root_.empty() || (remote_ && !Contains(id))) return FromRemote(id);
  if (log_) {
    if (auto bytes = log_->Read(ObjectLog::Kind::kBlock, id)) return std::move(*bytes);
  }
  std::string path = PathOf(id);
  std::string bytes = ReadFileBytes(path);
  if (ContentId(bytes) != id) {
    throw SqlError(sqlstate::kDataCorrupted, StrCat("block ", id, " is corrupted"))
        .WithDetail(StrCat("The content of \"", path, "\" does not match its id."));
  }
  return bytes;
}

std::shared_ptr<const std::string> BlockStore::GetShared(const std::string& id) const {
  if (cache_ == nullptr) return std::make_shared<const std::string>(Get(id));
  if (BlockCache::Bytes hit = cache_->Find(id)) return hit;
  auto bytes = std::make_shared<const std::string>(Get(id));
  cache_->Insert(id, bytes);
  return bytes;
}

}  // namespace strata
