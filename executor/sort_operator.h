// ORDER BY: sorts its input by the key columns (PostgreSQL's NULL placement: NULLS LAST for ASC,
// FIRST for DESC unless told; CHAR compares without trailing blanks; ties keep input order) and
// emits in order.
//
// Memory (issue 15): the operator holds its input under a MemoryReservation named "Sort". While
// the budget allows it sorts in memory, as before. When the budget refuses more, it becomes an
// external merge sort: what it holds is sorted and written as a run to a spill file
// (executor/spill_file.h, with the evaluated key columns appended), memory is released and input
// continues; at the end the runs are merged k ways (a heap over the runs' current rows, ties to
// the earlier run, so the result is the same stable order as the in-memory sort); when more
// runs exist than the budget can buffer at once, consecutive runs are merged in passes first.
// Large inputs are sorted as in-memory runs of kSortMemoryRunRows rows merged the same way
// (faster than one large permutation). With a limit (top-N) it keeps at most about 2N rows (periodic partial sort + truncate), so it
// does not spill unless N rows themselves exceed the budget.
// With Sort.zorder (INTERLEAVED SORTKEY writes) it orders rows by the z-value of their keys
// instead (executor/zorder.h); z-values rank over the whole input, so that mode cannot spill and
// fails with 53200 over budget.
#pragma once

#include <cstdint>

#include "executor/operator.h"
#include "planner/plan.pb.h"

namespace strata {

// What a sort did (tests, EXPLAIN): runs written to disk, runs kept in memory, merge passes
// (all 0 for a sort of one piece).
struct SortStats {
  int64_t runs = 0;
  int64_t memory_runs = 0;
  int64_t merge_passes = 0;
};

// Held rows at which a sort turns what it holds into a sorted in-memory run: large inputs sort
// faster as cache-sized runs merged than as one permutation (same order: the merge is stable).
inline constexpr size_t kSortMemoryRunRows = size_t{1} << 17;

// Without a context: no budget, no cancellation (tests, callers outside a query).
OperatorPtr MakeSort(const plan::Sort& spec, OperatorPtr input, std::vector<SqlType> types);
// `ctx` (its memory budget and cancel flag) must outlive the operator; `stats` may be null;
// `memory_run_rows` is for tests.
OperatorPtr MakeSort(const plan::Sort& spec, OperatorPtr input, std::vector<SqlType> types, const ExecContext& ctx,
                     SortStats* stats = nullptr, size_t memory_run_rows = kSortMemoryRunRows);
OperatorPtr MakeLimit(const plan::Limit& spec, OperatorPtr input);

}  // namespace strata
