// Object ids and Redshift's encoding and distribution-style ids (see pg_catalog_tables.h).
#include "planner/pg_catalog_tables.h"

#include "catalog/catalog_store.h"

#include <algorithm>
#include <map>
#include <set>

namespace strata {

std::vector<std::string> UserSchemas(const catalog::Catalog& cat) { return OtherSchemas(cat); }

int64_t NamespaceOid(const std::string& name, const std::vector<std::string>& user_schemas) {
  if (name == "pg_catalog") return kPgCatalogNamespaceOid;
  if (name == "public") return kPublicNamespaceOid;
  if (name == "information_schema") return kInformationSchemaNamespaceOid;
  auto it = std::find(user_schemas.begin(), user_schemas.end(), name);
  return it == user_schemas.end() ? -1 : 16000 + (it - user_schemas.begin());
}

int64_t TypeOidByName(const std::string& name) {
  static const std::map<std::string, int64_t> kTypes = {
      {"bool", 16}, {"boolean", 16}, {"int8", 20}, {"bigint", 20}, {"int2", 21}, {"smallint", 21},
      {"int4", 23}, {"int", 23}, {"integer", 23}, {"text", 25}, {"oid", 26}, {"float4", 700},
      {"real", 700}, {"float8", 701}, {"double precision", 701}, {"bpchar", 1042}, {"char", 1042},
      {"character", 1042}, {"varchar", 1043}, {"character varying", 1043}, {"date", 1082},
      {"timestamp", 1114}, {"timestamp without time zone", 1114}, {"timestamptz", 1184},
      {"timestamp with time zone", 1184}, {"interval", 1186}, {"time", 1083}, {"time without time zone", 1083},
      {"timetz", 1266}, {"time with time zone", 1266}, {"numeric", 1700}, {"decimal", 1700}, {"name", 19},
      {"super", 4000}, {"regclass", 2205}, {"regtype", 2206}, {"unknown", 705}};
  auto it = kTypes.find(name);
  return it == kTypes.end() ? -1 : it->second;
}

namespace {
constexpr const char* kRedshiftEncodings[] = {"none",     "bytedict", "delta",     "delta32k", "lzo",
                                              "mostly8",  "mostly16", "mostly32",  "runlength", "text255",
                                              "text32k",  "zstd",     "az64"};
}  // namespace

int RedshiftEncodingId(std::string_view strata_encoding_name) {
  if (strata_encoding_name == "raw") return 0;
  for (size_t i = 1; i < std::size(kRedshiftEncodings); ++i) {
    if (strata_encoding_name == kRedshiftEncodings[i]) return static_cast<int>(i);
  }
  return 0;
}

const char* RedshiftEncodingName(int64_t id) {
  if (id == 128) return kRedshiftEncodings[0];
  if (id < 0 || id >= static_cast<int64_t>(std::size(kRedshiftEncodings))) return nullptr;
  return kRedshiftEncodings[id];
}

int RedshiftDistStyleId(const std::string& diststyle) {
  if (diststyle == "KEY") return 1;
  if (diststyle == "ALL") return 8;
  if (diststyle == "AUTO") return 9;
  return 0;
}

}  // namespace strata
