// Hash aggregation in three modes (plan::AggMode): SINGLE (rows -> final values), PARTIAL (rows
// -> per-group states, see planner/aggregate_layout.h) and FINAL (states -> final values).
// Groups are found by their encoded key bytes; aggregate states live in per-aggregate arrays
// indexed by group id and are updated by typed loops over whole batches. The table is counted
// against ctx.memory ("HashAggregate"); over budget, PARTIAL sends its states downstream early
// and SINGLE / FINAL spill partial states to disk by key hash and merge them partition by
// partition (see hash_aggregate.cpp).
#pragma once

#include "executor/operator.h"
#include "planner/plan.pb.h"

namespace strata {

OperatorPtr MakeHashAggregate(const plan::Aggregate& spec, OperatorPtr input, const ExecContext& ctx);

}  // namespace strata
