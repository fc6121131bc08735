// Rows that arrived for one query from other processes (or from this one), by exchange id and
// destination slice. Slice -1 means "every slice of this node" (broadcasts, and the leader's
// gathered rows): each slice of the node reads those, so a node-wide queue has several
// concurrent readers. Stages run in order, so an exchange is complete before anyone reads it,
// and once the last stage reading it has ended, the leader has it dropped (Drop).
//
// Memory: the inbox holds its batches in memory under one MemoryReservation ("exchange queue")
// of the query, up to a quarter of the query's share (kInboxShareDivisor); past that, each
// (exchange, slice) queue appends its later batches to its own spill file. A queue that has
// started spilling keeps spilling, so a reader gets the batches back in the order they were
// added: the ones in memory, then the ones in the file. Readers of a spilled queue read the
// file with positional reads, each at its own offset, so any number may read it at once. What
// the inbox holds (memory and files) is given back when the inbox is destroyed with its query.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <vector>

#include "executor/memory_budget.h"
#include "sql/vector.h"

namespace strata {

class ExchangeInbox {
 public:
  // `memory` (may be null: unlimited, nothing spills) is the query's budget on this node; it
  // must outlive the inbox.
  explicit ExchangeInbox(QueryMemory* memory = nullptr);
  ~ExchangeInbox();
  ExchangeInbox(const ExchangeInbox&) = delete;
  ExchangeInbox& operator=(const ExchangeInbox&) = delete;

  // Keeps `batch` for (exchange, slice), in memory or in the queue's spill file. Thread-safe.
  // Throws 53100 when the spill file cannot be written.
  void Add(int exchange, int slice, std::shared_ptr<const Batch> batch);

  struct Queue;
  // One reader's pass over what an exchange holds for a slice: the slice's own batches, then
  // the node-wide ones (unless `slice` is -1 itself), each in the order added. It sees what was
  // added before it was made. It may outlive the inbox; one reader belongs to one thread.
  class Reader {
   public:
    // The next batch (possibly of 0 rows); false at the end.
    bool Next(Batch* out);

   private:
    friend class ExchangeInbox;
    struct Part {
      std::shared_ptr<Queue> queue;
      size_t kept = 0;         // batches held in memory when the reader was made
      int64_t spill_end = 0;   // bytes of spill file flushed when the reader was made
    };
    std::vector<Part> parts_;
    size_t part_ = 0;
    size_t pos_ = 0;           // next batch in memory of the current part
    int64_t offset_ = 0;       // next record in the current part's spill file
  };
  std::unique_ptr<Reader> Read(int exchange, int slice);

  // Forgets every queue of `exchange` (its last reader has finished): the memory it held goes
  // back to the query's reservation now, and its batches and spill files go with the last
  // reader still holding them. Thread-safe; an exchange never added is a no-op.
  void Drop(int exchange);

  // The inbox keeps batches in memory up to the query's share divided by this. It holds them
  // until the query ends, while the operators reading them (hash builds, sorts, aggregates)
  // need the rest of the share to work in memory.
  static constexpr int64_t kInboxShareDivisor = 4;

  int64_t held_bytes() const;
  int64_t spilled_bytes() const { return spilled_bytes_.load(std::memory_order_relaxed); }
  int64_t spilled_batches() const { return spilled_batches_.load(std::memory_order_relaxed); }

 private:
  std::shared_ptr<Queue> QueueFor(int exchange, int slice, bool create);
  bool TryKeep(int64_t bytes);

  QueryMemory* memory_;
  mutable std::mutex mu_;  // the map and the reservation; taken after a queue's own lock
  MemoryReservation reservation_;
  std::map<std::pair<int, int>, std::shared_ptr<Queue>> queues_;
  std::atomic<int64_t> spilled_bytes_{0};
  std::atomic<int64_t> spilled_batches_{0};
};

}  // namespace strata
