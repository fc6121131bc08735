// The scan of an external table (Spectrum): one split after another (a whole file, a run of a
// Parquet file's row groups, or a byte range of an uncompressed text file), each read through
// the object store with ranged GETs, into batches of the scan's output columns: the files'
// columns that the query needs (Parquet and JSON by name, text by position; a column a file
// lacks reads as NULL), the split's partition values, "$path" and "$size". Parquet row groups
// whose statistics rule out the pushed-down filter are skipped unread.
//
// Where the scan's splits name spectrum workers (ExternalScan.workers), the slice does not read
// them itself: it sends each split, with the operators above the scan that run there (filter,
// projection, partial aggregation), to its worker and takes the batches that come back
// (server/spectrum_client.h); a worker that fails is replaced by the next, up to five times.
#pragma once

#include "executor/operator.h"
#include "planner/plan.pb.h"

namespace strata {

// Reads one split of `spec` (an external FileScan) into batches of its output columns.
class ExternalSplitReader {
 public:
  virtual ~ExternalSplitReader() = default;
  virtual bool Next(Batch* out) = 0;
};
std::unique_ptr<ExternalSplitReader> OpenExternalSplit(const plan::FileScan& spec, const plan::LoadSplit& split,
                                                       const ExecContext& ctx, plan::ScanStat* stat);

// The slice's operator over the splits the leader assigned it (FileScan.splits_by_slice), read
// here (no workers named).
OperatorPtr MakeExternalScan(const plan::FileScan& spec, const ExecContext& ctx);

}  // namespace strata
