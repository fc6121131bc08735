// The relations a query names (its FROM lists, at any depth: joins, subqueries in FROM and in
// expressions, WITH queries, set operations), as written, and what that makes a view depend on.
// pg_depend lists a view's dependencies, which pg_dump needs to create views after the tables
// they read; DROP refuses (2BP01), or with CASCADE also drops, the views that read what it drops.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "catalog/catalog_version.h"
#include "sql/ast.h"

namespace strata {

// Names a WITH query of `q` gives are left out (they are not relations).
std::vector<ast::QualifiedName> RelationsNamedIn(const ast::SelectStmt& q);

// The ids of the tables and views `view` reads: the names of its stored query resolved along
// its search path, as when the view is read (a definition that no longer parses reads nothing).
std::vector<int64_t> ViewReads(const CatalogVersion& cat, const catalog::Table& view);

// The views that name relation `id` in their own query (not only through another view).
std::vector<int64_t> ViewsReading(const CatalogVersion& cat, int64_t id);

// The views that read any of `ids`, directly or through other views, each once, in the order
// found (not `ids` themselves).
std::vector<int64_t> DependentViews(const CatalogVersion& cat, const std::vector<int64_t>& ids);

// The text of view `view` with its references to the relation `renamed` (now `new_name`)
// renamed too, each keeping its old name as an alias when it had none, so that a view follows a
// rename of what it reads, as PostgreSQL's views do (they hold the relation, not its name).
std::string ViewSqlAfterRename(const CatalogVersion& cat, const catalog::Table& view, int64_t renamed,
                               const std::string& new_name);

// How PostgreSQL names a relation in dependency messages: "table t", "view s.v" (the schema
// unless it is public).
std::string RelationDescription(const catalog::Table& t);

}  // namespace strata
