// information_schema.key_column_usage: one row per column of each PRIMARY KEY, UNIQUE and
// FOREIGN KEY constraint (TableConstraints), a foreign key's with its position in the key it
// references.
#include "server/system_relations/row_writer.h"
#include "server/system_relations/shared_rows.h"
#include "server/system_relations/system_relation_context.h"

namespace strata {
namespace {

void Rows(const SystemRelationContext& ctx, Batch* out) {
  RowWriter w(out);
  std::string db = ctx.Database();
  for (const TableConstraint& c : TableConstraints(ctx.cat)) {
    if (c.type != "PRIMARY KEY" && c.type != "UNIQUE" && c.type != "FOREIGN KEY") continue;
    for (size_t k = 0; k < c.columns.size(); ++k) {
      CatalogValue unique_pos = k < c.referenced_positions.size() ? I(c.referenced_positions[k]) : kNullValue;
      w.Add({S(db), S(c.schema), S(c.name), S(db), S(c.schema), S(c.table), S(c.columns[k]),
             I(static_cast<int64_t>(k) + 1), unique_pos});
    }
  }
}

const SystemRelationRegistrar kKeyColumnUsage(
    "information_schema.key_column_usage", 12048,
    "constraint_catalog:n constraint_schema:n constraint_name:n table_catalog:n table_schema:n table_name:n "
    "column_name:n ordinal_position:i position_in_unique_constraint:i",
    Rows);

}  // namespace
}  // namespace strata
