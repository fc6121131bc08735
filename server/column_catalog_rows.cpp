// See column_catalog_rows.h. Both relations share StandardType, the SQL standard's
// description of a Strata type: character varying(n) has character_maximum_length n; an
// integer has binary precision 16/32/64 with radix 2 and scale 0; numeric(p,s) decimal
// precision p, radix 10, scale s; real / double precision binary precision 24 / 53; date and
// timestamps a datetime_precision (0 for date, 6 otherwise).
#include "server/column_catalog_rows.h"

#include "planner/expr_builder.h"
#include "planner/physical_planner.h"

namespace strata {
namespace {

struct StandardType {
  std::string data_type;  // information_schema.columns.data_type
  std::string udt;        // PostgreSQL's type name (udt_name)
  CatalogValue char_len = kNullValue, precision = kNullValue, radix = kNullValue, scale = kNullValue,
               dt_precision = kNullValue;
};

StandardType Describe(const SqlType& type) {
  StandardType s;
  s.data_type = type.ToString();
  switch (type.id) {
    case TypeId::kChar: s.data_type = "character"; s.udt = "bpchar"; break;
    case TypeId::kVarchar: case TypeId::kText: s.data_type = "character varying"; s.udt = "varchar"; break;
    case TypeId::kDecimal: s.data_type = "numeric"; s.udt = "numeric"; break;
    case TypeId::kTimestamp: s.udt = "timestamp"; break;
    case TypeId::kTimestampTz: s.udt = "timestamptz"; break;
    case TypeId::kInt16: s.udt = "int2"; break;
    case TypeId::kInt32: s.udt = "int4"; break;
    case TypeId::kInt64: s.udt = "int8"; break;
    case TypeId::kFloat32: s.udt = "float4"; break;
    case TypeId::kFloat64: s.udt = "float8"; break;
    case TypeId::kBool: s.udt = "bool"; break;
    case TypeId::kDate: s.udt = "date"; break;
    default: s.udt = s.data_type; break;
  }
  if (type.is_string() && type.length >= 0) s.char_len = I(type.length);
  if (type.id == TypeId::kDecimal) {
    s.precision = I(type.precision);
    s.radix = I(10);
    s.scale = I(type.scale);
  } else if (type.is_integer()) {
    s.precision = I(type.id == TypeId::kInt16 ? 16 : type.id == TypeId::kInt32 ? 32 : 64);
    s.radix = I(2);
    s.scale = I(0);
  } else if (type.is_float()) {
    s.precision = I(type.id == TypeId::kFloat32 ? 24 : 53);
    s.radix = I(2);
  } else if (type.is_temporal()) {
    s.dt_precision = I(type.id == TypeId::kDate ? 0 : 6);
  }
  return s;
}

}  // namespace

void FillInformationSchemaColumns(const catalog::Catalog& cat, const std::string& db, RowWriter& w) {
  for (const auto& t : cat.tables()) {
    for (int i = 0; i < t.columns_size(); ++i) {
      const auto& c = t.columns(i);
      StandardType st = Describe(FromProtoType(c.type()));
      std::string def = ColumnDefaultText(c);
      w.Add({S(db), S(t.schema()), S(t.name()), S(c.name()), I(i + 1), def.empty() ? kNullValue : S(def),
             S(c.not_null() ? "NO" : "YES"), S(st.data_type), st.char_len, st.char_len, st.precision, st.radix,
             st.scale, st.dt_precision, kNullValue, kNullValue, kNullValue, kNullValue, kNullValue, kNullValue,
             kNullValue, kNullValue, kNullValue, kNullValue, kNullValue, S(db), S("pg_catalog"), S(st.udt),
             kNullValue, kNullValue, kNullValue, kNullValue, S(std::to_string(i + 1)), S("NO"), S("NO"), kNullValue,
             kNullValue, kNullValue, kNullValue, kNullValue, S("NO"), S("NEVER"), kNullValue,
             S(t.is_view() ? "NO" : "YES")});
    }
  }
}

void FillSvvColumns(const catalog::Catalog& cat, const std::string& db, RowWriter& w) {
  for (const auto& t : cat.tables()) {
    for (int i = 0; i < t.columns_size(); ++i) {
      const auto& c = t.columns(i);
      StandardType st = Describe(FromProtoType(c.type()));
      std::string def = ColumnDefaultText(c);
      // remarks: the column's COMMENT; Redshift leaves it empty rather than NULL without one.
      w.Add({S(db), S(t.schema()), S(t.name()), S(c.name()), I(i + 1), def.empty() ? kNullValue : S(def),
             S(c.not_null() ? "NO" : "YES"), S(st.data_type), st.char_len, st.precision, st.radix, st.scale,
             st.dt_precision, kNullValue, kNullValue, kNullValue, kNullValue, kNullValue, kNullValue, kNullValue,
             kNullValue, kNullValue, S(c.comment())});
    }
  }
}

}  // namespace strata
