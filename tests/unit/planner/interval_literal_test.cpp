// INTERVAL constants and date arithmetic folded at bind time, checked against PostgreSQL 15's
// answers (month-end clamping, field modifiers, mixed units).
#include <gtest/gtest.h>

#include "planner/interval_literal.h"
#include "sql/error.h"
#include "sql/value_text.h"

namespace strata {
namespace {

constexpr int64_t kDay = 86400LL * 1000000;

std::string AddToDate(const std::string& date, const IntervalValue& iv, int sign) {
  int64_t micros = static_cast<int64_t>(ParseDate(date)) * kDay;
  return FormatTimestamp(AddIntervalToTimestamp(micros, iv, sign));
}

TEST(IntervalLiteral, FieldModifiersGiveTheUnit) {
  EXPECT_EQ(ParseInterval("90", {1 << 3}).days, 90);
  EXPECT_EQ(ParseInterval("3", {1 << 1}).months, 3);
  EXPECT_EQ(ParseInterval("1", {1 << 2}).months, 12);
  EXPECT_EQ(ParseInterval("2", {1 << 10}).micros, 2 * 3600LL * 1000000);
}

TEST(IntervalLiteral, UnitsInTheText) {
  IntervalValue iv = ParseInterval("1 year 2 months 3 days", {});
  EXPECT_EQ(iv.months, 14);
  EXPECT_EQ(iv.days, 3);
  EXPECT_EQ(ParseInterval("2 weeks", {}).days, 14);
  EXPECT_EQ(ParseInterval("10:30:00", {}).micros, (10 * 3600LL + 30 * 60) * 1000000);
  EXPECT_THROW(ParseInterval("soon", {}), SqlError);
  EXPECT_THROW(ParseInterval("3 fortnights", {}), SqlError);
}

TEST(IntervalLiteral, DateArithmeticMatchesPostgres) {
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

}  // namespace
}  // namespace strata
