// See decorrelation.h: the dependent-join push-down of Neumann & Kemper over Strata's logical
// operators. Invariant of Pusher::Push: the node it returns has the columns of the node it was
// given, in place, followed by the domain's columns, and reads none of the domain's outer
// references.
#include "planner/decorrelation.h"

#include <algorithm>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "planner/expr_builder.h"
#include "planner/join_shape.h"
#include "sql/error.h"
#include "sql/sqlstate.h"

namespace strata {
namespace {

using IdSet = std::set<int>;

LogicalPtr MakeNode(LogicalKind kind) {
  auto n = std::make_unique<LogicalNode>();
  n->kind = kind;
  return n;
}

// Every expression a node holds (not its children's).
void ForEachExpr(LogicalNode* n, const std::function<void(plan::Expr*)>& fn) {
  if (n->has_predicate) fn(&n->predicate);
  for (auto& e : n->exprs) fn(&e);
  for (auto& e : n->groups) fn(&e);
  for (auto& a : n->aggs) if (a.has_arg()) fn(a.mutable_arg());
  for (auto& a : n->aggs) if (a.has_order_arg()) fn(a.mutable_order_arg());
  for (auto& e : n->left_keys) fn(&e);
  for (auto& e : n->right_keys) fn(&e);
  for (auto& k : n->sort_keys) fn(k.mutable_expr());
  for (auto& e : n->partition_keys) fn(&e);
  for (auto& w : n->window_funcs) for (auto& a : *w.mutable_args()) fn(&a);
  if (n->kind == LogicalKind::kRepeat) fn(&n->repeat_count);
  for (auto& row : n->rows) for (auto& e : row) fn(&e);
  for (auto& b : n->correlation) fn(&b.value);
}

void ForEachExprBelow(LogicalNode* n, const std::function<void(plan::Expr*)>& fn) {
  ForEachExpr(n, fn);
  for (auto& c : n->children) if (c) ForEachExprBelow(c.get(), fn);
}

bool ExprReads(const plan::Expr& e, const IdSet& ids) {
  if (e.has_outer_ref()) return ids.count(e.outer_ref()) > 0;
  if (e.has_call()) for (const auto& a : e.call().args()) if (ExprReads(a, ids)) return true;
  return false;
}

bool NodeReads(LogicalNode* n, const IdSet& ids) {
  bool reads = false;
  ForEachExpr(n, [&](plan::Expr* e) { reads = reads || ExprReads(*e, ids); });
  return reads;
}

bool SubtreeReads(LogicalNode* n, const IdSet& ids) {
  if (NodeReads(n, ids)) return true;
  for (auto& c : n->children) if (c && SubtreeReads(c.get(), ids)) return true;
  return false;
}

void MaxOuterRef(const plan::Expr& e, int* max_id) {
  if (e.has_outer_ref()) *max_id = std::max(*max_id, e.outer_ref());
  if (e.has_call()) for (const auto& a : e.call().args()) MaxOuterRef(a, max_id);
}

// Replaces outer reference id by `with.at(id)` wherever it occurs in `e`.
void ReplaceRefs(plan::Expr* e, const std::map<int, plan::Expr>& with) {
  if (e->has_outer_ref()) {
    auto it = with.find(e->outer_ref());
    if (it != with.end()) *e = it->second;
    return;
  }
  if (e->has_call()) for (auto& a : *e->mutable_call()->mutable_args()) ReplaceRefs(&a, with);
}

// A non-NULL constant of type t (zero, '', false, 1970-01-01): what NULL is keyed as.
plan::Expr ZeroLiteral(const SqlType& t) {
  plan::Expr e;
  *e.mutable_type() = ToProtoType(t);
  auto* lit = e.mutable_literal();
  switch (t.physical()) {
    case PhysicalType::kString: lit->set_str(""); break;
    case PhysicalType::kInt128: lit->set_i128(std::string(16, '\0')); break;
    case PhysicalType::kFloat32:
    case PhysicalType::kFloat64: lit->set_f64(0); break;
    default: lit->set_i64(0); break;
  }
  return e;
}

// Adds `a` (over the join's left input) = `b` (over its right input) as hash keys under which
// NULL equals NULL: (a IS NULL, COALESCE(a, zero)) = (b IS NULL, COALESCE(b, zero)).
void AddNullSafeKey(LogicalNode* join, const plan::Expr& a, const plan::Expr& b) {
  SqlType t = ExprType(a);
  for (int side = 0; side < 2; ++side) {
    const plan::Expr& x = side == 0 ? a : b;
    auto& keys = side == 0 ? join->left_keys : join->right_keys;
    keys.push_back(CallExpr(plan::IS_NULL, SqlType::Bool(), {x}));
  }
  for (int side = 0; side < 2; ++side) {
    const plan::Expr& x = side == 0 ? a : b;
    auto& keys = side == 0 ? join->left_keys : join->right_keys;
    keys.push_back(CallExpr(plan::COALESCE, t, {CastExpr(x, t), ZeroLiteral(t)}));
  }
}

// The output columns of a join of `type` over inputs with these columns.
std::vector<OutputColumn> JoinColumns(plan::JoinType type, const std::vector<OutputColumn>& l,
                                      const std::vector<OutputColumn>& r) {
  std::vector<OutputColumn> cols = l;
  switch (ShapeOf(type)) {
    case JoinShape::kBothSides: cols.insert(cols.end(), r.begin(), r.end()); break;
    case JoinShape::kProbeOnly: break;
    case JoinShape::kProbeAndFlag: cols.push_back({"?mark?", SqlType::Bool()}); break;
    case JoinShape::kBuildOnly: cols = r; break;
  }
  return cols;
}

LogicalPtr JoinNode(plan::JoinType type, LogicalPtr left, LogicalPtr right) {
  auto j = MakeNode(LogicalKind::kJoin);
  j->join_type = type;
  j->columns = JoinColumns(type, left->columns, right->columns);
  j->estimated_rows = ShapeOf(type) == JoinShape::kBothSides ? std::max(left->estimated_rows, right->estimated_rows)
                                                             : left->estimated_rows;
  j->children.push_back(std::move(left));
  j->children.push_back(std::move(right));
  return j;
}

// A projection of `n` onto its columns `order`.
LogicalPtr Reorder(LogicalPtr n, const std::vector<int>& order) {
  auto p = MakeNode(LogicalKind::kProject);
  p->estimated_rows = n->estimated_rows;
  for (int c : order) {
    p->exprs.push_back(ColumnExpr(c, n->columns[c].type));
    p->columns.push_back(n->columns[c]);
  }
  p->children.push_back(std::move(n));
  return p;
}

std::vector<int> Range(int from, int to) {
  std::vector<int> v;
  for (int i = from; i < to; ++i) v.push_back(i);
  return v;
}

// The domain of one dependent join: the distinct values of its outer references.
struct Domain {
  std::vector<int> ids;         // outer reference ids, in column order
  std::vector<SqlType> types;
  IdSet id_set;
  LogicalPtr plan;              // a template: every use takes a copy
  int width() const { return static_cast<int>(ids.size()); }
};

class Pusher {
 public:
  Pusher(const Domain& d, int* next_id) : d_(d), next_id_(next_id) {}

  LogicalPtr Push(LogicalPtr n) {
    if (!SubtreeReads(n.get(), d_.id_set)) return Cross(std::move(n));
    switch (n->kind) {
      case LogicalKind::kFilter: return PushFilter(std::move(n));
      case LogicalKind::kProject: return PushProject(std::move(n));
      case LogicalKind::kAggregate: return PushAggregate(std::move(n));
      case LogicalKind::kJoin: return PushJoin(std::move(n));
      case LogicalKind::kSort: return PushSort(std::move(n));
      case LogicalKind::kLimit: return PushLimit(std::move(n));
      case LogicalKind::kWindow: return PushWindow(std::move(n));
      case LogicalKind::kAppend: return PushAppend(std::move(n));
      case LogicalKind::kRepeat: return PushRepeat(std::move(n));
      case LogicalKind::kValues: return PushValues(std::move(n));
      case LogicalKind::kDependentJoin: return PushDependentJoin(std::move(n));
      default: break;
    }
    FailAt(sqlstate::kFeatureNotSupported, "this correlated subquery cannot be unnested yet");
  }

 private:
  // outer reference -> column `base + j` of the domain's j-th value.
  std::map<int, plan::Expr> RefsToColumns(int base) const {
    std::map<int, plan::Expr> m;
    for (int j = 0; j < d_.width(); ++j) m[d_.ids[j]] = ColumnExpr(base + j, d_.types[j]);
    return m;
  }
  void BindNode(LogicalNode* n, int base) const {
    auto m = RefsToColumns(base);
    ForEachExpr(n, [&](plan::Expr* e) { ReplaceRefs(e, m); });
  }
  std::vector<OutputColumn> DomainColumns() const { return d_.plan->columns; }
  LogicalPtr DomainCopy() const { return CloneTree(*d_.plan); }
  std::vector<OutputColumn> WithDomain(std::vector<OutputColumn> cols) const {
    auto dc = DomainColumns();
    cols.insert(cols.end(), dc.begin(), dc.end());
    return cols;
  }

  // n × D, with `predicate` (over n ++ D) as the join's condition when given.
  LogicalPtr Cross(LogicalPtr n, const plan::Expr* predicate = nullptr) {
    double rows = n->estimated_rows * std::max(1.0, d_.plan->estimated_rows);
    auto j = JoinNode(plan::INNER, std::move(n), DomainCopy());
    j->estimated_rows = rows;
    if (predicate != nullptr) {
      // Conjuncts "input expression = domain expression" become hash keys.
      int w = static_cast<int>(j->children[0]->columns.size());
      std::vector<plan::Expr> conj, rest;
      if (predicate->has_call() && predicate->call().op() == plan::AND) {
        for (const auto& a : predicate->call().args()) conj.push_back(a);
      } else {
        conj.push_back(*predicate);
      }
      for (auto& c : conj) {
        if (c.has_call() && c.call().op() == plan::EQ && c.call().args_size() == 2) {
          std::vector<int> l, r;
          CollectColumns(c.call().args(0), &l);
          CollectColumns(c.call().args(1), &r);
          auto below = [&](const std::vector<int>& v) { return !v.empty() && std::all_of(v.begin(), v.end(), [&](int x) { return x < w; }); };
          auto above = [&](const std::vector<int>& v) { return !v.empty() && std::all_of(v.begin(), v.end(), [&](int x) { return x >= w; }); };
          int input_side = below(l) && above(r) ? 0 : (below(r) && above(l) ? 1 : -1);
          if (input_side >= 0) {
            plan::Expr dk = c.call().args(1 - input_side);
            ShiftColumns(&dk, -w);
            j->left_keys.push_back(c.call().args(input_side));
            j->right_keys.push_back(std::move(dk));
            continue;
          }
        }
        rest.push_back(std::move(c));
      }
      if (!rest.empty()) {
        j->predicate = rest.size() == 1 ? std::move(rest[0]) : CallExpr(plan::AND, SqlType::Bool(), std::move(rest));
        j->has_predicate = true;
      }
      j->estimated_rows = std::max(1.0, rows * 0.1);
    }
    return j;
  }

  LogicalPtr PushFilter(LogicalPtr n) {
    int w = static_cast<int>(n->children[0]->columns.size());
    if (!SubtreeReads(n->children[0].get(), d_.id_set)) {
      // The filter is the only reader: it becomes the condition of the join with D.
      BindNode(n.get(), w);
      return Cross(std::move(n->children[0]), &n->predicate);
    }
    n->children[0] = Push(std::move(n->children[0]));
    BindNode(n.get(), w);
    n->columns = WithDomain(n->columns);
    return n;
  }

  LogicalPtr PushProject(LogicalPtr n) {
    int w = static_cast<int>(n->children[0]->columns.size());
    n->children[0] = Push(std::move(n->children[0]));
    BindNode(n.get(), w);
    for (int j = 0; j < d_.width(); ++j) n->exprs.push_back(ColumnExpr(w + j, d_.types[j]));
    n->columns = WithDomain(n->columns);
    return n;
  }

  LogicalPtr PushAggregate(LogicalPtr n) {
    int w = static_cast<int>(n->children[0]->columns.size());
    int ngroups = static_cast<int>(n->groups.size());
    int naggs = static_cast<int>(n->aggs.size());
    bool scalar = n->groups.empty();
    n->children[0] = Push(std::move(n->children[0]));
    BindNode(n.get(), w);
    // Group by D too: output groups, D, aggregates.
    std::vector<OutputColumn> cols(n->columns.begin(), n->columns.begin() + ngroups);
    auto dc = DomainColumns();
    cols.insert(cols.end(), dc.begin(), dc.end());
    cols.insert(cols.end(), n->columns.begin() + ngroups, n->columns.end());
    for (int j = 0; j < d_.width(); ++j) n->groups.insert(n->groups.begin() + ngroups + j, ColumnExpr(w + j, d_.types[j]));
    n->columns = cols;
    n->estimated_rows = std::max(n->estimated_rows, std::min(n->children[0]->estimated_rows, d_.plan->estimated_rows));
    int dw = d_.width();
    if (!scalar) {
      std::vector<int> order = Range(0, ngroups);
      for (int i = 0; i < naggs; ++i) order.push_back(ngroups + dw + i);
      for (int j = 0; j < dw; ++j) order.push_back(ngroups + j);
      return Reorder(std::move(n), order);
    }
    // A scalar aggregate has one row even over no rows: D ⟕ aggregate, with COUNT's NULL as 0.
    std::vector<plan::AggSpec> aggs = n->aggs;
    auto j = JoinNode(plan::LEFT, DomainCopy(), std::move(n));
    for (int k = 0; k < dw; ++k) AddNullSafeKey(j.get(), ColumnExpr(k, d_.types[k]), ColumnExpr(k, d_.types[k]));
    auto p = MakeNode(LogicalKind::kProject);
    p->estimated_rows = j->estimated_rows;
    for (int i = 0; i < naggs; ++i) {
      const OutputColumn& c = j->columns[dw + dw + i];
      plan::Expr v = ColumnExpr(dw + dw + i, c.type);
      plan::AggFunc f = aggs[i].func();
      if (f == plan::COUNT || f == plan::COUNT_STAR || f == plan::APPROX_COUNT_DISTINCT) {
        v = CallExpr(plan::COALESCE, c.type, {std::move(v), Int64Literal(0, c.type)});
      }
      p->exprs.push_back(std::move(v));
      p->columns.push_back(c);
    }
    for (int k = 0; k < dw; ++k) {
      p->exprs.push_back(ColumnExpr(k, d_.types[k]));
      p->columns.push_back(j->columns[k]);
    }
    p->children.push_back(std::move(j));
    return p;
  }

  LogicalPtr PushJoin(LogicalPtr n) {
    LogicalNode* left = n->children[0].get();
    LogicalNode* right = n->children[1].get();
    int lw = static_cast<int>(left->columns.size());
    int rw = static_cast<int>(right->columns.size());
    int dw = d_.width();
    // A side "reads" the outer row when its input does or its own join keys do (a key is
    // evaluated over that side's columns, so D must be there).
    auto keys_read = [&](const std::vector<plan::Expr>& keys) {
      return std::any_of(keys.begin(), keys.end(), [&](const plan::Expr& k) { return ExprReads(k, d_.id_set); });
    };
    bool lreads = SubtreeReads(left, d_.id_set) || keys_read(n->left_keys);
    bool rreads = SubtreeReads(right, d_.id_set) || keys_read(n->right_keys);
    plan::JoinType t = n->join_type;
    JoinShape shape = ShapeOf(t);
    if ((t == plan::NULL_AWARE_ANTI || t == plan::NULL_AWARE_MARK) && rreads) {
      FailAt(sqlstate::kFeatureNotSupported, "NOT IN over a subquery that reads an enclosing query's row cannot be unnested yet");
    }
    bool left_only = !rreads && t != plan::RIGHT && t != plan::FULL;
    bool right_only = !lreads && t == plan::INNER;
    if (left_only) {
      n->children[0] = Push(std::move(n->children[0]));  // L ++ D, then R
      std::vector<int> m(lw + rw);
      for (int i = 0; i < lw; ++i) m[i] = i;
      for (int i = 0; i < rw; ++i) m[lw + i] = lw + dw + i;
      if (n->has_predicate) RemapColumns(&n->predicate, m);
      BindNode(n.get(), lw);  // the condition and the left keys read D from the left side
      n->columns = JoinColumns(t, n->children[0]->columns, n->children[1]->columns);
      // Output: L, D, then R (or the mark); D goes last.
      std::vector<int> order = Range(0, lw);
      int after = static_cast<int>(n->columns.size()) - lw - dw;
      for (int i = 0; i < after; ++i) order.push_back(lw + dw + i);
      for (int j = 0; j < dw; ++j) order.push_back(lw + j);
      return Reorder(std::move(n), order);
    }
    if (right_only) {
      n->children[1] = Push(std::move(n->children[1]));  // L, then R ++ D
      BindNode(n.get(), lw + rw);
      // The right keys read D from the right side: lw + rw + j over both is rw + j on the right.
      for (auto& k : n->right_keys) {
        std::vector<int> cols;
        CollectColumns(k, &cols);
        if (std::any_of(cols.begin(), cols.end(), [&](int c) { return c >= lw + rw; })) {
          std::vector<int> m(lw + rw + dw);
          for (int i = 0; i < lw + rw + dw; ++i) m[i] = i >= lw + rw ? i - lw : i;
          RemapColumns(&k, m);
        }
      }
      n->columns = JoinColumns(t, n->children[0]->columns, n->children[1]->columns);
      return n;
    }
    // Both sides: each evaluated per D value, matched on it.
    n->children[0] = Push(std::move(n->children[0]));  // L ++ D
    n->children[1] = Push(std::move(n->children[1]));  // R ++ D'
    std::vector<int> m(lw + rw);
    for (int i = 0; i < lw; ++i) m[i] = i;
    for (int i = 0; i < rw; ++i) m[lw + i] = lw + dw + i;
    if (n->has_predicate) RemapColumns(&n->predicate, m);
    {
      auto refs = RefsToColumns(lw);
      if (n->has_predicate) ReplaceRefs(&n->predicate, refs);
      for (auto& k : n->left_keys) ReplaceRefs(&k, refs);
      auto rrefs = RefsToColumns(rw);
      for (auto& k : n->right_keys) ReplaceRefs(&k, rrefs);
    }
    for (int j = 0; j < dw; ++j) AddNullSafeKey(n.get(), ColumnExpr(lw + j, d_.types[j]), ColumnExpr(rw + j, d_.types[j]));
    n->columns = JoinColumns(t, n->children[0]->columns, n->children[1]->columns);
    std::vector<int> order = Range(0, lw);
    if (shape == JoinShape::kBothSides) for (int i = 0; i < rw; ++i) order.push_back(lw + dw + i);
    if (shape == JoinShape::kProbeAndFlag) order.push_back(lw + dw);
    if (t != plan::RIGHT && t != plan::FULL) {
      for (int j = 0; j < dw; ++j) order.push_back(lw + j);
      return Reorder(std::move(n), order);
    }
    // An unmatched row of the right side has NULLs for the left side's copy of D: RIGHT takes
    // the right side's copy, FULL whichever side the row has.
    auto p = MakeNode(LogicalKind::kProject);
    p->estimated_rows = n->estimated_rows;
    for (int c : order) {
      p->exprs.push_back(ColumnExpr(c, n->columns[c].type));
      p->columns.push_back(n->columns[c]);
    }
    for (int j = 0; j < dw; ++j) {
      plan::Expr right_copy = ColumnExpr(lw + dw + rw + j, d_.types[j]);
      p->exprs.push_back(t == plan::RIGHT ? right_copy
                                          : CallExpr(plan::COALESCE, d_.types[j], {ColumnExpr(lw + j, d_.types[j]), right_copy}));
      p->columns.push_back(n->columns[lw + j]);
    }
    p->children.push_back(std::move(n));
    return p;
  }

  LogicalPtr PushSort(LogicalPtr n) {
    int w = static_cast<int>(n->children[0]->columns.size());
    n->limit = -1;  // a top-N hint would cut across D's values; the LIMIT above keeps it per value
    n->offset = 0;
    n->children[0] = Push(std::move(n->children[0]));
    BindNode(n.get(), w);
    n->columns = WithDomain(n->columns);
    return n;
  }

  // LIMIT / OFFSET per D value: row_number() over (PARTITION BY D ORDER BY the sort below).
  LogicalPtr PushLimit(LogicalPtr n) {
    int w = static_cast<int>(n->children[0]->columns.size());
    int64_t limit = n->limit, offset = n->offset;
    LogicalPtr child = Push(std::move(n->children[0]));
    auto win = MakeNode(LogicalKind::kWindow);
    win->estimated_rows = child->estimated_rows;
    for (int j = 0; j < d_.width(); ++j) win->partition_keys.push_back(ColumnExpr(w + j, d_.types[j]));
    if (child->kind == LogicalKind::kSort) win->sort_keys = child->sort_keys;
    plan::WindowFunc rn;
    rn.set_func(plan::WIN_ROW_NUMBER);
    *rn.mutable_result_type() = ToProtoType(SqlType::Int64());
    win->window_funcs.push_back(rn);
    win->columns = child->columns;
    win->columns.push_back({"?row_number?", SqlType::Int64()});
    int width = static_cast<int>(child->columns.size());
    win->children.push_back(std::move(child));
    plan::Expr rnc = ColumnExpr(width, SqlType::Int64());
    std::vector<plan::Expr> conds;
    conds.push_back(CallExpr(plan::GT, SqlType::Bool(), {rnc, Int64Literal(offset, SqlType::Int64())}));
    if (limit >= 0) conds.push_back(CallExpr(plan::LE, SqlType::Bool(), {rnc, Int64Literal(offset + limit, SqlType::Int64())}));
    auto f = MakeNode(LogicalKind::kFilter);
    f->columns = win->columns;
    f->estimated_rows = win->estimated_rows;
    f->predicate = conds.size() == 1 ? conds[0] : CallExpr(plan::AND, SqlType::Bool(), conds);
    f->has_predicate = true;
    f->children.push_back(std::move(win));
    return Reorder(std::move(f), Range(0, width));
  }

  LogicalPtr PushWindow(LogicalPtr n) {
    int w = static_cast<int>(n->children[0]->columns.size());
    int nf = static_cast<int>(n->window_funcs.size());
    int dw = d_.width();
    n->children[0] = Push(std::move(n->children[0]));
    BindNode(n.get(), w);
    for (int j = 0; j < dw; ++j) n->partition_keys.push_back(ColumnExpr(w + j, d_.types[j]));
    std::vector<OutputColumn> cols(n->columns.begin(), n->columns.begin() + w);
    auto dc = DomainColumns();
    cols.insert(cols.end(), dc.begin(), dc.end());
    cols.insert(cols.end(), n->columns.begin() + w, n->columns.end());
    n->columns = cols;
    std::vector<int> order = Range(0, w);
    for (int i = 0; i < nf; ++i) order.push_back(w + dw + i);
    for (int j = 0; j < dw; ++j) order.push_back(w + j);
    return Reorder(std::move(n), order);
  }

  LogicalPtr PushAppend(LogicalPtr n) {
    for (auto& c : n->children) c = Push(std::move(c));
    n->columns = WithDomain(n->columns);
    return n;
  }

  LogicalPtr PushRepeat(LogicalPtr n) {
    int w = static_cast<int>(n->children[0]->columns.size());
    n->children[0] = Push(std::move(n->children[0]));
    BindNode(n.get(), w);
    if (!n->repeat_ordinal) {
      n->columns = WithDomain(n->columns);
      return n;
    }
    // The copies' numbers come after the domain's columns: move them back before them.
    std::vector<OutputColumn> cols = n->columns;  // the input's, then the ordinal
    n->columns = n->children[0]->columns;
    n->columns.push_back(cols.back());
    auto p = MakeNode(LogicalKind::kProject);
    p->estimated_rows = n->estimated_rows;
    for (int i = 0; i < w; ++i) p->exprs.push_back(ColumnExpr(i, cols[i].type));
    p->exprs.push_back(ColumnExpr(w + d_.width(), SqlType::Int64()));
    for (int j = 0; j < d_.width(); ++j) p->exprs.push_back(ColumnExpr(w + j, d_.types[j]));
    p->columns = WithDomain(cols);
    p->children.push_back(std::move(n));
    return p;
  }

  // VALUES rows that read the outer row: one projection of D per row.
  LogicalPtr PushValues(LogicalPtr n) {
    std::vector<LogicalPtr> rows;
    auto m = RefsToColumns(0);
    int dw = d_.width();
    for (auto& row : n->rows) {
      auto p = MakeNode(LogicalKind::kProject);
      p->estimated_rows = d_.plan->estimated_rows;
      for (auto& e : row) {
        ReplaceRefs(&e, m);
        p->exprs.push_back(e);
      }
      std::vector<OutputColumn> cols = n->columns;
      for (int j = 0; j < dw; ++j) p->exprs.push_back(ColumnExpr(j + 0, d_.types[j]));
      // The projection reads D's columns 0..dw-1; its own output is the row, then D.
      p->columns = WithDomain(cols);
      p->children.push_back(DomainCopy());
      rows.push_back(std::move(p));
    }
    if (rows.size() == 1) return std::move(rows[0]);
    auto a = MakeNode(LogicalKind::kAppend);
    a->columns = WithDomain(n->columns);
    for (auto& r : rows) {
      a->estimated_rows += r->estimated_rows;
      a->children.push_back(std::move(r));
    }
    return a;
  }

  // A dependent join inside the subquery: D is pushed into its outer side, and what its own
  // subquery reads of D becomes outer references it binds (to D's columns of that side).
  LogicalPtr PushDependentJoin(LogicalPtr n) {
    int lw = static_cast<int>(n->children[0]->columns.size());
    int dw = d_.width();
    n->children[0] = Push(std::move(n->children[0]));
    auto to_columns = RefsToColumns(lw);
    for (auto& b : n->correlation) ReplaceRefs(&b.value, to_columns);
    for (auto& k : n->left_keys) ReplaceRefs(&k, to_columns);
    if (n->has_predicate) {
      // Its ON condition (a LATERAL join's): the right side's columns move past D.
      int rw = static_cast<int>(n->children[1]->columns.size());
      std::vector<int> m(lw + rw);
      for (int i = 0; i < lw + rw; ++i) m[i] = i < lw ? i : i + dw;
      RemapColumns(&n->predicate, m);
      ReplaceRefs(&n->predicate, to_columns);
    }
    std::map<int, plan::Expr> rebind;
    for (int j = 0; j < dw; ++j) {
      if (!SubtreeReads(n->children[1].get(), {d_.ids[j]})) continue;
      OuterBinding b;
      b.id = (*next_id_)++;
      b.value = ColumnExpr(lw + j, d_.types[j]);
      plan::Expr ref;
      *ref.mutable_type() = ToProtoType(d_.types[j]);
      ref.set_outer_ref(b.id);
      rebind[d_.ids[j]] = ref;
      n->correlation.push_back(std::move(b));
    }
    if (!rebind.empty()) ForEachExprBelow(n->children[1].get(), [&](plan::Expr* e) { ReplaceRefs(e, rebind); });
    n->columns = JoinColumns(n->join_type, n->children[0]->columns, n->children[1]->columns);
    int after = static_cast<int>(n->columns.size()) - lw - dw;
    std::vector<int> order = Range(0, lw);
    for (int i = 0; i < after; ++i) order.push_back(lw + dw + i);
    for (int j = 0; j < dw; ++j) order.push_back(lw + j);
    return Reorder(std::move(n), order);
  }

  const Domain& d_;
  int* next_id_;
};

// Substitutes each column reference of `e` by exprs[column].
void SubstituteColumns(plan::Expr* e, const std::vector<plan::Expr>& exprs) {
  if (e->has_column()) {
    *e = exprs[e->column()];
    return;
  }
  if (e->has_call()) for (auto& a : *e->mutable_call()->mutable_args()) SubstituteColumns(&a, exprs);
}

bool AnyOuterRef(const plan::Expr& e) {
  if (e.has_outer_ref()) return true;
  if (e.has_call()) for (const auto& a : e.call().args()) if (AnyOuterRef(a)) return true;
  return false;
}

// Walks from the outer input down to the smallest input whose rows carry exactly the values
// `values` take over the outer rows, rewriting `values` to read that input's columns. Only
// operators that keep every row's values pass: projections, sorts, windows, and the left side
// of LEFT / MARK joins (and of semi / anti joins, see below). Not filters, limits or inner
// joins: the subquery must not run for an outer value no row has (it could fail, e.g. divide
// by zero or find two rows, where PostgreSQL, which runs it per outer row, does not).
const LogicalNode* DomainSource(const LogicalNode* n, std::vector<plan::Expr>* values) {
  for (;;) {
    std::vector<int> cols;
    for (const auto& v : *values) CollectColumns(v, &cols);
    int max_col = cols.empty() ? -1 : *std::max_element(cols.begin(), cols.end());
    switch (n->kind) {
      case LogicalKind::kSort:
        n = n->children[0].get();
        continue;
      case LogicalKind::kWindow:
        if (max_col < static_cast<int>(n->children[0]->columns.size())) { n = n->children[0].get(); continue; }
        return n;
      case LogicalKind::kProject: {
        bool ok = std::none_of(n->exprs.begin(), n->exprs.end(), AnyOuterRef);
        if (!ok) return n;
        for (auto& v : *values) SubstituteColumns(&v, n->exprs);
        n = n->children[0].get();
        continue;
      }
      case LogicalKind::kJoin:
      case LogicalKind::kDependentJoin: {
        int lw = static_cast<int>(n->children[0]->columns.size());
        plan::JoinType t = n->join_type;
        // Semi / anti joins keep a subset of the left rows: passing them gives a superset, the
        // one exception, so that a chain of EXISTS subqueries does not copy the chain below
        // it into every domain (a copy per link would double the plan per link).
        bool keeps_left = t == plan::LEFT || t == plan::MARK || t == plan::NULL_AWARE_MARK || t == plan::SEMI ||
                          t == plan::ANTI || t == plan::NULL_AWARE_ANTI;
        if (max_col < lw && keeps_left) { n = n->children[0].get(); continue; }
        return n;
      }
      default: return n;
    }
  }
}

LogicalPtr RewriteDependentJoin(LogicalPtr dj, int* next_id) {
  LogicalPtr left = std::move(dj->children[0]);
  LogicalPtr right = std::move(dj->children[1]);
  plan::JoinType type = dj->join_type;
  if (dj->correlation.empty()) {
    auto j = JoinNode(type, std::move(left), std::move(right));
    j->left_keys = dj->left_keys;
    j->right_keys = dj->right_keys;
    j->predicate = dj->predicate;
    j->has_predicate = dj->has_predicate;
    j->estimated_rows = dj->estimated_rows;
    return j;
  }
  Domain d;
  std::vector<plan::Expr> values;
  for (const auto& b : dj->correlation) {
    d.ids.push_back(b.id);
    d.id_set.insert(b.id);
    d.types.push_back(ExprType(b.value));
    values.push_back(b.value);
  }
  const LogicalNode* src = DomainSource(left.get(), &values);
  auto agg = MakeNode(LogicalKind::kAggregate);
  for (int j = 0; j < d.width(); ++j) agg->columns.push_back({"?outer" + std::to_string(j) + "?", d.types[j]});
  agg->groups = values;
  agg->estimated_rows = std::max(1.0, src->estimated_rows * 0.5);
  agg->children.push_back(CloneTree(*src));
  d.plan = std::move(agg);

  Pusher pusher(d, next_id);
  int rw = static_cast<int>(right->columns.size());
  LogicalPtr r = pusher.Push(std::move(right));  // R ++ D
  int lw = static_cast<int>(left->columns.size());
  auto j = JoinNode(type, std::move(left), std::move(r));
  for (int k = 0; k < d.width(); ++k) AddNullSafeKey(j.get(), dj->correlation[k].value, ColumnExpr(rw + k, d.types[k]));
  // A LATERAL join's ON condition (over left ++ right: R' keeps R's columns in place).
  j->left_keys.insert(j->left_keys.end(), dj->left_keys.begin(), dj->left_keys.end());
  j->right_keys.insert(j->right_keys.end(), dj->right_keys.begin(), dj->right_keys.end());
  if (dj->has_predicate) {
    j->predicate = dj->predicate;
    j->has_predicate = true;
  }
  j->estimated_rows = dj->estimated_rows;
  if (ShapeOf(type) != JoinShape::kBothSides) return j;
  return Reorder(std::move(j), Range(0, lw + rw));
}

int MaxOuterRefIn(LogicalNode* n) {
  int max_id = 0;
  ForEachExprBelow(n, [&](plan::Expr* e) { MaxOuterRef(*e, &max_id); });
  return max_id;
}

LogicalPtr Visit(LogicalPtr n, int* next_id) {
  if (n->kind == LogicalKind::kDependentJoin) n = RewriteDependentJoin(std::move(n), next_id);
  for (auto& c : n->children) if (c) c = Visit(std::move(c), next_id);
  return n;
}

}  // namespace

LogicalPtr Decorrelate(LogicalPtr plan) {
  int next_id = MaxOuterRefIn(plan.get()) + 1;
  if (next_id == 1) {
    // No outer reference: only dependent joins without correlation could remain.
    bool any = false;
    std::function<void(const LogicalNode&)> find = [&](const LogicalNode& n) {
      any = any || n.kind == LogicalKind::kDependentJoin;
      for (const auto& c : n.children) if (c) find(*c);
    };
    find(*plan);
    if (!any) return plan;
  }
  plan = Visit(std::move(plan), &next_id);
  bool left_over = false;
  ForEachExprBelow(plan.get(), [&](plan::Expr* e) { left_over = left_over || AnyOuterRef(*e); });
  if (left_over) FailAt(sqlstate::kFeatureNotSupported, "this correlated subquery cannot be unnested yet");
  return plan;
}

}  // namespace strata
