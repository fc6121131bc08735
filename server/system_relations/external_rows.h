// What the external catalog's system views (svv_external_*) show of a schema, table or
// partition, in Redshift's and Glue's vocabulary: Hive type names, the Hive input/output format
// and SerDe classes of each format, and property maps as JSON objects.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "catalog/catalog.pb.h"
#include "sql/types.h"

namespace strata {

// "int", "bigint", "decimal(12,2)", "varchar(20)", "string", "date", "timestamp", ...
std::string HiveTypeName(const SqlType& t);

struct HiveFormatClasses {
  std::string input_format, output_format, serialization_lib;
};
HiveFormatClasses FormatClasses(const catalog::ExternalTable& x);

// {"k":"v",...} with keys in order.
std::string JsonObject(const std::map<std::string, std::string>& m);
// ["a","b"]
std::string JsonArray(const std::vector<std::string>& v);

}  // namespace strata
