// Binding of window function calls (f(...) OVER (PARTITION BY ... ORDER BY ... [frame])).
//
// While the SELECT binder binds the select list and ORDER BY, every window call it meets is
// handed to a WindowBinder (through ExprBinder's window hook). The call's arguments, PARTITION
// BY and ORDER BY are bound by the ExprBinder that met it, so in a grouped query they refer to
// the aggregate's output (windows run after GROUP BY / HAVING, as in PostgreSQL); the call
// itself becomes a placeholder column. Attach() then stacks one kWindow logical node per
// distinct window (same PARTITION BY and ORDER BY) over the query's node, and rewrites the
// placeholders to the columns those nodes append. Identical calls share one column.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "planner/expr_binder.h"
#include "planner/logical_plan.h"
#include "sql/ast.h"

namespace strata {

// True when `e` contains a window function call (outside nested subqueries).
bool ContainsWindowFunction(const ast::Expr& e);
// True when a window's PARTITION BY or ORDER BY, or a window call's arguments, contain a plain
// aggregate (rank() OVER (ORDER BY sum(x)) makes the query a grouped one).
bool ContainsAggregateInWindow(const ast::WindowSpec& w);

class WindowBinder {
 public:
  // Placeholder columns are numbered from here (above the SELECT binder's subquery placeholders).
  static constexpr int kPlaceholderBase = 1 << 26;

  // Binds the window call `e` (e.over is set); returns its placeholder column.
  plan::Expr Bind(const ast::Expr& e, ExprBinder& binder);
  bool empty() const { return calls_.empty(); }
  // Applies `fn` to every bound expression of the collected windows (to remap subquery
  // placeholders once the subqueries are joined in).
  void VisitExprs(const std::function<void(plan::Expr*)>& fn);
  // Stacks the window nodes over *node and rewrites the placeholders in `exprs`.
  void Attach(LogicalPtr* node, std::vector<plan::Expr>* exprs);

 private:
  struct Window {
    std::string key;  // serialized PARTITION BY and ORDER BY
    std::vector<plan::Expr> partition_keys;
    std::vector<plan::SortKey> order_keys;
    std::vector<plan::WindowFunc> funcs;
    std::vector<std::string> names;
  };
  struct Call {
    int window = 0;
    int func = 0;
  };

  plan::WindowFunc BindFunction(const ast::Expr& e, ExprBinder& binder, const Window& w);
  // An explicit frame (ROWS / RANGE / GROUPS between bounds other than the three plain ones)
  // into w->general; false when the spec has none.
  static bool BindFrame(const ast::WindowSpec& spec, const std::vector<plan::SortKey>& order, ExprBinder& binder,
                        plan::WindowFunc* w);
  // The column of `func` over window `w` (one column per distinct call).
  plan::Expr AddCall(const Window& w, plan::WindowFunc func, const std::string& name);
  // percent_rank, cume_dist, ntile(k) and Redshift's ratio_to_report(x): expressions over the
  // window's rank / row_number / counts / sum; false for any other function.
  bool BindComposite(const ast::Expr& e, ExprBinder& binder, const Window& w, plan::Expr* out);
  // An aggregate that is no window function of its own (median, percentile_cont / disc,
  // listagg, stddev, bool_and, ...) over a whole partition: bound as that aggregate, each of its
  // specs a WIN_AGGREGATE. False when `e` is not one; 0A000 with ORDER BY or a frame (Redshift's
  // rule for these functions).
  bool BindPartitionAggregate(const ast::Expr& e, ExprBinder& binder, const Window& w, plan::Expr* out);

  std::vector<Window> windows_;
  std::vector<Call> calls_;               // placeholder k -> its window and function
  std::map<std::string, int> call_index_;  // serialized window + function -> placeholder
};

}  // namespace strata
