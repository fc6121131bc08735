// Binding of SELECT statements (and VALUES lists) into logical plans: FROM (tables, system
// tables, joins, subqueries), WHERE, GROUP BY / aggregates / HAVING, the select list, DISTINCT,
// ORDER BY (by alias, position or expression), LIMIT / OFFSET.
#pragma once

#include "planner/expr_binder.h"
#include "planner/logical_plan.h"
#include "sql/ast.h"
#include "storage/catalog.pb.h"

namespace strata {

class SelectBinder {
 public:
  SelectBinder(const catalog::Catalog& cat, ParamState* params) : catalog_(cat), params_(params) {}
  // Binds a query; the output columns carry the client-visible names.
  LogicalPtr BindQuery(const ast::SelectStmt& s);

 private:
  LogicalPtr BindFrom(const ast::TableRef& ref, Scope* scope);
  LogicalPtr BindTable(const ast::TableRef& ref, Scope* scope);
  LogicalPtr BindValues(const ast::SelectStmt& s);

  const catalog::Catalog& catalog_;
  ParamState* params_;
};

// Splits an AND tree into its conjuncts.
void SplitConjuncts(plan::Expr e, std::vector<plan::Expr>* out);
// Pushes filters into joins and scans: single-side conjuncts move below inner joins, equalities
// across the two sides become hash-join keys.
LogicalPtr PushDownFilters(LogicalPtr node);

}  // namespace strata
