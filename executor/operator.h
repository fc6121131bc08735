// The executor's operator interface. Operators form a pull tree per slice: Next() fills a batch
// of up to kBatchSize rows and returns false at the end. The virtual call is per batch; inner
// loops are typed. An operator instance belongs to one slice thread.
#pragma once

#include <atomic>
#include <functional>
#include <cstdint>
#include <map>
#include <memory>

#include "catalog/slice_map.h"
#include "sql/vector.h"

namespace strata {

class BlockStore;
class ManifestStore;
class ExchangeInbox;

// What a fragment needs from the process it runs in.
class LoadLog;
class ScanStatsLog;
class QueryMemory;
class BatchQueue;
class StageProfile;

namespace plan {
class FileScan;
class LoadSplit;
class ScanStat;
}  // namespace plan
class ExternalSplitReader;  // executor/external_scan.h
class RuntimeFilter;        // executor/runtime_filter.h

struct ExecContext {
  int slice = -1;            // global slice id; -1 on the leader
  // The slices of this node (on the leader: the most any node holds), which divide its memory.
  int slices_per_node = 1;
  int total_slices = 1;
  // slice -> node (catalog/slice_map.h) for the query; null: slice / slices_per_node.
  const std::vector<int>* slice_node = nullptr;
  int NodeOf(int s) const { return slice_node != nullptr ? (*slice_node)[s] : s / slices_per_node; }
  int nodes() const { return slice_node != nullptr ? NodeCount(*slice_node) : total_slices / slices_per_node; }
  // Where node `node` keeps its copy of a DISTSTYLE ALL table.
  int FirstSliceOf(int node) const {
    return slice_node != nullptr ? strata::FirstSliceOf(*slice_node, node) : node * slices_per_node;
  }
  const BlockStore* blocks = nullptr;        // compute nodes only
  const ManifestStore* manifests = nullptr;  // compute nodes only
  ExchangeInbox* inbox = nullptr;            // rows received for this query
  const std::atomic<bool>* cancelled = nullptr;
  LoadLog* load_log = nullptr;               // COPY: rejected rows and progress (compute nodes)
  ScanStatsLog* scan_stats = nullptr;        // table scans record what they read (compute nodes)
  int stage = 0;                             // the stage's id, for scan statistics
  QueryMemory* memory = nullptr;             // the query's budget on this node; null = unlimited
  // Exchanges this stage reads from a queue while their producers still run (executor/batch_queue.h).
  const std::map<int, BatchQueue*>* streams = nullptr;
  // Exchanges this stage reads from the inbox while the stages producing them still run
  // (pipelined stages): exchange -> how many slices produce it (ExchangeInbox::ReadLive).
  const std::map<int, int>* live_exchanges = nullptr;
  // The memory-holding operators of all the query's stages running at once on this node, which
  // divide its share (RunStage.memory_operators); 0: the stage's own.
  int memory_operators = 0;
  // A stage of the same wave reads this stage's sink exchange as it comes: each slice sends an
  // end marker when its rows are all sent (RunStage.announce_end).
  bool announce_end = false;
  StageProfile* profile = nullptr;           // set: every operator counts its rows, time, memory
  // Set: table scans add the rows they read (a stage's progress, RunStage.report_progress).
  std::atomic<int64_t>* rows_scanned = nullptr;
  // Opens a split of an external table on a spectrum worker (server/spectrum_client.h); set on
  // compute nodes. Null: external scans read their splits in the slice.
  std::function<std::unique_ptr<ExternalSplitReader>(const plan::FileScan&, const plan::LoadSplit&, plan::ScanStat*)>
      open_remote_split;
  void CheckCancelled() const;
};

class Operator {
 public:
  virtual ~Operator() = default;
  // Fills `out` (cleared first) with the next rows; false when exhausted (out then empty).
  virtual bool Next(Batch* out) = 0;
  // Takes a runtime filter (executor/runtime_filter.h) on output column `column`: rows whose
  // value it rules out may be left out of the output from now on. True when a table scan below
  // took it. Forwarded only by operators whose output rows carry the column's value unchanged
  // and that give the same rows when their input is filtered first (filters, projections, a
  // join's probe side) — never by LIMIT, aggregates or windows.
  virtual bool PushRuntimeFilter(int /*column*/, const std::shared_ptr<const RuntimeFilter>& /*f*/) { return false; }
};

using OperatorPtr = std::unique_ptr<Operator>;

// A source with nothing to give (a slice holding no data of a table or file range).
class EmptyOperator : public Operator {
 public:
  bool Next(Batch*) override { return false; }
};

// A source over a storage reader (SliceReader, DelimitedReader): skips empty batches and
// checks for cancellation once per batch.
template <typename Reader>
class ReaderOperator : public Operator {
 public:
  ReaderOperator(std::unique_ptr<Reader> reader, const ExecContext& ctx) : reader_(std::move(reader)), ctx_(ctx) {}
  bool Next(Batch* out) override {
    ctx_.CheckCancelled();
    while (reader_->Next(out)) {
      if (out->rows > 0) return true;
    }
    return false;
  }

 private:
  std::unique_ptr<Reader> reader_;
  const ExecContext& ctx_;
};

}  // namespace strata
