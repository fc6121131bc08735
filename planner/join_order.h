// Join ordering for trees of inner joins (comma FROM lists and INNER JOIN ... ON).
//
// The tree is flattened into its leaves (tables, subqueries, outer joins) and its predicates.
// Predicates on one leaf become filters on that leaf; an OR whose branches share conjuncts is
// factored first ((a AND x) OR (a AND y) -> a AND (x OR y)), so a join key repeated in every
// branch (TPC-H Q19) still joins by hash. The joins are then rebuilt: by enumeration of every
// connected subset when the region has at most kMaxEnumeratedLeaves leaves connected by
// equalities (planner/join_enumeration.h: bushy trees, implied keys, costed in rows probed,
// built, produced and moved); otherwise greedily as a left-deep tree: start from the largest
// leaf (it becomes the probe side), then repeatedly add the smallest leaf connected to what is
// joined so far by an equality, so hash tables are built on small inputs and no cross product
// is formed while a connected leaf remains. A projection on top restores the original column
// order.
#pragma once

#include "planner/logical_plan.h"

namespace strata {

// Orders every join region of the plan at `node` (the optimizer's join_order pass): each node
// the binder marked as a FROM list's root (LogicalNode::join_region), with every inner-join tree
// below it. Joins the binder added outside a FROM list (a scalar subquery's one-row cross join)
// keep the place the binder gave them.
LogicalPtr OrderJoins(LogicalPtr node);

// The rows a region is estimated to give once ordered: the binder estimates what it builds above
// a FROM list from the ordered joins, while the ordering itself runs later, in the optimizer.
double OrderedJoinRows(const LogicalNode& region);
// Marks `node` as a FROM list's join region (LogicalNode::join_region) and sets its estimate to
// OrderedJoinRows.
void MarkJoinRegion(LogicalNode* node);

// (a AND x) OR (a AND y) -> a AND (x OR y), applied to one predicate.
plan::Expr FactorOr(plan::Expr e);

}  // namespace strata
