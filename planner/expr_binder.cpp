#include "planner/expr_binder.h"
#include "planner/redshift_functions.h"

#include "planner/catalog_functions.h"
#include "planner/clock_functions.h"
#include "planner/datetime_functions.h"

#include "planner/session_values.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>

#include "planner/expr_builder.h"
#include "planner/function_catalog.h"
#include "planner/interval_binder.h"
#include "sql/interval_time.h"
#include "planner/type_coercion.h"
#include "planner/window_binder.h"
#include "planner/set_returning_binder.h"
#include "sql/array_types.h"
#include "sql/error.h"
#include "sql/super_value.h"
#include "sql/nesting_limit.h"
#include "sql/parser.h"
#include "sql/value_text.h"
#include "sql/vector.h"
#include "catalog/catalog_version.h"

namespace strata {

namespace {


constexpr int64_t kMicrosPerDay = 86400LL * 1000000;

// An exact decimal constant of type t from an unscaled value at `scale` (rounding half away from
// zero when t has fewer digits after the point, as PostgreSQL's numeric cast does); nullopt when
// it does not fit t's precision (the runtime cast then raises 22003).
std::optional<plan::Expr> DecimalLiteral(int128 v, int scale, const SqlType& t) {
  if (t.scale >= scale) {
    if (t.scale - scale > 38 || __builtin_mul_overflow(v, Pow10(t.scale - scale), &v)) return std::nullopt;
  } else {
    int128 d = Pow10(scale - t.scale);
    int128 q = v / d, r = v % d;
    if ((r < 0 ? -r : r) * 2 >= d) q += v < 0 ? -1 : 1;
    v = q;
  }
  if ((v < 0 ? -v : v) >= Pow10(std::min(t.precision, kMaxDecimalPrecision))) return std::nullopt;
  Vector vec(t, 1);
  if (t.physical() == PhysicalType::kInt64) vec.data<int64_t>()[0] = static_cast<int64_t>(v);
  else vec.data<int128>()[0] = v;
  return LiteralFromVector(vec, 0, t);
}

plan::Op CompareOp(const std::string& op) {
  if (op == "=") return plan::EQ;
  if (op == "<>" || op == "!=") return plan::NE;
  if (op == "<") return plan::LT;
  if (op == "<=") return plan::LE;
  if (op == ">") return plan::GT;
  if (op == ">=") return plan::GE;
  return plan::OP_UNSPECIFIED;
}

plan::Op ArithOp(const std::string& op) {
  if (op == "+") return plan::ADD;
  if (op == "-") return plan::SUB;
  if (op == "*") return plan::MUL;
  if (op == "/") return plan::DIV;
  if (op == "%") return plan::MOD;
  return plan::OP_UNSPECIFIED;
}

SqlType NumericLiteralType(const std::string& text) {
  std::string digits;
  int scale = 0;
  bool after_point = false;
  for (char c : text) {
    if (c == '.') after_point = true;
    else if (c >= '0' && c <= '9') { digits += c; if (after_point) ++scale; }
  }
  size_t lead = digits.find_first_not_of('0');
  int precision = lead == std::string::npos ? 1 : static_cast<int>(digits.size() - lead);
  precision = std::max(precision, scale);
  if (precision == 0) precision = 1;
  return SqlType::Decimal(std::min(precision, kMaxDecimalPrecision), std::min(scale, kMaxDecimalPrecision));
}

}  // namespace

namespace {

// STDDEV / STDDEV_SAMP / STDDEV_POP / VARIANCE / VAR_SAMP / VAR_POP.
bool IsVarianceName(const std::string& n) {
  return n == "stddev" || n == "stddev_samp" || n == "stddev_pop" || n == "variance" || n == "var_samp" || n == "var_pop";
}

bool IsPercentileName(const std::string& n) { return n == "median" || n == "percentile_cont" || n == "percentile_disc"; }

}  // namespace

bool IsAggregateName(const std::string& n) {
  return IsVarianceName(n) || IsPercentileName(n) || n == "count" || n == "sum" || n == "avg" || n == "min" || n == "max" || n == "listagg" || n == "string_agg" || n == "array_agg" ||
         n == "approximate_count" || n == "approx_count_distinct" || n == "hll" || n == "bool_and" || n == "bool_or" || n == "every" ||
         n == "bit_and" || n == "bit_or" || n == "any_value";
}

bool ContainsAggregate(const ast::Expr& e) {
  // GROUPING() reads the aggregation's grouping sets, so it counts as aggregating too.
  if (e.kind == ast::ExprKind::kFuncCall && (IsAggregateName(e.func_name) || e.func_name == "grouping") && !e.over) return true;
  if (e.over && ContainsAggregateInWindow(*e.over)) return true;
  for (const auto& a : e.args) if (a && ContainsAggregate(*a)) return true;
  for (const auto& a : e.when) if (a && ContainsAggregate(*a)) return true;
  for (const auto& a : e.then) if (a && ContainsAggregate(*a)) return true;
  if (e.case_operand && ContainsAggregate(*e.case_operand)) return true;
  if (e.else_expr && ContainsAggregate(*e.else_expr)) return true;
  return false;
}

bool ContainsSubquery(const ast::Expr& e) {
  if (e.kind == ast::ExprKind::kSubquery || e.kind == ast::ExprKind::kExists || e.kind == ast::ExprKind::kInSubquery) {
    return true;
  }
  for (const auto& a : e.args) if (a && ContainsSubquery(*a)) return true;
  for (const auto& a : e.when) if (a && ContainsSubquery(*a)) return true;
  for (const auto& a : e.then) if (a && ContainsSubquery(*a)) return true;
  if (e.case_operand && ContainsSubquery(*e.case_operand)) return true;
  if (e.else_expr && ContainsSubquery(*e.else_expr)) return true;
  return false;
}

bool ResolvesIn(const ast::Expr& e, const Scope& scope) {
  if (e.kind == ast::ExprKind::kColumnRef) {
    const std::string& name = e.names.back();
    std::string q = e.names.size() >= 2 ? e.names[e.names.size() - 2] : "";
    if (std::any_of(scope.columns.begin(), scope.columns.end(), [&](const ScopeColumn& c) {
          return c.name == name && (q.empty() || c.qualifier == q);
        })) {
      return true;
    }
    // A path into a SUPER column: [qualifier.]column.member...
    for (size_t k = 1; k < e.names.size() && k <= 3; ++k) {
      const std::string& col = e.names[k - 1];
      std::string qual = k >= 2 ? e.names[k - 2] : "";
      bool found = std::any_of(scope.columns.begin(), scope.columns.end(), [&](const ScopeColumn& c) {
        return c.name == col && (qual.empty() || c.qualifier == qual) && c.type.id == TypeId::kSuper;
      });
      if (found) return true;
    }
    return false;
  }
  for (size_t i = 0; i < e.args.size(); ++i) {
    const auto& a = e.args[i];
    // dateadd(day, ...): the date part word is no column (BindFunction).
    if (i == 0 && a && e.kind == ast::ExprKind::kFuncCall && TakesDatePartWord(e.func_name) && DatePartWord(*a)) continue;
    if (a && !ResolvesIn(*a, scope)) return false;
  }
  for (const auto& a : e.when) if (a && !ResolvesIn(*a, scope)) return false;
  for (const auto& a : e.then) if (a && !ResolvesIn(*a, scope)) return false;
  if (e.case_operand && !ResolvesIn(*e.case_operand, scope)) return false;
  if (e.else_expr && !ResolvesIn(*e.else_expr, scope)) return false;
  return true;
}

bool IsUntypedStringLiteral(const plan::Expr& e) {
  // (An array's literal, e.g. current_schemas(false), is typed: its precision names the array.)
  return e.has_literal() && !e.literal().is_null() && e.type().id() == static_cast<int>(TypeId::kText) &&
         e.type().precision() == 0;
}

plan::Expr CoerceTo(plan::Expr e, const SqlType& t) {
  SqlType from = ExprType(e);
  if (from == t) return e;
  if (e.has_literal()) {
    if (e.literal().is_null()) return NullLiteral(t);
    if (from.is_string() && t.id == TypeId::kSuper) {  // a string is a SUPER string, not JSON text
      std::string json;
      AppendSuperString(e.literal().str(), &json);
      return StringLiteral(json, t);
    }
    if (from.is_string() && !t.is_string()) {
      Vector v(t, 1);
      ParseValueText(e.literal().str(), &v, 0);
      return LiteralFromVector(v, 0, t);
    }
    if (from.is_string() && t.is_string()) {
      if (t.length >= 0 && t.id != TypeId::kText) {
        Vector v(t, 1);
        ParseValueText(e.literal().str(), &v, 0);  // enforces the length rule (22001)
        return LiteralFromVector(v, 0, t);
      }
      plan::Expr out = e;
      *out.mutable_type() = ToProtoType(t);
      return out;
    }
    if (from.is_integer()) {
      int64_t x = e.literal().i64();
      if (t.is_integer()) {
        bool fits = t.id == TypeId::kInt64 ||
                    (t.id == TypeId::kInt32 && x >= INT32_MIN && x <= INT32_MAX) ||
                    (t.id == TypeId::kInt16 && x >= INT16_MIN && x <= INT16_MAX);
        if (fits) return Int64Literal(x, t);
      } else if (t.is_float()) {
        plan::Expr out;
        *out.mutable_type() = ToProtoType(t);
        out.mutable_literal()->set_f64(static_cast<double>(x));
        return out;
      } else if (t.id == TypeId::kDecimal) {
        if (auto folded = DecimalLiteral(static_cast<int128>(x), 0, t)) return *folded;
      }
    }
    if (from.id == TypeId::kDecimal && t.id == TypeId::kDecimal) {
      int128 v = from.physical() == PhysicalType::kInt64 ? static_cast<int128>(e.literal().i64()) : 0;
      if (from.physical() == PhysicalType::kInt128 && e.literal().i128().size() == sizeof(int128)) {
        std::memcpy(&v, e.literal().i128().data(), sizeof(int128));
      }
      if (auto folded = DecimalLiteral(v, from.scale, t)) return *folded;
    }
  }
  return CastExpr(std::move(e), t);
}

SqlType UnifyTypes(const std::vector<plan::Expr*>& exprs, const char* context, int location) {
  std::optional<SqlType> common;
  bool all_untyped = true;
  bool untyped_string = false;
  for (plan::Expr* e : exprs) {
    // An untyped literal ('x', NULL) takes the others' type; a typed NULL (CAST(NULL AS int))
    // has its own, as in PostgreSQL.
    if (IsUntypedStringLiteral(*e)) {
      untyped_string = true;
      continue;
    }
    if (e->has_literal() && e->literal().is_null() && ExprType(*e).id == TypeId::kNull) continue;
    all_untyped = false;
    SqlType t = ExprType(*e);
    if (!common) { common = t; continue; }
    auto c = CommonType(*common, t);
    if (!c) {
      FailAt(sqlstate::kDatatypeMismatch,
           StrCat(context, " types ", common->ToString(), " and ", t.ToString(), " cannot be matched"),
           location);
    }
    common = *c;
  }
  if (all_untyped || !common) common = SqlType::Text();
  // With a string literal among them, VARCHAR(n) loses its limit (PostgreSQL's common typmod is
  // -1 when the inputs' differ): COALESCE(varchar(3) column, 'a longer default') is that text,
  // not a 22001. (CHAR(n) keeps it: its values are padded by their declared length on output.)
  if (untyped_string && common->id == TypeId::kVarchar && common->length >= 0) common->length = -1;
  for (plan::Expr* e : exprs) *e = CoerceTo(std::move(*e), *common);
  return *common;
}

plan::Expr ExprBinder::BindCondition(const ast::Expr& e) {
  plan::Expr b = Bind(e);
  if (IsUntypedStringLiteral(b)) b = CoerceTo(std::move(b), SqlType::Bool());
  SqlType t = ExprType(b);
  if (t.id == TypeId::kNull) return NullLiteral(SqlType::Bool());
  if (t.id != TypeId::kBool) {
    FailAt(sqlstate::kDatatypeMismatch,
         StrCat("argument of ", clause_, " must be type boolean, not type ", t.ToString()), e.location);
  }
  return b;
}

const CatalogVersion& ExprBinder::Catalog() const {
  static const CatalogVersion empty;
  return params_ != nullptr && params_->catalog != nullptr ? *params_->catalog : empty;
}

plan::Expr ExprBinder::Bind(const ast::Expr& e) {
  NestingGuard guard(NestingGuard::Kind::kExpression);
  if ((e.kind == ast::ExprKind::kSubquery || e.kind == ast::ExprKind::kExists || e.kind == ast::ExprKind::kInSubquery) &&
      subquery_) {
    return subquery_(e);
  }
  if (e.kind == ast::ExprKind::kFuncCall && e.filter) {
    if (!IsAggregateName(e.func_name)) {
      FailAt(sqlstate::kWrongObjectType, StrCat("FILTER specified, but ", e.func_name, " is not an aggregate function"), e.location);
    }
    if (e.over) FailAt(sqlstate::kFeatureNotSupported, "FILTER in window functions is not supported yet", e.filter->location);
  }
  if (e.kind == ast::ExprKind::kFuncCall && e.over) {
    if (!window_) FailAt(sqlstate::kWindowingError, StrCat("window functions are not allowed in ", clause_), e.location);
    return window_(e, *this);
  }
  if (e.kind == ast::ExprKind::kFuncCall && IsSetReturningFunction(e.func_name)) {
    if (!set_returning_) {
      FailAt(sqlstate::kFeatureNotSupported, StrCat("set-returning functions are not allowed in ", clause_), e.location);
    }
    return set_returning_(e, *this);
  }
  if (agg_ == nullptr) return BindStructural(e);
  if (e.kind == ast::ExprKind::kFuncCall && IsAggregateName(e.func_name)) return BindAggregate(e);
  if (e.kind == ast::ExprKind::kFuncCall && e.func_name == "grouping" && !e.over) return BindGrouping(e);
  if (!ContainsAggregate(e) && !ContainsSubquery(e) && !ContainsWindowFunction(e)) {
    ExprBinder plain(*agg_->input, params_, nullptr, clause_);
    plan::Expr b = plain.Bind(e);
    std::string key = b.SerializeAsString();
    for (size_t i = 0; i < agg_->group_keys.size(); ++i) {
      if (agg_->group_keys[i] == key) return ColumnExpr(static_cast<int>(i), ExprType(b));
    }
    if (IsConstantExpr(b)) return b;
    if (e.kind == ast::ExprKind::kColumnRef) {
      std::string name;
      for (size_t i = 0; i < e.names.size(); ++i) name += (i ? "." : "") + e.names[i];
      FailAt(sqlstate::kGroupingError,
           StrCat("column \"", name, "\" must appear in the GROUP BY clause or be used in an aggregate function"),
           e.location);
    }
  }
  return BindStructural(e);
}

plan::Expr ExprBinder::BindStructural(const ast::Expr& e) {
  using K = ast::ExprKind;
  switch (e.kind) {
    case K::kColumnRef: return BindColumnRef(e);
    case K::kLiteral: return BindLiteral(e);
    case K::kParam: return BindParam(e);
    case K::kStar:
      FailAt(sqlstate::kSyntaxError, "* is not allowed here", e.location);
    case K::kDefault: {
      if (params_ != nullptr) {
        auto it = params_->default_items.find(&e);
        if (it != params_->default_items.end()) return it->second;
      }
      FailAt(sqlstate::kSyntaxError, "DEFAULT is not allowed in this context", e.location);
    }
    case K::kUnary: {
      if (e.op == "NOT") return CallExpr(plan::NOT, SqlType::Bool(), {BindCondition(*e.args[0])});
      plan::Expr a = Bind(*e.args[0]);
      if (e.op == "+") return a;
      if (IsUntypedStringLiteral(a)) a = CoerceTo(std::move(a), SqlType::Float64());
      SqlType t = ExprType(a);
      if (t.id == TypeId::kTime) a = CoerceTo(std::move(a), SqlType::Interval());  // PostgreSQL: - time is an interval
      if (t.id == TypeId::kInterval || t.id == TypeId::kTime) return NegateInterval(std::move(a));
      if (!t.is_numeric()) {
        FailAt(sqlstate::kUndefinedFunction, StrCat("operator does not exist: - ", t.ToString()), e.location);
      }
      if (a.has_literal() && !a.literal().is_null() && t.is_integer()) {
        return Int64Literal(-a.literal().i64(), t);
      }
      return CallExpr(plan::NEG, t, {std::move(a)});
    }
    case K::kBinary: return BindBinary(e);
    case K::kFuncCall:
      if (IsAggregateName(e.func_name)) {
        FailAt(sqlstate::kGroupingError, StrCat("aggregate functions are not allowed in ", clause_), e.location);
      }
      return BindFunction(e);
    case K::kCase: return BindCase(e);
    case K::kCast: {
      plan::Expr a = Bind(*e.args[0]);
      if (e.cast_type.name == "interval" && IsUntypedStringLiteral(a) && !a.literal().is_null()) {
        // interval '90' day: the field modifiers shape the constant.
        try {
          return IntervalLiteral(ParseInterval(a.literal().str(), e.cast_type.mods));
        } catch (SqlError& err) {
          err.WithPosition(e.location + 1);
          throw;
        }
      }
      if (auto catalog_cast = BindCatalogCast(Catalog(), Session(), a, e.cast_type, e.location)) return *catalog_cast;
      SqlType t = ResolveTypeName(e.cast_type);
      // An explicit cast between strings truncates or pads (the evaluator does it); only an
      // assignment rejects an overlong value.
      if (IsUntypedStringLiteral(a) && t.is_string()) return CastExpr(std::move(a), t);
      try {
        return CoerceTo(std::move(a), t);
      } catch (SqlError& err) {
        err.WithPosition(e.location + 1);
        throw;
      }
    }
    case K::kIsNull:
      return CallExpr(e.negated ? plan::IS_NOT_NULL : plan::IS_NULL, SqlType::Bool(), {Bind(*e.args[0])});
    case K::kIsBool: {
      plan::Expr a = BindCondition(*e.args[0]);
      plan::Op op = e.op == "TRUE" ? (e.negated ? plan::IS_NOT_TRUE : plan::IS_TRUE)
                                   : (e.negated ? plan::IS_NOT_FALSE : plan::IS_FALSE);
      return CallExpr(op, SqlType::Bool(), {std::move(a)});
    }
    case K::kBetween: {
      plan::Expr x1 = Bind(*e.args[0]);
      plan::Expr x2 = x1;
      plan::Expr lo = Compare(plan::GE, std::move(x1), Bind(*e.args[1]), e.location);
      plan::Expr hi = Compare(plan::LE, std::move(x2), Bind(*e.args[2]), e.location);
      plan::Expr both = CallExpr(plan::AND, SqlType::Bool(), {std::move(lo), std::move(hi)});
      return e.negated ? CallExpr(plan::NOT, SqlType::Bool(), {std::move(both)}) : both;
    }
    case K::kInList: return BindInList(e);
    case K::kLike: {
      plan::Expr s = Bind(*e.args[0]);
      plan::Expr p = Bind(*e.args[1]);
      if (!ExprType(s).is_string() && !IsUntypedStringLiteral(s) && ExprType(s).id != TypeId::kNull) {
        FailAt(sqlstate::kUndefinedFunction,
             StrCat("operator does not exist: ", ExprType(s).ToString(), " ~~ unknown"), e.location);
      }
      // CHAR keeps its padding under LIKE, as PostgreSQL's bpcharlike does.
      if (ExprType(s).id != TypeId::kChar) s = CoerceTo(std::move(s), SqlType::Text());
      p = CoerceTo(std::move(p), SqlType::Text());
      if (e.args.size() == 3) p = WithBackslashEscapes(std::move(p), Bind(*e.args[2]), e.args[2]->location);
      bool ilike = e.op == "ILIKE";
      plan::Op op = ilike ? (e.negated ? plan::NOT_ILIKE : plan::ILIKE) : (e.negated ? plan::NOT_LIKE : plan::LIKE);
      return CallExpr(op, SqlType::Bool(), {std::move(s), std::move(p)});
    }
    case K::kSubquery:
      FailAt(sqlstate::kFeatureNotSupported, "a scalar subquery is not supported here yet", e.location);
    case K::kExists:
    case K::kInSubquery:
      FailAt(sqlstate::kFeatureNotSupported,
           "EXISTS and IN with a subquery are supported only as conditions of WHERE joined by AND", e.location);
  }
  FailAt(sqlstate::kFeatureNotSupported, "unsupported expression", e.location);
}

namespace {

// The column of `scope` that `name` (with `qualifier` when not empty) names, -1 for none.
int FindScopeColumn(const Scope& scope, const std::string& name, const std::string& qualifier, int location) {
  int found = -1;
  for (size_t i = 0; i < scope.columns.size(); ++i) {
    const auto& c = scope.columns[i];
    if (c.name != name) continue;
    if (!qualifier.empty() && c.qualifier != qualifier) continue;
    if (found >= 0) {
      FailAt(sqlstate::kAmbiguousColumn, StrCat("column reference \"", name, "\" is ambiguous"), location);
    }
    found = static_cast<int>(i);
  }
  return found;
}

}  // namespace

plan::Expr OuterReference(OuterScope* scope, BindState* state, plan::Expr value) {
  state->outer_refs_made++;
  std::string key = value.SerializeAsString();
  for (const OuterBinding& b : scope->bindings) {
    if (b.value.SerializeAsString() == key) {
      plan::Expr ref;
      *ref.mutable_type() = b.value.type();
      ref.set_outer_ref(b.id);
      return ref;
    }
  }
  OuterBinding b;
  b.id = state->next_outer_ref++;
  b.value = std::move(value);
  plan::Expr ref;
  *ref.mutable_type() = b.value.type();
  ref.set_outer_ref(b.id);
  scope->bindings.push_back(std::move(b));
  return ref;
}

plan::Expr ExprBinder::BindColumnRef(const ast::Expr& e) {
  const std::string& name = e.names.back();
  if (params_ != nullptr && params_->function_frame != nullptr) {
    // An argument named in a SQL function's body: `x`, or `f.x` qualified by the function.
    const BindState::FunctionFrame& frame = *params_->function_frame;
    bool qualified_ok = e.names.size() == 1 || (e.names.size() == 2 && e.names[0] == frame.function);
    for (size_t i = 0; qualified_ok && i < frame.names->size(); ++i) {
      if (!(*frame.names)[i].empty() && (*frame.names)[i] == name) return (*frame.args)[i];
    }
  }
  std::string qualifier = e.names.size() >= 2 ? e.names[e.names.size() - 2] : "";
  int found = FindScopeColumn(scope_, name, qualifier, e.location);
  if (found < 0 && params_ != nullptr) {
    // A correlated subquery reads a column of an enclosing query: the nearest one that has it.
    for (auto it = params_->outer_scopes.rbegin(); it != params_->outer_scopes.rend(); ++it) {
      OuterScope* outer = *it;
      if (outer->scope == &scope_) continue;
      int col = FindScopeColumn(*outer->scope, name, qualifier, e.location);
      if (col >= 0) {
        MarkColumnRead(params_, outer->scope->columns[col]);
        return OuterReference(outer, params_, ColumnExpr(col, outer->scope->columns[col].type));
      }
    }
  }
  if (found < 0 && name == "tableoid") {
    // The system column tableoid: the oid of the FROM item's table (one table in scope, or the
    // one named by the qualifier).
    int64_t oid = 0;
    bool ambiguous = false;
    for (const ScopeColumn& c : scope_.columns) {
      if (c.table_oid == 0 || (!qualifier.empty() && c.qualifier != qualifier)) continue;
      if (oid != 0 && oid != c.table_oid) ambiguous = true;
      oid = c.table_oid;
    }
    if (ambiguous) FailAt(sqlstate::kAmbiguousColumn, "column reference \"tableoid\" is ambiguous", e.location);
    if (oid != 0) return Int64Literal(oid, SqlType::Int64());
  }
  if (found < 0 && e.names.size() >= 2) {
    if (auto path = BindSuperPath(e)) return *path;
  }
  if (found < 0 && e.names.size() > 3) {
    FailAt(sqlstate::kFeatureNotSupported, "names with more than three parts are not supported yet", e.location);
  }
  if (found < 0) {
    if (!qualifier.empty()) {
      bool known = std::any_of(scope_.columns.begin(), scope_.columns.end(),
                               [&](const ScopeColumn& c) { return c.qualifier == qualifier; });
      if (!known) {
        FailAt(sqlstate::kUndefinedTable,
             StrCat("missing FROM-clause entry for table \"", qualifier, "\""), e.location);
      }
      FailAt(sqlstate::kUndefinedColumn, StrCat("column ", qualifier, ".", name, " does not exist"), e.location);
    }
    // Redshift's SYSDATE is written without parentheses, so it arrives as a column name.
    if (name == "sysdate" && e.names.size() == 1) return *BindClockFunction(Session(), name, {}, e.location);
    // So is CURRENT_USER_ID, the session user's id.
    if (name == "current_user_id" && e.names.size() == 1) {
      std::vector<plan::Expr> none;
      return *BindCatalogFunction(Catalog(), Session(), name, none, e.location);
    }
    FailAt(sqlstate::kUndefinedColumn, StrCat("column \"", name, "\" does not exist"), e.location);
  }
  MarkColumnRead(params_, scope_.columns[found]);
  return ColumnExpr(found, scope_.columns[found].type);
}

plan::Expr SuperStep(plan::Expr base, plan::Expr step) {
  if (base.has_call() && base.call().op() == plan::FUNCTION && base.call().function() == "super_navigate") {
    *base.mutable_call()->add_args() = std::move(step);
    return base;
  }
  std::vector<plan::Expr> args;
  args.push_back(std::move(base));
  args.push_back(std::move(step));
  return FunctionExpr("super_navigate", SqlType::Super(), std::move(args));
}

std::optional<plan::Expr> ExprBinder::BindSuperPath(const ast::Expr& e) {
  // The longest prefix that names a column: [qualifier.]column, then the path.
  for (size_t k = std::min<size_t>(e.names.size() - 1, 3); k >= 1; --k) {
    const std::string& name = e.names[k - 1];
    std::string qualifier = k >= 2 ? e.names[k - 2] : "";
    std::optional<plan::Expr> column;
    int found = FindScopeColumn(scope_, name, qualifier, e.location);
    if (found >= 0) {
      if (scope_.columns[found].type.id == TypeId::kSuper) {
        MarkColumnRead(params_, scope_.columns[found]);
        column = ColumnExpr(found, scope_.columns[found].type);
      }
    } else if (params_ != nullptr) {
      for (auto it = params_->outer_scopes.rbegin(); it != params_->outer_scopes.rend() && !column; ++it) {
        OuterScope* outer = *it;
        if (outer->scope == &scope_) continue;
        int col = FindScopeColumn(*outer->scope, name, qualifier, e.location);
        if (col < 0) continue;
        if (outer->scope->columns[col].type.id != TypeId::kSuper) break;
        MarkColumnRead(params_, outer->scope->columns[col]);
        column = OuterReference(outer, params_, ColumnExpr(col, outer->scope->columns[col].type));
      }
    }
    if (!column) continue;
    plan::Expr path = std::move(*column);
    for (size_t i = k; i < e.names.size(); ++i) path = SuperStep(std::move(path), StringLiteral(e.names[i], SqlType::Text()));
    return path;
  }
  return std::nullopt;
}

plan::Expr ExprBinder::BindLiteral(const ast::Expr& e) {
  switch (e.literal_kind) {
    case ast::LiteralKind::kNull: return NullLiteral(SqlType::Null());
    case ast::LiteralKind::kBool: return Int64Literal(e.text == "true" || e.text == "t" ? 1 : 0, SqlType::Bool());
    case ast::LiteralKind::kString: return StringLiteral(e.text, SqlType::Text());
    case ast::LiteralKind::kInteger: {
      errno = 0;
      char* end = nullptr;
      long long v = std::strtoll(e.text.c_str(), &end, 10);
      if (errno == 0 && end && *end == 0) {
        return Int64Literal(v, v >= INT32_MIN && v <= INT32_MAX ? SqlType::Int32() : SqlType::Int64());
      }
      [[fallthrough]];
    }
    case ast::LiteralKind::kNumeric: {
      SqlType t = NumericLiteralType(e.text);
      Vector v(t, 1);
      ParseValueText(e.text, &v, 0);
      return LiteralFromVector(v, 0, t);
    }
    case ast::LiteralKind::kFloat: {
      plan::Expr out;
      *out.mutable_type() = ToProtoType(SqlType::Float64());
      out.mutable_literal()->set_f64(std::strtod(e.text.c_str(), nullptr));
      return out;
    }
  }
  return NullLiteral(SqlType::Null());
}

plan::Expr ExprBinder::BindParam(const ast::Expr& e) {
  if (params_ != nullptr && params_->function_frame != nullptr) {  // $n in a SQL function's body
    const auto& args = *params_->function_frame->args;
    if (e.param_index < 1 || static_cast<size_t>(e.param_index) > args.size()) {
      FailAt(sqlstate::kUndefinedParameter, StrCat("there is no parameter $", e.param_index), e.location);
    }
    return args[static_cast<size_t>(e.param_index - 1)];
  }
  // $0, negative numbers and numbers past what any Bind message can carry name no parameter
  // (PostgreSQL: 42P02 for $0; beyond 65535 it would size its arrays by n before failing).
  if (e.param_index < 1 || e.param_index > kMaxParamNumber) {
    FailAt(sqlstate::kUndefinedParameter, StrCat("there is no parameter $", e.param_index), e.location);
  }
  size_t i = static_cast<size_t>(e.param_index - 1);
  if (params_->types.size() <= i) params_->types.resize(i + 1, SqlType::Null());
  if (params_->referenced.size() <= i) params_->referenced.resize(i + 1, false);
  params_->referenced[i] = true;
  SqlType t = params_->types[i];
  if (params_->values != nullptr) {
    if (i >= params_->values->size()) {
      FailAt(sqlstate::kUndefinedParameter, StrCat("there is no parameter $", e.param_index), e.location);
    }
    const auto& v = (*params_->values)[i];
    if (!v) return NullLiteral(t.id == TypeId::kNull ? SqlType::Null() : t);
    if (t.id == TypeId::kDecimal && v->find_first_not_of(" +-.0123456789") == std::string::npos &&
        std::count(v->begin(), v->end(), '.') <= 1 && v->find_first_of("0123456789") != std::string::npos) {
      // A numeric parameter keeps the scale it is written with (PostgreSQL's parameters carry no
      // typmod): EXECUTE p(1.5) is 1.5, not 1.500000.
      // Its precision is the value's, at least 18 (Redshift's bare DECIMAL), so that arithmetic
      // on it keeps room for a scale.
      SqlType written = NumericLiteralType(*v);
      int scale = std::min(written.scale, kMaxDecimalPrecision - 1);
      t = SqlType::Decimal(std::min(kMaxDecimalPrecision, std::max({written.precision, 18, scale + 1})), scale);
    }
    plan::Expr lit = StringLiteral(*v, SqlType::Text());
    return t.id == TypeId::kNull ? lit : CoerceTo(std::move(lit), t);
  }
  // At prepare time an unknown parameter behaves like an untyped literal.
  if (t.id == TypeId::kNull) {
    plan::Expr out = StringLiteral("", SqlType::Text());
    out.clear_literal();
    out.set_param(e.param_index);
    return out;
  }
  plan::Expr out;
  *out.mutable_type() = ToProtoType(t);
  out.set_param(e.param_index);
  return out;
}

plan::Expr ExprBinder::Compare(plan::Op op, plan::Expr l, plan::Expr r, int location) {
  // An untyped parameter takes the other side's type.
  auto infer = [&](plan::Expr& p, const plan::Expr& other) {
    if (p.has_param() && p.type().id() == static_cast<int>(TypeId::kText)) {
      size_t i = p.param() - 1;
      if (params_->types[i].id == TypeId::kNull) params_->types[i] = ExprType(other);
      *p.mutable_type() = other.type();
    }
  };
  infer(l, r);
  infer(r, l);
  // An element of a catalog array (conkey[i], indkey[i]) is carried as text; compared with a
  // number, it is that number's type (the element type PostgreSQL's array would have).
  auto is_array_element = [](const plan::Expr& e) {
    return e.has_call() && e.call().op() == plan::FUNCTION && e.call().function() == "pg_array_element";
  };
  if (is_array_element(l) && ExprType(r).is_numeric()) l = CastExpr(std::move(l), ExprType(r));
  if (is_array_element(r) && ExprType(l).is_numeric()) r = CastExpr(std::move(r), ExprType(l));
  SqlType lt = ExprType(l), rt = ExprType(r);
  if (IsUntypedStringLiteral(l) && !IsUntypedStringLiteral(r)) {
    l = CoerceTo(std::move(l), rt.id == TypeId::kNull ? SqlType::Text() : rt);
  } else if (IsUntypedStringLiteral(r) && !IsUntypedStringLiteral(l)) {
    r = CoerceTo(std::move(r), lt.id == TypeId::kNull ? SqlType::Text() : lt);
  }
  lt = ExprType(l);
  rt = ExprType(r);
  // date_col <= timestamp 'midnight' is date_col <= date: keeps the comparison on dates.
  auto midnight_to_date = [](plan::Expr& lit, const SqlType& other) {
    if (other.id == TypeId::kDate && lit.has_literal() && !lit.literal().is_null() &&
        ExprType(lit).id == TypeId::kTimestamp && lit.literal().i64() % kMicrosPerDay == 0) {
      lit = Int64Literal(lit.literal().i64() / kMicrosPerDay, SqlType::Date());
    }
  };
  midnight_to_date(r, lt);
  midnight_to_date(l, rt);
  lt = ExprType(l);
  rt = ExprType(r);
  auto common = CommonType(lt, rt);
  if (common && common->id == TypeId::kSuper) {  // Redshift's dynamic typing (executor/expr_super.cpp)
    const char* name = op == plan::EQ ? "super_eq" : op == plan::NE ? "super_ne" : op == plan::LT ? "super_lt"
                       : op == plan::LE ? "super_le" : op == plan::GT ? "super_gt" : "super_ge";
    std::vector<plan::Expr> args;
    args.push_back(CoerceTo(std::move(l), *common));
    args.push_back(CoerceTo(std::move(r), *common));
    return FunctionExpr(name, SqlType::Bool(), std::move(args));
  }
  if (!common) {
    FailAt(sqlstate::kUndefinedFunction,
         StrCat("operator does not exist: ", lt.ToString(), " ", op == plan::EQ ? "=" : op == plan::NE ? "<>"
                : op == plan::LT ? "<" : op == plan::LE ? "<=" : op == plan::GT ? ">" : ">=", " ", rt.ToString()),
         location);
  }
  l = CoerceTo(std::move(l), *common);
  r = CoerceTo(std::move(r), *common);
  return CallExpr(op, SqlType::Bool(), {std::move(l), std::move(r)});
}

plan::Expr ExprBinder::BindBinary(const ast::Expr& e) {
  if (e.op == "AND" || e.op == "OR") {
    // A list of conditions (a balanced tree from the decoder, or nested by hand) binds to one
    // call with every operand, found without recursion: binding stays linear in the list's
    // length and the plan stays shallow for the executor and the compute nodes.
    std::vector<const ast::Expr*> operands;
    std::vector<const ast::Expr*> pending{&e};
    while (!pending.empty()) {
      const ast::Expr* x = pending.back();
      pending.pop_back();
      if (x->kind == ast::ExprKind::kBinary && x->op == e.op && x->args.size() == 2) {
        pending.push_back(x->args[1].get());
        pending.push_back(x->args[0].get());
      } else {
        operands.push_back(x);
      }
    }
    std::vector<plan::Expr> args;
    args.reserve(operands.size());
    for (const ast::Expr* x : operands) args.push_back(BindCondition(*x));
    return CallExpr(e.op == "AND" ? plan::AND : plan::OR, SqlType::Bool(), std::move(args));
  }
  plan::Expr l = Bind(*e.args[0]);
  plan::Expr r = Bind(*e.args[1]);
  if (e.op == "IS DISTINCT FROM" || e.op == "IS NOT DISTINCT FROM") {
    // Equality that treats NULL as a value, never NULL itself: CASE WHEN l IS NULL THEN r IS NULL
    // WHEN r IS NULL THEN false ELSE l = r END (negated for IS DISTINCT FROM).
    auto is_null = [](const plan::Expr& x) { return CallExpr(plan::IS_NULL, SqlType::Bool(), {x}); };
    plan::Expr eq = Compare(plan::EQ, l, r, e.location);
    plan::Expr same = CallExpr(plan::CASE, SqlType::Bool(),
                               {is_null(l), is_null(r), is_null(r), Int64Literal(0, SqlType::Bool()), std::move(eq)});
    if (e.op == "IS NOT DISTINCT FROM") return same;
    return CallExpr(plan::NOT, SqlType::Bool(), {std::move(same)});
  }
  IntervalValue liv, riv;
  const bool lconst = IntervalConstant(l, &liv), rconst = IntervalConstant(r, &riv);
  if (lconst != rconst && e.op == "*") {
    // interval * integer constant (either order) is another interval constant.
    const plan::Expr& k = lconst ? r : l;
    if (k.has_literal() && !k.literal().is_null() && ExprType(k).is_integer()) {
      IntervalValue iv = lconst ? liv : riv;
      int128 f = k.literal().i64();
      return IntervalLiteral(IntervalFromWide(iv.months * f, iv.days * f, iv.micros * f));
    }
  }
  if (lconst != rconst && (e.op == "+" || (e.op == "-" && rconst))) {
    // date/timestamp +- a constant interval: folded for a constant base; a date plus whole days
    // or months stays a date (Strata's rule, which keeps zone-map pruning on date columns).
    plan::Expr base = lconst ? r : l;
    IntervalValue iv = lconst ? liv : riv;
    int sign = e.op == "-" ? -1 : 1;
    if (IsUntypedStringLiteral(base)) base = CoerceTo(std::move(base), SqlType::Timestamp());
    SqlType bt = ExprType(base);
    if (bt.is_temporal()) {
      if (base.has_literal() && !base.literal().is_null()) {
        int64_t micros = bt.id == TypeId::kDate ? base.literal().i64() * kMicrosPerDay : base.literal().i64();
        int64_t result = AddIntervalToTimestamp(micros, iv, sign);
        if (bt.id == TypeId::kDate && iv.micros == 0) return Int64Literal(result / kMicrosPerDay, SqlType::Date());
        return Int64Literal(result, bt.id == TypeId::kTimestampTz ? bt : SqlType::Timestamp());
      }
      if (bt.id == TypeId::kDate && iv.months == 0 && iv.micros == 0) {
        return CallExpr(sign > 0 ? plan::ADD : plan::SUB, SqlType::Date(), {std::move(base), Int64Literal(iv.days, SqlType::Int32())});
      }
      return BindIntervalArithmetic(std::move(base), iv, sign);
    }
  }
  if (IsTemporalOperator(e.op, l, r)) return BindTemporalOperator(e.op, std::move(l), std::move(r), e.location);
  if (plan::Op cmp = CompareOp(e.op); cmp != plan::OP_UNSPECIFIED) return Compare(cmp, std::move(l), std::move(r), e.location);
  if (e.op == "||") {
    SqlType text = SqlType::Text();
    return CallExpr(plan::CONCAT, text, {CoerceTo(std::move(l), text), CoerceTo(std::move(r), text)});
  }
  plan::Op op = ArithOp(e.op);
  if (op == plan::OP_UNSPECIFIED) {
    FailAt(sqlstate::kFeatureNotSupported, StrCat("operator ", e.op, " is not supported yet"), e.location);
  }
  if (IsUntypedStringLiteral(l)) l = CoerceTo(std::move(l), ExprType(r).is_numeric() ? ExprType(r) : SqlType::Float64());
  if (IsUntypedStringLiteral(r)) r = CoerceTo(std::move(r), ExprType(l).is_numeric() ? ExprType(l) : SqlType::Float64());
  SqlType lt = ExprType(l), rt = ExprType(r);
  if (lt.id == TypeId::kNull) lt = rt.id == TypeId::kNull ? SqlType::Int32() : rt;
  if (rt.id == TypeId::kNull) rt = lt;
  if (lt.id == TypeId::kDate && rt.is_integer() && (op == plan::ADD || op == plan::SUB)) {
    return CallExpr(op, SqlType::Date(), {std::move(l), CoerceTo(std::move(r), SqlType::Int32())});
  }
  if (lt.id == TypeId::kDate && rt.id == TypeId::kDate && op == plan::SUB) {
    return CallExpr(op, SqlType::Int32(), {std::move(l), std::move(r)});
  }
  if (lt.id == TypeId::kSuper || rt.id == TypeId::kSuper) {  // dynamic arithmetic (executor/expr_super.cpp)
    const SqlType& other = lt.id == TypeId::kSuper ? rt : lt;
    if (other.id == TypeId::kSuper || other.is_numeric()) {
      const char* name = op == plan::ADD ? "super_add" : op == plan::SUB ? "super_sub" : op == plan::MUL ? "super_mul"
                         : op == plan::DIV ? "super_div" : "super_mod";
      std::vector<plan::Expr> args;
      args.push_back(CoerceTo(std::move(l), SqlType::Super()));
      args.push_back(CoerceTo(std::move(r), SqlType::Super()));
      return FunctionExpr(name, SqlType::Super(), std::move(args));
    }
  }
  auto result = ArithmeticType(op, lt, rt);
  if (!result) {
    FailAt(sqlstate::kUndefinedFunction,
         StrCat("operator does not exist: ", lt.ToString(), " ", e.op, " ", rt.ToString()), e.location);
  }
  SqlType operand = *result;
  if (result->id == TypeId::kDecimal) {
    // Decimal operands keep their own scale; integers become exact decimals.
    l = CoerceTo(std::move(l), lt.is_integer() ? IntegerAsDecimal(lt) : lt);
    r = CoerceTo(std::move(r), rt.is_integer() ? IntegerAsDecimal(rt) : rt);
  } else {
    l = CoerceTo(std::move(l), operand);
    r = CoerceTo(std::move(r), operand);
  }
  return CallExpr(op, *result, {std::move(l), std::move(r)});
}

plan::Expr ExprBinder::BindPercentile(const ast::Expr& e, ExprBinder& inner) {
  const std::string& f = e.func_name;
  const bool median = f == "median";
  if (e.args.size() != (median ? 1u : 2u) || e.star_arg) {
    FailAt(sqlstate::kUndefinedFunction,
           median ? std::string("function median takes one argument")
                  : StrCat(f, " takes one fraction and WITHIN GROUP (ORDER BY expression)"),
           e.location);
  }
  if (e.distinct) FailAt(sqlstate::kFeatureNotSupported, StrCat(f, "(DISTINCT ...) is not supported yet"), e.location);
  double fraction = 0.5;
  if (!median) {
    plan::Expr fe = inner.Bind(*e.args[0]);
    while (fe.has_call() && fe.call().op() == plan::CAST && fe.call().args_size() == 1) fe = plan::Expr(fe.call().args(0));
    if (!fe.has_literal() || fe.literal().is_null() || !ExprType(fe).is_numeric()) {
      FailAt(sqlstate::kFeatureNotSupported, StrCat(f, " needs a constant fraction"), e.args[0]->location);
    }
    SqlType ft = ExprType(fe);
    if (ft.is_float()) {
      fraction = fe.literal().f64();
    } else if (ft.id == TypeId::kDecimal && fe.literal().i128().empty()) {
      fraction = static_cast<double>(fe.literal().i64()) / std::pow(10.0, ft.scale);
    } else if (ft.is_integer()) {
      fraction = static_cast<double>(fe.literal().i64());
    } else {
      FailAt(sqlstate::kFeatureNotSupported, StrCat(f, " needs a constant fraction"), e.args[0]->location);
    }
    if (!(fraction >= 0 && fraction <= 1)) {
      char text[32];
      std::snprintf(text, sizeof text, "%g", fraction);
      FailAt(sqlstate::kNumericValueOutOfRange, StrCat("percentile value ", text, " is not between 0 and 1"),
             e.args[0]->location);
    }
  }
  const ast::Expr& value = *e.args.back();
  if (ContainsAggregate(value)) FailAt(sqlstate::kGroupingError, "aggregate function calls cannot be nested", value.location);
  plan::Expr arg = inner.Bind(value);
  SqlType t = ExprType(arg);
  if (!t.is_numeric() && t.id != TypeId::kNull) {
    FailAt(sqlstate::kUndefinedFunction, StrCat("function ", f, "(", t.ToString(), ") does not exist"), e.location);
  }
  const bool discrete = f == "percentile_disc";
  if (e.within_group_desc) {
    if (discrete) FailAt(sqlstate::kFeatureNotSupported, "percentile_disc over a descending order is not supported yet", e.location);
    fraction = 1 - fraction;
  }
  const SqlType d = SqlType::Float64();
  plan::AggSpec spec;
  spec.set_func(discrete ? plan::PERCENTILE_DISC : plan::PERCENTILE_CONT);
  spec.set_fraction(fraction);
  *spec.mutable_arg() = FilteredArgument(CoerceTo(std::move(arg), d), e, inner);
  *spec.mutable_result_type() = ToProtoType(d);
  int index = static_cast<int>(agg_->groups.size() + agg_->aggs.size());
  agg_->aggs.push_back(std::move(spec));
  plan::Expr result = ColumnExpr(index, d);
  // percentile_disc is one of the values: back in the argument's type.
  if (discrete && t.id != TypeId::kNull) result = CastExpr(std::move(result), t);
  return result;
}

plan::Expr ExprBinder::BindGrouping(const ast::Expr& e) {
  if (e.args.empty() || e.args.size() > 31) {
    FailAt(sqlstate::kUndefinedFunction, StrCat("GROUPING takes 1 to 31 arguments, not ", e.args.size()), e.location);
  }
  ExprBinder plain(*agg_->input, params_, nullptr, clause_);
  const SqlType i64 = SqlType::Int64();
  std::vector<plan::Expr> bits;
  const int n = static_cast<int>(e.args.size());
  for (int i = 0; i < n; ++i) {
    std::string key = plain.Bind(*e.args[i]).SerializeAsString();
    auto at = std::find(agg_->group_keys.begin(), agg_->group_keys.end(), key);
    if (at == agg_->group_keys.end()) {
      FailAt(sqlstate::kGroupingError, "arguments to GROUPING must be grouping expressions of the associated query level",
             e.args[i]->location);
    }
    if (agg_->grouping_id < 0) continue;  // a plain GROUP BY groups by every key
    // ((id / 2^k) % 2) * 2^(n - 1 - i)
    int k = static_cast<int>(at - agg_->group_keys.begin());
    plan::Expr id = ColumnExpr(agg_->grouping_id, i64);
    plan::Expr bit = CallExpr(plan::MOD, i64, {CallExpr(plan::DIV, i64, {id, Int64Literal(int64_t{1} << k, i64)}),
                                               Int64Literal(2, i64)});
    bits.push_back(CallExpr(plan::MUL, i64, {std::move(bit), Int64Literal(int64_t{1} << (n - 1 - i), i64)}));
  }
  if (bits.empty()) return Int64Literal(0, SqlType::Int32());
  plan::Expr sum = std::move(bits[0]);
  for (size_t i = 1; i < bits.size(); ++i) sum = CallExpr(plan::ADD, i64, {std::move(sum), std::move(bits[i])});
  return CastExpr(std::move(sum), SqlType::Int32());
}

plan::Expr ExprBinder::FilteredArgument(plan::Expr arg, const ast::Expr& e, ExprBinder& inner) {
  if (!e.filter) return arg;
  // Every aggregate skips NULLs, so FILTER (WHERE c) is the argument where c holds, else NULL.
  if (ContainsAggregate(*e.filter)) FailAt(sqlstate::kGroupingError, "aggregate functions are not allowed in FILTER", e.filter->location);
  plan::Expr cond = inner.BindCondition(*e.filter);
  SqlType t = ExprType(arg);
  return CallExpr(plan::CASE, t, {std::move(cond), std::move(arg), NullLiteral(t)});
}

plan::Expr ExprBinder::BindVariance(const ast::Expr& e, ExprBinder& inner) {
  const std::string& f = e.func_name;
  if (e.args.size() != 1 || e.star_arg) {
    FailAt(sqlstate::kUndefinedFunction, StrCat("function ", f, " with ", e.args.size(), " arguments does not exist"), e.location);
  }
  if (ContainsAggregate(*e.args[0])) FailAt(sqlstate::kGroupingError, "aggregate function calls cannot be nested", e.args[0]->location);
  plan::Expr arg = inner.Bind(*e.args[0]);
  SqlType t = ExprType(arg);
  if (!t.is_numeric() && t.id != TypeId::kNull) {
    FailAt(sqlstate::kUndefinedFunction, StrCat("function ", f, "(", t.ToString(), ") does not exist"), e.location);
  }
  // Over DOUBLE PRECISION, Redshift's result type for every input.
  const SqlType d = SqlType::Float64();
  arg = FilteredArgument(std::move(arg), e, inner);
  plan::AggSpec spec;
  spec.set_distinct(e.distinct);
  const bool root = f.rfind("stddev", 0) == 0;
  const bool population = f == "stddev_pop" || f == "var_pop";
  spec.set_func(root ? (population ? plan::STDDEV_POP : plan::STDDEV_SAMP) : (population ? plan::VAR_POP : plan::VAR_SAMP));
  *spec.mutable_arg() = CoerceTo(std::move(arg), d);
  *spec.mutable_result_type() = ToProtoType(d);
  int index = static_cast<int>(agg_->groups.size() + agg_->aggs.size());
  agg_->aggs.push_back(std::move(spec));
  return ColumnExpr(index, d);
}

plan::Expr ExprBinder::BindUngroupedAggregate(const ast::Expr& e, std::vector<plan::AggSpec>* aggs) {
  AggregateContext ctx;
  ctx.input = &scope_;
  ExprBinder b(scope_, params_, &ctx, "window functions");
  plan::Expr result = b.BindAggregate(e);
  *aggs = std::move(ctx.aggs);
  return result;
}

plan::Expr ExprBinder::BindAggregate(const ast::Expr& e) {
  ExprBinder inner(*agg_->input, params_, nullptr, "aggregate function calls");
  if (IsVarianceName(e.func_name)) return BindVariance(e, inner);
  if (IsPercentileName(e.func_name)) return BindPercentile(e, inner);
  plan::AggSpec spec;
  spec.set_distinct(e.distinct);
  SqlType result;
  SqlType array_element = SqlType::Text();  // array_agg: the type of its values
  if ((e.star_arg || (e.func_name == "count" && e.args.empty())) && e.filter) {
    // COUNT(*) FILTER (WHERE c) counts the rows where c holds: COUNT(CASE WHEN c THEN 1 END).
    spec.set_func(plan::COUNT);
    result = SqlType::Int64();
    *spec.mutable_arg() = FilteredArgument(Int64Literal(1, SqlType::Int32()), e, inner);
  } else if (e.star_arg || (e.func_name == "count" && e.args.empty())) {
    spec.set_func(plan::COUNT_STAR);
    result = SqlType::Int64();
  } else {
    // LISTAGG(x [, delimiter]) and string_agg(x, delimiter): the delimiter is a constant.
    // array_agg(x [ORDER BY k]) is LISTAGG of each value as an array element ('NULL' for a
    // NULL, so NULLs are kept), joined by ',' and braced after aggregation.
    const bool array_agg = e.func_name == "array_agg";
    bool listagg = e.func_name == "listagg" || e.func_name == "string_agg" || array_agg;
    size_t want = e.func_name == "string_agg" ? 2 : array_agg ? 1 : listagg ? e.args.size() : 1;
    if (array_agg) spec.set_delimiter(",");
    if (e.args.size() != want || e.args.empty() || e.args.size() > 2) {
      FailAt(sqlstate::kUndefinedFunction, StrCat("function ", e.func_name, " with ", e.args.size(), " arguments does not exist"), e.location);
    }
    if (listagg && e.args.size() == 2) {
      plan::Expr d = inner.Bind(*e.args[1]);
      while (d.has_call() && d.call().op() == plan::CAST && d.call().args_size() == 1) d = plan::Expr(d.call().args(0));
      if (!d.has_literal() || !(ExprType(d).is_string() || d.literal().is_null())) {
        FailAt(sqlstate::kFeatureNotSupported, StrCat(e.func_name, " delimiter must be a constant string"), e.args[1]->location);
      }
      spec.set_delimiter(d.literal().is_null() ? std::string() : d.literal().str());
    }
    if (ContainsAggregate(*e.args[0])) {
      FailAt(sqlstate::kGroupingError, "aggregate function calls cannot be nested", e.args[0]->location);
    }
    plan::Expr arg = inner.Bind(*e.args[0]);
    if (IsUntypedStringLiteral(arg)) arg = CoerceTo(std::move(arg), SqlType::Text());
    SqlType t = ExprType(arg);
    const std::string& f = e.func_name;
    if (t.id == TypeId::kTime && (f == "sum" || f == "avg")) {
      // PostgreSQL sums a time as an interval (its implicit cast).
      arg = CoerceTo(std::move(arg), SqlType::Interval());
      t = SqlType::Interval();
    }
    if (f == "approximate_count" || f == "approx_count_distinct" || f == "hll") {
      // Redshift's APPROXIMATE COUNT(DISTINCT x) (sql/redshift_dialect.cpp names it
      // approximate_count), HLL(x) and approx_count_distinct(x): mergeable sketches, so no
      // DISTINCT step.
      if (f == "approximate_count" && !e.distinct) {
        FailAt(sqlstate::kSyntaxError, "APPROXIMATE COUNT needs DISTINCT: APPROXIMATE COUNT(DISTINCT expression)", e.location);
      }
      spec.set_distinct(false);
      spec.set_func(plan::APPROX_COUNT_DISTINCT);
      result = SqlType::Int64();
    } else if (listagg) {
      if (array_agg) array_element = t;
      spec.set_func(plan::LISTAGG);
      result = SqlType::Varchar(65535);
      arg = CoerceTo(std::move(arg), SqlType::Text());
      const plan::Expr value_text = arg;  // what DISTINCT compares an ORDER BY key with
      if (array_agg) {
        std::vector<plan::Expr> quote;
        quote.push_back(std::move(arg));
        arg = FunctionExpr("pg_array_quote", SqlType::Text(), std::move(quote));
      }
      if (e.agg_order) {  // WITHIN GROUP (ORDER BY k) / string_agg(x, d ORDER BY k)
        if (ContainsAggregate(*e.agg_order->expr)) {
          FailAt(sqlstate::kGroupingError, "aggregate function calls cannot be nested", e.agg_order->expr->location);
        }
        plan::Expr key = inner.Bind(*e.agg_order->expr);
        if (IsUntypedStringLiteral(key)) key = CoerceTo(std::move(key), SqlType::Text());
        if (e.distinct && CoerceTo(plan::Expr(key), SqlType::Text()).SerializeAsString() != value_text.SerializeAsString()) {
          FailAt(sqlstate::kInvalidColumnReference, "in an aggregate with DISTINCT, ORDER BY expressions must appear in argument list",
                 e.agg_order->expr->location);
        }
        spec.set_func(plan::LISTAGG_ORDERED);
        spec.set_order_desc(e.agg_order->desc);
        spec.set_order_nulls_first(e.agg_order->nulls_first.value_or(e.agg_order->desc));
        *spec.mutable_order_arg() = std::move(key);
      }
    } else if (f == "bit_and" || f == "bit_or") {
      if (!t.is_integer() && t.id != TypeId::kNull) {
        FailAt(sqlstate::kUndefinedFunction, StrCat("function ", f, "(", t.ToString(), ") does not exist"), e.location);
      }
      if (t.id == TypeId::kNull) arg = CoerceTo(std::move(arg), SqlType::Int32());
      spec.set_func(f == "bit_and" ? plan::BIT_AND : plan::BIT_OR);
      result = ExprType(arg);
    } else if (f == "count") {
      spec.set_func(plan::COUNT);
      result = SqlType::Int64();
    } else if (f == "min" || f == "max" || f == "any_value") {
      // Redshift's ANY_VALUE(x): any one of the group's values; the smallest is one.
      spec.set_func(f == "max" ? plan::MAX : plan::MIN);
      result = t;
    } else if (f == "bool_and" || f == "every" || f == "bool_or") {
      // Over booleans (false < true) AND is the minimum and OR the maximum, NULLs ignored.
      if (t.id != TypeId::kBool && t.id != TypeId::kNull) {
        FailAt(sqlstate::kUndefinedFunction, StrCat("function ", f, "(", t.ToString(), ") does not exist"), e.location);
      }
      arg = CoerceTo(std::move(arg), SqlType::Bool());
      spec.set_func(f == "bool_or" ? plan::MAX : plan::MIN);
      result = SqlType::Bool();
    } else if (t.id == TypeId::kInterval && f == "sum") {
      spec.set_func(plan::SUM);  // the packing is linear: an int128 sum adds the fields
      result = t;
    } else if (t.id == TypeId::kInterval && f == "avg") {
      // avg(interval) = sum / count, divided as interval / float8 (PostgreSQL's interval_avg).
      plan::AggSpec count = spec;
      count.set_func(plan::COUNT);
      *count.mutable_arg() = FilteredArgument(arg, e, inner);
      *count.mutable_result_type() = ToProtoType(SqlType::Int64());
      spec.set_func(plan::SUM);
      *spec.mutable_arg() = FilteredArgument(std::move(arg), e, inner);
      *spec.mutable_result_type() = ToProtoType(t);
      int sum_index = static_cast<int>(agg_->groups.size() + agg_->aggs.size());
      agg_->aggs.push_back(std::move(spec));
      agg_->aggs.push_back(std::move(count));
      return FunctionExpr("interval_div", t,
                          {ColumnExpr(sum_index, t), CastExpr(ColumnExpr(sum_index + 1, SqlType::Int64()), SqlType::Float64())});
    } else {
      if (!t.is_numeric()) {
        FailAt(sqlstate::kUndefinedFunction, StrCat("function ", f, "(", t.ToString(), ") does not exist"), e.location);
      }
      if (f == "sum") {
        spec.set_func(plan::SUM);
        if (t.id == TypeId::kInt16 || t.id == TypeId::kInt32) result = SqlType::Int64();
        else if (t.id == TypeId::kInt64) result = SqlType::Decimal(kMaxDecimalPrecision, 0);
        else if (t.id == TypeId::kDecimal) result = SqlType::Decimal(kMaxDecimalPrecision, t.scale);
        else result = t.id == TypeId::kFloat32 ? SqlType::Float32() : SqlType::Float64();
      } else {
        spec.set_func(plan::AVG);
        if (t.is_float()) result = SqlType::Float64();
        else {
          int s = t.id == TypeId::kDecimal ? t.scale : 0;
          result = SqlType::Decimal(kMaxDecimalPrecision, std::max(s, 16));
          if (t.is_integer()) arg = CoerceTo(std::move(arg), IntegerAsDecimal(t));
        }
      }
    }
    *spec.mutable_arg() = FilteredArgument(std::move(arg), e, inner);
  }
  *spec.mutable_result_type() = ToProtoType(result);
  int index = static_cast<int>(agg_->groups.size() + agg_->aggs.size());
  agg_->aggs.push_back(std::move(spec));
  if (e.func_name == "array_agg") {  // '{' || elements || '}': NULL when no row was aggregated
    plan::Expr open = CallExpr(plan::CONCAT, SqlType::Text(), {StringLiteral("{", SqlType::Text()), ColumnExpr(index, result)});
    const ArrayTypeInfo* array = ArrayTypeOf(array_element);  // typed as the array of its values' type
    return CallExpr(plan::CONCAT, array != nullptr ? SqlType::Array(array->oid) : SqlType::Text(),
                    {std::move(open), StringLiteral("}", SqlType::Text())});
  }
  return ColumnExpr(index, result);
}

plan::Expr ExprBinder::BindFunction(const ast::Expr& e) {
  // Redshift's CHARINDEX(substring, string) is strpos(string, substring); POSITION(substring IN
  // string) arrives from the parser as position(string, substring), which is strpos itself.
  const bool two = e.args.size() == 2;
  std::string name = (e.func_name == "charindex" || e.func_name == "position") && two ? "strpos" : e.func_name;
  if (name == "_arr_") name = "super_array";  // Redshift's ARRAY(v, ...) (sql/redshift_dialect.cpp)
  name = RedshiftSynonym(name);  // replicate is repeat, textlen is length, ...
  const bool swap_args = e.func_name == "charindex" && two;
  const std::string& f = name;
  if (f == "_cvt_" && e.args.size() == 2 && e.args[0]->kind == ast::ExprKind::kLiteral) {
    // Redshift's CONVERT(type, expression) is CAST(expression AS type); the dialect layer gives
    // the type as text (sql/redshift_dialect.cpp).
    std::vector<ast::Statement> parsed = ParseSql("SELECT NULL::" + e.args[0]->text);
    if (parsed.size() != 1 || parsed[0].select == nullptr || parsed[0].select->targets.size() != 1 ||
        parsed[0].select->targets[0].expr->kind != ast::ExprKind::kCast) {
      FailAt(sqlstate::kSyntaxError, "CONVERT takes a type and an expression", e.location);
    }
    ast::TypeName type = parsed[0].select->targets[0].expr->cast_type;
    type.location = e.location;
    plan::Expr value = Bind(*e.args[1]);
    SqlType t = ResolveTypeName(type);
    if (IsUntypedStringLiteral(value) && t.is_string()) return CastExpr(std::move(value), t);
    return CoerceTo(std::move(value), t);
  }
  if ((f == "pg_last_copy_id" || f == "pg_last_query_id") && e.args.empty()) {
    // Redshift's session functions: constants for the statement being bound.
    const SessionValues* sv = Session();
    int64_t v = sv == nullptr ? -1 : f == "pg_last_copy_id" ? sv->last_copy_id : sv->last_query_id;
    return Int64Literal(v, SqlType::Int32());
  }
  std::vector<plan::Expr> args;
  for (const auto& a : e.args) {
    // dateadd(month, ...): a bare date part word is the part's text (planner/datetime_functions.h).
    std::optional<std::string> word = args.empty() && TakesDatePartWord(f) ? DatePartWord(*a) : std::nullopt;
    args.push_back(word ? StringLiteral(*word, SqlType::Text()) : Bind(*a));
  }
  if (swap_args) std::swap(args[0], args[1]);
  // Navigation into a SUPER value: v[i] and (v).member, as the parser gives them.
  if ((f == "pg_array_element" || f.rfind("(field).", 0) == 0) && !args.empty() &&
      ExprType(args[0]).id == TypeId::kSuper) {
    plan::Expr step = f == "pg_array_element" ? CoerceTo(std::move(args[1]), SqlType::Int64())
                                              : StringLiteral(f.substr(8), SqlType::Text());
    return SuperStep(std::move(args[0]), std::move(step));
  }
  if (auto folded = BindCatalogFunction(Catalog(), Session(), f, args, e.location)) return *folded;
  if (auto clock = BindClockFunction(Session(), f, args, e.location)) return *clock;
  if (f == "age" && args.size() == 1) {
    // age(ts) is age(current_date at midnight, ts), as PostgreSQL computes it.
    SqlType ts = ExprType(args[0]).id == TypeId::kTimestampTz ? SqlType::TimestampTz() : SqlType::Timestamp();
    args.insert(args.begin(), CoerceTo(*BindClockFunction(Session(), "current_date", {}, e.location), ts));
  }
  if (f == "coalesce" || (f == "nvl" && args.size() >= 2)) {  // Redshift's NVL is COALESCE
    std::vector<plan::Expr*> ptrs;
    for (auto& a : args) ptrs.push_back(&a);
    SqlType t = UnifyTypes(ptrs, f == "nvl" ? "NVL" : "COALESCE", e.location);
    return CallExpr(plan::COALESCE, t, std::move(args));
  }
  if (f == "nvl2" && args.size() == 3) return BindNvl2(std::move(args), e.location);
  if (auto rs = BindRedshiftExpression(f, args, e.location)) return *rs;
  // DECODE with a search and a result at least is Redshift's conditional (PostgreSQL's
  // two-argument decode(text, format) makes bytea, which Strata does not have).
  if (f == "decode" && args.size() >= 3) return BindDecode(std::move(args), e.location);
  std::vector<bool> unknown;
  for (const auto& a : args) unknown.push_back(IsUntypedStringLiteral(a) || ExprType(a).id == TypeId::kNull);
  if (auto inlined = BindSqlFunctionCall(e, args, unknown)) return *inlined;
  std::vector<SqlType> types;
  for (auto& a : args) {
    if (IsUntypedStringLiteral(a)) a = CoerceTo(std::move(a), SqlType::Text());
    types.push_back(ExprType(a));
  }
  FunctionSignature sig;
  try {
    std::vector<const plan::Expr*> arg_ptrs;
    for (const auto& a : args) arg_ptrs.push_back(&a);
    sig = ResolveFunction(f, types, arg_ptrs);
  } catch (SqlError& err) {
    err.WithPosition(e.location + 1);
    throw;
  }
  for (size_t i = 0; i < args.size() && i < sig.arg_types.size(); ++i) args[i] = CoerceTo(std::move(args[i]), sig.arg_types[i]);
  const ArrayTypeInfo* array = f == "pg_array_element" ? FindArrayType(ExprType(args[0]).array_oid()) : nullptr;
  if (f == "pg_array_text" && !types.empty()) {
    // ARRAY[a, b, ...]: the array of its elements' common type.
    std::optional<SqlType> common = types[0];
    for (size_t i = 1; i < types.size() && common; ++i) common = CommonType(*common, types[i]);
    if (const ArrayTypeInfo* of = common ? ArrayTypeOf(*common) : nullptr) sig.result = SqlType::Array(of->oid);
  }
  plan::Expr call = FunctionExpr(f, sig.result, std::move(args));
  // An element of a typed array (indkey[0], conkey[1]) is of its element type.
  if (array != nullptr && !array->element.is_string()) return CastExpr(std::move(call), array->element);
  return call;
}

// LIKE's ESCAPE: the pattern rewritten to the executor's backslash escapes (executor/expr_like.h).
// The pattern and the escape must be constants; ESCAPE '' turns escaping off; an escape of more
// than one character is 22019, as in PostgreSQL.
plan::Expr ExprBinder::WithBackslashEscapes(plan::Expr pattern, plan::Expr escape, int location) {
  if (IsUntypedStringLiteral(escape)) escape = CoerceTo(std::move(escape), SqlType::Text());
  if (!pattern.has_literal() || !escape.has_literal()) {
    FailAt(sqlstate::kFeatureNotSupported, "LIKE ... ESCAPE needs a constant pattern and escape character", location);
  }
  if (pattern.literal().is_null() || escape.literal().is_null()) return NullLiteral(SqlType::Text());
  const std::string& p = pattern.literal().str();
  const std::string& esc = escape.literal().str();
  size_t esc_chars = 0;
  for (char c : esc) esc_chars += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  if (esc_chars > 1) {
    FailAt(sqlstate::kInvalidEscapeCharacter, "invalid escape string", location);
  }
  std::string out;
  for (size_t i = 0; i < p.size(); ++i) {
    if (!esc.empty() && p.compare(i, esc.size(), esc) == 0) {
      i += esc.size();
      if (i >= p.size()) {
        FailAt(sqlstate::kInvalidEscapeSequence, "LIKE pattern must not end with escape character", location);
      }
      out.push_back('\\');
      // the escaped character (all its UTF-8 bytes) is literal
      size_t k = i + 1;
      while (k < p.size() && (static_cast<unsigned char>(p[k]) & 0xC0) == 0x80) ++k;
      out.append(p, i, k - i);
      i = k - 1;
    } else if (p[i] == '\\') {
      out += "\\\\";  // a backslash is an ordinary character under another escape
    } else {
      out.push_back(p[i]);
    }
  }
  return StringLiteral(out, SqlType::Text());
}

// NVL2(expr, if_not_null, if_null): CASE WHEN expr IS NOT NULL THEN if_not_null ELSE if_null END.
plan::Expr ExprBinder::BindNvl2(std::vector<plan::Expr> args, int location) {
  std::vector<plan::Expr*> ptrs = {&args[1], &args[2]};
  SqlType t = UnifyTypes(ptrs, "NVL2", location);
  plan::Expr set = CallExpr(plan::IS_NOT_NULL, SqlType::Bool(), {std::move(args[0])});
  return CallExpr(plan::CASE, t, {std::move(set), std::move(args[1]), std::move(args[2])});
}

// DECODE(expr, search1, result1 [, search2, result2 ...] [, default]): the result of the first
// search equal to expr, where a NULL search matches a NULL expr (Redshift's rule); else the
// default, or NULL without one.
plan::Expr ExprBinder::BindDecode(std::vector<plan::Expr> args, int location) {
  const size_t pairs = (args.size() - 1) / 2;
  const bool has_default = (args.size() - 1) % 2 == 1;
  std::vector<plan::Expr> results;
  for (size_t i = 0; i < pairs; ++i) results.push_back(std::move(args[2 + 2 * i]));
  if (has_default) results.push_back(std::move(args.back()));
  std::vector<plan::Expr*> ptrs;
  for (auto& r : results) ptrs.push_back(&r);
  SqlType t = UnifyTypes(ptrs, "DECODE", location);
  std::vector<plan::Expr> case_args;
  for (size_t i = 0; i < pairs; ++i) {
    const plan::Expr& search = args[1 + 2 * i];
    plan::Expr both_null = CallExpr(plan::AND, SqlType::Bool(),
                                    {CallExpr(plan::IS_NULL, SqlType::Bool(), {args[0]}),
                                     CallExpr(plan::IS_NULL, SqlType::Bool(), {search})});
    plan::Expr matches = search.has_literal() && search.literal().is_null()
                             ? std::move(both_null)
                             : CallExpr(plan::OR, SqlType::Bool(), {Compare(plan::EQ, args[0], search, location),
                                                                    std::move(both_null)});
    case_args.push_back(std::move(matches));
    case_args.push_back(std::move(results[i]));
  }
  if (has_default) case_args.push_back(std::move(results.back()));
  return CallExpr(plan::CASE, t, std::move(case_args));
}

plan::Expr ExprBinder::BindCase(const ast::Expr& e) {
  std::vector<plan::Expr> conds, values;
  std::optional<plan::Expr> operand;
  if (e.case_operand) operand = Bind(*e.case_operand);
  for (size_t i = 0; i < e.when.size(); ++i) {
    if (operand) conds.push_back(Compare(plan::EQ, *operand, Bind(*e.when[i]), e.when[i]->location));
    else conds.push_back(BindCondition(*e.when[i]));
    values.push_back(Bind(*e.then[i]));
  }
  if (e.else_expr) values.push_back(Bind(*e.else_expr));
  std::vector<plan::Expr*> ptrs;
  for (auto& v : values) ptrs.push_back(&v);
  SqlType t = UnifyTypes(ptrs, "CASE", e.location);
  std::vector<plan::Expr> args;
  for (size_t i = 0; i < conds.size(); ++i) {
    args.push_back(std::move(conds[i]));
    args.push_back(std::move(values[i]));
  }
  if (e.else_expr) args.push_back(std::move(values.back()));
  return CallExpr(plan::CASE, t, std::move(args));
}

plan::Expr ExprBinder::BindInList(const ast::Expr& e) {
  std::vector<plan::Expr> items;
  items.push_back(Bind(*e.args[0]));
  for (size_t i = 1; i < e.args.size(); ++i) items.push_back(Bind(*e.args[i]));
  std::vector<plan::Expr*> ptrs;
  for (auto& v : items) ptrs.push_back(&v);
  UnifyTypes(ptrs, "IN", e.location);
  plan::Expr in = CallExpr(plan::IN_LIST, SqlType::Bool(), std::move(items));
  return e.negated ? CallExpr(plan::NOT, SqlType::Bool(), {std::move(in)}) : in;
}

}  // namespace strata
