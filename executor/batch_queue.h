// BatchQueue: a bounded hand-over of batches from producer threads to one consumer, the unit of
// streaming between stages on one process (the rows gathered from the compute nodes into the
// leader's last stage) and from a running query to the client (server/query_stream.h).
// Producers block in Push while the queue holds its limit in bytes — back-pressure: an RPC
// reader that blocks stops reading its socket, and TCP then stops the sender — and the consumer
// blocks in Pop until a batch, the end, or an error arrives. Every wait polls a cancel flag and
// gives up when the other side has gone (Abandon / Fail), so no wait outlives its query.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <exception>
#include <map>
#include <mutex>

#include "executor/operator.h"
#include "sql/vector.h"

namespace strata {

class BatchQueue {
 public:
  // `max_bytes`: Push blocks while the queued batches hold at least this much (one batch is
  // always accepted, so a batch bigger than the limit still passes). `producers`: how many
  // Finish() calls end the stream.
  explicit BatchQueue(size_t max_bytes = size_t{8} << 20, int producers = 1)
      : max_bytes_(max_bytes), producers_(producers) {}

  // Queues `b`; blocks while full. False when the consumer abandoned the queue (the producer
  // should stop). Throws 57014 when `cancelled` is set while waiting.
  bool Push(Batch b, const std::atomic<bool>* cancelled = nullptr);
  // One producer is done.
  void Finish();
  // The stream failed: the consumer's next Pop rethrows `error`; producers' Pushes return false.
  void Fail(std::exception_ptr error);
  // The consumer will read no more: waiting and later Pushes return false.
  void Abandon();

  enum class PopStatus { kBatch, kEnd, kTimeout };
  // The next batch (kBatch), the end of the stream (kEnd), or kTimeout when nothing came within
  // `wait`. Rethrows a producer's failure.
  PopStatus Pop(Batch* out, std::chrono::milliseconds wait);
  // Pops, waiting as long as it takes, polling `cancelled` every 50 ms (57014 when set).
  bool PopWait(Batch* out, const std::atomic<bool>* cancelled);

  size_t queued_bytes() const;
  bool abandoned() const;

 private:
  const size_t max_bytes_;
  mutable std::mutex mu_;
  std::condition_variable not_full_, not_empty_;
  std::deque<std::pair<Batch, size_t>> batches_;  // with each one's estimated bytes
  size_t bytes_ = 0;
  int producers_;
  bool abandoned_ = false;
  std::exception_ptr error_;
};

// Exchanges of a stage that stream from queues instead of the inbox (ExecContext::streams).
using StreamedExchanges = std::map<int, BatchQueue*>;

// A source operator reading one queue to its end (checks cancellation while it waits).
OperatorPtr MakeQueueSource(BatchQueue* queue, const ExecContext& ctx);

}  // namespace strata
