// pg_attrdef: one row per column with a DEFAULT, its text as pg_get_expr prints it.
#include "planner/pg_catalog_tables.h"
#include "server/system_relations/row_writer.h"
#include "server/system_relations/shared_rows.h"
#include "server/system_relations/system_relation_context.h"

namespace strata {
namespace {

void Rows(const SystemRelationContext& ctx, Batch* out) {
  RowWriter w(out);
  for (const auto& t : ctx.cat.tables()) {
    for (int i = 0; i < t.columns_size(); ++i) {
      if (!ShowsDefault(t.columns(i))) continue;
      w.Add({I(TableOid(t.id()) * 1000 + i + 1), I(TableOid(t.id())), I(i + 1), S(ColumnDefaultText(t, t.columns(i)))});
    }
  }
}

const SystemRelationRegistrar kPgAttrdef("pg_attrdef", 2604, "oid:o adrelid:o adnum:s adbin:t", Rows);

}  // namespace
}  // namespace strata
