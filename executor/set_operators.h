// The operators of set operations (planner/set_operation_binder.h): Append, the rows of each
// input in turn (UNION ALL, and the inputs of the other set operations), and Repeat, each input
// row as many times as its count says (INTERSECT ALL / EXCEPT ALL after counting per side).
#pragma once

#include <vector>

#include "executor/operator.h"
#include "planner/plan.pb.h"

namespace strata {

// `inputs` in the order of spec.inputs(); their batches are passed on relabelled as
// spec.types() (inputs may differ only in the lengths of string types).
OperatorPtr MakeAppend(const plan::Append& spec, std::vector<OperatorPtr> inputs);
OperatorPtr MakeRepeat(const plan::Repeat& spec, OperatorPtr input);

}  // namespace strata
