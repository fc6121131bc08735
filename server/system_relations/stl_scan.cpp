// stl_scan (Redshift's): one row per table scan step of each slice of past statements, from the
// leader's in-memory log; a user sees its own statements' rows, a superuser everyone's. tbl is
// the table's pg_class oid, as in Redshift, so that it joins with the pg_catalog relations.
#include "planner/pg_catalog_tables.h"
#include "server/system_relations/row_writer.h"
#include "server/system_relations/system_relation_context.h"

namespace strata {
namespace {

void Rows(const SystemRelationContext& ctx, Batch* out) {
  if (ctx.scans == nullptr) return;
  RowBuilder rb(out);
  for (const auto& row : ctx.scans->Rows()) {
    if (!ctx.Shows(row.user) || row.entry.slice() < 0) continue;  // slice -1: the leader's listing of an external scan
    const plan::ScanStat& s = row.entry;
    rb.Int(0, row.query);
    rb.Int(1, s.slice());
    rb.Int(2, s.stage());
    rb.Int(3, TableOid(s.table_id()));
    rb.Str(4, s.table_name().substr(0, 136));
    rb.Int(5, s.rows());
    rb.Int(6, s.rows_pre_filter());
    rb.Int(7, s.blocks_read());
    rb.Int(8, s.blocks_skipped());
    rb.Timestamp(9, row.starttime_micros);
    rb.EndRow();
  }
}

const SystemRelationRegistrar kStlScan("stl_scan", kNotInPgClass,
                                       {{"query", SqlType::Int32()},
                                        {"slice", SqlType::Int32()},
                                        {"segment", SqlType::Int32()},
                                        {"tbl", SqlType::Int32()},
                                        {"perm_table_name", SqlType::Char(136)},
                                        {"rows", SqlType::Int64()},
                                        {"rows_pre_filter", SqlType::Int64()},
                                        {"blocks_read", SqlType::Int64()},
                                        {"blocks_skipped", SqlType::Int64()},
                                        {"starttime", SqlType::Timestamp()}},
                                       Rows);

}  // namespace
}  // namespace strata
