// Rows of the constraint catalog relations (see constraint_catalog_rows.h), built from the
// catalog::Constraint entries of each table (planner/table_constraints.cpp binds them).
#include "server/constraint_catalog_rows.h"
#include "catalog/table_styles.h"

#include <algorithm>

#include "planner/pg_catalog_tables.h"
#include "sql/error.h"

namespace strata {
namespace {

const catalog::Table* TableById(const catalog::Catalog& cat, int64_t id) {
  for (const auto& t : cat.tables()) {
    if (t.id() == id) return &t;
  }
  return nullptr;
}

// PostgreSQL's int2[] text of 1-based column numbers: {1,3}.
std::string AttnumArray(const google::protobuf::RepeatedField<int32_t>& ordinals) {
  std::string out = "{";
  for (int o : ordinals) {
    if (out.size() > 1) out += ",";
    out += std::to_string(o + 1);
  }
  return out + "}";
}

// A foreign key's conindid: the index of the referenced table's key on the referenced columns.
int64_t ReferencedKeyIndex(const catalog::Catalog& cat, const catalog::Constraint& fk) {
  const catalog::Table* ref = TableById(cat, fk.ref_table_id());
  if (ref == nullptr) return 0;
  std::vector<int> wanted(fk.ref_columns().begin(), fk.ref_columns().end());
  std::sort(wanted.begin(), wanted.end());
  for (int i = 0; i < ref->constraints_size(); ++i) {
    const catalog::Constraint& k = ref->constraints(i);
    if (IsForeignKey(k)) continue;
    std::vector<int> have(k.columns().begin(), k.columns().end());
    std::sort(have.begin(), have.end());
    if (have == wanted) return KeyIndexOid(ref->id(), i);
  }
  return 0;
}

const char* TypeName(ConstraintKind kind) {
  return kind == ConstraintKind::kPrimaryKey ? "PRIMARY KEY" : kind == ConstraintKind::kUnique ? "UNIQUE" : "FOREIGN KEY";
}

}  // namespace

std::vector<TableConstraint> TableConstraints(const catalog::Catalog& cat) {
  std::vector<TableConstraint> out;
  std::vector<std::string> schemas = UserSchemas(cat);
  for (const auto& t : cat.tables()) {
    if (t.is_view()) continue;
    for (const auto& c : t.constraints()) {
      TableConstraint tc{t.schema(), t.name(), c.name(), TypeName(ConstraintKindOf(c)), {}, {}};
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

void FillConstraintRelation(const std::string& name, const catalog::Catalog& cat, const std::string& db, RowWriter& w) {
  for (const TableConstraint& c : TableConstraints(cat)) {
    if (name == "information_schema.table_constraints") {
      w.Add({S(db), S(c.schema), S(c.name), S(db), S(c.schema), S(c.table), S(c.type), S("NO"), S("NO"), S("YES"),
             c.type == "UNIQUE" ? S("YES") : kNullValue});
      continue;
    }
    if (c.type != "PRIMARY KEY" && c.type != "UNIQUE" && c.type != "FOREIGN KEY") continue;
    for (size_t k = 0; k < c.columns.size(); ++k) {
      CatalogValue unique_pos = k < c.referenced_positions.size() ? I(c.referenced_positions[k]) : kNullValue;
      w.Add({S(db), S(c.schema), S(c.name), S(db), S(c.schema), S(c.table), S(c.columns[k]),
             I(static_cast<int64_t>(k) + 1), unique_pos});
    }
  }
}

void FillPgConstraint(const catalog::Catalog& cat, RowWriter& w) {
  std::vector<std::string> schemas = UserSchemas(cat);
  for (const auto& t : cat.tables()) {
    for (int i = 0; i < t.constraints_size(); ++i) {
      const catalog::Constraint& c = t.constraints(i);
      const bool fk = IsForeignKey(c);
      // Foreign keys: ON UPDATE / ON DELETE NO ACTION ('a'), MATCH SIMPLE ('s'); blank otherwise.
      const char* action = fk ? "a" : " ";
      w.Add({I(ConstraintOid(t.id(), i)), S(c.name()), I(NamespaceOid(t.schema(), schemas)), S(c.type()), B(false),
             B(false), B(true), I(TableOid(t.id())), I(0), I(fk ? ReferencedKeyIndex(cat, c) : KeyIndexOid(t.id(), i)),
             I(0), I(fk ? TableOid(c.ref_table_id()) : 0),
             S(action), S(action), S(fk ? "s" : " "), B(true), I(0), B(true), S(AttnumArray(c.columns())),
             fk ? S(AttnumArray(c.ref_columns())) : kNullValue});
    }
  }
}

}  // namespace strata
