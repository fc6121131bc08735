// Binding of scalar expressions: names against a scope of columns, literals to typed
// constants, operators with PostgreSQL's implicit casts, and (in an aggregating query) group
// expressions and aggregate calls to references into the aggregate's output.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "catalog/catalog_version.h"
#include "sql/interval_time.h"
#include "planner/logical_plan.h"
#include "planner/plan.pb.h"
#include "planner/privilege_check.h"
#include "planner/session_values.h"
#include "sql/ast.h"

namespace strata {

struct ScopeColumn {
  std::string qualifier;  // table name or alias
  std::string name;
  SqlType type;
  // The oid of the table or system relation the column is read from (0 for derived columns):
  // what the system column `tableoid` of that FROM item evaluates to.
  int64_t table_oid = 0;
  // Left out of `*` (an external table's "$path" and "$size"), readable by name.
  bool hidden = false;
  // The RelationAccess (planner/privilege_check.h) of the table this column is read from, and
  // its ordinal there; -1 for derived columns and when nothing is checked.
  int access = -1;
  int ordinal = -1;
};

struct Scope {
  std::vector<ScopeColumn> columns;
};

// Set while binding the select list, HAVING and ORDER BY of an aggregating query.
struct AggregateContext {
  const Scope* input = nullptr;          // the scope aggregate arguments are bound in
  std::vector<plan::Expr> groups;        // bound over `input`
  std::vector<std::string> group_keys;   // serialized groups, for matching
  std::vector<plan::AggSpec> aggs;       // collected aggregate calls
  // GROUPING SETS: the group that holds each row's grouping id (bit k set when group k is not
  // grouped in the row's set); -1 for a plain GROUP BY.
  int grouping_id = -1;
};

// The highest $n a statement may use: the wire protocol counts parameters in 16 bits, so no
// client can give more. Checked before anything is sized by n.
inline constexpr int kMaxParamNumber = 65535;

// The row of an enclosing query as a subquery being bound sees it: a name the subquery's own
// scope does not have is looked up here, innermost enclosing query first, and becomes an outer
// reference (plan::Expr.outer_ref) bound in `bindings` to the enclosing query's column.
struct OuterScope {
  const Scope* scope = nullptr;
  std::vector<OuterBinding> bindings;
};

// What one statement is bound against, shared by all its expressions: the catalog version it
// reads and the session's values (passed in by Bind(), never read from thread-local state), and
// the state of its $n parameters.
struct BindState {
  const CatalogVersion* catalog = nullptr;                // nullptr only in unit tests
  const SessionValues* session = nullptr;                   // nullptr without a session
  std::vector<SqlType> types;                               // inferred per $n (kNull = unknown)
  std::vector<bool> referenced;                             // per $n: the statement uses it
  const std::vector<std::optional<std::string>>* values = nullptr;  // execution-time values
  // The enclosing queries of the subquery being bound, outermost first (planner/select_binder).
  std::vector<OuterScope*> outer_scopes;
  // DEFAULT items of the statement (an INSERT's VALUES rows, UPDATE's SET) by address: the value
  // each stands for (the column's default, else a typed NULL). Any other DEFAULT is 42601.
  std::map<const ast::Expr*, plan::Expr> default_items;
  int next_outer_ref = 1;  // ids of outer references, unique in the statement
  int64_t outer_refs_made = 0;  // every outer reference made, repeats included
  // WITH RECURSIVE queries the statement reads, in the order they must be computed, and where
  // each one's binding stands (planner/recursive_cte.cpp).
  std::vector<RecursiveCte> recursive_ctes;
  std::map<const ast::CommonTableExpr*, int> recursive_index;  // bound: index in recursive_ctes
  struct RecursiveBinding {
    enum Part { kBase, kStep, kWhole } part = kBase;  // kWhole: bound as a plain WITH query
    std::string working_name;
    std::vector<OutputColumn> columns;  // the base's, as the step reads its working table
    int references = 0;                 // the step's references to it
  };
  std::map<const ast::CommonTableExpr*, RecursiveBinding> recursive_state;  // being bound
  // The SQL function whose body is being inlined (planner/sql_functions.h): its $n and argument
  // names stand for `args`. Null outside a body.
  struct FunctionFrame {
    const std::vector<plan::Expr>* args = nullptr;
    const std::vector<std::string>* names = nullptr;
    std::string function;  // for errors
  };
  const FunctionFrame* function_frame = nullptr;
  int function_depth = 0;         // bodies being inlined, one inside another
  int64_t functions_inlined = 0;  // calls inlined in the statement
  // The tables the statement uses and what it does with them, checked when binding ends
  // (planner/privilege_check.h); whose privileges apply ("" = the session user; a view's owner
  // while its query is bound).
  std::vector<RelationAccess> accesses;
  std::string privilege_user;
};


// Makes `value` (over the columns of `scope`'s query) readable inside a subquery: the outer
// reference that stands for it, bound in `scope`.
plan::Expr OuterReference(OuterScope* scope, BindState* state, plan::Expr value);

// Pushes an enclosing query's scope for the time a subquery is bound.
class OuterScopeGuard {
 public:
  OuterScopeGuard(BindState* state, OuterScope* scope) : state_(state) { state_->outer_scopes.push_back(scope); }
  ~OuterScopeGuard() { state_->outer_scopes.pop_back(); }
  OuterScopeGuard(const OuterScopeGuard&) = delete;
  OuterScopeGuard& operator=(const OuterScopeGuard&) = delete;

 private:
  BindState* state_;
};

// Binds a scalar subquery met inside an expression; returns the expression that stands for
// its value (the SELECT binder joins the subquery's result in and returns a column reference).
using SubqueryHook = std::function<plan::Expr(const ast::Expr&)>;

class ExprBinder;
// Binds a window function call (planner/window_binder.h); the ExprBinder passed is the one that
// met the call, for its arguments, PARTITION BY and ORDER BY.
using WindowHook = std::function<plan::Expr(const ast::Expr&, ExprBinder&)>;
// Binds a set-returning function call (planner/set_returning_binder.h), likewise.
using SetReturningHook = std::function<plan::Expr(const ast::Expr&, ExprBinder&)>;

class ExprBinder {
 public:
  ExprBinder(const Scope& scope, BindState* params, AggregateContext* agg = nullptr,
             const char* clause = "WHERE", SubqueryHook subquery = nullptr)
      : scope_(scope), params_(params), agg_(agg), clause_(clause), subquery_(std::move(subquery)) {}
  // The binder keeps a reference to its scope, so a temporary scope would dangle.
  ExprBinder(Scope&& scope, BindState* params, AggregateContext* agg = nullptr, const char* clause = "WHERE",
             SubqueryHook subquery = nullptr) = delete;

  plan::Expr Bind(const ast::Expr& e);
  // Window function calls are allowed only where a hook is set (the select list, ORDER BY);
  // elsewhere they are 42P20.
  void SetWindowHook(WindowHook hook) { window_ = std::move(hook); }
  // Set-returning functions (unnest, generate_series, ...) are allowed only where a hook is set
  // (the select list); elsewhere they are 0A000, as in PostgreSQL.
  void SetSetReturningHook(SetReturningHook hook) { set_returning_ = std::move(hook); }
  // Binds and requires a boolean result (WHERE, HAVING, ON, CASE WHEN).
  plan::Expr BindCondition(const ast::Expr& e);
  // Binds aggregate call `e` (its OVER aside) over this binder's scope as the aggregate of a
  // query without groups: its specs go to `aggs`, and the result reads them as columns 0, 1, ...
  // (planner/window_binder.cpp: aggregates over a whole window partition).
  plan::Expr BindUngroupedAggregate(const ast::Expr& e, std::vector<plan::AggSpec>* aggs);

 private:
  plan::Expr BindStructural(const ast::Expr& e);
  plan::Expr BindColumnRef(const ast::Expr& e);
  // a.b.c where a prefix names a SUPER column and the rest navigates into it (Redshift's
  // PartiQL paths); nullopt when no prefix is a SUPER column.
  std::optional<plan::Expr> BindSuperPath(const ast::Expr& e);
  plan::Expr BindLiteral(const ast::Expr& e);
  plan::Expr BindParam(const ast::Expr& e);
  plan::Expr BindBinary(const ast::Expr& e);
  plan::Expr BindFunction(const ast::Expr& e);
  // A call of a user's SQL function (planner/sql_functions.cpp): its body inlined over the
  // bound arguments; nullopt when no function of the catalog matches.
  std::optional<plan::Expr> BindSqlFunctionCall(const ast::Expr& e, std::vector<plan::Expr>& args,
                                                const std::vector<bool>& unknown);
  plan::Expr BindAggregate(const ast::Expr& e);
  // GROUPING(a, b, ...): per argument (most significant first) 1 when the row's grouping set
  // does not group by it.
  plan::Expr BindGrouping(const ast::Expr& e);
  // MEDIAN(x), PERCENTILE_CONT / PERCENTILE_DISC (f) WITHIN GROUP (ORDER BY x).
  plan::Expr BindPercentile(const ast::Expr& e, ExprBinder& inner);
  // STDDEV* / VAR* / VARIANCE: one VAR_* / STDDEV_* aggregate over the argument as DOUBLE.
  plan::Expr BindVariance(const ast::Expr& e, ExprBinder& inner);
  // An aggregate's argument under its FILTER (WHERE c): CASE WHEN c THEN arg END.
  plan::Expr FilteredArgument(plan::Expr arg, const ast::Expr& e, ExprBinder& inner);
  plan::Expr BindCase(const ast::Expr& e);
  plan::Expr BindNvl2(std::vector<plan::Expr> args, int location);
  plan::Expr WithBackslashEscapes(plan::Expr pattern, plan::Expr escape, int location);
  plan::Expr BindDecode(std::vector<plan::Expr> args, int location);
  plan::Expr BindInList(const ast::Expr& e);
  plan::Expr Compare(plan::Op op, plan::Expr l, plan::Expr r, int location);
  // The catalog version being bound (an empty one in unit tests that bind without a catalog).
  const CatalogVersion& Catalog() const;
  const SessionValues* Session() const { return params_ != nullptr ? params_->session : nullptr; }

  const Scope& scope_;
  BindState* params_;
  AggregateContext* agg_;
  const char* clause_;
  SubqueryHook subquery_;
  WindowHook window_;
  SetReturningHook set_returning_;
};

bool IsAggregateName(const std::string& name);
bool ContainsAggregate(const ast::Expr& e);
bool ContainsSubquery(const ast::Expr& e);
// True when every column reference in `e` (outside nested subqueries) resolves in `scope`.
bool ResolvesIn(const ast::Expr& e, const Scope& scope);
// Casts `e` to `t`, folding string literals into typed literals when possible.
plan::Expr CoerceTo(plan::Expr e, const SqlType& t);
// base.step: one step of navigation into a SUPER value (a member's name as text, an element's
// index as an integer), appended to `base` when it already is a super_navigate call.
plan::Expr SuperStep(plan::Expr base, plan::Expr step);
// Unifies the types of several expressions (CASE branches, IN lists, VALUES columns, UNION).
SqlType UnifyTypes(const std::vector<plan::Expr*>& exprs, const char* context, int location);
// A string literal not yet given a type by context ('1998-12-01' before it meets a date).
bool IsUntypedStringLiteral(const plan::Expr& e);

}  // namespace strata
