// pg_description: the COMMENTs on tables and views (objsubid 0) and on their columns.
#include "planner/pg_catalog_tables.h"
#include "server/system_relations/row_writer.h"
#include "server/system_relations/system_relation_context.h"

namespace strata {
namespace {

void Rows(const SystemRelationContext& ctx, Batch* out) {
  RowWriter w(out);
  const int64_t pg_class = SystemRelationOid("pg_class");
  for (const auto& t : ctx.cat.tables()) {
    if (!t.comment().empty()) w.Add({I(TableOid(t.id())), I(pg_class), I(0), S(t.comment())});
    for (int i = 0; i < t.columns_size(); ++i) {
      const std::string& text = t.columns(i).comment();
      if (!text.empty()) w.Add({I(TableOid(t.id())), I(pg_class), I(i + 1), S(text)});
    }
  }
}

const SystemRelationRegistrar kPgDescription("pg_description", 2609, "objoid:o classoid:o objsubid:i description:t",
                                             Rows);

}  // namespace
}  // namespace strata
