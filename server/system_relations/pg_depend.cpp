// pg_depend: what each view reads (one 'n' row per table or view its query names, found by
// parsing the stored definition and resolving the names along the view's search path). Other
// objects Strata has (keys, columns) depend on their tables in ways pg_dump and psql already
// infer, so only views are listed. pg_dump orders its CREATE VIEWs after their tables by these.
#include "planner/pg_catalog_tables.h"
#include "planner/view_references.h"
#include "server/system_relations/row_writer.h"
#include "server/system_relations/system_relation_context.h"

namespace strata {
namespace {

void Rows(const SystemRelationContext& ctx, Batch* out) {
  RowWriter w(out);
  const int64_t pg_class = SystemRelationOid("pg_class");
  for (const auto& view : ctx.cat.tables()) {
    if (!view.is_view()) continue;
    for (int64_t read : ViewReads(ctx.cat, view)) {
      w.Add({I(pg_class), I(TableOid(view.id())), I(0), I(pg_class), I(TableOid(read)), I(0), S("n")});
    }
  }
}

const SystemRelationRegistrar kPgDepend(
    "pg_depend", 2608, "classid:o objid:o objsubid:i refclassid:o refobjid:o refobjsubid:i deptype:c", Rows);

}  // namespace
}  // namespace strata
