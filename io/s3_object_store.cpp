// S3 objects behind the ObjectStore interface (see s3_object_store.h).
#include "io/s3_object_store.h"

#include <algorithm>
#include <cstring>

#include "sql/error.h"

namespace strata {

namespace {

class S3Source : public ByteSource {
 public:
  S3Source(const ObjectStoreConfig& config, std::string url, S3Location loc, int64_t size)
      : client_(config), url_(std::move(url)), loc_(std::move(loc)), size_(size) {}

  int64_t Size() override { return size_; }

  // Small reads (a text reader's chunks, a Parquet footer) are served from a read-ahead window
  // so that they do not each cost a request; large reads go straight into the caller's buffer.
  size_t ReadAt(int64_t offset, char* buf, size_t n) override {
    if (n == 0 || offset >= size_) return 0;
    n = static_cast<size_t>(std::min<int64_t>(static_cast<int64_t>(n), size_ - offset));
    if (offset >= window_start_ && offset + static_cast<int64_t>(n) <= window_start_ + static_cast<int64_t>(window_.size())) {
      std::memcpy(buf, window_.data() + (offset - window_start_), n);
      return n;
    }
    if (n >= kReadAhead) return Fetch(offset, buf, n);
    size_t len = static_cast<size_t>(std::min<int64_t>(kReadAhead, size_ - offset));
    window_.resize(len);
    window_start_ = -1;  // invalid until the fetch succeeds
    Fetch(offset, window_.data(), len);
    window_start_ = offset;
    std::memcpy(buf, window_.data(), n);
    return n;
  }

  const std::string& Name() const override { return url_; }

 private:
  static constexpr size_t kReadAhead = 4 << 20;

  // One ranged GET of exactly n bytes (n > 0, within the object).
  size_t Fetch(int64_t offset, char* buf, size_t n) {
    int64_t last = offset + static_cast<int64_t>(n) - 1;
    S3Request request;
    request.method = "GET";
    request.bucket = loc_.bucket;
    request.key = loc_.key;
    request.range = std::make_pair(offset, last);
    request.out = buf;
    request.out_capacity = n;
    S3Response response = client_.SendOk(request);
    if (response.out_length != n) {
      STRATA_USER_ERROR(sqlstate::kIoError, "S3 GET \"", url_, "\" bytes ", offset, "-", last, " returned ",
                        response.out_length, " bytes (the object changed while being read?)");
    }
    return n;
  }

  S3Client client_;
  std::string url_;
  S3Location loc_;
  int64_t size_;
  std::string window_;
  int64_t window_start_ = -1;
};

class S3Sink : public ByteSink {
 public:
  S3Sink(const ObjectStoreConfig& config, std::string url, S3Location loc)
      : client_(config), url_(std::move(url)), loc_(std::move(loc)),
        part_size_(std::max<int64_t>(config.multipart_part_size, 1)) {}

  ~S3Sink() override {
    if (!finished_ && !upload_id_.empty()) AbortQuietly();
  }

  void Append(std::string_view data) override {
    if (finished_) STRATA_INTERNAL_ERROR("Append after Finish on ", url_);
    written_ += static_cast<int64_t>(data.size());
    while (!data.empty()) {
      size_t room = static_cast<size_t>(part_size_) - buffer_.size();
      size_t take = std::min(room, data.size());
      buffer_.append(data.substr(0, take));
      data.remove_prefix(take);
      // A full part leaves only once more data follows, so that a body of exactly one part
      // still goes up as a single PUT.
      if (buffer_.size() == static_cast<size_t>(part_size_) && !data.empty()) UploadBufferedPart();
    }
  }

  void Finish() override {
    if (finished_) return;
    try {
      if (upload_id_.empty()) {
        S3Request request = Base("PUT");
        request.body = buffer_;
        client_.SendOk(request);
      } else {
        if (!buffer_.empty()) UploadBufferedPart();
        Complete();
      }
    } catch (...) {
      if (!upload_id_.empty()) AbortQuietly();
      finished_ = true;
      throw;
    }
    finished_ = true;
    buffer_.clear();
    buffer_.shrink_to_fit();
  }

  int64_t BytesWritten() const override { return written_; }

 private:
  S3Request Base(const char* method) const {
    S3Request request;
    request.method = method;
    request.bucket = loc_.bucket;
    request.key = loc_.key;
    return request;
  }

  void UploadBufferedPart() {
    try {
      if (upload_id_.empty()) {
        S3Request create = Base("POST");
        create.query = {{"uploads", ""}};
        S3Response response = client_.SendOk(create);
        upload_id_ = XmlElement(response.body, "UploadId").value_or("");
        if (upload_id_.empty()) {
          STRATA_USER_ERROR(sqlstate::kIoError, "S3 CreateMultipartUpload for \"", url_, "\" returned no UploadId");
        }
      }
      S3Request part = Base("PUT");
      part.query = {{"partNumber", std::to_string(etags_.size() + 1)}, {"uploadId", upload_id_}};
      part.body = buffer_;
      S3Response response = client_.SendOk(part);
      const std::string* etag = response.Header("etag");
      if (etag == nullptr) STRATA_USER_ERROR(sqlstate::kIoError, "S3 UploadPart for \"", url_, "\" returned no ETag");
      etags_.push_back(*etag);
      buffer_.clear();
    } catch (...) {
      if (!upload_id_.empty()) AbortQuietly();
      finished_ = true;
      throw;
    }
  }

  void Complete() {
    std::string xml = "<CompleteMultipartUpload>";
    for (size_t i = 0; i < etags_.size(); ++i) {
      xml += StrCat("<Part><PartNumber>", i + 1, "</PartNumber><ETag>", XmlEscape(etags_[i]), "</ETag></Part>");
    }
    xml += "</CompleteMultipartUpload>";
    S3Request request = Base("POST");
    request.query = {{"uploadId", upload_id_}};
    request.body = xml;
    S3Response response = client_.SendOk(request);
    // CompleteMultipartUpload may answer 200 and still carry an <Error> in the body.
    if (response.body.find("<Error>") != std::string::npos) client_.ThrowFor(request, response);
    upload_id_.clear();
  }

  void AbortQuietly() noexcept {
    try {
      S3Request request = Base("DELETE");
      request.query = {{"uploadId", upload_id_}};
      client_.Send(request);
    } catch (...) {
      // The original failure matters more; a leftover upload is reclaimed by bucket lifecycle.
    }
    upload_id_.clear();
  }

  S3Client client_;
  std::string url_;
  S3Location loc_;
  int64_t part_size_;
  std::string buffer_;
  std::string upload_id_;
  std::vector<std::string> etags_;
  int64_t written_ = 0;
  bool finished_ = false;
};

}  // namespace

S3ObjectStore::S3ObjectStore(ObjectStoreConfig config) : config_(config), client_(std::move(config)) {}

std::vector<ObjectInfo> S3ObjectStore::List(const std::string& url_prefix) {
  S3Location loc = ParseS3Url(url_prefix);
  std::vector<ObjectInfo> out;
  std::string token;
  for (;;) {
    S3Request request;
    request.bucket = loc.bucket;
    request.query = {{"list-type", "2"}, {"prefix", loc.key}, {"max-keys", std::to_string(list_page_size_)}};
    if (!token.empty()) request.query.emplace_back("continuation-token", token);
    S3Response response;
    {
      std::lock_guard<std::mutex> lock(client_mu_);
      response = client_.SendOk(request);
    }
    size_t pos = 0;
    while (auto contents = XmlElement(response.body, "Contents", &pos, /*decode=*/false)) {
      std::optional<std::string> key = XmlElement(*contents, "Key");
      std::optional<std::string> size = XmlElement(*contents, "Size");
      if (!key) continue;
      out.push_back({S3Url(loc.bucket, *key), size ? std::stoll(*size) : 0});
    }
    std::string truncated = XmlElement(response.body, "IsTruncated").value_or("false");
    if (truncated != "true") break;
    token = XmlElement(response.body, "NextContinuationToken").value_or("");
    if (token.empty()) {
      STRATA_USER_ERROR(sqlstate::kIoError, "S3 ListObjectsV2 on \"", url_prefix,
                        "\" is truncated but has no NextContinuationToken");
    }
  }
  std::sort(out.begin(), out.end(), [](const ObjectInfo& a, const ObjectInfo& b) { return a.url < b.url; });
  return out;
}

std::unique_ptr<ByteSource> S3ObjectStore::OpenRead(const std::string& url) {
  S3Location loc = ParseS3Url(url);
  S3Request head;
  head.method = "HEAD";
  head.bucket = loc.bucket;
  head.key = loc.key;
  S3Response response;
  {
    std::lock_guard<std::mutex> lock(client_mu_);
    response = client_.SendOk(head);
  }
  const std::string* length = response.Header("content-length");
  if (length == nullptr) STRATA_USER_ERROR(sqlstate::kIoError, "S3 HEAD \"", url, "\" returned no Content-Length");
  return std::make_unique<S3Source>(config_, url, std::move(loc), std::stoll(*length));
}

std::unique_ptr<ByteSink> S3ObjectStore::OpenWrite(const std::string& url) {
  S3Location loc = ParseS3Url(url);
  if (loc.key.empty()) STRATA_USER_ERROR(sqlstate::kInvalidParameterValue, "invalid S3 URL \"", url, "\": no key");
  return std::make_unique<S3Sink>(config_, url, std::move(loc));
}

void S3ObjectStore::Delete(const std::string& url) {
  S3Location loc = ParseS3Url(url);
  S3Request request;
  request.method = "DELETE";
  request.bucket = loc.bucket;
  request.key = loc.key;
  std::lock_guard<std::mutex> lock(client_mu_);
  S3Response response = client_.Send(request);
  if (response.status == 404 && XmlElement(response.body, "Code").value_or("") == "NoSuchKey") return;
  if (response.status < 200 || response.status >= 300) client_.ThrowFor(request, response);
}

}  // namespace strata
