// stv_recents (Redshift's): each session's current or last statement, Running or Done; a user
// sees only its own sessions' (as in Redshift), a superuser everyone's.
#include <algorithm>
#include <climits>

#include "server/system_relations/row_writer.h"
#include "server/system_relations/shared_rows.h"
#include "server/system_relations/system_relation_context.h"

namespace strata {
namespace {

void Rows(const SystemRelationContext& ctx, Batch* out) {
  if (ctx.sessions == nullptr) return;
  RowBuilder rb(out);
  int64_t now = NowMicros2000();
  for (const SessionActivity& a : ctx.sessions->List()) {
    if (!ctx.Shows(a.user) || a.query_start_micros == 0) continue;
    bool active = a.state == "active";
    rb.Int(0, UserIdOf(ctx.cat, a.user));
    rb.Str(1, active ? "Running" : "Done");
    rb.Timestamp(2, a.query_start_micros);
    rb.Int(3, active ? std::min<int64_t>(now - a.query_start_micros, INT32_MAX) : 0);
    rb.Str(4, a.user.substr(0, 50));
    rb.Str(5, a.database.substr(0, 50));
    rb.Str(6, a.query.substr(0, 600));
    rb.Int(7, a.pid);
    rb.EndRow();
  }
}

const SystemRelationRegistrar kStvRecents("stv_recents", kNotInPgClass,
                                          {{"userid", SqlType::Int32()},
                                           {"status", SqlType::Char(20)},
                                           {"starttime", SqlType::Timestamp()},
                                           {"duration", SqlType::Int32()},
                                           {"user_name", SqlType::Char(50)},
                                           {"db_name", SqlType::Char(50)},
                                           {"query", SqlType::Varchar(600)},
                                           {"pid", SqlType::Int32()}},
                                          Rows);

}  // namespace
}  // namespace strata
