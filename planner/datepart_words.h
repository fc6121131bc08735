// The date parts that date_part / extract / date_trunc / dateadd / datediff name: PostgreSQL 15's
// unit words plus Redshift's abbreviations ("Dateparts for datetime functions": mil, cent, dec,
// qtr, dw, dayofweek, yearday, msecs, usecond, ...), case-insensitive. The binder reads a bare
// word in first position of those functions (`dateadd(month, 1, d)`) as the part's text, as
// Redshift treats it as a keyword; the executor resolves the text to a DatePart once per query.
#pragma once

#include <cstdint>
#include <string_view>

namespace strata {

enum class DatePart : uint8_t {
  kUnknown,
  kMillennium, kCentury, kDecade, kYear, kQuarter, kMonth, kWeek, kDay,
  kHour, kMinute, kSecond, kMillisecond, kMicrosecond,
  kEpoch, kDow, kIsoDow, kDoy, kIsoYear, kJulian, kTimezone, kTimezoneHour, kTimezoneMinute,
};

// kUnknown when `word` names no date part.
DatePart ParseDatePart(std::string_view word);

// PostgreSQL's canonical spelling ("month", "dow", "millisecond"...), which
// executor/expr_datetime.cpp's date_part also understands.
const char* DatePartName(DatePart part);

// True for the parts date_trunc, dateadd and datediff accept (millennium .. microsecond).
inline bool IsCalendarPart(DatePart p) { return p >= DatePart::kMillennium && p <= DatePart::kMicrosecond; }

}  // namespace strata
