// svv_snapshots (Strata's; Redshift shows the same through DescribeClusterSnapshots): one row per
// snapshot in the cluster's snapshot location, complete, in progress or failed
// (server/snapshot_service.h). Superusers only see rows, as snapshots are a superuser's business.
#include "server/snapshot_service.h"
#include "server/system_relations/row_writer.h"
#include "server/system_relations/system_relation_context.h"

namespace strata {
namespace {

void NullableTimestamp(RowBuilder& rb, size_t col, int64_t micros) {
  rb.Timestamp(col, micros);
  if (micros == 0) rb.batch.columns[col].SetNull(rb.batch.columns[col].size() - 1, true);
}

void Rows(const SystemRelationContext& ctx, Batch* out) {
  if (ctx.snapshots == nullptr || !ctx.viewer_is_superuser || !ctx.snapshots->configured()) return;
  RowBuilder rb(out);
  for (const SnapshotRow& s : ctx.snapshots->Rows()) {
    rb.Str(0, s.name);
    rb.Str(1, s.type);
    rb.Str(2, s.status);
    NullableTimestamp(rb, 3, s.start_time);
    NullableTimestamp(rb, 4, s.end_time);
    rb.Int(5, s.commit_id);
    rb.Int(6, s.table_count);
    rb.Int(7, s.total_bytes);
    rb.Int(8, s.uploaded_bytes);
    rb.Int(9, s.retention_days);
    NullableTimestamp(rb, 10, s.expires_at);
    rb.EndRow();
  }
}

const SystemRelationRegistrar kSvvSnapshots("svv_snapshots", kNotInPgClass,
                                            {{"snapshot_name", SqlType::Varchar(255)},
                                             {"snapshot_type", SqlType::Varchar(16)},
                                             {"status", SqlType::Varchar(16)},
                                             {"start_time", SqlType::Timestamp()},
                                             {"end_time", SqlType::Timestamp()},
                                             {"commit_id", SqlType::Int64()},
                                             {"table_count", SqlType::Int64()},
                                             {"total_bytes", SqlType::Int64()},
                                             {"uploaded_bytes", SqlType::Int64()},
                                             {"retention_days", SqlType::Int32()},
                                             {"expires_at", SqlType::Timestamp()}},
                                            Rows);

}  // namespace
}  // namespace strata
