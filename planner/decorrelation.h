// Decorrelation, the optimizer's first pass: every dependent join the binder left in a plan
// (LogicalKind::kDependentJoin: a correlated subquery its equi-join shortcuts do not cover, such
// as one comparing with < or reading the outer row below a GROUP BY or LIMIT) is replaced by
// ordinary joins, after Neumann & Kemper, "Unnesting Arbitrary Queries" (BTW 2015):
//
//   D  = the distinct values the subquery reads from the outer rows (its domain), computed from
//        the smallest input below the outer side whose rows have exactly those values;
//   R' = the subquery evaluated once per row of D: the dependent join is pushed down through
//        the subquery's operators — filters, projections, joins of every type, GROUP BY (which
//        also groups by D), scalar aggregates (outer-joined to D, so a value with no rows still
//        gets its one row and COUNT is 0), LIMIT (a row_number() per D value), windows,
//        UNION ALL, VALUES and nested dependent joins — until what lies below no longer reads
//        the outer row and simply joins D;
//   the outer input is then joined to R' on its values = D's columns, compared so that NULL
//   matches NULL (each value is keyed by IS NULL and by COALESCE(value, zero)).
//
// The result reads no outer reference; a plan that still would (no such shape is known) fails
// with 0A000 rather than reaching the physical planner.
#pragma once

#include "planner/logical_plan.h"

namespace strata {

LogicalPtr Decorrelate(LogicalPtr plan);

}  // namespace strata
