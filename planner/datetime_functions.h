// Binding of the date/time functions BI tools generate, beyond date_part/extract:
//   date_trunc(text unit, date|timestamp) -> timestamp (Redshift's type for a date, where
//     PostgreSQL says timestamptz); date_trunc(text, timestamptz) -> timestamptz
//   dateadd(part, integer, date|timestamp) -> timestamp; (.., timestamptz) -> timestamptz
//   datediff(part, date|timestamp, date|timestamp) -> bigint
//   add_months(date|timestamp, integer) -> timestamp; last_day(date|timestamp) -> date
//   months_between(date, date) -> double precision; trunc(date|timestamp) -> date
//   to_char(date|timestamp|timestamptz, text) -> text (numbers: 0A000)
// A string literal where a date or timestamp is expected is read as a timestamp (Redshift's
// dateadd(month, 18, '2008-02-28')). The unit / part is a constant: not recognised 22023
// "unit "x" not recognized for type ...", recognised but not a calendar unit 0A000, not a
// constant 0A000. Executor side: executor/expr_date_arith.cpp and expr_to_char.cpp.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "planner/function_catalog.h"
#include "sql/interval_time.h"
#include "sql/ast.h"

namespace strata {

// date_part, date_trunc, dateadd and datediff take a date part first; Redshift lets it be a
// bare word (dateadd(month, 1, d)), which the parser hands over as a column reference.
bool TakesDatePartWord(const std::string& function);

// The word of an unqualified column reference that names a date part (ParseDatePart), or
// nullopt. Such a word is the part even when a column of that name exists, as in Redshift.
std::optional<std::string> DatePartWord(const ast::Expr& e);

// The signature of one of the functions above, nullopt when `name` is none of them; throws
// 42883 for argument types that do not fit and the unit errors listed above.
std::optional<FunctionSignature> ResolveDatetimeFunction(const std::string& name, const std::vector<SqlType>& types,
                                                         const std::vector<const plan::Expr*>& args);

// base + sign * interval for a non-constant base (date, timestamp or timestamptz): a call of the
// internal function timestamp_pl_interval(base, months, days, micros). The result is a date for
// a date plus whole days / months (as the binder's constant folding gives), else a timestamp
// (timestamptz for a timestamptz base).
plan::Expr BindIntervalArithmetic(plan::Expr base, const IntervalValue& iv, int sign);

}  // namespace strata
