// Strata's SQL for changing the cluster itself (what Redshift does through its console and API):
//   RESIZE CLUSTER TO n [NODES]
// an elastic resize to n compute nodes (server/resize.h), parsed over libpg_query's scanner
// tokens as the snapshot statements are.
#pragma once

#include <string_view>

#include "sql/ast.h"

namespace strata {

// True when the statement starts RESIZE CLUSTER.
bool IsClusterStatement(std::string_view sql);

// 42601 with a position on bad syntax; 22023 for a node count below 1.
ast::Statement ParseClusterStatement(std::string_view sql);

}  // namespace strata
