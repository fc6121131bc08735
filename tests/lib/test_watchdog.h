// A watchdog for GoogleTest suites that talk to a live cluster: when one test has run longer
// than a minute it prints the test's name to stderr (once, then every further minute), so a
// suite that hangs until ctest's timeout says where it hung instead of ending with no output
// (the suites run with --gtest_brief, which names only failing tests, and only once they end).
#pragma once

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <mutex>
#include <string>
#include <thread>

namespace strata::testing {

class TestWatchdog : public ::testing::EmptyTestEventListener {
 public:
  static constexpr std::chrono::seconds kReportEvery{60};

  TestWatchdog() {
    std::thread([this] { Watch(); }).detach();  // lives as long as the test binary
  }

  void OnTestStart(const ::testing::TestInfo& info) override {
    std::lock_guard<std::mutex> lock(mu_);
    name_ = std::string(info.test_suite_name()) + "." + info.name();
    started_ = std::chrono::steady_clock::now();
    next_report_ = started_ + kReportEvery;
  }
  void OnTestEnd(const ::testing::TestInfo&) override {
    std::lock_guard<std::mutex> lock(mu_);
    name_.clear();
  }

 private:
  void Watch() {
    for (;;) {
      std::this_thread::sleep_for(std::chrono::seconds(1));
      std::lock_guard<std::mutex> lock(mu_);
      auto now = std::chrono::steady_clock::now();
      if (name_.empty() || now < next_report_) continue;
      auto seconds = std::chrono::duration_cast<std::chrono::seconds>(now - started_).count();
      std::fprintf(stderr, "[watchdog] %s still running after %lld s\n", name_.c_str(), static_cast<long long>(seconds));
      std::fflush(stderr);
      next_report_ = now + kReportEvery;
    }
  }

  std::mutex mu_;
  std::string name_;
  std::chrono::steady_clock::time_point started_, next_report_;
};

// Registered once per test binary, before main runs the tests (gtest owns the listener).
inline const bool kTestWatchdogRegistered = [] {
  ::testing::UnitTest::GetInstance()->listeners().Append(new TestWatchdog());
  return true;
}();

}  // namespace strata::testing
