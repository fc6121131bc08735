// stv_blocklist (Redshift's): one row per stored block of every table, as the compute nodes'
// manifests list them (asked over RPC at query time). tbl is the table's pg_class oid, as in
// Redshift, so that it joins with the pg_catalog relations.
#include "planner/pg_catalog_tables.h"
#include "server/system_relations/row_writer.h"
#include "server/system_relations/shared_rows.h"
#include "server/system_relations/system_relation_context.h"

namespace strata {
namespace {

void Rows(const SystemRelationContext& ctx, Batch* out) {
  RowBuilder rb(out);
  for (const auto& r : ctx.cluster->AllTableBlocks(ctx.cat)) {
    rb.Int(0, r.slice());
    rb.Int(1, r.col());
    rb.Int(2, TableOid(r.tbl()));
    rb.Int(3, r.blocknum());
    rb.Int(4, r.num_values());
    rb.Int(5, r.minvalue());
    rb.Int(6, r.maxvalue());
    rb.Int(7, r.size_bytes());
    rb.EndRow();
  }
}

const SystemRelationRegistrar kStvBlocklist("stv_blocklist", kNotInPgClass,
                                            {{"slice", SqlType::Int32()},
                                             {"col", SqlType::Int32()},
                                             {"tbl", SqlType::Int64()},
                                             {"blocknum", SqlType::Int32()},
                                             {"num_values", SqlType::Int64()},
                                             {"minvalue", SqlType::Int64()},
                                             {"maxvalue", SqlType::Int64()},
                                             {"size_bytes", SqlType::Int64()}},
                                            Rows);

}  // namespace
}  // namespace strata
