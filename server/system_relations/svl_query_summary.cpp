// svl_query_summary (Redshift's): one row per step of each past statement, summed over the
// slices (the leader's in-memory step log); a user sees its own statements' rows, a superuser
// everyone's.
#include "server/system_relations/row_writer.h"
#include "server/system_relations/shared_rows.h"
#include "server/system_relations/system_relation_context.h"

namespace strata {
namespace {

void Rows(const SystemRelationContext& ctx, Batch* out) {
  if (ctx.steps == nullptr) return;
  RowBuilder rb(out);
  for (const auto& row : ctx.steps->Rows()) {
    if (!ctx.Shows(row.user)) continue;
    const plan::StepStat& s = row.entry;
    double secs = static_cast<double>(s.micros()) / 1e6;
    rb.Int(0, UserIdOf(ctx.cat, row.user));
    rb.Int(1, row.query);
    rb.Int(2, 0);
    rb.Int(3, s.stage());
    rb.Int(4, s.step());
    rb.Int(5, s.micros());
    rb.Int(6, s.avg_micros());
    rb.Int(7, s.rows());
    rb.Int(8, s.bytes());
    rb.Real64(9, secs > 0 ? static_cast<double>(s.rows()) / secs : 0);
    rb.Real64(10, secs > 0 ? static_cast<double>(s.bytes()) / secs : 0);
    rb.Str(11, s.label());
    rb.Str(12, s.spilled_bytes() > 0 ? "t" : "f");
    rb.Int(13, s.peak_bytes());
    rb.Int(14, s.spilled_bytes());
    rb.EndRow();
  }
}

const SystemRelationRegistrar kSvlQuerySummary(
    "svl_query_summary", kNotInPgClass,
    {{"userid", SqlType::Int32()},     {"query", SqlType::Int32()},      {"stm", SqlType::Int32()},
     {"seg", SqlType::Int32()},        {"step", SqlType::Int32()},       {"maxtime", SqlType::Int64()},
     {"avgtime", SqlType::Int64()},    {"rows", SqlType::Int64()},       {"bytes", SqlType::Int64()},
     {"rate_row", SqlType::Float64()}, {"rate_byte", SqlType::Float64()}, {"label", SqlType::Text()},
     {"is_diskbased", SqlType::Char(1)}, {"workmem", SqlType::Int64()}, {"spilled_bytes", SqlType::Int64()}},
    Rows);

}  // namespace
}  // namespace strata
