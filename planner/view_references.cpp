// See view_references.h.
#include "planner/view_references.h"

namespace strata {
namespace {

class Walker {
 public:
  void Query(const ast::SelectStmt& q) {
    for (const auto& cte : q.with) if (cte.query) Query(*cte.query);
    for (const auto& e : q.distinct_on) Expr(e.get());
    for (const auto& t : q.targets) Expr(t.expr.get());
    for (const auto& f : q.from) if (f) From(*f);
    Expr(q.where.get());
    for (const auto& e : q.group_by) Expr(e.get());
    Expr(q.having.get());
    for (const auto& row : q.values) for (const auto& e : row) Expr(e.get());
    if (q.larg) Query(*q.larg);
    if (q.rarg) Query(*q.rarg);
    for (const auto& o : q.order_by) Expr(o.expr.get());
    Expr(q.limit.get());
    Expr(q.offset.get());
  }

  std::vector<ast::QualifiedName> names;

 private:
  void From(const ast::TableRef& r) {
    if (r.kind == ast::TableRef::Kind::kTable) names.push_back({r.schema, r.name, r.location});
    if (r.left) From(*r.left);
    if (r.right) From(*r.right);
    if (r.subquery) Query(*r.subquery);
    Expr(r.on.get());
  }

  void Expr(const ast::Expr* e) {
    if (e == nullptr) return;
    for (const auto& a : e->args) Expr(a.get());
    Expr(e->case_operand.get());
    for (const auto& w : e->when) Expr(w.get());
    for (const auto& t : e->then) Expr(t.get());
    Expr(e->else_expr.get());
    Expr(e->filter.get());
    if (e->agg_order) Expr(e->agg_order->expr.get());
    if (e->subquery) Query(*e->subquery);
  }
};

}  // namespace

std::vector<ast::QualifiedName> RelationsNamedIn(const ast::SelectStmt& q) {
  Walker w;
  w.Query(q);
  return std::move(w.names);
}

}  // namespace strata
