// Scalar arithmetic on intervals and times, each as PostgreSQL 15 computes it (the function
// named in brackets is PostgreSQL's): the vector kernels of executor/expr_interval.cpp call these
// in their typed loops. Overflow is 22008 "interval out of range" / "timestamp out of range".
#pragma once

#include <cstdint>

#include "planner/datepart_words.h"
#include "sql/interval_time.h"

namespace strata {

// a + b, a - b and -a field by field [interval_pl, interval_mi, interval_um].
IntervalValue IntervalAdd(const IntervalValue& a, const IntervalValue& b, int sign);
IntervalValue IntervalNegate(const IntervalValue& a);

// iv * f and iv / f: each field scaled, fractions of a month carried down as 30 days and
// fractions of a day as 24 hours [interval_mul, interval_div]. Division by 0 is 22012.
IntervalValue IntervalMultiply(const IntervalValue& iv, double f);
IntervalValue IntervalDivide(const IntervalValue& iv, double f);

// Whole days of the time part into days [interval_justify_hours], 30-day runs of days into
// months [interval_justify_days], both with the signs made to agree [interval_justify_interval].
IntervalValue JustifyHours(const IntervalValue& iv);
IntervalValue JustifyDays(const IntervalValue& iv);
IntervalValue JustifyInterval(const IntervalValue& iv);

// a - b of two timestamps: days and time, never months [timestamp_mi, justified in hours].
// 22008 for an infinite operand.
IntervalValue TimestampDifference(int64_t a, int64_t b);

// age(a, b): the symbolic difference in years, months, days and time, borrowing from the month
// before a (or b) as PostgreSQL's timestamp_age does.
IntervalValue Age(int64_t a, int64_t b);

// time + sign * interval's time part, wrapped into one day [time_pl_interval].
int64_t TimeAddInterval(int64_t time, const IntervalValue& iv, int sign);

// date_trunc(unit, interval): the fields below `unit` zeroed, years rounded down to whole
// decades, centuries or millennia [interval_trunc]. `unit` is a calendar part other than week.
IntervalValue TruncateInterval(DatePart unit, const IntervalValue& iv);

// The time part of an interval wrapped into one day [interval_time].
int64_t IntervalToTime(const IntervalValue& iv);

}  // namespace strata
