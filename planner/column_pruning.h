// Column pruning (projection push-down): every node keeps only the columns some ancestor uses,
// so table scans decode just the columns a query reads and joins carry and hash only those.
// Runs on a bound logical plan, top down; expressions are renumbered to the narrower inputs.
#pragma once

#include "planner/logical_plan.h"

namespace strata {

// Prunes `root` keeping all of its own output columns.
void PruneColumns(LogicalNode* root);

}  // namespace strata
