// The optimizer stage: the passes that rewrite a bound logical plan before the physical planner
// splits it into stages. The leader runs Optimize() once on every bound statement (server/
// leader_session.cpp and the other Bind() callers); the passes run in the order
// OptimizerPasses() lists them:
//
//   1. column pruning (planner/column_pruning.h): every node keeps only the columns an ancestor
//      reads, so scans decode and exchanges ship only those.
//
// Two rewrites still run inside the binder and are to move here next, in this order, before
// column pruning: decorrelation (planner/select_binder.cpp turns a correlated subquery into a
// join as it binds it) and join ordering with predicate push-down (planner/join_order.h, which
// the binder calls on each FROM list). Join ordering cannot simply be moved: the binder sets the
// estimated rows of every node above a join tree (aggregates by GroupCount, semi joins, limits)
// from the ordered tree's estimate, so it moves together with cardinality estimation as a pass of
// its own. Measured when tried: with ordering moved alone, 14 of the 22 TPC-H plans changed
// their estimates and Q02 its distribution step.
#pragma once

#include <string>
#include <vector>

#include "planner/binder.h"
#include "planner/logical_plan.h"

namespace strata {

struct OptimizerPass {
  const char* name;                // for tests and EXPLAIN of the passes
  LogicalPtr (*run)(LogicalPtr);   // rewrites the plan; the result keeps the plan's output columns
};

// The passes in the order they run.
const std::vector<OptimizerPass>& OptimizerPasses();

// Runs every pass over `plan` (null stays null).
LogicalPtr Optimize(LogicalPtr plan);

// Optimizes the plans a bound statement carries (its query and, for CREATE TABLE AS, its rows).
void Optimize(BoundStatement* b);

}  // namespace strata
