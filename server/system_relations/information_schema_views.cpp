// information_schema.views: one row per view, its definition as pg_views shows it. Strata's
// views are not updatable.
#include "server/system_relations/row_writer.h"
#include "server/system_relations/system_relation_context.h"

namespace strata {
namespace {

void Rows(const SystemRelationContext& ctx, Batch* out) {
  RowWriter w(out);
  std::string db = ctx.Database();
  for (const auto& t : ctx.cat.tables()) {
    if (!t.is_view()) continue;
    w.Add({S(db), S(t.schema()), S(t.name()), S(t.view_sql() + ";"), S("NONE"), S("NO"), S("NO"), S("NO"), S("NO"),
           S("NO")});
  }
}

const SystemRelationRegistrar kViews(
    "information_schema.views", 12050,
    "table_catalog:n table_schema:n table_name:n view_definition:t check_option:t is_updatable:t "
    "is_insertable_into:t is_trigger_updatable:t is_trigger_deletable:t is_trigger_insertable_into:t",
    Rows);

}  // namespace
}  // namespace strata
