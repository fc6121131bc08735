// pg_views: one row per view, its definition the SQL CREATE VIEW stored.
#include "server/system_relations/row_writer.h"
#include "server/system_relations/system_relation_context.h"

namespace strata {
namespace {

void Rows(const SystemRelationContext& ctx, Batch* out) {
  RowWriter w(out);
  for (const auto& t : ctx.cat.tables()) {
    if (t.is_view()) w.Add({S(t.schema()), S(t.name()), S("strata"), S(t.view_sql() + ";")});  // ends with ';' as PostgreSQL's does
  }
}

const SystemRelationRegistrar kPgViews("pg_views", 12017, "schemaname:n viewname:n viewowner:n definition:t", Rows);

}  // namespace
}  // namespace strata
