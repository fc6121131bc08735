// svl_s3partition (Redshift's): for each external table scan of past queries, the partitions
// the leader's pruning kept: total_partitions registered, qualified_partitions after the
// query's predicates on partition columns, and assigned_partitions (here all qualified ones).
// From the leader's entries in the scan log (slice -1, server/external_splits.h).
#include "server/system_relations/row_writer.h"
#include "server/system_relations/system_relation_context.h"

namespace strata {
namespace {

void Rows(const SystemRelationContext& ctx, Batch* out) {
  if (ctx.scans == nullptr) return;
  RowBuilder rb(out);
  for (const auto& row : ctx.scans->Rows()) {
    const plan::ScanStat& s = row.entry;
    if (!s.external() || s.slice() >= 0 || !s.partitioned() || !ctx.Shows(row.user)) continue;
    rb.Int(0, row.query);
    rb.Int(1, s.stage());
    rb.Int(2, -1);
    rb.Int(3, -1);
    rb.Timestamp(4, row.starttime_micros);
    rb.Int(5, s.total_partitions());
    rb.Int(6, s.qualified_partitions());
    rb.Int(7, s.qualified_partitions());
    rb.Str(8, "p");
    rb.Str(9, s.table_name());
    rb.EndRow();
  }
}

const SystemRelationRegistrar kSvlS3Partition("svl_s3partition", kNotInPgClass,
                                              {{"query", SqlType::Int32()},
                                               {"segment", SqlType::Int32()},
                                               {"node", SqlType::Int32()},
                                               {"slice", SqlType::Int32()},
                                               {"starttime", SqlType::Timestamp()},
                                               {"total_partitions", SqlType::Int32()},
                                               {"qualified_partitions", SqlType::Int32()},
                                               {"assigned_partitions", SqlType::Int32()},
                                               {"assignment", SqlType::Char(1)},
                                               {"external_table_name", SqlType::Varchar(136)}},
                                              Rows);

}  // namespace
}  // namespace strata
