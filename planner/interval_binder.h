// Binding of the operators and functions of INTERVAL, TIME and TIMETZ, following PostgreSQL 15:
//
//   timestamp - timestamp -> interval (days and time, never months); same for timestamptz
//   date|timestamp|timestamptz +- interval -> timestamp (timestamptz); interval + timestamp
//   interval +- interval, -interval, interval * number, number * interval, interval / number
//   time +- interval -> time (wrapping at midnight), time - time -> interval, date + time ->
//   timestamp; the same for timetz; timestamp +- time reads the time as an interval
//   age(ts, ts), age(ts), justify_days / justify_hours / justify_interval
//
// Each becomes a call of an internal function the executor knows (executor/expr_interval.cpp):
// interval_pl, interval_mi, interval_um, interval_mul, interval_div, timestamp_mi,
// timestamp_pl_iv, timestamp_mi_iv, time_pl_iv, time_mi_iv, time_mi_time, date_pl_time, age,
// justify_*. Other combinations fail with 42883 "operator does not exist". Date +- a constant
// interval keeps the binder's folding (planner/expr_binder.cpp), which is an optimisation and a
// DATE-preserving rule.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "planner/function_catalog.h"
#include "planner/plan.pb.h"
#include "sql/interval_time.h"

namespace strata {

// True when l op r involves an interval, a time or a timetz, or is timestamp - timestamp: the
// operators this file binds.
bool IsTemporalOperator(const std::string& op, const plan::Expr& l, const plan::Expr& r);

// Binds l op r (see above); 42883 at `location` for a combination PostgreSQL does not have.
plan::Expr BindTemporalOperator(const std::string& op, plan::Expr l, plan::Expr r, int location);

// -x of an interval.
plan::Expr NegateInterval(plan::Expr e);

// A constant interval.
plan::Expr IntervalLiteral(const IntervalValue& iv);
// True (with its value) for a non-NULL interval constant.
bool IntervalConstant(const plan::Expr& e, IntervalValue* out);

// Signatures of age, justify_days, justify_hours and justify_interval; nullopt for other names.
std::optional<FunctionSignature> ResolveIntervalFunction(const std::string& name, const std::vector<SqlType>& types);

}  // namespace strata
