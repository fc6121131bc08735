// UNION / INTERSECT / EXCEPT: arm binding, type unification and the plan shapes described in
// the header.
#include "planner/set_operation_binder.h"

#include <algorithm>

#include "planner/expr_builder.h"
#include "planner/selectivity.h"
#include "planner/sort_limit.h"
#include "planner/type_coercion.h"
#include "sql/error.h"
#include "sql/nesting_limit.h"

namespace strata {

namespace {

const char* OpName(ast::SetOp op) {
  return op == ast::SetOp::kUnion ? "UNION" : op == ast::SetOp::kIntersect ? "INTERSECT" : "EXCEPT";
}

// A type's name without modifiers, as PostgreSQL names types in this error (format_type_be).
std::string BareTypeName(const SqlType& t) {
  switch (t.id) {
    case TypeId::kDecimal: return "numeric";
    case TypeId::kChar: return "character";
    case TypeId::kVarchar: return "character varying";
    default: return t.ToString();
  }
}

// A plain SELECT without DISTINCT, grouping, ORDER BY or LIMIT: its select list is its output
// as written, so a bare literal there is still untyped when the set operation meets it.
bool IsPlainSelect(const ast::SelectStmt& q) {
  if (q.op != ast::SetOp::kNone || !q.values.empty() || q.distinct || !q.group_by.empty() || q.having ||
      !q.order_by.empty() || q.limit || q.offset) {
    return false;
  }
  return std::none_of(q.targets.begin(), q.targets.end(),
                      [](const ast::SelectItem& t) { return t.expr->kind == ast::ExprKind::kStar; });
}

// The leftmost plain query of a set operation tree: where its columns are written.
const ast::SelectStmt& LeftmostLeaf(const ast::SelectStmt& q) {
  const ast::SelectStmt* x = &q;
  while (x->op != ast::SetOp::kNone && x->larg) x = x->larg.get();
  return *x;
}

// One bound input of a set operation.
struct Arm {
  LogicalPtr node;
  std::vector<bool> untyped;    // per column: takes the other side's type
  std::vector<int> locations;   // per column: where it is written (-1 unknown)
};

Arm BindArm(const ast::SelectStmt& q, const QueryBindFn& bind_query) {
  Arm arm;
  arm.node = bind_query(q);
  size_t width = arm.node->columns.size();
  arm.untyped.assign(width, false);
  arm.locations.assign(width, q.location);
  const ast::SelectStmt& leaf = LeftmostLeaf(q);
  if (leaf.values.empty() && leaf.targets.size() == width) {
    for (size_t i = 0; i < width; ++i) {
      if (leaf.targets[i].expr->kind != ast::ExprKind::kStar) arm.locations[i] = leaf.targets[i].expr->location;
    }
  }
  // A query that is empty by its shape (planner/empty_query.h) comes back as a VALUES list with
  // no rows and text columns: any type fits it.
  if (arm.node->kind == LogicalKind::kValues && arm.node->rows.empty()) {
    arm.untyped.assign(width, true);
    return arm;
  }
  if (!IsPlainSelect(q) || q.targets.size() != width || arm.node->kind != LogicalKind::kProject) return arm;
  for (size_t i = 0; i < width; ++i) {
    const ast::Expr& e = *q.targets[i].expr;
    bool literal = e.kind == ast::ExprKind::kLiteral &&
                   (e.literal_kind == ast::LiteralKind::kString || e.literal_kind == ast::LiteralKind::kNull);
    arm.untyped[i] = literal && arm.node->exprs[i].has_literal();
  }
  return arm;
}

// Gives the arm's columns the set operation's types: an untyped literal is folded into the new
// type (its text parsed now: 22P02 for SELECT 1 UNION SELECT 'x'), string types are only
// relabelled (the Append does that, as PostgreSQL keeps each value's own padding), and other
// columns are cast by a projection over the arm.
LogicalPtr ConvertArm(Arm arm, const std::vector<SqlType>& types) {
  LogicalNode* n = arm.node.get();
  if (n->kind == LogicalKind::kValues && n->rows.empty()) {
    for (size_t i = 0; i < types.size(); ++i) n->columns[i].type = types[i];
    return std::move(arm.node);
  }
  bool cast = false;
  for (size_t i = 0; i < types.size(); ++i) {
    const SqlType& from = n->columns[i].type;
    if (from == types[i]) continue;
    if (arm.untyped[i]) {
      plan::Expr& lit = n->exprs[i];
      try {
        if (lit.literal().is_null()) {
          lit = NullLiteral(types[i]);
        } else if (types[i].is_string()) {
          *lit.mutable_type() = ToProtoType(types[i]);  // as written: no padding, no length check
        } else {
          lit = CoerceTo(std::move(lit), types[i]);
        }
      } catch (SqlError& err) {
        err.WithPosition(arm.locations[i] + 1);
        throw;
      }
      n->columns[i].type = types[i];
      continue;
    }
    if (!(from.is_string() && types[i].is_string())) cast = true;
  }
  if (!cast) return std::move(arm.node);
  auto p = std::make_unique<LogicalNode>();
  p->kind = LogicalKind::kProject;
  p->estimated_rows = n->estimated_rows;
  for (size_t i = 0; i < types.size(); ++i) {
    const SqlType& from = n->columns[i].type;
    plan::Expr col = ColumnExpr(static_cast<int>(i), from);
    bool relabel = from == types[i] || (from.is_string() && types[i].is_string());
    p->exprs.push_back(relabel ? std::move(col) : CoerceTo(std::move(col), types[i]));
    p->columns.push_back({n->columns[i].name, relabel ? from : types[i]});
  }
  p->children.push_back(std::move(arm.node));
  return p;
}

LogicalPtr AppendNode(std::vector<OutputColumn> columns, LogicalPtr left, LogicalPtr right) {
  auto a = std::make_unique<LogicalNode>();
  a->kind = LogicalKind::kAppend;
  a->columns = std::move(columns);
  a->estimated_rows = left->estimated_rows + right->estimated_rows;
  if (left->kind == LogicalKind::kAppend && left->columns.size() == a->columns.size()) {
    // a UNION ALL b UNION ALL c: one append of every input, not a nest of them.
    for (auto& c : left->children) a->children.push_back(std::move(c));
  } else {
    a->children.push_back(std::move(left));
  }
  a->children.push_back(std::move(right));
  return a;
}

// The arm's columns followed by the side tags: (1, NULL) on the left, (NULL, 1) on the right.
LogicalPtr Tagged(LogicalPtr arm, bool left) {
  auto p = std::make_unique<LogicalNode>();
  p->kind = LogicalKind::kProject;
  p->estimated_rows = arm->estimated_rows;
  for (size_t i = 0; i < arm->columns.size(); ++i) {
    p->exprs.push_back(ColumnExpr(static_cast<int>(i), arm->columns[i].type));
    p->columns.push_back(arm->columns[i]);
  }
  p->exprs.push_back(left ? Int64Literal(1, SqlType::Int32()) : NullLiteral(SqlType::Int32()));
  p->exprs.push_back(left ? NullLiteral(SqlType::Int32()) : Int64Literal(1, SqlType::Int32()));
  p->columns.push_back({"left_tag", SqlType::Int32()});
  p->columns.push_back({"right_tag", SqlType::Int32()});
  p->children.push_back(std::move(arm));
  return p;
}

plan::AggSpec CountOf(int column) {
  plan::AggSpec a;
  a.set_func(plan::COUNT);
  *a.mutable_arg() = ColumnExpr(column, SqlType::Int32());
  *a.mutable_result_type() = ToProtoType(SqlType::Int64());
  return a;
}

LogicalPtr GroupByAll(LogicalPtr input, size_t width, std::vector<plan::AggSpec> aggs) {
  auto g = std::make_unique<LogicalNode>();
  g->kind = LogicalKind::kAggregate;
  for (size_t i = 0; i < width; ++i) {
    g->groups.push_back(ColumnExpr(static_cast<int>(i), input->columns[i].type));
    g->columns.push_back(input->columns[i]);
  }
  for (size_t i = 0; i < aggs.size(); ++i) g->columns.push_back({i == 0 ? "left_rows" : "right_rows", SqlType::Int64()});
  g->aggs = std::move(aggs);
  g->estimated_rows = std::max(1.0, GroupCount(g->groups, *input));
  g->children.push_back(std::move(input));
  return g;
}

// INTERSECT / EXCEPT [ALL] over `both` = Append of the tagged arms (see the header).
LogicalPtr CountAndKeep(LogicalPtr both, size_t width, ast::SetOp op, bool all) {
  int w = static_cast<int>(width);
  LogicalPtr g = GroupByAll(std::move(both), width, {CountOf(w), CountOf(w + 1)});
  plan::Expr l = ColumnExpr(w, SqlType::Int64()), r = ColumnExpr(w + 1, SqlType::Int64());
  plan::Expr zero = Int64Literal(0, SqlType::Int64());
  auto keep = std::make_unique<LogicalNode>();
  keep->columns = g->columns;
  keep->estimated_rows = std::max(1.0, g->estimated_rows * 0.5);
  if (all) {
    keep->kind = LogicalKind::kRepeat;
    keep->repeat_count = op == ast::SetOp::kIntersect
        ? CallExpr(plan::CASE, SqlType::Int64(), {CallExpr(plan::LT, SqlType::Bool(), {l, r}), l, r})
        : CallExpr(plan::SUB, SqlType::Int64(), {l, r});
  } else {
    keep->kind = LogicalKind::kFilter;
    plan::Op right_test = op == ast::SetOp::kIntersect ? plan::GT : plan::EQ;
    keep->predicate = CallExpr(plan::AND, SqlType::Bool(), {CallExpr(plan::GT, SqlType::Bool(), {l, zero}),
                                                            CallExpr(right_test, SqlType::Bool(), {r, zero})});
    keep->has_predicate = true;
  }
  keep->children.push_back(std::move(g));
  auto p = std::make_unique<LogicalNode>();
  p->kind = LogicalKind::kProject;
  p->estimated_rows = keep->estimated_rows;
  for (size_t i = 0; i < width; ++i) {
    p->exprs.push_back(ColumnExpr(static_cast<int>(i), keep->columns[i].type));
    p->columns.push_back(keep->columns[i]);
  }
  p->children.push_back(std::move(keep));
  return p;
}

// ORDER BY over a set operation: output columns by position or bare name only.
std::vector<plan::SortKey> BindOrderBy(const ast::SelectStmt& s, const std::vector<OutputColumn>& cols) {
  std::vector<plan::SortKey> keys;
  for (const auto& o : s.order_by) {
    const ast::Expr& e = *o.expr;
    int index = -1;
    if (e.kind == ast::ExprKind::kLiteral && e.literal_kind == ast::LiteralKind::kInteger) {
      int pos = SelectListPosition(e, "ORDER BY");
      if (pos < 1 || pos > static_cast<int>(cols.size())) {
        FailAt(sqlstate::kInvalidColumnReference, StrCat("ORDER BY position ", pos, " is not in select list"), e.location);
      }
      index = pos - 1;
    } else if (e.kind == ast::ExprKind::kColumnRef && e.names.size() > 1) {
      FailAt(sqlstate::kUndefinedTable, StrCat("missing FROM-clause entry for table \"", e.names[e.names.size() - 2], "\""),
           e.location);
    } else if (e.kind == ast::ExprKind::kColumnRef) {
      for (size_t i = 0; i < cols.size(); ++i) {
        if (cols[i].name != e.names[0]) continue;
        if (index >= 0) FailAt(sqlstate::kAmbiguousColumn, StrCat("ORDER BY \"", e.names[0], "\" is ambiguous"), e.location);
        index = static_cast<int>(i);
      }
      if (index < 0) FailAt(sqlstate::kUndefinedColumn, StrCat("column \"", e.names[0], "\" does not exist"), e.location);
    } else {
      throw SqlError(sqlstate::kFeatureNotSupported, "invalid UNION/INTERSECT/EXCEPT ORDER BY clause", e.location + 1)
          .WithDetail("Only result column names can be used, not expressions or functions.")
          .WithHint("Add the expression/function to every SELECT, or move the UNION into a FROM clause.");
    }
    plan::SortKey k;
    *k.mutable_expr() = ColumnExpr(index, cols[index].type);
    k.set_desc(o.desc);
    k.set_nulls_first(o.nulls_first.value_or(o.desc));
    keys.push_back(std::move(k));
  }
  return keys;
}

}  // namespace

namespace {

// The set operation `s` over its two bound inputs (without s's ORDER BY / LIMIT). `left_is_link`:
// the left input is the previous link of a chain, whose UNION it may extend (*extended is then
// true: the result is no deeper than that link).
LogicalPtr CombineArms(const ast::SelectStmt& s, Arm left, Arm right, bool left_is_link, bool* extended) {
  const char* name = OpName(s.op);
  size_t width = left.node->columns.size();
  if (right.node->columns.size() != width) {
    FailAt(sqlstate::kSyntaxError, StrCat("each ", name, " query must have the same number of columns"),
         right.locations.empty() ? s.rarg->location : right.locations[0]);
  }
  std::vector<SqlType> types;
  std::vector<OutputColumn> columns;
  for (size_t i = 0; i < width; ++i) {
    const SqlType& lt = left.node->columns[i].type;
    const SqlType& rt = right.node->columns[i].type;
    SqlType t = lt;
    if (left.untyped[i] && right.untyped[i]) {
      t = SqlType::Text();
    } else if (left.untyped[i]) {
      t = rt;
    } else if (!right.untyped[i]) {
      std::optional<SqlType> common = CommonType(lt, rt);
      if (!common) {
        FailAt(sqlstate::kDatatypeMismatch, StrCat(name, " types ", BareTypeName(lt), " and ", BareTypeName(rt), " cannot be matched"),
             right.locations[i]);
      }
      t = *common;
    }
    types.push_back(t);
    columns.push_back({left.node->columns[i].name, t});
  }
  LogicalPtr l = ConvertArm(std::move(left), types);
  LogicalPtr r = ConvertArm(std::move(right), types);
  LogicalPtr node;
  *extended = false;
  if (s.op == ast::SetOp::kUnion) {
    // a UNION b UNION c: one DISTINCT over one append of all three.
    if (!s.all && left_is_link && l->kind == LogicalKind::kAggregate && l->aggs.empty() &&
        l->groups.size() == width && l->children[0]->kind == LogicalKind::kAppend) {
      l = std::move(l->children[0]);
    }
    *extended = left_is_link && l->kind == LogicalKind::kAppend;
    node = AppendNode(columns, std::move(l), std::move(r));
    if (!s.all) node = GroupByAll(std::move(node), width, {});
  } else {
    std::vector<OutputColumn> tagged = columns;
    tagged.push_back({"left_tag", SqlType::Int32()});
    tagged.push_back({"right_tag", SqlType::Int32()});
    node = CountAndKeep(AppendNode(std::move(tagged), Tagged(std::move(l), true), Tagged(std::move(r), false)), width,
                        s.op, s.all);
  }
  return node;
}

}  // namespace

LogicalPtr BindSetOperation(const ast::SelectStmt& s, const QueryBindFn& bind_query, BindState* params) {
  if (!s.larg || !s.rarg) STRATA_INTERNAL_ERROR("set operation without two inputs");
  // A chain a op b op c ... nests to the left; its links without WITH, ORDER BY or LIMIT of their
  // own are bound here one after another, so a chain of any length binds without recursing.
  std::vector<const ast::SelectStmt*> chain{&s};
  for (;;) {
    const ast::SelectStmt* l = chain.back()->larg.get();
    if (l == nullptr || l->op == ast::SetOp::kNone || !l->larg || !l->rarg || !l->with.empty() ||
        !l->order_by.empty() || l->limit || l->offset) {
      break;
    }
    chain.push_back(l);
  }
  Arm acc = BindArm(*chain.back()->larg, bind_query);
  LogicalPtr node;
  int nested = 0;  // links that add a level to the plan (INTERSECT, EXCEPT, mixed UNIONs)
  for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
    const ast::SelectStmt& link = **it;
    Arm right = BindArm(*link.rarg, bind_query);
    std::vector<int> locations = acc.locations;
    bool extended = false;
    node = CombineArms(link, std::move(acc), std::move(right), it != chain.rbegin(), &extended);
    if (!extended && ++nested > kMaxQueryNesting) {
      ThrowTooComplex(StrCat("Set operations nest deeper than ", kMaxQueryNesting, " levels."),
                      link.location >= 0 ? link.location + 1 : 0);
    }
    if (*it == &s) break;
    // The result of a link is typed: what it adds to the next link is an ordinary input.
    acc = Arm{};
    acc.untyped.assign(node->columns.size(), false);
    acc.locations = std::move(locations);
    acc.node = std::move(node);
  }

  std::vector<plan::SortKey> sort_keys = BindOrderBy(s, node->columns);
  int64_t limit = s.limit ? ConstantCount(*s.limit, "LIMIT", params) : -1;
  int64_t offset = s.offset ? ConstantCount(*s.offset, "OFFSET", params) : 0;
  if (offset < 0) offset = 0;
  return SortAndLimit(std::move(node), std::move(sort_keys), limit, offset);
}

}  // namespace strata
