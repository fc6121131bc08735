// The object store's entry points: routing a URL to its store, joining URLs, and reading the
// AWS settings from the environment (see object_store.h).
#include "io/object_store.h"

#include <cstdlib>

#include "io/local_object_store.h"
#include "io/s3_object_store.h"
#include "sql/error.h"

namespace strata {

namespace {

std::string Env(const char* name) {
  const char* v = std::getenv(name);
  return v != nullptr ? std::string(v) : std::string();
}

}  // namespace

ObjectStoreConfig ObjectStoreConfig::FromEnvironment() {
  ObjectStoreConfig config;
  config.endpoint = Env("AWS_ENDPOINT_URL_S3");
  if (config.endpoint.empty()) config.endpoint = Env("AWS_ENDPOINT_URL");
  std::string region = Env("AWS_REGION");
  if (region.empty()) region = Env("AWS_DEFAULT_REGION");
  if (!region.empty()) config.region = region;
  config.access_key_id = Env("AWS_ACCESS_KEY_ID");
  config.secret_access_key = Env("AWS_SECRET_ACCESS_KEY");
  config.session_token = Env("AWS_SESSION_TOKEN");
  return config;
}

std::unique_ptr<ObjectStore> OpenObjectStore(const std::string& url, const ObjectStoreConfig& config) {
  if (url.rfind("s3://", 0) == 0) return std::make_unique<S3ObjectStore>(config);
  if (url.rfind("file://", 0) == 0 || (!url.empty() && url[0] == '/')) {
    if (!config.local_files_allowed) {
      STRATA_USER_ERROR(sqlstate::kInsufficientPrivilege, "must be superuser to COPY to or from a file (\"", url, "\")");
    }
    return std::make_unique<LocalObjectStore>();
  }
  STRATA_USER_ERROR(sqlstate::kInvalidParameterValue, "unsupported location \"", url,
                    "\": expected s3://bucket/key, file:///path or an absolute path");
}

std::string JoinObjectUrl(const std::string& prefix, const std::string& name) {
  if (prefix.empty()) return name;
  size_t skip = 0;
  while (skip < name.size() && name[skip] == '/') ++skip;
  std::string out = prefix;
  if (out.back() != '/') out.push_back('/');
  out.append(name, skip, std::string::npos);
  return out;
}

}  // namespace strata
