// Where a table name points: PostgreSQL's search_path. An unqualified name is looked up in the
// session's temporary schema (pg_temp_<pid>, when it has temporary tables), then in each schema
// the search_path setting names that exists ("$user" is the session user's own schema), in
// order; CREATE puts an unqualified name in the first of those schemas that exists.
#pragma once

#include <string>
#include <vector>

#include "catalog/catalog_version.h"
#include "planner/session_values.h"

namespace strata {

// The schemas an unqualified name is looked up in, in order (the temporary schema first).
std::vector<std::string> SearchPath(const CatalogVersion& cat, const SessionValues* sv);
// The table `schema.name`, or for an empty schema the first `name` along the search path;
// nullptr when there is none.
const catalog::Table* LookupTable(const CatalogVersion& cat, const SessionValues* sv, const std::string& schema,
                                  const std::string& name);
// The schema CREATE puts `schema.name` in: `schema` itself (3F000 when it does not exist), or
// the first schema of the search_path setting that exists (3F000 when none does).
std::string CreationSchema(const CatalogVersion& cat, const SessionValues* sv, const std::string& schema, int location = -1);
// current_schema(): the first schema of the search path, "" when none exists.
std::string CurrentSchema(const CatalogVersion& cat, const SessionValues* sv);

}  // namespace strata
