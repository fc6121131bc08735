#include "executor/interval_math.h"

#include <cmath>
#include <cstdlib>

#include "executor/calendar_math.h"
#include "sql/error.h"
#include "sql/value_text.h"

namespace strata {

namespace {

[[noreturn]] void IntervalOutOfRange() { STRATA_USER_ERROR(sqlstate::kDatetimeFieldOverflow, "interval out of range"); }

// PostgreSQL's TSROUND: rounds to whole microseconds when the value is in seconds.
double RoundToMicros(double seconds) { return std::rint(seconds * 1e6) / 1e6; }

int32_t CheckedInt32(double v) {
  if (std::isnan(v) || v < INT32_MIN || v > INT32_MAX) IntervalOutOfRange();
  return static_cast<int32_t>(v);
}

}  // namespace

IntervalValue IntervalAdd(const IntervalValue& a, const IntervalValue& b, int sign) {
  return IntervalFromWide(static_cast<int128>(a.months) + sign * static_cast<int128>(b.months),
                          static_cast<int128>(a.days) + sign * static_cast<int128>(b.days),
                          static_cast<int128>(a.micros) + sign * static_cast<int128>(b.micros));
}

IntervalValue IntervalNegate(const IntervalValue& a) {
  return IntervalFromWide(-static_cast<int128>(a.months), -static_cast<int128>(a.days), -static_cast<int128>(a.micros));
}

IntervalValue IntervalMultiply(const IntervalValue& iv, double f) {
  IntervalValue r;
  r.months = CheckedInt32(iv.months * f);
  r.days = CheckedInt32(iv.days * f);
  double month_remainder_days = (iv.months * f - r.months) * 30;
  double day_remainder = iv.days * f - r.days;
  double sec_remainder = RoundToMicros((day_remainder + month_remainder_days - static_cast<int>(month_remainder_days)) * 86400);
  if (std::fabs(sec_remainder) >= 86400) {
    r.days += static_cast<int>(sec_remainder / 86400);
    sec_remainder -= static_cast<int>(sec_remainder / 86400) * 86400.0;
  }
  r.days += static_cast<int32_t>(month_remainder_days);
  double micros = std::rint(static_cast<double>(iv.micros) * f + sec_remainder * 1e6);
  if (std::isnan(micros) || !(micros >= -9.2233720368547758e18 && micros < 9.2233720368547758e18)) IntervalOutOfRange();
  r.micros = static_cast<int64_t>(micros);
  PackInterval(r);
  return r;
}

IntervalValue IntervalDivide(const IntervalValue& iv, double f) {
  if (f == 0) STRATA_USER_ERROR(sqlstate::kDivisionByZero, "division by zero");
  IntervalValue r;
  r.months = CheckedInt32(iv.months / f);
  r.days = CheckedInt32(iv.days / f);
  double month_remainder_days = RoundToMicros((iv.months / f - r.months) * 30);
  double sec_remainder =
      RoundToMicros((iv.days / f - r.days + month_remainder_days - static_cast<int>(month_remainder_days)) * 86400);
  if (std::fabs(sec_remainder) >= 86400) {
    r.days += static_cast<int>(sec_remainder / 86400);
    sec_remainder -= static_cast<int>(sec_remainder / 86400) * 86400.0;
  }
  r.days += static_cast<int32_t>(month_remainder_days);
  double micros = std::rint(static_cast<double>(iv.micros) / f + sec_remainder * 1e6);
  if (std::isnan(micros) || !(micros >= -9.2233720368547758e18 && micros < 9.2233720368547758e18)) IntervalOutOfRange();
  r.micros = static_cast<int64_t>(micros);
  PackInterval(r);
  return r;
}

IntervalValue JustifyHours(const IntervalValue& iv) {
  int128 days = iv.days + static_cast<int128>(iv.micros / kMicrosPerDayI);
  int64_t time = iv.micros % kMicrosPerDayI;
  if (days > 0 && time < 0) { time += kMicrosPerDayI; --days; }
  else if (days < 0 && time > 0) { time -= kMicrosPerDayI; ++days; }
  return IntervalFromWide(iv.months, days, time);
}

IntervalValue JustifyDays(const IntervalValue& iv) {
  int128 months = iv.months + static_cast<int128>(iv.days / 30);
  int32_t days = iv.days % 30;
  if (months > 0 && days < 0) { days += 30; --months; }
  else if (months < 0 && days > 0) { days -= 30; ++months; }
  return IntervalFromWide(months, days, iv.micros);
}

IntervalValue JustifyInterval(const IntervalValue& iv) {
  int128 months = iv.months, days = iv.days;
  int64_t time = iv.micros;
  if ((days > 0 && time > 0) || (days < 0 && time < 0)) {
    months += days / 30;
    days %= 30;
  }
  days += time / kMicrosPerDayI;
  time %= kMicrosPerDayI;
  months += days / 30;
  days %= 30;
  if (months > 0 && (days < 0 || (days == 0 && time < 0))) { days += 30; --months; }
  else if (months < 0 && (days > 0 || (days == 0 && time > 0))) { days -= 30; ++months; }
  if (days > 0 && time < 0) { time += kMicrosPerDayI; --days; }
  else if (days < 0 && time > 0) { time -= kMicrosPerDayI; ++days; }
  return IntervalFromWide(months, days, time);
}

IntervalValue TimestampDifference(int64_t a, int64_t b) {
  if (IsInfiniteMicros(a) || IsInfiniteMicros(b)) {
    STRATA_USER_ERROR(sqlstate::kDatetimeFieldOverflow, "cannot subtract infinite timestamps");
  }
  int128 diff = static_cast<int128>(a) - b;
  if (diff > INT64_MAX || diff < INT64_MIN) IntervalOutOfRange();
  return JustifyHours(IntervalValue{0, 0, static_cast<int64_t>(diff)});
}

namespace {

struct Broken {
  int year, month, day;
  int64_t hour, minute, second, micros;
};

Broken BreakDown(int64_t ts) {
  Broken b;
  int64_t days = FloorDivide(ts, kMicrosPerDayI);
  int64_t tod = ts - days * kMicrosPerDayI;
  CivilFromDays(static_cast<int32_t>(days), &b.year, &b.month, &b.day);
  b.hour = tod / kMicrosPerHour;
  b.minute = tod / 60000000 % 60;
  b.second = tod / kMicrosPerSecond % 60;
  b.micros = tod % kMicrosPerSecond;
  return b;
}

}  // namespace

IntervalValue Age(int64_t a, int64_t b) {
  if (IsInfiniteMicros(a) || IsInfiniteMicros(b)) {
    STRATA_USER_ERROR(sqlstate::kDatetimeFieldOverflow, "cannot subtract infinite timestamps");
  }
  Broken x = BreakDown(a), y = BreakDown(b);
  int64_t fsec = x.micros - y.micros, sec = x.second - y.second, min = x.minute - y.minute, hour = x.hour - y.hour;
  int64_t mday = x.day - y.day, mon = x.month - y.month, year = x.year - y.year;
  const bool flip = a < b;
  if (flip) { fsec = -fsec; sec = -sec; min = -min; hour = -hour; mday = -mday; mon = -mon; year = -year; }
  while (fsec < 0) { fsec += kMicrosPerSecond; --sec; }
  while (sec < 0) { sec += 60; --min; }
  while (min < 0) { min += 60; --hour; }
  while (hour < 0) { hour += 24; --mday; }
  while (mday < 0) {
    // Borrow the length of the month of the earlier of the two.
    const Broken& from = flip ? x : y;
    mday += DaysInMonth(from.year, from.month);
    --mon;
  }
  while (mon < 0) { mon += 12; --year; }
  if (flip) { fsec = -fsec; sec = -sec; min = -min; hour = -hour; mday = -mday; mon = -mon; year = -year; }
  return IntervalFromWide(static_cast<int128>(year) * 12 + mon, mday,
                          ((static_cast<int128>(hour) * 60 + min) * 60 + sec) * kMicrosPerSecond + fsec);
}

int64_t TimeAddInterval(int64_t time, const IntervalValue& iv, int sign) {
  int64_t r = (time + (sign > 0 ? iv.micros % kMicrosPerDayI : -(iv.micros % kMicrosPerDayI))) % kMicrosPerDayI;
  return r < 0 ? r + kMicrosPerDayI : r;
}

IntervalValue TruncateInterval(DatePart unit, const IntervalValue& iv) {
  int64_t year = iv.months / 12, mon = iv.months % 12, mday = iv.days;
  int64_t hour = iv.micros / kMicrosPerHour, min = iv.micros / 60000000 % 60, sec = iv.micros / kMicrosPerSecond % 60;
  int64_t fsec = iv.micros % kMicrosPerSecond;
  switch (unit) {  // each unit clears its own finer fields and then those of the next unit down
    case DatePart::kMillennium: year = year / 1000 * 1000; [[fallthrough]];
    case DatePart::kCentury: year = year / 100 * 100; [[fallthrough]];
    case DatePart::kDecade: year = year / 10 * 10; [[fallthrough]];
    case DatePart::kYear: mon = 0; [[fallthrough]];
    case DatePart::kQuarter: mon = 3 * (mon / 3); [[fallthrough]];
    case DatePart::kMonth: mday = 0; [[fallthrough]];
    case DatePart::kDay: hour = 0; [[fallthrough]];
    case DatePart::kHour: min = 0; [[fallthrough]];
    case DatePart::kMinute: sec = 0; [[fallthrough]];
    case DatePart::kSecond: fsec = 0; break;
    case DatePart::kMillisecond: fsec = fsec / 1000 * 1000; break;
    default: break;
  }
  return IntervalFromWide(static_cast<int128>(year) * 12 + mon, mday,
                          ((static_cast<int128>(hour) * 60 + min) * 60 + sec) * kMicrosPerSecond + fsec);
}

int64_t IntervalToTime(const IntervalValue& iv) {
  int64_t r = iv.micros % kMicrosPerDayI;
  return r < 0 ? r + kMicrosPerDayI : r;
}

}  // namespace strata
