// See predicate_pushdown.h: the rules for moving one conjunct below one node, and the walk that
// applies them from the top of the plan down.
#include "planner/predicate_pushdown.h"

#include <algorithm>
#include <set>
#include <utility>
#include <vector>

#include "planner/expr_builder.h"
#include "planner/select_binder.h"
#include "planner/selectivity.h"

namespace strata {
namespace {

// Types whose equal values are the same value (so a group or partition key stands for each of
// its rows' own values).
bool EqualMeansIdentical(const SqlType& t) {
  switch (t.id) {
    case TypeId::kBool: case TypeId::kInt16: case TypeId::kInt32: case TypeId::kInt64: case TypeId::kDecimal:
    case TypeId::kVarchar: case TypeId::kText: case TypeId::kDate: case TypeId::kTimestamp: case TypeId::kTimestampTz:
      return true;
    default:
      return false;
  }
}

std::vector<int> ColumnsOf(const plan::Expr& e) {
  std::vector<int> cols;
  CollectColumns(e, &cols);
  return cols;
}

// `e` with each column reference i replaced by `by[i]`.
void Substitute(plan::Expr* e, const std::vector<plan::Expr>& by) {
  if (e->has_column()) {
    plan::Expr replacement = by[e->column()];
    *e = std::move(replacement);
  } else if (e->has_call()) {
    for (auto& a : *e->mutable_call()->mutable_args()) Substitute(&a, by);
  }
}

// Puts `conj` (over the output of `*slot`) into a filter on top of `*slot`: after the
// predicate of a filter already there (unless it is already one of its conditions) (AND evaluates its operands in order, row by row, so a
// guard such as `x <> 0` still protects `10 / x`), else in a new filter.
void AddFilter(LogicalPtr* slot, plan::Expr conj) {
  LogicalNode& n = **slot;
  if (n.kind == LogicalKind::kFilter) {
    std::vector<plan::Expr> parts;
    SplitConjuncts(std::move(n.predicate), &parts);
    // The same condition twice (a WHERE that repeats a row-level security predicate, say) is
    // evaluated once: AND of a non-volatile condition with itself is that condition.
    const std::string key = conj.SerializeAsString();
    const bool repeated = !IsVolatile(conj) && std::any_of(parts.begin(), parts.end(), [&](const plan::Expr& p) {
      return p.SerializeAsString() == key;
    });
    if (!repeated) parts.push_back(std::move(conj));
    n.predicate = CallExpr(plan::AND, SqlType::Bool(), std::move(parts));
    return;
  }
  auto f = std::make_unique<LogicalNode>();
  f->kind = LogicalKind::kFilter;
  f->columns = n.columns;
  f->estimated_rows = std::max(1.0, n.estimated_rows * FilterSelectivity(conj, n));
  f->predicate = std::move(conj);
  f->has_predicate = true;
  f->children.push_back(std::move(*slot));
  *slot = std::move(f);
}

// Moves `conj` (over the output of `n`) below `n`; false when no rule lets it through.
bool PushBelow(LogicalNode& n, const plan::Expr& conj) {
  const std::vector<int> cols = ColumnsOf(conj);
  switch (n.kind) {
    case LogicalKind::kProject: {
      if (std::any_of(cols.begin(), cols.end(), [&](int c) { return IsVolatile(n.exprs[c]); })) return false;
      plan::Expr moved = conj;
      Substitute(&moved, n.exprs);
      AddFilter(&n.children[0], std::move(moved));
      return true;
    }
    case LogicalKind::kAggregate: {
      const int keys = static_cast<int>(n.groups.size());
      if (keys == 0) return false;
      for (int c : cols) {
        if (c >= keys || !EqualMeansIdentical(n.columns[c].type) || IsVolatile(n.groups[c])) return false;
      }
      plan::Expr moved = conj;
      Substitute(&moved, n.groups);
      AddFilter(&n.children[0], std::move(moved));
      return true;
    }
    case LogicalKind::kAppend: {
      const std::vector<SqlType> types = ColumnTypes(n);
      for (const auto& c : n.children) {
        if (ColumnTypes(*c) != types) return false;  // a relabelled string column compares differently
      }
      for (auto& c : n.children) AddFilter(&c, conj);
      return true;
    }
    case LogicalKind::kJoin: {
      const int left_width = static_cast<int>(n.children[0]->columns.size());
      const bool left_only = std::all_of(cols.begin(), cols.end(), [&](int c) { return c < left_width; });
      const bool right_only = !cols.empty() && std::all_of(cols.begin(), cols.end(), [&](int c) { return c >= left_width; });
      switch (n.join_type) {
        case plan::INNER: case plan::LEFT: case plan::SEMI: case plan::ANTI: case plan::NULL_AWARE_ANTI:
        case plan::MARK: case plan::NULL_AWARE_MARK:
          if (left_only) {
            AddFilter(&n.children[0], conj);
            return true;
          }
          break;
        default:
          break;
      }
      if (right_only && (n.join_type == plan::INNER || n.join_type == plan::RIGHT)) {
        plan::Expr moved = conj;
        ShiftColumns(&moved, -left_width);
        AddFilter(&n.children[1], std::move(moved));
        return true;
      }
      return false;
    }
    case LogicalKind::kWindow: {
      const int input_width = static_cast<int>(n.children[0]->columns.size());
      std::set<int> partition;
      for (const auto& k : n.partition_keys) {
        if (k.has_column()) partition.insert(k.column());
      }
      for (int c : cols) {
        if (c >= input_width || !partition.count(c) || !EqualMeansIdentical(n.columns[c].type)) return false;
      }
      AddFilter(&n.children[0], conj);
      return true;
    }
    case LogicalKind::kSort:
      if (n.limit >= 0) return false;
      AddFilter(&n.children[0], conj);
      return true;
    default:
      return false;
  }
}

// A join's own condition (its residual, the ON clause's non-equality part): a conjunct over the
// columns of one input only goes into that input where the join meets only the rows that pass
// it anyway — the nullable side of an outer join (a LEFT join's right input, a RIGHT join's left
// input), either side of an inner join, the right input of SEMI / ANTI / MARK joins (EXISTS over
// the rows that pass), the left input of an inner or SEMI join. Not NOT IN's null-aware joins,
// whose whole-build facts (any NULL key) must see every build row.
void PushJoinCondition(LogicalNode* n) {
  if (n->kind != LogicalKind::kJoin || !n->has_predicate || n->children.size() != 2) return;
  const plan::JoinType t = n->join_type;
  const bool into_left = t == plan::INNER || t == plan::SEMI || t == plan::RIGHT;
  const bool into_right = t == plan::INNER || t == plan::LEFT || t == plan::SEMI || t == plan::ANTI || t == plan::MARK;
  if (!into_left && !into_right) return;
  const int left_width = static_cast<int>(n->children[0]->columns.size());
  std::vector<plan::Expr> conj;
  SplitConjuncts(n->predicate, &conj);
  std::vector<plan::Expr> stay;
  for (auto& c : conj) {
    const std::vector<int> cols = ColumnsOf(c);
    const bool left_only = std::all_of(cols.begin(), cols.end(), [&](int x) { return x < left_width; });
    const bool right_only = !cols.empty() && std::all_of(cols.begin(), cols.end(), [&](int x) { return x >= left_width; });
    if (cols.empty() || IsVolatile(c)) {
      stay.push_back(std::move(c));
    } else if (right_only && into_right) {
      ShiftColumns(&c, -left_width);
      AddFilter(&n->children[1], std::move(c));
    } else if (left_only && into_left) {
      AddFilter(&n->children[0], std::move(c));
    } else {
      stay.push_back(std::move(c));
    }
  }
  if (stay.size() == conj.size()) return;
  if (stay.empty()) {
    n->has_predicate = false;
    n->predicate = plan::Expr();
  } else {
    n->predicate = stay.size() == 1 ? std::move(stay[0]) : CallExpr(plan::AND, SqlType::Bool(), std::move(stay));
  }
}

void Visit(LogicalPtr* slot) {
  LogicalNode* n = slot->get();
  PushJoinCondition(n);
  if (n->kind == LogicalKind::kFilter && !n->children.empty() && n->children[0] != nullptr) {
    std::vector<plan::Expr> conj;
    SplitConjuncts(n->predicate, &conj);
    std::vector<plan::Expr> stay;
    LogicalNode& child = *n->children[0];
    if (child.kind == LogicalKind::kFilter) {
      // Two filters in a row: the lower one's predicate first, then this one's, in one node.
      for (auto& c : conj) AddFilter(&n->children[0], std::move(c));
    } else {
      for (auto& c : conj) {
        if (IsVolatile(c) || !PushBelow(child, c)) stay.push_back(std::move(c));
      }
    }
    if (stay.empty()) {
      LogicalPtr below = std::move(n->children[0]);
      *slot = std::move(below);
      Visit(slot);
      return;
    }
    if (stay.size() != conj.size()) {
      n->predicate = stay.size() == 1 ? std::move(stay[0]) : CallExpr(plan::AND, SqlType::Bool(), std::move(stay));
    }
  }
  for (auto& c : (*slot)->children) {
    if (c != nullptr) Visit(&c);
  }
}

}  // namespace

LogicalPtr PushDownPredicates(LogicalPtr plan) {
  if (plan != nullptr) Visit(&plan);
  return plan;
}

}  // namespace strata
