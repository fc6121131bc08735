// See redshift_functions.h.
#include "planner/redshift_functions.h"

#include <set>

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
  return std::nullopt;
}

}  // namespace strata
