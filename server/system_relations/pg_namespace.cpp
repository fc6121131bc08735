// pg_namespace: pg_catalog, public and information_schema, then the schemas holding user tables.
#include "planner/pg_catalog_tables.h"
#include "server/system_relations/row_writer.h"
#include "server/system_relations/system_relation_context.h"

namespace strata {
namespace {

void Rows(const SystemRelationContext& ctx, Batch* out) {
  RowWriter w(out);
  w.Add({I(kPgCatalogNamespaceOid), S("pg_catalog"), I(kBootstrapUserOid)});
  // Everyone may use public, as in PostgreSQL 15 (so pg_dump writes no GRANT or REVOKE for it).
  w.Add({I(kPublicNamespaceOid), S("public"), I(kBootstrapUserOid), S("{strata=UC/strata,=U/strata}")});
  w.Add({I(kInformationSchemaNamespaceOid), S("information_schema"), I(kBootstrapUserOid)});
  std::vector<std::string> schemas = UserSchemas(ctx.cat);
  for (const auto& s : schemas) w.Add({I(NamespaceOid(s, schemas)), S(s), I(kBootstrapUserOid)});
}

const SystemRelationRegistrar kPgNamespace("pg_namespace", 2615, "oid:o nspname:n nspowner:o nspacl:A", Rows);

}  // namespace
}  // namespace strata
