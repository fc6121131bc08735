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

}  // namespace strata
