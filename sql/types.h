// SQL types as Strata sees them: the logical type a user declares (SqlType) and the physical
// representation the executor and storage work on (PhysicalType).
//
//   SMALLINT -> int16   INTEGER -> int32   BIGINT -> int64   BOOLEAN -> uint8 (0/1)
//   DECIMAL(p,s) -> int64 scaled by 10^s when p <= 18, else __int128
//   REAL -> float  DOUBLE PRECISION -> double   DATE -> int32 days since 2000-01-01
//   TIMESTAMP -> int64 microseconds since 2000-01-01 (PostgreSQL's epoch)
//   TIMESTAMPTZ -> int64 microseconds since 2000-01-01 00:00:00 UTC (an instant; shown in UTC)
//   CHAR(n), VARCHAR(n), TEXT -> std::string_view into a StringHeap
//   INTERVAL -> __int128 packing span, months and days (layout and ordering: sql/interval_time.h)
//   TIME -> int64 microseconds since midnight (0 .. 24:00:00)
//   TIMETZ -> int64 microseconds since midnight UTC (the zone is applied on input; shown as +00)
//   SUPER -> std::string_view: canonical JSON text (Redshift's semi-structured type; sql/super_value.h)
#pragma once

#include <array>
#include <cstdint>
#include <string>

namespace strata {

using int128 = __int128;

enum class TypeId : uint8_t {
  kNull = 0,  // the type of an untyped NULL literal
  kBool,
  kInt16,
  kInt32,
  kInt64,
  kDecimal,
  kFloat32,
  kFloat64,
  kChar,
  kVarchar,
  kText,  // also the type of an unknown-typed string literal before coercion
  kDate,
  kTimestamp,
  kTimestampTz,
  // Appended last: type ids are stored in catalogs and plans, never renumber.
  kInterval,
  kTime,
  kTimeTz,
  kSuper,
};

enum class PhysicalType : uint8_t { kBool, kInt16, kInt32, kInt64, kInt128, kFloat32, kFloat64, kString };

inline constexpr int kMaxDecimalPrecision = 38;
inline constexpr int kDefaultDecimalPrecision = 18;  // Redshift's default for bare DECIMAL

struct SqlType {
  TypeId id = TypeId::kNull;
  // DECIMAL's precision. On TEXT, the PostgreSQL array type whose literal the text carries
  // ("{1,2}"; "1 2" for int2vector / oidvector), by its type oid: Strata carries arrays as their
  // text (sql/pg_array_literal.h), and this is what clients are told the column is
  // (sql/array_types.h). 0 on plain text.
  int32_t precision = 0;
  int32_t scale = 0;      // DECIMAL only
  int32_t length = -1;    // CHAR/VARCHAR declared length, -1 when unbounded

  static SqlType Null() { return {TypeId::kNull}; }
  static SqlType Bool() { return {TypeId::kBool}; }
  static SqlType Int16() { return {TypeId::kInt16}; }
  static SqlType Int32() { return {TypeId::kInt32}; }
  static SqlType Int64() { return {TypeId::kInt64}; }
  static SqlType Decimal(int p, int s) { return {TypeId::kDecimal, p, s, -1}; }
  static SqlType Float32() { return {TypeId::kFloat32}; }
  static SqlType Float64() { return {TypeId::kFloat64}; }
  static SqlType Char(int n) { return {TypeId::kChar, 0, 0, n}; }
  static SqlType Varchar(int n) { return {TypeId::kVarchar, 0, 0, n}; }
  static SqlType Text() { return {TypeId::kText}; }
  static SqlType Date() { return {TypeId::kDate}; }
  static SqlType Timestamp() { return {TypeId::kTimestamp}; }
  static SqlType TimestampTz() { return {TypeId::kTimestampTz}; }
  static SqlType Interval() { return {TypeId::kInterval}; }
  static SqlType Time() { return {TypeId::kTime}; }
  static SqlType TimeTz() { return {TypeId::kTimeTz}; }
  static SqlType Super() { return {TypeId::kSuper}; }
  // An array carried as its text literal, of the PostgreSQL array type `pg_array_oid`.
  static SqlType Array(uint32_t pg_array_oid) { return {TypeId::kText, static_cast<int32_t>(pg_array_oid), 0, -1}; }

  PhysicalType physical() const;
  bool is_integer() const { return id == TypeId::kInt16 || id == TypeId::kInt32 || id == TypeId::kInt64; }
  bool is_numeric() const { return is_integer() || id == TypeId::kDecimal || is_float(); }
  bool is_float() const { return id == TypeId::kFloat32 || id == TypeId::kFloat64; }
  bool is_string() const { return id == TypeId::kChar || id == TypeId::kVarchar || id == TypeId::kText; }
  bool is_temporal() const { return id == TypeId::kDate || is_timestamp(); }
  // TIMESTAMP or TIMESTAMPTZ: both int64 microseconds since 2000-01-01.
  bool is_timestamp() const { return id == TypeId::kTimestamp || id == TypeId::kTimestampTz; }
  // TIME or TIMETZ: int64 microseconds since midnight.
  bool is_time() const { return id == TypeId::kTime || id == TypeId::kTimeTz; }
  // The PostgreSQL array type oid of an array carried as text, 0 for any other type.
  uint32_t array_oid() const { return id == TypeId::kText && precision > 0 ? static_cast<uint32_t>(precision) : 0; }

  // PostgreSQL's name for the type as format_type() prints it: "integer", "numeric(12,2)",
  // "character varying(10)", "character(1)", "timestamp without time zone",
  // "timestamp with time zone", "interval", "time without time zone", "time with time zone".
  std::string ToString() const;
  // Wire-protocol facts for RowDescription.
  uint32_t pg_oid() const;
  int16_t pg_typlen() const;
  int32_t pg_typmod() const;

  bool operator==(const SqlType& o) const {
    return id == o.id && precision == o.precision && scale == o.scale && length == o.length;
  }
  bool operator!=(const SqlType& o) const { return !(*this == o); }
};

// Byte width of a fixed-width physical type (sizeof(std::string_view) for strings).
size_t PhysicalWidth(PhysicalType t);

namespace detail {
constexpr std::array<int128, 39> MakePow10Table() {
  std::array<int128, 39> t{};
  t[0] = 1;
  for (int i = 1; i < 39; ++i) t[i] = t[i - 1] * 10;
  return t;
}
inline constexpr std::array<int128, 39> kPow10 = MakePow10Table();
}  // namespace detail

// 10^n as int128, n in [0, 38].
inline int128 Pow10(int n) { return detail::kPow10[n]; }

}  // namespace strata
