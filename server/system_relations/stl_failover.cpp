// stl_failover (Strata's): the leader's recent log of compute node failures, stand-ins, resyncs
// and mirror repairs (server/cluster_events.h, written by server/failover.h), oldest first.
#include "server/system_relations/row_writer.h"
#include "server/system_relations/system_relation_context.h"

namespace strata {
namespace {

void Rows(const SystemRelationContext& ctx, Batch* out) {
  if (ctx.cluster == nullptr) return;
  RowBuilder rb(out);
  for (const ClusterEvent& e : ctx.cluster->events().Rows()) {
    const size_t row = rb.batch.rows;
    rb.Timestamp(0, e.micros);
    rb.Int(1, e.node);
    rb.Str(2, e.event);
    rb.Int(3, e.other_node);
    if (e.other_node < 0) rb.batch.columns[3].SetNull(row, true);
    rb.Int(4, e.objects);
    rb.Int(5, e.bytes);
    rb.Real64(6, e.duration_ms);
    if (e.duration_ms < 0) rb.batch.columns[6].SetNull(row, true);
    rb.Str(7, e.detail, e.detail.empty());
    rb.EndRow();
  }
}

const SystemRelationRegistrar kStlFailover("stl_failover", kNotInPgClass,
                                           {{"eventtime", SqlType::Timestamp()},
                                            {"node", SqlType::Int32()},
                                            {"event", SqlType::Varchar(32)},
                                            {"other_node", SqlType::Int32()},
                                            {"objects", SqlType::Int64()},
                                            {"bytes", SqlType::Int64()},
                                            {"duration_ms", SqlType::Float64()},
                                            {"detail", SqlType::Varchar(256)}},
                                           Rows);

}  // namespace
}  // namespace strata
