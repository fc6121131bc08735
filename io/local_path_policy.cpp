// The local path policy (see local_path_policy.h): folders compared by whole path components.
#include "io/local_path_policy.h"

#include <filesystem>
#include <mutex>

#include "sql/error.h"
#include "sql/sqlstate.h"

namespace strata {

namespace fs = std::filesystem;

namespace {

struct Policy {
  bool configured = false;
  std::vector<fs::path> allowed, denied;
};

std::mutex policy_mu;
Policy policy;

// The path with "..", ".", duplicate slashes and the symbolic links of its existing part
// resolved (the part that does not exist yet, as for a new UNLOAD file, only normalised).
fs::path Resolve(const std::string& path) {
  std::error_code ec;
  fs::path p = fs::weakly_canonical(fs::path(path), ec);
  if (ec) p = fs::path(path).lexically_normal();
  return p;
}

// True when `p` is `folder` or lies below it (component-wise: /data2 is not inside /data).
bool Inside(const fs::path& p, const fs::path& folder) {
  auto f = folder.begin(), q = p.begin();
  for (; f != folder.end(); ++f, ++q) {
    if (f->empty()) continue;  // a trailing slash
    if (q == p.end() || *q != *f) return false;
  }
  return true;
}

}  // namespace

void ConfigureLocalPathPolicy(const std::vector<std::string>& allowed, const std::vector<std::string>& denied) {
  Policy next;
  next.configured = true;
  for (const auto& a : allowed) next.allowed.push_back(Resolve(a));
  for (const auto& d : denied) next.denied.push_back(Resolve(d));
  std::lock_guard<std::mutex> lock(policy_mu);
  policy = std::move(next);
}

namespace {
thread_local bool trusted_access = false;
}  // namespace

TrustedLocalAccess::TrustedLocalAccess() : previous_(trusted_access) { trusted_access = true; }
TrustedLocalAccess::~TrustedLocalAccess() { trusted_access = previous_; }

void CheckLocalPathAllowed(const std::string& path) {
  if (trusted_access) return;
  Policy p;
  {
    std::lock_guard<std::mutex> lock(policy_mu);
    if (!policy.configured) return;
    p = policy;
  }
  fs::path resolved = Resolve(path);
  for (const auto& d : p.denied) {
    if (Inside(resolved, d)) {
      throw SqlError(sqlstate::kInsufficientPrivilege,
                     "could not access \"" + path + "\": the server's data folder is never readable or writable by statements");
    }
  }
  for (const auto& a : p.allowed) {
    if (Inside(resolved, a)) return;
  }
  throw SqlError(sqlstate::kInsufficientPrivilege,
                 "could not access \"" + path + "\": it is outside the folders the server allows")
      .WithHint(p.allowed.empty() ? "Start the server with --allow-path DIR to let superusers COPY from and UNLOAD to DIR."
                                  : "Allowed folders are those given with --allow-path.");
}

}  // namespace strata
