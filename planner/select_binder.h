// Binding of SELECT statements (and VALUES lists) into logical plans: FROM (tables, views, CTEs,
// system tables, joins, subqueries), WHERE, GROUP BY / aggregates / HAVING, the select list,
// DISTINCT, ORDER BY (by alias, position or expression), LIMIT / OFFSET.
//
// Subqueries: the common shapes become joins as they are bound (no domain needed):
//   WHERE ... AND [NOT] EXISTS (SELECT ... WHERE inner = outer AND ...)  -> semi / anti join on
//        the correlation equalities, other correlated conditions as the join's residual;
//   WHERE ... AND x [NOT] IN (SELECT y ...) uncorrelated  -> semi join / NULL-aware anti join;
//   (SELECT agg(...) FROM ... WHERE inner = outer ...)  -> LEFT JOIN to the subquery grouped by
//        its correlation columns (COUNT becomes COALESCE(count, 0));
//   (SELECT agg(...) FROM ...) uncorrelated -> joined in as a one-row input.
// Any other subquery is bound whole with the enclosing query's scope visible (OuterScope in
// planner/expr_binder.h): what it reads of the outer row becomes outer references, and it is
// joined as a dependent join that the optimizer's decorrelation pass unnests
// (planner/decorrelation.h). x op ANY / ALL (subquery), and IN over a correlated subquery, are
// such a scalar subquery over the comparisons' three-valued outcome (BindQuantified).
// Scalar subqueries are bound to placeholder columns and joined in once the expression around
// them is bound; the placeholders are then rewritten to the joined columns.
#pragma once

#include <map>
#include <optional>

#include "planner/expr_binder.h"
#include "planner/logical_plan.h"
#include "sql/ast.h"
#include "catalog/catalog_version.h"

namespace strata {

// The name PostgreSQL gives an output column computed by `e` (a column's own name, a function's
// name, "case", "?column?", ...).
std::string OutputColumnName(const ast::Expr& e);

class SelectBinder {
 public:
  SelectBinder(const CatalogVersion& cat, BindState* params) : catalog_(cat), params_(params) {}

  // INSERT … VALUES: the target columns' types. The next VALUES list bound (the statement's own)
  // reads its untyped literals as these types, row by row, before the rows' types are unified,
  // as PostgreSQL does: VALUES (1), ('inf') into a float column.
  std::vector<SqlType> values_column_types;
  // Binds a query; the output columns carry the client-visible names.
  LogicalPtr BindQuery(const ast::SelectStmt& s);
  // DELETE / UPDATE: the first FROM item that scans this table also offers the hidden column
  // ast::kRowIdColumnName (its rows' ids).
  void ExposeRowIdOf(int64_t table_id) { row_id_table_ = table_id; }

 private:
  // A subquery bound inside an expression, joined to the query's node once the expression is
  // bound: a scalar value (LEFT or INNER join to a derived table) or an EXISTS / IN used as a
  // value (a MARK join that adds one boolean column).
  struct PendingSubquery {
    LogicalPtr derived;
    plan::JoinType join_type = plan::INNER;
    std::vector<plan::Expr> outer_keys;  // over the node the subquery is joined to
    std::vector<plan::Expr> inner_keys;  // over `derived`; empty: columns 0..n-1
    plan::Expr residual;                 // over node ++ derived as the node was when bound
    bool has_residual = false;
    int bind_width = 0;                  // the node's width when the residual was bound
    int value_col = 0;                   // in `derived`; -1: the mark column
    // A subquery that reads the outer row through outer references: joined as a dependent
    // join (LogicalKind::kDependentJoin) that the optimizer's decorrelation pass unnests.
    std::vector<OuterBinding> correlation;
    bool dependent = false;
  };

  // The pieces of an EXISTS subquery's join: its FROM with local conditions applied, and its
  // correlation split into hash keys (outer = inner) and a residual over node ++ FROM.
  struct ExistsJoin {
    LogicalPtr from;
    std::vector<plan::Expr> outer_keys, inner_keys;
    std::vector<plan::Expr> residual;
  };
  // Empty when the subquery is not of the shape the semi-join shortcut covers (grouped, limited,
  // a set operation, or reading the outer row other than in WHERE's conjuncts).
  std::optional<ExistsJoin> BindExistsJoin(const ast::Expr& e, const Scope& scope, int width);
  // The whole subquery bound with `outer` visible to it: the plan, and what it reads of the
  // outer row (nothing: an uncorrelated subquery).
  LogicalPtr BindCorrelated(const ast::SelectStmt& sub, const Scope& outer, std::vector<OuterBinding>* reads);
  // A scalar subquery correlated only by inner = outer equalities in WHERE (and conditions
  // rewritable to those): joined as a LEFT join to the subquery grouped by its correlation
  // columns. Empty when it is not of that shape.
  std::optional<plan::Expr> BindEquiCorrelatedScalar(const ast::Expr& e, const Scope& outer,
                                                     std::vector<PendingSubquery>* pending);
  // x op ANY / ALL (subquery), and x IN (subquery) when the subquery is correlated: a scalar
  // subquery over the comparisons' outcome (2 true, 1 unknown, 0 false) whose MAX (ANY) or MIN
  // (ALL) gives SQL's three-valued answer; the tested value is read as an outer reference.
  plan::Expr BindQuantified(const ast::Expr& e, const Scope& outer, AggregateContext* grouped,
                            std::vector<PendingSubquery>* pending);
  // x IN (subquery): the subquery (one column) and the two keys in their common type.
  struct InJoin {
    LogicalPtr subquery;
    plan::Expr outer_key, inner_key;
  };
  InJoin BindInJoin(const ast::Expr& e, const Scope& outer, int width);
  plan::Expr BindSubqueryValue(const ast::Expr& e, const Scope& outer, int width, AggregateContext* grouped,
                               std::vector<PendingSubquery>* pending);

  LogicalPtr BindFromList(const ast::SelectStmt& s, Scope* scope);
  LogicalPtr BindFrom(const ast::TableRef& ref, Scope* scope);
  // A LATERAL subquery in FROM, with the columns of the items before it (`before`) visible;
  // `reads` gets what it reads of them (empty: it reads nothing and joins as any subquery).
  LogicalPtr BindLateral(const ast::TableRef& ref, const Scope& before, Scope* scope, std::vector<OuterBinding>* reads);
  LogicalPtr BindTable(const ast::TableRef& ref, Scope* scope);
  // Redshift's `ref PIVOT (...)` / `UNPIVOT (...)` (planner/pivot_binder.cpp).
  LogicalPtr BindPivot(const ast::TableRef& ref, Scope* scope);
  LogicalPtr BindValues(const ast::SelectStmt& s);
  LogicalPtr BindNamedQuery(const ast::SelectStmt& q, const std::vector<std::string>& names,
                            const std::string& qualifier, Scope* scope);
  // A reference to WITH query `c` (planner/recursive_cte.cpp): bound in place, or for a
  // WITH RECURSIVE query that reads itself, the leader relation of its rows (RecursiveCte).
  LogicalPtr BindCteReference(const ast::CommonTableExpr& c, const std::string& qualifier, Scope* scope, int location);
  void AttachExists(const ast::Expr& e, bool negated, LogicalPtr* node, const Scope& scope);
  // WHERE x [NOT] IN (uncorrelated subquery) as a semi / NULL-aware anti join; false (nothing
  // done) for a quantified comparison or a correlated subquery, which are bound as values.
  bool AttachIn(const ast::Expr& e, bool negated, LogicalPtr* node, const Scope& scope);
  // x IN (subquery) when the subquery reads nothing of the outer row; empty otherwise.
  std::optional<InJoin> BindUncorrelatedIn(const ast::Expr& e, const Scope& outer, int width);
  static bool IsQuantified(const ast::Expr& e);
  // A subquery of an aggregating query's select list, HAVING or ORDER BY reads the outer row
  // after grouping: each of `reads` is rewritten to the group columns it is made of (42803
  // naming the first column that is not grouped).
  static void ReadGroups(std::vector<OuterBinding>* reads, const AggregateContext& agg, const Scope& outer, int location);
  // True when some column reference in `e` resolves in `scope` (unqualified names bind to the
  // innermost scope that has them, so such a conjunct is not "outer only").
  static bool MentionsScope(const ast::Expr& e, const Scope& scope);
  // ARRAY(subquery) helpers: the aggregate that joins the rows' quoted values with commas, and
  // the array literal '{...}' around its result ('{}' when it is NULL: no rows).
  static plan::AggSpec ArrayElementsAgg(plan::Expr element);
  static plan::Expr ArrayLiteralOf(plan::Expr elements, const SqlType& element);
  // A copy of correlated conjunct `e` with each outer column replaced by the inner expression a
  // correlation equality in `equalities` makes it equal to; nullptr when some outer column has none.
  ast::ExprPtr SubstituteOuterColumns(const ast::Expr& e, const std::vector<const ast::Expr*>& equalities,
                                      const Scope& inner, const Scope& outer);
  plan::Expr BindScalarSubquery(const ast::Expr& e, const Scope& outer, AggregateContext* grouped,
                                std::vector<PendingSubquery>* pending);
  // GROUP BY GROUPING SETS / ROLLUP / CUBE: the aggregation of `input` once per set (sets of
  // key indexes into agg.groups), appended, in the layout of one aggregate over every key.
  LogicalPtr GroupingSetsAggregate(LogicalPtr input, const AggregateContext& agg, const std::vector<std::vector<int>>& sets);
  // SELECT DISTINCT ON (keys): the first row of each group of `keys` (columns of `node`) in
  // `order`, as row_number() = 1 over a window partitioned by them.
  static LogicalPtr KeepFirstPerGroup(LogicalPtr node, const std::vector<int>& keys, const std::vector<plan::SortKey>& order);
  // INNER JOIN ... ON conditions with subqueries: `node` filtered by them (its columns kept).
  LogicalPtr FilterBySubqueries(LogicalPtr node, const Scope& scope, const std::vector<const ast::Expr*>& conds);
  // Joins the pending subqueries to *node; returns placeholder k -> column of the result.
  std::vector<int> AttachPending(std::vector<PendingSubquery>* pending, LogicalPtr* node);

  // The WITH queries of one SELECT, visible while it lives: BindQuery's, and the subquery
  // shortcuts' that bind a subquery's FROM list themselves.
  class CteScope {
   public:
    CteScope(SelectBinder* binder, const ast::SelectStmt& s);
    ~CteScope();
    CteScope(const CteScope&) = delete;
    CteScope& operator=(const CteScope&) = delete;

   private:
    std::vector<std::map<std::string, const ast::CommonTableExpr*>>* stack_;
    bool active_;
  };

  const CatalogVersion& catalog_;
  BindState* params_;
  std::vector<std::map<std::string, const ast::CommonTableExpr*>> ctes_;
  int view_depth_ = 0;
  int64_t row_id_table_ = -1;
  // A FROM item bound already, standing for the first FROM item of `query` (BindPivot binds the
  // query it writes over the reference it pivots this way).
  struct PreboundFrom {
    const ast::SelectStmt* query = nullptr;
    LogicalPtr node;
    Scope scope;
  };
  PreboundFrom prebound_;
};

// Splits an AND tree into its conjuncts.
void SplitConjuncts(plan::Expr e, std::vector<plan::Expr>* out);

}  // namespace strata
