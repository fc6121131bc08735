// ResolveTypeName: a type as written (PostgreSQL's internal spelling from the grammar, or a name
// the user typed, or a Redshift alias) -> Strata's SqlType, applying Redshift's defaults and
// limits: DECIMAL precision 1..38 (bare = 18,0), CHAR 1..4096 bytes (bare = 1), VARCHAR
// 1..65535 bytes (bare = 256), TEXT = VARCHAR(256), BPCHAR = CHAR(256).
#include <string_view>

#include "sql/error.h"
#include "sql/parser.h"

namespace strata {
namespace {

constexpr int kMaxCharLength = 4096;
constexpr int kMaxVarcharLength = 65535;
constexpr int kDefaultVarcharLength = 256;

enum class Family { kNone, kInt16, kInt32, kInt64, kDecimal, kFloat32, kFloat64, kBool, kChar, kBpchar, kVarchar,
                    kText, kDate, kTimestamp, kTimestampTz, kInterval, kTime, kTimeTz, kSuper };

struct NameEntry {
  std::string_view name;
  Family family;
};

constexpr NameEntry kNames[] = {
    {"int2", Family::kInt16}, {"smallint", Family::kInt16},
    {"int4", Family::kInt32}, {"int", Family::kInt32}, {"integer", Family::kInt32},
    {"int8", Family::kInt64}, {"bigint", Family::kInt64},
    {"numeric", Family::kDecimal}, {"decimal", Family::kDecimal},
    {"float4", Family::kFloat32}, {"real", Family::kFloat32},
    {"float8", Family::kFloat64}, {"float", Family::kFloat64}, {"double precision", Family::kFloat64},
    {"bool", Family::kBool}, {"boolean", Family::kBool},
    {"char", Family::kChar}, {"character", Family::kChar}, {"nchar", Family::kChar},
    {"bpchar", Family::kBpchar},
    {"varchar", Family::kVarchar}, {"character varying", Family::kVarchar}, {"nvarchar", Family::kVarchar},
    {"text", Family::kText},
    {"date", Family::kDate},
    {"timestamp", Family::kTimestamp}, {"timestamp without time zone", Family::kTimestamp},
    {"timestamptz", Family::kTimestampTz}, {"timestamp with time zone", Family::kTimestampTz},
    {"interval", Family::kInterval},
    {"time", Family::kTime}, {"time without time zone", Family::kTime},
    {"timetz", Family::kTimeTz}, {"time with time zone", Family::kTimeTz},
    {"super", Family::kSuper},
    // A cursor's name (PostgreSQL's refcursor: procedures' cursor arguments and variables).
    {"refcursor", Family::kVarchar},
};

// PostgreSQL types that exist but that Strata does not store (yet).
constexpr std::string_view kUnsupported[] = {
    "bytea", "json", "jsonb", "uuid", "oid", "name", "geometry", "geography",
    "varbyte", "hllsketch"};

Family Lookup(std::string_view name) {
  for (const NameEntry& e : kNames) {
    if (e.name == name) return e.family;
  }
  return Family::kNone;
}

void NoModifiers(const ast::TypeName& t) {
  if (!t.mods.empty()) FailAt(sqlstate::kSyntaxError, StrCat("type modifier is not allowed for type \"", t.name, "\""), t.location);
}

int Length(const ast::TypeName& t, const char* what, int max, int bare) {
  if (t.mods.empty()) return bare;
  if (t.mods.size() > 1) FailAt(sqlstate::kSyntaxError, StrCat("invalid type modifier for type \"", t.name, "\""), t.location);
  int n = t.mods[0];
  if (n < 1) FailAt(sqlstate::kInvalidParameterValue, StrCat("length for type ", what, " must be at least 1"), t.location);
  if (n > max) FailAt(sqlstate::kInvalidParameterValue, StrCat("length for type ", what, " cannot exceed ", max), t.location);
  return n;
}

SqlType Decimal(const ast::TypeName& t) {
  if (t.mods.empty()) return SqlType::Decimal(kDefaultDecimalPrecision, 0);
  if (t.mods.size() > 2) FailAt(sqlstate::kSyntaxError, "invalid NUMERIC type modifier", t.location);
  int precision = t.mods[0];
  int scale = t.mods.size() == 2 ? t.mods[1] : 0;
  if (precision < 1 || precision > kMaxDecimalPrecision) {
    FailAt(sqlstate::kInvalidParameterValue,
         StrCat("NUMERIC precision ", precision, " must be between 1 and ", kMaxDecimalPrecision), t.location);
  }
  if (scale < 0 || scale > precision) {
    FailAt(sqlstate::kInvalidParameterValue,
         StrCat("NUMERIC scale ", scale, " must be between 0 and precision ", precision), t.location);
  }
  return SqlType::Decimal(precision, scale);
}

}  // namespace

SqlType ResolveTypeName(const ast::TypeName& t) {
  switch (Lookup(t.name)) {
    case Family::kInt16: NoModifiers(t); return SqlType::Int16();
    case Family::kInt32: NoModifiers(t); return SqlType::Int32();
    case Family::kInt64: NoModifiers(t); return SqlType::Int64();
    case Family::kDecimal: return Decimal(t);
    case Family::kFloat32: NoModifiers(t); return SqlType::Float32();
    case Family::kFloat64: NoModifiers(t); return SqlType::Float64();
    case Family::kBool: NoModifiers(t); return SqlType::Bool();
    case Family::kChar: return SqlType::Char(Length(t, "character", kMaxCharLength, 1));
    case Family::kBpchar: return SqlType::Char(Length(t, "character", kMaxCharLength, kDefaultVarcharLength));
    case Family::kVarchar:
      return SqlType::Varchar(Length(t, "character varying", kMaxVarcharLength, kDefaultVarcharLength));
    case Family::kText: NoModifiers(t); return SqlType::Varchar(kDefaultVarcharLength);
    case Family::kDate: NoModifiers(t); return SqlType::Date();
    case Family::kTimestamp:
      // TIMESTAMP(p): Strata always keeps microseconds; accept p in PostgreSQL's range.
      if (t.mods.size() > 1 || (t.mods.size() == 1 && (t.mods[0] < 0 || t.mods[0] > 6))) {
        FailAt(sqlstate::kInvalidParameterValue, "TIMESTAMP precision must be between 0 and 6", t.location);
      }
      return SqlType::Timestamp();
    case Family::kTimestampTz:
      if (t.mods.size() > 1 || (t.mods.size() == 1 && (t.mods[0] < 0 || t.mods[0] > 6))) {
        FailAt(sqlstate::kInvalidParameterValue, "TIMESTAMP(p) WITH TIME ZONE precision must be between 0 and 6", t.location);
      }
      return SqlType::TimestampTz();
    case Family::kInterval:
      // INTERVAL fields (DAY, HOUR TO MINUTE, ...) and a seconds precision: Strata keeps every
      // field and microseconds, so the modifiers are accepted and only shape constants.
      return SqlType::Interval();
    case Family::kTime:
    case Family::kTimeTz:
      if (t.mods.size() > 1 || (t.mods.size() == 1 && (t.mods[0] < 0 || t.mods[0] > 6))) {
        FailAt(sqlstate::kInvalidParameterValue, "TIME precision must be between 0 and 6", t.location);
      }
      return Lookup(t.name) == Family::kTime ? SqlType::Time() : SqlType::TimeTz();
    case Family::kSuper: NoModifiers(t); return SqlType::Super();
    case Family::kNone:
      break;
  }
  for (std::string_view u : kUnsupported) {
    if (u == t.name) FailAt(sqlstate::kFeatureNotSupported, StrCat("type ", t.name, " is not supported yet"), t.location);
  }
  FailAt(sqlstate::kUndefinedObject, StrCat("type \"", t.name, "\" does not exist"), t.location);
}

}  // namespace strata
