// Binding of UNION / INTERSECT / EXCEPT [ALL] into logical plans.
//
// Each arm is bound as a query of its own. Their columns are unified pairwise by PostgreSQL's
// rules: the common type of the two sides (planner/type_coercion.h CommonType), except that a
// bare untyped literal of a plain SELECT arm ('abc' or NULL) takes the other side's type, and
// two untyped sides resolve to text. A nested set operation is already resolved, so in
// `SELECT 'a' UNION SELECT 'b' UNION SELECT 1` the text of the inner union meets an integer and
// fails (42804), as in PostgreSQL. The result columns carry the left arm's names.
//
// The plan shapes (NULLs compare equal throughout: grouping keys treat them so):
//   a UNION ALL b        Append(a, b): the concatenation of the inputs
//   a UNION b            Aggregate(GROUP BY every column) over Append(a, b)
//   a INTERSECT [ALL] b  the rows of a tagged (cols, 1, NULL), those of b (cols, NULL, 1), then
//   a EXCEPT [ALL] b     Aggregate(GROUP BY cols; l = count(left tag), r = count(right tag)):
//                          INTERSECT  l > 0 AND r > 0, once      INTERSECT ALL  min(l, r) copies
//                          EXCEPT     l > 0 AND r = 0, once      EXCEPT ALL     l - r copies
//                        (the copies by a Repeat node), and a projection back to the columns.
// ORDER BY may name output columns only, by name or position; LIMIT / OFFSET apply to the
// whole result.
#pragma once

#include <functional>

#include "planner/expr_binder.h"
#include "planner/logical_plan.h"
#include "sql/ast.h"

namespace strata {

// Binds one arm (a whole query, with its own WITH, ORDER BY and LIMIT) into a logical plan.
using QueryBindFn = std::function<LogicalPtr(const ast::SelectStmt&)>;

// Binds `s`, whose op is not kNone, binding each arm with `bind_query`, and applies s's ORDER
// BY, LIMIT and OFFSET to the result. s's WITH list must already be visible to `bind_query`.
LogicalPtr BindSetOperation(const ast::SelectStmt& s, const QueryBindFn& bind_query, BindState* params);

}  // namespace strata
