// svv_columns (Redshift's): one row per column of every user table and view, its type described
// the SQL standard's way (DescribeStandardType) and its COMMENT as remarks.
#include "planner/expr_builder.h"
#include "server/system_relations/row_writer.h"
#include "server/system_relations/shared_rows.h"
#include "server/system_relations/system_relation_context.h"

namespace strata {
namespace {

void Rows(const SystemRelationContext& ctx, Batch* out) {
  RowWriter w(out);
  std::string db = ctx.Database();
  for (const auto& t : ctx.cat.tables()) {
    for (int i = 0; i < t.columns_size(); ++i) {
      const auto& c = t.columns(i);
      StandardType st = DescribeStandardType(FromProtoType(c.type()));
      std::string def = ColumnDefaultText(t, c);
      // remarks: the column's COMMENT; Redshift leaves it empty rather than NULL without one.
      w.Add({S(db), S(t.schema()), S(t.name()), S(c.name()), I(i + 1), def.empty() ? kNullValue : S(def),
             S(c.not_null() ? "NO" : "YES"), S(st.data_type), st.char_len, st.precision, st.radix, st.scale,
             st.dt_precision, kNullValue, kNullValue, kNullValue, kNullValue, kNullValue, kNullValue, kNullValue,
             kNullValue, kNullValue, S(c.comment())});
    }
  }
}

const SystemRelationRegistrar kSvvColumns(
    "svv_columns", 12040,
    "table_catalog:n table_schema:n table_name:n column_name:n ordinal_position:i column_default:v "
    "is_nullable:v data_type:v character_maximum_length:i numeric_precision:i numeric_precision_radix:i "
    "numeric_scale:i datetime_precision:i interval_type:v interval_precision:v character_set_catalog:n "
    "character_set_schema:n character_set_name:n collation_catalog:n collation_schema:n collation_name:n "
    "domain_name:n remarks:v",
    Rows);

}  // namespace
}  // namespace strata
