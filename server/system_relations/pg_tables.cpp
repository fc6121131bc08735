// pg_tables: one row per user table (views are in pg_views), owned by strata.
#include "server/system_relations/row_writer.h"
#include "server/system_relations/system_relation_context.h"

namespace strata {
namespace {

void Rows(const SystemRelationContext& ctx, Batch* out) {
  RowWriter w(out);
  for (const auto& t : ctx.cat.tables()) {
    if (!t.is_view()) w.Add({S(t.schema()), S(t.name()), S("strata"), kNullValue, B(false), B(false), B(false), B(false)});
  }
}

const SystemRelationRegistrar kPgTables(
    "pg_tables", 12018,
    "schemaname:n tablename:n tableowner:n tablespace:n hasindexes:b hasrules:b hastriggers:b rowsecurity:b", Rows);

}  // namespace
}  // namespace strata
