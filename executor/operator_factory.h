// Builds the operator tree of one stage for one slice from its plan::Operator description.
#pragma once

#include <vector>

#include "executor/operator.h"
#include "planner/plan.pb.h"

namespace strata {

OperatorPtr BuildOperator(const plan::Operator& op, const ExecContext& ctx);
// The column types an operator produces.
std::vector<SqlType> OutputTypes(const plan::Operator& op);

}  // namespace strata
