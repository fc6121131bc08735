// Binding and upkeep of the informational table constraints (see table_constraints.h).
#include "planner/table_constraints.h"
#include "planner/name_resolution.h"
#include "catalog/table_styles.h"

#include <algorithm>
#include <set>

#include "sql/error.h"
#include "sql/sqlstate.h"
#include "catalog/catalog_store.h"

namespace strata {
namespace {

using Kind = ast::TableConstraintDef::Kind;

int ColumnOrdinal(const catalog::Table& t, const std::string& name) {
  for (int i = 0; i < t.columns_size(); ++i) {
    if (t.columns(i).name() == name) return i;
  }
  return -1;
}

// The ordinals of a key's columns in `t`. PostgreSQL's messages: a key's columns are "named in
// key", a foreign key's "referenced in foreign key constraint".
std::vector<int> KeyColumns(const catalog::Table& t, const std::vector<std::string>& names, bool foreign, int location) {
  const char* what = foreign ? "referenced in foreign key constraint" : "named in key";
  const char* kind = foreign ? "foreign key constraint" : "primary key or unique constraint";
  std::vector<int> out;
  for (const std::string& n : names) {
    int c = ColumnOrdinal(t, n);
    if (c < 0) FailAt(sqlstate::kUndefinedColumn, StrCat("column \"", n, "\" ", what, " does not exist"), location);
    if (std::find(out.begin(), out.end(), c) != out.end()) {
      FailAt(sqlstate::kDuplicateColumn, StrCat("column \"", n, "\" appears twice in ", kind), location);
    }
    out.push_back(c);
  }
  return out;
}

// PostgreSQL's default: table, then the key columns, then the kind, joined with '_'.
std::string DefaultName(const catalog::Table& t, const std::vector<int>& columns, const char* suffix, bool with_columns) {
  std::string name = t.name();
  if (with_columns) {
    for (int c : columns) name += "_" + t.columns(c).name();
  }
  return name + "_" + suffix;
}

// Names in use in `schema`: relations and the constraints (PostgreSQL's key constraints are
// indexes, which share the relation namespace; foreign keys only clash within their table).
std::set<std::string> UsedNames(const CatalogVersion& cat, const std::string& schema) {
  std::set<std::string> used;
  for (const auto& t : cat.tables()) {
    if (t.schema() != schema) continue;
    used.insert(t.name());
    for (const auto& c : t.constraints()) used.insert(c.name());
  }
  return used;
}

std::string Unique(std::string name, const std::set<std::string>& used) {
  if (!used.count(name)) return name;
  for (int i = 1;; ++i) {
    std::string candidate = name + std::to_string(i);
    if (!used.count(candidate)) return candidate;
  }
}

// The referenced table and columns of a foreign key, checked against its keys.
void BindReference(const ast::TableConstraintDef& def, const CatalogVersion& cat, const catalog::Table& t,
                   catalog::Constraint* c) {
  bool self = (def.ref_schema.empty() || def.ref_schema == t.schema()) && def.ref_table == t.name();
  // An unqualified name: the new table's own schema, then the default search path.
  const catalog::Table* ref = self ? &t : def.ref_schema.empty() ? FindTable(cat, t.schema(), def.ref_table) : nullptr;
  if (ref == nullptr && !self) ref = LookupTable(cat, nullptr, def.ref_schema, def.ref_table);
  if (ref == nullptr) FailAt(sqlstate::kUndefinedTable, StrCat("relation \"", def.ref_table, "\" does not exist"), def.location);
  if (ref->is_view()) {
    FailAt(sqlstate::kWrongObjectType, StrCat("referenced relation \"", def.ref_table, "\" is not a table"), def.location);
  }
  std::vector<int> ref_columns;
  if (def.ref_columns.empty()) {
    for (const auto& k : ref->constraints()) {
      if (k.kind() == catalog::PRIMARY_KEY) ref_columns.assign(k.columns().begin(), k.columns().end());
    }
    if (ref_columns.empty()) {
      FailAt(sqlstate::kInvalidForeignKey, StrCat("there is no primary key for referenced table \"", def.ref_table, "\""),
           def.location);
    }
  } else {
    ref_columns = KeyColumns(*ref, def.ref_columns, /*foreign=*/true, def.location);
  }
  if (ref_columns.size() != static_cast<size_t>(c->columns_size())) {
    FailAt(sqlstate::kInvalidForeignKey, "number of referencing and referenced columns for foreign key disagree", def.location);
  }
  std::set<int> wanted(ref_columns.begin(), ref_columns.end());
  bool matches = false;
  for (const auto& k : ref->constraints()) {
    if (IsForeignKey(k)) continue;
    if (std::set<int>(k.columns().begin(), k.columns().end()) == wanted) matches = true;
  }
  if (!matches) {
    FailAt(sqlstate::kInvalidForeignKey,
         StrCat("there is no unique constraint matching given keys for referenced table \"", def.ref_table, "\""),
         def.location);
  }
  c->set_ref_table_id(self ? -1 : ref->id());
  for (int r : ref_columns) c->add_ref_columns(r);
}

}  // namespace

void BindTableConstraints(const ast::CreateTableStmt& ct, const CatalogVersion& cat, catalog::Table* t) {
  std::set<std::string> used = UsedNames(cat, t->schema());
  used.insert(t->name());
  std::set<std::string> fk_names;
  // Keys first: a foreign key may reference a key of its own table declared after it.
  for (int pass = 0; pass < 2; ++pass) {
    for (const ast::TableConstraintDef& def : ct.constraints) {
      if ((def.kind == Kind::kForeignKey) != (pass == 1)) continue;
      catalog::Constraint c;
      std::vector<int> columns;
      if (def.kind == Kind::kForeignKey) {
        c.set_kind(catalog::FOREIGN_KEY);
        columns = KeyColumns(*t, def.columns, /*foreign=*/true, def.location);
      } else {
        c.set_kind(def.kind == Kind::kPrimaryKey ? catalog::PRIMARY_KEY : catalog::UNIQUE);
        columns = KeyColumns(*t, def.columns, /*foreign=*/false, def.location);
        if (def.kind == Kind::kPrimaryKey &&
            std::any_of(t->constraints().begin(), t->constraints().end(), [](const auto& k) { return k.kind() == catalog::PRIMARY_KEY; })) {
          FailAt(sqlstate::kInvalidTableDefinition,
               StrCat("multiple primary keys for table \"", t->name(), "\" are not allowed"), def.location);
        }
      }
      for (int col : columns) c.add_columns(col);
      if (def.kind == Kind::kForeignKey) BindReference(def, cat, *t, &c);
      std::string name = def.name;
      if (name.empty()) {
        const char* suffix = def.kind == Kind::kPrimaryKey ? "pkey" : def.kind == Kind::kUnique ? "key" : "fkey";
        name = DefaultName(*t, columns, suffix, def.kind != Kind::kPrimaryKey);
        name = Unique(name, def.kind == Kind::kForeignKey ? fk_names : used);
      } else if (def.kind == Kind::kForeignKey ? fk_names.count(name) > 0 : used.count(name) > 0) {
        if (def.kind == Kind::kForeignKey) {
          FailAt(sqlstate::kDuplicateObject,
               StrCat("constraint \"", name, "\" for relation \"", t->name(), "\" already exists"), def.location);
        }
        FailAt(sqlstate::kDuplicateTable, StrCat("relation \"", name, "\" already exists"), def.location);
      }
      (def.kind == Kind::kForeignKey ? fk_names : used).insert(name);
      c.set_name(name);
      *t->add_constraints() = std::move(c);
    }
  }
}

void ResolveSelfReferences(catalog::Table* t) {
  for (auto& c : *t->mutable_constraints()) {
    if (IsForeignKey(c) && c.ref_table_id() == -1) c.set_ref_table_id(t->id());
  }
}

void CheckColumnDropAllowed(const CatalogVersion& cat, const catalog::Table& t, int column) {
  for (const auto& other : cat.tables()) {
    if (other.id() == t.id()) continue;
    for (const auto& c : other.constraints()) {
      if (!IsForeignKey(c) || c.ref_table_id() != t.id()) continue;
      if (std::find(c.ref_columns().begin(), c.ref_columns().end(), column) == c.ref_columns().end()) continue;
      throw SqlError(sqlstate::kDependentObjectsStillExist,
                     StrCat("cannot drop column ", t.columns(column).name(), " of table ", t.name(),
                            " because other objects depend on it"))
          .WithDetail(StrCat("constraint ", c.name(), " on table ", other.name(), " depends on column ",
                             t.columns(column).name(), " of table ", t.name()));
    }
  }
}

bool DropConstraint(const CatalogVersion& cat, catalog::Table* t, const std::string& name) {
  auto* constraints = t->mutable_constraints();
  for (int i = 0; i < constraints->size(); ++i) {
    const catalog::Constraint& c = constraints->Get(i);
    if (c.name() != name) continue;
    if (!IsForeignKey(c)) {
      std::set<int> key(c.columns().begin(), c.columns().end());
      for (const auto& other : cat.tables()) {
        for (const auto& fk : other.constraints()) {
          if (!IsForeignKey(fk) || fk.ref_table_id() != t->id() || (other.id() == t->id() && &fk == &c)) continue;
          if (std::set<int>(fk.ref_columns().begin(), fk.ref_columns().end()) != key) continue;
          throw SqlError(sqlstate::kDependentObjectsStillExist,
                         StrCat("cannot drop constraint ", name, " on table ", t->name(), " because other objects depend on it"))
              .WithDetail(StrCat("constraint ", fk.name(), " on table ", other.name(), " depends on index ", name))
              .WithHint("Drop the foreign key first.");
        }
      }
    }
    constraints->DeleteSubrange(i, 1);
    return true;
  }
  return false;
}

std::vector<int64_t> TablesReferencing(const CatalogVersion& cat, int64_t table_id) {
  std::vector<int64_t> out;
  for (const auto& t : cat.tables()) {
    if (t.id() == table_id) continue;
    for (const auto& c : t.constraints()) {
      if (IsForeignKey(c) && c.ref_table_id() == table_id) {
        out.push_back(t.id());
        break;
      }
    }
  }
  return out;
}

void DropColumnFromConstraints(CatalogTransaction* txn, int64_t table_id, int column) {
  auto shift = [column](google::protobuf::RepeatedField<int32_t>* cols) {
    for (auto& c : *cols) if (c > column) --c;
  };
  std::set<int64_t> ids;  // a table that references itself is changed once
  for (int64_t id : TablesReferencing(txn->Read(), table_id)) ids.insert(id);
  ids.insert(table_id);
  for (int64_t id : ids) {
    catalog::Table* written = txn->WriteTable(id);
    if (written == nullptr) continue;
    catalog::Table& t = *written;
    auto* constraints = t.mutable_constraints();
    for (int i = constraints->size() - 1; i >= 0; --i) {
      catalog::Constraint& c = *constraints->Mutable(i);
      const bool own = t.id() == table_id;
      const bool refs = IsForeignKey(c) && c.ref_table_id() == table_id;
      if (own && std::find(c.columns().begin(), c.columns().end(), column) != c.columns().end()) {
        constraints->DeleteSubrange(i, 1);
        continue;
      }
      if (own) shift(c.mutable_columns());
      if (refs) shift(c.mutable_ref_columns());
    }
  }
}

std::string ConstraintDefinition(const CatalogVersion& cat, const catalog::Table& t, const catalog::Constraint& c) {
  auto list = [](const catalog::Table& table, const auto& ordinals) {
    std::string out;
    for (int o : ordinals) {
      if (!out.empty()) out += ", ";
      out += o >= 0 && o < table.columns_size() ? table.columns(o).name() : "?";
    }
    return out;
  };
  if (c.kind() == catalog::PRIMARY_KEY) return "PRIMARY KEY (" + list(t, c.columns()) + ")";
  if (c.kind() == catalog::UNIQUE) return "UNIQUE (" + list(t, c.columns()) + ")";
  const catalog::Table* ref = nullptr;
  for (const auto& r : cat.tables()) {
    if (r.id() == c.ref_table_id()) ref = &r;
  }
  if (ref == nullptr) return "FOREIGN KEY (" + list(t, c.columns()) + ")";
  std::string ref_name = ref->schema() == "public" ? ref->name() : ref->schema() + "." + ref->name();
  return "FOREIGN KEY (" + list(t, c.columns()) + ") REFERENCES " + ref_name + "(" + list(*ref, c.ref_columns()) + ")";
}

}  // namespace strata
