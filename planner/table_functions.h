// Functions in FROM: generate_series(start, stop [, step]) over integers, the row source
// clients join for positions (pgjdbc's getImportedKeys joins generate_series(1, 32)), unnest(array)
// and generate_subscripts(array, dim). Over constants they become a VALUES list bound on the
// leader; otherwise (generate_series(1, array_upper(current_schemas(false), 1)), or arguments
// that read the FROM items before the call, as functions in FROM are LATERAL) the select list
// `SELECT f(args)` over one row (planner/set_returning_binder.h). And Redshift's
// pg_get_late_binding_view_cols(), empty (Strata has no late-binding views).
#pragma once

#include "planner/expr_binder.h"
#include "planner/logical_plan.h"
#include "sql/ast.h"

namespace strata {

// The relation of function `ref` in FROM, its one column named by the alias's column list, else
// the alias, else the function (PostgreSQL's rule). Throws SqlError: 0A000 for other functions,
// 22023 for a zero step, 54000 past 1,000,000 rows of constants, 42883 for arguments the
// function does not take.
LogicalPtr BindTableFunction(const ast::TableRef& ref, BindState* params);

}  // namespace strata
