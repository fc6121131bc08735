// Content-addressed objects under a location: URLs and checked reads (see object_layout.h).
#include "storage/object_layout.h"

#include "io/local_path_policy.h"
#include "sql/error.h"
#include "storage/block_store.h"

namespace strata {

std::string StoredBlockUrl(const std::string& location, const std::string& id) {
  if (!IsContentId(id)) STRATA_INTERNAL_ERROR("malformed block id \"", id, "\"");
  return JoinObjectUrl(location, "blocks/" + id.substr(0, 2) + "/" + id);
}

std::string StoredManifestUrl(const std::string& location, const std::string& id) {
  if (!IsContentId(id)) STRATA_INTERNAL_ERROR("malformed manifest id \"", id, "\"");
  return JoinObjectUrl(location, "manifests/" + id);
}

std::string FetchVerified(ObjectStore& store, const std::string& url, const std::string& id, const std::string& what) {
  TrustedLocalAccess trusted;  // the operator named this location, not a statement
  std::string bytes;
  try {
    bytes = ReadAllBytes(*store.OpenRead(url));
  } catch (const SqlError& e) {
    if (e.sqlstate() != std::string(sqlstate::kUndefinedFile)) throw;
    throw SqlError(sqlstate::kUndefinedFile, StrCat(what, " is missing from the snapshot store"))
        .WithDetail(StrCat("\"", url, "\" does not exist."));
  }
  if (ContentId(bytes) != id) {
    throw SqlError(sqlstate::kDataCorrupted, StrCat(what, " in the snapshot store is corrupted"))
        .WithDetail(StrCat("The content of \"", url, "\" does not match its checksum (id ", id, ")."));
  }
  return bytes;
}

std::shared_ptr<const storage::SliceManifest> FetchManifest(ObjectStore& store, const std::string& location,
                                                            const std::string& id) {
  std::string bytes = FetchVerified(store, StoredManifestUrl(location, id), id, "manifest " + id);
  auto m = std::make_shared<storage::SliceManifest>();
  if (!m->ParseFromString(bytes)) {
    throw SqlError(sqlstate::kDataCorrupted, StrCat("manifest ", id, " in the snapshot store does not parse"));
  }
  return m;
}

}  // namespace strata
