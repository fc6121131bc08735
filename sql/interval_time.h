// INTERVAL, TIME and TIMETZ values: how they are kept in a column and their text forms.
//
// An INTERVAL is PostgreSQL's triple (months, days, microseconds), kept in one int128 so that
// the storage, sort and aggregate machinery of DECIMAL(38) serves it unchanged:
//
//   packed = span * 2^64 + months * 2^32 + days          (signed arithmetic, all of it)
//   span   = months * 30 days + days * 24 h + micros, in microseconds (int64)
//
// Worked example: '1 mon 2 days 03:00:00' has span 2592000e6 + 172800e6 + 10800e6 =
// 2775600000000, so packed = 2775600000000 * 2^64 + 1 * 2^32 + 2. The low 64 bits hold
// months * 2^32 + days, which lies in [-2^63, 2^63), so comparing packed values orders them by
// span first, which is how PostgreSQL orders intervals ('1 mon' and '30 days' have the same
// span; they differ only in the low bits, which break the tie). The packing is linear: adding
// two packed values adds their months, days and spans, so SUM over int128 sums intervals.
// Equality as PostgreSQL sees it compares spans only (IntervalSpan): comparisons, sorts, window
// peers, hashing and group keys (GROUP BY, DISTINCT, joins, distribution) all look at the span,
// so '1 mon' and '30 days' are one group; which of them a group shows is the first one seen.
// An interval whose span does not fit int64 (about 292,000 years) is out of range (22008).
//
// TIME is int64 microseconds since midnight (0 .. 24:00:00 inclusive, as PostgreSQL). TIMETZ is
// int64 microseconds since midnight UTC: the written zone is applied on input and the value
// shows in UTC ("10:00:00+00"), as Strata does for TIMESTAMPTZ (PostgreSQL keeps the zone).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "sql/types.h"

namespace strata {

inline constexpr int64_t kMicrosPerSecond = 1000000;
inline constexpr int64_t kMicrosPerHour = 3600LL * kMicrosPerSecond;
inline constexpr int64_t kMicrosPerDayI = 24 * kMicrosPerHour;
inline constexpr int64_t kMicrosPerMonthI = 30 * kMicrosPerDayI;

struct IntervalValue {
  int32_t months = 0;
  int32_t days = 0;
  int64_t micros = 0;
};

// Packs an interval; throws 22008 "interval out of range" when its span does not fit int64.
int128 PackInterval(const IntervalValue& iv);
// The inverse of PackInterval; throws 22008 when the micros field does not fit (a sum can get
// there).
IntervalValue UnpackInterval(int128 packed);
// The span of a packed interval in microseconds: what comparisons look at.
inline int64_t IntervalSpan(int128 packed) {
  return static_cast<int64_t>((packed + (static_cast<int128>(1) << 63)) >> 64);
}
// From fields that may exceed their int32/int64 ranges (computed in int128): 22008 if they do.
IntervalValue IntervalFromWide(int128 months, int128 days, int128 micros);

// PostgreSQL's interval input: '1 year 2 mons 3 days 04:05:06.5', '2 weeks', '-00:00:01',
// '1 day -02:00', '@ 3 days ago', '1.5 days' (fractions carry down), ISO 8601 'P1Y2M3DT4H5M6S',
// and a bare number whose unit comes from the field modifier (typmod mask: MONTH 1<<1,
// YEAR 1<<2, DAY 1<<3, HOUR 1<<10, MINUTE 1<<11, SECOND 1<<12; seconds by default).
// Throws 22007 on bad syntax, 22015 when a field overflows, 22008 when the span does.
IntervalValue ParseInterval(std::string_view text, const std::vector<int>& mods = {});

// IntervalStyle postgres: "1 year 2 mons 3 days 04:05:06", "-1 days +02:00:00", "00:00:00".
void AppendInterval(const IntervalValue& iv, std::string* out);
std::string IntervalText(const IntervalValue& iv);

// micros (a timestamp) + sign * interval, as PostgreSQL's timestamp_pl_interval: months first
// (clamping the day to the month's length), then days, then time.
int64_t AddIntervalToTimestamp(int64_t micros, const IntervalValue& iv, int sign);

// TIME: 'hh:mm[:ss[.ffffff]]' with an optional am/pm, a leading date (ignored) and a zone
// (ignored for TIME, applied for TIMETZ). 22007 on bad syntax, 22008 for a field out of range.
int64_t ParseTime(std::string_view text);
int64_t ParseTimeTz(std::string_view text);
void AppendTime(int64_t micros, std::string* out);
void AppendTimeTz(int64_t micros, std::string* out);
std::string FormatTime(int64_t micros);

}  // namespace strata
