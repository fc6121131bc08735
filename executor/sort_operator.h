// ORDER BY: collects its input, sorts a permutation by the key columns (PostgreSQL's NULL
// placement: NULLS LAST for ASC, FIRST for DESC unless told), and emits in order. With a limit
// it keeps only the first N (top-N via partial sort).
// With Sort.zorder (INTERLEAVED SORTKEY writes) it orders rows by the z-value of their keys
// instead (executor/zorder.h).
#pragma once

#include "executor/operator.h"
#include "planner/plan.pb.h"

namespace strata {

OperatorPtr MakeSort(const plan::Sort& spec, OperatorPtr input, std::vector<SqlType> types);
OperatorPtr MakeLimit(const plan::Limit& spec, OperatorPtr input);

}  // namespace strata
