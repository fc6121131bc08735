// pg_stat_activity (PostgreSQL 15's columns; what Strata does not track is NULL): one row per
// session. Every session is listed; its state and statement text only to its own user and to
// superusers, others see "<insufficient privilege>" as in PostgreSQL. Like Redshift's system
// tables, pg_class does not list it.
#include "server/system_relations/row_writer.h"
#include "server/system_relations/shared_rows.h"
#include "server/system_relations/system_relation_context.h"

namespace strata {
namespace {

void Rows(const SystemRelationContext& ctx, Batch* out) {
  if (ctx.sessions == nullptr) return;
  RowBuilder rb(out);
  auto null_last = [&](size_t col) { rb.batch.columns[col].SetNull(rb.batch.columns[col].size() - 1, true); };
  for (const SessionActivity& a : ctx.sessions->List()) {
    bool own = ctx.Shows(a.user);
    rb.Int(0, 1);
    rb.Str(1, a.database);
    rb.Int(2, a.pid);
    rb.Int(3, 0);
    null_last(3);
    rb.Int(4, UserIdOf(ctx.cat, a.user));
    rb.Str(5, a.user);
    rb.Str(6, a.application_name);
    rb.Str(7, "127.0.0.1");
    rb.Str(8, "", true);
    rb.Int(9, 0);
    rb.Timestamp(10, a.backend_start_micros);
    rb.Timestamp(11, 0);
    null_last(11);
    rb.Timestamp(12, a.query_start_micros);
    if (a.query_start_micros == 0) null_last(12);
    rb.Timestamp(13, a.query_start_micros);
    if (a.query_start_micros == 0) null_last(13);
    rb.Str(14, "", true);
    rb.Str(15, "", true);
    rb.Str(16, own ? a.state : "", !own);
    rb.Int(17, 0);
    null_last(17);
    rb.Int(18, 0);
    null_last(18);
    rb.Int(19, a.query_id);
    rb.Str(20, own ? a.query : "<insufficient privilege>");
    rb.Str(21, "client backend");
    rb.EndRow();
  }
}

const SystemRelationRegistrar kPgStatActivity(
    "pg_stat_activity", kNotInPgClass,
    {{"datid", SqlType::Int64()},            {"datname", SqlType::Varchar(128)},
     {"pid", SqlType::Int32()},              {"leader_pid", SqlType::Int32()},
     {"usesysid", SqlType::Int64()},         {"usename", SqlType::Varchar(128)},
     {"application_name", SqlType::Text()},  {"client_addr", SqlType::Text()},
     {"client_hostname", SqlType::Text()},   {"client_port", SqlType::Int32()},
     {"backend_start", SqlType::TimestampTz()}, {"xact_start", SqlType::TimestampTz()},
     {"query_start", SqlType::TimestampTz()}, {"state_change", SqlType::TimestampTz()},
     {"wait_event_type", SqlType::Text()},   {"wait_event", SqlType::Text()},
     {"state", SqlType::Text()},             {"backend_xid", SqlType::Int64()},
     {"backend_xmin", SqlType::Int64()},     {"query_id", SqlType::Int64()},
     {"query", SqlType::Text()},             {"backend_type", SqlType::Text()}},
    Rows);

}  // namespace
}  // namespace strata
