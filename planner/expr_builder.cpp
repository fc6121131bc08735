#include "planner/expr_builder.h"

#include <algorithm>

namespace strata {

plan::Type ToProtoType(const SqlType& t) {
  plan::Type p;
  p.set_id(static_cast<int32_t>(t.id));
  p.set_precision(t.precision);
  p.set_scale(t.scale);
  p.set_length(t.length);
  return p;
}

SqlType FromProtoType(const plan::Type& p) {
  SqlType t;
  t.id = static_cast<TypeId>(p.id());
  t.precision = p.precision();
  t.scale = p.scale();
  t.length = p.length();
  // A length means something only for CHAR and VARCHAR (an unset field reads as 0).
  if (t.id != TypeId::kChar && t.id != TypeId::kVarchar) t.length = -1;
  return t;
}

plan::Expr ColumnExpr(int index, const SqlType& type) {
  plan::Expr e;
  *e.mutable_type() = ToProtoType(type);
  e.set_column(index);
  return e;
}

plan::Expr NullLiteral(const SqlType& type) {
  plan::Expr e;
  *e.mutable_type() = ToProtoType(type);
  e.mutable_literal()->set_is_null(true);
  return e;
}

plan::Expr Int64Literal(int64_t v, const SqlType& type) {
  plan::Expr e;
  *e.mutable_type() = ToProtoType(type);
  e.mutable_literal()->set_i64(v);
  return e;
}

plan::Expr StringLiteral(const std::string& s, const SqlType& type) {
  plan::Expr e;
  *e.mutable_type() = ToProtoType(type);
  e.mutable_literal()->set_str(s);
  return e;
}

plan::Expr CallExpr(plan::Op op, const SqlType& result, std::vector<plan::Expr> args) {
  plan::Expr e;
  *e.mutable_type() = ToProtoType(result);
  auto* c = e.mutable_call();
  c->set_op(op);
  for (auto& a : args) *c->add_args() = std::move(a);
  return e;
}

plan::Expr FunctionExpr(const std::string& name, const SqlType& result, std::vector<plan::Expr> args) {
  plan::Expr e = CallExpr(plan::FUNCTION, result, std::move(args));
  e.mutable_call()->set_function(name);
  return e;
}

const plan::Expr& WithoutCasts(const plan::Expr& e) {
  const plan::Expr* p = &e;
  while (p->has_call() && p->call().op() == plan::CAST && p->call().args_size() == 1) p = &p->call().args(0);
  return *p;
}

plan::Expr CastExpr(plan::Expr e, const SqlType& t) {
  if (ExprType(e) == t) return e;
  if (e.has_literal() && e.literal().is_null()) return NullLiteral(t);
  std::vector<plan::Expr> args;
  args.push_back(std::move(e));
  return CallExpr(plan::CAST, t, std::move(args));
}

bool IsConstantExpr(const plan::Expr& e) {
  switch (e.kind_case()) {
    case plan::Expr::kColumn: return false;
    case plan::Expr::kParam: return false;
    case plan::Expr::kLiteral: return true;
    case plan::Expr::kOuterRef: return true;  // one value for the whole subquery that reads it
    case plan::Expr::kCall:
      return std::all_of(e.call().args().begin(), e.call().args().end(), IsConstantExpr);
    default: return true;
  }
}

void ShiftColumns(plan::Expr* e, int delta) {
  if (e->has_column()) {
    e->set_column(e->column() + delta);
  } else if (e->has_call()) {
    for (auto& a : *e->mutable_call()->mutable_args()) ShiftColumns(&a, delta);
  }
}

void RemapColumns(plan::Expr* e, const std::vector<int>& mapping) {
  if (e->has_column()) {
    e->set_column(mapping[e->column()]);
  } else if (e->has_call()) {
    for (auto& a : *e->mutable_call()->mutable_args()) RemapColumns(&a, mapping);
  }
}

plan::Op MirrorComparison(plan::Op op) {
  switch (op) {
    case plan::LT: return plan::GT;
    case plan::LE: return plan::GE;
    case plan::GT: return plan::LT;
    case plan::GE: return plan::LE;
    default: return op;
  }
}

void ConjunctsOf(const plan::Expr& e, std::vector<const plan::Expr*>* out) {
  if (e.has_call() && e.call().op() == plan::AND) {
    for (const auto& a : e.call().args()) ConjunctsOf(a, out);
  } else {
    out->push_back(&e);
  }
}

void CollectColumns(const plan::Expr& e, std::vector<int>* out) {
  if (e.has_column()) {
    out->push_back(e.column());
  } else if (e.has_call()) {
    for (const auto& a : e.call().args()) CollectColumns(a, out);
  }
}

plan::Expr LiteralFromVector(const Vector& v, size_t row, const SqlType& t) {
  if (v.IsNull(row)) return NullLiteral(t);
  plan::Expr e;
  *e.mutable_type() = ToProtoType(t);
  auto* lit = e.mutable_literal();
  DispatchPhysical(t.physical(), [&]<typename T>() {
    T x = v.data<T>()[row];
    if constexpr (std::is_same_v<T, std::string_view>) {
      lit->set_str(std::string(x));
    } else if constexpr (std::is_same_v<T, int128>) {
      lit->set_i128(std::string(reinterpret_cast<const char*>(&x), sizeof(x)));
    } else if constexpr (std::is_floating_point_v<T>) {
      lit->set_f64(x);
    } else {
      lit->set_i64(static_cast<int64_t>(x));
    }
  });
  return e;
}

bool IsVolatile(const plan::Expr& e) {
  if (!e.has_call()) return false;
  if (e.call().op() == plan::FUNCTION && e.call().function() == "random") return true;
  return std::any_of(e.call().args().begin(), e.call().args().end(), IsVolatile);
}

}  // namespace strata
