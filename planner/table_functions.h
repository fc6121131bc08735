// Functions in FROM: generate_series(start, stop [, step]) over integer constants, the row
// source clients join for positions (pgjdbc's getImportedKeys joins generate_series(1, 32)),
// which becomes a VALUES list bound on the leader; and Redshift's
// pg_get_late_binding_view_cols(), empty (Strata has no late-binding views).
#pragma once

#include "planner/expr_binder.h"
#include "planner/logical_plan.h"
#include "sql/ast.h"

namespace strata {

// The relation of function `ref` in FROM, its one column named by the alias's column list, else
// the alias, else the function (PostgreSQL's rule). Throws SqlError: 0A000 for other functions
// or non-constant arguments, 22023 for a zero step, 54000 past 1,000,000 rows, 42883 for
// arguments that are not integers.
LogicalPtr BindTableFunction(const ast::TableRef& ref, BindState* params);

}  // namespace strata
