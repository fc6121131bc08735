// stv_slices (Redshift's): one row per slice of the cluster, node by node; every slice is a data
// slice ('D'). After an elastic resize a node may hold more slices than another (catalog/slice_map.h).
#include "server/system_relations/row_writer.h"
#include "catalog/slice_map.h"
#include "server/system_relations/system_relation_context.h"

namespace strata {
namespace {

void Rows(const SystemRelationContext& ctx, Batch* out) {
  RowBuilder rb(out);
  const std::vector<int> map = ctx.cluster->shape().SliceNodes();
  for (int n = 0; n < NodeCount(map); ++n) {
    int local = 0;
    for (size_t s = 0; s < map.size(); ++s) {
      if (map[s] != n) continue;
      rb.Int(0, n);
      rb.Int(1, static_cast<int>(s));
      rb.Int(2, local++);
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
