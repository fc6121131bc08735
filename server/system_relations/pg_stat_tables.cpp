// pg_stat_user_tables and pg_stat_all_tables (PostgreSQL 15's shape), one file as they share
// shape and rows: one row per user table. Strata counts no scans or tuple changes, so those are
// 0; n_live_tup is the table's committed row count; idx_scan is NULL as PostgreSQL shows it for
// a table without indexes.
#include <cstdlib>

#include "planner/pg_catalog_tables.h"
#include "server/system_relations/row_writer.h"
#include "server/system_relations/system_relation_context.h"

namespace strata {
namespace {

void Rows(const SystemRelationContext& ctx, Batch* out) {
  RowWriter w(out);
  for (const auto& t : ctx.cat.tables()) {
    if (t.is_view()) continue;
    int64_t modified = t.analyzed() ? std::llabs(t.rows() - t.analyzed_rows()) : t.rows();
    w.Add({I(TableOid(t.id())), S(t.schema()), S(t.name()), I(0), I(0), kNullValue, kNullValue, I(0), I(0), I(0), I(0),
           I(t.rows()), I(0), I(modified), I(0), kNullValue, kNullValue, kNullValue, kNullValue, I(0), I(0),
           I(t.analyzed() ? 1 : 0), I(0)});
  }
}

constexpr const char* kColumns =
    "relid:o schemaname:n relname:n seq_scan:l seq_tup_read:l idx_scan:l idx_tup_fetch:l n_tup_ins:l "
    "n_tup_upd:l n_tup_del:l n_tup_hot_upd:l n_live_tup:l n_dead_tup:l n_mod_since_analyze:l "
    "n_ins_since_vacuum:l last_vacuum:Z last_autovacuum:Z last_analyze:Z last_autoanalyze:Z vacuum_count:l "
    "autovacuum_count:l analyze_count:l autoanalyze_count:l";

const SystemRelationRegistrar kPgStatUserTables("pg_stat_user_tables", 12038, kColumns, Rows);
const SystemRelationRegistrar kPgStatAllTables("pg_stat_all_tables", 12039, kColumns, Rows);

}  // namespace
}  // namespace strata
