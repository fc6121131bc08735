// See client_watch.h.
#include "server/client_watch.h"

namespace strata {

ClientWatch::~ClientWatch() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void ClientWatch::Begin() {
  std::lock_guard<std::mutex> lock(mu_);
  watching_ = true;
  if (!thread_.joinable()) thread_ = std::thread([this] { Loop(); });
  cv_.notify_all();
}

void ClientWatch::End() {
  std::lock_guard<std::mutex> lock(mu_);
  watching_ = false;
}

void ClientWatch::Loop() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stopping_) {
    if (!watching_) {
      cv_.wait(lock, [&] { return stopping_ || watching_; });
      continue;
    }
    cv_.wait_for(lock, kEvery, [&] { return stopping_; });
    if (stopping_ || !watching_) continue;
    lock.unlock();
    bool gone = client_gone_();
    lock.lock();
    if (gone && watching_) {
      watching_ = false;  // once per statement
      lock.unlock();
      on_gone_();
      lock.lock();
    }
  }
}

}  // namespace strata
