// The optimizer's predicate push-down pass: each conjunct of a filter moves as far down the plan
// as it can go without changing the answer, so that rows are dropped before they are grouped,
// joined, sorted, appended or shipped, and a conjunct that reaches a table scan prunes blocks by
// zone map there. It runs after join ordering (which already places the predicates inside a
// FROM list's inner joins) and moves the conjuncts that stay above what the binder built:
//
//   Filter over Project    the conjunct, with the projection's expressions put in for its
//                          columns, goes below (not when either holds a volatile function);
//   Filter over Aggregate  a conjunct over grouping columns only goes below (never below a
//                          grouping with no keys, which yields a row even of no input);
//   Filter over Append     a copy goes into every branch (UNION ALL, and grouping sets);
//   Filter over Join       a conjunct over one side's columns goes into that side, where the
//                          join keeps that side's rows whatever it finds: either side of an
//                          inner join, the left side of LEFT / SEMI / ANTI / MARK joins;
//   Filter over Window     a conjunct over PARTITION BY columns only goes below;
//   Filter over Sort       goes below, unless the sort also limits (top N);
//   Filter over Filter     the two merge, and go on down together.
//
// Through grouping and partitioning a value stands for every value equal to it, so a conjunct
// moves there only when the columns it reads are of types whose equal values are identical
// (integers, decimals, dates, timestamps, booleans, varchar and text; not floats, where 0 = -0,
// char, intervals or SUPER). A conjunct never moves below a LIMIT.
#pragma once

#include "planner/logical_plan.h"

namespace strata {

LogicalPtr PushDownPredicates(LogicalPtr plan);

}  // namespace strata
