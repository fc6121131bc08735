// information_schema.columns: one row per column of every user table and view, its type
// described the SQL standard's way (DescribeStandardType).
#include "catalog/catalog_privileges.h"
#include "planner/expr_builder.h"
#include "planner/identity_columns.h"
#include "server/system_relations/row_writer.h"
#include "server/system_relations/shared_rows.h"
#include "server/system_relations/system_relation_context.h"

namespace strata {
namespace {

void Rows(const SystemRelationContext& ctx, Batch* out) {
  RowWriter w(out);
  std::string db = ctx.Database();
  for (const auto& t : ctx.cat.tables()) {
    // As PostgreSQL: only the columns the reading user holds some privilege on.
    const bool whole = ctx.viewer_is_superuser || ctx.viewer.empty() || TablePrivilegesOf(ctx.cat, t, ctx.viewer) != 0;
    for (int i = 0; i < t.columns_size(); ++i) {
      if (!whole && ColumnPrivilegesOf(ctx.cat, t, i, ctx.viewer) == 0) continue;
      const auto& c = t.columns(i);
      StandardType st = DescribeStandardType(FromProtoType(c.type()));
      std::string def = ColumnDefaultText(t, c);
      // An identity column's sequence, as PostgreSQL describes it (its bounds are the type's).
      bool identity = *IdentityKind(c) != '\0';  // a serial column shows as PostgreSQL shows one
      SqlType type = FromProtoType(c.type());
      auto id_text = [&](int64_t v) { return identity ? S(std::to_string(v)) : kNullValue; };
      bool up = identity && c.identity().increment() > 0;
      w.Add({S(db), S(t.schema()), S(t.name()), S(c.name()), I(i + 1), def.empty() ? kNullValue : S(def),
             S(c.not_null() ? "NO" : "YES"), S(st.data_type), st.char_len, st.char_len, st.precision, st.radix,
             st.scale, st.dt_precision, kNullValue, kNullValue, kNullValue, kNullValue, kNullValue, kNullValue,
             kNullValue, kNullValue, kNullValue, kNullValue, kNullValue, S(db), S("pg_catalog"), S(st.udt),
             kNullValue, kNullValue, kNullValue, kNullValue, S(std::to_string(i + 1)), S("NO"), S(identity ? "YES" : "NO"),
             identity ? S(c.identity().by_default() ? "BY DEFAULT" : "ALWAYS") : kNullValue,
             id_text(identity ? c.identity().start() : 0), id_text(identity ? c.identity().increment() : 0),
             id_text(up ? IdentityMaximum(type) : -1), id_text(up ? 1 : IdentityMinimum(type)), S("NO"), S("NEVER"), kNullValue,
             S(t.is_view() ? "NO" : "YES")});
    }
  }
}

const SystemRelationRegistrar kColumns(
    "information_schema.columns", 12046,
    "table_catalog:n table_schema:n table_name:n column_name:n ordinal_position:i column_default:t "
    "is_nullable:t data_type:t character_maximum_length:i character_octet_length:i numeric_precision:i "
    "numeric_precision_radix:i numeric_scale:i datetime_precision:i interval_type:t interval_precision:i "
    "character_set_catalog:n character_set_schema:n character_set_name:n collation_catalog:n "
    "collation_schema:n collation_name:n domain_catalog:n domain_schema:n domain_name:n udt_catalog:n "
    "udt_schema:n udt_name:n scope_catalog:n scope_schema:n scope_name:n maximum_cardinality:i "
    "dtd_identifier:n is_self_referencing:t is_identity:t identity_generation:t identity_start:t "
    "identity_increment:t identity_maximum:t identity_minimum:t identity_cycle:t is_generated:t "
    "generation_expression:t is_updatable:t",
    Rows);

}  // namespace
}  // namespace strata
