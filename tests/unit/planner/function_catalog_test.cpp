// Tests of the scalar function catalog (planner/function_catalog.h): result and argument types
// per function, the 42883 error text, and decimal arithmetic result types.
#include <gtest/gtest.h>

#include "planner/function_catalog.h"
#include "sql/error.h"

namespace strata {
namespace {

const SqlType kInt = SqlType::Int32();

plan::Expr IntLiteral(int64_t v) {
  plan::Expr e;
  e.mutable_type()->set_id(int(TypeId::kInt32));
  e.mutable_literal()->set_i64(v);
  return e;
}

plan::Expr TextLiteral(const std::string& s) {
  plan::Expr e;
  e.mutable_type()->set_id(int(TypeId::kText));
  e.mutable_type()->set_length(-1);
  e.mutable_literal()->set_str(s);
  return e;
}

plan::Expr ColumnRef(int i, TypeId id) {
  plan::Expr e;
  e.mutable_type()->set_id(int(id));
  e.set_column(i);
  return e;
}

void ExpectNoFunction(const std::string& name, const std::vector<SqlType>& args, const std::string& message) {
  try {
    ResolveFunction(name, args);
    ADD_FAILURE() << "expected 42883 for " << name;
  } catch (const SqlError& e) {
    EXPECT_EQ(e.sqlstate(), "42883");
    EXPECT_EQ(e.message(), message);
  }
}

TEST(DecimalResultTypeTest, PostgresScaleRules) {
  SqlType a = SqlType::Decimal(5, 2), b = SqlType::Decimal(6, 3);
  EXPECT_EQ(DecimalResultType(plan::ADD, a, b), SqlType::Decimal(7, 3));
  EXPECT_EQ(DecimalResultType(plan::SUB, a, b), SqlType::Decimal(7, 3));
  EXPECT_EQ(DecimalResultType(plan::MUL, a, b), SqlType::Decimal(11, 5));
  EXPECT_EQ(DecimalResultType(plan::MOD, a, SqlType::Decimal(3, 0)), SqlType::Decimal(5, 2));
  // Division: at least 16 fractional digits, room for (p1-s1)+s2 integer digits.
  EXPECT_EQ(DecimalResultType(plan::DIV, SqlType::Decimal(10, 2), SqlType::Decimal(10, 2)), SqlType::Decimal(26, 16));
  EXPECT_EQ(DecimalResultType(plan::DIV, SqlType::Decimal(20, 18), SqlType::Decimal(5, 0)), SqlType::Decimal(20, 18));
  // Capped at 38 digits: the scale gives way to integer digits, but not below max(s1, s2).
  EXPECT_EQ(DecimalResultType(plan::DIV, SqlType::Decimal(38, 2), SqlType::Decimal(19, 0)), SqlType::Decimal(38, 2));
  EXPECT_EQ(DecimalResultType(plan::ADD, SqlType::Decimal(38, 0), SqlType::Decimal(38, 0)), SqlType::Decimal(38, 0));
  EXPECT_EQ(DecimalResultType(plan::MUL, SqlType::Decimal(30, 20), SqlType::Decimal(30, 20)), SqlType::Decimal(38, 38));
  // Integers act as decimal(5|10|19, 0).
  EXPECT_EQ(DecimalResultType(plan::ADD, kInt, a), SqlType::Decimal(13, 2));
  EXPECT_EQ(DecimalResultType(plan::MUL, SqlType::Int16(), a), SqlType::Decimal(10, 2));
}

TEST(FunctionCatalogTest, StringFunctions) {
  FunctionSignature s = ResolveFunction("lower", {SqlType::Varchar(5)});
  EXPECT_EQ(s.result, SqlType::Text());
  EXPECT_EQ(s.arg_types, std::vector<SqlType>{SqlType::Text()});
  s = ResolveFunction("length", {SqlType::Char(3)});
  EXPECT_EQ(s.result, kInt);
  EXPECT_EQ(s.arg_types[0], SqlType::Char(3));  // bpchar length ignores padding
  EXPECT_EQ(ResolveFunction("char_length", {SqlType::Text()}).result, kInt);
  EXPECT_EQ(ResolveFunction("octet_length", {SqlType::Varchar(3)}).arg_types[0], SqlType::Text());
  s = ResolveFunction("substring", {SqlType::Varchar(9), SqlType::Int16(), kInt});
  EXPECT_EQ(s.result, SqlType::Text());
  EXPECT_EQ(s.arg_types, (std::vector<SqlType>{SqlType::Text(), kInt, kInt}));
  EXPECT_EQ(ResolveFunction("substr", {SqlType::Text(), kInt}).arg_types.size(), 2u);
  EXPECT_EQ(ResolveFunction("btrim", {SqlType::Null()}).result, SqlType::Text());
}

TEST(FunctionCatalogTest, NumericFunctions) {
  EXPECT_EQ(ResolveFunction("abs", {SqlType::Int16()}).result, SqlType::Int16());
  EXPECT_EQ(ResolveFunction("abs", {SqlType::Decimal(7, 3)}).result, SqlType::Decimal(7, 3));
  EXPECT_EQ(ResolveFunction("round", {SqlType::Decimal(5, 2)}).result, SqlType::Decimal(4, 0));
  EXPECT_EQ(ResolveFunction("round", {kInt}).result, SqlType::Float64());  // PostgreSQL: dround
  EXPECT_EQ(ResolveFunction("round", {SqlType::Float32()}).result, SqlType::Float64());
  plan::Expr x = ColumnRef(0, TypeId::kDecimal), three = IntLiteral(3), minus = IntLiteral(-2), col = ColumnRef(1, TypeId::kInt32);
  FunctionSignature r = ResolveFunction("round", {SqlType::Decimal(5, 2), kInt}, {&x, &three});
  EXPECT_EQ(r.result, SqlType::Decimal(7, 3));  // round(1.50, 3) prints 1.500
  EXPECT_EQ(r.arg_types, (std::vector<SqlType>{SqlType::Decimal(5, 2), kInt}));
  EXPECT_EQ(ResolveFunction("round", {SqlType::Decimal(5, 1), kInt}, {&x, &minus}).result, SqlType::Decimal(5, 0));
  EXPECT_EQ(ResolveFunction("round", {SqlType::Decimal(5, 2), kInt}, {&x, &col}).result, SqlType::Decimal(6, 2));
  EXPECT_EQ(ResolveFunction("round", {kInt, kInt}, {&x, &three}).arg_types[0], SqlType::Decimal(10, 0));
  EXPECT_EQ(ResolveFunction("floor", {SqlType::Decimal(5, 2)}).result, SqlType::Decimal(4, 0));
  EXPECT_EQ(ResolveFunction("ceil", {kInt}).result, SqlType::Float64());
  EXPECT_EQ(ResolveFunction("ceiling", {SqlType::Float64()}).result, SqlType::Float64());
  EXPECT_EQ(ResolveFunction("mod", {SqlType::Int16(), kInt}).result, kInt);
  FunctionSignature m = ResolveFunction("mod", {kInt, SqlType::Decimal(5, 2)});
  EXPECT_EQ(m.result, SqlType::Decimal(5, 2));
  EXPECT_EQ(m.arg_types, (std::vector<SqlType>{SqlType::Decimal(10, 0), SqlType::Decimal(5, 2)}));
}

TEST(FunctionCatalogTest, CommonTypeFunctions) {
  FunctionSignature n = ResolveFunction("nullif", {kInt, SqlType::Decimal(3, 1)});
  EXPECT_EQ(n.result.id, TypeId::kDecimal);
  EXPECT_EQ(n.arg_types[0], n.result);
  EXPECT_EQ(ResolveFunction("greatest", {kInt, SqlType::Float64(), SqlType::Int16()}).result, SqlType::Float64());
  EXPECT_EQ(ResolveFunction("least", {SqlType::Int16(), SqlType::Int64()}).result, SqlType::Int64());
  EXPECT_EQ(ResolveFunction("greatest", {SqlType::Null(), SqlType::Date()}).result, SqlType::Date());
}

TEST(FunctionCatalogTest, DatePartAndExtract) {
  FunctionSignature d = ResolveFunction("date_part", {SqlType::Text(), SqlType::Date()});
  EXPECT_EQ(d.result, SqlType::Float64());
  EXPECT_EQ(d.arg_types[1], SqlType::Timestamp());
  plan::Expr second = TextLiteral("Second"), epoch = TextLiteral("epoch"), year = TextLiteral("year");
  plan::Expr src = ColumnRef(0, TypeId::kTimestamp), field_col = ColumnRef(1, TypeId::kText);
  std::vector<SqlType> ts_args = {SqlType::Text(), SqlType::Timestamp()};
  std::vector<SqlType> date_args = {SqlType::Text(), SqlType::Date()};
  EXPECT_EQ(ResolveFunction("extract", ts_args, {&second, &src}).result, SqlType::Decimal(8, 6));
  EXPECT_EQ(ResolveFunction("extract", ts_args, {&epoch, &src}).result, SqlType::Decimal(18, 6));
  EXPECT_EQ(ResolveFunction("extract", date_args, {&epoch, &src}).result, SqlType::Decimal(18, 0));
  EXPECT_EQ(ResolveFunction("extract", date_args, {&year, &src}).result, SqlType::Decimal(18, 0));
  EXPECT_EQ(ResolveFunction("extract", date_args, {&year, &src}).arg_types[1], SqlType::Date());
  EXPECT_EQ(ResolveFunction("extract", ts_args, {&field_col, &src}).result, SqlType::Decimal(18, 6));
}

TEST(FunctionCatalogTest, UnknownFunctionsAndBadArguments) {
  ExpectNoFunction("foo", {kInt}, "function foo(integer) does not exist");
  ExpectNoFunction("foo", {SqlType::Decimal(5, 2), SqlType::Varchar(3)}, "function foo(numeric, character varying) does not exist");
  ExpectNoFunction("lower", {kInt}, "function lower(integer) does not exist");
  ExpectNoFunction("round", {SqlType::Text()}, "function round(text) does not exist");
  ExpectNoFunction("mod", {SqlType::Float64(), kInt}, "function mod(double precision, integer) does not exist");
  ExpectNoFunction("substring", {SqlType::Text()}, "function substring(text) does not exist");
  ExpectNoFunction("date_part", {SqlType::Text(), kInt}, "function date_part(text, integer) does not exist");
  ExpectNoFunction("nullif", {kInt}, "function nullif(integer) does not exist");
  ExpectNoFunction("greatest", {kInt, SqlType::Text()}, "function greatest(integer, text) does not exist");
}

}  // namespace
}  // namespace strata
