// Signatures of date_trunc, dateadd, datediff, add_months, last_day, months_between, trunc and
// to_char, and per-row interval arithmetic; see planner/datetime_functions.h.
#include "planner/datetime_functions.h"

#include "planner/datepart_words.h"
#include "planner/expr_builder.h"
#include "sql/error.h"
#include "sql/time_zones.h"

namespace strata {

namespace {

bool IsNullType(const SqlType& t) { return t.id == TypeId::kNull; }
bool IsIntArg(const SqlType& t) { return t.is_integer() || IsNullType(t); }
bool IsPartArg(const SqlType& t) { return t.is_string() || IsNullType(t); }
// A date or timestamp, or a string read as one.
bool IsTemporalArg(const SqlType& t) { return t.is_temporal() || t.is_string() || IsNullType(t); }

SqlType TimestampOf(const SqlType& t) { return t.id == TypeId::kTimestampTz ? t : SqlType::Timestamp(); }

[[noreturn]] void NoSuchFunction(const std::string& name, const std::vector<SqlType>& types) {
  std::string sig = name + "(";
  for (size_t i = 0; i < types.size(); ++i) sig += (i > 0 ? ", " : "") + types[i].ToString();
  throw SqlError(sqlstate::kUndefinedFunction, "function " + sig + ") does not exist")
      .WithHint("No function matches the given name and argument types. You might need to add explicit type casts.");
}

// Checks the constant unit (PostgreSQL 15: a word that is no unit, or a field such as dow or
// epoch, is 22023 "not recognized"; the time zone units are 0A000 "not supported") of argument 0 for a function over `source` values.
void CheckUnit(const std::string& name, const plan::Expr* arg, const SqlType& source) {
  const plan::Expr* e = arg;
  while (e != nullptr && e->has_call() && e->call().op() == plan::CAST && e->call().args_size() == 1) {
    e = &e->call().args(0);
  }
  if (e == nullptr || e->has_param()) return;  // a parameter at prepare time: checked when bound
  if (!e->has_literal()) {
    STRATA_USER_ERROR(sqlstate::kFeatureNotSupported, "the date part of ", name, " must be a constant");
  }
  if (e->literal().is_null()) return;
  const std::string& text = e->literal().str();
  DatePart part = ParseDatePart(text);
  if (!IsCalendarPart(part) && part < DatePart::kTimezone) {
    STRATA_USER_ERROR(sqlstate::kInvalidParameterValue, "unit \"", text, "\" not recognized for type ",
                      source.ToString());
  }
  if (!IsCalendarPart(part)) {
    STRATA_USER_ERROR(sqlstate::kFeatureNotSupported, "unit \"", text, "\" not supported for type ",
                      source.ToString());
  }
}

// The fraction places of a to_number template: its digit positions after the decimal point.
int NumberFormatScale(const std::string& format) {
  int places = 0;
  bool point = false;
  for (size_t i = 0; i < format.size(); ++i) {
    char c = format[i];
    if (c == '"') {  // quoted text
      size_t end = format.find('"', i + 1);
      if (end == std::string::npos) break;
      i = end;
    } else if (c == '.' || c == 'D' || c == 'd') {
      point = true;
    } else if ((c == '9' || c == '0') && point) {
      ++places;
    }
  }
  return std::min(places, kMaxDecimalPrecision);
}

}  // namespace

bool TakesDatePartWord(const std::string& f) {
  return f == "date_part" || f == "date_trunc" || f == "dateadd" || f == "datediff";
}

std::optional<std::string> DatePartWord(const ast::Expr& e) {
  if (e.kind != ast::ExprKind::kColumnRef || e.names.size() != 1) return std::nullopt;
  if (ParseDatePart(e.names[0]) == DatePart::kUnknown) return std::nullopt;
  return e.names[0];
}

std::optional<FunctionSignature> ResolveDatetimeFunction(const std::string& name, const std::vector<SqlType>& t,
                                                         const std::vector<const plan::Expr*>& args) {
  const size_t n = t.size();
  auto arg = [&](size_t i) -> const plan::Expr* { return i < args.size() ? args[i] : nullptr; };
  const SqlType text = SqlType::Text(), int64 = SqlType::Int64();
  if (name == "date_trunc" && n == 2 && t[1].id == TypeId::kInterval) {
    if (!IsPartArg(t[0])) NoSuchFunction(name, t);
    CheckUnit(name, arg(0), t[1]);
    const plan::Expr* unit = arg(0);
    while (unit != nullptr && unit->has_call() && unit->call().op() == plan::CAST && unit->call().args_size() == 1) {
      unit = &unit->call().args(0);
    }
    if (unit != nullptr && unit->has_literal() && !unit->literal().is_null() && ParseDatePart(unit->literal().str()) == DatePart::kWeek) {
      throw SqlError(sqlstate::kFeatureNotSupported, "unit \"" + unit->literal().str() + "\" not supported for type interval")
          .WithDetail("Months usually have fractional weeks.");
    }
    return FunctionSignature{t[1], {text, t[1]}};
  }
  if (name == "date_trunc") {
    if (n != 2 || !IsPartArg(t[0]) || !IsTemporalArg(t[1])) NoSuchFunction(name, t);
    SqlType ts = TimestampOf(t[1]);
    CheckUnit(name, arg(0), ts);
    return FunctionSignature{ts, {text, ts}};
  }
  if (name == "dateadd") {
    if (n != 3 || !IsPartArg(t[0]) || !IsIntArg(t[1]) || !IsTemporalArg(t[2])) NoSuchFunction(name, t);
    SqlType ts = TimestampOf(t[2]);
    CheckUnit(name, arg(0), ts);
    return FunctionSignature{ts, {text, int64, ts}};
  }
  if (name == "datediff") {
    if (n != 3 || !IsPartArg(t[0]) || !IsTemporalArg(t[1]) || !IsTemporalArg(t[2])) NoSuchFunction(name, t);
    SqlType ts = t[1].id == TypeId::kTimestampTz && t[2].id == TypeId::kTimestampTz ? t[1] : SqlType::Timestamp();
    CheckUnit(name, arg(0), ts);
    return FunctionSignature{int64, {text, ts, ts}};
  }
  if (name == "add_months") {
    if (n != 2 || !IsTemporalArg(t[0]) || !IsIntArg(t[1])) NoSuchFunction(name, t);
    SqlType ts = TimestampOf(t[0]);
    return FunctionSignature{ts, {ts, int64}};
  }
  if (name == "last_day") {
    if (n != 1 || !IsTemporalArg(t[0])) NoSuchFunction(name, t);
    return FunctionSignature{SqlType::Date(), {SqlType::Date()}};
  }
  if (name == "months_between") {
    if (n != 2 || !IsTemporalArg(t[0]) || !IsTemporalArg(t[1])) NoSuchFunction(name, t);
    return FunctionSignature{SqlType::Float64(), {SqlType::Date(), SqlType::Date()}};
  }
  if (name == "trunc") {
    if (n != 1 || !(t[0].is_temporal() || IsNullType(t[0]))) return std::nullopt;  // trunc(number) is not ours
    return FunctionSignature{SqlType::Date(), {SqlType::Timestamp()}};
  }
  if (name == "to_date" || name == "to_timestamp") {
    // to_timestamp(text, format) is TIMESTAMPTZ, as in PostgreSQL and Redshift (the session is UTC).
    if (n != 2 || !IsPartArg(t[0]) || !IsPartArg(t[1])) return std::nullopt;
    return FunctionSignature{name == "to_date" ? SqlType::Date() : SqlType::TimestampTz(), {text, text}};
  }
  if (name == "to_number") {
    // A DECIMAL(38, s) with the constant template's s fraction places (executor/to_char_number.h);
    // PostgreSQL's NUMERIC keeps as many places as the input gives.
    if (n != 2 || !IsPartArg(t[0]) || !IsPartArg(t[1])) NoSuchFunction(name, t);
    const plan::Expr* f = arg(1) != nullptr ? &WithoutCasts(*arg(1)) : nullptr;
    if (f == nullptr || !f->has_literal()) STRATA_USER_ERROR(sqlstate::kFeatureNotSupported, "the format of to_number must be a constant");
    int scale = f->literal().is_null() ? 0 : NumberFormatScale(f->literal().str());
    return FunctionSignature{SqlType::Decimal(kMaxDecimalPrecision, scale), {text, text}};
  }
  if (name == "timezone" || name == "convert_timezone") {
    // timezone(zone, ts) is AT TIME ZONE: TIMESTAMP <-> TIMESTAMPTZ; CONVERT_TIMEZONE([source,]
    // target, ts) is Redshift's, TIMESTAMP in and out (sql/time_zones.h). A constant zone that
    // names no zone is 22023 here, before anything runs.
    size_t zones = n - 1;
    bool ok = name == "timezone" ? n == 2 : (n == 2 || n == 3);
    for (size_t k = 0; ok && k < zones; ++k) ok = IsPartArg(t[k]);
    if (!ok || !IsTemporalArg(t[zones]) || (t[zones].id == TypeId::kDate && name == "timezone")) NoSuchFunction(name, t);
    for (size_t k = 0; k < zones; ++k) {
      const plan::Expr* z = arg(k) != nullptr ? &WithoutCasts(*arg(k)) : nullptr;
      if (z != nullptr && z->has_literal() && !z->literal().is_null()) TimeZone::Named(z->literal().str());
    }
    std::vector<SqlType> params(zones, text);
    if (name == "convert_timezone") {
      params.push_back(SqlType::Timestamp());
      return FunctionSignature{SqlType::Timestamp(), params};
    }
    // A string is read as a TIMESTAMP, as Redshift documents (TIMEZONE('PST', '2008-06-17
    // 09:44:54') is 17:44:54+00); PostgreSQL would read it as a TIMESTAMPTZ.
    bool instant = t[1].id == TypeId::kTimestampTz;
    params.push_back(instant ? SqlType::TimestampTz() : SqlType::Timestamp());
    return FunctionSignature{instant ? SqlType::Timestamp() : SqlType::TimestampTz(), params};
  }
  if (name == "to_char") {
    if (n != 2 || !IsPartArg(t[1])) NoSuchFunction(name, t);
    if (t[0].is_float()) return FunctionSignature{text, {SqlType::Float64(), text}};
    if (t[0].is_numeric()) {  // integers and decimals, exactly (executor/to_char_number.h)
      return FunctionSignature{text, {SqlType::Decimal(kMaxDecimalPrecision, t[0].id == TypeId::kDecimal ? t[0].scale : 0), text}};
    }
    if (!(t[0].is_temporal() || IsNullType(t[0]))) NoSuchFunction(name, t);
    return FunctionSignature{text, {TimestampOf(t[0]), text}};
  }
  return std::nullopt;
}

plan::Expr BindIntervalArithmetic(plan::Expr base, const IntervalValue& iv, int sign) {
  SqlType bt = ExprType(base);
  SqlType result = bt.id == TypeId::kTimestampTz ? bt
                   : bt.id == TypeId::kDate && iv.micros == 0 ? SqlType::Date()
                                                              : SqlType::Timestamp();
  std::vector<plan::Expr> args;
  args.push_back(std::move(base));
  args.push_back(Int64Literal(int64_t(sign) * iv.months, SqlType::Int64()));
  args.push_back(Int64Literal(int64_t(sign) * iv.days, SqlType::Int64()));
  args.push_back(Int64Literal(int64_t(sign) * iv.micros, SqlType::Int64()));
  return FunctionExpr("timestamp_pl_interval", result, std::move(args));
}

}  // namespace strata
