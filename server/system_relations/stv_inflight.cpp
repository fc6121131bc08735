// stv_inflight (Redshift's): the running statements, one row each; a user sees only its own
// (as in Redshift), a superuser everyone's.
#include "server/system_relations/row_writer.h"
#include "server/system_relations/shared_rows.h"
#include "server/system_relations/system_relation_context.h"

namespace strata {
namespace {

void Rows(const SystemRelationContext& ctx, Batch* out) {
  if (ctx.sessions == nullptr) return;
  RowBuilder rb(out);
  for (const SessionActivity& a : ctx.sessions->List()) {
    if (!ctx.Shows(a.user) || a.state != "active") continue;
    rb.Int(0, UserIdOf(ctx.cat, a.user));
    rb.Int(1, -1);
    rb.Int(2, a.query_id);
    rb.Str(3, "default");
    rb.Int(4, 0);
    rb.Int(5, a.pid);
    rb.Timestamp(6, a.query_start_micros);
    rb.Str(7, a.query.substr(0, 100));
    rb.Int(8, 0);
    rb.Int(9, 0);
    rb.Int(10, 0);
    rb.EndRow();
  }
}

const SystemRelationRegistrar kStvInflight(
    "stv_inflight", kNotInPgClass,
    {{"userid", SqlType::Int32()},    {"slice", SqlType::Int32()},      {"query", SqlType::Int32()},
     {"label", SqlType::Char(320)},   {"xid", SqlType::Int64()},        {"pid", SqlType::Int32()},
     {"starttime", SqlType::Timestamp()}, {"text", SqlType::Char(100)}, {"suspended", SqlType::Int32()},
     {"insert_pristine", SqlType::Int32()}, {"concurrency_scaling_status", SqlType::Int32()}},
    Rows);

}  // namespace
}  // namespace strata
