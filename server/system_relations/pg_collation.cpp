// pg_collation: default, C and POSIX, as PostgreSQL's catalog always has them.
#include "planner/pg_catalog_tables.h"
#include "server/system_relations/row_writer.h"
#include "server/system_relations/system_relation_context.h"

namespace strata {
namespace {

void Rows(const SystemRelationContext&, Batch* out) {
  RowWriter w(out);
  w.Add({I(100), S("default"), I(kPgCatalogNamespaceOid), I(kBootstrapUserOid), S("d"), B(true), I(-1), kNullValue, kNullValue});
  w.Add({I(950), S("C"), I(kPgCatalogNamespaceOid), I(kBootstrapUserOid), S("c"), B(true), I(-1), S("C"), S("C")});
  w.Add({I(951), S("POSIX"), I(kPgCatalogNamespaceOid), I(kBootstrapUserOid), S("c"), B(true), I(-1), S("POSIX"), S("POSIX")});
}

const SystemRelationRegistrar kPgCollation(
    "pg_collation", 3456,
    "oid:o collname:n collnamespace:o collowner:o collprovider:c collisdeterministic:b collencoding:i "
    "collcollate:t collctype:t colliculocale:t collversion:t",
    Rows);

}  // namespace
}  // namespace strata
