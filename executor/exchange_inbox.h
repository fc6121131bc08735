// Rows that arrived for one query from other processes (or from this one), by exchange id and
// destination slice. Slice -1 means "every slice of this node" (broadcasts, and the leader's
// gathered rows): each slice of the node reads those, so a node-wide queue has several
// concurrent readers. An exchange is read in one of two ways: whole, once the stages producing
// it have ended (Read: the reader sees what was there when it was made), or while its producers
// still run, when stages are pipelined (ReadLive: the reader sees batches as they come and ends
// when every producing slice has sent its end marker, End). Once every stage reading an exchange
// has ended, the leader has it dropped (Drop).
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
#include <set>
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

  // One producer (a slice) has added every batch it will add to `exchange`. Thread-safe.
  void End(int exchange);

  struct Queue;
  struct Signal;
  // One reader's pass over what an exchange holds for a slice: the slice's own batches, then
  // the node-wide ones (unless `slice` is -1 itself), each in the order added. It sees what was
  // added before it was made. It may outlive the inbox; one reader belongs to one thread.
  class Reader {
   public:
    // The next batch (possibly of 0 rows); false at the end. A live reader waits for the next
    // batch or the last end marker, polling its cancel flag (57014 when set).
    bool Next(Batch* out);

   private:
    friend class ExchangeInbox;
    struct Part {
      std::shared_ptr<Queue> queue;
      size_t kept = 0;         // batches held in memory when the reader was made
      int64_t spill_end = 0;   // bytes of spill file flushed when the reader was made
      size_t pos = 0;          // next batch in memory
      int64_t offset = 0;      // next record in the spill file
    };
    // The next batch `p` has now; a live reader looks past what was there when it was made.
    bool Take(Part& p, Batch* out);
    bool NextLive(Batch* out);
    std::vector<Part> parts_;
    size_t part_ = 0;
    // Live readers only.
    std::shared_ptr<Signal> signal_;
    int exchange_ = 0;
    int producers_ = 0;        // end markers that end the exchange; 0: not a live reader
    const std::atomic<bool>* cancelled_ = nullptr;
  };
  std::unique_ptr<Reader> Read(int exchange, int slice);
  // A reader of an exchange still being produced by `producers` slices (each calls End once).
  // `cancelled` (may be null) is polled while it waits.
  std::unique_ptr<Reader> ReadLive(int exchange, int slice, int producers, const std::atomic<bool>* cancelled);

  // Forgets every queue of `exchange` (its last reader has finished): the memory it held goes
  // back to the query's reservation now, and its batches and spill files go with the last
  // reader still holding them. Batches added to it later (a producer still running after every
  // reader ended early, e.g. a hash join whose build side was empty) are thrown away.
  // Thread-safe; an exchange never added is a no-op.
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
  std::set<int> dropped_;
  std::shared_ptr<Signal> signal_;  // wakes live readers; shared with them
  std::atomic<int64_t> spilled_bytes_{0};
  std::atomic<int64_t> spilled_batches_{0};
};

}  // namespace strata
