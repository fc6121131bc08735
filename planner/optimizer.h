// The optimizer stage: the passes that rewrite a bound logical plan before the physical planner
// splits it into stages. The leader runs Optimize() once on every bound statement (server/
// leader_session.cpp and the other Bind() callers); the passes run in the order
// OptimizerPasses() lists them:
//
//   1. decorrelation (planner/decorrelation.h): every dependent join — a correlated subquery
//      the binder did not turn into a join itself — is unnested into ordinary joins against
//      the subquery's domain (Neumann & Kemper);
//   2. join ordering (planner/join_order.h): each FROM list's inner joins — a region the binder
//      marked (LogicalNode::join_region) — are flattened, single-table predicates pushed onto
//      their table as filters, ORs with common conjuncts factored, and the joins rebuilt
//      greedily, largest input as the probe side, so no cross product is formed while a
//      connected table remains;
//   3. predicate push-down (planner/predicate_pushdown.h): the conjuncts still above a
//      projection, grouping, UNION ALL, outer or semi join, window or sort move below it where
//      that cannot change the answer, down to the scans where zone maps prune by them;
//   4. semi-join reduction (planner/semijoin_reduction.h): a small input joined to a GROUP BY on
//      its group keys filters the GROUP BY's input by those keys first;
//   5. column pruning (planner/column_pruning.h): every node keeps only the columns an ancestor
//      reads, so scans decode and exchanges ship only those.
//
// The binder still estimates the rows of what it builds above a FROM list from the ordered
// joins (OrderedJoinRows), so the estimates the physical planner sees are what they were when
// the binder ordered the joins itself. The binder also keeps its shortcuts for the common
// subquery shapes (WHERE [NOT] EXISTS and IN as semi / anti joins, scalar subqueries
// correlated by equalities as a LEFT join to a grouped subquery: planner/select_binder.h),
// which need no domain; everything else reaches the decorrelation pass.
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
