#include "planner/type_coercion.h"

#include <algorithm>

#include "planner/function_catalog.h"

namespace strata {

namespace {
int IntegerRank(TypeId id) {
  return id == TypeId::kInt16 ? 1 : id == TypeId::kInt32 ? 2 : 3;
}
SqlType WiderInteger(const SqlType& a, const SqlType& b) {
  return IntegerRank(a.id) >= IntegerRank(b.id) ? SqlType{a.id} : SqlType{b.id};
}
SqlType MergeDecimals(const SqlType& a, const SqlType& b) {
  int scale = std::max(a.scale, b.scale);
  int int_digits = std::max(a.precision - a.scale, b.precision - b.scale);
  return SqlType::Decimal(std::min(kMaxDecimalPrecision, int_digits + scale), scale);
}
}  // namespace

SqlType IntegerAsDecimal(const SqlType& t) {
  switch (t.id) {
    case TypeId::kInt16: return SqlType::Decimal(5, 0);
    case TypeId::kInt32: return SqlType::Decimal(10, 0);
    case TypeId::kInt64: return SqlType::Decimal(19, 0);
    default: return t;
  }
}

std::optional<SqlType> CommonType(const SqlType& a, const SqlType& b) {
  if (a.id == TypeId::kNull) return b.id == TypeId::kNull ? SqlType::Text() : b;
  if (b.id == TypeId::kNull) return a;
  if (a.id == TypeId::kSuper || b.id == TypeId::kSuper) {  // SUPER holds any number, string or boolean
    const SqlType& other = a.id == TypeId::kSuper ? b : a;
    if (other.id == TypeId::kSuper || other.is_numeric() || other.is_string() || other.id == TypeId::kBool) {
      return SqlType::Super();
    }
    return std::nullopt;
  }
  if (a.is_integer() && b.is_integer()) return WiderInteger(a, b);
  if (a.is_numeric() && b.is_numeric()) {
    if (a.is_float() || b.is_float()) {
      return (a.id == TypeId::kFloat32 && b.id == TypeId::kFloat32) ? SqlType::Float32() : SqlType::Float64();
    }
    return MergeDecimals(IntegerAsDecimal(a), IntegerAsDecimal(b));
  }
  if (a.is_string() && b.is_string()) {
    if (a.id == TypeId::kChar && b.id == TypeId::kChar) return SqlType::Char(std::max(a.length, b.length));
    if (a.id == TypeId::kVarchar && b.id == TypeId::kVarchar) {
      return SqlType::Varchar(a.length < 0 || b.length < 0 ? -1 : std::max(a.length, b.length));
    }
    if (a.id == TypeId::kChar || b.id == TypeId::kChar) {
      // bpchar against varchar/text compares as text in PostgreSQL only when explicitly cast;
      // with a literal it stays bpchar. Keep bpchar semantics when one side is CHAR.
      return SqlType::Char(std::max(a.length, b.length));
    }
    return SqlType::Text();
  }
  if (a.is_temporal() && b.is_temporal()) {
    if (a.id == b.id) return a;
    return a.id == TypeId::kTimestampTz || b.id == TypeId::kTimestampTz ? SqlType::TimestampTz() : SqlType::Timestamp();
  }
  if (a.id == TypeId::kBool && b.id == TypeId::kBool) return a;
  if (a.id == TypeId::kInterval && b.id == TypeId::kInterval) return a;
  if (a.is_time() && b.is_time()) return a.id == b.id ? a : SqlType::TimeTz();
  // PostgreSQL casts time to interval implicitly.
  if ((a.id == TypeId::kTime && b.id == TypeId::kInterval) || (a.id == TypeId::kInterval && b.id == TypeId::kTime)) {
    return SqlType::Interval();
  }
  return std::nullopt;
}

std::optional<SqlType> ArithmeticType(plan::Op op, const SqlType& a, const SqlType& b) {
  if (!a.is_numeric() || !b.is_numeric()) return std::nullopt;
  if (a.is_float() || b.is_float()) {
    return (a.id == TypeId::kFloat32 && b.id == TypeId::kFloat32) ? SqlType::Float32() : SqlType::Float64();
  }
  if (a.is_integer() && b.is_integer()) return WiderInteger(a, b);
  return DecimalResultType(op, IntegerAsDecimal(a), IntegerAsDecimal(b));
}

}  // namespace strata
