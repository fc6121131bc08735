// Where content-addressed objects live under a location (a snapshot store, s3://… or file:///…):
// the same layout a compute node keeps on its own disk (storage/block_store.h,
// storage/manifest_store.h), blocks/<first 2 hex chars>/<id> and manifests/<id>, so a store of a
// snapshot holds each block once however many snapshots need it. Fetching checks the bytes
// against the id, so nothing corrupt is ever used.
#pragma once

#include <memory>
#include <string>

#include "io/object_store.h"
#include "storage/storage.pb.h"

namespace strata {

// "s3://b/p/" + "blocks/ab/abcd…". `location` ends with '/'.
std::string StoredBlockUrl(const std::string& location, const std::string& id);
std::string StoredManifestUrl(const std::string& location, const std::string& id);

// The bytes of the object at `url`, checked to hash to `id`. A missing object is 58P01 and bytes
// that do not match are XX001; both name `what` ("block 1f3e…") and the URL.
std::string FetchVerified(ObjectStore& store, const std::string& url, const std::string& id, const std::string& what);

// A slice manifest from a location, checked and parsed (errors as FetchVerified).
std::shared_ptr<const storage::SliceManifest> FetchManifest(ObjectStore& store, const std::string& location,
                                                            const std::string& id);

}  // namespace strata
