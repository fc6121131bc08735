#include "storage/manifest_store.h"

#include <fcntl.h>
#include <sys/stat.h>

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>

#include "sql/error.h"
#include "storage/block_store.h"
#include "storage/fault_point.h"
#include "io/file_io.h"

namespace strata {
namespace {

std::string Serialize(const storage::SliceManifest& m) {
  std::string out;
  {
    google::protobuf::io::StringOutputStream stream(&out);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    m.SerializeToCodedStream(&coded);
  }
  return out;
}

}  // namespace

ManifestStore::ManifestStore(std::string root, bool small_objects_in_log) : root_(std::move(root)) {
  MakeDirectories(root_ + "/manifests");
  if (small_objects_in_log) log_ = ObjectLog::Open(root_);
}

std::string ManifestStore::PathOf(const std::string& id) const {
  if (!IsContentId(id)) STRATA_INTERNAL_ERROR("malformed manifest id \"", id, "\"");
  return root_ + "/manifests/" + id;
}

bool ManifestStore::Contains(const std::string& id) const {
  return (log_ && log_->Contains(ObjectLog::Kind::kManifest, id)) || PathExists(PathOf(id));
}

std::string ManifestStore::RawBytes(const std::string& id) const {
  if (log_ && IsContentId(id)) {
    if (auto bytes = log_->Read(ObjectLog::Kind::kManifest, id)) return std::move(*bytes);
  }
  if (!IsContentId(id) || !PathExists(PathOf(id))) throw SqlError(sqlstate::kIoError, StrCat("manifest ", id, " is missing"));
  std::string bytes = ReadFileBytes(PathOf(id));
  if (ContentId(bytes) != id) throw SqlError(sqlstate::kDataCorrupted, StrCat("manifest ", id, " is corrupted"));
  return bytes;
}

std::string ManifestStore::IdOf(const storage::SliceManifest& m) { return ContentId(Serialize(m)); }

namespace {
thread_local bool sync_deferred = false;
}  // namespace

DeferredLogSync::DeferredLogSync() : was_(sync_deferred) { sync_deferred = true; }
DeferredLogSync::~DeferredLogSync() { sync_deferred = was_; }
bool DeferredLogSync::Active() { return sync_deferred; }

std::string ManifestStore::Put(const storage::SliceManifest& m) {
  std::string bytes = Serialize(m);
  std::string id = ContentId(bytes);
  std::string path = PathOf(id);
  // With the object log, the blocks the manifest names were appended without a sync
  // (block_store.h): the log's sync makes them durable before, or with, the manifest.
  if (PathExists(path)) {
    if (log_) log_->Sync();
    utimensat(AT_FDCWD, path.c_str(), nullptr, 0);  // young again for garbage collection
  } else if (log_ && bytes.size() <= kLogObjectBytes) {
    log_->Append(ObjectLog::Kind::kManifest, id, bytes);  // or only refreshes it when it is there
    if (!sync_deferred) log_->Sync();
    FaultPoint("manifest_written");
  } else {
    if (log_) log_->Sync();
    WriteFileDurably(path, bytes);
    FaultPoint("manifest_written");
  }
  auto parsed = std::make_shared<const storage::SliceManifest>(m);
  std::lock_guard<std::mutex> lock(mu_);
  cache_.emplace(id, std::move(parsed));
  return id;
}

std::shared_ptr<const storage::SliceManifest> ManifestStore::Get(const std::string& id) const {
  if (id.empty()) return nullptr;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = cache_.find(id);
    if (it != cache_.end()) return it->second;
  }
  std::string path = PathOf(id);
  std::string bytes;
  std::optional<std::string> logged;
  if (log_ && IsContentId(id)) logged = log_->Read(ObjectLog::Kind::kManifest, id);
  if (logged) {
    bytes = std::move(*logged);
  } else if (remote_ && !PathExists(path)) {
    bytes = remote_(id);
    if (ContentId(bytes) == id) WriteFileDurably(path, bytes);  // checked again below
  } else {
    bytes = ReadFileBytes(path);
  }
  auto m = std::make_shared<storage::SliceManifest>();
  if (ContentId(bytes) != id || !m->ParseFromString(bytes)) {
    throw SqlError(sqlstate::kDataCorrupted, StrCat("manifest ", id, " is corrupted"))
        .WithDetail(StrCat("The content of \"", path, "\" does not match its id."));
  }
  std::lock_guard<std::mutex> lock(mu_);
  auto [it, inserted] = cache_.emplace(id, std::move(m));
  return it->second;
}

}  // namespace strata
