// svv_node_usage (Strata's) and Redshift's stv_node_storage_capacity: what each node uses as of
// its last heartbeat (server/cluster.h Usage; sent by every compute node and spectrum worker each
// second): query memory held and its budget, the data folder's file system size and free space,
// the data folder's bytes, queries running. The console's cluster page and /metrics read the same.
#include "server/system_relations/row_writer.h"
#include "server/system_relations/system_relation_context.h"

namespace strata {
namespace {

void Rows(const SystemRelationContext& ctx, Batch* out) {
  if (ctx.cluster == nullptr) return;
  RowBuilder rb(out);
  const auto usage = ctx.cluster->Usage();
  for (const NodeState& n : ctx.cluster->NodeStates()) {
    auto it = usage.find({n.role, n.node_id});
    const bool known = it != usage.end();
    const rpc::NodeUsage u = known ? it->second : rpc::NodeUsage();
    rb.Str(0, n.role);
    rb.Int(1, n.node_id);
    rb.Str(2, n.state);
    int col = 3;
    for (int64_t v : {u.memory_used(), u.memory_limit(), u.disk_capacity(), u.disk_free(), u.data_bytes(),
                      static_cast<int64_t>(u.queries())}) {
      rb.Int(col, v);
      if (!known) rb.batch.columns[col].SetNull(rb.batch.columns[col].size() - 1, true);
      ++col;
    }
    rb.EndRow();
  }
}

// Redshift's: compute nodes' disk in 1 MB blocks, used and capacity.
void Capacity(const SystemRelationContext& ctx, Batch* out) {
  if (ctx.cluster == nullptr) return;
  RowBuilder rb(out);
  for (const auto& [key, u] : ctx.cluster->Usage()) {
    if (key.first != "compute") continue;
    rb.Int(0, key.second);
    rb.Int(1, (u.disk_capacity() - u.disk_free()) >> 20);
    rb.Int(2, u.disk_capacity() >> 20);
    rb.EndRow();
  }
}

const SystemRelationRegistrar kUsage("svv_node_usage", kNotInPgClass,
                                     {{"role", SqlType::Varchar(16)},
                                      {"node", SqlType::Int32()},
                                      {"state", SqlType::Varchar(16)},
                                      {"memory_used", SqlType::Int64()},
                                      {"memory_limit", SqlType::Int64()},
                                      {"disk_capacity", SqlType::Int64()},
                                      {"disk_free", SqlType::Int64()},
                                      {"data_bytes", SqlType::Int64()},
                                      {"queries", SqlType::Int32()}},
                                     Rows);

const SystemRelationRegistrar kCapacity("stv_node_storage_capacity", kNotInPgClass,
                                        {{"node", SqlType::Int32()}, {"used", SqlType::Int32()}, {"capacity", SqlType::Int32()}},
                                        Capacity);

}  // namespace
}  // namespace strata
