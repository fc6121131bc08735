// ORDER BY / LIMIT / OFFSET on top of a bound query, shared by the SELECT binder and the set
// operation binder: the constant counts and the Sort and Limit nodes they become.
#pragma once

#include <cstdint>
#include <vector>

#include "planner/expr_binder.h"
#include "planner/logical_plan.h"
#include "sql/ast.h"

namespace strata {

// A LIMIT / OFFSET count: a constant (or a parameter's value); -1 for LIMIT NULL / ALL.
// Throws SqlError 0A000 for a non-constant, 22023 for a negative count.
int64_t ConstantCount(const ast::Expr& e, const char* what, BindState* params);

// The n of ORDER BY n / GROUP BY n: an integer literal naming a select-list item. A literal
// beyond int32 is, as in PostgreSQL, "non-integer constant in <clause>" (42601); the caller
// checks that n is within the select list.
int SelectListPosition(const ast::Expr& literal, const char* clause);

// `node` under a Sort on `sort_keys` (when any; it keeps only limit + offset rows when limited)
// and a Limit (when limit >= 0 or offset > 0).
LogicalPtr SortAndLimit(LogicalPtr node, std::vector<plan::SortKey> sort_keys, int64_t limit, int64_t offset);

}  // namespace strata
