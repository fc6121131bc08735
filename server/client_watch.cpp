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
  ++statement_;
  if (!thread_.joinable()) {
    thread_ = std::thread([this] { Loop(); });
  } else if (parked_) {
    cv_.notify_all();
  }
}

void ClientWatch::End() {
  std::lock_guard<std::mutex> lock(mu_);
  watching_ = false;
}

void ClientWatch::Loop() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stopping_) {
    if (!watching_) {
      parked_ = true;
      cv_.wait(lock, [&] { return stopping_ || watching_; });
      parked_ = false;
      continue;
    }
    const uint64_t statement = statement_;
    cv_.wait_for(lock, kEvery, [&] { return stopping_; });
    // Only a statement that has run for kEvery is checked: the one that was running before.
    if (stopping_ || !watching_ || statement_ != statement) continue;
    lock.unlock();
    bool gone = client_gone_();
    lock.lock();
    if (gone && watching_ && statement_ == statement) {
      watching_ = false;  // once per statement
      lock.unlock();
      on_gone_();
      lock.lock();
    }
  }
}

}  // namespace strata
