// Reused threads for short parallel jobs (see worker_pool.h).
#include "executor/worker_pool.h"

#include <thread>

namespace strata {

WorkerPool& WorkerPool::Shared() {
  static WorkerPool* pool = new WorkerPool();  // never destroyed: detached workers use it until exit
  return *pool;
}

void WorkerPool::Submit(std::function<void()> job) {
  std::unique_lock<std::mutex> lock(mu_);
  jobs_.push_back(std::move(job));
  if (static_cast<int>(jobs_.size()) > idle_) {
    ++threads_;
    lock.unlock();
    std::thread([this] { Loop(); }).detach();
    return;
  }
  cv_.notify_one();
}

int WorkerPool::threads() const {
  std::lock_guard<std::mutex> lock(mu_);
  return threads_;
}

void WorkerPool::Loop() {
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    if (jobs_.empty()) {
      ++idle_;
      bool got = cv_.wait_for(lock, kIdleExit, [this] { return !jobs_.empty(); });
      --idle_;
      if (!got) {
        --threads_;
        return;
      }
    }
    std::function<void()> job = std::move(jobs_.front());
    jobs_.pop_front();
    lock.unlock();
    job();  // TaskGroup's jobs catch everything themselves
    job = nullptr;  // its captures go before the worker waits again
    lock.lock();
  }
}

TaskGroup::~TaskGroup() {
  std::unique_lock<std::mutex> lock(mu_);
  cv_.wait(lock, [this] { return running_ == 0; });
}

void TaskGroup::Spawn(std::function<void()> job) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    ++running_;
  }
  WorkerPool::Shared().Submit([this, job = std::move(job)]() mutable {
    std::exception_ptr error;
    try {
      job();
    } catch (...) {
      error = std::current_exception();
    }
    job = nullptr;  // its captures go while the group still waits
    std::lock_guard<std::mutex> lock(mu_);
    if (error && !error_) error_ = error;
    if (--running_ == 0) cv_.notify_all();
  });
}

void TaskGroup::Wait() {
  std::unique_lock<std::mutex> lock(mu_);
  cv_.wait(lock, [this] { return running_ == 0; });
  if (error_) {
    std::exception_ptr e = error_;
    error_ = nullptr;
    std::rethrow_exception(e);
  }
}

PooledThread::PooledThread(std::function<void()> job) : state_(std::make_shared<State>()) {
  WorkerPool::Shared().Submit([state = state_, job = std::move(job)]() mutable {
    try {
      job();
    } catch (...) {
    }
    job = nullptr;
    std::lock_guard<std::mutex> lock(state->mu);
    state->done = true;
    state->cv.notify_all();
  });
}

void PooledThread::join() {
  if (!state_) return;
  std::unique_lock<std::mutex> lock(state_->mu);
  state_->cv.wait(lock, [&] { return state_->done; });
  lock.unlock();
  state_.reset();
}

void RunParallel(int n, const std::function<void(int)>& job) {
  if (n <= 0) return;
  TaskGroup group;
  for (int i = 1; i < n; ++i) group.Spawn([&job, i] { job(i); });
  std::exception_ptr first;
  try {
    job(0);
  } catch (...) {
    first = std::current_exception();
  }
  try {
    group.Wait();
  } catch (...) {
    if (!first) first = std::current_exception();
  }
  if (first) std::rethrow_exception(first);
}

}  // namespace strata
