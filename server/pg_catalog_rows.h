// The rows of the pg_catalog and information_schema relations (planner/pg_catalog_tables.h),
// built from the catalog version a statement reads and the session that runs it.
#pragma once

#include <string>
#include <vector>

#include "planner/session_values.h"
#include "sql/vector.h"
#include "catalog/catalog.pb.h"

namespace strata {

// Appends the rows of catalog relation `name` to `out`, whose columns have the relation's types.
// False when `name` is not a catalog relation. `sv` is the reading session's values (settings,
// database; nullptr = defaults).
bool FillPgCatalogRelation(const std::string& name, const catalog::Catalog& cat, const SessionValues* sv, Batch* out);

}  // namespace strata
