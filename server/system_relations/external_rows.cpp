// See external_rows.h.
#include "server/system_relations/external_rows.h"

#include "sql/error.h"
#include "sql/json_text.h"

namespace strata {


std::string HiveTypeName(const SqlType& t) {
  switch (t.id) {
    case TypeId::kBool: return "boolean";
    case TypeId::kInt16: return "smallint";
    case TypeId::kInt32: return "int";
    case TypeId::kInt64: return "bigint";
    case TypeId::kDecimal: return StrCat("decimal(", t.precision, ",", t.scale, ")");
    case TypeId::kFloat32: return "float";
    case TypeId::kFloat64: return "double";
    case TypeId::kChar: return StrCat("char(", t.length, ")");
    case TypeId::kVarchar: return t.length > 0 ? StrCat("varchar(", t.length, ")") : "string";
    case TypeId::kText: return "string";
    case TypeId::kDate: return "date";
    case TypeId::kTimestamp: return "timestamp";
    case TypeId::kTimestampTz: return "timestamptz";
    default: return t.ToString();
  }
}

HiveFormatClasses FormatClasses(const catalog::ExternalTable& x) {
  const std::string& f = x.format();
  if (f == "parquet") {
    return {"org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat",
            "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat",
            "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe"};
  }
  if (f == "orc") {
    return {"org.apache.hadoop.hive.ql.io.orc.OrcInputFormat", "org.apache.hadoop.hive.ql.io.orc.OrcOutputFormat",
            "org.apache.hadoop.hive.ql.io.orc.OrcSerde"};
  }
  if (f == "avro") {
    return {"org.apache.hadoop.hive.ql.io.avro.AvroContainerInputFormat",
            "org.apache.hadoop.hive.ql.io.avro.AvroContainerOutputFormat", "org.apache.hadoop.hive.serde2.avro.AvroSerDe"};
  }
  std::string serde = "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe";
  if (!x.serde().empty() && x.serde() != "delimited") serde = x.serde();
  return {"org.apache.hadoop.mapred.TextInputFormat", "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat", serde};
}

std::string JsonObject(const std::map<std::string, std::string>& m) {
  std::string out = "{";
  for (const auto& [k, v] : m) out += StrCat(out.size() > 1 ? "," : "", JsonQuoted(k), ":", JsonQuoted(v));
  return out + "}";
}

std::string JsonArray(const std::vector<std::string>& v) {
  std::string out = "[";
  for (const auto& s : v) out += StrCat(out.size() > 1 ? "," : "", JsonQuoted(s));
  return out + "]";
}

}  // namespace strata
