// Rows of PostgreSQL's catalog relations as Strata presents them: one namespace per schema,
// one pg_class row per table, view and system relation, one pg_attribute row per column, the
// types Strata has in pg_type, the bootstrap user and CREATE USER's users in pg_roles/pg_user,
// and the session's settings in pg_settings. Relations Strata has no objects for (indexes,
// constraints, policies, ...) have no rows.
#include "server/pg_catalog_rows.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <map>
#include <set>

#include "planner/expr_builder.h"
#include "planner/expr_text.h"
#include "planner/pg_catalog_tables.h"
#include "planner/physical_planner.h"
#include "planner/session_values.h"
#include "planner/system_tables.h"
#include "server/catalog_row_writer.h"
#include "server/column_catalog_rows.h"
#include "server/constraint_catalog_rows.h"
#include "server/setting_definitions.h"
#include "sql/error.h"
#include "storage/encoding.h"
#include "catalog/table_styles.h"

namespace strata {
namespace {

struct TypeRow {
  int64_t oid;
  const char* name;
  int len;
  bool byval;
  char category;
  int64_t array_oid;
  int64_t elem_oid;
  int64_t collation;
};

// The types Strata stores or shows, and the array and helper types catalogs mention.
constexpr TypeRow kTypes[] = {
    {16, "bool", 1, true, 'B', 1000, 0, 0},        {17, "bytea", -1, false, 'U', 1001, 0, 0},
    {18, "char", 1, true, 'Z', 1002, 0, 100},       {19, "name", 64, false, 'S', 1003, 0, 950},
    {20, "int8", 8, true, 'N', 1016, 0, 0},         {21, "int2", 2, true, 'N', 1005, 0, 0},
    {23, "int4", 4, true, 'N', 1007, 0, 0},         {25, "text", -1, false, 'S', 1009, 0, 100},
    {26, "oid", 4, true, 'N', 1028, 0, 0},          {700, "float4", 4, true, 'N', 1021, 0, 0},
    {701, "float8", 8, true, 'N', 1022, 0, 0},      {705, "unknown", -2, false, 'X', 0, 0, 0},
    {1042, "bpchar", -1, false, 'S', 1014, 0, 100}, {1043, "varchar", -1, false, 'S', 1015, 0, 100},
    {1082, "date", 4, true, 'D', 1182, 0, 0},       {1114, "timestamp", 8, true, 'D', 1115, 0, 0},
    {1184, "timestamptz", 8, true, 'D', 1185, 0, 0}, {1700, "numeric", -1, false, 'N', 1231, 0, 0},
    {2205, "regclass", 4, true, 'N', 2210, 0, 0},   {2206, "regtype", 4, true, 'N', 2211, 0, 0},
    {1000, "_bool", -1, false, 'A', 0, 16, 0},      {1005, "_int2", -1, false, 'A', 0, 21, 0},
    {1007, "_int4", -1, false, 'A', 0, 23, 0},      {1009, "_text", -1, false, 'A', 0, 25, 100},
    {1015, "_varchar", -1, false, 'A', 0, 1043, 100}, {1016, "_int8", -1, false, 'A', 0, 20, 0},
    {1028, "_oid", -1, false, 'A', 0, 26, 0},
};

}  // namespace

std::string ColumnDefaultText(const catalog::Column& c) {
  if (!c.has_default_value()) return "";
  const plan::Expr* e = &c.default_value();
  while (e->has_call() && (e->call().op() == plan::CAST || e->call().op() == plan::ASSIGN_CAST) &&
         e->call().args_size() == 1) {
    e = &e->call().args(0);
  }
  SqlType column_type = FromProtoType(c.type());
  if (e->has_literal() && !e->literal().is_null()) {
    if (column_type.is_string()) {
      std::string quoted = "'";
      for (char ch : e->literal().str()) quoted += ch == '\'' ? std::string("''") : std::string(1, ch);
      return quoted + "'::" + (column_type.id == TypeId::kChar ? "bpchar" : column_type.id == TypeId::kText ? "text"
                                                                                                  : "character varying");
    }
    if (column_type.is_numeric() && e->literal().str().empty()) return ExprText(*e, {});
  }
  return ExprText(c.default_value(), {});
}

int SortKeyOrdinal(const catalog::Table& t, int column) {
  for (int k = 0; k < t.sortkey_size(); ++k) {
    if (t.sortkey(k) == column) return SortStyleOf(t) == SortStyle::kInterleaved && k % 2 ? -(k + 1) : k + 1;
  }
  return 0;
}

namespace {

std::string TableOwner() { return "strata"; }

void Namespaces(const catalog::Catalog& cat, RowWriter& w) {
  w.Add({I(kPgCatalogNamespaceOid), S("pg_catalog"), I(kBootstrapUserOid)});
  w.Add({I(kPublicNamespaceOid), S("public"), I(kBootstrapUserOid)});
  w.Add({I(kInformationSchemaNamespaceOid), S("information_schema"), I(kBootstrapUserOid)});
  std::vector<std::string> schemas = UserSchemas(cat);
  for (const auto& s : schemas) w.Add({I(NamespaceOid(s, schemas)), S(s), I(kBootstrapUserOid)});
}

// pg_class: user tables and views, then the system relations (in pg_catalog).
void Classes(const catalog::Catalog& cat, RowWriter& w) {
  std::vector<std::string> schemas = UserSchemas(cat);
  auto add = [&](int64_t oid, const std::string& name, int64_t ns, char kind, int natts, double tuples, int dist,
                 bool triggers) {
    w.Add({I(oid), S(name), I(ns), I(0), I(0), I(kBootstrapUserOid), I(kind == 'r' ? 2 : kind == 'i' ? 403 : 0), I(oid), I(0),
           I(0), F(tuples), I(0), I(0), B(false), B(false), S("p"), S(std::string(1, kind)), I(natts), I(0),
           B(false), B(triggers), B(false), B(false), B(false), B(true), S(ns == kPgCatalogNamespaceOid ? "n" : "d"), B(false),
           I(0), I(0), I(0), kNullValue, kNullValue, kNullValue, I(dist)});
  };
  // PostgreSQL implements foreign keys with triggers on both tables, and psql's \d lists a
  // table's foreign keys and referencing tables only when relhastriggers says so.
  std::set<int64_t> in_foreign_keys;
  for (const auto& t : cat.tables()) {
    for (const auto& c : t.constraints()) {
      if (!IsForeignKey(c)) continue;
      in_foreign_keys.insert(t.id());
      in_foreign_keys.insert(c.ref_table_id());
    }
  }
  for (const auto& t : cat.tables()) {
    add(TableOid(t.id()), t.name(), NamespaceOid(t.schema(), schemas), t.is_view() ? 'v' : 'r', t.columns_size(),
        t.is_view() ? 0.0 : static_cast<double>(t.rows()), t.is_view() ? 0 : RedshiftDistStyleId(t.diststyle()),
        in_foreign_keys.count(t.id()) > 0);
    for (int i = 0; i < t.constraints_size(); ++i) {
      const catalog::Constraint& c = t.constraints(i);
      if (IsForeignKey(c)) continue;
      add(KeyIndexOid(t.id(), i), c.name(), NamespaceOid(t.schema(), schemas), 'i', c.columns_size(), 0, 0, false);
    }
  }
  const std::string kInfo = "information_schema.";
  for (const auto& name : PgCatalogRelationNames()) {
    int natts = static_cast<int>(PgCatalogColumns(name).size());
    if (name.rfind(kInfo, 0) == 0) {
      add(SystemRelationOid(name), name.substr(kInfo.size()), kInformationSchemaNamespaceOid, 'v', natts, 0, 0, false);
    } else {
      add(SystemRelationOid(name), name, kPgCatalogNamespaceOid, 'r', natts, 0, 0, false);
    }
  }
}

// pg_attribute, with Redshift's encoding, distribution key and sort key position per column.
void Attributes(const catalog::Catalog& cat, RowWriter& w) {
  auto add = [&](int64_t rel, const std::string& name, const SqlType& type, int num, bool not_null, bool has_def,
                 int encoding, bool distkey, int sortkey) {
    int64_t collation = type.is_string() ? 100 : 0;
    w.Add({I(rel), S(name), I(type.pg_oid()), I(-1), I(type.pg_typlen()), I(num), I(0), I(-1), I(type.pg_typmod()),
           B(type.pg_typlen() > 0 && type.pg_typlen() <= 8), S(type.pg_typlen() == 8 ? "d" : "i"),
           S(type.pg_typlen() > 0 ? "p" : "x"), S(""), B(not_null), B(has_def), B(false), S(""), S(""), B(false),
           B(true), I(0), I(collation), kNullValue, kNullValue, kNullValue, kNullValue, I(encoding), B(distkey),
           I(sortkey)});
  };
  for (const auto& t : cat.tables()) {
    std::vector<int> enc;
    if (!t.is_view()) enc = ColumnEncodings(t);
    for (int i = 0; i < t.columns_size(); ++i) {
      const auto& c = t.columns(i);
      int encoding = t.is_view() ? 0 : RedshiftEncodingId(EncodingName(static_cast<Encoding>(enc[i])));
      bool distkey = !t.is_view() && DistStyleOf(t) == DistStyle::kKey && t.distkey() == i;
      add(TableOid(t.id()), c.name(), FromProtoType(c.type()), i + 1, c.not_null(), c.has_default_value(), encoding,
          distkey, t.is_view() ? 0 : SortKeyOrdinal(t, i));
    }
  }
  for (const auto& name : PgCatalogRelationNames()) {
    std::vector<OutputColumn> cols = PgCatalogColumns(name);
    for (size_t i = 0; i < cols.size(); ++i) {
      add(SystemRelationOid(name), cols[i].name, cols[i].type, i + 1, false, false, 0, false, 0);
    }
  }
}

// pg_stat_user_tables / pg_stat_all_tables: one row per user table. Strata counts no scans or
// tuple changes, so those are 0; n_live_tup is the table's committed row count; idx_scan is
// NULL as PostgreSQL shows it for a table without indexes.
void StatTables(const catalog::Catalog& cat, RowWriter& w) {
  std::vector<std::string> schemas = UserSchemas(cat);
  for (const auto& t : cat.tables()) {
    if (t.is_view()) continue;
    int64_t modified = t.analyzed() ? std::llabs(t.rows() - t.analyzed_rows()) : t.rows();
    w.Add({I(TableOid(t.id())), S(t.schema()), S(t.name()), I(0), I(0), kNullValue, kNullValue, I(0), I(0), I(0), I(0),
           I(t.rows()), I(0), I(modified), I(0), kNullValue, kNullValue, kNullValue, kNullValue, I(0), I(0),
           I(t.analyzed() ? 1 : 0), I(0)});
  }
}

void Types(RowWriter& w) {
  for (const TypeRow& t : kTypes) {
    w.Add({I(t.oid), S(t.name), I(kPgCatalogNamespaceOid), I(kBootstrapUserOid), I(t.len), B(t.byval),
           S(t.category == 'A' ? "b" : t.oid == 705 ? "p" : "b"), S(std::string(1, t.category)), B(false), B(true),
           S(","), I(0), I(0), I(t.elem_oid), I(t.array_oid), I(0), I(0), I(0), I(0), I(0), I(0), I(0),
           S(t.len == 8 ? "d" : t.len == 2 ? "s" : t.len == 1 ? "c" : "i"), S(t.len > 0 ? "p" : "x"), B(false), I(0),
           I(-1), I(0), I(t.collation)});
  }
}

// PostgreSQL's array text of a setting's choices: {a,"b c"}.
std::string ChoicesArray(const std::string& choices) {
  std::string out = "{";
  size_t at = 0;
  while (at <= choices.size()) {
    size_t comma = choices.find(',', at);
    if (comma == std::string::npos) comma = choices.size();
    std::string item = choices.substr(at, comma - at);
    if (out.size() > 1) out += ",";
    out += item.find(' ') == std::string::npos ? item : "\"" + item + "\"";
    at = comma + 1;
  }
  return out + "}";
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// pg_settings: every setting SHOW ALL lists, with the session's value, plus the read-only
// limits pgjdbc asks for and any custom (dotted) setting the session made.
void Settings(const SessionValues* sv, RowWriter& w) {
  auto current = [&](const std::string& lower) -> const std::string* {
    if (sv == nullptr || sv->settings == nullptr) return nullptr;
    auto it = sv->settings->find(lower);
    return it == sv->settings->end() ? nullptr : &it->second;
  };
  struct Row {
    std::string name, setting;
    CatalogValue unit = kNullValue;
    std::string category, description, context, vartype, source;
    CatalogValue min = kNullValue, max = kNullValue, enumvals = kNullValue;
    std::string boot;
  };
  std::map<std::string, Row> rows;  // by lowercased name: PostgreSQL lists them case-insensitively sorted
  for (const SettingDef& def : SettingDefinitions()) {
    Row r;
    r.name = def.name;
    const std::string* now = current(Lower(def.name));
    r.setting = now != nullptr ? *now : def.boot;
    r.boot = def.boot;
    r.description = def.description;
    bool read_only = def.kind == SettingKind::kReadOnly;
    r.category = read_only ? "Preset Options" : "Client Connection Defaults";
    r.context = read_only ? "internal" : "user";
    r.vartype = "string";
    switch (def.kind) {
      case SettingKind::kBool: r.vartype = "bool"; break;
      case SettingKind::kInteger:
        r.vartype = "integer";
        r.min = S(std::to_string(def.min));
        r.max = S(std::to_string(def.max));
        break;
      case SettingKind::kMilliseconds:
        r.vartype = "integer";
        r.unit = S("ms");
        r.min = S(std::to_string(def.min));
        r.max = S(std::to_string(def.max));
        r.setting = std::to_string(MillisecondsOf(r.setting));
        r.boot = std::to_string(MillisecondsOf(r.boot));
        break;
      case SettingKind::kEnum:
        r.vartype = "enum";
        r.enumvals = S(ChoicesArray(def.choices));
        break;
      case SettingKind::kReadOnly:
        if (r.boot == "on" || r.boot == "off") r.vartype = "bool";
        break;
      default: break;
    }
    r.source = read_only || r.setting == r.boot ? "default" : "session";
    rows[Lower(def.name)] = std::move(r);
  }
  for (auto [name, value] : {std::pair<const char*, const char*>{"max_index_keys", "32"},
                             {"max_identifier_length", "63"}, {"server_version_num", "150000"}}) {
    Row r{name, value, kNullValue, "Preset Options", "", "internal", "integer", "default"};
    r.min = S(value);
    r.max = S(value);
    r.boot = value;
    rows.emplace(name, std::move(r));
  }
  if (sv != nullptr && sv->settings != nullptr) {
    for (const auto& [k, v] : *sv->settings) {
      if (rows.count(k) == 0) rows[k] = Row{k, v, kNullValue, "Customized Options", "", "user", "string", "session"};
    }
  }
  for (const auto& [key, r] : rows) {
    w.Add({S(r.name), S(r.setting), r.unit, S(r.category), S(r.description), kNullValue, S(r.context), S(r.vartype),
           S(r.source), r.min, r.max, r.enumvals, S(r.boot), S(r.setting), kNullValue, kNullValue, B(false)});
  }
}

// Redshift's pg_table_def: the columns of the tables in the search path (schema public).
void TableDef(const catalog::Catalog& cat, RowWriter& w) {
  for (const auto& t : cat.tables()) {
    if (t.is_view() || t.schema() != "public") continue;
    std::vector<int> enc = ColumnEncodings(t);
    for (int i = 0; i < t.columns_size(); ++i) {
      const auto& c = t.columns(i);
      int sort_pos = SortKeyOrdinal(t, i);
      w.Add({S(t.schema()), S(t.name()), S(c.name()), S(FromProtoType(c.type()).ToString()),
             S(std::string(EncodingName(static_cast<Encoding>(enc[i])))), B(t.distkey() == i), I(sort_pos),
             B(c.not_null())});
    }
  }
}

}  // namespace

bool FillPgCatalogRelation(const std::string& name, const catalog::Catalog& cat, const SessionValues* sv, Batch* out) {
  if (PgCatalogColumns(name).empty()) return false;
  RowWriter w(out);
  std::string db = sv != nullptr && !sv->database.empty() ? sv->database : "dev";
  std::vector<std::string> schemas = UserSchemas(cat);
  if (name == "pg_namespace") {
    Namespaces(cat, w);
  } else if (name == "pg_class") {
    Classes(cat, w);
  } else if (name == "pg_attribute") {
    Attributes(cat, w);
  } else if (name == "pg_type") {
    Types(w);
  } else if (name == "pg_attrdef") {
    for (const auto& t : cat.tables()) {
      for (int i = 0; i < t.columns_size(); ++i) {
        if (!t.columns(i).has_default_value()) continue;
        w.Add({I(TableOid(t.id()) * 1000 + i + 1), I(TableOid(t.id())), I(i + 1), S(ColumnDefaultText(t.columns(i)))});
      }
    }
  } else if (name == "pg_database") {
    w.Add({I(1), S("dev"), I(kBootstrapUserOid), I(6), S("c"), B(false), B(true), I(-1), I(0), I(0), I(1663), S("C.UTF-8"),
           S("C.UTF-8"), kNullValue, kNullValue, kNullValue});
  } else if (name == "pg_roles" || name == "pg_user") {
    auto add = [&](int64_t oid, const std::string& user, bool super, bool createdb) {
      if (name == "pg_roles") {
        w.Add({S(user), B(super), B(true), B(super), B(createdb || super), B(true), B(false), I(-1), S("********"), kNullValue,
               B(super), kNullValue, I(oid)});
      } else {
        w.Add({S(user), I(oid), B(createdb || super), B(super), B(false), B(super), S("********"), kNullValue, kNullValue});
      }
    };
    add(kBootstrapUserOid, "strata", true, true);
    for (const auto& u : cat.users()) add(u.id(), u.name(), u.superuser(), u.create_db());
  } else if (name == "pg_settings") {
    Settings(sv, w);
  } else if (name == "pg_am") {
    w.Add({I(2), S("heap"), I(3), S("t")});
    w.Add({I(403), S("btree"), I(330), S("i")});
  } else if (name == "pg_views" || name == "pg_tables") {
    for (const auto& t : cat.tables()) {
      if (t.is_view() != (name == "pg_views")) continue;
      if (t.is_view()) w.Add({S(t.schema()), S(t.name()), S(TableOwner()), S(t.view_sql())});
      else w.Add({S(t.schema()), S(t.name()), S(TableOwner()), kNullValue, B(false), B(false), B(false), B(false)});
    }
  } else if (name == "pg_collation") {
    w.Add({I(100), S("default"), I(kPgCatalogNamespaceOid), I(kBootstrapUserOid), S("d"), B(true), I(-1), kNullValue, kNullValue});
    w.Add({I(950), S("C"), I(kPgCatalogNamespaceOid), I(kBootstrapUserOid), S("c"), B(true), I(-1), S("C"), S("C")});
    w.Add({I(951), S("POSIX"), I(kPgCatalogNamespaceOid), I(kBootstrapUserOid), S("c"), B(true), I(-1), S("POSIX"), S("POSIX")});
  } else if (name == "pg_tablespace") {
    w.Add({I(1663), S("pg_default"), I(kBootstrapUserOid)});
    w.Add({I(1664), S("pg_global"), I(kBootstrapUserOid)});
  } else if (name == "pg_proc") {
    // The functions Strata's binder knows, for tools that list them (\df shows only non-pg_catalog).
    int64_t oid = 9000;
    for (const char* f : {"lower", "upper", "length", "substring", "trim", "abs", "round", "coalesce", "nullif",
                          "date_part", "format_type", "version", "current_database", "current_schema"}) {
      w.Add({I(oid++), S(f), I(kPgCatalogNamespaceOid), I(kBootstrapUserOid), I(12), F(1), F(0), I(0), I(0), S("f"),
             B(false), B(false), B(false), B(false), S("i"), S("s"), I(0), I(0), I(25)});
    }
    for (const char* f : {"count", "sum", "avg", "min", "max"}) {
      w.Add({I(oid++), S(f), I(kPgCatalogNamespaceOid), I(kBootstrapUserOid), I(12), F(1), F(0), I(0), I(0), S("a"),
             B(false), B(false), B(false), B(false), S("i"), S("s"), I(1), I(0), I(20)});
    }
  } else if (name == "pg_table_def") {
    TableDef(cat, w);
  } else if (name == "information_schema.tables") {
    for (const auto& t : cat.tables()) {
      w.Add({S(db), S(t.schema()), S(t.name()), S(t.is_view() ? "VIEW" : "BASE TABLE"), kNullValue, kNullValue, kNullValue, kNullValue,
             kNullValue, S(t.is_view() ? "NO" : "YES"), S("NO"), kNullValue});
    }
  } else if (name == "information_schema.columns") {
    FillInformationSchemaColumns(cat, db, w);
  } else if (name == "svv_columns") {
    FillSvvColumns(cat, db, w);
  } else if (name == "pg_stat_user_tables" || name == "pg_stat_all_tables") {
    StatTables(cat, w);
  } else if (name == "information_schema.table_constraints" || name == "information_schema.key_column_usage") {
    FillConstraintRelation(name, cat, db, w);
  } else if (name == "pg_constraint") {
    FillPgConstraint(cat, w);
  } else if (name == "pg_description") {
    for (const auto& t : cat.tables()) {  // comments on tables and views (objsubid 0) and columns
      if (!t.comment().empty()) w.Add({I(TableOid(t.id())), I(SystemRelationOid("pg_class")), I(0), S(t.comment())});
      for (int i = 0; i < t.columns_size(); ++i) {
        const std::string& text = t.columns(i).comment();
        if (!text.empty()) w.Add({I(TableOid(t.id())), I(SystemRelationOid("pg_class")), I(i + 1), S(text)});
      }
    }
  } else if (name == "information_schema.schemata") {
    std::vector<std::string> all = {"information_schema", "pg_catalog", "public"};
    for (const auto& s : schemas) all.push_back(s);
    std::sort(all.begin(), all.end());
    for (const auto& s : all) w.Add({S(db), S(s), S("strata"), kNullValue, kNullValue, kNullValue, kNullValue});
  }
  // Every other catalog relation has no rows in Strata.
  return true;
}

}  // namespace strata
