// Text forms of SQL values, as PostgreSQL prints and parses them: the output of every query
// (wire text format), the input of every literal, parameter and loaded field, and casts to and
// from strings. Decimal parsing and printing is exact (no floating point).
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

#include "sql/types.h"
#include "sql/vector.h"

namespace strata {

// Appends the PostgreSQL text form of row `row` of `v` (which must not be NULL) to `out`:
// booleans "t"/"f", decimals with exactly `scale` digits after the point, floats in the
// shortest round-trip form (PostgreSQL 12+ with extra_float_digits=1), dates "YYYY-MM-DD",
// timestamps "YYYY-MM-DD HH:MM:SS[.ffffff]" (TIMESTAMPTZ with "+00"), CHAR(n) padded to n.
void AppendValueText(const Vector& v, size_t row, std::string* out);
std::string ValueText(const Vector& v, size_t row);

// `s` without its trailing blanks: how CHAR values (and Redshift's string comparisons) compare.
inline std::string_view TrimTrailingBlanks(std::string_view s) {
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

// Parses text into row `row` of `out` (of out's type). Throws SqlError with PostgreSQL's
// SQLSTATE and message: 22P02 invalid input syntax for type integer: "x", 22003 out of range,
// 22001 value too long for type character varying(n), 22007/22008 for dates. CHAR(n) and
// VARCHAR(n) reject overlong values unless the excess is spaces (PostgreSQL's rule).
void ParseValueText(std::string_view text, Vector* out, size_t row);

// Decimal helpers: parse "12.345" into an unscaled integer at `scale` (rounding half away from
// zero), throwing 22003 if it does not fit `precision` digits; and print an unscaled value.
int128 ParseDecimal(std::string_view text, int precision, int scale);
std::string FormatDecimal(int128 unscaled, int scale);
void AppendDecimal(int128 unscaled, int scale, std::string* out);

// Dates are days since 2000-01-01; timestamps microseconds since 2000-01-01 00:00:00.
// TIMESTAMPTZ values are instants in UTC: a written zone ("+05:30", "-08", "Z", "UTC") is applied
// on input (none means UTC, the session time zone Strata shows), and output ends with "+00".
int32_t ParseDate(std::string_view text);
int64_t ParseTimestamp(std::string_view text);
int64_t ParseTimestampTz(std::string_view text);
// pg_size_pretty: bytes below 10 kB, then kB, MB, GB, TB, each step rounded half up
// ("8192 bytes", "12 kB", "-20 MB").
std::string PrettySize(int64_t bytes);

std::string FormatDate(int32_t days);
std::string FormatTimestamp(int64_t micros);
std::string FormatTimestampTz(int64_t micros);
// Appending forms of the above, for output loops that reuse one buffer.
void AppendDate(int32_t days, std::string* out);
void AppendTimestamp(int64_t micros, std::string* out);
void AppendTimestampTz(int64_t micros, std::string* out);
// PostgreSQL's 'infinity' and '-infinity' dates and timestamps, stored as the extreme values
// (as PostgreSQL itself stores them); they print back as "infinity" / "-infinity".
inline constexpr int32_t kDatePosInfinity = std::numeric_limits<int32_t>::max();
inline constexpr int32_t kDateNegInfinity = std::numeric_limits<int32_t>::min();
inline constexpr int64_t kTimestampPosInfinity = std::numeric_limits<int64_t>::max();
inline constexpr int64_t kTimestampNegInfinity = std::numeric_limits<int64_t>::min();
// Civil-date conversion used by date arithmetic and EXTRACT.
int32_t DaysFromCivil(int year, int month, int day);
void CivilFromDays(int32_t days, int* year, int* month, int* day);

}  // namespace strata
