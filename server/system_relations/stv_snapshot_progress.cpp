// stv_snapshot_progress (Strata's): one row per snapshot, copy or restore running in the leader
// now, with bytes done of the total, the rate and the time left (replication/progress.h).
#include "replication/progress.h"
#include "server/system_relations/row_writer.h"
#include "server/system_relations/system_relation_context.h"

namespace strata {
namespace {

void Rows(const SystemRelationContext& ctx, Batch* out) {
  if (!ctx.viewer_is_superuser) return;
  RowBuilder rb(out);
  for (const ProgressRow& p : ProgressMeter::All()) {
    if (p.pid != 0) continue;  // a statement's (stv_progress)
    rb.Str(0, p.kind);
    rb.Str(1, p.name);
    rb.Str(2, p.location);
    rb.Timestamp(3, p.started_micros);
    rb.Int(4, p.bytes_done);
    rb.Int(5, p.bytes_total);
    rb.Real64(6, p.mb_per_second);
    rb.Real64(7, p.seconds_left);
    if (p.seconds_left < 0) rb.batch.columns[7].SetNull(rb.batch.columns[7].size() - 1, true);
    rb.EndRow();
  }
}

const SystemRelationRegistrar kStvSnapshotProgress("stv_snapshot_progress", kNotInPgClass,
                                                   {{"kind", SqlType::Varchar(16)},
                                                    {"snapshot_name", SqlType::Varchar(255)},
                                                    {"location", SqlType::Varchar(1024)},
                                                    {"start_time", SqlType::Timestamp()},
                                                    {"bytes_done", SqlType::Int64()},
                                                    {"bytes_total", SqlType::Int64()},
                                                    {"mb_per_second", SqlType::Float64()},
                                                    {"seconds_left", SqlType::Float64()}},
                                                   Rows);

}  // namespace
}  // namespace strata
