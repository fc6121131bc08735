// StatementTimer: enforces statement_timeout. One watchdog thread per session (started on
// first use) sleeps until the armed deadline and then calls the expiry callback once, which
// cancels the running statement through the session's ordinary cancel path. Arm/Disarm are
// cheap (a lock and a notify), so sessions without a timeout pay nothing per statement.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>

namespace strata {

class StatementTimer {
 public:
  explicit StatementTimer(std::function<void()> on_expiry) : on_expiry_(std::move(on_expiry)) {}
  ~StatementTimer();
  StatementTimer(const StatementTimer&) = delete;
  StatementTimer& operator=(const StatementTimer&) = delete;

  // Calls on_expiry (on the watchdog thread) `ms` milliseconds from now unless disarmed first.
  void Arm(int64_t ms);
  // Cancels the pending expiry; after it returns, on_expiry is not running and will not run
  // for the disarmed deadline.
  void Disarm();

 private:
  void Loop();

  std::function<void()> on_expiry_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::optional<std::chrono::steady_clock::time_point> deadline_;  // GUARDED_BY(mu_)
  bool stopping_ = false;                                          // GUARDED_BY(mu_)
  bool firing_ = false;                                            // GUARDED_BY(mu_)
  std::thread thread_;
};

}  // namespace strata
