// Threads kept for reuse: a statement used to start (and end) a thread per node for each of
// its RPCs on the leader and one per slice for each stage on a compute node; with thousands of
// short statements a second, creating and unmapping those threads' stacks (and the TLB
// shootdowns that come with it) cost more than the statements' own work.
//
// WorkerPool::Shared() runs each submitted job on an idle worker, or on a new one when none is
// idle, so a job never waits behind another (jobs may block on each other, as a stage's
// per-node waits do); a worker idle for kIdleExit ends. TaskGroup runs a set of jobs and waits
// for them all; the first exception a job throws is rethrown by Wait().
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>

namespace strata {

class WorkerPool {
 public:
  static constexpr std::chrono::seconds kIdleExit{30};
  static WorkerPool& Shared();
  void Submit(std::function<void()> job);
  int threads() const;

 private:
  void Loop();
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> jobs_;
  int idle_ = 0;
  int threads_ = 0;
};

class TaskGroup {
 public:
  TaskGroup() = default;
  TaskGroup(const TaskGroup&) = delete;
  TaskGroup& operator=(const TaskGroup&) = delete;
  ~TaskGroup();
  // Runs `job` on a pool worker.
  void Spawn(std::function<void()> job);
  // Waits for every job spawned so far; rethrows the first exception one threw.
  void Wait();

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  int running_ = 0;
  std::exception_ptr error_;
};

// std::thread's shape on a pool worker: started by the constructor, waited for by join() (or by
// the destructor). The job must not throw (an exception it lets out is dropped).
class PooledThread {
 public:
  PooledThread() = default;
  explicit PooledThread(std::function<void()> job);
  PooledThread(PooledThread&&) noexcept = default;
  PooledThread& operator=(PooledThread&& o) noexcept {
    join();
    state_ = std::move(o.state_);
    return *this;
  }
  ~PooledThread() { join(); }
  bool joinable() const { return state_ != nullptr; }
  void join();

 private:
  struct State {
    std::mutex mu;
    std::condition_variable cv;
    bool done = false;
  };
  std::shared_ptr<State> state_;
};

// Runs job(0) … job(n-1) at once, job(0) on the calling thread, and waits for all of them; the
// first exception is rethrown.
void RunParallel(int n, const std::function<void(int)>& job);

}  // namespace strata
