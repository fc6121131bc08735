// The snapshot statements (Strata's SQL for what Redshift does through its console and API):
//   CREATE SNAPSHOT name [RETENTION days]
//   DROP SNAPSHOT name
//   RESTORE TABLE [schema.]table FROM SNAPSHOT name AS [schema.]new_table
// parsed over libpg_query's scanner tokens as COPY is; ast::SnapshotStmt holds them.
#pragma once

#include <string_view>

#include "sql/ast.h"

namespace strata {

// True when the statement is one of those (decided from its first words).
bool IsSnapshotStatement(std::string_view sql);

// 42601 with a position on bad syntax; 22023 for a retention outside 1..3653 days.
ast::Statement ParseSnapshotStatement(std::string_view sql);

}  // namespace strata
