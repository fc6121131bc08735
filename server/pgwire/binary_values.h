// PostgreSQL's binary wire formats for the types Strata has, in both directions: result values
// a client asked for in binary (Bind result format 1), and binary Bind parameters, which are
// turned into their text form because SqlSession::Execute takes text parameters.
//
//   bool 1 byte 0/1 | int2/int4/int8 big-endian two's complement | float4/float8 big-endian IEEE
//   text/varchar/bpchar the bytes | arrays carried as text (sql/array_types.h) as array_send
//   writes them | date int32 days since 2000-01-01 | timestamp int64
//   microseconds since 2000-01-01 (both the same epoch as Strata's, so no conversion)
//   numeric: int16 ndigits, int16 weight, int16 sign (0x0000 +, 0x4000 -, 0xC000 NaN),
//            int16 dscale, then ndigits int16 base-10000 digits, most significant first;
//            value = sum(digit[i] * 10000^(weight - i)). Example: 12345.678 (scale 3) is
//            ndigits 3, weight 1, sign 0, dscale 3, digits [1, 2345, 6780].
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "sql/types.h"
#include "sql/vector.h"

namespace strata::pgwire {

// Well-known PostgreSQL type OIDs the wire layer needs to recognise.
namespace pg_oid {
inline constexpr uint32_t kUnspecified = 0;
inline constexpr uint32_t kBool = 16;
inline constexpr uint32_t kInt8 = 20;
inline constexpr uint32_t kInt2 = 21;
inline constexpr uint32_t kInt4 = 23;
inline constexpr uint32_t kText = 25;
inline constexpr uint32_t kFloat4 = 700;
inline constexpr uint32_t kFloat8 = 701;
inline constexpr uint32_t kUnknown = 705;
inline constexpr uint32_t kBpchar = 1042;
inline constexpr uint32_t kVarchar = 1043;
inline constexpr uint32_t kDate = 1082;
inline constexpr uint32_t kTimestamp = 1114;
inline constexpr uint32_t kTimestampTz = 1184;
inline constexpr uint32_t kInterval = 1186;
inline constexpr uint32_t kTime = 1083;
inline constexpr uint32_t kTimeTz = 1266;
inline constexpr uint32_t kNumeric = 1700;
}  // namespace pg_oid

// Appends the binary form of non-NULL row `row` of `v` to `out` (without the length word).
void AppendValueBinary(const Vector& v, size_t row, std::string* out);

// Appends PostgreSQL's numeric binary form of unscaled / 10^scale.
void AppendNumericBinary(int128 unscaled, int scale, std::string* out);

// Converts a binary Bind parameter of type `oid` to the text PostgreSQL would print for it.
// Throws SqlError 22P03 when the bytes are not a valid value of that type, and 0A000 for a
// type whose binary form is not supported.
std::string BinaryParamToText(uint32_t oid, std::string_view bytes);

// The text form of a numeric binary value ("NaN", "-12.50", ...). Throws SqlError 22P03.
std::string NumericBinaryToText(std::string_view bytes);

// Shortest round-trip text of a float, with PostgreSQL's spellings of the special values.
std::string FloatText(double v, bool single_precision);

}  // namespace strata::pgwire
