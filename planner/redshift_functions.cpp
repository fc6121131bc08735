// See redshift_functions.h.
#include "planner/redshift_functions.h"

#include <cctype>
#include <set>
#include <string_view>

#include "planner/expr_binder.h"
#include "planner/expr_builder.h"
#include "sql/error.h"

namespace strata {

std::string RedshiftSynonym(const std::string& name) {
  if (name == "replicate") return "repeat";
  if (name == "textlen") return "length";
  return name;
}

namespace {

bool IsComparisonFunction(const std::string& f) {
  static const std::set<std::string> kNames = {
      "date_cmp", "date_cmp_timestamp", "date_cmp_timestamptz", "timestamp_cmp", "timestamp_cmp_date",
      "timestamp_cmp_timestamptz", "timestamptz_cmp", "timestamptz_cmp_date", "timestamptz_cmp_timestamp",
      "interval_cmp", "bpcharcmp", "bttext_pattern_cmp"};
  return kNames.count(f) > 0;
}

// CASE WHEN a < b THEN -1 WHEN a > b THEN 1 WHEN a = b THEN 0 END (NULL when either is NULL).
plan::Expr CompareAsInteger(std::vector<plan::Expr>& args, const std::string& name, int location) {
  std::vector<plan::Expr*> ptrs = {&args[0], &args[1]};
  UnifyTypes(ptrs, name.c_str(), location);
  auto cmp = [&](plan::Op op) { return CallExpr(op, SqlType::Bool(), {args[0], args[1]}); };
  std::vector<plan::Expr> parts;
  parts.push_back(cmp(plan::LT));
  parts.push_back(Int64Literal(-1, SqlType::Int32()));
  parts.push_back(cmp(plan::GT));
  parts.push_back(Int64Literal(1, SqlType::Int32()));
  parts.push_back(cmp(plan::EQ));
  parts.push_back(Int64Literal(0, SqlType::Int32()));
  parts.push_back(NullLiteral(SqlType::Int32()));
  return CallExpr(plan::CASE, SqlType::Int32(), std::move(parts));
}

// NEXT_DAY(date, day): the first date after `date` that is a `day` ('Monday', 'Mon', 'Mo',
// 'M', ... : any beginning of a day's English name that fits only one day, in any case), as
// date + ((day - dow(date) + 6) % 7 + 1). The day must be a constant.
plan::Expr NextDay(std::vector<plan::Expr>& args, int location) {
  SqlType t = ExprType(args[0]);
  if (!t.is_temporal() && !t.is_string() && t.id != TypeId::kNull) {
    throw SqlError(sqlstate::kUndefinedFunction, StrCat("function next_day(", t.ToString(), ", ...) does not exist"), location + 1);
  }
  const plan::Expr* day = &WithoutCasts(args[1]);
  if (!day->has_literal()) FailAt(sqlstate::kFeatureNotSupported, "the day of NEXT_DAY must be a constant", location);
  if (day->literal().is_null()) return NullLiteral(SqlType::Date());
  static const char* const kDays[] = {"sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"};
  std::string word;
  for (char c : day->literal().str()) {
    if (c != ' ') word.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  int found = -1;
  for (int d = 0; d < 7 && !word.empty(); ++d) {
    if (std::string_view(kDays[d]).substr(0, word.size()) != word) continue;
    if (found >= 0) FailAt(sqlstate::kInvalidParameterValue, StrCat("invalid day name \"", day->literal().str(), "\" for NEXT_DAY"), location);
    found = d;
  }
  if (found < 0) FailAt(sqlstate::kInvalidParameterValue, StrCat("invalid day name \"", day->literal().str(), "\" for NEXT_DAY"), location);
  plan::Expr date = t.id == TypeId::kDate ? std::move(args[0]) : CastExpr(std::move(args[0]), SqlType::Date());
  plan::Expr dow = CastExpr(FunctionExpr("date_part", SqlType::Float64(),
                                         {StringLiteral("dow", SqlType::Text()), CastExpr(date, SqlType::Timestamp())}),
                            SqlType::Int32());
  plan::Expr diff = CallExpr(plan::SUB, SqlType::Int32(), {Int64Literal(found + 6, SqlType::Int32()), std::move(dow)});
  plan::Expr step = CallExpr(plan::ADD, SqlType::Int32(),
                             {CallExpr(plan::MOD, SqlType::Int32(), {std::move(diff), Int64Literal(7, SqlType::Int32())}),
                              Int64Literal(1, SqlType::Int32())});
  return CallExpr(plan::ADD, SqlType::Date(), {std::move(date), std::move(step)});
}

}  // namespace

std::optional<plan::Expr> BindRedshiftExpression(const std::string& name, std::vector<plan::Expr>& args, int location) {
  if (IsComparisonFunction(name)) {
    if (args.size() != 2) {
      throw SqlError(sqlstate::kUndefinedFunction, StrCat("function ", name, " takes two arguments"), location + 1);
    }
    return CompareAsInteger(args, name, location);
  }
  if (name == "date_part_year" && args.size() == 1) {  // the year of a date, as an integer
    SqlType t = ExprType(args[0]);
    if (!t.is_temporal() && t.id != TypeId::kNull) return std::nullopt;
    plan::Expr year = FunctionExpr("date_part", SqlType::Float64(),
                                   {StringLiteral("year", SqlType::Text()), CoerceTo(std::move(args[0]), SqlType::Timestamp())});
    return CastExpr(std::move(year), SqlType::Int32());
  }
  if (name == "bit_length" && args.size() == 1) {
    SqlType t = ExprType(args[0]);
    if (!t.is_string() && t.id != TypeId::kNull) return std::nullopt;
    plan::Expr bytes = FunctionExpr("octet_length", SqlType::Int32(), {CoerceTo(std::move(args[0]), SqlType::Text())});
    return CallExpr(plan::MUL, SqlType::Int32(), {std::move(bytes), Int64Literal(8, SqlType::Int32())});
  }
  if (name == "next_day" && args.size() == 2) return NextDay(args, location);
  if (name == "octetindex" && args.size() == 2) {
    // The byte position of args[0] in args[1] (1-based; 0 when absent): the bytes before the
    // character position strpos finds, plus one.
    for (auto& a : args) {
      SqlType t = ExprType(a);
      if (!t.is_string() && t.id != TypeId::kNull) return std::nullopt;
      a = CoerceTo(std::move(a), SqlType::Text());
    }
    plan::Expr at = FunctionExpr("strpos", SqlType::Int32(), {args[1], args[0]});
    plan::Expr before = FunctionExpr(
        "substring", SqlType::Text(),
        {args[1], Int64Literal(1, SqlType::Int32()), CallExpr(plan::SUB, SqlType::Int32(), {at, Int64Literal(1, SqlType::Int32())})});
    plan::Expr bytes = CallExpr(plan::ADD, SqlType::Int32(),
                                {FunctionExpr("octet_length", SqlType::Int32(), {std::move(before)}), Int64Literal(1, SqlType::Int32())});
    std::vector<plan::Expr> parts;
    parts.push_back(CallExpr(plan::EQ, SqlType::Bool(), {at, Int64Literal(0, SqlType::Int32())}));
    parts.push_back(Int64Literal(0, SqlType::Int32()));
    parts.push_back(std::move(bytes));
    return CallExpr(plan::CASE, SqlType::Int32(), std::move(parts));
  }
  return std::nullopt;
}

}  // namespace strata
