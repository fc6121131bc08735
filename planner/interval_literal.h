// INTERVAL literals and date/time arithmetic with them, folded while binding. Strata has no
// interval column type yet; an interval may appear as a constant added to or subtracted from a
// date or timestamp (`date '1998-12-01' - interval '90' day`, `o_orderdate + interval '3' month`
// with a constant date), which is what reporting SQL and TPC-H use.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace strata {

struct IntervalValue {
  int32_t months = 0;
  int32_t days = 0;
  int64_t micros = 0;
};

// Parses '90' with a field modifier (PostgreSQL's typmod mask: MONTH 1<<1, YEAR 1<<2, DAY 1<<3,
// HOUR 1<<10, MINUTE 1<<11, SECOND 1<<12), or '3 months', '1 year 2 days', '2 weeks', '10:30:00'.
// Throws SqlError 22007 on bad input.
IntervalValue ParseInterval(std::string_view text, const std::vector<int>& mods);

// date (days since 2000-01-01) + sign * interval, as PostgreSQL computes it: months first
// (clamping the day to the month's length), then days, then time. The result is in
// microseconds since 2000-01-01.
int64_t AddIntervalToTimestamp(int64_t micros, const IntervalValue& iv, int sign);

// The interval as PostgreSQL prints it (IntervalStyle postgres): "1 year 2 mons 3 days 04:05:06",
// "-1 days", "00:00:00" for a zero interval.
std::string IntervalText(const IntervalValue& iv);

}  // namespace strata
