// pg_database: Strata's one database, dev (oid 1).
#include "planner/pg_catalog_tables.h"
#include "server/system_relations/row_writer.h"
#include "server/system_relations/system_relation_context.h"

namespace strata {
namespace {

void Rows(const SystemRelationContext&, Batch* out) {
  RowWriter w(out);
  w.Add({I(1), S("dev"), I(kBootstrapUserOid), I(6), S("c"), B(false), B(true), I(-1), I(0), I(0), I(1663), S("C.UTF-8"),
         S("C.UTF-8"), kNullValue, kNullValue, kNullValue});
}

const SystemRelationRegistrar kPgDatabase(
    "pg_database", 1262,
    "oid:o datname:n datdba:o encoding:i datlocprovider:c datistemplate:b datallowconn:b datconnlimit:i "
    "datfrozenxid:o datminmxid:o dattablespace:o datcollate:t datctype:t daticulocale:t datcollversion:t "
    "datacl:A",
    Rows);

}  // namespace
}  // namespace strata
