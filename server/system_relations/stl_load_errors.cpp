// stl_load_errors (Redshift's): the rows COPY rejected, from the leader's in-memory log; a user
// sees its own statements' rows, a superuser everyone's.
#include "server/system_relations/row_writer.h"
#include "server/system_relations/system_relation_context.h"

namespace strata {
namespace {

void Rows(const SystemRelationContext& ctx, Batch* out) {
  if (ctx.load_errors == nullptr) return;
  RowBuilder rb(out);
  for (const auto& row : ctx.load_errors->Rows()) {
    if (!ctx.Shows(row.user)) continue;
    const plan::LoadError& e = row.entry;
    rb.Int(0, row.query);
    rb.Int(1, e.slice());
    rb.Str(2, e.filename().substr(0, 256));
    rb.Int(3, e.line_number());
    rb.Str(4, e.colname().substr(0, 127));
    rb.Str(5, e.type().substr(0, 10));
    rb.Str(6, e.raw_line().substr(0, 1024));
    rb.Str(7, e.raw_field_value().substr(0, 1024));
    rb.Int(8, e.err_code());
    rb.Str(9, e.err_reason().substr(0, 100));
    rb.Timestamp(10, row.starttime_micros);
    rb.EndRow();
  }
}

const SystemRelationRegistrar kStlLoadErrors("stl_load_errors", kNotInPgClass,
                                             {{"query", SqlType::Int32()},
                                              {"slice", SqlType::Int32()},
                                              {"filename", SqlType::Char(256)},
                                              {"line_number", SqlType::Int64()},
                                              {"colname", SqlType::Char(127)},
                                              {"type", SqlType::Char(10)},
                                              {"raw_line", SqlType::Char(1024)},
                                              {"raw_field_value", SqlType::Char(1024)},
                                              {"err_code", SqlType::Int32()},
                                              {"err_reason", SqlType::Char(100)},
                                              {"starttime", SqlType::Timestamp()}},
                                             Rows);

}  // namespace
}  // namespace strata
