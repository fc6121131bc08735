// The streaming operators: VALUES, filter, projection, exchange source (rows received from
// other stages), and the table scan over a slice's blocks.
#pragma once

#include <vector>

#include "executor/operator.h"
#include "planner/plan.pb.h"

namespace strata {

OperatorPtr MakeValues(const plan::Values& spec);
// `scan` (may be null): the statistics of the scan this filter was pushed into; the filter
// counts its output rows there.
OperatorPtr MakeFilter(const plan::Expr& predicate, OperatorPtr input, plan::ScanStat* scan = nullptr);
OperatorPtr MakeProject(const plan::Project& spec, OperatorPtr input);
OperatorPtr MakeExchangeSource(const plan::ExchangeSource& spec, const ExecContext& ctx);
// `pushed` are conjuncts of a filter directly above the scan, used for zone-map pruning only.
// With `stat_out`, the caller puts a filter over the scan and gets the scan's statistics (or
// null) to hand it; the scan then leaves ScanStat.rows to that filter.
// The one slice a stage rooted at `root` can produce rows on, when its only table scan is of a
// DISTKEY table whose pushed filter pins the DISTKEY column to one value (WHERE key = constant)
// and it reads nothing else (no exchange, file or other scan); -1 otherwise.
int PinnedSliceOfStage(const plan::Operator& root, int total_slices);

OperatorPtr MakeScan(const plan::Scan& spec, const std::vector<const plan::Expr*>& pushed, const ExecContext& ctx,
                     plan::ScanStat** stat_out = nullptr);

}  // namespace strata
