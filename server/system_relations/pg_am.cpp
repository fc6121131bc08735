// pg_am: the access methods pg_class.relam names: heap for tables, btree for the key indexes.
#include "server/system_relations/row_writer.h"
#include "server/system_relations/system_relation_context.h"

namespace strata {
namespace {

void Rows(const SystemRelationContext&, Batch* out) {
  RowWriter w(out);
  w.Add({I(2), S("heap"), I(3), S("t")});
  w.Add({I(403), S("btree"), I(330), S("i")});
}

const SystemRelationRegistrar kPgAm("pg_am", 2601, "oid:o amname:n amhandler:o amtype:c", Rows);

}  // namespace
}  // namespace strata
