// The relations a query names (its FROM lists, at any depth: joins, subqueries in FROM and in
// expressions, WITH queries, set operations), as written. pg_depend lists a view's dependencies
// on them, which pg_dump needs to create views after the tables they read.
#pragma once

#include <vector>

#include "sql/ast.h"

namespace strata {

std::vector<ast::QualifiedName> RelationsNamedIn(const ast::SelectStmt& q);

}  // namespace strata
