#include "planner/interval_binder.h"

#include "planner/expr_binder.h"
#include <cstring>

#include "planner/expr_builder.h"
#include "sql/error.h"
#include "sql/vector.h"

namespace strata {

namespace {

bool IsInterval(const SqlType& t) { return t.id == TypeId::kInterval; }
bool IsTimestampLike(const SqlType& t) { return t.is_timestamp() || t.id == TypeId::kDate; }

[[noreturn]] void NoOperator(const std::string& op, const SqlType& l, const SqlType& r, int location) {
  FailAt(sqlstate::kUndefinedFunction, StrCat("operator does not exist: ", l.ToString(), " ", op, " ", r.ToString()),
         location);
}

// A date becomes a timestamp at midnight; timestamps stay as they are.
plan::Expr AsTimestamp(plan::Expr e) {
  SqlType t = ExprType(e);
  if (t.is_timestamp()) return e;
  return CoerceTo(std::move(e), SqlType::Timestamp());
}

}  // namespace

plan::Expr IntervalLiteral(const IntervalValue& iv) {
  Vector v(SqlType::Interval(), 1);
  v.data<int128>()[0] = PackInterval(iv);
  return LiteralFromVector(v, 0, SqlType::Interval());
}

bool IntervalConstant(const plan::Expr& e, IntervalValue* out) {
  if (!e.has_literal() || e.literal().is_null() || ExprType(e).id != TypeId::kInterval) return false;
  int128 packed = 0;
  if (e.literal().i128().size() != sizeof(int128)) return false;
  std::memcpy(&packed, e.literal().i128().data(), sizeof(int128));
  *out = UnpackInterval(packed);
  return true;
}

plan::Expr NegateInterval(plan::Expr e) {
  IntervalValue iv;
  if (IntervalConstant(e, &iv)) {
    return IntervalLiteral(IntervalFromWide(-static_cast<int128>(iv.months), -static_cast<int128>(iv.days),
                                            -static_cast<int128>(iv.micros)));
  }
  return FunctionExpr("interval_um", SqlType::Interval(), {std::move(e)});
}

bool IsTemporalOperator(const std::string& op, const plan::Expr& l, const plan::Expr& r) {
  SqlType lt = ExprType(l), rt = ExprType(r);
  auto ours = [](const SqlType& t) { return t.id == TypeId::kInterval || t.is_time(); };
  if (ours(lt) || ours(rt)) return op == "+" || op == "-" || op == "*" || op == "/" || op == "%";
  return op == "-" && IsTimestampLike(lt) && IsTimestampLike(rt) && (lt.is_timestamp() || rt.is_timestamp());
}

plan::Expr BindTemporalOperator(const std::string& op, plan::Expr l, plan::Expr r, int location) {
  // An untyped literal takes the type the operator wants of it, as PostgreSQL resolves unknown:
  // an interval beside an interval or added to a time, a time subtracted from a time.
  auto settle = [&](plan::Expr& x, const SqlType& other, bool x_is_right) {
    if (!IsUntypedStringLiteral(x)) return;
    if (other.is_time() && op == "-" && x_is_right) x = CoerceTo(std::move(x), other);
    else if (IsInterval(other) || other.is_time() || other.is_timestamp()) x = CoerceTo(std::move(x), SqlType::Interval());
  };
  settle(l, ExprType(r), false);
  settle(r, ExprType(l), true);
  SqlType lt = ExprType(l), rt = ExprType(r);
  if (lt.id == TypeId::kNull) { l = CoerceTo(std::move(l), rt); lt = rt; }
  if (rt.id == TypeId::kNull) { r = CoerceTo(std::move(r), IsInterval(lt) && (op == "*" || op == "/") ? SqlType::Float64() : lt); rt = ExprType(r); }
  const SqlType iv = SqlType::Interval();
  if (op == "+" && lt.is_time() && rt.is_time()) {
    FailAt(sqlstate::kAmbiguousFunction, StrCat("operator is not unique: ", lt.ToString(), " + ", rt.ToString()), location);
  }
  // time * number and time / number read the time as an interval (PostgreSQL's implicit cast).
  if ((op == "*" || op == "/") && lt.id == TypeId::kTime && rt.is_numeric()) { l = CoerceTo(std::move(l), iv); lt = iv; }
  if (op == "*" && lt.is_numeric() && rt.id == TypeId::kTime) { r = CoerceTo(std::move(r), iv); rt = iv; }
  // interval - time reads the time as an interval too.
  if (op == "-" && IsInterval(lt) && rt.id == TypeId::kTime) { r = CoerceTo(std::move(r), iv); rt = iv; }
  // timestamp +- time reads the time as an interval (PostgreSQL's implicit time -> interval).
  if (lt.is_timestamp() && rt.id == TypeId::kTime && (op == "+" || op == "-")) { r = CoerceTo(std::move(r), iv); rt = iv; }
  if (op == "-" && IsTimestampLike(lt) && IsTimestampLike(rt) && (lt.is_timestamp() || rt.is_timestamp())) {
    SqlType common = lt.id == TypeId::kTimestampTz || rt.id == TypeId::kTimestampTz ? SqlType::TimestampTz() : SqlType::Timestamp();
    return FunctionExpr("timestamp_mi", iv, {CoerceTo(std::move(l), common), CoerceTo(std::move(r), common)});
  }
  if (IsInterval(lt) && IsInterval(rt) && (op == "+" || op == "-")) {
    return FunctionExpr(op == "+" ? "interval_pl" : "interval_mi", iv, {std::move(l), std::move(r)});
  }
  if ((op == "*" && ((IsInterval(lt) && rt.is_numeric()) || (lt.is_numeric() && IsInterval(rt)))) ||
      (op == "/" && IsInterval(lt) && rt.is_numeric())) {
    plan::Expr& interval = IsInterval(lt) ? l : r;
    plan::Expr& factor = IsInterval(lt) ? r : l;
    return FunctionExpr(op == "*" ? "interval_mul" : "interval_div", iv,
                        {std::move(interval), CoerceTo(std::move(factor), SqlType::Float64())});
  }
  // date|timestamp +- interval, interval + date|timestamp.
  if ((IsTimestampLike(lt) && IsInterval(rt) && (op == "+" || op == "-")) ||
      (IsInterval(lt) && IsTimestampLike(rt) && op == "+")) {
    plan::Expr& base = IsInterval(lt) ? r : l;
    plan::Expr& interval = IsInterval(lt) ? l : r;
    plan::Expr ts = AsTimestamp(std::move(base));
    SqlType result = ExprType(ts);
    return FunctionExpr(op == "+" ? "timestamp_pl_iv" : "timestamp_mi_iv", result, {std::move(ts), std::move(interval)});
  }
  // time|timetz +- interval, interval + time|timetz.
  if ((lt.is_time() && IsInterval(rt) && (op == "+" || op == "-")) || (IsInterval(lt) && rt.is_time() && op == "+")) {
    plan::Expr& base = IsInterval(lt) ? r : l;
    plan::Expr& interval = IsInterval(lt) ? l : r;
    SqlType result = ExprType(base);
    return FunctionExpr(op == "+" ? "time_pl_iv" : "time_mi_iv", result, {std::move(base), std::move(interval)});
  }
  if (op == "-" && lt.is_time() && rt.is_time()) {
    SqlType common = lt.id == rt.id ? lt : SqlType::TimeTz();
    if (common.id == TypeId::kTimeTz) NoOperator(op, lt, rt, location);  // PostgreSQL has no timetz - timetz
    return FunctionExpr("time_mi_time", iv, {std::move(l), std::move(r)});
  }
  // date + time (either order) -> timestamp; date + timetz -> timestamptz; date - time.
  if ((op == "+" && ((lt.id == TypeId::kDate && rt.is_time()) || (lt.is_time() && rt.id == TypeId::kDate))) ||
      (op == "-" && lt.id == TypeId::kDate && rt.id == TypeId::kTime)) {
    plan::Expr& date = lt.id == TypeId::kDate ? l : r;
    plan::Expr& time = lt.id == TypeId::kDate ? r : l;
    SqlType result = ExprType(time).id == TypeId::kTimeTz ? SqlType::TimestampTz() : SqlType::Timestamp();
    if (op == "-") {
      return FunctionExpr("timestamp_mi_iv", result, {AsTimestamp(std::move(date)), CoerceTo(std::move(time), iv)});
    }
    return FunctionExpr("date_pl_time", result, {std::move(date), std::move(time)});
  }
  NoOperator(op, lt, rt, location);
}

std::optional<FunctionSignature> ResolveIntervalFunction(const std::string& name, const std::vector<SqlType>& t) {
  const SqlType iv = SqlType::Interval();
  auto timestamp_arg = [](const SqlType& x) {
    return x.id == TypeId::kTimestampTz ? x : SqlType::Timestamp();
  };
  auto fits = [](const SqlType& x) { return x.is_temporal() || x.is_string() || x.id == TypeId::kNull; };
  if (name == "age") {
    if (t.size() == 1 && fits(t[0])) return FunctionSignature{iv, {timestamp_arg(t[0])}};
    if (t.size() == 2 && fits(t[0]) && fits(t[1])) {
      SqlType ts = t[0].id == TypeId::kTimestampTz && t[1].id == TypeId::kTimestampTz ? t[0] : SqlType::Timestamp();
      return FunctionSignature{iv, {ts, ts}};
    }
    return std::nullopt;
  }
  if (name == "justify_days" || name == "justify_hours" || name == "justify_interval") {
    const bool fits_interval = t.size() == 1 && (t[0].id == TypeId::kInterval || t[0].id == TypeId::kTime ||
                                                 t[0].is_string() || t[0].id == TypeId::kNull);
    if (!fits_interval) return std::nullopt;
    return FunctionSignature{iv, {iv}};
  }
  return std::nullopt;
}

}  // namespace strata
