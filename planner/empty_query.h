// Queries that are empty by their shape: a SELECT whose FROM inner-joins a catalog relation that
// never has rows in Strata (pg_index, pg_policy, pg_publication, ...: the relations registered
// with SystemRelation::empty_without_binding, see planner/system_relation.h).
// psql and pgjdbc send such queries with array machinery Strata lacks (unnest, generate_series,
// subscripted arrays, composite fields); their answer is known to be no rows without binding the
// select list, so the binder answers them with an empty result whose columns are named as
// PostgreSQL would name them and typed text.
#pragma once

#include <string>
#include <vector>

#include "sql/ast.h"
#include "sql/types.h"
#include "catalog/catalog_version.h"

namespace strata {

// True when `q` returns no rows whatever the data: every branch of a set operation is empty, or
// its FROM inner-joins an always-empty relation (directly or through a FROM subquery), and it
// does not aggregate without GROUP BY (which yields one row). False for SELECT * lists. `cat` is
// the catalog version being bound (pg_constraint and pg_description are empty until used).
bool IsProvablyEmptyQuery(const CatalogVersion& cat, const ast::SelectStmt& q);

// The output column names of `q` as PostgreSQL derives them (alias, column name, function name,
// or ?column?), for an empty result.
std::vector<std::string> OutputNamesWithoutBinding(const ast::SelectStmt& q);

// Their types: a column of a FROM relation has its type, anything else is text.
std::vector<SqlType> OutputTypesWithoutBinding(const ast::SelectStmt& q);

}  // namespace strata
