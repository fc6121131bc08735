// The rows of the pg_catalog and information_schema relations (planner/pg_catalog_tables.h),
// built from the catalog version a statement reads and the session that runs it.
#pragma once

#include <string>
#include <vector>

#include "sql/vector.h"
#include "storage/catalog.pb.h"

namespace strata {

// Appends the rows of catalog relation `name` to `out`, whose columns have the relation's types.
// False when `name` is not a catalog relation.
bool FillPgCatalogRelation(const std::string& name, const catalog::Catalog& cat, Batch* out);

// A declared constraint as information_schema shows it: the source of the rows of
// information_schema.table_constraints (one per constraint) and key_column_usage (one per
// column of a PRIMARY KEY, UNIQUE or FOREIGN KEY constraint).
struct TableConstraint {
  std::string schema, table, name;
  std::string type;                  // "PRIMARY KEY", "UNIQUE", "FOREIGN KEY" or "CHECK"
  std::vector<std::string> columns;  // in key order
  // FOREIGN KEY: for each column, its 1-based position in the referenced unique constraint.
  std::vector<int> referenced_positions;
};

// The constraints of the user tables in `cat`: today the CHECK that each NOT NULL column
// implies (PostgreSQL lists those in table_constraints too); declared PRIMARY KEY / UNIQUE /
// FOREIGN KEY constraints are not in the catalog yet, and this is the one place to add them.
std::vector<TableConstraint> TableConstraints(const catalog::Catalog& cat);

}  // namespace strata
