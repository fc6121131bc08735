// has_table_privilege(), has_column_privilege(), has_any_column_privilege(),
// has_schema_privilege(), has_database_privilege() and the other has_*_privilege() functions,
// folded by the binder against the catalog (catalog/catalog_privileges.h): a constant when
// every argument is one, else a CASE over the objects' oids (psql and BI tools call them over
// pg_class rows). The user is the session's unless given by name or oid; the privileges are
// PostgreSQL's text ("SELECT", "select, insert", "UPDATE WITH GRANT OPTION"): true when any holds.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "catalog/catalog_version.h"
#include "planner/plan.pb.h"
#include "planner/session_values.h"

namespace strata {

// The folded call, or nullopt when `name` is none of these functions.
std::optional<plan::Expr> BindPrivilegeFunction(const CatalogVersion& cat, const SessionValues* sv, const std::string& name,
                                                std::vector<plan::Expr>& args, int location);

}  // namespace strata
