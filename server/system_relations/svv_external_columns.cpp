// svv_external_columns (Redshift's): every column of every external table, with its Hive type;
// part_key numbers the partition columns from 1 (0 for the files' columns).
#include "planner/expr_builder.h"
#include "server/system_relations/external_rows.h"
#include "server/system_relations/row_writer.h"
#include "server/system_relations/system_relation_context.h"

namespace strata {
namespace {

void Rows(const SystemRelationContext& ctx, Batch* out) {
  RowWriter w(out);
  for (const auto& t : ctx.cat.tables()) {
    if (!t.has_external()) continue;
    const int data = t.columns_size() - t.external().partition_keys();
    for (int i = 0; i < t.columns_size(); ++i) {
      const auto& c = t.columns(i);
      w.Add({S(ctx.Database()), S(t.schema()), S(t.name()), S(c.name()), S(HiveTypeName(FromProtoType(c.type()))),
             I(i + 1), I(i < data ? 0 : i - data + 1), S(c.not_null() ? "false" : "true")});
    }
  }
}

const SystemRelationRegistrar kSvvExternalColumns("svv_external_columns", 12043,
                                                  {{"redshift_database_name", SqlType::Varchar(128)},
                                                   {"schemaname", SqlType::Varchar(128)},
                                                   {"tablename", SqlType::Varchar(128)},
                                                   {"columnname", SqlType::Varchar(128)},
                                                   {"external_type", SqlType::Varchar(128)},
                                                   {"columnnum", SqlType::Int32()},
                                                   {"part_key", SqlType::Int32()},
                                                   {"is_nullable", SqlType::Varchar(128)}},
                                                  Rows);

}  // namespace
}  // namespace strata
