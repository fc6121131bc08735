// Bound expressions as text for EXPLAIN ("(l_shipdate <= '1998-09-02'::date)"), with input
// columns shown by the names of the node's input.
#pragma once

#include <string>
#include <vector>

#include "planner/logical_plan.h"
#include "planner/plan.pb.h"

namespace strata {

std::string ExprText(const plan::Expr& e, const std::vector<OutputColumn>& input);

}  // namespace strata
