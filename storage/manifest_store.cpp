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

ManifestStore::ManifestStore(std::string root) : root_(std::move(root)) {
  MakeDirectories(root_ + "/manifests");
}

std::string ManifestStore::PathOf(const std::string& id) const {
  if (!IsContentId(id)) STRATA_INTERNAL_ERROR("malformed manifest id \"", id, "\"");
  return root_ + "/manifests/" + id;
}

bool ManifestStore::Contains(const std::string& id) const { return PathExists(PathOf(id)); }

std::string ManifestStore::RawBytes(const std::string& id) const {
  if (!IsContentId(id) || !PathExists(PathOf(id))) throw SqlError(sqlstate::kIoError, StrCat("manifest ", id, " is missing"));
  std::string bytes = ReadFileBytes(PathOf(id));
  if (ContentId(bytes) != id) throw SqlError(sqlstate::kDataCorrupted, StrCat("manifest ", id, " is corrupted"));
  return bytes;
}

std::string ManifestStore::IdOf(const storage::SliceManifest& m) { return ContentId(Serialize(m)); }

std::string ManifestStore::Put(const storage::SliceManifest& m) {
  std::string bytes = Serialize(m);
  std::string id = ContentId(bytes);
  std::string path = PathOf(id);
  if (!PathExists(path)) {
    WriteFileDurably(path, bytes);
    FaultPoint("manifest_written");
  } else {
    utimensat(AT_FDCWD, path.c_str(), nullptr, 0);  // young again for garbage collection
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
  if (remote_ && !PathExists(path)) {
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
