// See empty_query.h.
#include "planner/empty_query.h"

#include "planner/expr_binder.h"
#include "planner/system_relation.h"
#include "catalog/catalog_version.h"

#include <algorithm>

namespace strata {
namespace {

// pg_constraint has rows only once some table declares a key, pg_description once something has
// a comment; until then, clients' queries that join them stay answered by their shape.
bool HasNoRowsYet(const CatalogVersion& cat, const std::string& name) {
  return std::none_of(cat.tables().begin(), cat.tables().end(), [&](const catalog::Table& t) {
    if (name == "pg_constraint") return t.constraints_size() > 0;
    if (!t.comment().empty()) return true;
    return std::any_of(t.columns().begin(), t.columns().end(), [](const auto& c) { return !c.comment().empty(); });
  });
}

bool IsEmptyRef(const CatalogVersion& cat, const ast::TableRef& r) {
  switch (r.kind) {
    case ast::TableRef::Kind::kTable:
      if (!r.schema.empty() && r.schema != "pg_catalog") return false;
      if (r.name == "pg_constraint" || r.name == "pg_description") return HasNoRowsYet(cat, r.name);
      if (const SystemRelation* rel = FindSystemRelation(r.name)) return rel->empty_without_binding;
      return false;
    case ast::TableRef::Kind::kFunction:
    case ast::TableRef::Kind::kPivot:
      return false;
    case ast::TableRef::Kind::kSubquery:
      return r.subquery != nullptr && IsProvablyEmptyQuery(cat, *r.subquery);
    case ast::TableRef::Kind::kJoin: {
      bool l = IsEmptyRef(cat, *r.left), rr = IsEmptyRef(cat, *r.right);
      switch (r.join_type) {
        case ast::JoinType::kInner: case ast::JoinType::kCross: return l || rr;
        case ast::JoinType::kLeft: return l;
        case ast::JoinType::kRight: return rr;
        case ast::JoinType::kFull: return l && rr;
      }
    }
  }
  return false;
}

std::string NameOf(const ast::SelectItem& item) {
  if (!item.alias.empty()) return item.alias;
  const ast::Expr* e = item.expr.get();
  while (e != nullptr && e->kind == ast::ExprKind::kCast && !e->args.empty()) {
    if (e->args[0]->kind != ast::ExprKind::kColumnRef && e->args[0]->kind != ast::ExprKind::kCast) return e->cast_type.name;
    e = e->args[0].get();
  }
  if (e == nullptr) return "?column?";
  if (e->kind == ast::ExprKind::kColumnRef && !e->names.empty()) return e->names.back();
  if (e->kind == ast::ExprKind::kFuncCall) return e->func_name;
  if (e->kind == ast::ExprKind::kCase) return "case";
  return "?column?";
}

}  // namespace

bool IsProvablyEmptyQuery(const CatalogVersion& cat, const ast::SelectStmt& q) {
  if (q.op != ast::SetOp::kNone) {
    if (q.larg == nullptr || q.rarg == nullptr) return false;
    bool l = IsProvablyEmptyQuery(cat, *q.larg), r = IsProvablyEmptyQuery(cat, *q.rarg);
    return q.op == ast::SetOp::kUnion ? l && r : q.op == ast::SetOp::kIntersect ? l || r : l;
  }
  if (!q.values.empty() || q.from.empty()) return false;
  for (const auto& t : q.targets) {
    if (!t.expr || t.expr->kind == ast::ExprKind::kStar) return false;
    if (q.group_by.empty() && ContainsAggregate(*t.expr)) return false;
  }
  for (const auto& f : q.from) {
    if (IsEmptyRef(cat, *f)) return true;
  }
  return false;
}

std::vector<std::string> OutputNamesWithoutBinding(const ast::SelectStmt& q) {
  if (q.op != ast::SetOp::kNone && q.larg != nullptr) return OutputNamesWithoutBinding(*q.larg);
  std::vector<std::string> names;
  for (const auto& t : q.targets) names.push_back(NameOf(t));
  return names;
}

namespace {

// The system relations named in q's FROM list (through joins).
void CollectSystemRelations(const ast::TableRef& r, std::vector<const SystemRelation*>* out) {
  if (r.kind == ast::TableRef::Kind::kTable && (r.schema.empty() || r.schema == "pg_catalog")) {
    if (const SystemRelation* rel = FindSystemRelation(r.name)) out->push_back(rel);
  } else if (r.kind == ast::TableRef::Kind::kJoin) {
    if (r.left) CollectSystemRelations(*r.left, out);
    if (r.right) CollectSystemRelations(*r.right, out);
  }
}

}  // namespace

std::vector<SqlType> OutputTypesWithoutBinding(const ast::SelectStmt& q) {
  if (q.op != ast::SetOp::kNone && q.larg != nullptr) return OutputTypesWithoutBinding(*q.larg);
  std::vector<const SystemRelation*> relations;
  for (const auto& f : q.from) CollectSystemRelations(*f, &relations);
  std::vector<SqlType> types;
  for (const auto& t : q.targets) {
    SqlType type = SqlType::Text();
    const ast::Expr* e = t.expr.get();
    if (e != nullptr && e->kind == ast::ExprKind::kColumnRef && !e->names.empty()) {
      // A column of one of the FROM list's relations keeps its type (a scalar subquery over an
      // empty catalog relation then still compares and combines as that type).
      for (const SystemRelation* rel : relations) {
        for (const auto& c : rel->columns) {
          if (c.name == e->names.back()) type = c.type;
        }
      }
    }
    types.push_back(type);
  }
  return types;
}

}  // namespace strata
