// Binding DELETE, UPDATE and ALTER TABLE (APPEND too). DELETE and UPDATE become a query that produces a
// modify stream (plan.proto's SINK_MODIFY): per affected row its row id, an insert flag and,
// for UPDATE, the row's new values in table column order. ALTER TABLE becomes the table's new
// definition.
#pragma once

#include "catalog/catalog_version.h"
#include "planner/binder.h"
#include "planner/expr_binder.h"

namespace strata {

void BindDelete(const ast::DeleteStmt& d, const CatalogVersion& cat, BindState* params, BoundStatement* out);
void BindUpdate(const ast::UpdateStmt& u, const CatalogVersion& cat, BindState* params, BoundStatement* out);
// out->table: the table as it will be (columns added, dropped or renamed, or a new name).
void BindAlterTable(const ast::AlterTableStmt& a, const CatalogVersion& cat, const BindState& state, BoundStatement* out);
// ALTER TABLE target APPEND FROM source: columns matched by name, of the same type and
// nullability (42804); a source column the target lacks needs IGNOREEXTRA, a target column the
// source lacks FILLTARGET (42703); both tables distributed and sorted alike (0A000), as Redshift
// requires, so that the source's blocks can become the target's where they are.
void BindAppend(const ast::AppendStmt& a, const CatalogVersion& cat, const BindState& state, BoundStatement* out);

}  // namespace strata
