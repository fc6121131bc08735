// StatementTimer: the watchdog loop.
#include "server/statement_timer.h"

namespace strata {

StatementTimer::~StatementTimer() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void StatementTimer::Arm(int64_t ms) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    deadline_ = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
    if (!thread_.joinable()) thread_ = std::thread([this] { Loop(); });
  }
  cv_.notify_all();
}

void StatementTimer::Disarm() {
  std::unique_lock<std::mutex> lock(mu_);
  deadline_.reset();
  cv_.wait(lock, [&] { return !firing_; });
}

void StatementTimer::Loop() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stopping_) {
    if (!deadline_) {
      cv_.wait(lock);
      continue;
    }
    if (std::chrono::steady_clock::now() < *deadline_) {
      cv_.wait_until(lock, *deadline_);
      continue;
    }
    deadline_.reset();
    firing_ = true;
    lock.unlock();
    on_expiry_();
    lock.lock();
    firing_ = false;
    cv_.notify_all();
  }
}

}  // namespace strata
