// Backend keys and cancel forwarding (see cancel_registry.h).
#include "server/pgwire/cancel_registry.h"

namespace strata::pgwire {

CancelRegistry::CancelRegistry() : rng_(std::random_device{}()) {
  // Start pids somewhere arbitrary so that two servers in one test rarely share keys.
  next_pid_ = 1000 + static_cast<int32_t>(rng_() % 30000);
}

BackendKey CancelRegistry::Register(SqlSession* session) {
  std::lock_guard<std::mutex> lock(mu_);
  BackendKey key;
  do {
    key.pid = next_pid_++;
    if (next_pid_ <= 0) next_pid_ = 1000;
  } while (sessions_.count(key.pid) != 0);
  key.secret = static_cast<int32_t>(rng_());
  sessions_[key.pid] = {key.secret, session};
  return key;
}

void CancelRegistry::Unregister(const BackendKey& key) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = sessions_.find(key.pid);
  if (it != sessions_.end() && it->second.first == key.secret) sessions_.erase(it);
}

bool CancelRegistry::Cancel(const BackendKey& key) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = sessions_.find(key.pid);
  if (it == sessions_.end() || it->second.first != key.secret) return false;
  it->second.second->Cancel();
  return true;
}

void CancelRegistry::CancelAll() {
  std::lock_guard<std::mutex> lock(mu_);
  for (auto& [pid, entry] : sessions_) entry.second->Cancel();
}

size_t CancelRegistry::size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return sessions_.size();
}

}  // namespace strata::pgwire
