// information_schema.table_constraints: one row per declared PRIMARY KEY, UNIQUE and FOREIGN KEY
// constraint, plus the CHECK PostgreSQL lists for every NOT NULL column (TableConstraints).
#include "server/system_relations/row_writer.h"
#include "server/system_relations/shared_rows.h"
#include "server/system_relations/system_relation_context.h"

namespace strata {
namespace {

void Rows(const SystemRelationContext& ctx, Batch* out) {
  RowWriter w(out);
  std::string db = ctx.Database();
  for (const TableConstraint& c : TableConstraints(ctx.cat)) {
    w.Add({S(db), S(c.schema), S(c.name), S(db), S(c.schema), S(c.table), S(c.type), S("NO"), S("NO"), S("YES"),
           c.type == "UNIQUE" ? S("YES") : kNullValue});
  }
}

const SystemRelationRegistrar kTableConstraints(
    "information_schema.table_constraints", 12047,
    "constraint_catalog:n constraint_schema:n constraint_name:n table_catalog:n table_schema:n table_name:n "
    "constraint_type:t is_deferrable:t initially_deferred:t enforced:t nulls_distinct:t",
    Rows);

}  // namespace
}  // namespace strata
