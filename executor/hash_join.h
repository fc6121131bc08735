// Joins. HashJoin builds a chained hash table over the build input's encoded keys and streams
// the probe input through it (inner, left, right, full, semi, anti, mark and the NOT IN forms;
// an optional residual predicate over the joined row). RIGHT_SEMI / RIGHT_ANTI build the side
// whose rows are kept (EXISTS / NOT EXISTS when the subquery's side is the larger): probe rows
// mark the build rows they match, and those with (without) a mark come out at the end. Its build side is counted against the
// query's memory budget; over it, the join partitions both inputs to spill files (hybrid hash
// join, re-partitioning a partition that still does not fit) and fails with 53200 only when
// partitioning cannot help. NestedLoopJoin serves joins without equality keys (CROSS JOIN, theta
// joins); it holds its build side while it fits, else spills it and re-reads it per probe batch.
// Output columns: probe's then build's (planner/join_shape.h).
#pragma once

#include <vector>

#include "executor/operator.h"
#include "planner/plan.pb.h"

namespace strata {

// Both check ctx's cancel flag once per batch they build from and per batch they emit; `ctx`
// must outlive the operator.
OperatorPtr MakeHashJoin(const plan::HashJoin& spec, OperatorPtr probe, OperatorPtr build,
                         std::vector<SqlType> probe_types, std::vector<SqlType> build_types, const ExecContext& ctx);
// For tests and EXPLAIN ANALYZE: how deep a hash join partitioned its build side (0: all in
// memory, 1: partitioned once, 2+: partitions re-partitioned); -1 if `op` is not a hash join.
int HashJoinPartitionDepth(const Operator& op);

OperatorPtr MakeNestedLoopJoin(const plan::NestedLoopJoin& spec, OperatorPtr probe, OperatorPtr build,
                               std::vector<SqlType> build_types, const ExecContext& ctx);

}  // namespace strata
