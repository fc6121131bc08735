// pg_table_def (Redshift's): the columns of the tables in the search path (schema public), with
// their encoding, distribution key and sort key position.
#include "planner/expr_builder.h"
#include "planner/physical_planner.h"
#include "server/system_relations/row_writer.h"
#include "server/system_relations/shared_rows.h"
#include "server/system_relations/system_relation_context.h"
#include "storage/encoding.h"

namespace strata {
namespace {

void Rows(const SystemRelationContext& ctx, Batch* out) {
  RowWriter w(out);
  for (const auto& t : ctx.cat.tables()) {
    if (t.is_view() || t.schema() != "public") continue;
    std::vector<int> enc = ColumnEncodings(t);
    for (int i = 0; i < t.columns_size(); ++i) {
      const auto& c = t.columns(i);
      int sort_pos = SortKeyOrdinal(t, i);
      w.Add({S(t.schema()), S(t.name()), S(c.name()), S(FromProtoType(c.type()).ToString()),
             S(std::string(EncodingName(static_cast<Encoding>(enc[i])))), B(t.distkey() == i), I(sort_pos),
             B(c.not_null())});
    }
  }
}

const SystemRelationRegistrar kPgTableDef(
    "pg_table_def", 12044, "schemaname:n tablename:n column:n type:t encoding:t distkey:b sortkey:i notnull:b", Rows);

}  // namespace
}  // namespace strata
