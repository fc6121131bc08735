// Rows of PostgreSQL's catalog relations as Strata presents them: one namespace per schema,
// one pg_class row per table, view and system relation, one pg_attribute row per column, the
// types Strata has in pg_type, the bootstrap user and CREATE USER's users in pg_roles/pg_user,
// and the session's settings in pg_settings. Relations Strata has no objects for (indexes,
// constraints, policies, ...) have no rows.
#include "server/pg_catalog_rows.h"

#include <algorithm>
#include <map>
#include <set>
#include <variant>

#include "planner/expr_builder.h"
#include "planner/expr_text.h"
#include "planner/pg_catalog_tables.h"
#include "planner/physical_planner.h"
#include "planner/session_values.h"
#include "planner/system_tables.h"
#include "sql/error.h"
#include "storage/encoding.h"

namespace strata {
namespace {

using Value = std::variant<std::monostate, int64_t, double, bool, std::string>;
const Value kNull{};

// Appends rows to a Batch by column position; a value's C++ type must suit the column.
class RowWriter {
 public:
  explicit RowWriter(Batch* out) : out_(out) {}
  void Add(std::initializer_list<Value> values) {
    size_t c = 0;
    for (const Value& v : values) Set(c++, v);
    for (; c < out_->columns.size(); ++c) Set(c, kNull);
    out_->rows++;
  }

 private:
  void Set(size_t col, const Value& v) {
    Vector& x = out_->columns[col];
    size_t i = x.size();
    x.Resize(i + 1);
    if (std::holds_alternative<std::monostate>(v)) {
      x.SetNull(i, true);
      return;
    }
    switch (x.physical()) {
      case PhysicalType::kBool: x.data<uint8_t>()[i] = std::get<bool>(v) ? 1 : 0; break;
      case PhysicalType::kInt16: x.data<int16_t>()[i] = static_cast<int16_t>(std::get<int64_t>(v)); break;
      case PhysicalType::kInt32: x.data<int32_t>()[i] = static_cast<int32_t>(std::get<int64_t>(v)); break;
      case PhysicalType::kInt64: x.data<int64_t>()[i] = std::get<int64_t>(v); break;
      case PhysicalType::kFloat32: x.data<float>()[i] = static_cast<float>(std::get<double>(v)); break;
      case PhysicalType::kFloat64: x.data<double>()[i] = std::get<double>(v); break;
      case PhysicalType::kString: x.SetString(i, std::get<std::string>(v)); break;
      default: STRATA_INTERNAL_ERROR("catalog row: unexpected column type");
    }
  }
  Batch* out_;
};

Value I(int64_t v) { return Value(v); }
Value S(std::string v) { return Value(std::move(v)); }
Value B(bool v) { return Value(v); }
Value F(double v) { return Value(v); }

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

// A column default as pg_get_expr prints it: a constant as its literal ('x'::character
// varying, 42), anything else in Strata's expression text.
std::string DefaultText(const catalog::Column& c) {
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
  auto add = [&](int64_t oid, const std::string& name, int64_t ns, char kind, int natts, double tuples) {
    w.Add({I(oid), S(name), I(ns), I(0), I(0), I(kBootstrapUserOid), I(kind == 'r' ? 2 : 0), I(oid), I(0),
           I(0), F(tuples), I(0), I(0), B(false), B(false), S("p"), S(std::string(1, kind)), I(natts), I(0),
           B(false), B(false), B(false), B(false), B(false), B(true), S(ns == kPgCatalogNamespaceOid ? "n" : "d"), B(false),
           I(0), I(0), I(0)});
  };
  for (const auto& t : cat.tables()) {
    add(TableOid(t.id()), t.name(), NamespaceOid(t.schema(), schemas), t.is_view() ? 'v' : 'r', t.columns_size(),
        t.is_view() ? 0.0 : static_cast<double>(t.rows()));
  }
  for (const auto& name : PgCatalogRelationNames()) {
    if (name.find('.') != std::string::npos) continue;  // information_schema's are listed below
    add(SystemRelationOid(name), name, kPgCatalogNamespaceOid, 'r', static_cast<int>(PgCatalogColumns(name).size()), 0);
  }
  for (const char* name : {"tables", "columns", "schemata"}) {
    std::string full = std::string("information_schema.") + name;
    add(SystemRelationOid(full), name, kInformationSchemaNamespaceOid, 'v',
        static_cast<int>(PgCatalogColumns(full).size()), 0);
  }
}

void Attributes(const catalog::Catalog& cat, RowWriter& w) {
  auto add = [&](int64_t rel, const std::string& name, const SqlType& type, int num, bool not_null, bool has_def) {
    int64_t collation = type.is_string() ? 100 : 0;
    w.Add({I(rel), S(name), I(type.pg_oid()), I(-1), I(type.pg_typlen()), I(num), I(0), I(-1), I(type.pg_typmod()),
           B(type.pg_typlen() > 0 && type.pg_typlen() <= 8), S(type.pg_typlen() == 8 ? "d" : "i"),
           S(type.pg_typlen() > 0 ? "p" : "x"), S(""), B(not_null), B(has_def), B(false), S(""), S(""), B(false),
           B(true), I(0), I(collation)});
  };
  for (const auto& t : cat.tables()) {
    for (int i = 0; i < t.columns_size(); ++i) {
      const auto& c = t.columns(i);
      add(TableOid(t.id()), c.name(), FromProtoType(c.type()), i + 1, c.not_null(), c.has_default_value());
    }
  }
  for (const auto& name : PgCatalogRelationNames()) {
    std::vector<OutputColumn> cols = PgCatalogColumns(name);
    for (size_t i = 0; i < cols.size(); ++i) add(SystemRelationOid(name), cols[i].name, cols[i].type, i + 1, false, false);
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

void Settings(RowWriter& w) {
  const SessionValues* sv = CurrentSessionValues();
  std::map<std::string, std::string> values = {{"max_index_keys", "32"}, {"max_identifier_length", "63"},
                                               {"server_version", "15.0"}, {"server_encoding", "UTF8"},
                                               {"integer_datetimes", "on"}, {"standard_conforming_strings", "on"}};
  if (sv != nullptr && sv->settings != nullptr) {
    for (const auto& [k, v] : *sv->settings) values[k] = v;
  }
  for (const auto& [k, v] : values) {
    w.Add({S(k), S(v), kNull, S("Strata"), S(""), kNull, S("user"), S("string"), S("session"), kNull, kNull, kNull, S(v),
           S(v), kNull, kNull, B(false)});
  }
}

// Redshift's pg_table_def: the columns of the tables in the search path (schema public).
void TableDef(const catalog::Catalog& cat, RowWriter& w) {
  for (const auto& t : cat.tables()) {
    if (t.is_view() || t.schema() != "public") continue;
    std::vector<int> enc = ColumnEncodings(t);
    for (int i = 0; i < t.columns_size(); ++i) {
      const auto& c = t.columns(i);
      int sort_pos = 0;
      for (int k = 0; k < t.sortkey_size(); ++k) {
        if (t.sortkey(k) == i) sort_pos = t.sortstyle() == "INTERLEAVED" ? (k % 2 ? -(k + 1) : k + 1) : k + 1;
      }
      w.Add({S(t.schema()), S(t.name()), S(c.name()), S(FromProtoType(c.type()).ToString()),
             S(std::string(EncodingName(static_cast<Encoding>(enc[i])))), B(t.distkey() == i), I(sort_pos),
             B(c.not_null())});
    }
  }
}

// information_schema.columns' type columns, from the SQL standard's view of each type.
void InfoColumns(const catalog::Catalog& cat, const std::string& db, RowWriter& w) {
  for (const auto& t : cat.tables()) {
    for (int i = 0; i < t.columns_size(); ++i) {
      const auto& c = t.columns(i);
      SqlType type = FromProtoType(c.type());
      std::string data_type = type.ToString();
      Value char_len = kNull, octet_len = kNull, precision = kNull, radix = kNull, scale = kNull, dt_precision = kNull;
      std::string udt;
      switch (type.id) {
        case TypeId::kChar: data_type = "character"; udt = "bpchar"; break;
        case TypeId::kVarchar: case TypeId::kText: data_type = "character varying"; udt = "varchar"; break;
        case TypeId::kDecimal: data_type = "numeric"; udt = "numeric"; break;
        case TypeId::kTimestamp: udt = "timestamp"; break;
        case TypeId::kInt16: udt = "int2"; break;
        case TypeId::kInt32: udt = "int4"; break;
        case TypeId::kInt64: udt = "int8"; break;
        case TypeId::kFloat32: udt = "float4"; break;
        case TypeId::kFloat64: udt = "float8"; break;
        case TypeId::kBool: udt = "bool"; break;
        case TypeId::kDate: udt = "date"; break;
        default: udt = data_type; break;
      }
      if (type.is_string() && type.length >= 0) {
        char_len = I(type.length);
        octet_len = I(type.length);
      }
      if (type.id == TypeId::kDecimal) {
        precision = I(type.precision);
        radix = I(10);
        scale = I(type.scale);
      } else if (type.is_integer()) {
        precision = I(type.id == TypeId::kInt16 ? 16 : type.id == TypeId::kInt32 ? 32 : 64);
        radix = I(2);
        scale = I(0);
      } else if (type.is_float()) {
        precision = I(type.id == TypeId::kFloat32 ? 24 : 53);
        radix = I(2);
      } else if (type.is_temporal()) {
        dt_precision = I(type.id == TypeId::kDate ? 0 : 6);
      }
      std::string def = DefaultText(c);
      w.Add({S(db), S(t.schema()), S(t.name()), S(c.name()), I(i + 1), def.empty() ? kNull : S(def),
             S(c.not_null() ? "NO" : "YES"), S(data_type), char_len, octet_len, precision, radix, scale, dt_precision,
             kNull, kNull, kNull, kNull, kNull, kNull, kNull, kNull, kNull, kNull, kNull, S(db), S("pg_catalog"), S(udt),
             kNull, kNull, kNull, kNull, S(std::to_string(i + 1)), S("NO"), S("NO"), kNull, kNull, kNull, kNull, kNull,
             S("NO"), S("NEVER"), kNull, S(t.is_view() ? "NO" : "YES")});
    }
  }
}

}  // namespace

bool FillPgCatalogRelation(const std::string& name, const catalog::Catalog& cat, Batch* out) {
  if (PgCatalogColumns(name).empty()) return false;
  RowWriter w(out);
  const SessionValues* sv = CurrentSessionValues();
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
        w.Add({I(TableOid(t.id()) * 1000 + i + 1), I(TableOid(t.id())), I(i + 1), S(DefaultText(t.columns(i)))});
      }
    }
  } else if (name == "pg_database") {
    w.Add({I(1), S("dev"), I(kBootstrapUserOid), I(6), S("c"), B(false), B(true), I(-1), I(0), I(0), I(1663), S("C.UTF-8"),
           S("C.UTF-8"), kNull, kNull, kNull});
  } else if (name == "pg_roles" || name == "pg_user") {
    auto add = [&](int64_t oid, const std::string& user, bool super, bool createdb) {
      if (name == "pg_roles") {
        w.Add({S(user), B(super), B(true), B(super), B(createdb || super), B(true), B(false), I(-1), S("********"), kNull,
               B(super), kNull, I(oid)});
      } else {
        w.Add({S(user), I(oid), B(createdb || super), B(super), B(false), B(super), S("********"), kNull, kNull});
      }
    };
    add(kBootstrapUserOid, "strata", true, true);
    for (const auto& u : cat.users()) add(u.id(), u.name(), u.superuser(), u.create_db());
  } else if (name == "pg_settings") {
    Settings(w);
  } else if (name == "pg_am") {
    w.Add({I(2), S("heap"), I(3), S("t")});
    w.Add({I(403), S("btree"), I(330), S("i")});
  } else if (name == "pg_views" || name == "pg_tables") {
    for (const auto& t : cat.tables()) {
      if (t.is_view() != (name == "pg_views")) continue;
      if (t.is_view()) w.Add({S(t.schema()), S(t.name()), S(TableOwner()), S(t.view_sql())});
      else w.Add({S(t.schema()), S(t.name()), S(TableOwner()), kNull, B(false), B(false), B(false), B(false)});
    }
  } else if (name == "pg_collation") {
    w.Add({I(100), S("default"), I(kPgCatalogNamespaceOid), I(kBootstrapUserOid), S("d"), B(true), I(-1), kNull, kNull});
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
      w.Add({S(db), S(t.schema()), S(t.name()), S(t.is_view() ? "VIEW" : "BASE TABLE"), kNull, kNull, kNull, kNull,
             kNull, S(t.is_view() ? "NO" : "YES"), S("NO"), kNull});
    }
  } else if (name == "information_schema.columns") {
    InfoColumns(cat, db, w);
  } else if (name == "information_schema.schemata") {
    std::vector<std::string> all = {"information_schema", "pg_catalog", "public"};
    for (const auto& s : schemas) all.push_back(s);
    std::sort(all.begin(), all.end());
    for (const auto& s : all) w.Add({S(db), S(s), S("strata"), kNull, kNull, kNull, kNull});
  }
  // Every other catalog relation has no rows in Strata.
  return true;
}

}  // namespace strata
