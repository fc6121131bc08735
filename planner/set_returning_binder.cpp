// See set_returning_binder.h.
#include "planner/set_returning_binder.h"

#include "planner/expr_builder.h"
#include "sql/array_types.h"
#include "sql/error.h"
#include "sql/sqlstate.h"

namespace strata {
namespace {

const SqlType kInt64 = SqlType::Int64();

bool HasPlaceholder(const plan::Expr& e) {
  if (e.has_column()) return e.column() >= SetReturningBinder::kPlaceholderBase;
  if (e.has_call()) {
    for (const auto& a : e.call().args()) {
      if (HasPlaceholder(a)) return true;
    }
  }
  return false;
}

void ReplacePlaceholders(plan::Expr* e, const std::vector<plan::Expr>& values) {
  if (e->has_column()) {
    if (e->column() >= SetReturningBinder::kPlaceholderBase) *e = values.at(e->column() - SetReturningBinder::kPlaceholderBase);
  } else if (e->has_call()) {
    for (auto& a : *e->mutable_call()->mutable_args()) ReplacePlaceholders(&a, values);
  }
}

[[noreturn]] void NoSuchFunction(const std::string& name, const std::vector<plan::Expr>& args, int location) {
  std::string sig;
  for (const auto& a : args) sig += (sig.empty() ? "" : ", ") + ExprType(a).ToString();
  throw SqlError(sqlstate::kUndefinedFunction, StrCat("function ", name, "(", sig, ") does not exist"))
      .WithHint("No function matches the given name and argument types. You might need to add explicit type casts.")
      .WithPosition(location + 1);
}

bool IsArrayArgument(const plan::Expr& a) { return ExprType(a).is_string() || ExprType(a).id == TypeId::kNull; }
bool IsIntegerArgument(const plan::Expr& a) { return ExprType(a).is_integer() || ExprType(a).id == TypeId::kNull; }

const ArrayTypeInfo* ArrayOf(const plan::Expr& a) { return FindArrayType(ExprType(a).array_oid()); }

// CASE WHEN ordinal <= count THEN value END: a shorter call is NULL past its end.
plan::Expr WithinCount(const plan::Expr& ordinal, plan::Expr count, plan::Expr value, const SqlType& type) {
  plan::Expr within = CallExpr(plan::LE, SqlType::Bool(), {ordinal, std::move(count)});
  return CallExpr(plan::CASE, type, {std::move(within), std::move(value), NullLiteral(type)});
}

}  // namespace

bool IsSetReturningFunction(const std::string& name) {
  return name == "unnest" || name == "generate_series" || name == "generate_subscripts";
}

plan::Expr SetReturningBinder::Bind(const ast::Expr& e, ExprBinder& binder) {
  return BindCall(e.func_name, e.args, e.location, binder);
}

plan::Expr SetReturningBinder::BindCall(const std::string& name, const std::vector<ast::ExprPtr>& arg_exprs, int location,
                                        ExprBinder& binder) {
  std::vector<plan::Expr> args;
  for (const auto& a : arg_exprs) {
    plan::Expr b = binder.Bind(*a);
    if (HasPlaceholder(b)) {
      FailAt(sqlstate::kFeatureNotSupported, "a set-returning function in the arguments of another is not supported yet",
             a->location);
    }
    // An untyped literal is an array's text, or else a number ('3' in generate_series; there it
    // may also be a timestamp or an interval, decided below).
    const bool array_position = args.empty() && name != "generate_series";
    if (IsUntypedStringLiteral(b) && name != "generate_series") {
      b = CoerceTo(std::move(b), array_position ? SqlType::Text() : SqlType::Int32());
    }
    args.push_back(std::move(b));
  }
  Call call;
  auto no_such_function = [&]() { NoSuchFunction(name, args, location); };
  if (name == "unnest") {
    if (args.size() != 1 || !IsArrayArgument(args[0])) no_such_function();
    const ArrayTypeInfo* array = ArrayOf(args[0]);
    call = {Kind::kUnnest, std::move(args), array != nullptr ? array->element : SqlType::Text()};
  } else if (name == "generate_subscripts") {
    if (args.size() != 2 || !IsArrayArgument(args[0]) || !IsIntegerArgument(args[1])) no_such_function();
    args[1] = CoerceTo(std::move(args[1]), SqlType::Int32());
    call = {Kind::kSubscripts, std::move(args), SqlType::Int32()};
  } else if (std::any_of(args.begin(), args.end(), [](const plan::Expr& a) {
               return !IsIntegerArgument(a) && !IsUntypedStringLiteral(a);
             })) {
    call = BindWideSeries(std::move(args), location);
  } else {
    for (auto& a : args) {
      if (IsUntypedStringLiteral(a)) a = CoerceTo(std::move(a), SqlType::Int32());
    }
    if (args.size() != 2 && args.size() != 3) no_such_function();
    SqlType type = SqlType::Int32();
    for (const auto& a : args) {
      if (!IsIntegerArgument(a)) no_such_function();
      if (ExprType(a).id == TypeId::kInt64) type = kInt64;
    }
    if (args.size() == 2) args.push_back(Int64Literal(1, type));
    if (args[2].has_literal() && !args[2].literal().is_null() && args[2].literal().i64() == 0) {
      FailAt(sqlstate::kInvalidParameterValue, "step size cannot equal zero", location);
    }
    for (auto& a : args) a = CoerceTo(std::move(a), kInt64);
    call = {Kind::kSeries, std::move(args), type};
  }
  SqlType type = call.type;
  calls_.push_back(std::move(call));
  return ColumnExpr(kPlaceholderBase + static_cast<int>(calls_.size() - 1), type);
}

// generate_series over timestamps (start, stop, interval step), dates (as timestamps, as in
// PostgreSQL), and numerics (DECIMAL(38, s) at the largest scale): series_count and
// series_value (executor/expr_series.cpp) give its length and values.
SetReturningBinder::Call SetReturningBinder::BindWideSeries(std::vector<plan::Expr> args, int location) {
  auto no_such_function = [&]() { NoSuchFunction("generate_series", args, location); };
  auto temporal = [](const plan::Expr& a) { return ExprType(a).is_temporal(); };
  if (std::any_of(args.begin(), args.begin() + std::min<size_t>(2, args.size()), temporal)) {
    if (args.size() != 3) no_such_function();
    // PostgreSQL's resolution: TIMESTAMPTZ with one, TIMESTAMP with one (and no TIMESTAMPTZ), and
    // TIMESTAMPTZ for dates alone (the preferred type of its category).
    auto any = [&](TypeId id) { return ExprType(args[0]).id == id || ExprType(args[1]).id == id; };
    SqlType type = any(TypeId::kTimestampTz) || !any(TypeId::kTimestamp) ? SqlType::TimestampTz() : SqlType::Timestamp();
    for (size_t i = 0; i < 2; ++i) {
      SqlType t = ExprType(args[i]);
      if (!t.is_temporal() && t.id != TypeId::kNull && !IsUntypedStringLiteral(args[i])) no_such_function();
      args[i] = CoerceTo(std::move(args[i]), type);
    }
    SqlType st = ExprType(args[2]);
    if (st.id != TypeId::kInterval && st.id != TypeId::kNull && !IsUntypedStringLiteral(args[2])) no_such_function();
    args[2] = CoerceTo(std::move(args[2]), SqlType::Interval());
    return {Kind::kWideSeries, std::move(args), type};
  }
  // The values' scale is the start's and the step's (PostgreSQL's first value keeps the start's
  // own scale, the next ones the larger: Strata's column has one scale for all).
  // The count compares at every argument's scale (the stop's too).
  int scale = 0, count_scale = 0;
  for (size_t i = 0; i < args.size(); ++i) {
    SqlType t = ExprType(args[i]);
    if (t.id == TypeId::kDecimal) {
      if (i != 1) scale = std::max(scale, t.scale);
      count_scale = std::max(count_scale, t.scale);
    } else if (!t.is_integer() && t.id != TypeId::kNull) {
      no_such_function();
    }
  }
  if (args.size() != 2 && args.size() != 3) no_such_function();
  if (args.size() == 2) args.push_back(Int64Literal(1, kInt64));
  for (auto& a : args) a = CoerceTo(std::move(a), SqlType::Decimal(kMaxDecimalPrecision, count_scale));
  return {Kind::kWideSeries, std::move(args), SqlType::Decimal(kMaxDecimalPrecision, scale)};
}

void SetReturningBinder::VisitExprs(const std::function<void(plan::Expr*)>& fn) {
  for (auto& c : calls_) {
    for (auto& a : c.args) fn(&a);
  }
}

plan::Expr SetReturningBinder::RowCount(const Call& c) {
  const plan::Expr zero = Int64Literal(0, kInt64);
  switch (c.kind) {
    case Kind::kUnnest:
    case Kind::kSubscripts: {
      plan::Expr n = CastExpr(FunctionExpr("cardinality", SqlType::Int32(), {c.args[0]}), kInt64);
      n = CallExpr(plan::COALESCE, kInt64, {std::move(n), zero});
      if (c.kind == Kind::kUnnest) return n;
      // A one-dimensional array has subscripts in dimension 1 only.
      plan::Expr first = CallExpr(plan::EQ, SqlType::Bool(), {c.args[1], Int64Literal(1, SqlType::Int32())});
      return CallExpr(plan::CASE, kInt64, {std::move(first), std::move(n), zero});
    }
    case Kind::kWideSeries:
      return CallExpr(plan::COALESCE, kInt64, {FunctionExpr("series_count", kInt64, {c.args[0], c.args[1], c.args[2]}), zero});
    case Kind::kSeries: {
      // (stop - start) / step + 1 when the step goes from start towards stop; else none (also
      // when an argument is NULL).
      const plan::Expr& start = c.args[0];
      const plan::Expr& stop = c.args[1];
      const plan::Expr& step = c.args[2];
      plan::Expr up = CallExpr(plan::AND, SqlType::Bool(), {CallExpr(plan::GT, SqlType::Bool(), {step, zero}),
                                                            CallExpr(plan::GE, SqlType::Bool(), {stop, start})});
      plan::Expr down = CallExpr(plan::AND, SqlType::Bool(), {CallExpr(plan::LT, SqlType::Bool(), {step, zero}),
                                                              CallExpr(plan::LE, SqlType::Bool(), {stop, start})});
      plan::Expr steps = CallExpr(plan::DIV, kInt64, {CallExpr(plan::SUB, kInt64, {stop, start}), step});
      plan::Expr n = CallExpr(plan::ADD, kInt64, {std::move(steps), Int64Literal(1, kInt64)});
      plan::Expr moves = CallExpr(plan::OR, SqlType::Bool(), {std::move(up), std::move(down)});
      return CallExpr(plan::CASE, kInt64, {std::move(moves), std::move(n), zero});
    }
  }
  return zero;
}

plan::Expr SetReturningBinder::ValueAt(const Call& c, const plan::Expr& ordinal) {
  const ArrayTypeInfo* array = c.kind == Kind::kSeries || c.kind == Kind::kWideSeries ? nullptr : ArrayOf(c.args[0]);
  const bool from_zero = array != nullptr && array->vector;  // int2vector / oidvector subscripts
  plan::Expr subscript = from_zero ? CallExpr(plan::SUB, kInt64, {ordinal, Int64Literal(1, kInt64)}) : ordinal;
  switch (c.kind) {
    case Kind::kUnnest: {
      // Past the end, pg_array_element is NULL.
      plan::Expr v = FunctionExpr("pg_array_element", SqlType::Text(), {c.args[0], CastExpr(subscript, SqlType::Int32())});
      return c.type == SqlType::Text() ? v : CastExpr(std::move(v), c.type);
    }
    case Kind::kSubscripts:
      return WithinCount(ordinal, RowCount(c), CastExpr(subscript, SqlType::Int32()), SqlType::Int32());
    case Kind::kWideSeries: {
      plan::Expr k = CallExpr(plan::SUB, kInt64, {ordinal, Int64Literal(1, kInt64)});
      // Numerics: the start and the step at the values' scale (exact: neither has more).
      const bool numeric = c.type.id == TypeId::kDecimal;
      plan::Expr v = FunctionExpr("series_value", c.type, {numeric ? CastExpr(c.args[0], c.type) : c.args[0],
                                                           numeric ? CastExpr(c.args[2], c.type) : c.args[2], std::move(k)});
      return WithinCount(ordinal, RowCount(c), std::move(v), c.type);
    }
    case Kind::kSeries: {
      plan::Expr steps = CallExpr(plan::SUB, kInt64, {ordinal, Int64Literal(1, kInt64)});
      plan::Expr v = CallExpr(plan::ADD, kInt64, {c.args[0], CallExpr(plan::MUL, kInt64, {std::move(steps), c.args[2]})});
      return WithinCount(ordinal, RowCount(c), CastExpr(std::move(v), c.type), c.type);
    }
  }
  return NullLiteral(c.type);
}

void SetReturningBinder::Attach(LogicalPtr* node, std::vector<plan::Expr>* exprs) {
  const int width = static_cast<int>((*node)->columns.size());
  std::vector<plan::Expr> counts;
  for (const Call& c : calls_) counts.push_back(RowCount(c));
  auto repeat = std::make_unique<LogicalNode>();
  repeat->kind = LogicalKind::kRepeat;
  repeat->repeat_count = counts.size() == 1 ? std::move(counts[0]) : FunctionExpr("greatest", kInt64, std::move(counts));
  repeat->repeat_ordinal = true;
  repeat->columns = (*node)->columns;
  repeat->columns.push_back({"ordinality", kInt64});
  repeat->estimated_rows = (*node)->estimated_rows * 10;
  repeat->children.push_back(std::move(*node));
  *node = std::move(repeat);
  const plan::Expr ordinal = ColumnExpr(width, kInt64);
  std::vector<plan::Expr> values;
  for (const Call& c : calls_) values.push_back(ValueAt(c, ordinal));
  for (auto& e : *exprs) ReplacePlaceholders(&e, values);
  calls_.clear();
}

}  // namespace strata
