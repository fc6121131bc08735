// Calendar arithmetic on Strata's date/time representation (DATE: int32 days since 2000-01-01;
// TIMESTAMP and TIMESTAMPTZ: int64 microseconds since 2000-01-01 00:00:00, UTC for TIMESTAMPTZ
// and the session zone is always UTC, so both are truncated and shifted the same way).
// Scalar, branch-light, allocation-free: the vector kernels of expr_date_arith.cpp (date_trunc
// among them) and expr_to_char.cpp call these inside their typed loops. Infinite values (the int
// limits) pass through truncation and addition unchanged, as in PostgreSQL.
#pragma once

#include <cstdint>

#include "planner/datepart_words.h"

namespace strata {

inline constexpr int64_t kMicrosPerDayCal = 86400LL * 1000000;

inline int64_t FloorDivide(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }
inline bool IsInfiniteMicros(int64_t v) { return v == INT64_MAX || v == INT64_MIN; }
inline bool IsInfiniteDays(int32_t v) { return v == INT32_MAX || v == INT32_MIN; }

int DaysInMonth(int year, int month);  // astronomical year (0 = 1 BC)

// date_trunc(unit, ts), PostgreSQL 15's timestamp_trunc: week is the ISO week (Monday), decade,
// century and millennium follow PostgreSQL's rules for BC years. unit must be a calendar part.
int64_t TruncateMicros(DatePart unit, int64_t micros);

// micros + months, clamping the day to the target month's length ('2024-01-31' + 1 month =
// 2024-02-29). keep_month_end (Redshift's ADD_MONTHS): a last day of a month stays the last day.
// Throws 22008 "timestamp out of range" when the result leaves PostgreSQL's range.
int64_t AddMonthsMicros(int64_t micros, int64_t months, bool keep_month_end);

// micros + interval (months, then days, then microseconds), as PostgreSQL's timestamp_pl_interval.
int64_t AddIntervalMicros(int64_t micros, int64_t months, int64_t days, int64_t us);

// Redshift's DATEADD(part, n, ts): calendar parts add months (clamped), week 7 days, the rest
// fixed lengths. Throws 22008 on overflow.
int64_t DateAddMicros(DatePart unit, int64_t n, int64_t micros);

// Redshift's DATEDIFF(part, a, b): the number of `part` boundaries crossed from a to b (weeks
// start on Monday, as date_trunc's). Positive when b is later. Throws 22008 for an infinity
// (the node gives NULL instead).
int64_t DateDiffMicros(DatePart unit, int64_t a, int64_t b);

// The last day of d's month (LAST_DAY).
int32_t LastDayOfMonth(int32_t days);

// Redshift's MONTHS_BETWEEN(a, b): whole months when both are the same day of the month or both
// month ends, otherwise with the day difference as a fraction of a 31-day month.
double MonthsBetweenDays(int32_t a, int32_t b);

}  // namespace strata
