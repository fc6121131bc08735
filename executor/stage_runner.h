// Runs one stage of a query on one slice (or on the leader): builds the operator tree, pulls
// every batch and routes it by the stage's sink — to the client, to the leader, to other slices
// by hash / round robin / broadcast, or into the table's blocks (SINK_WRITE). Where rows go
// over the network is the caller's business (RowRouter); this file decides which rows go where.
#pragma once

#include <string>
#include <vector>

#include "executor/operator.h"
#include "planner/plan.pb.h"

namespace strata {

class BlockStore;
class ManifestStore;

// Receives a stage's output rows.
class RowRouter {
 public:
  virtual ~RowRouter() = default;
  // Rows for `slice` of `node` (slice -1: every slice of that node) in exchange `exchange`.
  virtual void Send(int exchange, int node, int slice, Batch batch) = 0;
  // Rows for the leader (SINK_GATHER) or the client (SINK_RESULT).
  virtual void Deliver(int exchange, Batch batch) = 0;
  // This slice has sent all its rows of `exchange`: tells every node (pipelined stages read it
  // while it is produced; ExchangeInbox::End). Sent after, and on the same connections as, the rows.
  virtual void EndExchange(int exchange) { (void)exchange; }
  // Returns once every row sent so far has been received where it went.
  virtual void Flush() {}
};

// The value range of one integer-like column (from zone maps), for planner statistics.
struct ColumnValueRange {
  bool has_range = false;
  int64_t min = 0;
  int64_t max = 0;
};

struct SliceResult {
  int64_t rows = 0;
  std::string manifest_id;  // SINK_WRITE: the slice's new version
  bool wrote = false;
  std::vector<ColumnValueRange> ranges;  // SINK_WRITE: per column over the new version
  std::vector<plan::UnloadedFile> unloaded;  // SINK_UNLOAD: the files this slice wrote
  std::vector<plan::ScanStat> scans;         // what each table scan read
  int64_t rows_deleted = 0;                  // SINK_MODIFY
  int64_t rows_inserted = 0;                 // SINK_MODIFY
  int64_t rows_merged = 0;                   // SINK_MODIFY of MERGE: rows updated, deleted or inserted
  std::vector<plan::StepStat> steps;         // every step's rows, time, memory (svl_query_summary)
};

// How many operators of the stage hold data under the memory budget (joins, aggregates, sorts,
// windows, and a table-writing sink's writer): they divide the stage's part of the query's share.
int StageMemoryOperators(const plan::Stage& stage);

// `stores` are needed for SINK_WRITE only (compute nodes).
SliceResult RunStageOnSlice(const plan::Stage& stage, const ExecContext& ctx, RowRouter* router,
                            BlockStore* blocks, ManifestStore* manifests);

}  // namespace strata
