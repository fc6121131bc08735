// See shared_rows.h.
#include "server/system_relations/shared_rows.h"

#include <algorithm>
#include <chrono>

#include "planner/expr_builder.h"
#include "planner/expr_text.h"
#include "planner/identity_columns.h"
#include "planner/pg_catalog_tables.h"
#include "sql/error.h"
#include "catalog/catalog_privileges.h"
#include "catalog/table_styles.h"

namespace strata {

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

std::string ColumnDefaultText(const catalog::Table& t, const catalog::Column& c) {
  if (c.has_identity() && c.identity().serial()) {
    std::string seq = IdentitySequenceName(t.name(), c.name());
    if (t.schema() != "public") seq = t.schema() + "." + seq;
    return "nextval('" + seq + "'::regclass)";
  }
  return ColumnDefaultText(c);
}

bool ShowsDefault(const catalog::Column& c) {
  return c.has_default_value() || (c.has_identity() && c.identity().serial());
}

const char* IdentityKind(const catalog::Column& c) {
  if (!c.has_identity() || c.identity().serial()) return "";
  return c.identity().by_default() ? "d" : "a";
}

int SortKeyOrdinal(const catalog::Table& t, int column) {
  for (int k = 0; k < t.sortkey_size(); ++k) {
    if (t.sortkey(k) == column) return t.sort_style() == catalog::SORT_INTERLEAVED && k % 2 ? -(k + 1) : k + 1;
  }
  return 0;
}

StandardType DescribeStandardType(const SqlType& type) {
  StandardType s;
  s.data_type = type.ToString();
  switch (type.id) {
    case TypeId::kChar: s.data_type = "character"; s.udt = "bpchar"; break;
    case TypeId::kVarchar: case TypeId::kText: s.data_type = "character varying"; s.udt = "varchar"; break;
    case TypeId::kDecimal: s.data_type = "numeric"; s.udt = "numeric"; break;
    case TypeId::kTimestamp: s.udt = "timestamp"; break;
    case TypeId::kTimestampTz: s.udt = "timestamptz"; break;
    case TypeId::kInt16: s.udt = "int2"; break;
    case TypeId::kInt32: s.udt = "int4"; break;
    case TypeId::kInt64: s.udt = "int8"; break;
    case TypeId::kFloat32: s.udt = "float4"; break;
    case TypeId::kFloat64: s.udt = "float8"; break;
    case TypeId::kBool: s.udt = "bool"; break;
    case TypeId::kDate: s.udt = "date"; break;
    case TypeId::kTime: s.udt = "time"; break;
    case TypeId::kTimeTz: s.udt = "timetz"; break;
    case TypeId::kInterval: s.udt = "interval"; break;
    case TypeId::kSuper: s.udt = "super"; break;
    default: s.udt = s.data_type; break;
  }
  if (type.is_string() && type.length >= 0) s.char_len = I(type.length);
  if (type.id == TypeId::kDecimal) {
    s.precision = I(type.precision);
    s.radix = I(10);
    s.scale = I(type.scale);
  } else if (type.is_integer()) {
    s.precision = I(type.id == TypeId::kInt16 ? 16 : type.id == TypeId::kInt32 ? 32 : 64);
    s.radix = I(2);
    s.scale = I(0);
  } else if (type.is_float()) {
    s.precision = I(type.id == TypeId::kFloat32 ? 24 : 53);
    s.radix = I(2);
  } else if (type.is_temporal() || type.is_time() || type.id == TypeId::kInterval) {
    s.dt_precision = I(type.id == TypeId::kDate ? 0 : 6);
  }
  return s;
}

const catalog::Table* TableById(const CatalogVersion& cat, int64_t id) {
  for (const auto& t : cat.tables()) {
    if (t.id() == id) return &t;
  }
  return nullptr;
}

namespace {

const char* TypeName(catalog::ConstraintKind kind) {
  return kind == catalog::PRIMARY_KEY ? "PRIMARY KEY" : kind == catalog::UNIQUE ? "UNIQUE" : "FOREIGN KEY";
}

}  // namespace

std::vector<TableConstraint> TableConstraints(const CatalogVersion& cat) {
  std::vector<TableConstraint> out;
  std::vector<std::string> schemas = UserSchemas(cat);
  for (const auto& t : cat.tables()) {
    if (t.is_view()) continue;
    for (const auto& c : t.constraints()) {
      TableConstraint tc{t.schema(), t.name(), c.name(), TypeName(c.kind()), {}, {}};
      for (int o : c.columns()) tc.columns.push_back(t.columns(o).name());
      if (IsForeignKey(c)) {
        // Positions within the referenced key: the order its PRIMARY KEY / UNIQUE lists them.
        const catalog::Table* ref = TableById(cat, c.ref_table_id());
        for (int r : c.ref_columns()) {
          int position = 0;
          for (const auto& k : ref != nullptr ? ref->constraints() : t.constraints()) {
            if (IsForeignKey(k) || k.columns_size() != c.ref_columns_size()) continue;
            auto at = std::find(k.columns().begin(), k.columns().end(), r);
            if (at != k.columns().end()) { position = static_cast<int>(at - k.columns().begin()) + 1; break; }
          }
          tc.referenced_positions.push_back(position);
        }
      }
      out.push_back(std::move(tc));
    }
    for (int i = 0; i < t.columns_size(); ++i) {
      if (!t.columns(i).not_null()) continue;
      // PostgreSQL's name for the CHECK a NOT NULL column implies: namespace oid, table oid,
      // column number.
      out.push_back({t.schema(), t.name(),
                     StrCat(NamespaceOid(t.schema(), schemas), "_", TableOid(t.id()), "_", i + 1, "_not_null"),
                     "CHECK", {}, {}});
    }
  }
  return out;
}

int64_t UserIdOf(const CatalogVersion& cat, const std::string& user) {
  for (const auto& u : cat.users()) {
    if (u.name() == user) return u.id();
  }
  return 1;  // the bootstrap superuser
}

int64_t NowMicros2000() {
  constexpr int64_t kMicrosFrom1970To2000 = 946684800LL * 1000000;
  auto now = std::chrono::system_clock::now().time_since_epoch();
  return std::chrono::duration_cast<std::chrono::microseconds>(now).count() - kMicrosFrom1970To2000;
}

bool ViewerMaySee(const CatalogVersion& cat, const std::string& viewer, bool viewer_is_superuser,
                  const catalog::Table& t) {
  if (viewer_is_superuser || viewer.empty()) return true;
  if (TablePrivilegesOf(cat, t, viewer) != 0) return true;
  for (int c = 0; c < t.columns_size(); ++c) {
    if (ColumnPrivilegesOf(cat, t, c, viewer) != 0) return true;
  }
  return false;
}

}  // namespace strata
