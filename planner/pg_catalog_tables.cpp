// Object ids and Redshift's encoding and distribution-style ids (see pg_catalog_tables.h).
#include "planner/pg_catalog_tables.h"

#include "catalog/catalog_store.h"

#include <algorithm>
#include <map>
#include <set>

namespace strata {

std::vector<std::string> UserSchemas(const CatalogVersion& cat) { return OtherSchemas(cat); }

int64_t RoleOid(const CatalogVersion& cat, const std::string& name) {
  if (const catalog::User* u = FindUser(cat, name)) return u->id();
  for (const auto& r : cat.meta().roles()) if (r.name() == name) return r.id();
  return kBootstrapUserOid;
}

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

int64_t ProcOidByName(const std::string& name) {
  static const std::map<std::string, int64_t> kProcs = {
      {"byteaout", 31}, {"charout", 33}, {"namein", 34}, {"nameout", 35}, {"int2in", 38}, {"int2out", 39},
      {"int2vectorin", 40}, {"int2vectorout", 41}, {"int4in", 42}, {"int4out", 43}, {"textin", 46},
      {"textout", 47}, {"oidvectorin", 54}, {"oidvectorout", 55}, {"unknownin", 109}, {"unknownout", 110},
      {"float4in", 200}, {"float4out", 201}, {"float8in", 214}, {"float8out", 215}, {"int8in", 460},
      {"int8out", 461}, {"array_in", 750}, {"array_out", 751}, {"aclitemin", 1031}, {"aclitemout", 1032},
      {"bpcharin", 1044}, {"bpcharout", 1045}, {"varcharin", 1046}, {"varcharout", 1047}, {"date_in", 1084},
      {"date_out", 1085}, {"time_in", 1143}, {"time_out", 1144}, {"timestamptz_in", 1150},
      {"timestamptz_out", 1151}, {"interval_in", 1160}, {"interval_out", 1161}, {"boolin", 1242},
      {"boolout", 1243}, {"byteain", 1244}, {"charin", 1245}, {"timestamp_in", 1312}, {"timestamp_out", 1313},
      {"timetz_in", 1350}, {"timetz_out", 1351}, {"numeric_in", 1701}, {"numeric_out", 1702}, {"oidin", 1798},
      {"oidout", 1799}, {"regclassin", 2218}, {"regclassout", 2219}, {"regtypein", 2220},
      {"regtypeout", 2221},
  };
  auto it = kProcs.find(name);
  return it == kProcs.end() ? -1 : it->second;
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

int RedshiftDistStyleId(catalog::DistStyle style) {
  switch (style) {
    case catalog::DIST_KEY: return 1;
    case catalog::DIST_ALL: return 8;
    case catalog::DIST_AUTO: return 9;
    default: return 0;
  }
}

}  // namespace strata
