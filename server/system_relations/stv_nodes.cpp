// stv_nodes (Strata's): one row per compute node of the cluster's shape and per spectrum worker,
// with its address and liveness from its heartbeats (server/cluster.h NodeStates): 'up', 'down'
// once silent for three seconds, 'missing' when it never joined, 'standin' while its mirror
// serves its slices, 'syncing' while its returning process catches up, 'joining' / 'leaving'
// while a resize adds or removes it (server/resize.h); how many slices it holds, which process
// serves them, where its mirror is and whether that mirror lacks commits (server/failover.h).
#include "server/system_relations/row_writer.h"
#include "catalog/slice_map.h"
#include "server/system_relations/system_relation_context.h"

namespace strata {
namespace {

void Rows(const SystemRelationContext& ctx, Batch* out) {
  if (ctx.cluster == nullptr) return;
  RowBuilder rb(out);
  const std::vector<int> map = ctx.cluster->shape().SliceNodes();
  for (const NodeState& n : ctx.cluster->NodeStates()) {
    rb.Int(0, n.node_id);
    rb.Str(1, n.role);
    rb.Str(2, n.host, n.host.empty());
    rb.Int(3, n.port);
    if (n.port == 0) rb.batch.columns[3].SetNull(rb.batch.columns[3].size() - 1, true);
    rb.Str(4, n.state);
    rb.Real64(5, n.seconds_since_heard);
    if (n.seconds_since_heard < 0) rb.batch.columns[5].SetNull(rb.batch.columns[5].size() - 1, true);
    rb.Int(6, n.role == "compute" ? SlicesOn(map, n.node_id) : 0);
    rb.Int(7, n.served_by);
    if (n.served_by < 0) rb.batch.columns[7].SetNull(rb.batch.columns[7].size() - 1, true);
    rb.Int(8, n.mirror_node);
    if (n.mirror_node < 0) rb.batch.columns[8].SetNull(rb.batch.columns[8].size() - 1, true);
    rb.Str(9, n.mirror_state, n.mirror_state.empty());
    rb.EndRow();
  }
}

const SystemRelationRegistrar kStvNodes("stv_nodes", kNotInPgClass,
                                        {{"node", SqlType::Int32()},
                                         {"role", SqlType::Varchar(16)},
                                         {"host", SqlType::Varchar(256)},
                                         {"port", SqlType::Int32()},
                                         {"state", SqlType::Varchar(16)},
                                         {"seconds_since_heartbeat", SqlType::Float64()},
                                         {"slices", SqlType::Int32()},
                                         {"served_by", SqlType::Int32()},
                                         {"mirror_node", SqlType::Int32()},
                                         {"mirror_state", SqlType::Varchar(16)}},
                                        Rows);

}  // namespace
}  // namespace strata
