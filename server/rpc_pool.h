// Authenticated cluster connections kept open between requests, so that a short statement does
// not pay a TCP connect, a handshake and a new server thread for every node it touches.
//
// A caller borrows a channel with RpcPool::Acquire and hands it back with PooledChannel::Keep()
// only once the exchange it started is finished at a frame boundary (the peer is back to
// waiting for the next request: a stage's STAGE_DONE read, every ACK read); a channel dropped
// without Keep() — an error, a cancel, an abandoned stream — is closed, never reused.
// An idle channel the peer has closed (its process ended, the server stopped) reads as
// readable; Acquire drops such channels and connects afresh. At most kMaxIdlePerPeer channels
// are kept per peer, none longer than kMaxIdle.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <tuple>
#include <vector>

#include "server/rpc_channel.h"

namespace strata {

class RpcPool;

// A borrowed channel: closed on destruction unless Keep() was called.
class PooledChannel {
 public:
  PooledChannel() = default;
  PooledChannel(RpcPool* pool, std::string key, std::unique_ptr<RpcChannel> ch)
      : pool_(pool), key_(std::move(key)), ch_(std::move(ch)) {}
  PooledChannel(PooledChannel&&) = default;
  PooledChannel& operator=(PooledChannel&& o) noexcept {
    Drop();
    pool_ = o.pool_;
    key_ = std::move(o.key_);
    ch_ = std::move(o.ch_);
    return *this;
  }
  ~PooledChannel() { Drop(); }
  RpcChannel* operator->() const { return ch_.get(); }
  RpcChannel& operator*() const { return *ch_; }
  explicit operator bool() const { return ch_ != nullptr; }
  // The exchange is over and the peer waits for the next request: the channel goes back.
  void Keep();

 private:
  void Drop() {
    if (ch_) ch_->Close();
    ch_.reset();
  }
  RpcPool* pool_ = nullptr;
  std::string key_;
  std::unique_ptr<RpcChannel> ch_;
};

class RpcPool {
 public:
  static constexpr size_t kMaxIdlePerPeer = 32;
  static constexpr std::chrono::seconds kMaxIdle{60};

  // The process's pool.
  static RpcPool& Shared();

  // An idle authenticated channel to host:port for `secret`, or a new one (RpcChannel::Connect,
  // with its errors).
  PooledChannel Acquire(const std::string& host, int port, const ClusterSecret& secret,
                        std::chrono::milliseconds handshake_timeout = kRpcHandshakeTimeout);
  // Closes every idle channel (tests; a process that changes its secret).
  void Clear();
  size_t idle() const;

 private:
  friend class PooledChannel;
  void Return(const std::string& key, std::unique_ptr<RpcChannel> ch);
  struct Idle {
    std::unique_ptr<RpcChannel> channel;
    std::chrono::steady_clock::time_point since;
  };
  mutable std::mutex mu_;
  std::map<std::string, std::vector<Idle>> idle_;
};

}  // namespace strata
