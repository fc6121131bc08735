// ClientWatch: notices, while a statement runs, that its client has gone away (the connection
// was closed or broke) and calls on_gone once, which cancels the statement — so a long INSERT …
// SELECT or COPY whose client was killed stops within 100-200 ms instead of running to its
// end. (Streamed SELECT results check the client themselves while they wait for rows.) One
// thread per session, started on first use. It parks when no statement runs; while statements
// follow each other it wakes every kEvery and checks only a statement that has run that long,
// so a short statement costs no thread switch.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>

namespace strata {

class ClientWatch {
 public:
  ClientWatch(std::function<bool()> client_gone, std::function<void()> on_gone)
      : client_gone_(std::move(client_gone)), on_gone_(std::move(on_gone)) {}
  ~ClientWatch();
  ClientWatch(const ClientWatch&) = delete;
  ClientWatch& operator=(const ClientWatch&) = delete;

  // Starts / stops watching (around one statement).
  void Begin();
  void End();

  static constexpr std::chrono::milliseconds kEvery{100};

 private:
  void Loop();

  std::function<bool()> client_gone_;
  std::function<void()> on_gone_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool watching_ = false;  // GUARDED_BY(mu_)
  bool stopping_ = false;  // GUARDED_BY(mu_)
  bool parked_ = false;    // GUARDED_BY(mu_): waiting for a statement, not on a timer
  uint64_t statement_ = 0; // GUARDED_BY(mu_): Begin's count
  std::thread thread_;
};

}  // namespace strata
