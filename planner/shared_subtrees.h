// Shared subtrees: a query that computes the same thing twice (TPC-H Q11 joins partsupp,
// supplier and nation in its query and again in its HAVING subquery; Q15 reads its revenue view
// twice) computes it once.
//
// Three steps. MarkSharedSubtrees, before column pruning, finds the largest subtrees that occur
// more than once (same operators, tables, expressions and columns) and that do real work (a
// join or an aggregate over table scans of 100,000 rows or more), and gives each set of copies a share_group.
// Column pruning (planner/column_pruning.h) then prunes every copy of a group to the union of
// the columns its copies' parents need, so the copies stay identical (one copy needs ps_partkey,
// the other not). The physical planner computes the first copy it meets in a stage of its own
// whose rows stay on their slices (an exchange placed as they already are), and every copy,
// that one too, reads that exchange; a GROUP BY in it finishes on the slices, not the leader
// (TPC-H Q15's revenue view). A copy that still runs on the leader, or no longer matches its
// group's first copy, is planned as it is.
//
// A subtree holding a volatile function (random()), an outer reference or a parameter is never
// shared; nor are sorts, limits, windows, set operations, file scans or system tables.
#pragma once

#include <string>

#include "planner/logical_plan.h"

namespace strata {

// A text that is equal for two subtrees exactly when they compute the same rows in the same
// columns; empty when the subtree holds something that may not be shared.
std::string SubtreeFingerprint(const LogicalNode& n);

// Sets share_group on the copies of every largest repeated subtree worth sharing (groups
// numbered from 0); returns how many groups there are. A subtree inside a marked one is not
// marked itself.
int MarkSharedSubtrees(LogicalNode* root);

}  // namespace strata
