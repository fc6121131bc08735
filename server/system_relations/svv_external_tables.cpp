// svv_external_tables (Redshift's): one row per external table, with its location, Hive formats,
// SerDe and properties.
#include "server/system_relations/external_rows.h"
#include "server/system_relations/row_writer.h"
#include "server/system_relations/system_relation_context.h"

namespace strata {
namespace {

void Rows(const SystemRelationContext& ctx, Batch* out) {
  RowWriter w(out);
  for (const auto& t : ctx.cat.tables()) {
    if (!t.has_external()) continue;
    const catalog::ExternalTable& x = t.external();
    HiveFormatClasses f = FormatClasses(x);
    std::map<std::string, std::string> serde(x.serde_properties().begin(), x.serde_properties().end());
    if (x.format() == "text") serde["field.delim"] = x.delimiter();
    std::map<std::string, std::string> props(x.table_properties().begin(), x.table_properties().end());
    bool compressed = props.count("compression_type") > 0 && props["compression_type"] != "none";
    w.Add({S(ctx.Database()), S(t.schema()), S(t.name()), S("EXTERNAL_TABLE"), S(x.location()), S(f.input_format),
           S(f.output_format), S(f.serialization_lib), S(JsonObject(serde)), I(compressed ? 1 : 0), S(JsonObject(props))});
  }
}

const SystemRelationRegistrar kSvvExternalTables("svv_external_tables", 12042,
                                                 {{"redshift_database_name", SqlType::Varchar(128)},
                                                  {"schemaname", SqlType::Varchar(128)},
                                                  {"tablename", SqlType::Varchar(128)},
                                                  {"tabletype", SqlType::Varchar(128)},
                                                  {"location", SqlType::Varchar(128)},
                                                  {"input_format", SqlType::Varchar(128)},
                                                  {"output_format", SqlType::Varchar(128)},
                                                  {"serialization_lib", SqlType::Varchar(128)},
                                                  {"serde_parameters", SqlType::Varchar(128)},
                                                  {"compressed", SqlType::Int32()},
                                                  {"parameters", SqlType::Varchar(128)}},
                                                 Rows);

}  // namespace
}  // namespace strata
