// stv_progress (Strata's): one row per long piece of work running now — the statements that
// report progress (COPY, INSERT … SELECT, CREATE TABLE AS, ANALYZE, VACUUM, UNLOAD: rows or bytes
// done of a total, updated each second from the compute nodes) and the replication work of
// stv_snapshot_progress (snapshots, copies, restores) — with its rate and the time left. And
// Redshift's stv_load_state: the COPY statements' rows of it, bytes loaded of bytes to load.
// A user sees its own statements' rows, a superuser everyone's (and the replication work).
#include "replication/progress.h"
#include "server/system_relations/row_writer.h"
#include "server/system_relations/shared_rows.h"
#include "server/system_relations/system_relation_context.h"

namespace strata {
namespace {

void Rows(const SystemRelationContext& ctx, Batch* out) {
  RowBuilder rb(out);
  for (const ProgressRow& p : ProgressMeter::All()) {
    if (p.pid == 0 ? !ctx.viewer_is_superuser : !ctx.Shows(p.user)) continue;
    rb.Str(0, p.kind);
    rb.Int(1, p.pid);
    rb.Int(2, p.query);
    rb.Str(3, p.user, p.user.empty());
    rb.Str(4, p.name);
    rb.Str(5, p.unit);
    rb.Int(6, p.bytes_done);
    rb.Int(7, p.bytes_total);
    rb.Real64(8, p.bytes_total > 0 ? 100.0 * static_cast<double>(p.bytes_done) / static_cast<double>(p.bytes_total) : 0);
    rb.Timestamp(9, p.started_micros);
    rb.Real64(10, p.seconds_left);
    if (p.seconds_left < 0) rb.batch.columns[10].SetNull(rb.batch.columns[10].size() - 1, true);
    rb.EndRow();
  }
}

void LoadState(const SystemRelationContext& ctx, Batch* out) {
  RowBuilder rb(out);
  for (const ProgressRow& p : ProgressMeter::All()) {
    if (p.kind != "COPY" || !ctx.Shows(p.user)) continue;
    rb.Int(0, UserIdOf(ctx.cat, p.user));
    rb.Int(1, p.pid);
    rb.Int(2, p.query);
    rb.Int(3, p.pid);
    rb.Timestamp(4, NowMicros2000());
    rb.Int(5, p.bytes_total);
    rb.Int(6, p.bytes_done);
    rb.Int(7, p.bytes_total > 0 ? 100 * p.bytes_done / p.bytes_total : 0);
    rb.EndRow();
  }
}

const SystemRelationRegistrar kProgress("stv_progress", kNotInPgClass,
                                        {{"kind", SqlType::Varchar(32)},
                                         {"pid", SqlType::Int32()},
                                         {"query", SqlType::Int32()},
                                         {"usename", SqlType::Varchar(128)},
                                         {"relation", SqlType::Varchar(1024)},
                                         {"unit", SqlType::Varchar(8)},
                                         {"done", SqlType::Int64()},
                                         {"total", SqlType::Int64()},
                                         {"pct_complete", SqlType::Float64()},
                                         {"start_time", SqlType::Timestamp()},
                                         {"seconds_left", SqlType::Float64()}},
                                        Rows);

const SystemRelationRegistrar kLoadState("stv_load_state", kNotInPgClass,
                                         {{"userid", SqlType::Int32()},
                                          {"session", SqlType::Int32()},
                                          {"query", SqlType::Int32()},
                                          {"pid", SqlType::Int32()},
                                          {"recordtime", SqlType::Timestamp()},
                                          {"bytes_to_load", SqlType::Int64()},
                                          {"bytes_loaded", SqlType::Int64()},
                                          {"pct_complete", SqlType::Int32()}},
                                         LoadState);

}  // namespace
}  // namespace strata
