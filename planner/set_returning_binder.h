// Set-returning functions in a select list: unnest(array), generate_subscripts(array, dim)
// and generate_series(start, stop [, step]) over integers, as PostgreSQL 10+ runs them.
//
// Each input row of the select list (after WHERE, GROUP BY, HAVING and window functions,
// before DISTINCT, ORDER BY and LIMIT) becomes as many rows as its longest set-returning call
// returns; a shorter call is NULL in the rows past its end, and a row where every call is empty
// gives no rows. The SELECT binder hands each call it meets to a SetReturningBinder (through
// ExprBinder's hook), which binds its arguments and answers with a placeholder column.
// Attach() then puts one kRepeat node with an ordinal over the query's node, copying each row
// max(count of each call) times and numbering the copies k = 1, 2, ...; each placeholder becomes
// the k-th value of its call:
//
//   select unnest(a) u, generate_series(1, 2) g from t     (a = '{x,y,z}' in one row)
//   Repeat(count = greatest(cardinality(a), 2), ordinal k) over t
//   -> u = pg_array_element(a, k): x, y, z;  g = CASE WHEN k <= 2 THEN 1 + (k - 1) END: 1, 2, NULL
//
// Functions in FROM with arguments that are not constants (generate_series(1, f(x))) are bound
// as LATERAL subqueries over such a select list (planner/table_functions.cpp).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "planner/expr_binder.h"
#include "planner/logical_plan.h"
#include "sql/ast.h"

namespace strata {

// True for the names of the set-returning functions Strata runs in a select list.
bool IsSetReturningFunction(const std::string& name);

class SetReturningBinder {
 public:
  // Placeholder columns are numbered from here (above the window binder's placeholders).
  static constexpr int kPlaceholderBase = 1 << 27;

  // Binds the call `e` (a set-returning function) with `binder`; returns its placeholder.
  // Throws SqlError 42883 for arguments the function does not take, 0A000 for a call nested in
  // another's arguments, 22023 for a constant step of 0.
  plan::Expr Bind(const ast::Expr& e, ExprBinder& binder);
  // The same for a call written as its name and arguments (a function in FROM).
  plan::Expr BindCall(const std::string& name, const std::vector<ast::ExprPtr>& args, int location, ExprBinder& binder);
  bool empty() const { return calls_.empty(); }
  // Applies `fn` to every bound argument (to remap the placeholders of subqueries and windows).
  void VisitExprs(const std::function<void(plan::Expr*)>& fn);
  // Puts the kRepeat node over *node and rewrites the placeholders in `exprs` into each call's
  // value in the copy.
  void Attach(LogicalPtr* node, std::vector<plan::Expr>* exprs);

 private:
  enum class Kind { kUnnest, kSubscripts, kSeries, kWideSeries };
  struct Call {
    Kind kind;
    std::vector<plan::Expr> args;  // unnest: array; subscripts: array, dim; series: start, stop, step
    SqlType type;                  // of one value
  };

  // How many rows the call gives for the input row (BIGINT, never NULL).
  Call BindWideSeries(std::vector<plan::Expr> args, int location);
  static plan::Expr RowCount(const Call& c);
  // The call's value in copy `ordinal` (a BIGINT expression) of the row.
  static plan::Expr ValueAt(const Call& c, const plan::Expr& ordinal);

  std::vector<Call> calls_;
};

}  // namespace strata
