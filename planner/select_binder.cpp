#include "planner/select_binder.h"

#include <algorithm>

#include "planner/expr_builder.h"
#include "planner/system_tables.h"
#include "sql/error.h"
#include "storage/catalog_store.h"

namespace strata {

namespace {

[[noreturn]] void Fail(const char* state, const std::string& msg, int location) {
  throw SqlError(state, msg, location >= 0 ? location + 1 : 0);
}

LogicalPtr MakeNode(LogicalKind kind) {
  auto n = std::make_unique<LogicalNode>();
  n->kind = kind;
  return n;
}

LogicalPtr Wrap(LogicalKind kind, LogicalPtr child) {
  auto n = MakeNode(kind);
  n->columns = child->columns;
  n->estimated_rows = child->estimated_rows;
  n->children.push_back(std::move(child));
  return n;
}

LogicalPtr FilterNode(LogicalPtr child, plan::Expr pred) {
  auto n = Wrap(LogicalKind::kFilter, std::move(child));
  n->predicate = std::move(pred);
  n->has_predicate = true;
  n->estimated_rows = std::max(1.0, n->estimated_rows * 0.3);
  return n;
}

LogicalPtr ProjectNode(LogicalPtr child, std::vector<plan::Expr> exprs, std::vector<OutputColumn> cols) {
  auto n = MakeNode(LogicalKind::kProject);
  n->estimated_rows = child->estimated_rows;
  n->children.push_back(std::move(child));
  n->exprs = std::move(exprs);
  n->columns = std::move(cols);
  return n;
}

plan::Expr AndAll(std::vector<plan::Expr> conj) {
  plan::Expr e = std::move(conj[0]);
  for (size_t i = 1; i < conj.size(); ++i) e = CallExpr(plan::AND, SqlType::Bool(), {std::move(e), std::move(conj[i])});
  return e;
}

std::string DefaultColumnName(const ast::Expr& e) {
  switch (e.kind) {
    case ast::ExprKind::kColumnRef: return e.names.back();
    case ast::ExprKind::kFuncCall: return e.func_name;
    case ast::ExprKind::kCast: {
      std::string inner = DefaultColumnName(*e.args[0]);
      if (inner != "?column?") return inner;
      const std::string& t = e.cast_type.name;
      if (t == "int4") return "int4";
      return t;
    }
    case ast::ExprKind::kCase: return "case";
    default: return "?column?";
  }
}

}  // namespace

void SplitConjuncts(plan::Expr e, std::vector<plan::Expr>* out) {
  if (e.has_call() && e.call().op() == plan::AND) {
    for (auto& a : *e.mutable_call()->mutable_args()) SplitConjuncts(std::move(a), out);
  } else {
    out->push_back(std::move(e));
  }
}

LogicalPtr SelectBinder::BindTable(const ast::TableRef& ref, Scope* scope) {
  std::string qualifier = ref.alias.empty() ? ref.name : ref.alias;
  std::vector<OutputColumn> sys = SystemTableColumns(ref.name);
  if (!sys.empty() && (ref.schema.empty() || ref.schema == "pg_catalog")) {
    auto n = MakeNode(LogicalKind::kSystemTable);
    n->system_table = ref.name;
    n->columns = sys;
    n->estimated_rows = 100;
    for (const auto& c : sys) scope->columns.push_back({qualifier, c.name, c.type});
    return n;
  }
  const catalog::Table* t = FindTable(catalog_, ref.schema.empty() ? "public" : ref.schema, ref.name);
  if (t == nullptr) Fail(sqlstate::kUndefinedTable, StrCat("relation \"", ref.name, "\" does not exist"), ref.location);
  if (t->is_view()) Fail(sqlstate::kFeatureNotSupported, "views are not supported yet", ref.location);
  auto n = MakeNode(LogicalKind::kScan);
  n->table = *t;
  n->estimated_rows = std::max<double>(1, t->rows());
  for (int i = 0; i < t->columns_size(); ++i) {
    const auto& c = t->columns(i);
    n->scan_columns.push_back(i);
    n->columns.push_back({c.name(), FromProtoType(c.type())});
    scope->columns.push_back({qualifier, c.name(), FromProtoType(c.type())});
  }
  return n;
}

LogicalPtr SelectBinder::BindFrom(const ast::TableRef& ref, Scope* scope) {
  switch (ref.kind) {
    case ast::TableRef::Kind::kTable: return BindTable(ref, scope);
    case ast::TableRef::Kind::kSubquery: {
      LogicalPtr sub = BindQuery(*ref.subquery);
      for (const auto& c : sub->columns) scope->columns.push_back({ref.alias, c.name, c.type});
      return sub;
    }
    case ast::TableRef::Kind::kJoin: {
      Scope left_scope, right_scope;
      LogicalPtr left = BindFrom(*ref.left, &left_scope);
      LogicalPtr right = BindFrom(*ref.right, &right_scope);
      auto j = MakeNode(LogicalKind::kJoin);
      j->columns = left->columns;
      j->columns.insert(j->columns.end(), right->columns.begin(), right->columns.end());
      j->estimated_rows = std::max(left->estimated_rows, right->estimated_rows);
      switch (ref.join_type) {
        case ast::JoinType::kInner: case ast::JoinType::kCross: j->join_type = plan::INNER; break;
        case ast::JoinType::kLeft: j->join_type = plan::LEFT; break;
        case ast::JoinType::kRight: j->join_type = plan::RIGHT; break;
        case ast::JoinType::kFull: j->join_type = plan::FULL; break;
      }
      Scope both;
      both.columns = left_scope.columns;
      both.columns.insert(both.columns.end(), right_scope.columns.begin(), right_scope.columns.end());
      int nleft = static_cast<int>(left->columns.size());
      std::vector<plan::Expr> conj;
      if (ref.on) {
        ExprBinder b(both, params_, nullptr, "JOIN/ON");
        SplitConjuncts(b.BindCondition(*ref.on), &conj);
      }
      if (ref.natural) Fail(sqlstate::kFeatureNotSupported, "NATURAL JOIN is not supported yet", ref.location);
      for (const auto& col : ref.using_cols) {
        ast::Expr l, r;
        l.kind = r.kind = ast::ExprKind::kColumnRef;
        l.names = {col};
        r.names = {col};
        ExprBinder lb(left_scope, params_), rb(right_scope, params_);
        plan::Expr le = lb.Bind(l), re = rb.Bind(r);
        ShiftColumns(&re, nleft);
        conj.push_back(CallExpr(plan::EQ, SqlType::Bool(), {std::move(le), std::move(re)}));
      }
      std::vector<plan::Expr> residual;
      for (auto& c : conj) {
        bool is_key = false;
        if (c.has_call() && c.call().op() == plan::EQ) {
          std::vector<int> lc, rc;
          CollectColumns(c.call().args(0), &lc);
          CollectColumns(c.call().args(1), &rc);
          auto all_left = [&](const std::vector<int>& v) { return !v.empty() && std::all_of(v.begin(), v.end(), [&](int x) { return x < nleft; }); };
          auto all_right = [&](const std::vector<int>& v) { return !v.empty() && std::all_of(v.begin(), v.end(), [&](int x) { return x >= nleft; }); };
          if (all_left(lc) && all_right(rc)) {
            j->left_keys.push_back(c.call().args(0));
            plan::Expr rk = c.call().args(1);
            ShiftColumns(&rk, -nleft);
            j->right_keys.push_back(std::move(rk));
            is_key = true;
          } else if (all_right(lc) && all_left(rc)) {
            j->left_keys.push_back(c.call().args(1));
            plan::Expr rk = c.call().args(0);
            ShiftColumns(&rk, -nleft);
            j->right_keys.push_back(std::move(rk));
            is_key = true;
          }
        }
        if (!is_key) residual.push_back(std::move(c));
      }
      if (!residual.empty()) {
        j->predicate = AndAll(std::move(residual));
        j->has_predicate = true;
      }
      j->children.push_back(std::move(left));
      j->children.push_back(std::move(right));
      scope->columns.insert(scope->columns.end(), both.columns.begin(), both.columns.end());
      return j;
    }
  }
  return nullptr;
}

LogicalPtr SelectBinder::BindValues(const ast::SelectStmt& s) {
  auto n = MakeNode(LogicalKind::kValues);
  Scope empty;
  size_t width = s.values[0].size();
  for (const auto& row : s.values) {
    if (row.size() != width) Fail(sqlstate::kSyntaxError, "VALUES lists must all be the same length", s.location);
    std::vector<plan::Expr> bound;
    ExprBinder b(empty, params_, nullptr, "VALUES");
    for (const auto& e : row) bound.push_back(b.Bind(*e));
    n->rows.push_back(std::move(bound));
  }
  for (size_t c = 0; c < width; ++c) {
    std::vector<plan::Expr*> col;
    for (auto& row : n->rows) col.push_back(&row[c]);
    SqlType t = UnifyTypes(col, "VALUES", s.location);
    n->columns.push_back({"column" + std::to_string(c + 1), t});
  }
  n->estimated_rows = n->rows.size();
  return n;
}

LogicalPtr SelectBinder::BindQuery(const ast::SelectStmt& s) {
  if (!s.with.empty()) Fail(sqlstate::kFeatureNotSupported, "WITH queries are not supported yet", s.location);
  if (s.op != ast::SetOp::kNone) Fail(sqlstate::kFeatureNotSupported, "UNION, INTERSECT and EXCEPT are not supported yet", s.location);
  LogicalPtr node;
  Scope scope;
  std::vector<plan::Expr> select_exprs;
  std::vector<OutputColumn> select_cols;
  AggregateContext agg;
  bool aggregating = false;

  if (!s.values.empty()) {
    node = BindValues(s);
    // A bare VALUES list is its own result (INSERT folds its literals into the target types).
    if (s.order_by.empty() && !s.limit && !s.offset) return node;
    for (size_t i = 0; i < node->columns.size(); ++i) {
      scope.columns.push_back({"*VALUES*", node->columns[i].name, node->columns[i].type});
    }
    for (size_t i = 0; i < node->columns.size(); ++i) {
      select_exprs.push_back(ColumnExpr(static_cast<int>(i), node->columns[i].type));
      select_cols.push_back(node->columns[i]);
    }
  } else {
    // FROM: a comma list is a left-deep chain of cross joins; WHERE equalities become keys.
    for (const auto& ref : s.from) {
      Scope item_scope;
      LogicalPtr item = BindFrom(*ref, &item_scope);
      scope.columns.insert(scope.columns.end(), item_scope.columns.begin(), item_scope.columns.end());
      if (!node) { node = std::move(item); continue; }
      auto j = MakeNode(LogicalKind::kJoin);
      j->columns = node->columns;
      j->columns.insert(j->columns.end(), item->columns.begin(), item->columns.end());
      j->estimated_rows = node->estimated_rows * item->estimated_rows;
      j->children.push_back(std::move(node));
      j->children.push_back(std::move(item));
      node = std::move(j);
    }
    if (!node) {  // SELECT without FROM: one empty row
      node = MakeNode(LogicalKind::kValues);
      node->rows.push_back({});
      node->estimated_rows = 1;
    }
    if (s.where) {
      if (ContainsAggregate(*s.where)) Fail(sqlstate::kGroupingError, "aggregate functions are not allowed in WHERE", s.where->location);
      ExprBinder b(scope, params_, nullptr, "WHERE");
      node = FilterNode(std::move(node), b.BindCondition(*s.where));
    }
    aggregating = !s.group_by.empty() || (s.having != nullptr);
    for (const auto& t : s.targets) if (t.expr && ContainsAggregate(*t.expr)) aggregating = true;
    for (const auto& o : s.order_by) if (ContainsAggregate(*o.expr)) aggregating = true;

    if (aggregating) {
      agg.input = &scope;
      ExprBinder gb(scope, params_, nullptr, "GROUP BY");
      for (const auto& g : s.group_by) {
        if (ContainsAggregate(*g)) Fail(sqlstate::kGroupingError, "aggregate functions are not allowed in GROUP BY", g->location);
        plan::Expr ge;
        // GROUP BY n refers to the n-th select item; GROUP BY name may name an output alias.
        if (g->kind == ast::ExprKind::kLiteral && g->literal_kind == ast::LiteralKind::kInteger) {
          int pos = std::stoi(g->text);
          if (pos < 1 || pos > static_cast<int>(s.targets.size())) {
            Fail(sqlstate::kInvalidColumnReference, StrCat("GROUP BY position ", pos, " is not in select list"), g->location);
          }
          ge = gb.Bind(*s.targets[pos - 1].expr);
        } else {
          ge = gb.Bind(*g);
        }
        agg.group_keys.push_back(ge.SerializeAsString());
        agg.groups.push_back(std::move(ge));
      }
    }
    ExprBinder sb(scope, params_, aggregating ? &agg : nullptr, "SELECT");
    for (const auto& t : s.targets) {
      if (t.expr->kind == ast::ExprKind::kStar) {
        if (aggregating) Fail(sqlstate::kGroupingError, "SELECT * is not allowed with GROUP BY here", t.expr->location);
        std::string q = t.expr->names.empty() ? "" : t.expr->names[0];
        bool any = false;
        for (size_t i = 0; i < scope.columns.size(); ++i) {
          if (!q.empty() && scope.columns[i].qualifier != q) continue;
          any = true;
          select_exprs.push_back(ColumnExpr(static_cast<int>(i), scope.columns[i].type));
          select_cols.push_back({scope.columns[i].name, scope.columns[i].type});
        }
        if (!any && !q.empty()) Fail(sqlstate::kUndefinedTable, StrCat("missing FROM-clause entry for table \"", q, "\""), t.expr->location);
        continue;
      }
      plan::Expr e = sb.Bind(*t.expr);
      if (IsUntypedStringLiteral(e)) e = CoerceTo(std::move(e), SqlType::Text());
      if (ExprType(e).id == TypeId::kNull) e = NullLiteral(SqlType::Text());
      select_cols.push_back({t.alias.empty() ? DefaultColumnName(*t.expr) : t.alias, ExprType(e)});
      select_exprs.push_back(std::move(e));
    }
  }

  // ORDER BY: output alias, output position, or an expression (hidden column when not selected).
  std::vector<plan::SortKey> sort_keys;
  size_t visible = select_exprs.size();
  std::vector<plan::Expr> having;
  if (aggregating && s.having) {
    ExprBinder hb(scope, params_, &agg, "HAVING");
    having.push_back(hb.BindCondition(*s.having));
  }
  for (const auto& o : s.order_by) {
    int index = -1;
    if (o.expr->kind == ast::ExprKind::kLiteral && o.expr->literal_kind == ast::LiteralKind::kInteger) {
      int pos = std::stoi(o.expr->text);
      if (pos < 1 || pos > static_cast<int>(visible)) {
        Fail(sqlstate::kInvalidColumnReference, StrCat("ORDER BY position ", pos, " is not in select list"), o.expr->location);
      }
      index = pos - 1;
    } else if (o.expr->kind == ast::ExprKind::kColumnRef && o.expr->names.size() == 1) {
      for (size_t i = 0; i < visible; ++i) {
        if (select_cols[i].name == o.expr->names[0] && !s.targets.empty() &&
            (i >= s.targets.size() || !s.targets[i].alias.empty() || true)) {
          // An output name wins over an input column (PostgreSQL's rule for bare names).
          bool is_output_name = false;
          for (const auto& t : s.targets) {
            if (t.alias == o.expr->names[0] || (t.alias.empty() && t.expr->kind == ast::ExprKind::kColumnRef &&
                                               t.expr->names.back() == o.expr->names[0])) {
              is_output_name = true;
            }
          }
          if (is_output_name) { index = static_cast<int>(i); break; }
        }
      }
    }
    if (index < 0) {
      if (s.distinct) {
        // Must match a select expression.
      }
      ExprBinder ob(scope, params_, aggregating ? &agg : nullptr, "ORDER BY");
      plan::Expr e = ob.Bind(*o.expr);
      std::string key = e.SerializeAsString();
      for (size_t i = 0; i < select_exprs.size(); ++i) {
        if (select_exprs[i].SerializeAsString() == key) { index = static_cast<int>(i); break; }
      }
      if (index < 0) {
        if (s.distinct) {
          Fail(sqlstate::kInvalidColumnReference, "for SELECT DISTINCT, ORDER BY expressions must appear in select list", o.expr->location);
        }
        index = static_cast<int>(select_exprs.size());
        select_cols.push_back({"?sort?", ExprType(e)});
        select_exprs.push_back(std::move(e));
      }
    }
    plan::SortKey k;
    *k.mutable_expr() = ColumnExpr(index, select_cols[index].type);
    k.set_desc(o.desc);
    k.set_nulls_first(o.nulls_first.value_or(o.desc));
    sort_keys.push_back(std::move(k));
  }

  if (aggregating) {
    auto a = MakeNode(LogicalKind::kAggregate);
    a->estimated_rows = agg.groups.empty() ? 1 : std::max(1.0, node->estimated_rows * 0.1);
    a->children.push_back(std::move(node));
    for (size_t i = 0; i < agg.groups.size(); ++i) a->columns.push_back({"group" + std::to_string(i), ExprType(agg.groups[i])});
    for (size_t i = 0; i < agg.aggs.size(); ++i) a->columns.push_back({"agg" + std::to_string(i), FromProtoType(agg.aggs[i].result_type())});
    a->groups = agg.groups;
    a->aggs = agg.aggs;
    node = std::move(a);
    if (!having.empty()) node = FilterNode(std::move(node), std::move(having[0]));
  }
  node = ProjectNode(std::move(node), std::move(select_exprs), select_cols);
  if (s.distinct) {
    auto d = MakeNode(LogicalKind::kAggregate);
    d->columns = node->columns;
    d->estimated_rows = node->estimated_rows;
    for (size_t i = 0; i < node->columns.size(); ++i) d->groups.push_back(ColumnExpr(static_cast<int>(i), node->columns[i].type));
    d->children.push_back(std::move(node));
    node = std::move(d);
  }
  int64_t limit = -1, offset = 0;
  auto constant_int = [&](const ast::Expr& e, const char* what) -> int64_t {
    Scope none;
    ExprBinder b(none, params_, nullptr, what);
    plan::Expr x = b.Bind(e);
    if (x.has_literal() && x.literal().is_null()) return -1;
    if (!x.has_literal() || !ExprType(x).is_integer()) {
      x = CoerceTo(std::move(x), SqlType::Int64());
      if (!x.has_literal()) Fail(sqlstate::kFeatureNotSupported, StrCat(what, " must be a constant"), e.location);
    }
    if (x.literal().i64() < 0) Fail(sqlstate::kInvalidParameterValue, StrCat(what, " must not be negative"), e.location);
    return x.literal().i64();
  };
  if (s.limit) limit = constant_int(*s.limit, "LIMIT");
  if (s.offset) offset = constant_int(*s.offset, "OFFSET");
  if (!sort_keys.empty()) {
    auto so = Wrap(LogicalKind::kSort, std::move(node));
    so->sort_keys = std::move(sort_keys);
    so->limit = limit >= 0 ? limit + offset : -1;
    node = std::move(so);
  }
  if (limit >= 0 || offset > 0) {
    auto l = Wrap(LogicalKind::kLimit, std::move(node));
    l->limit = limit;
    l->offset = offset;
    if (limit >= 0) l->estimated_rows = std::min<double>(l->estimated_rows, limit);
    node = std::move(l);
  }
  if (node->columns.size() > visible) {
    std::vector<plan::Expr> keep;
    std::vector<OutputColumn> cols;
    for (size_t i = 0; i < visible; ++i) {
      keep.push_back(ColumnExpr(static_cast<int>(i), node->columns[i].type));
      cols.push_back(node->columns[i]);
    }
    node = ProjectNode(std::move(node), std::move(keep), std::move(cols));
  }
  return PushDownFilters(std::move(node));
}

LogicalPtr PushDownFilters(LogicalPtr node) {
  for (auto& c : node->children) c = PushDownFilters(std::move(c));
  if (node->kind != LogicalKind::kFilter || node->children[0]->kind != LogicalKind::kJoin) return node;
  LogicalNode* j = node->children[0].get();
  if (j->join_type != plan::INNER) return node;
  int nleft = static_cast<int>(j->children[0]->columns.size());
  std::vector<plan::Expr> conj, keep, to_left, to_right;
  SplitConjuncts(std::move(node->predicate), &conj);
  for (auto& c : conj) {
    std::vector<int> cols;
    CollectColumns(c, &cols);
    bool any_left = std::any_of(cols.begin(), cols.end(), [&](int x) { return x < nleft; });
    bool any_right = std::any_of(cols.begin(), cols.end(), [&](int x) { return x >= nleft; });
    if (!any_right && any_left) { to_left.push_back(std::move(c)); continue; }
    if (any_right && !any_left) { ShiftColumns(&c, -nleft); to_right.push_back(std::move(c)); continue; }
    if (any_left && any_right && c.has_call() && c.call().op() == plan::EQ) {
      std::vector<int> lc, rc;
      CollectColumns(c.call().args(0), &lc);
      CollectColumns(c.call().args(1), &rc);
      auto side = [&](const std::vector<int>& v) {
        bool l = std::all_of(v.begin(), v.end(), [&](int x) { return x < nleft; });
        bool r = std::all_of(v.begin(), v.end(), [&](int x) { return x >= nleft; });
        return v.empty() ? 0 : l ? 1 : r ? 2 : 0;
      };
      int ls = side(lc), rs = side(rc);
      if ((ls == 1 && rs == 2) || (ls == 2 && rs == 1)) {
        plan::Expr le = c.call().args(ls == 1 ? 0 : 1);
        plan::Expr re = c.call().args(ls == 1 ? 1 : 0);
        ShiftColumns(&re, -nleft);
        j->left_keys.push_back(std::move(le));
        j->right_keys.push_back(std::move(re));
        continue;
      }
    }
    keep.push_back(std::move(c));
  }
  if (!to_left.empty()) j->children[0] = PushDownFilters(FilterNode(std::move(j->children[0]), AndAll(std::move(to_left))));
  if (!to_right.empty()) j->children[1] = PushDownFilters(FilterNode(std::move(j->children[1]), AndAll(std::move(to_right))));
  j->estimated_rows = std::max(j->children[0]->estimated_rows, j->children[1]->estimated_rows);
  LogicalPtr join = std::move(node->children[0]);
  if (keep.empty()) return join;
  return FilterNode(std::move(join), AndAll(std::move(keep)));
}

}  // namespace strata
