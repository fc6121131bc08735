// The ObjectStore for s3://bucket/key URLs, built on S3Client:
//   List      ListObjectsV2 (list-type=2) with continuation-token pagination;
//   OpenRead  HEAD for the size (cached; 58P01 at once when the object is missing), then ranged
//             GETs (explicit "bytes=a-b", never a suffix range): a large ReadAt is one GET into
//             the caller's buffer, small ones share a 4 MiB read-ahead window;
//   OpenWrite buffers one part; an object that stays under config.multipart_part_size goes up
//             as one PUT at Finish(), a larger one as a multipart upload whose parts leave as
//             they fill (CreateMultipartUpload, UploadPart..., CompleteMultipartUpload), aborted
//             (AbortMultipartUpload) on any failure or when the sink is dropped unfinished;
//   Delete    DELETE (a missing key is not an error, as in S3).
// Each store, source and sink owns its own S3Client, so its connection stays alive between
// requests. Sources and sinks belong to one thread; a store may be shared by threads (a
// snapshot's parallel uploads and fetches): its own requests take turns on its client.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "io/object_store.h"
#include "io/s3_client.h"

namespace strata {

class S3ObjectStore : public ObjectStore {
 public:
  explicit S3ObjectStore(ObjectStoreConfig config);

  std::vector<ObjectInfo> List(const std::string& url_prefix) override;
  std::unique_ptr<ByteSource> OpenRead(const std::string& url) override;
  std::unique_ptr<ByteSink> OpenWrite(const std::string& url) override;
  void Delete(const std::string& url) override;

  // Keys per ListObjectsV2 page (S3's maximum and default is 1000); tests lower it to exercise
  // pagination on a few dozen keys.
  void set_list_page_size(int n) { list_page_size_ = n; }

 private:
  ObjectStoreConfig config_;
  std::mutex client_mu_;  // the store's own requests (List, OpenRead's HEAD, Delete)
  S3Client client_;
  int list_page_size_ = 1000;
};

}  // namespace strata
