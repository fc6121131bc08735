// Redshift's system tables that the leader answers itself (stv_slices, stv_blocklist, stv_recents,
// stv_inflight, svv_table_info, stl_load_errors, stl_scan, svl_query_summary, and PostgreSQL's
// pg_stat_activity and pg_stats): their names and columns. The rows are produced by the leader at
// query time (server/system_table_rows.cpp); the binder only needs the shapes.
#pragma once

#include <string>
#include <vector>

#include "planner/logical_plan.h"

namespace strata {

// The columns of system table `name`, or an empty vector when there is no such table.
std::vector<OutputColumn> SystemTableColumns(const std::string& name);

}  // namespace strata
