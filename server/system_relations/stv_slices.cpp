// stv_slices (Redshift's): one row per slice of the cluster, node by node; every slice is a data
// slice ('D').
#include "server/system_relations/row_writer.h"
#include "server/system_relations/system_relation_context.h"

namespace strata {
namespace {

void Rows(const SystemRelationContext& ctx, Batch* out) {
  RowBuilder rb(out);
  const ClusterShape& shape = ctx.cluster->shape();
  for (int n = 0; n < shape.compute_nodes; ++n) {
    for (int l = 0; l < shape.slices_per_node; ++l) {
      rb.Int(0, n);
      rb.Int(1, n * shape.slices_per_node + l);
      rb.Int(2, l);
      rb.Str(3, "D");
      rb.EndRow();
    }
  }
}

const SystemRelationRegistrar kStvSlices("stv_slices", kNotInPgClass,
                                         {{"node", SqlType::Int32()}, {"slice", SqlType::Int32()},
                                          {"localslice", SqlType::Int32()}, {"type", SqlType::Varchar(1)}},
                                         Rows);

}  // namespace
}  // namespace strata
