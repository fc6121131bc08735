// Memory accounting for queries. A node has one NodeMemory (its --memory-limit); each query
// running on the node has one QueryMemory, its share of the node's budget, shared by the
// query's slice threads. Every operator that holds data (hash build, aggregate, sort, window,
// set operations, exchange queues, load buffers) holds a MemoryReservation against its query:
// TryGrow() before holding more; when it says no, the operator spills (executor/spill_file.h)
// and shrinks; Grow() is for what cannot be spilled and fails the query with 53200 naming the
// operator. Counts are estimates of bytes held (Batch::ByteSize and hash table arrays), not
// allocator truth; the node's limit therefore keeps a margin for what nobody counts.
#pragma once

#include <algorithm>
#include <atomic>
#include <climits>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace strata {

// "2GB", "512MB", "64kB", "1024" (bytes); PostgreSQL's units (kB, MB, GB, TB; case-insensitive,
// B optional). Throws SqlError 22023 on anything else.
int64_t ParseMemorySize(std::string_view text);
// A size for people: "1.5 GB", "512 MB", "12 kB", "100 bytes".
std::string FormatMemorySize(int64_t bytes);
// The default --memory-limit: a share of the machine's RAM (total / 4, at least 256 MB).
int64_t DefaultNodeMemoryLimit();

class NodeMemory {
 public:
  // `limit` bytes for all queries on the node; `temp_dir` is where their spill files go.
  NodeMemory(int64_t limit, std::string temp_dir) : limit_(limit), temp_dir_(std::move(temp_dir)) {}
  int64_t limit() const { return limit_; }
  int64_t used() const { return used_.load(std::memory_order_relaxed); }
  int64_t peak() const { return peak_.load(std::memory_order_relaxed); }
  const std::string& temp_dir() const { return temp_dir_; }
  // Takes `bytes` from the node if it stays within the limit.
  bool TryTake(int64_t bytes);
  void Give(int64_t bytes);

 private:
  const int64_t limit_;
  const std::string temp_dir_;
  std::atomic<int64_t> used_{0};
  std::atomic<int64_t> peak_{0};
};

class QueryMemory {
 public:
  // `limit` is the query's share on this node; `node` may be null (no node-wide limit, e.g. in
  // unit tests), and `temp_dir` then names the spill folder.
  QueryMemory(NodeMemory* node, int64_t limit, uint64_t query_id, std::string temp_dir = "");
  ~QueryMemory();
  QueryMemory(const QueryMemory&) = delete;
  QueryMemory& operator=(const QueryMemory&) = delete;

  int64_t limit() const { return limit_; }
  int64_t used() const { return used_.load(std::memory_order_relaxed); }
  int64_t peak() const { return peak_.load(std::memory_order_relaxed); }
  uint64_t query_id() const { return query_id_; }
  const std::string& temp_dir() const { return temp_dir_; }
  // True (and the bytes are counted) when they fit in the query's share and the node's budget.
  bool TryTake(int64_t bytes);
  void Give(int64_t bytes);
  // Bytes written to spill files by this query (all its operators, compressed size).
  void AddSpilled(int64_t bytes) { spilled_.fetch_add(bytes, std::memory_order_relaxed); }
  int64_t spilled() const { return spilled_.load(std::memory_order_relaxed); }
  // A new spill file name in temp_dir: "q<query>-<n>.spill".
  std::string NextSpillPath();

 private:
  NodeMemory* node_;
  const int64_t limit_;
  const uint64_t query_id_;
  std::string temp_dir_;
  std::atomic<int64_t> used_{0};
  std::atomic<int64_t> peak_{0};
  std::atomic<int64_t> spilled_{0};
  std::atomic<int64_t> next_file_{0};
};

// The part of a query's memory that the memory-holding operators of one stage on one slice
// share (ScopedOperatorShare with a pool). Each operator's reservation registers a floor, half
// its even part, that stays its own; past its floor it takes from what the floors and holdings
// of all leave. So a stage's one big aggregate (TPC-H Q18's 15M orders) is not made to spill at
// a fifth of the stage's memory while the joins beside it hold a few kB, and a late operator
// still finds its floor. Thread-safe.
class OperatorPool {
 public:
  explicit OperatorPool(int64_t total) : total_(total) {}
  // Adds `bytes` to what is claimed if the total allows (`force`: even past it).
  bool TryClaim(int64_t bytes, bool force = false);
  void Release(int64_t bytes) { claimed_.fetch_sub(bytes, std::memory_order_relaxed); }
  int64_t total() const { return total_; }
  int64_t claimed() const { return claimed_.load(std::memory_order_relaxed); }

 private:
  const int64_t total_;
  std::atomic<int64_t> claimed_{0};  // floors plus what reservations hold past their floors
};

// One operator's holding. `query` may be null: then nothing is limited (operators built
// outside a query, unit tests that do not test spilling). Not thread-safe: one operator
// instance belongs to one slice thread.
class MemoryReservation {
 public:
  // Takes the per-operator cap of the stage this thread is running (ScopedOperatorShare), and
  // with `pooled` its share of the stage's pool when there is one. An operator's second
  // reservation (a hash join's runtime filter) passes false: it keeps to the plain cap and
  // takes no floor from the pool.
  MemoryReservation(QueryMemory* query, std::string operator_name, bool pooled = true);
  ~MemoryReservation();
  MemoryReservation(const MemoryReservation&) = delete;
  MemoryReservation& operator=(const MemoryReservation&) = delete;

  // Counts `bytes` more if the budget allows; false (nothing counted) when it does not, and the
  // operator should spill.
  bool TryGrow(int64_t bytes);
  // Counts `bytes` more or throws 53200 "out of memory" naming the operator and the budget.
  void Grow(int64_t bytes);
  void Shrink(int64_t bytes) { ShrinkTo(held_ - bytes); }
  void ShrinkTo(int64_t bytes);
  int64_t held() const { return held_; }
  int64_t peak() const { return peak_; }
  // The query's share (INT64_MAX when unlimited) — what one operator may plan around.
  int64_t limit() const;
  QueryMemory* query() const { return query_; }
  const std::string& name() const { return name_; }
  // Records spilled bytes for this operator and its query.
  void AddSpilled(int64_t bytes);
  int64_t spilled() const { return spilled_; }

 private:
  QueryMemory* query_;
  std::string name_;
  int64_t held_ = 0;
  int64_t peak_ = 0;
  int64_t spilled_ = 0;
  int64_t cap_ = INT64_MAX;  // TryGrow and Grow refuse past it: the operator's fair part
  // With a pool: cap_ is unlimited, `floor_` bytes are this reservation's own, and what it holds
  // past them is claimed from the pool.
  std::shared_ptr<OperatorPool> pool_;
  int64_t floor_ = 0;
  // The pool bytes holding `to` instead of held_ takes (negative: gives back); 0 without a pool.
  int64_t PoolDelta(int64_t to) const {
    return pool_ == nullptr ? 0 : std::max(to, floor_) - std::max(held_, floor_);
  }
  void Hold(int64_t bytes);  // counts `bytes` more held, and the peak
  int64_t even_part_ = 0;  // the plain cap it would have had: Grow may always reach it
};

// While a stage runs on this thread, each memory-holding operator it builds may hold (by TryGrow)
// at most `bytes`: the stage's share of the query's memory divided between the operators that
// hold data in it and the slices of the node running it at once. So an operator that fills
// up early (a hash join's build) cannot starve one that starts later in the same query (the
// aggregate above it) into 53200: everyone spills at their own part, and the must-have Grow
// always finds the room the others leave. 0: no cap.
//
// With `operators` > 0 the operators share a pool of bytes x operators instead (OperatorPool):
// half each one's own, the rest taken by whoever needs it first.
class ScopedOperatorShare {
 public:
  explicit ScopedOperatorShare(int64_t bytes, int operators = 0);
  ~ScopedOperatorShare();

 private:
  int64_t previous_;
  std::shared_ptr<OperatorPool> previous_pool_;
};
// The per-operator cap for a stage: 3/4 of the query's limit (the rest is the exchange queues'
// and the must-have reserve) over `slices` x `operators`; 0 when `memory` is null.
int64_t OperatorShare(const QueryMemory* memory, int slices, int operators);

}  // namespace strata
