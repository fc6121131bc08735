// The S3 request path: URL building, signing, one libcurl easy handle reused across requests
// (curl_easy_reset keeps its live connections), retries and error mapping. See s3_client.h.
#include "io/s3_client.h"

#include <curl/curl.h>

#include <chrono>
#include <cstring>
#include <ctime>
#include <mutex>
#include <random>
#include <thread>

#include "sql/error.h"
#include "sql/utf8_validation.h"

namespace strata {

namespace {

void GlobalInitOnce() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct Endpoint {
  std::string scheme_and_host;  // "http://127.0.0.1:4568"
  std::string host;             // "127.0.0.1:4568" (the Host header)
};

Endpoint ParseEndpoint(const std::string& endpoint) {
  std::string e = endpoint;
  size_t scheme_end = e.find("://");
  if (scheme_end == std::string::npos) {
    e = "https://" + e;
    scheme_end = 5;
  }
  size_t host_start = scheme_end + 3;
  size_t host_end = e.find('/', host_start);
  if (host_end == std::string::npos) host_end = e.size();
  return {e.substr(0, host_end), e.substr(host_start, host_end - host_start)};
}

struct TransferState {
  CURL* curl;
  const S3Request* request;
  S3Response* response;
  int64_t skip = 0;  // bytes of a 200 (not 206) answer to drop before the asked range
};

bool IsSuccess(long status) { return status >= 200 && status < 300; }

size_t OnBody(char* data, size_t size, size_t count, void* user) {
  auto* state = static_cast<TransferState*>(user);
  size_t n = size * count;
  const S3Request& request = *state->request;
  S3Response& response = *state->response;
  long status = 0;
  curl_easy_getinfo(state->curl, CURLINFO_RESPONSE_CODE, &status);
  if (request.out == nullptr || !IsSuccess(status)) {
    response.body.append(data, n);
    return n;
  }
  size_t offset = 0;
  if (status == 200 && request.range && state->skip < request.range->first) {
    int64_t drop = std::min<int64_t>(request.range->first - state->skip, static_cast<int64_t>(n));
    state->skip += drop;
    offset = static_cast<size_t>(drop);
  }
  size_t room = request.out_capacity - response.out_length;
  size_t take = std::min(room, n - offset);
  std::memcpy(request.out + response.out_length, data + offset, take);
  response.out_length += take;
  return n;
}

size_t OnHeader(char* data, size_t size, size_t count, void* user) {
  auto* response = static_cast<S3Response*>(user);
  size_t n = size * count;
  std::string_view line(data, n);
  while (!line.empty() && (line.back() == '\r' || line.back() == '\n')) line.remove_suffix(1);
  if (line.rfind("HTTP/", 0) == 0) {  // a new status line (after 100 Continue): start over
    response->headers.clear();
    return n;
  }
  size_t colon = line.find(':');
  if (colon == std::string_view::npos) return n;
  std::string name(line.substr(0, colon));
  for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  std::string_view value = line.substr(colon + 1);
  while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  response->headers.emplace_back(std::move(name), std::string(value));
  return n;
}

bool RetryableCurlError(CURLcode code) {
  switch (code) {
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_COULDNT_CONNECT:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_SSL_CONNECT_ERROR:
      return true;
    default:
      return false;
  }
}

bool RetryableStatus(long status) { return status == 429 || status >= 500; }

std::string Describe(const S3Request& request) {
  if (request.key.empty()) return StrCat("s3://", request.bucket);
  return S3Url(request.bucket, request.key);
}

}  // namespace

S3Location ParseS3Url(const std::string& url) {
  if (url.rfind("s3://", 0) != 0) {
    STRATA_USER_ERROR(sqlstate::kInvalidParameterValue, "invalid S3 URL \"", url, "\": expected s3://bucket/key");
  }
  std::string rest = url.substr(5);
  size_t slash = rest.find('/');
  S3Location loc;
  loc.bucket = rest.substr(0, slash);
  if (slash != std::string::npos) loc.key = rest.substr(slash + 1);
  if (loc.bucket.empty()) {
    STRATA_USER_ERROR(sqlstate::kInvalidParameterValue, "invalid S3 URL \"", url, "\": the bucket name is missing");
  }
  return loc;
}

std::string S3Url(const std::string& bucket, const std::string& key) { return "s3://" + bucket + "/" + key; }

const std::string* S3Response::Header(std::string_view name) const {
  for (const auto& [n, v] : headers) {
    if (n == name) return &v;
  }
  return nullptr;
}

S3Client::S3Client(ObjectStoreConfig config) : config_(std::move(config)) {
  GlobalInitOnce();
  curl_ = curl_easy_init();
  if (curl_ == nullptr) STRATA_INTERNAL_ERROR("curl_easy_init failed");
}

S3Client::~S3Client() { curl_easy_cleanup(curl_); }

int S3Client::Perform(const S3Request& request, S3Response* response) {
  *response = S3Response{};
  // URL and the canonical URI: path-style against a custom endpoint, virtual-hosted on AWS.
  std::string encoded_key = UriEncode(request.key, false);
  Endpoint endpoint;
  std::string canonical_uri;
  if (!config_.endpoint.empty()) {
    endpoint = ParseEndpoint(config_.endpoint);
    canonical_uri = "/" + request.bucket + (request.key.empty() ? "" : "/" + encoded_key);
  } else {
    std::string host = request.bucket + ".s3." + config_.region + ".amazonaws.com";
    endpoint = {"https://" + host, host};
    canonical_uri = "/" + encoded_key;
  }
  std::string query = CanonicalQueryString(request.query);
  std::string url = endpoint.scheme_and_host + canonical_uri + (query.empty() ? "" : "?" + query);

  SigV4Request sig;
  sig.method = request.method;
  sig.canonical_uri = canonical_uri;
  sig.query = request.query;
  sig.payload_sha256 = Sha256Hex(request.body);
  sig.headers = request.headers;
  sig.headers.emplace_back("host", endpoint.host);
  std::string amz_date = AmzDate(std::time(nullptr));
  sig.headers.emplace_back("x-amz-date", amz_date);
  sig.headers.emplace_back("x-amz-content-sha256", sig.payload_sha256);
  if (request.range) {
    sig.headers.emplace_back("range", StrCat("bytes=", request.range->first, "-", request.range->second));
  }
  if (!config_.session_token.empty()) sig.headers.emplace_back("x-amz-security-token", config_.session_token);

  curl_slist* header_list = nullptr;
  for (const auto& [name, value] : sig.headers) {
    header_list = curl_slist_append(header_list, (name + ": " + value).c_str());
  }
  // Without credentials the request goes unsigned (a public bucket).
  if (!config_.access_key_id.empty()) {
    SigV4Credentials creds{config_.access_key_id, config_.secret_access_key, config_.session_token};
    std::string auth = AuthorizationHeader(sig, creds, config_.region, "s3", amz_date);
    header_list = curl_slist_append(header_list, ("Authorization: " + auth).c_str());
  }
  header_list = curl_slist_append(header_list, "Expect:");  // no 100-continue round trip
  if (!request.body.empty() || request.method == "PUT" || request.method == "POST") {
    header_list = curl_slist_append(header_list, "Content-Type: application/octet-stream");
  }

  TransferState state{curl_, &request, response};
  curl_easy_reset(curl_);
  curl_easy_setopt(curl_, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl_, CURLOPT_HTTPHEADER, header_list);
  curl_easy_setopt(curl_, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl_, CURLOPT_CONNECTTIMEOUT_MS, 10000L);
  // A stalled transfer (under 1 byte/s for 30 s) counts as a timeout and is retried.
  curl_easy_setopt(curl_, CURLOPT_LOW_SPEED_LIMIT, 1L);
  curl_easy_setopt(curl_, CURLOPT_LOW_SPEED_TIME, 30L);
  curl_easy_setopt(curl_, CURLOPT_WRITEFUNCTION, &OnBody);
  curl_easy_setopt(curl_, CURLOPT_WRITEDATA, &state);
  curl_easy_setopt(curl_, CURLOPT_HEADERFUNCTION, &OnHeader);
  curl_easy_setopt(curl_, CURLOPT_HEADERDATA, response);
  if (request.method == "HEAD") {
    curl_easy_setopt(curl_, CURLOPT_NOBODY, 1L);
  } else if (request.method != "GET") {
    curl_easy_setopt(curl_, CURLOPT_CUSTOMREQUEST, request.method.c_str());
    if (request.method == "PUT" || request.method == "POST") {
      curl_easy_setopt(curl_, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
      // Never a null pointer: curl would then read the body from stdin.
      curl_easy_setopt(curl_, CURLOPT_POSTFIELDS, request.body.empty() ? "" : request.body.data());
    }
  }
  CURLcode code = curl_easy_perform(curl_);
  curl_slist_free_all(header_list);
  if (code == CURLE_OK) curl_easy_getinfo(curl_, CURLINFO_RESPONSE_CODE, &response->status);
  return static_cast<int>(code);
}

S3Response S3Client::Send(const S3Request& request) {
  static thread_local std::mt19937 rng{std::random_device{}()};
  S3Response response;
  for (int attempt = 0;; ++attempt) {
    CURLcode code = static_cast<CURLcode>(Perform(request, &response));
    bool retry = code != CURLE_OK ? RetryableCurlError(code) : RetryableStatus(response.status);
    if (!retry || attempt >= config_.max_retries) {
      if (code != CURLE_OK) {
        STRATA_USER_ERROR(sqlstate::kIoError, "S3 ", request.method, " ", Describe(request), " failed: ",
                          std::string(curl_easy_strerror(code)), " (after ", attempt + 1, " attempts)");
      }
      return response;
    }
    // Exponential backoff with jitter: 50 ms, 100 ms, 200 ms, ... capped at 5 s.
    int64_t base_ms = std::min<int64_t>(5000, int64_t{50} << std::min(attempt, 10));
    std::uniform_int_distribution<int64_t> jitter(0, base_ms / 2);
    std::this_thread::sleep_for(std::chrono::milliseconds(base_ms + jitter(rng)));
  }
}

S3Response S3Client::SendOk(const S3Request& request) {
  S3Response response = Send(request);
  if (!IsSuccess(response.status)) ThrowFor(request, response);
  return response;
}

void S3Client::ThrowFor(const S3Request& request, const S3Response& response) const {
  std::string code = XmlElement(response.body, "Code").value_or("");
  std::string message = XmlElement(response.body, "Message").value_or("");
  std::string what = Describe(request);
  if (response.status == 404 || code == "NoSuchKey" || code == "NoSuchBucket") {
    if (code == "NoSuchBucket") {
      throw SqlError(sqlstate::kUndefinedFile, StrCat("S3 bucket \"", request.bucket, "\" does not exist"));
    }
    if (code == "NoSuchUpload") {
      throw SqlError(sqlstate::kIoError, StrCat("S3 multipart upload for \"", what, "\" no longer exists"));
    }
    throw SqlError(sqlstate::kUndefinedFile, StrCat("S3 object \"", what, "\" does not exist"));
  }
  if (response.status == 403) {
    throw SqlError(sqlstate::kInsufficientPrivilege,
                   StrCat("access denied to \"", what, "\" (S3 ", code.empty() ? "AccessDenied" : code,
                          message.empty() ? "" : ": " + message, ")"))
        .WithHint("Check the S3 credentials: AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (and "
                  "AWS_SESSION_TOKEN), or the statement's ACCESS_KEY_ID / CREDENTIALS.");
  }
  throw SqlError(sqlstate::kIoError,
                 StrCat("S3 ", request.method, " \"", what, "\" failed: HTTP ", response.status,
                        code.empty() ? "" : " " + code, message.empty() ? "" : ": " + message));
}

namespace {

std::string XmlDecode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '&') {
      out.push_back(s[i]);
      continue;
    }
    size_t semi = s.find(';', i);
    if (semi == std::string_view::npos) {
      out.push_back('&');
      continue;
    }
    std::string_view entity = s.substr(i + 1, semi - i - 1);
    if (entity == "amp") out.push_back('&');
    else if (entity == "lt") out.push_back('<');
    else if (entity == "gt") out.push_back('>');
    else if (entity == "quot") out.push_back('"');
    else if (entity == "apos") out.push_back('\'');
    else if (!entity.empty() && entity[0] == '#') {
      unsigned long cp = entity.size() > 1 && (entity[1] == 'x' || entity[1] == 'X')
                             ? std::stoul(std::string(entity.substr(2)), nullptr, 16)
                             : std::stoul(std::string(entity.substr(1)), nullptr, 10);
      AppendUtf8(static_cast<uint32_t>(cp), &out);
    } else {
      out.append(s.substr(i, semi - i + 1));
    }
    i = semi;
  }
  return out;
}

}  // namespace

std::optional<std::string> XmlElement(std::string_view xml, std::string_view tag, size_t* pos, bool decode) {
  std::string open(1, '<');
  open.append(tag).push_back('>');
  std::string close("</");
  close.append(tag).push_back('>');
  size_t start = xml.find(open, pos != nullptr ? *pos : 0);
  if (start == std::string_view::npos) {
    // An empty element: <Tag/>.
    std::string empty(1, '<');
    empty.append(tag).append("/>");
    size_t e = xml.find(empty, pos != nullptr ? *pos : 0);
    if (e == std::string_view::npos) return std::nullopt;
    if (pos != nullptr) *pos = e + empty.size();
    return std::string();
  }
  start += open.size();
  size_t end = xml.find(close, start);
  if (end == std::string_view::npos) return std::nullopt;
  if (pos != nullptr) *pos = end + close.size();
  std::string_view text = xml.substr(start, end - start);
  return decode ? XmlDecode(text) : std::string(text);
}

std::string XmlEscape(std::string_view text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out.push_back(c);
    }
  }
  return out;
}

}  // namespace strata
