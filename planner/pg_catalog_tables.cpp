// The shapes of the catalog relations (see pg_catalog_tables.h). Each relation is one line:
// its name and its columns as "name:code", where the code is the column's type:
//   o oid / regproc / xid (BIGINT)   n name (VARCHAR(128))   c "char" (CHAR(1))   b boolean
//   s smallint   i integer   l bigint   f real   t text   a array (text)   T timestamp
//   Z timestamp with time zone   v Redshift's VARCHAR(256) (character_data and the svv_ views)
// Redshift's own catalog columns come after PostgreSQL's (pg_class.reldiststyle,
// pg_attribute.attencodingtype / attisdistkey / attsortkeyord), as Redshift places them.
#include "planner/pg_catalog_tables.h"

#include <algorithm>
#include <map>
#include <mutex>
#include <set>
#include <sstream>

namespace strata {
namespace {

// PostgreSQL 15's pg_stat_all_tables / pg_stat_user_tables.
constexpr const char* kStatTablesColumns =
    "relid:o schemaname:n relname:n seq_scan:l seq_tup_read:l idx_scan:l idx_tup_fetch:l n_tup_ins:l "
    "n_tup_upd:l n_tup_del:l n_tup_hot_upd:l n_live_tup:l n_dead_tup:l n_mod_since_analyze:l "
    "n_ins_since_vacuum:l last_vacuum:Z last_autovacuum:Z last_analyze:Z last_autoanalyze:Z vacuum_count:l "
    "autovacuum_count:l analyze_count:l autoanalyze_count:l";

struct RelationSpec {
  const char* name;
  const char* columns;
};

constexpr RelationSpec kRelations[] = {
    {"pg_namespace", "oid:o nspname:n nspowner:o nspacl:a"},
    {"pg_class",
     "oid:o relname:n relnamespace:o reltype:o reloftype:o relowner:o relam:o relfilenode:o reltablespace:o "
     "relpages:i reltuples:f relallvisible:i reltoastrelid:o relhasindex:b relisshared:b relpersistence:c "
     "relkind:c relnatts:s relchecks:s relhasrules:b relhastriggers:b relhassubclass:b relrowsecurity:b "
     "relforcerowsecurity:b relispopulated:b relreplident:c relispartition:b relrewrite:o relfrozenxid:o "
     "relminmxid:o relacl:a reloptions:a relpartbound:t reldiststyle:i"},
    {"pg_attribute",
     "attrelid:o attname:n atttypid:o attstattarget:i attlen:s attnum:s attndims:i attcacheoff:i atttypmod:i "
     "attbyval:b attalign:c attstorage:c attcompression:t attnotnull:b atthasdef:b atthasmissing:b "
     "attidentity:t attgenerated:t attisdropped:b attislocal:b attinhcount:i attcollation:o attacl:a "
     "attoptions:a attfdwoptions:a attmissingval:a attencodingtype:s attisdistkey:b attsortkeyord:i"},
    {"pg_type",
     "oid:o typname:n typnamespace:o typowner:o typlen:s typbyval:b typtype:c typcategory:c typispreferred:b "
     "typisdefined:b typdelim:c typrelid:o typsubscript:o typelem:o typarray:o typinput:o typoutput:o "
     "typreceive:o typsend:o typmodin:o typmodout:o typanalyze:o typalign:c typstorage:c typnotnull:b "
     "typbasetype:o typtypmod:i typndims:i typcollation:o typdefaultbin:t typdefault:t typacl:a"},
    {"pg_attrdef", "oid:o adrelid:o adnum:s adbin:t"},
    {"pg_constraint",
     "oid:o conname:n connamespace:o contype:c condeferrable:b condeferred:b convalidated:b conrelid:o "
     "contypid:o conindid:o conparentid:o confrelid:o confupdtype:c confdeltype:c confmatchtype:c "
     "conislocal:b coninhcount:i connoinherit:b conkey:a confkey:a conpfeqop:a conppeqop:a conffeqop:a "
     "confdelsetcols:a conexclop:a conbin:t"},
    {"pg_index",
     "indexrelid:o indrelid:o indnatts:s indnkeyatts:s indisunique:b indnullsnotdistinct:b indisprimary:b "
     "indisexclusion:b indimmediate:b indisclustered:b indisvalid:b indcheckxmin:b indisready:b indislive:b "
     "indisreplident:b indkey:a indcollation:a indclass:a indoption:a indexprs:t indpred:t"},
    {"pg_description", "objoid:o classoid:o objsubid:i description:t"},
    {"pg_shdescription", "objoid:o classoid:o description:t"},
    {"pg_database",
     "oid:o datname:n datdba:o encoding:i datlocprovider:c datistemplate:b datallowconn:b datconnlimit:i "
     "datfrozenxid:o datminmxid:o dattablespace:o datcollate:t datctype:t daticulocale:t datcollversion:t "
     "datacl:a"},
    {"pg_roles",
     "rolname:n rolsuper:b rolinherit:b rolcreaterole:b rolcreatedb:b rolcanlogin:b rolreplication:b "
     "rolconnlimit:i rolpassword:t rolvaliduntil:T rolbypassrls:b rolconfig:a oid:o"},
    {"pg_user",
     "usename:n usesysid:o usecreatedb:b usesuper:b userepl:b usebypassrls:b passwd:t valuntil:T useconfig:a"},
    {"pg_auth_members", "roleid:o member:o grantor:o admin_option:b"},
    {"pg_settings",
     "name:t setting:t unit:t category:t short_desc:t extra_desc:t context:t vartype:t source:t min_val:t "
     "max_val:t enumvals:a boot_val:t reset_val:t sourcefile:t sourceline:i pending_restart:b"},
    {"pg_proc",
     "oid:o proname:n pronamespace:o proowner:o prolang:o procost:f prorows:f provariadic:o prosupport:o "
     "prokind:c prosecdef:b proleakproof:b proisstrict:b proretset:b provolatile:c proparallel:c pronargs:s "
     "pronargdefaults:s prorettype:o proargtypes:a proallargtypes:a proargmodes:a proargnames:a "
     "proargdefaults:t protrftypes:a prosrc:t probin:t prosqlbody:t proconfig:a proacl:a"},
    {"pg_am", "oid:o amname:n amhandler:o amtype:c"},
    {"pg_enum", "oid:o enumtypid:o enumsortorder:f enumlabel:n"},
    {"pg_views", "schemaname:n viewname:n viewowner:n definition:t"},
    {"pg_tables",
     "schemaname:n tablename:n tableowner:n tablespace:n hasindexes:b hasrules:b hastriggers:b rowsecurity:b"},
    {"pg_inherits", "inhrelid:o inhparent:o inhseqno:i inhdetachpending:b"},
    {"pg_collation",
     "oid:o collname:n collnamespace:o collowner:o collprovider:c collisdeterministic:b collencoding:i "
     "collcollate:t collctype:t colliculocale:t collversion:t"},
    {"pg_tablespace", "oid:o spcname:n spcowner:o spcacl:a spcoptions:a"},
    {"pg_policy", "oid:o polname:n polrelid:o polcmd:c polpermissive:b polroles:a polqual:t polwithcheck:t"},
    {"pg_statistic_ext",
     "oid:o stxrelid:o stxname:n stxnamespace:o stxowner:o stxstattarget:i stxkeys:a stxkind:a stxexprs:t"},
    {"pg_publication",
     "oid:o pubname:n pubowner:o puballtables:b pubinsert:b pubupdate:b pubdelete:b pubtruncate:b pubviaroot:b"},
    {"pg_publication_rel", "oid:o prpubid:o prrelid:o prqual:t prattrs:a"},
    {"pg_publication_namespace", "oid:o pnpubid:o pnnspid:o"},
    {"pg_trigger",
     "oid:o tgrelid:o tgparentid:o tgname:n tgfoid:o tgtype:s tgenabled:c tgisinternal:b tgconstrrelid:o "
     "tgconstrindid:o tgconstraint:o tgdeferrable:b tginitdeferred:b tgnargs:s tgattr:a tgargs:t tgqual:t "
     "tgoldtable:n tgnewtable:n"},
    {"pg_rewrite", "oid:o rulename:n ev_class:o ev_type:c ev_enabled:c is_instead:b ev_qual:t ev_action:t"},
    // Casts, text search configurations and event triggers, which psql's \dC, \dF and \dy list:
    // Strata has none of its own to show.
    {"pg_cast", "oid:o castsource:o casttarget:o castfunc:o castcontext:c castmethod:c"},
    {"pg_ts_config", "oid:o cfgname:n cfgnamespace:o cfgowner:o cfgparser:o"},
    {"pg_event_trigger", "oid:o evtname:n evtevent:n evtowner:o evtfoid:o evtenabled:c evttags:a"},
    {"pg_extension",
     "oid:o extname:n extowner:o extnamespace:o extrelocatable:b extversion:t extconfig:a extcondition:a"},
    {"pg_foreign_table", "ftrelid:o ftserver:o ftoptions:a"},
    {"pg_partitioned_table",
     "partrelid:o partstrat:c partnatts:s partdefid:o partattrs:a partclass:a partcollation:a partexprs:t"},
    {"pg_sequence",
     "seqrelid:o seqtypid:o seqstart:l seqincrement:l seqmax:l seqmin:l seqcache:l seqcycle:b"},
    {"pg_depend", "classid:o objid:o objsubid:i refclassid:o refobjid:o refobjsubid:i deptype:c"},
    {"pg_matviews",
     "schemaname:n matviewname:n matviewowner:n tablespace:n hasindexes:b ispopulated:b definition:t"},
    {"pg_stat_user_tables", kStatTablesColumns},
    {"pg_stat_all_tables", kStatTablesColumns},
    {"svv_columns",
     "table_catalog:n table_schema:n table_name:n column_name:n ordinal_position:i column_default:v "
     "is_nullable:v data_type:v character_maximum_length:i numeric_precision:i numeric_precision_radix:i "
     "numeric_scale:i datetime_precision:i interval_type:v interval_precision:v character_set_catalog:n "
     "character_set_schema:n character_set_name:n collation_catalog:n collation_schema:n collation_name:n "
     "domain_name:n remarks:v"},
    {"svv_external_schemas", "esoid:o eskind:s schemaname:n esowner:i databasename:n esoptions:t"},
    {"svv_external_tables",
     "redshift_database_name:n schemaname:n tablename:n tabletype:v location:v input_format:v output_format:v "
     "serialization_lib:v serde_parameters:v compressed:i parameters:v"},
    {"svv_external_columns",
     "redshift_database_name:n schemaname:n tablename:n columnname:n external_type:v columnnum:i part_key:i "
     "is_nullable:v"},
    {"pg_table_def",
     "schemaname:n tablename:n column:n type:t encoding:t distkey:b sortkey:i notnull:b"},
    {"information_schema.tables",
     "table_catalog:n table_schema:n table_name:n table_type:t self_referencing_column_name:n "
     "reference_generation:t user_defined_type_catalog:n user_defined_type_schema:n "
     "user_defined_type_name:n is_insertable_into:t is_typed:t commit_action:t"},
    {"information_schema.columns",
     "table_catalog:n table_schema:n table_name:n column_name:n ordinal_position:i column_default:t "
     "is_nullable:t data_type:t character_maximum_length:i character_octet_length:i numeric_precision:i "
     "numeric_precision_radix:i numeric_scale:i datetime_precision:i interval_type:t interval_precision:i "
     "character_set_catalog:n character_set_schema:n character_set_name:n collation_catalog:n "
     "collation_schema:n collation_name:n domain_catalog:n domain_schema:n domain_name:n udt_catalog:n "
     "udt_schema:n udt_name:n scope_catalog:n scope_schema:n scope_name:n maximum_cardinality:i "
     "dtd_identifier:n is_self_referencing:t is_identity:t identity_generation:t identity_start:t "
     "identity_increment:t identity_maximum:t identity_minimum:t identity_cycle:t is_generated:t "
     "generation_expression:t is_updatable:t"},
    {"information_schema.table_constraints",
     "constraint_catalog:n constraint_schema:n constraint_name:n table_catalog:n table_schema:n table_name:n "
     "constraint_type:t is_deferrable:t initially_deferred:t enforced:t nulls_distinct:t"},
    {"information_schema.key_column_usage",
     "constraint_catalog:n constraint_schema:n constraint_name:n table_catalog:n table_schema:n table_name:n "
     "column_name:n ordinal_position:i position_in_unique_constraint:i"},
    {"information_schema.schemata",
     "catalog_name:n schema_name:n schema_owner:n default_character_set_catalog:n "
     "default_character_set_schema:n default_character_set_name:n sql_path:t"},
};

constexpr const char* kAlwaysEmpty[] = {
    "pg_auth_members", "pg_inherits", "pg_index", "pg_policy",
    "pg_statistic_ext", "pg_extension",
    "pg_publication", "pg_publication_rel", "pg_publication_namespace", "pg_trigger", "pg_rewrite",
    "pg_foreign_table", "pg_partitioned_table", "pg_sequence", "pg_shdescription", "pg_cast", "pg_ts_config",
    "pg_event_trigger"};

SqlType TypeOfCode(char code) {
  switch (code) {
    case 'o': case 'l': return SqlType::Int64();
    case 'n': return SqlType::Varchar(128);
    case 'c': return SqlType::Char(1);
    case 'b': return SqlType::Bool();
    case 's': return SqlType::Int16();
    case 'i': return SqlType::Int32();
    case 'f': return SqlType::Float32();
    case 'T': return SqlType::Timestamp();
    case 'Z': return SqlType::TimestampTz();
    case 'v': return SqlType::Varchar(256);
    default: return SqlType::Varchar(65535);  // t, a
  }
}

const std::map<std::string, std::vector<OutputColumn>>& Shapes() {
  static const auto* shapes = [] {
    auto* m = new std::map<std::string, std::vector<OutputColumn>>;
    for (const RelationSpec& r : kRelations) {
      std::istringstream in(r.columns);
      std::string item;
      std::vector<OutputColumn> cols;
      while (in >> item) {
        size_t colon = item.rfind(':');
        cols.push_back({item.substr(0, colon), TypeOfCode(item[colon + 1])});
      }
      (*m)[r.name] = std::move(cols);
    }
    return m;
  }();
  return *shapes;
}

}  // namespace

std::vector<OutputColumn> PgCatalogColumns(const std::string& name) {
  auto it = Shapes().find(name);
  return it == Shapes().end() ? std::vector<OutputColumn>{} : it->second;
}

const std::vector<std::string>& PgCatalogRelationNames() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> v;
    for (const RelationSpec& r : kRelations) v.push_back(r.name);
    return v;
  }();
  return names;
}

bool IsAlwaysEmptyCatalogRelation(const std::string& name) {
  return std::find(std::begin(kAlwaysEmpty), std::end(kAlwaysEmpty), name) != std::end(kAlwaysEmpty);
}

int64_t SystemRelationOid(const std::string& name) {
  static const std::map<std::string, int64_t> kFixed = {
      {"pg_type", 1247}, {"pg_attribute", 1249}, {"pg_proc", 1255}, {"pg_class", 1259},
      {"pg_database", 1262}, {"pg_namespace", 2615}, {"pg_constraint", 2606}, {"pg_index", 2610},
      {"pg_description", 2609}, {"pg_attrdef", 2604}, {"pg_am", 2601}, {"pg_enum", 3501},
      {"pg_inherits", 2611}, {"pg_collation", 3456}, {"pg_tablespace", 1213}, {"pg_trigger", 2620},
      {"pg_rewrite", 2618}, {"pg_auth_members", 1261}, {"pg_extension", 3079}};
  auto it = kFixed.find(name);
  if (it != kFixed.end()) return it->second;
  // Other system relations: stable oids below the first user oid, by position in the list.
  const auto& names = PgCatalogRelationNames();
  auto pos = std::find(names.begin(), names.end(), name);
  if (pos != names.end()) return 12000 + (pos - names.begin());
  return -1;
}

std::vector<std::string> UserSchemas(const catalog::Catalog& cat) {
  std::set<std::string> s;
  for (const auto& t : cat.tables()) {
    if (t.schema() != "public") s.insert(t.schema());
  }
  return {s.begin(), s.end()};
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
      {"timestamp with time zone", 1184}, {"numeric", 1700}, {"decimal", 1700}, {"name", 19},
      {"regclass", 2205}, {"regtype", 2206}, {"unknown", 705}};
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
