// Calendar kernels of executor/calendar_math.cpp: month-end clamping, ISO weeks, BC centuries,
// boundary-counting datediff, and a seeded sweep checking truncation and datediff invariants.
#include "executor/calendar_math.h"

#include <gtest/gtest.h>

#include <random>

#include "sql/error.h"
#include "sql/value_text.h"

namespace strata {
namespace {

int64_t Ts(const char* text) { return ParseTimestamp(text); }

TEST(CalendarMathTest, AddMonthsClampsToMonthEnd) {
  EXPECT_EQ(AddMonthsMicros(Ts("2024-01-31 10:00"), 1, false), Ts("2024-02-29 10:00"));
  EXPECT_EQ(AddMonthsMicros(Ts("2023-01-31"), 1, false), Ts("2023-02-28"));
  EXPECT_EQ(AddMonthsMicros(Ts("2024-03-31"), -13, false), Ts("2023-02-28"));
  EXPECT_EQ(AddMonthsMicros(Ts("2008-02-29"), 1, false), Ts("2008-03-29"));
  EXPECT_EQ(AddMonthsMicros(Ts("2008-02-29"), 1, true), Ts("2008-03-31"));  // ADD_MONTHS keeps the month end
  EXPECT_EQ(AddMonthsMicros(Ts("2008-04-30"), 1, true), Ts("2008-05-31"));
  EXPECT_EQ(AddMonthsMicros(INT64_MAX, 5, false), INT64_MAX);
  EXPECT_THROW(AddMonthsMicros(Ts("2024-01-01"), 4000000, false), SqlError);
}

TEST(CalendarMathTest, TruncateFollowsPostgres) {
  EXPECT_EQ(TruncateMicros(DatePart::kWeek, Ts("2024-05-19 10:11:12")), Ts("2024-05-13"));
  EXPECT_EQ(TruncateMicros(DatePart::kQuarter, Ts("2024-12-31 23:59:59")), Ts("2024-10-01"));
  EXPECT_EQ(TruncateMicros(DatePart::kMillisecond, Ts("2024-05-17 10:11:12.345678")), Ts("2024-05-17 10:11:12.345"));
  EXPECT_EQ(TruncateMicros(DatePart::kCentury, Ts("2000-12-31")), Ts("1901-01-01"));
  EXPECT_EQ(TruncateMicros(DatePart::kMillennium, Ts("2024-05-17")), Ts("2001-01-01"));
  EXPECT_EQ(TruncateMicros(DatePart::kDecade, Ts("0044-03-15 BC")), Ts("0051-01-01 BC"));
  EXPECT_EQ(TruncateMicros(DatePart::kCentury, Ts("0044-03-15 BC")), Ts("0100-01-01 BC"));
  EXPECT_EQ(TruncateMicros(DatePart::kDay, Ts("1999-12-31 23:59:59.999999")), Ts("1999-12-31"));
}

TEST(CalendarMathTest, DateDiffCountsBoundaries) {
  EXPECT_EQ(DateDiffMicros(DatePart::kYear, Ts("2023-12-31"), Ts("2024-01-01")), 1);
  EXPECT_EQ(DateDiffMicros(DatePart::kYear, Ts("2024-01-01"), Ts("2024-12-31")), 0);
  EXPECT_EQ(DateDiffMicros(DatePart::kWeek, Ts("2009-01-01"), Ts("2009-12-31")), 52);
  EXPECT_EQ(DateDiffMicros(DatePart::kHour, Ts("2023-01-01"), Ts("2023-01-03 05:04:03")), 53);
  EXPECT_EQ(DateDiffMicros(DatePart::kHour, Ts("2009-01-01 08:30"), Ts("2009-01-01 10:00")), 2);
  EXPECT_EQ(DateDiffMicros(DatePart::kMonth, Ts("2024-03-01"), Ts("2024-01-31")), -2);
  EXPECT_EQ(DateDiffMicros(DatePart::kSecond, Ts("1999-12-31 23:59:59.9"), Ts("2000-01-01")), 1);
}

TEST(CalendarMathTest, LastDayAndMonthsBetween) {
  EXPECT_EQ(LastDayOfMonth(ParseDate("2024-02-10")), ParseDate("2024-02-29"));
  EXPECT_EQ(LastDayOfMonth(ParseDate("1900-02-10")), ParseDate("1900-02-28"));
  EXPECT_DOUBLE_EQ(MonthsBetweenDays(ParseDate("1969-03-18"), ParseDate("1969-01-18")), 2.0);
  EXPECT_DOUBLE_EQ(MonthsBetweenDays(ParseDate("2024-03-31"), ParseDate("2024-02-29")), 1.0);
  EXPECT_DOUBLE_EQ(MonthsBetweenDays(ParseDate("2024-03-15"), ParseDate("2024-01-01")), 2.0 + 14.0 / 31.0);
}

// Over random instants: truncation is idempotent, never later than the input, and lands on a
// Monday for weeks; datediff(day) agrees with day numbers; dateadd(day, n) then datediff gives n.
TEST(CalendarMathTest, RandomSweepInvariants) {
  std::mt19937_64 rng(42);
  std::uniform_int_distribution<int64_t> instant(Ts("1600-01-01"), Ts("2400-01-01"));
  std::uniform_int_distribution<int64_t> count(-5000, 5000);
  const DatePart parts[] = {DatePart::kSecond, DatePart::kHour, DatePart::kDay, DatePart::kWeek, DatePart::kMonth,
                            DatePart::kQuarter, DatePart::kYear, DatePart::kDecade, DatePart::kCentury};
  for (int i = 0; i < 20000; ++i) {
    int64_t t = instant(rng);
    for (DatePart p : parts) {
      int64_t tr = TruncateMicros(p, t);
      ASSERT_LE(tr, t);
      ASSERT_EQ(TruncateMicros(p, tr), tr);
      ASSERT_EQ(DateDiffMicros(p, tr, t), 0) << int(p);
    }
    int64_t week = TruncateMicros(DatePart::kWeek, t) / kMicrosPerDayCal;
    ASSERT_EQ(((week + 5) % 7 + 7) % 7, 0);  // a Monday
    int64_t n = count(rng);
    ASSERT_EQ(DateDiffMicros(DatePart::kDay, t, DateAddMicros(DatePart::kDay, n, t)), n);
    ASSERT_EQ(DateDiffMicros(DatePart::kMonth, t, DateAddMicros(DatePart::kMonth, n, t)), n);
  }
}

}  // namespace
}  // namespace strata
