// See batch_queue.h.
#include "executor/batch_queue.h"

#include "sql/error.h"

namespace strata {

namespace {

constexpr std::chrono::milliseconds kCancelPoll{50};

[[noreturn]] void ThrowCancelled() {
  throw SqlError(sqlstate::kQueryCanceled, "canceling statement due to user request");
}

class QueueSourceOperator : public Operator {
 public:
  QueueSourceOperator(BatchQueue* queue, const ExecContext& ctx) : queue_(queue), ctx_(ctx) {}
  bool Next(Batch* out) override {
    while (queue_->PopWait(out, ctx_.cancelled)) {
      if (out->rows > 0) return true;
    }
    *out = Batch();
    return false;
  }

 private:
  BatchQueue* queue_;
  const ExecContext& ctx_;
};

}  // namespace

bool BatchQueue::Push(Batch b, const std::atomic<bool>* cancelled) {
  size_t n = b.EstimatedBytes();
  std::unique_lock<std::mutex> lock(mu_);
  while (!abandoned_ && !error_ && !batches_.empty() && bytes_ + n > max_bytes_) {
    if (cancelled != nullptr && cancelled->load(std::memory_order_relaxed)) ThrowCancelled();
    not_full_.wait_for(lock, kCancelPoll);
  }
  if (abandoned_ || error_) return false;
  batches_.emplace_back(std::move(b), n);
  bytes_ += n;
  not_empty_.notify_one();
  return true;
}

void BatchQueue::Finish() {
  std::lock_guard<std::mutex> lock(mu_);
  if (producers_ > 0) --producers_;
  not_empty_.notify_all();
}

void BatchQueue::Fail(std::exception_ptr error) {
  std::lock_guard<std::mutex> lock(mu_);
  if (!error_) error_ = error;
  not_empty_.notify_all();
  not_full_.notify_all();
}

void BatchQueue::Abandon() {
  std::lock_guard<std::mutex> lock(mu_);
  abandoned_ = true;
  batches_.clear();
  bytes_ = 0;
  not_full_.notify_all();
}

BatchQueue::PopStatus BatchQueue::Pop(Batch* out, std::chrono::milliseconds wait) {
  std::unique_lock<std::mutex> lock(mu_);
  not_empty_.wait_for(lock, wait, [&] { return !batches_.empty() || error_ || producers_ == 0; });
  if (!batches_.empty()) {
    *out = std::move(batches_.front().first);
    bytes_ -= batches_.front().second;
    batches_.pop_front();
    not_full_.notify_all();
    return PopStatus::kBatch;
  }
  if (error_) std::rethrow_exception(error_);
  return producers_ == 0 ? PopStatus::kEnd : PopStatus::kTimeout;
}

bool BatchQueue::PopWait(Batch* out, const std::atomic<bool>* cancelled) {
  while (true) {
    if (cancelled != nullptr && cancelled->load(std::memory_order_relaxed)) ThrowCancelled();
    PopStatus s = Pop(out, kCancelPoll);
    if (s == PopStatus::kBatch) return true;
    if (s == PopStatus::kEnd) return false;
  }
}

size_t BatchQueue::queued_bytes() const {
  std::lock_guard<std::mutex> lock(mu_);
  return bytes_;
}

bool BatchQueue::abandoned() const {
  std::lock_guard<std::mutex> lock(mu_);
  return abandoned_;
}

OperatorPtr MakeQueueSource(BatchQueue* queue, const ExecContext& ctx) {
  return std::make_unique<QueueSourceOperator>(queue, ctx);
}

}  // namespace strata
