// QueryStream: a SELECT whose rows reach the client while the query runs. A thread of its own
// runs the plan on the cluster (Cluster::Run with a ResultSink) and hands the leader's result
// batches through a bounded BatchQueue; the wire layer pulls them (RowSource::Next) as fast as
// the client reads. So the leader holds at most the queue's bytes of a result however big it
// is, and a slow client slows the query (back-pressure down to the compute nodes' sockets).
//
// The stream owns everything the running query touches: a snapshot of the catalog registered
// with the SnapshotRegistry (garbage collection keeps its blocks), its own cancel flag, and its
// deadline (statement_timeout, counted from the statement's start). Destroying the stream —
// the result was read to its end, the portal or cursor was closed, the client went away —
// stops a query still running on every node and waits for its thread.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <thread>

#include "executor/batch_queue.h"
#include "executor/worker_pool.h"
#include "server/cluster.h"
#include "server/snapshot_registry.h"
#include "server/pgwire/sql_session.h"

namespace strata {

class QueryStream : public RowSource {
 public:
  struct Params {
    Cluster* cluster = nullptr;
    PhysicalPlan plan;
    uint64_t query_id = 0;
    int64_t query_memory = 0;             // RunStage.query_memory
    int pipelining = -1;                  // Cluster::RunOptions::pipelining
    uint64_t routing_epoch = 0;           // Cluster::RunOptions::routing_epoch
    int64_t timeout_ms = 0;               // statement_timeout; 0 = none
    SnapshotRegistry* snapshots = nullptr;
    CatalogPtr snapshot;                  // kept live while the query runs
    // Called on the query's thread once it ended without error (stl_scan and the like).
    std::function<void(const QueryOutcome&)> on_success;
    // Called on the query's thread when it ends, however it ends.
    std::function<void()> on_finish;
    // Called on the query's thread when it ends, with its error's SQLSTATE and message (empty
    // when it succeeded) and the rows it produced: the query history's record of it.
    std::function<void(const std::string& sqlstate, const std::string& message, int64_t rows)> on_end;
    // With a capture limit: a copy of the result's rows, when the query succeeded and they took
    // at most that many bytes (the result cache, server/result_cache.h).
    size_t capture_limit = 0;
    std::function<void(std::vector<Batch> batches, int64_t rows, size_t bytes)> on_captured;
  };
  // Starts the query.
  explicit QueryStream(Params params);
  ~QueryStream() override;
  QueryStream(const QueryStream&) = delete;
  QueryStream& operator=(const QueryStream&) = delete;

  Status Next(Batch* out, std::chrono::milliseconds wait) override;
  // Stops the query (from any thread): the reader's next Next throws 57014.
  void Cancel();
  uint64_t query_id() const { return params_.query_id; }
  bool finished() const { return finished_.load(); }

  // Bytes of result rows buffered between the query and the client.
  static constexpr size_t kQueueBytes = size_t{8} << 20;

 private:
  void RunQuery();

  Params params_;
  uint64_t registry_key_;
  BatchQueue queue_{kQueueBytes, 1};
  std::atomic<bool> cancelled_{false};
  std::atomic<bool> timed_out_{false};
  std::atomic<bool> finished_{false};
  std::optional<std::chrono::steady_clock::time_point> deadline_;
  PooledThread thread_;  // runs the query (executor/worker_pool.h)
};

}  // namespace strata
