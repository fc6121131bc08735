// Window functions (plan::Window): row_number, rank, dense_rank, count / sum / min / max / avg
// over a frame, lag / lead, first_value / last_value / nth_value. The plain frames (to the
// current row or peer group, or the whole partition) run as below; explicit ROWS / RANGE /
// GROUPS frames with offsets are computed as each row's range of rows (window_frame.h), over
// which the aggregates slide.
//
// How it works: the planner puts a Sort on (partition keys, order keys) under the Window and
// brings every partition's rows to one slice (planner/physical_planner.cpp). The operator
// materialises its sorted input (whole partitions at a time, see Memory below), evaluates the
// keys and the functions' arguments once per batch, and marks where a partition starts (any partition key differs from the previous row's,
// NULLs equal to each other) and where a peer group starts (a partition start, or any order key
// differs). Each function is then one typed pass over the rows. Aggregates keep a running state
// from the partition's start and publish it at the end of each frame segment: every row (ROWS
// ... CURRENT ROW), every peer group (RANGE ... CURRENT ROW, the default with ORDER BY) or the
// whole partition (no ORDER BY, or ... UNBOUNDED FOLLOWING). Output rows are the input rows in
// sorted order with one column per function appended.
//
// Memory (issue 15): the operator streams partition by partition. It holds the open partition
// and, after each input batch that ends partitions, computes and emits the completed ones, so
// it holds about one partition plus a batch, counted under a MemoryReservation named "Window".
// A partition larger than a quarter of the query's share (per slice; a window without
// PARTITION BY is one partition) is cut at a peer-group start and computed in pieces, each
// function carrying its state (row counts, ranks, running sums, counts, min / max, the first
// value) into the next piece; the output is the same. lag / lead, frames over the whole
// partition and explicit frames cannot go in pieces: such a partition over the budget fails with 53200 naming
// Window (it does not spill to disk).
#pragma once

#include <vector>

#include "executor/operator.h"
#include "planner/plan.pb.h"

namespace strata {

// `input_types` are the input's column types (the output's first columns).
OperatorPtr MakeWindow(const plan::Window& spec, OperatorPtr input, std::vector<SqlType> input_types);
// With the query's budget and cancel flag; `ctx` must outlive the operator.
OperatorPtr MakeWindow(const plan::Window& spec, OperatorPtr input, std::vector<SqlType> input_types, const ExecContext& ctx);

}  // namespace strata
