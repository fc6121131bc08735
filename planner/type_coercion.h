// PostgreSQL's implicit type rules as the binder applies them: the common type of two operands
// (comparisons, CASE branches, IN lists, join keys) and the result type of arithmetic.
#pragma once

#include <optional>

#include "planner/plan.pb.h"
#include "sql/types.h"

namespace strata {

// DECIMAL(p,0) wide enough for every value of an integer type.
SqlType IntegerAsDecimal(const SqlType& t);
// The type both operands are cast to before comparing or merging; nullopt when there is none
// (the caller raises the error with its own wording).
std::optional<SqlType> CommonType(const SqlType& a, const SqlType& b);
// Result type of a + - * / % b with a and b numeric; nullopt when not both numeric.
std::optional<SqlType> ArithmeticType(plan::Op op, const SqlType& a, const SqlType& b);

}  // namespace strata
