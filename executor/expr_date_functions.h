// Factories of the date/time functions beyond date_part/extract (which stay in
// expr_datetime.cpp): date_trunc, per-row interval arithmetic (timestamp_pl_interval), Redshift's
// dateadd / datediff / add_months / last_day / months_between / trunc(timestamp)
// (expr_date_arith.cpp) and to_char (expr_to_char.cpp). The binder has already cast each
// argument to the type planner/datetime_functions.cpp chose and checked that date parts and
// interval fields are constants.
#pragma once

#include <string>

#include "executor/expr_node.h"

namespace strata {

// nullptr when `name` is none of these functions.
NodePtr MakeDateArithmeticNode(const std::string& name, const plan::Expr& expr, NodeList& args);
NodePtr MakeToCharNode(const std::string& name, const plan::Expr& expr, NodeList& args);

}  // namespace strata
