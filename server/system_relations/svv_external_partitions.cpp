// svv_external_partitions (Redshift's): one row per registered partition of an external table:
// its values (a JSON array, in partition-key order) and location.
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
    std::map<std::string, std::string> props(x.table_properties().begin(), x.table_properties().end());
    bool compressed = props.count("compression_type") > 0 && props["compression_type"] != "none";
    for (const auto& p : x.partitions()) {
      w.Add({S(ctx.Database()), S(t.schema()), S(t.name()), S(JsonArray({p.values().begin(), p.values().end()})),
             S(p.location()), S(f.input_format), S(f.output_format), S(f.serialization_lib), S("{}"), I(compressed ? 1 : 0),
             S("{}")});
    }
  }
}

const SystemRelationRegistrar kSvvExternalPartitions("svv_external_partitions", kNotInPgClass,
                                                     {{"redshift_database_name", SqlType::Varchar(128)},
                                                      {"schemaname", SqlType::Varchar(128)},
                                                      {"tablename", SqlType::Varchar(128)},
                                                      {"values", SqlType::Varchar(1024)},
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
