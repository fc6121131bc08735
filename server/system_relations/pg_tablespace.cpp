// pg_tablespace: pg_default and pg_global, as PostgreSQL's catalog always has them.
#include "planner/pg_catalog_tables.h"
#include "server/system_relations/row_writer.h"
#include "server/system_relations/system_relation_context.h"

namespace strata {
namespace {

void Rows(const SystemRelationContext&, Batch* out) {
  RowWriter w(out);
  w.Add({I(1663), S("pg_default"), I(kBootstrapUserOid)});
  w.Add({I(1664), S("pg_global"), I(kBootstrapUserOid)});
}

const SystemRelationRegistrar kPgTablespace("pg_tablespace", 1213, "oid:o spcname:n spcowner:o spcacl:A spcoptions:a",
                                            Rows);

}  // namespace
}  // namespace strata
