// information_schema.schemata: information_schema, pg_catalog, public and the user schemas,
// sorted by name.
#include <algorithm>

#include "planner/pg_catalog_tables.h"
#include "server/system_relations/row_writer.h"
#include "server/system_relations/system_relation_context.h"

namespace strata {
namespace {

void Rows(const SystemRelationContext& ctx, Batch* out) {
  RowWriter w(out);
  std::string db = ctx.Database();
  std::vector<std::string> all = {"information_schema", "pg_catalog", "public"};
  for (const auto& s : UserSchemas(ctx.cat)) all.push_back(s);
  std::sort(all.begin(), all.end());
  for (const auto& s : all) w.Add({S(db), S(s), S("strata"), kNullValue, kNullValue, kNullValue, kNullValue});
}

const SystemRelationRegistrar kSchemata(
    "information_schema.schemata", 12049,
    "catalog_name:n schema_name:n schema_owner:n default_character_set_catalog:n "
    "default_character_set_schema:n default_character_set_name:n sql_path:t",
    Rows);

}  // namespace
}  // namespace strata
