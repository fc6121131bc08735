// pg_proc: the functions Strata's binder knows, for tools that list them (\df shows only
// non-pg_catalog ones): scalar functions from oid 9000, then the aggregates.
#include "planner/pg_catalog_tables.h"
#include "server/system_relations/row_writer.h"
#include "server/system_relations/system_relation_context.h"

namespace strata {
namespace {

void Rows(const SystemRelationContext&, Batch* out) {
  RowWriter w(out);
  int64_t oid = 9000;
  for (const char* f : {"lower", "upper", "length", "substring", "trim", "abs", "round", "coalesce", "nullif",
                        "date_part", "format_type", "version", "current_database", "current_schema"}) {
    w.Add({I(oid++), S(f), I(kPgCatalogNamespaceOid), I(kBootstrapUserOid), I(12), F(1), F(0), I(0), I(0), S("f"),
           B(false), B(false), B(false), B(false), S("i"), S("s"), I(0), I(0), I(25)});
  }
  for (const char* f : {"count", "sum", "avg", "min", "max"}) {
    w.Add({I(oid++), S(f), I(kPgCatalogNamespaceOid), I(kBootstrapUserOid), I(12), F(1), F(0), I(0), I(0), S("a"),
           B(false), B(false), B(false), B(false), S("i"), S("s"), I(1), I(0), I(20)});
  }
}

const SystemRelationRegistrar kPgProc(
    "pg_proc", 1255,
    "oid:o proname:n pronamespace:o proowner:o prolang:o procost:f prorows:f provariadic:o prosupport:o "
    "prokind:c prosecdef:b proleakproof:b proisstrict:b proretset:b provolatile:c proparallel:c pronargs:s "
    "pronargdefaults:s prorettype:o proargtypes:W proallargtypes:O proargmodes:C proargnames:a "
    "proargdefaults:t protrftypes:O prosrc:t probin:t prosqlbody:t proconfig:a proacl:A",
    Rows);

}  // namespace
}  // namespace strata
