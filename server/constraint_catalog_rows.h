// The constraint catalog relations: pg_constraint (the declared PRIMARY KEY, UNIQUE and FOREIGN
// KEY constraints), and information_schema.table_constraints / key_column_usage (those, plus
// the CHECK that PostgreSQL lists for every NOT NULL column).
#pragma once

#include <string>
#include <vector>

#include "server/catalog_row_writer.h"
#include "catalog/catalog.pb.h"

namespace strata {

// A constraint as information_schema shows it: one row of table_constraints, and one row of
// key_column_usage per column of a PRIMARY KEY, UNIQUE or FOREIGN KEY constraint.
struct TableConstraint {
  std::string schema, table, name;
  std::string type;                  // "PRIMARY KEY", "UNIQUE", "FOREIGN KEY" or "CHECK"
  std::vector<std::string> columns;  // in key order
  // FOREIGN KEY: for each column, its 1-based position in the referenced unique constraint.
  std::vector<int> referenced_positions;
};

// The constraints of the user tables in `cat`, table by table: the declared ones in their order,
// then the NOT NULL checks.
std::vector<TableConstraint> TableConstraints(const catalog::Catalog& cat);

// Rows of information_schema.table_constraints or key_column_usage (`name`) for database `db`.
void FillConstraintRelation(const std::string& name, const catalog::Catalog& cat, const std::string& db, RowWriter& w);

// Rows of pg_constraint: one per declared constraint (oid ConstraintOid(table, index)).
void FillPgConstraint(const catalog::Catalog& cat, RowWriter& w);

}  // namespace strata
