// INTERVAL, TIME and TIMETZ text forms and the interval packing, and date arithmetic with an
// interval, checked against PostgreSQL 15's answers (month-end clamping, field modifiers, mixed
// units, fractions carried down, IntervalStyle postgres output).
#include <gtest/gtest.h>

#include "sql/interval_time.h"
#include "sql/error.h"
#include "sql/value_text.h"

namespace strata {
namespace {

constexpr int64_t kDay = 86400LL * 1000000;

std::string AddToDate(const std::string& date, const IntervalValue& iv, int sign) {
  int64_t micros = static_cast<int64_t>(ParseDate(date)) * kDay;
  return FormatTimestamp(AddIntervalToTimestamp(micros, iv, sign));
}

TEST(IntervalText, FieldModifiersGiveTheUnit) {
  EXPECT_EQ(ParseInterval("90", {1 << 3}).days, 90);
  EXPECT_EQ(ParseInterval("3", {1 << 1}).months, 3);
  EXPECT_EQ(ParseInterval("1", {1 << 2}).months, 12);
  EXPECT_EQ(ParseInterval("2", {1 << 10}).micros, 2 * 3600LL * 1000000);
}

TEST(IntervalText, UnitsInTheText) {
  IntervalValue iv = ParseInterval("1 year 2 months 3 days", {});
  EXPECT_EQ(iv.months, 14);
  EXPECT_EQ(iv.days, 3);
  EXPECT_EQ(ParseInterval("2 weeks", {}).days, 14);
  EXPECT_EQ(ParseInterval("10:30:00", {}).micros, (10 * 3600LL + 30 * 60) * 1000000);
  EXPECT_THROW(ParseInterval("soon", {}), SqlError);
  EXPECT_THROW(ParseInterval("3 fortnights", {}), SqlError);
}

TEST(IntervalText, DateArithmeticMatchesPostgres) {
  // select date '1998-12-01' - interval '90' day;  -> 1998-09-02 00:00:00
  EXPECT_EQ(AddToDate("1998-12-01", ParseInterval("90", {1 << 3}), -1), "1998-09-02 00:00:00");
  // select date '1998-01-31' + interval '1' month; -> 1998-02-28 00:00:00 (clamped)
  EXPECT_EQ(AddToDate("1998-01-31", ParseInterval("1", {1 << 1}), 1), "1998-02-28 00:00:00");
  // leap year: date '1996-01-31' + interval '1' month -> 1996-02-29
  EXPECT_EQ(AddToDate("1996-01-31", ParseInterval("1", {1 << 1}), 1), "1996-02-29 00:00:00");
  // select date '1994-01-01' + interval '1' year; -> 1995-01-01
  EXPECT_EQ(AddToDate("1994-01-01", ParseInterval("1", {1 << 2}), 1), "1995-01-01 00:00:00");
  // across the year backwards: date '1995-02-15' - interval '3' month -> 1994-11-15
  EXPECT_EQ(AddToDate("1995-02-15", ParseInterval("3", {1 << 1}), -1), "1994-11-15 00:00:00");
  // before 2000 and with time: date '1999-12-31' + interval '36 hours' -> 2000-01-01 12:00:00
  EXPECT_EQ(AddToDate("1999-12-31", ParseInterval("36 hours", {}), 1), "2000-01-01 12:00:00");
}

std::string Text(std::string_view in) { return IntervalText(ParseInterval(in)); }

std::string StateOf(void (*f)(std::string_view), std::string_view in) {
  try {
    f(in);
  } catch (const SqlError& e) {
    return e.sqlstate();
  }
  return "none";
}

TEST(IntervalText, RoundTripsInPostgresStyle) {
  // Each right-hand side is what PostgreSQL 15 prints for the left-hand side.
  EXPECT_EQ(Text("1 day"), "1 day");
  EXPECT_EQ(Text("3 days"), "3 days");
  EXPECT_EQ(Text("1 year 2 mons"), "1 year 2 mons");
  EXPECT_EQ(Text("-00:00:01"), "-00:00:01");
  EXPECT_EQ(Text("0"), "00:00:00");
  EXPECT_EQ(Text("1 day 02:00:00"), "1 day 02:00:00");
  EXPECT_EQ(Text("1 02:00:00"), "1 day 02:00:00");
  EXPECT_EQ(Text("-1 day 2 hours"), "-1 days +02:00:00");
  EXPECT_EQ(Text("-1 year 2 mons 3 days"), "-10 mons +3 days");
  EXPECT_EQ(Text("1.5 years"), "1 year 6 mons");
  EXPECT_EQ(Text("1.5 mons"), "1 mon 15 days");
  EXPECT_EQ(Text("1.5 weeks"), "10 days 12:00:00");
  EXPECT_EQ(Text("@ 3 days ago"), "-3 days");
  EXPECT_EQ(Text("P1Y2M3DT4H5M6S"), "1 year 2 mons 3 days 04:05:06");
  EXPECT_EQ(Text("1:30:15.25"), "01:30:15.25");
  EXPECT_EQ(Text("100 hours"), "100:00:00");
  EXPECT_EQ(Text("5 min 3.5 sec"), "00:05:03.5");
  EXPECT_EQ(IntervalText(ParseInterval("1 day 2 hours", {1 << 3})), "1 day");
  EXPECT_EQ(StateOf([](std::string_view t) { ParseInterval(t); }, "soon"), "22007");
  EXPECT_EQ(StateOf([](std::string_view t) { ParseInterval(t); }, "2147483648 days"), "22015");
}

TEST(IntervalText, PackingOrdersBySpanAndIsLinear) {
  IntervalValue month{1, 0, 0}, days30{0, 30, 0}, days31{0, 31, 0}, neg{0, -1, 5};
  EXPECT_EQ(IntervalSpan(PackInterval(month)), IntervalSpan(PackInterval(days30)));
  EXPECT_LT(PackInterval(month), PackInterval(days31));
  EXPECT_LT(PackInterval(neg), PackInterval(IntervalValue{}));
  for (const IntervalValue& iv : {month, days30, neg, IntervalValue{-7, 40, -123456789}}) {
    IntervalValue back = UnpackInterval(PackInterval(iv));
    EXPECT_EQ(back.months, iv.months);
    EXPECT_EQ(back.days, iv.days);
    EXPECT_EQ(back.micros, iv.micros);
  }
  // The sum of packed values is the packed sum (what SUM(interval) relies on).
  IntervalValue sum = UnpackInterval(PackInterval(month) + PackInterval(neg) + PackInterval(days31));
  EXPECT_EQ(sum.months, 1);
  EXPECT_EQ(sum.days, 30);
  EXPECT_EQ(sum.micros, 5);
  EXPECT_EQ(StateOf([](std::string_view) { PackInterval(IntervalValue{INT32_MAX, 0, 0}); }, ""), "22008");
  // A sum whose span would leave int64 overflows the int128 itself, which SUM checks (22003).
  int128 big = PackInterval(IntervalValue{0, 0, 6000000000000000000}), sum128;
  EXPECT_TRUE(__builtin_add_overflow(big, big, &sum128));
}

TEST(TimeText, ParsesAndPrintsAsPostgres) {
  EXPECT_EQ(FormatTime(ParseTime("10:11:12")), "10:11:12");
  EXPECT_EQ(FormatTime(ParseTime("24:00")), "24:00:00");
  EXPECT_EQ(FormatTime(ParseTime("10:00:00.5 pm")), "22:00:00.5");
  EXPECT_EQ(FormatTime(ParseTime("2024-01-01 10:11:12")), "10:11:12");
  EXPECT_EQ(FormatTime(ParseTime("10:00+02")), "10:00:00");
  EXPECT_EQ(FormatTime(ParseTime("12:00 am")), "00:00:00");
  std::string tz;
  AppendTimeTz(ParseTimeTz("10:00+02"), &tz);
  EXPECT_EQ(tz, "08:00:00+00");  // kept in UTC (PostgreSQL would keep "10:00:00+02")
  tz.clear();
  AppendTimeTz(ParseTimeTz("01:00+02"), &tz);
  EXPECT_EQ(tz, "23:00:00+00");
  EXPECT_EQ(StateOf([](std::string_view t) { ParseTime(t); }, "25:00"), "22008");
  EXPECT_EQ(StateOf([](std::string_view t) { ParseTime(t); }, "10:60"), "22008");
  EXPECT_EQ(StateOf([](std::string_view t) { ParseTime(t); }, "abc"), "22007");
  EXPECT_EQ(StateOf([](std::string_view t) { ParseTimeTz(t); }, "10:00 foo"), "22007");
}

}  // namespace
}  // namespace strata
