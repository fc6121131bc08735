// pg_index: one row per PRIMARY KEY and UNIQUE constraint, for the index PostgreSQL would build
// behind it (oid KeyIndexOid, listed in pg_class with relkind 'i' and as the constraint's
// conindid). Strata keeps no index structures (the constraints are informational, as in
// Redshift), but clients find a table's keys through here: pg_dump writes its ADD CONSTRAINT
// ... PRIMARY KEY lines from these rows, psql's \d lists them under "Indexes:".
#include "planner/pg_catalog_tables.h"
#include "server/system_relations/row_writer.h"
#include "server/system_relations/shared_rows.h"
#include "server/system_relations/system_relation_context.h"
#include "catalog/table_styles.h"

namespace strata {
namespace {

// An int2vector / oidvector as PostgreSQL prints it: the values separated by spaces.
std::string SpaceSeparated(size_t n, const std::function<std::string(size_t)>& value) {
  std::string out;
  for (size_t i = 0; i < n; ++i) out += (i ? " " : "") + value(i);
  return out;
}

void Rows(const SystemRelationContext& ctx, Batch* out) {
  RowWriter w(out);
  for (const auto& t : ctx.cat.tables()) {
    for (int i = 0; i < t.constraints_size(); ++i) {
      const catalog::Constraint& c = t.constraints(i);
      if (IsForeignKey(c)) continue;
      const bool primary = c.kind() == catalog::PRIMARY_KEY;
      const size_t n = static_cast<size_t>(c.columns_size());
      std::string key = SpaceSeparated(n, [&](size_t k) { return std::to_string(c.columns(static_cast<int>(k)) + 1); });
      std::string zeros = SpaceSeparated(n, [](size_t) { return std::string("0"); });
      w.Add({I(KeyIndexOid(t.id(), i)), I(TableOid(t.id())), I(static_cast<int64_t>(n)), I(static_cast<int64_t>(n)),
             B(true), B(false), B(primary), B(false), B(true), B(false), B(true), B(false), B(true), B(true), B(false),
             S(key), S(zeros), S(zeros), S(zeros), kNullValue, kNullValue});
    }
  }
}

const SystemRelationRegistrar kPgIndex(
    "pg_index", 2610,
    "indexrelid:o indrelid:o indnatts:s indnkeyatts:s indisunique:b indnullsnotdistinct:b indisprimary:b "
    "indisexclusion:b indimmediate:b indisclustered:b indisvalid:b indcheckxmin:b indisready:b indislive:b "
    "indisreplident:b indkey:V indcollation:W indclass:W indoption:V indexprs:t indpred:t",
    Rows);

}  // namespace
}  // namespace strata
