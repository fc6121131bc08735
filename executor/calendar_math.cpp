// Calendar arithmetic kernels; see executor/calendar_math.h.
#include "executor/calendar_math.h"

#include "sql/error.h"
#include "sql/value_text.h"

namespace strata {

namespace {

// PostgreSQL's timestamp range: 4714-11-24 BC (Julian day 0) to 294277-01-01 (exclusive).
constexpr int64_t kMinDay = -2451545;
constexpr int64_t kMaxDay = 106741034;  // DaysFromCivil(294277, 1, 1)

[[noreturn]] void ThrowOutOfRange() { STRATA_USER_ERROR(sqlstate::kDatetimeFieldOverflow, "timestamp out of range"); }

int64_t Checked(int64_t day, int64_t tod) {
  if (day < kMinDay || day >= kMaxDay) ThrowOutOfRange();
  return day * kMicrosPerDayCal + tod;
}

void Split(int64_t micros, int64_t* day, int64_t* tod) {
  *day = FloorDivide(micros, kMicrosPerDayCal);
  *tod = micros - *day * kMicrosPerDayCal;
}

// Monday = 0 .. Sunday = 6; 2000-01-01 (day 0) was a Saturday.
int64_t IsoWeekdayIndex(int64_t day) { return ((day + 5) % 7 + 7) % 7; }

int64_t TruncYear(int64_t y, DatePart unit) {
  switch (unit) {
    case DatePart::kMillennium: return y > 0 ? ((y + 999) / 1000) * 1000 - 999 : -((999 - (y - 1)) / 1000) * 1000 + 1;
    case DatePart::kCentury: return y > 0 ? ((y + 99) / 100) * 100 - 99 : -((99 - (y - 1)) / 100) * 100 + 1;
    case DatePart::kDecade: return y > 0 ? (y / 10) * 10 : -((8 - (y - 1)) / 10) * 10;
    default: return y;
  }
}

}  // namespace

int DaysInMonth(int year, int month) {
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return kDays[month - 1] + (month == 2 && leap ? 1 : 0);
}

int64_t TruncateMicros(DatePart unit, int64_t micros) {
  if (IsInfiniteMicros(micros)) return micros;
  int64_t day, tod;
  Split(micros, &day, &tod);
  switch (unit) {
    case DatePart::kMicrosecond: return micros;
    case DatePart::kMillisecond: return day * kMicrosPerDayCal + tod / 1000 * 1000;
    case DatePart::kSecond: return day * kMicrosPerDayCal + tod / 1000000 * 1000000;
    case DatePart::kMinute: return day * kMicrosPerDayCal + tod / 60000000 * 60000000;
    case DatePart::kHour: return day * kMicrosPerDayCal + tod / 3600000000LL * 3600000000LL;
    case DatePart::kDay: return day * kMicrosPerDayCal;
    case DatePart::kWeek: return (day - IsoWeekdayIndex(day)) * kMicrosPerDayCal;
    default: break;
  }
  int y, m, d;
  CivilFromDays(int32_t(day), &y, &m, &d);
  if (unit == DatePart::kMonth) return int64_t(DaysFromCivil(y, m, 1)) * kMicrosPerDayCal;
  if (unit == DatePart::kQuarter) return int64_t(DaysFromCivil(y, (m - 1) / 3 * 3 + 1, 1)) * kMicrosPerDayCal;
  int64_t ty = TruncYear(y, unit);
  return Checked(DaysFromCivil(int(ty), 1, 1), 0);
}

int64_t AddMonthsMicros(int64_t micros, int64_t months, bool keep_month_end) {
  if (IsInfiniteMicros(micros) || months == 0) return micros;
  if (months > 3600000 || months < -3600000) ThrowOutOfRange();
  int64_t day, tod;
  Split(micros, &day, &tod);
  int y, m, d;
  CivilFromDays(int32_t(day), &y, &m, &d);
  bool was_month_end = d == DaysInMonth(y, m);
  int64_t total = int64_t(y) * 12 + (m - 1) + months;
  int64_t ny = FloorDivide(total, 12);
  int nm = int(total - ny * 12) + 1;
  if (ny < -4714 || ny > 294277) ThrowOutOfRange();
  int last = DaysInMonth(int(ny), nm);
  int nd = (keep_month_end && was_month_end) || d > last ? last : d;
  return Checked(DaysFromCivil(int(ny), nm, nd), tod);
}

int64_t AddIntervalMicros(int64_t micros, int64_t months, int64_t days, int64_t us) {
  if (IsInfiniteMicros(micros)) return micros;
  int64_t r = AddMonthsMicros(micros, months, false);
  int64_t day, tod;
  Split(r, &day, &tod);
  if (days > kMaxDay - kMinDay || days < kMinDay - kMaxDay) ThrowOutOfRange();
  r = Checked(day + days, tod);
  if (__builtin_add_overflow(r, us, &r)) ThrowOutOfRange();
  Split(r, &day, &tod);
  return Checked(day, tod);
}

int64_t DateAddMicros(DatePart unit, int64_t n, int64_t micros) {
  if (n > 1000000000000000LL || n < -1000000000000000LL) ThrowOutOfRange();
  if (n > 100000000 || n < -100000000) {
    if (unit >= DatePart::kMillennium && unit <= DatePart::kMonth) ThrowOutOfRange();
  }
  switch (unit) {
    case DatePart::kMillennium: return AddMonthsMicros(micros, n * 12000, false);
    case DatePart::kCentury: return AddMonthsMicros(micros, n * 1200, false);
    case DatePart::kDecade: return AddMonthsMicros(micros, n * 120, false);
    case DatePart::kYear: return AddMonthsMicros(micros, n * 12, false);
    case DatePart::kQuarter: return AddMonthsMicros(micros, n * 3, false);
    case DatePart::kMonth: return AddMonthsMicros(micros, n, false);
    default: break;
  }
  int64_t unit_micros = 1;
  switch (unit) {
    case DatePart::kWeek: unit_micros = 7 * kMicrosPerDayCal; break;
    case DatePart::kDay: unit_micros = kMicrosPerDayCal; break;
    case DatePart::kHour: unit_micros = 3600000000LL; break;
    case DatePart::kMinute: unit_micros = 60000000LL; break;
    case DatePart::kSecond: unit_micros = 1000000LL; break;
    case DatePart::kMillisecond: unit_micros = 1000LL; break;
    default: break;
  }
  int64_t delta;
  if (__builtin_mul_overflow(n, unit_micros, &delta)) ThrowOutOfRange();
  return AddIntervalMicros(micros, 0, 0, delta);
}

int64_t DateDiffMicros(DatePart unit, int64_t a, int64_t b) {
  if (IsInfiniteMicros(a) || IsInfiniteMicros(b)) ThrowOutOfRange();
  int64_t da, ta, db, tb;
  Split(a, &da, &ta);
  Split(b, &db, &tb);
  switch (unit) {
    case DatePart::kWeek: return ((db - IsoWeekdayIndex(db)) - (da - IsoWeekdayIndex(da))) / 7;
    case DatePart::kDay: return db - da;
    case DatePart::kHour: return FloorDivide(b, 3600000000LL) - FloorDivide(a, 3600000000LL);
    case DatePart::kMinute: return FloorDivide(b, 60000000LL) - FloorDivide(a, 60000000LL);
    case DatePart::kSecond: return FloorDivide(b, 1000000LL) - FloorDivide(a, 1000000LL);
    case DatePart::kMillisecond: return FloorDivide(b, 1000LL) - FloorDivide(a, 1000LL);
    case DatePart::kMicrosecond: return b - a;
    default: break;
  }
  int ya, ma, d1, yb, mb, d2;
  CivilFromDays(int32_t(da), &ya, &ma, &d1);
  CivilFromDays(int32_t(db), &yb, &mb, &d2);
  switch (unit) {
    case DatePart::kMonth: return (int64_t(yb) * 12 + mb) - (int64_t(ya) * 12 + ma);
    case DatePart::kQuarter: return (int64_t(yb) * 4 + (mb - 1) / 3) - (int64_t(ya) * 4 + (ma - 1) / 3);
    case DatePart::kYear: return int64_t(yb) - ya;
    case DatePart::kDecade: return FloorDivide(yb, 10) - FloorDivide(ya, 10);
    case DatePart::kCentury: return FloorDivide(yb - 1, 100) - FloorDivide(ya - 1, 100);
    case DatePart::kMillennium: return FloorDivide(yb - 1, 1000) - FloorDivide(ya - 1, 1000);
    default: break;
  }
  return 0;
}

int32_t LastDayOfMonth(int32_t days) {
  if (IsInfiniteDays(days)) return days;
  int y, m, d;
  CivilFromDays(days, &y, &m, &d);
  return DaysFromCivil(y, m, DaysInMonth(y, m));
}

double MonthsBetweenDays(int32_t a, int32_t b) {
  int ya, ma, da, yb, mb, db;
  CivilFromDays(a, &ya, &ma, &da);
  CivilFromDays(b, &yb, &mb, &db);
  double months = double((int64_t(ya) * 12 + ma) - (int64_t(yb) * 12 + mb));
  bool both_ends = da == DaysInMonth(ya, ma) && db == DaysInMonth(yb, mb);
  if (da == db || both_ends) return months;
  return months + double(da - db) / 31.0;
}

}  // namespace strata
