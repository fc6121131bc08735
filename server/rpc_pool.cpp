// Reuse of authenticated cluster connections (see rpc_pool.h).
#include "server/rpc_pool.h"

#include <functional>

namespace strata {

namespace {

std::string PoolKey(const std::string& host, int port, const ClusterSecret& secret) {
  // The secret's hash, not the secret: two clusters in one process (tests) never share channels.
  return host + ":" + std::to_string(port) + "#" + std::to_string(std::hash<std::string>{}(secret.key()));
}

}  // namespace

void PooledChannel::Keep() {
  if (!ch_ || pool_ == nullptr) return;
  pool_->Return(key_, std::move(ch_));
}

RpcPool& RpcPool::Shared() {
  static RpcPool* pool = new RpcPool();  // never destroyed: channels may be returned during exit
  return *pool;
}

PooledChannel RpcPool::Acquire(const std::string& host, int port, const ClusterSecret& secret,
                               std::chrono::milliseconds handshake_timeout) {
  std::string key = PoolKey(host, port, secret);
  const auto now = std::chrono::steady_clock::now();
  while (true) {
    std::unique_ptr<RpcChannel> ch;
    {
      std::lock_guard<std::mutex> lock(mu_);
      auto it = idle_.find(key);
      if (it == idle_.end() || it->second.empty()) break;
      Idle last = std::move(it->second.back());
      it->second.pop_back();
      if (now - last.since > kMaxIdle) {
        // The older ones are older still.
        for (auto& i : it->second) i.channel->Close();
        it->second.clear();
        last.channel->Close();
        break;
      }
      ch = std::move(last.channel);
    }
    // Idle means silent: a readable channel was closed by its peer (or carries a stray frame).
    if (!ch->WaitReadable(std::chrono::milliseconds(0))) return PooledChannel(this, key, std::move(ch));
    ch->Close();
  }
  return PooledChannel(this, key, RpcChannel::Connect(host, port, secret, handshake_timeout));
}

void RpcPool::Return(const std::string& key, std::unique_ptr<RpcChannel> ch) {
  std::lock_guard<std::mutex> lock(mu_);
  auto& v = idle_[key];
  if (v.size() >= kMaxIdlePerPeer) {
    ch->Close();
    return;
  }
  v.push_back(Idle{std::move(ch), std::chrono::steady_clock::now()});
}

void RpcPool::Clear() {
  std::lock_guard<std::mutex> lock(mu_);
  for (auto& [k, v] : idle_) for (auto& i : v) i.channel->Close();
  idle_.clear();
}

size_t RpcPool::idle() const {
  std::lock_guard<std::mutex> lock(mu_);
  size_t n = 0;
  for (const auto& [k, v] : idle_) n += v.size();
  return n;
}

}  // namespace strata
