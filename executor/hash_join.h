// Joins. HashJoin builds a chained hash table over the build input's encoded keys and streams
// the probe input through it (inner, left, right, full; an optional residual predicate over the
// joined row). NestedLoopJoin serves joins without equality keys (CROSS JOIN, theta joins).
// Output columns: probe's then build's.
#pragma once

#include <vector>

#include "executor/operator.h"
#include "planner/plan.pb.h"

namespace strata {

// Both check ctx's cancel flag once per batch they build from and per batch they emit; `ctx`
// must outlive the operator.
OperatorPtr MakeHashJoin(const plan::HashJoin& spec, OperatorPtr probe, OperatorPtr build,
                         std::vector<SqlType> probe_types, std::vector<SqlType> build_types, const ExecContext& ctx);
OperatorPtr MakeNestedLoopJoin(const plan::NestedLoopJoin& spec, OperatorPtr probe, OperatorPtr build,
                               std::vector<SqlType> build_types, const ExecContext& ctx);

}  // namespace strata
