// One S3 connection: builds the URL for a bucket/key (path-style against a custom endpoint,
// virtual-hosted https://bucket.s3.REGION.amazonaws.com otherwise), signs the request with
// SigV4 (aws_sigv4.h), sends it over a reused libcurl easy handle (keep-alive), retries 5xx,
// throttling and network failures with exponential backoff, and turns failures into SqlErrors:
//   404 NoSuchKey / NoSuchBucket -> 58P01 naming the object or bucket,
//   403                          -> 42501 with a hint about credentials,
//   anything else                -> 58030 with the HTTP status and S3's error code and message.
// A client is not thread-safe: each store and each open source or sink owns its own.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "io/aws_sigv4.h"
#include "io/object_store.h"

typedef void CURL;

namespace strata {

struct S3Location {
  std::string bucket;
  std::string key;  // may be empty (the whole bucket)
};

// "s3://bucket/a/b" -> {bucket, "a/b"}. 22023 when there is no bucket.
S3Location ParseS3Url(const std::string& url);
std::string S3Url(const std::string& bucket, const std::string& key);

struct S3Request {
  std::string method = "GET";
  std::string bucket;
  std::string key;
  HttpFields query;     // raw name/value pairs
  HttpFields headers;   // extra headers, signed and sent
  std::string_view body;
  // An inclusive byte range [first, last]; sent as "Range: bytes=first-last".
  std::optional<std::pair<int64_t, int64_t>> range;
  // When set, a successful response body goes straight here (at most out_capacity bytes)
  // instead of into S3Response::body: the ranged GET path copies once.
  char* out = nullptr;
  size_t out_capacity = 0;
};

struct S3Response {
  long status = 0;
  std::string body;
  HttpFields headers;       // names lowercased
  size_t out_length = 0;    // bytes written to S3Request::out
  // The value of a response header (by lowercase name), or nullptr.
  const std::string* Header(std::string_view name) const;
};

class S3Client {
 public:
  explicit S3Client(ObjectStoreConfig config);
  ~S3Client();
  S3Client(const S3Client&) = delete;
  S3Client& operator=(const S3Client&) = delete;

  // Sends with retries; returns the final response whatever its status. Throws 58030 only when
  // the endpoint could not be reached at all after the retries.
  S3Response Send(const S3Request& request);
  // Send, then throws the mapped SqlError unless the status is 2xx.
  S3Response SendOk(const S3Request& request);
  [[noreturn]] void ThrowFor(const S3Request& request, const S3Response& response) const;

  const ObjectStoreConfig& config() const { return config_; }

 private:
  // One attempt; returns the curl result code.
  int Perform(const S3Request& request, S3Response* response);

  ObjectStoreConfig config_;
  CURL* curl_;
};

// The decoded text of the first <tag>...</tag> at or after *pos (advanced past it), or nullopt.
// Enough XML for S3's answers: no attributes on the elements we read. Entities are decoded
// unless `decode` is false (for an element whose children are parsed next).
std::optional<std::string> XmlElement(std::string_view xml, std::string_view tag, size_t* pos = nullptr,
                                      bool decode = true);
// Escapes &, <, >, " for XML text.
std::string XmlEscape(std::string_view text);

}  // namespace strata
