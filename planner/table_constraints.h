// PRIMARY KEY, UNIQUE and FOREIGN KEY constraints: checked and named when a table is created,
// kept in the catalog (catalog::Constraint) and kept right when tables and columns go away.
// Like Redshift, Strata does not enforce them; clients read them from pg_constraint and
// information_schema, and a planner may one day use them.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sql/ast.h"
#include "catalog/catalog.pb.h"
#include "catalog/catalog_transaction.h"

namespace strata {

// Adds ct's constraints to `t` (whose columns are already bound), naming unnamed ones as
// PostgreSQL does (t_pkey, t_a_b_key, t_a_fkey). A foreign key to `t` itself gets ref_table_id
// -1 until the table has an id (ResolveSelfReferences). Throws SqlError: 42P16 multiple primary
// keys, 42703 unknown column, 42P01 unknown referenced table, 42809 a view referenced, 42830 no
// matching primary key / unique constraint or a column count mismatch, 42710 duplicate name.
void BindTableConstraints(const ast::CreateTableStmt& ct, const CatalogVersion& cat, catalog::Table* t);

// Points the self-referencing foreign keys of a table that has just got its id at it.
void ResolveSelfReferences(catalog::Table* t);

// 2BP01 when column `column` of `t` is referenced by another table's foreign key.
void CheckColumnDropAllowed(const CatalogVersion& cat, const catalog::Table& t, int column);

// The other tables whose foreign keys reference table `table_id` (their definitions change when
// it drops a column, so a writer locks them first).
std::vector<int64_t> TablesReferencing(const CatalogVersion& cat, int64_t table_id);

// After column `column` of table `table_id` is removed in `txn`: the table's constraints on it
// are dropped (as PostgreSQL drops them) and every later ordinal, in the table's own constraints
// and in the foreign keys that reference it, moves down by one. The caller holds the write
// locks of the table and of the tables that reference it.
void DropColumnFromConstraints(CatalogTransaction* txn, int64_t table_id, int column);

// Removes `t`'s constraint `name`; false when it has none of that name. 2BP01 when it is a key
// another table's foreign key references (PostgreSQL would need CASCADE).
bool DropConstraint(const CatalogVersion& cat, catalog::Table* t, const std::string& name);

// "PRIMARY KEY (a, b)", "UNIQUE (a)", "FOREIGN KEY (a) REFERENCES r(b)": pg_get_constraintdef.
std::string ConstraintDefinition(const CatalogVersion& cat, const catalog::Table& t, const catalog::Constraint& c);

}  // namespace strata
