// See array_types.h.
#include "sql/array_types.h"

namespace strata {
namespace {

// Oids and names as PostgreSQL 15's pg_type has them. oid and regclass elements are BIGINT,
// as Strata's oid columns are; name elements VARCHAR(128), as the catalogs carry names.
const ArrayTypeInfo kArrayTypes[] = {
    {22, 21, "int2vector", "int2vector", SqlType::Int16(), true},
    {30, 26, "oidvector", "oidvector", SqlType::Int64(), true},
    {1000, 16, "_bool", "boolean[]", SqlType::Bool(), false},
    {1002, 18, "_char", "\"char\"[]", SqlType::Char(1), false},
    {1003, 19, "_name", "name[]", SqlType::Varchar(128), false},
    {1005, 21, "_int2", "smallint[]", SqlType::Int16(), false},
    {1007, 23, "_int4", "integer[]", SqlType::Int32(), false},
    {1009, 25, "_text", "text[]", SqlType::Text(), false},
    {1014, 1042, "_bpchar", "character[]", SqlType::Text(), false},
    {1015, 1043, "_varchar", "character varying[]", SqlType::Text(), false},
    {1016, 20, "_int8", "bigint[]", SqlType::Int64(), false},
    {1021, 700, "_float4", "real[]", SqlType::Float32(), false},
    {1022, 701, "_float8", "double precision[]", SqlType::Float64(), false},
    {1028, 26, "_oid", "oid[]", SqlType::Int64(), false},
    {1034, 1033, "_aclitem", "aclitem[]", SqlType::Text(), false},
    {1115, 1114, "_timestamp", "timestamp without time zone[]", SqlType::Timestamp(), false},
    {1182, 1082, "_date", "date[]", SqlType::Date(), false},
    {1185, 1184, "_timestamptz", "timestamp with time zone[]", SqlType::TimestampTz(), false},
    {2210, 2205, "_regclass", "regclass[]", SqlType::Int64(), false},
    {2211, 2206, "_regtype", "regtype[]", SqlType::Int64(), false},
};

}  // namespace

const ArrayTypeInfo* FindArrayType(uint32_t oid) {
  for (const ArrayTypeInfo& a : kArrayTypes) {
    if (a.oid == oid) return &a;
  }
  return nullptr;
}

const ArrayTypeInfo* FindArrayTypeByName(std::string_view typname) {
  for (const ArrayTypeInfo& a : kArrayTypes) {
    if (typname == a.typname) return &a;
  }
  return nullptr;
}

const ArrayTypeInfo* ArrayTypeOf(const SqlType& element) {
  switch (element.id) {
    case TypeId::kBool: return FindArrayType(1000);
    case TypeId::kInt16: return FindArrayType(1005);
    case TypeId::kInt32: return FindArrayType(1007);
    case TypeId::kInt64: return FindArrayType(1016);
    case TypeId::kFloat32: return FindArrayType(1021);
    case TypeId::kFloat64: return FindArrayType(1022);
    case TypeId::kChar: return FindArrayType(1014);
    case TypeId::kVarchar: return FindArrayType(1015);
    case TypeId::kText: return element.array_oid() == 0 ? FindArrayType(1009) : nullptr;  // no arrays of arrays
    case TypeId::kDate: return FindArrayType(1182);
    case TypeId::kTimestamp: return FindArrayType(1115);
    case TypeId::kTimestampTz: return FindArrayType(1185);
    default: return nullptr;
  }
}

}  // namespace strata
