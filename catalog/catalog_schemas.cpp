// Schemas in the catalog: which exist, and how a transaction's CREATE / ALTER / DROP SCHEMA
// merge into the catalog at commit (see catalog_store.h).
#include <algorithm>
#include <set>

#include "catalog/catalog_store.h"

namespace strata {

namespace {
bool IsBuiltinSchema(const std::string& name) {
  return name == "public" || name == "pg_catalog" || name == "information_schema";
}
}  // namespace

const catalog::Schema* FindSchema(const catalog::Catalog& c, const std::string& name) {
  for (const auto& s : c.schemas()) {
    if (s.name() == name) return &s;
  }
  return nullptr;
}

bool SchemaExists(const CatalogVersion& c, const std::string& name) {
  if (IsBuiltinSchema(name) || FindSchema(c.meta(), name) != nullptr) return true;
  return c.HasTablesIn(name);
}

std::vector<std::string> OtherSchemas(const CatalogVersion& c) {
  std::set<std::string> names;
  for (const auto& s : c.schemas()) {
    if (!IsBuiltinSchema(s.name())) names.insert(s.name());  // public's entry holds its privileges
  }
  for (const auto& schema : c.SchemasWithTables()) {
    if (!IsBuiltinSchema(schema)) names.insert(schema);
  }
  return {names.begin(), names.end()};
}

void MergeSchemaChanges(const catalog::Catalog& working, const std::set<std::string>& names, catalog::Catalog* next) {
  for (const std::string& name : names) {
    const catalog::Schema* mine = FindSchema(working, name);
    auto* schemas = next->mutable_schemas();
    int at = -1;
    for (int i = 0; i < schemas->size(); ++i) {
      if (schemas->Get(i).name() == name) at = i;
    }
    if (mine == nullptr) {  // dropped (or renamed away) here
      if (at >= 0) schemas->DeleteSubrange(at, 1);
      continue;
    }
    // Created or altered here (two sessions creating the same schema at once end with one).
    if (at >= 0) *schemas->Mutable(at) = *mine;
    else *next->add_schemas() = *mine;
  }
}

}  // namespace strata
