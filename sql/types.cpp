#include "sql/types.h"

#include "sql/array_types.h"

#include <string_view>

namespace strata {

PhysicalType SqlType::physical() const {
  switch (id) {
    case TypeId::kBool: return PhysicalType::kBool;
    case TypeId::kInt16: return PhysicalType::kInt16;
    case TypeId::kInt32: case TypeId::kDate: return PhysicalType::kInt32;
    case TypeId::kInt64: case TypeId::kTimestamp: case TypeId::kTimestampTz: case TypeId::kTime: case TypeId::kTimeTz:
      return PhysicalType::kInt64;
    case TypeId::kInterval: return PhysicalType::kInt128;
    case TypeId::kDecimal: return precision <= 18 ? PhysicalType::kInt64 : PhysicalType::kInt128;
    case TypeId::kFloat32: return PhysicalType::kFloat32;
    case TypeId::kFloat64: return PhysicalType::kFloat64;
    case TypeId::kNull: return PhysicalType::kBool;
    case TypeId::kChar: case TypeId::kVarchar: case TypeId::kText: case TypeId::kSuper: return PhysicalType::kString;
  }
  return PhysicalType::kBool;
}

std::string SqlType::ToString() const {
  switch (id) {
    case TypeId::kNull: return "unknown";
    case TypeId::kBool: return "boolean";
    case TypeId::kInt16: return "smallint";
    case TypeId::kInt32: return "integer";
    case TypeId::kInt64: return "bigint";
    case TypeId::kDecimal:
      return "numeric(" + std::to_string(precision) + "," + std::to_string(scale) + ")";
    case TypeId::kFloat32: return "real";
    case TypeId::kFloat64: return "double precision";
    case TypeId::kChar: return "character(" + std::to_string(length) + ")";
    case TypeId::kVarchar:
      return length < 0 ? "character varying" : "character varying(" + std::to_string(length) + ")";
    case TypeId::kText: {
      const ArrayTypeInfo* a = FindArrayType(array_oid());
      return a != nullptr ? a->type_name : "text";
    }
    case TypeId::kDate: return "date";
    case TypeId::kTimestamp: return "timestamp without time zone";
    case TypeId::kTimestampTz: return "timestamp with time zone";
    case TypeId::kInterval: return "interval";
    case TypeId::kTime: return "time without time zone";
    case TypeId::kTimeTz: return "time with time zone";
    case TypeId::kSuper: return "super";
  }
  return "unknown";
}

uint32_t SqlType::pg_oid() const {
  switch (id) {
    case TypeId::kNull: return 25;  // text, as PostgreSQL reports an unknown literal result
    case TypeId::kBool: return 16;
    case TypeId::kInt16: return 21;
    case TypeId::kInt32: return 23;
    case TypeId::kInt64: return 20;
    case TypeId::kDecimal: return 1700;
    case TypeId::kFloat32: return 700;
    case TypeId::kFloat64: return 701;
    case TypeId::kChar: return 1042;
    case TypeId::kVarchar: return 1043;
    case TypeId::kText: return precision > 0 ? static_cast<uint32_t>(precision) : 25;
    case TypeId::kDate: return 1082;
    case TypeId::kTimestamp: return 1114;
    case TypeId::kTimestampTz: return 1184;
    case TypeId::kInterval: return 1186;
    case TypeId::kTime: return 1083;
    case TypeId::kTimeTz: return 1266;
    case TypeId::kSuper: return 4000;  // Redshift's oid for SUPER
  }
  return 25;
}

int16_t SqlType::pg_typlen() const {
  switch (id) {
    case TypeId::kBool: return 1;
    case TypeId::kInt16: return 2;
    case TypeId::kInt32: case TypeId::kDate: case TypeId::kFloat32: return 4;
    case TypeId::kInt64: case TypeId::kTimestamp: case TypeId::kTimestampTz: case TypeId::kFloat64: case TypeId::kTime:
      return 8;
    case TypeId::kTimeTz: return 12;
    case TypeId::kInterval: return 16;
    default: return -1;
  }
}

int32_t SqlType::pg_typmod() const {
  switch (id) {
    case TypeId::kDecimal: return ((precision << 16) | scale) + 4;
    case TypeId::kChar: case TypeId::kVarchar: return length < 0 ? -1 : length + 4;
    default: return -1;
  }
}

size_t PhysicalWidth(PhysicalType t) {
  switch (t) {
    case PhysicalType::kBool: return 1;
    case PhysicalType::kInt16: return 2;
    case PhysicalType::kInt32: return 4;
    case PhysicalType::kInt64: return 8;
    case PhysicalType::kInt128: return 16;
    case PhysicalType::kFloat32: return 4;
    case PhysicalType::kFloat64: return 8;
    case PhysicalType::kString: return sizeof(std::string_view);
  }
  return 8;
}


}  // namespace strata
