// Conversion of Parquet values to Strata's types, shared by the page decoder and the row-group
// statistics. A Conversion is planned once per column chunk (42804 when the file's type cannot
// become the target type); the scalar functions below are then applied per value.
//
// Sources are classified after decoding: booleans (uint8), integers (INT32/INT64, and INT96
// already turned into micros since 1970) with their meaning (plain, decimal with a scale, date
// in days since 1970, timestamp with a unit), floats, doubles and byte strings (text, or a
// big-endian two's complement decimal).
#pragma once

#include <cmath>
#include <string>
#include <string_view>

#include "formats/parquet_reader.h"
#include "sql/error.h"

namespace strata::parquet {

inline constexpr int32_t kUnixToStrataDays = 10957;                      // 1970-01-01 -> 2000-01-01
inline constexpr int64_t kUnixToStrataMicros = 946684800000000LL;        // the same in micros

enum class SourceKind : uint8_t { kBool, kInt32, kInt64, kFloat, kDouble, kBytes };
enum class IntMeaning : uint8_t { kPlain, kDecimal, kDate, kTimestamp, kTime, kOther };
enum class BytesMeaning : uint8_t { kText, kDecimal, kOther };

enum class ConvKind : uint8_t {
  kBool,           // BOOLEAN -> BOOLEAN
  kIntToInt,       // integer -> SMALLINT/INTEGER/BIGINT with a range check
  kIntToDecimal,   // integer or decimal -> DECIMAL(p,s), rescaled
  kIntToFloat,     // integer or decimal -> REAL/DOUBLE
  kFloatToFloat,   // FLOAT/DOUBLE -> REAL/DOUBLE
  kDateToDate,     // days since 1970 -> DATE
  kDateToTimestamp,
  kTsToTimestamp,  // millis/micros/nanos since 1970 -> TIMESTAMP
  kBytesToString,  // with a length check
  kBytesToDecimal, // big-endian two's complement -> DECIMAL(p,s)
};

struct Conversion {
  ConvKind kind = ConvKind::kBool;
  SourceKind source = SourceKind::kInt32;
  SqlType target;
  int source_scale = 0;
  TimeUnit unit = TimeUnit::kMicros;
  bool unsigned32 = false;  // UINT_32 stored in INT32
  bool unsigned64 = false;
  std::string column;       // for error messages
};

// Plans the conversion of `col` to `target`; throws 42804 naming both types when impossible.
Conversion PlanConversion(const ParquetColumn& col, const SqlType& target);

[[noreturn]] void ThrowOutOfRange(const Conversion& c);
[[noreturn]] void ThrowTooLong(const Conversion& c, size_t len);

// An integer as stored, widened with its signedness.
inline int128 WidenInt(const Conversion& c, int64_t v) {
  if (c.unsigned32) return static_cast<int128>(static_cast<uint32_t>(v));
  if (c.unsigned64) return static_cast<int128>(static_cast<uint64_t>(v));
  return v;
}

inline int64_t ToInt(const Conversion& c, int64_t raw) {
  int128 v = WidenInt(c, raw);
  int128 lo = c.target.id == TypeId::kInt16 ? INT16_MIN : c.target.id == TypeId::kInt32 ? INT32_MIN : INT64_MIN;
  int128 hi = c.target.id == TypeId::kInt16 ? INT16_MAX : c.target.id == TypeId::kInt32 ? INT32_MAX : INT64_MAX;
  if (v < lo || v > hi) ThrowOutOfRange(c);
  return static_cast<int64_t>(v);
}

// Rescales v (at source_scale) to the target's scale, rounding half away from zero, and checks
// the target precision.
inline int128 RescaleDecimal(const Conversion& c, int128 v) {
  int diff = c.target.scale - c.source_scale;
  int128 limit = Pow10(c.target.precision);
  if (diff >= 0) {
    int head = c.target.precision - diff;  // digits v may have before scaling
    if (head <= 0) {
      if (v != 0) ThrowOutOfRange(c);
      return 0;
    }
    if (v >= Pow10(head) || v <= -Pow10(head)) ThrowOutOfRange(c);
    return v * Pow10(diff);
  }
  if (-diff > 38) return 0;
  int128 d = Pow10(-diff);
  int128 q = v / d, r = v % d;
  if (r < 0) r = -r;
  if (r * 2 >= d) q += v < 0 ? -1 : 1;
  if (q >= limit || q <= -limit) ThrowOutOfRange(c);
  return q;
}

inline double IntToDouble(const Conversion& c, int64_t raw) {
  double d = static_cast<double>(WidenInt(c, raw));
  return c.source_scale > 0 ? d / std::pow(10.0, c.source_scale) : d;
}

inline int64_t TsToMicros(TimeUnit unit, int64_t v) {
  switch (unit) {
    case TimeUnit::kMillis: return v * 1000;
    case TimeUnit::kNanos: return v >= 0 ? v / 1000 : -((-v + 999) / 1000);
    default: return v;
  }
}

// A big-endian two's complement integer of any length (fails beyond 128 bits).
inline int128 BigEndianDecimal(const Conversion& c, std::string_view s) {
  if (s.empty()) return 0;
  auto u = reinterpret_cast<const uint8_t*>(s.data());
  size_t n = s.size();
  uint8_t sign_byte = (u[0] & 0x80) ? 0xff : 0x00;
  size_t skip = 0;
  while (n - skip > 16) {
    if (u[skip] != sign_byte) ThrowOutOfRange(c);
    ++skip;
  }
  unsigned __int128 v = sign_byte ? ~static_cast<unsigned __int128>(0) : 0;
  for (size_t i = skip; i < n; ++i) v = (v << 8) | u[i];
  return static_cast<int128>(v);
}

inline std::string_view CheckLength(const Conversion& c, std::string_view s) {
  if (c.target.length >= 0 && static_cast<int64_t>(s.size()) > c.target.length) ThrowTooLong(c, s.size());
  return s;
}

}  // namespace strata::parquet
