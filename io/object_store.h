// The object-store interface: one way to list, read and write objects whether they
// live on the local filesystem (plain absolute paths and file:///abs/path) or in S3
// (s3://bucket/key, over libcurl with AWS Signature V4; io/s3_object_store.h).
//
// Configuration follows the AWS conventions: AWS_ENDPOINT_URL_S3 (or AWS_ENDPOINT_URL) for a
// custom endpoint (then path-style addressing), AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,
// AWS_SESSION_TOKEN, AWS_REGION (default us-east-1). A statement's own credentials (COPY's
// ACCESS_KEY_ID/SECRET_ACCESS_KEY/SESSION_TOKEN or CREDENTIALS '...') override the environment;
// IAM_ROLE is accepted and resolved through the same environment.
//
// Errors are SqlErrors: 58P01 for a missing object or bucket, 42501 for access denied (403, bad
// credentials), 58030 for other I/O failures (after retries with backoff on 5xx and timeouts),
// 22023 for a malformed URL.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "io/byte_source.h"

namespace strata {

struct ObjectStoreConfig {
  std::string endpoint;           // "" = AWS (virtual-hosted style); else e.g. http://127.0.0.1:4568
  std::string region = "us-east-1";
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;
  int64_t multipart_part_size = 8 << 20;  // PUTs above this size go multipart
  int max_retries = 4;
  // False when the statement's user may not touch server files (not a superuser): a local path
  // or file:// URL then fails with 42501. Which folders are usable at all is the process's
  // local path policy (io/local_path_policy.h).
  bool local_files_allowed = true;

  // The environment's settings (AWS_* variables).
  static ObjectStoreConfig FromEnvironment();
};

struct ObjectInfo {
  std::string url;   // full URL (or absolute path for local files), usable with Open/Delete
  int64_t size = 0;
};

class ObjectStore {
 public:
  virtual ~ObjectStore() = default;
  // Every object whose URL starts with `url_prefix` (for local paths: the file itself, or every
  // regular file under a directory prefix / whose path starts with the prefix), sorted by URL.
  // An empty result is not an error here.
  virtual std::vector<ObjectInfo> List(const std::string& url_prefix) = 0;
  // Opens one object for ranged reads (58P01 if missing).
  virtual std::unique_ptr<ByteSource> OpenRead(const std::string& url) = 0;
  // Opens a writer; the object appears only when Finish() succeeds (multipart above the part
  // size, a single PUT below it; local files via a temporary name and rename).
  virtual std::unique_ptr<ByteSink> OpenWrite(const std::string& url) = 0;
  virtual void Delete(const std::string& url) = 0;
};

// The store for a URL's scheme: s3:// -> S3, file:// or '/' -> local. 22023 otherwise.
std::unique_ptr<ObjectStore> OpenObjectStore(const std::string& url, const ObjectStoreConfig& config);

// Joins a prefix and a relative name ("s3://b/p/" + "x" -> "s3://b/p/x").
std::string JoinObjectUrl(const std::string& prefix, const std::string& name);

}  // namespace strata
