// information_schema.tables: one row per user table (BASE TABLE) and view (VIEW) the reading
// user holds some privilege on (a superuser: every one).
#include "server/system_relations/row_writer.h"
#include "server/system_relations/shared_rows.h"
#include "server/system_relations/system_relation_context.h"

namespace strata {
namespace {

void Rows(const SystemRelationContext& ctx, Batch* out) {
  RowWriter w(out);
  std::string db = ctx.Database();
  for (const auto& t : ctx.cat.tables()) {
    if (!ViewerMaySee(ctx.cat, ctx.viewer, ctx.viewer_is_superuser, t)) continue;  // as PostgreSQL: only tables with some privilege
    w.Add({S(db), S(t.schema()), S(t.name()), S(t.is_view() ? "VIEW" : "BASE TABLE"), kNullValue, kNullValue, kNullValue,
           kNullValue, kNullValue, S(t.is_view() ? "NO" : "YES"), S("NO"), kNullValue});
  }
}

const SystemRelationRegistrar kTables(
    "information_schema.tables", 12045,
    "table_catalog:n table_schema:n table_name:n table_type:t self_referencing_column_name:n "
    "reference_generation:t user_defined_type_catalog:n user_defined_type_schema:n "
    "user_defined_type_name:n is_insertable_into:t is_typed:t commit_action:t",
    Rows);

}  // namespace
}  // namespace strata
