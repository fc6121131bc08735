// The object store over the local filesystem: absolute paths or file:///abs/path URLs.
// Reads use pread (any offset, no shared file position, so one source may serve concurrent
// readers); writes go to "<path>.tmp-XXXXXX" in the same directory and are fsynced and renamed
// over the destination by Finish(), so a reader never sees a half-written file and a crash
// leaves at most a stray temporary.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "io/object_store.h"

namespace strata {

class LocalObjectStore : public ObjectStore {
 public:
  // The file itself when `url_prefix` names a regular file; else every regular file whose
  // absolute path starts with the prefix (directories are walked recursively), sorted.
  std::vector<ObjectInfo> List(const std::string& url_prefix) override;
  std::unique_ptr<ByteSource> OpenRead(const std::string& url) override;
  // Creates missing parent directories.
  std::unique_ptr<ByteSink> OpenWrite(const std::string& url) override;
  // Removing a file that does not exist is not an error (as in S3).
  void Delete(const std::string& url) override;
};

// "file:///a/b" -> "/a/b"; "/a/b" stays. 22023 for anything that is not an absolute path.
std::string LocalPathFromUrl(const std::string& url);

}  // namespace strata
