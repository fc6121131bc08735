// The logical plan the binder produces: a tree of relational operators whose expressions are
// already bound (plan::Expr, column indexes into the child's output). The physical planner
// (planner/physical_planner.h) turns it into distributed stages.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "planner/plan.pb.h"
#include "sql/types.h"
#include "catalog/catalog.pb.h"

namespace strata {

struct OutputColumn {
  std::string name;
  SqlType type;
};

enum class LogicalKind { kScan, kSystemTable, kValues, kFilter, kProject, kAggregate, kJoin, kSort, kLimit, kFileScan, kWindow,
                         kAppend, kRepeat, kDependentJoin };

// What one outer reference (plan::Expr.outer_ref == id) of a correlated subquery stands for:
// `value`, an expression over the columns of the dependent join's outer (left) input.
struct OuterBinding {
  int id = 0;
  plan::Expr value;
};

// Everything a node holds but its inputs, so that a node can be copied (CloneTree).
struct LogicalNodeFields {
  LogicalKind kind;
  std::vector<OutputColumn> columns;  // this node's output
  double estimated_rows = 1000;
  // The root of a FROM list's joins, as the binder built it: the optimizer's join ordering
  // (planner/join_order.h) reorders the inner joins below it as one region and does not merge
  // them with an enclosing region.
  bool join_region = false;
  // A subtree the query computes more than once: every copy has the same share_group (>= 0),
  // is pruned to the same columns, and is computed once (planner/shared_subtrees.h).
  int share_group = -1;

  // kScan
  catalog::Table table;
  std::vector<int> scan_columns;  // table column ordinals, in output order
  // kSystemTable
  std::string system_table;
  // kFileScan
  plan::FileScan file_scan;
  // kValues
  std::vector<std::vector<plan::Expr>> rows;
  // kFilter (predicate), kJoin (residual, optional)
  plan::Expr predicate;
  bool has_predicate = false;
  // kProject
  std::vector<plan::Expr> exprs;
  // kAggregate: output = groups then aggs
  std::vector<plan::Expr> groups;
  std::vector<plan::AggSpec> aggs;
  // kJoin: output = left columns then right columns (SEMI/ANTI: left only)
  plan::JoinType join_type = plan::INNER;
  std::vector<plan::Expr> left_keys, right_keys;  // right keys index the right child's columns
  // kSort; kWindow: the window's ORDER BY
  std::vector<plan::SortKey> sort_keys;
  // kWindow: output = input columns then one column per function; all share one PARTITION BY
  // and ORDER BY (the binder stacks one node per distinct window)
  std::vector<plan::Expr> partition_keys;
  std::vector<plan::WindowFunc> window_funcs;
  // kAppend: the rows of every child in turn (all children have this node's columns; string
  // columns may differ in length and are relabelled). kRepeat: each input row
  // `repeat_count` times (none when it is NULL or below 1); planner/set_operation_binder.h.
  // With `repeat_ordinal`, the output has one more column, last: each copy's number from 1
  // (set-returning functions, planner/set_returning_binder.h).
  plan::Expr repeat_count;
  bool repeat_ordinal = false;
  // kDependentJoin: children[1], a subquery, evaluated for each row of children[0]; it reads that
  // row through outer references bound here. join_type is LEFT (a scalar subquery's value: the
  // subquery gives at most one row), MARK (EXISTS as a value), SEMI or ANTI ([NOT] EXISTS in
  // WHERE); output as a kJoin of that type. The binder makes these only for correlations its
  // equi-join shortcuts do not cover; planner/decorrelation.h replaces each by ordinary joins.
  std::vector<OuterBinding> correlation;
  // kLimit (and a top-N hint on kSort)
  int64_t limit = -1;
  int64_t offset = 0;
};

struct LogicalNode : LogicalNodeFields {
  std::vector<std::unique_ptr<LogicalNode>> children;
};

using LogicalPtr = std::unique_ptr<LogicalNode>;

// A deep copy of `n` and everything below it.
inline LogicalPtr CloneTree(const LogicalNode& n) {
  auto copy = std::make_unique<LogicalNode>();
  static_cast<LogicalNodeFields&>(*copy) = n;
  for (const auto& c : n.children) copy->children.push_back(c ? CloneTree(*c) : nullptr);
  return copy;
}

// A WITH RECURSIVE query that reads itself, computed by the leader before the statement's
// query runs (server/leader_recursive.cpp): `base` once, then `step` over the rows the previous
// round added — which it reads as the leader relation `working_name` — until a round adds
// none (UNION also drops rows seen before). The statement reads every round's rows as the
// leader relation `result_name`. Both names start with '$', which no system relation does.
struct RecursiveCte {
  std::string name;  // as written, for messages
  std::string result_name, working_name;
  LogicalPtr base, step;
  bool union_all = false;
  std::vector<OutputColumn> columns;
};

inline std::vector<SqlType> ColumnTypes(const LogicalNode& n) {
  std::vector<SqlType> t;
  for (const auto& c : n.columns) t.push_back(c.type);
  return t;
}

}  // namespace strata
