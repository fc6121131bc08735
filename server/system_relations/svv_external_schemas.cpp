// svv_external_schemas (Redshift's): one row per external schema (CREATE EXTERNAL SCHEMA), with
// its data catalog database and options.
#include "planner/pg_catalog_tables.h"
#include "server/system_relations/external_rows.h"
#include "server/system_relations/row_writer.h"
#include "server/system_relations/system_relation_context.h"

namespace strata {
namespace {

void Rows(const SystemRelationContext& ctx, Batch* out) {
  std::vector<std::string> schemas = UserSchemas(ctx.cat);
  RowWriter w(out);
  for (const auto& s : ctx.cat.meta().schemas()) {
    if (!s.has_external()) continue;
    std::map<std::string, std::string> options;
    if (!s.external().iam_role().empty()) options["IAM_ROLE"] = s.external().iam_role();
    if (!s.external().region().empty()) options["REGION"] = s.external().region();
    if (s.external().created_database()) options["CREATE_EXTERNAL_DATABASE"] = "true";
    w.Add({I(NamespaceOid(s.name(), schemas)), I(1), S(s.name()), I(kBootstrapUserOid), S(s.external().database()),
           S(JsonObject(options))});
  }
}

const SystemRelationRegistrar kSvvExternalSchemas("svv_external_schemas", 12041,
                                                  {{"esoid", SqlType::Int64()},
                                                   {"eskind", SqlType::Int16()},
                                                   {"schemaname", SqlType::Varchar(128)},
                                                   {"esowner", SqlType::Int32()},
                                                   {"databasename", SqlType::Varchar(128)},
                                                   {"esoptions", SqlType::Varchar(65535)}},
                                                  Rows);

}  // namespace
}  // namespace strata
