// Tests of vectorized expression evaluation (executor/expression.h): every operator family over
// its types, NULL handling, PostgreSQL's error codes, lazy CASE/COALESCE/AND, LIKE shapes,
// casts with rounding and overflow. Expected decimal and function results were checked
// against PostgreSQL 15.
#include <gtest/gtest.h>

#include <cmath>
#include <optional>

#include "executor/expr_decimal.h"
#include "executor/expression.h"
#include "planner/function_catalog.h"
#include "sql/error.h"
#include "sql/value_text.h"

namespace strata {
namespace {

const SqlType kInt = SqlType::Int32();
const SqlType kText = SqlType::Text();
const SqlType kBool = SqlType::Bool();

plan::Expr Col(int i, SqlType t) {
  plan::Expr e;
  *e.mutable_type() = ToProtoType(t);
  e.set_column(i);
  return e;
}

plan::Expr Lit(int64_t v, SqlType t = kInt) {
  plan::Expr e;
  *e.mutable_type() = ToProtoType(t);
  e.mutable_literal()->set_i64(v);
  return e;
}

plan::Expr DecLit(int64_t unscaled, int p, int s) { return Lit(unscaled, SqlType::Decimal(p, s)); }

plan::Expr FLit(double v, SqlType t = SqlType::Float64()) {
  plan::Expr e;
  *e.mutable_type() = ToProtoType(t);
  e.mutable_literal()->set_f64(v);
  return e;
}

plan::Expr SLit(const std::string& s, SqlType t = kText) {
  plan::Expr e;
  *e.mutable_type() = ToProtoType(t);
  e.mutable_literal()->set_str(s);
  return e;
}

plan::Expr Null(SqlType t) {
  plan::Expr e;
  *e.mutable_type() = ToProtoType(t);
  e.mutable_literal()->set_is_null(true);
  return e;
}

plan::Expr Call(plan::Op op, SqlType t, std::vector<plan::Expr> args) {
  plan::Expr e;
  *e.mutable_type() = ToProtoType(t);
  e.mutable_call()->set_op(op);
  for (auto& a : args) *e.mutable_call()->add_args() = std::move(a);
  return e;
}

plan::Expr Fn(const std::string& name, SqlType t, std::vector<plan::Expr> args) {
  plan::Expr e = Call(plan::FUNCTION, t, std::move(args));
  e.mutable_call()->set_function(name);
  return e;
}

plan::Expr Cast(plan::Expr a, SqlType t) { return Call(plan::CAST, t, {std::move(a)}); }

// A column from text values (nullopt = NULL), parsed as PostgreSQL input.
Vector Column(SqlType t, std::vector<std::optional<std::string>> values) {
  Vector v(t, values.size());
  for (size_t i = 0; i < values.size(); ++i) {
    if (values[i]) ParseValueText(*values[i], &v, i);
    else v.SetNull(i, true);
  }
  return v;
}

Batch MakeBatch(std::vector<Vector> cols) {
  Batch b;
  b.rows = cols.empty() ? 1 : cols[0].size();
  b.columns = std::move(cols);
  return b;
}

std::vector<std::string> Texts(const Vector& v) {
  std::vector<std::string> out;
  for (size_t i = 0; i < v.size(); ++i) out.push_back(v.IsNull(i) ? "NULL" : ValueText(v, i));
  return out;
}

std::vector<std::string> Eval(const plan::Expr& e, const Batch& b) {
  ExpressionEvaluator ev(e);
  Vector out;
  ev.Evaluate(b, &out);
  EXPECT_EQ(out.size(), b.rows);
  EXPECT_EQ(out.type(), ev.type());
  return Texts(out);
}

std::string Eval1(const plan::Expr& e) {
  Vector v = EvaluateConstant(e);
  return v.IsNull(0) ? "NULL" : ValueText(v, 0);
}

// Expects evaluation to fail with `state` and a message containing `text`.
void ExpectError(const plan::Expr& e, const Batch& b, const std::string& state, const std::string& text) {
  try {
    ExpressionEvaluator ev(e);
    Vector out;
    ev.Evaluate(b, &out);
    ADD_FAILURE() << "expected error " << state << " " << text;
  } catch (const SqlError& err) {
    EXPECT_EQ(err.sqlstate(), state) << err.message();
    EXPECT_NE(err.message().find(text), std::string::npos) << err.message();
  }
}

void ExpectError1(const plan::Expr& e, const std::string& state, const std::string& text) {
  ExpectError(e, MakeBatch({}), state, text);
}

using V = std::vector<std::string>;

// ---- integers ----

// A plan that reads a column as another physical type (a planner bug) is an internal error, not
// a read of integers as string views.
TEST(ExpressionColumnTest, ReadingAColumnAsAnotherPhysicalTypeIsAnInternalError) {
  Batch b = MakeBatch({Column(kInt, {"1", "2"})});
  ExpectError(Col(0, kText), b, "XX000", "column 0 is integer in the batch but text in the plan");
  ExpectError(Col(1, kInt), b, "XX000", "out of range");
  EXPECT_EQ(Eval(Col(0, kInt), b), (V{"1", "2"}));
}

TEST(ExpressionIntTest, ArithmeticTruncatesAndPropagatesNull) {
  Batch b = MakeBatch({Column(kInt, {"-7", "7", std::nullopt, "9"}), Column(kInt, {"2", "-2", "3", std::nullopt})});
  EXPECT_EQ(Eval(Call(plan::ADD, kInt, {Col(0, kInt), Col(1, kInt)}), b), (V{"-5", "5", "NULL", "NULL"}));
  EXPECT_EQ(Eval(Call(plan::SUB, kInt, {Col(0, kInt), Col(1, kInt)}), b), (V{"-9", "9", "NULL", "NULL"}));
  EXPECT_EQ(Eval(Call(plan::MUL, kInt, {Col(0, kInt), Col(1, kInt)}), b), (V{"-14", "-14", "NULL", "NULL"}));
  EXPECT_EQ(Eval(Call(plan::DIV, kInt, {Col(0, kInt), Col(1, kInt)}), b), (V{"-3", "-3", "NULL", "NULL"}));
  EXPECT_EQ(Eval(Call(plan::MOD, kInt, {Col(0, kInt), Col(1, kInt)}), b), (V{"-1", "1", "NULL", "NULL"}));
  EXPECT_EQ(Eval(Call(plan::NEG, kInt, {Col(0, kInt)}), b), (V{"7", "-7", "NULL", "-9"}));
}

TEST(ExpressionIntTest, OverflowMessagesPerType) {
  ExpectError1(Call(plan::ADD, SqlType::Int16(), {Lit(32767, SqlType::Int16()), Lit(1, SqlType::Int16())}), "22003",
               "smallint out of range");
  ExpectError1(Call(plan::MUL, kInt, {Lit(65536), Lit(65536)}), "22003", "integer out of range");
  ExpectError1(Call(plan::SUB, SqlType::Int64(), {Lit(INT64_MIN, SqlType::Int64()), Lit(1, SqlType::Int64())}), "22003",
               "bigint out of range");
  ExpectError1(Call(plan::DIV, kInt, {Lit(INT32_MIN), Lit(-1)}), "22003", "integer out of range");
  ExpectError1(Call(plan::NEG, SqlType::Int16(), {Lit(-32768, SqlType::Int16())}), "22003", "smallint out of range");
  EXPECT_EQ(Eval1(Call(plan::MOD, kInt, {Lit(INT32_MIN), Lit(-1)})), "0");
}

TEST(ExpressionIntTest, DivisionByZeroOnlyForNonNullRows) {
  ExpectError1(Call(plan::DIV, kInt, {Lit(1), Lit(0)}), "22012", "division by zero");
  ExpectError1(Call(plan::MOD, SqlType::Int64(), {Lit(5, SqlType::Int64()), Lit(0, SqlType::Int64())}), "22012",
               "division by zero");
  // A NULL dividend with a zero divisor is NULL, not an error.
  Batch b = MakeBatch({Column(kInt, {std::nullopt, "4"}), Column(kInt, {"0", "2"})});
  EXPECT_EQ(Eval(Call(plan::DIV, kInt, {Col(0, kInt), Col(1, kInt)}), b), (V{"NULL", "2"}));
}

// ---- floats ----

TEST(ExpressionFloatTest, IeeeArithmeticAndErrors) {
  const SqlType d = SqlType::Float64();
  EXPECT_EQ(Eval1(Call(plan::DIV, d, {FLit(1), FLit(4)})), "0.25");
  EXPECT_EQ(Eval1(Call(plan::ADD, d, {FLit(0.1), FLit(0.2)})), "0.30000000000000004");
  ExpectError1(Call(plan::DIV, d, {FLit(1), FLit(0)}), "22012", "division by zero");
  ExpectError1(Call(plan::DIV, SqlType::Float32(), {FLit(1, SqlType::Float32()), FLit(0, SqlType::Float32())}), "22012",
               "division by zero");
  ExpectError1(Call(plan::MUL, d, {FLit(1e300), FLit(1e300)}), "22003", "value out of range: overflow");
}

// ---- decimals (results from PostgreSQL 15) ----

TEST(ExpressionDecimalTest, AddSubRescaleToResultScale) {
  SqlType a = SqlType::Decimal(5, 2), b = SqlType::Decimal(6, 3);
  SqlType r = DecimalResultType(plan::ADD, a, b);
  EXPECT_EQ(r, SqlType::Decimal(7, 3));
  EXPECT_EQ(Eval1(Call(plan::ADD, r, {DecLit(150, 5, 2), DecLit(-2125, 6, 3)})), "-0.625");
  EXPECT_EQ(Eval1(Call(plan::SUB, r, {DecLit(99999, 5, 2), DecLit(-999999, 6, 3)})), "1999.989");
}

TEST(ExpressionDecimalTest, MultiplyAndDivideLikePostgres) {
  SqlType a = SqlType::Decimal(5, 2), b = SqlType::Decimal(5, 3);
  // 2.50 * 1.250 = 3.12500
  EXPECT_EQ(Eval1(Call(plan::MUL, DecimalResultType(plan::MUL, a, b), {DecLit(250, 5, 2), DecLit(1250, 5, 3)})), "3.12500");
  // 10.00 / 3.00 = 3.3333333333333333
  SqlType c = SqlType::Decimal(4, 2);
  EXPECT_EQ(Eval1(Call(plan::DIV, DecimalResultType(plan::DIV, c, c), {DecLit(1000, 4, 2), DecLit(300, 4, 2)})),
            "3.3333333333333333");
  // 123::numeric(5,0) / 7::numeric(3,0) = 17.5714285714285714
  EXPECT_EQ(Eval1(Call(plan::DIV, DecimalResultType(plan::DIV, SqlType::Decimal(5, 0), SqlType::Decimal(3, 0)),
                       {DecLit(123, 5, 0), DecLit(7, 3, 0)})),
            "17.5714285714285714");
  // Rounding of the last digit is half away from zero: 2/3 and -2/3 at scale 16.
  SqlType one = SqlType::Decimal(1, 0);
  SqlType q = DecimalResultType(plan::DIV, one, one);
  EXPECT_EQ(Eval1(Call(plan::DIV, q, {DecLit(2, 1, 0), DecLit(3, 1, 0)})), "0.6666666666666667");
  EXPECT_EQ(Eval1(Call(plan::DIV, q, {DecLit(-2, 1, 0), DecLit(3, 1, 0)})), "-0.6666666666666667");
  // Product rounded to a smaller result scale: 1.25 * 0.5 = 0.625 -> 0.63 at scale 2.
  EXPECT_EQ(Eval1(Call(plan::MUL, SqlType::Decimal(5, 2), {DecLit(125, 3, 2), DecLit(5, 2, 1)})), "0.63");
  EXPECT_EQ(Eval1(Call(plan::MUL, SqlType::Decimal(5, 2), {DecLit(-125, 3, 2), DecLit(5, 2, 1)})), "-0.63");
}

TEST(ExpressionDecimalTest, ModuloAndNegation) {
  SqlType a = SqlType::Decimal(2, 1), b = SqlType::Decimal(1, 0);
  SqlType r = DecimalResultType(plan::MOD, a, b);
  EXPECT_EQ(Eval1(Call(plan::MOD, r, {DecLit(75, 2, 1), DecLit(2, 1, 0)})), "1.5");
  EXPECT_EQ(Eval1(Call(plan::MOD, r, {DecLit(-75, 2, 1), DecLit(2, 1, 0)})), "-1.5");
  EXPECT_EQ(Eval1(Call(plan::NEG, a, {DecLit(75, 2, 1)})), "-7.5");
}

TEST(ExpressionDecimalTest, OverflowAndDivisionByZero) {
  ExpectError1(Call(plan::ADD, SqlType::Decimal(3, 1), {DecLit(999, 3, 1), DecLit(1, 3, 1)}), "22003",
               "numeric field overflow");
  ExpectError1(Call(plan::DIV, SqlType::Decimal(20, 16), {DecLit(1, 3, 1), DecLit(0, 3, 1)}), "22012", "division by zero");
  ExpectError1(Call(plan::MOD, SqlType::Decimal(3, 1), {DecLit(1, 3, 1), DecLit(0, 3, 1)}), "22012", "division by zero");
}

TEST(ExpressionDecimalTest, WideIntermediatesStayExact) {
  // 10^30 * 10^10 at scale 0 leaves int128's 38 digits: overflow at precision 38.
  SqlType big = SqlType::Decimal(38, 0);
  Batch b = MakeBatch({Column(big, {"1000000000000000000000000000000"}), Column(big, {"10000000000"})});
  ExpectError(Call(plan::MUL, big, {Col(0, big), Col(1, big)}), b, "22003", "numeric field overflow");
  // A 48-digit unscaled product, rounded back to scale 10 through the 256-bit path.
  SqlType s10 = SqlType::Decimal(38, 10);
  Batch c = MakeBatch({Column(s10, {"123456789012345678.9012345678"}), Column(s10, {"1000000000.0000000001"})});
  EXPECT_EQ(Eval(Call(plan::MUL, SqlType::Decimal(38, 10), {Col(0, s10), Col(1, s10)}), c),
            (V{"123456789012345678913580246.7012345679"}));
  // A dividend shifted left by 14 digits for a scale-16 quotient.
  SqlType d = SqlType::Decimal(22, 2);
  EXPECT_EQ(DecimalResultType(plan::DIV, d, SqlType::Decimal(1, 0)), SqlType::Decimal(36, 16));
  Batch e = MakeBatch({Column(d, {"1234567890123456789.12"}), Column(SqlType::Decimal(1, 0), {"3"})});
  EXPECT_EQ(Eval(Call(plan::DIV, SqlType::Decimal(36, 16), {Col(0, d), Col(1, SqlType::Decimal(1, 0))}), e),
            (V{"411522630041152263.0400000000000000"}));
}

TEST(DecimalHelpersTest, WideDivisionAndRounding) {
  int128 out = 0;
  ASSERT_TRUE(DivScaled(1, 3, 20, &out));
  EXPECT_EQ(FormatDecimal(out, 20), "0.33333333333333333333");
  ASSERT_TRUE(DivScaled(Pow10(37), Pow10(37), 37, &out));
  EXPECT_EQ(out, Pow10(37));
  EXPECT_FALSE(DivScaled(Pow10(37), 1, 10, &out));
  ASSERT_TRUE(MulRescale(Pow10(30), Pow10(30), 30, &out));
  EXPECT_EQ(out, Pow10(30));
  ASSERT_TRUE(RescaleDecimal(-25, -1, &out));
  EXPECT_EQ(out, -3);
  ASSERT_TRUE(RescaleDecimal(24, -1, &out));
  EXPECT_EQ(out, 2);
  EXPECT_FALSE(RescaleDecimal(Pow10(30), 10, &out));
}

// ---- comparisons ----

TEST(ExpressionCompareTest, AllOpsWithNulls) {
  Batch b = MakeBatch({Column(kInt, {"1", "2", "3", std::nullopt}), Column(kInt, {"2", "2", "2", "2"})});
  auto cmp = [&](plan::Op op) { return Eval(Call(op, kBool, {Col(0, kInt), Col(1, kInt)}), b); };
  EXPECT_EQ(cmp(plan::EQ), (V{"f", "t", "f", "NULL"}));
  EXPECT_EQ(cmp(plan::NE), (V{"t", "f", "t", "NULL"}));
  EXPECT_EQ(cmp(plan::LT), (V{"t", "f", "f", "NULL"}));
  EXPECT_EQ(cmp(plan::LE), (V{"t", "t", "f", "NULL"}));
  EXPECT_EQ(cmp(plan::GT), (V{"f", "f", "t", "NULL"}));
  EXPECT_EQ(cmp(plan::GE), (V{"f", "t", "t", "NULL"}));
}

TEST(ExpressionCompareTest, StringsCharsDecimalsFloats) {
  EXPECT_EQ(Eval1(Call(plan::GT, kBool, {SLit("x"), SLit("X")})), "t");  // C collation
  EXPECT_EQ(Eval1(Call(plan::LT, kBool, {SLit("ab"), SLit("abc")})), "t");
  EXPECT_EQ(Eval1(Call(plan::LT, kBool, {SLit("\xC3\xA9"), SLit("z")})), "f");  // bytes, unsigned
  SqlType c3 = SqlType::Char(3), c2 = SqlType::Char(2);
  EXPECT_EQ(Eval1(Call(plan::EQ, kBool, {SLit("ab ", c3), SLit("ab", c2)})), "t");
  EXPECT_EQ(Eval1(Call(plan::EQ, kBool, {SLit("ab ", kText), SLit("ab", kText)})), "f");
  EXPECT_EQ(Eval1(Call(plan::EQ, kBool, {DecLit(15, 2, 1), DecLit(150, 3, 2)})), "t");
  EXPECT_EQ(Eval1(Call(plan::LT, kBool, {DecLit(15, 2, 1), DecLit(151, 20, 2)})), "t");
  EXPECT_EQ(Eval1(Call(plan::EQ, kBool, {FLit(NAN), FLit(NAN)})), "t");
  EXPECT_EQ(Eval1(Call(plan::GT, kBool, {FLit(NAN), FLit(INFINITY)})), "t");
  EXPECT_EQ(Eval1(Call(plan::EQ, kBool, {Lit(5), Null(kInt)})), "NULL");
}

TEST(ExpressionCompareTest, InListIsNullCorrect) {
  EXPECT_EQ(Eval1(Call(plan::IN_LIST, kBool, {Lit(1), Lit(2), Null(kInt)})), "NULL");
  EXPECT_EQ(Eval1(Call(plan::IN_LIST, kBool, {Lit(1), Lit(1), Null(kInt)})), "t");
  EXPECT_EQ(Eval1(Call(plan::IN_LIST, kBool, {Lit(1), Lit(2), Lit(3)})), "f");
  EXPECT_EQ(Eval1(Call(plan::IN_LIST, kBool, {Null(kInt), Lit(2)})), "NULL");
  Batch b = MakeBatch({Column(kText, {"a", "b", "c"})});
  EXPECT_EQ(Eval(Call(plan::IN_LIST, kBool, {Col(0, kText), SLit("c"), SLit("a")}), b), (V{"t", "f", "t"}));
}

// ---- logic ----

TEST(ExpressionLogicTest, ThreeValuedTruthTables) {
  Batch b = MakeBatch({Column(kBool, {"t", "t", "t", "f", "f", "f", std::nullopt, std::nullopt, std::nullopt}),
                       Column(kBool, {"t", "f", std::nullopt, "t", "f", std::nullopt, "t", "f", std::nullopt})});
  plan::Expr x = Col(0, kBool), y = Col(1, kBool);
  EXPECT_EQ(Eval(Call(plan::AND, kBool, {x, y}), b), (V{"t", "f", "NULL", "f", "f", "f", "NULL", "f", "NULL"}));
  EXPECT_EQ(Eval(Call(plan::OR, kBool, {x, y}), b), (V{"t", "t", "t", "t", "f", "NULL", "t", "NULL", "NULL"}));
  EXPECT_EQ(Eval(Call(plan::NOT, kBool, {x}), b), (V{"f", "f", "f", "t", "t", "t", "NULL", "NULL", "NULL"}));
  EXPECT_EQ(Eval(Call(plan::IS_NULL, kBool, {y}), b), (V{"f", "f", "t", "f", "f", "t", "f", "f", "t"}));
  EXPECT_EQ(Eval(Call(plan::IS_NOT_NULL, kBool, {y}), b), (V{"t", "t", "f", "t", "t", "f", "t", "t", "f"}));
  EXPECT_EQ(Eval(Call(plan::IS_TRUE, kBool, {y}), b), (V{"t", "f", "f", "t", "f", "f", "t", "f", "f"}));
  EXPECT_EQ(Eval(Call(plan::IS_NOT_TRUE, kBool, {y}), b), (V{"f", "t", "t", "f", "t", "t", "f", "t", "t"}));
  EXPECT_EQ(Eval(Call(plan::IS_FALSE, kBool, {y}), b), (V{"f", "t", "f", "f", "t", "f", "f", "t", "f"}));
  EXPECT_EQ(Eval(Call(plan::IS_NOT_FALSE, kBool, {y}), b), (V{"t", "f", "t", "t", "f", "t", "t", "f", "t"}));
}

// Three arguments, all 27 combinations of TRUE / FALSE / NULL: each later argument sees only
// the rows the earlier ones left undecided, and NULL stays until a deciding value comes.
TEST(ExpressionLogicTest, ThreeArgumentTruthTables) {
  const std::optional<std::string> kValues[] = {"t", "f", std::nullopt};
  std::vector<std::optional<std::string>> a, b, c;
  V expect_and, expect_or;
  auto truth = [](const std::optional<std::string>& x) { return x ? (*x == "t" ? 1 : 0) : 2; };
  for (const auto& x : kValues) {
    for (const auto& y : kValues) {
      for (const auto& z : kValues) {
        a.push_back(x);
        b.push_back(y);
        c.push_back(z);
        int tx = truth(x), ty = truth(y), tz = truth(z);
        bool any_false = tx == 0 || ty == 0 || tz == 0, any_true = tx == 1 || ty == 1 || tz == 1;
        bool any_null = tx == 2 || ty == 2 || tz == 2;
        expect_and.push_back(any_false ? "f" : any_null ? "NULL" : "t");
        expect_or.push_back(any_true ? "t" : any_null ? "NULL" : "f");
      }
    }
  }
  Batch in = MakeBatch({Column(kBool, a), Column(kBool, b), Column(kBool, c)});
  plan::Expr x = Col(0, kBool), y = Col(1, kBool), z = Col(2, kBool);
  EXPECT_EQ(Eval(Call(plan::AND, kBool, {x, y, z}), in), expect_and);
  EXPECT_EQ(Eval(Call(plan::OR, kBool, {x, y, z}), in), expect_or);
}

TEST(ExpressionLogicTest, AndOrSkipDecidedRows) {
  Batch b = MakeBatch({Column(kInt, {"0", "5", "20", std::nullopt})});
  plan::Expr x = Col(0, kInt);
  // x <> 0 AND 10 / x > 1: the division never sees the zero.
  plan::Expr guarded = Call(plan::AND, kBool,
                            {Call(plan::NE, kBool, {x, Lit(0)}),
                             Call(plan::GT, kBool, {Call(plan::DIV, kInt, {Lit(10), x}), Lit(1)})});
  EXPECT_EQ(Eval(guarded, b), (V{"f", "t", "f", "NULL"}));
  plan::Expr either = Call(plan::OR, kBool,
                           {Call(plan::EQ, kBool, {x, Lit(0)}),
                            Call(plan::GT, kBool, {Call(plan::DIV, kInt, {Lit(10), x}), Lit(1)})});
  EXPECT_EQ(Eval(either, b), (V{"t", "t", "f", "NULL"}));
}

TEST(ExpressionLogicTest, PredicateSelectsTrueRowsOnly) {
  Batch b = MakeBatch({Column(kInt, {"1", std::nullopt, "3", "4"})});
  ExpressionEvaluator pred(Call(plan::GT, kBool, {Col(0, kInt), Lit(2)}));
  std::vector<uint32_t> sel;
  EXPECT_EQ(EvaluatePredicate(pred, b, &sel), 2u);
  EXPECT_EQ(sel, (std::vector<uint32_t>{2, 3}));
}

// ---- CASE / COALESCE ----

TEST(ExpressionCaseTest, BranchesEvaluateOnlyTheirRows) {
  Batch b = MakeBatch({Column(kInt, {"0", "5", std::nullopt, "-2"})});
  plan::Expr x = Col(0, kInt);
  plan::Expr c = Call(plan::CASE, kInt,
                      {Call(plan::EQ, kBool, {x, Lit(0)}), Lit(-1),
                       Call(plan::GT, kBool, {x, Lit(0)}), Call(plan::DIV, kInt, {Lit(100), x}),
                       Call(plan::DIV, kInt, {Lit(10), x})});
  EXPECT_EQ(Eval(c, b), (V{"-1", "20", "NULL", "-5"}));
  // Without ELSE: NULL for rows no WHEN takes.
  plan::Expr no_else = Call(plan::CASE, kText, {Call(plan::GT, kBool, {x, Lit(1)}), SLit("big")});
  EXPECT_EQ(Eval(no_else, b), (V{"NULL", "big", "NULL", "NULL"}));
  // The error does fire when a row reaches the branch.
  plan::Expr bad = Call(plan::CASE, kInt, {Call(plan::GE, kBool, {x, Lit(0)}), Call(plan::DIV, kInt, {Lit(1), x})});
  ExpectError(bad, b, "22012", "division by zero");
}

TEST(ExpressionCaseTest, CoalesceIsLazyAndTyped) {
  Batch b = MakeBatch({Column(kInt, {"1", std::nullopt, std::nullopt}), Column(kInt, {"0", "4", std::nullopt})});
  plan::Expr c = Call(plan::COALESCE, kInt,
                      {Col(0, kInt), Call(plan::DIV, kInt, {Lit(8), Col(1, kInt)}), Lit(42)});
  EXPECT_EQ(Eval(c, b), (V{"1", "2", "42"}));
  Batch s = MakeBatch({Column(kText, {std::nullopt, "x"})});
  EXPECT_EQ(Eval(Call(plan::COALESCE, kText, {Col(0, kText), SLit("dflt")}), s), (V{"dflt", "x"}));
}

// ---- casts ----

TEST(ExpressionCastTest, IntegerAndDecimalConversions) {
  ExpectError1(Cast(Lit(40000), SqlType::Int16()), "22003", "smallint out of range");
  EXPECT_EQ(Eval1(Cast(Lit(-300), SqlType::Int64())), "-300");
  EXPECT_EQ(Eval1(Cast(Lit(12), SqlType::Decimal(5, 2))), "12.00");
  ExpectError1(Cast(Lit(1000), SqlType::Decimal(5, 2)), "22003", "numeric field overflow");
  EXPECT_EQ(Eval1(Cast(DecLit(-25, 2, 1), kInt)), "-3");  // half away from zero
  EXPECT_EQ(Eval1(Cast(DecLit(25, 2, 1), kInt)), "3");
  EXPECT_EQ(Eval1(Cast(DecLit(24, 2, 1), kInt)), "2");
  ExpectError1(Cast(DecLit(3276750, 9, 2), SqlType::Int16()), "22003", "smallint out of range");
  EXPECT_EQ(Eval1(Cast(DecLit(1005, 4, 3), SqlType::Decimal(3, 2))), "1.01");
  ExpectError1(Cast(DecLit(99995, 5, 3), SqlType::Decimal(4, 2)), "22003", "numeric field overflow");
  EXPECT_EQ(Eval1(Cast(DecLit(12345, 5, 2), SqlType::Decimal(25, 4))), "123.4500");
}

TEST(ExpressionCastTest, FloatConversions) {
  EXPECT_EQ(Eval1(Cast(FLit(2.5), kInt)), "2");  // rint: half to even
  EXPECT_EQ(Eval1(Cast(FLit(3.5), kInt)), "4");
  EXPECT_EQ(Eval1(Cast(FLit(-2.5), SqlType::Int64())), "-2");
  ExpectError1(Cast(FLit(1e10), kInt), "22003", "integer out of range");
  ExpectError1(Cast(FLit(NAN), SqlType::Int64()), "22003", "bigint out of range");
  EXPECT_EQ(Eval1(Cast(FLit(1.23456789e-5), SqlType::Decimal(20, 10))), "0.0000123457");
  EXPECT_EQ(Eval1(Cast(FLit(0.1f, SqlType::Float32()), SqlType::Decimal(10, 5))), "0.10000");
  EXPECT_EQ(Eval1(Cast(FLit(1e20), SqlType::Decimal(38, 0))), "100000000000000000000");
  ExpectError1(Cast(FLit(INFINITY), SqlType::Decimal(5, 2)), "22003", "numeric field overflow");
  ExpectError1(Cast(FLit(1234.5), SqlType::Decimal(5, 2)), "22003", "numeric field overflow");
  EXPECT_EQ(Eval1(Cast(DecLit(1, 2, 1), SqlType::Float64())), "0.1");
  EXPECT_EQ(Eval1(Cast(Lit(7), SqlType::Float32())), "7");
  ExpectError1(Cast(FLit(1e300), SqlType::Float32()), "22003", "value out of range: overflow");
}

TEST(ExpressionCastTest, BoolDateAndStrings) {
  EXPECT_EQ(Eval1(Cast(Lit(1, kBool), kInt)), "1");
  EXPECT_EQ(Eval1(Cast(Lit(-4), kBool)), "t");
  EXPECT_EQ(Eval1(Cast(Lit(1, kBool), kText)), "true");
  EXPECT_EQ(Eval1(Cast(Lit(-42), kText)), "-42");
  EXPECT_EQ(Eval1(Cast(DecLit(-5, 4, 2), kText)), "-0.05");
  EXPECT_EQ(Eval1(Cast(SLit("abcdef"), SqlType::Varchar(3))), "abc");
  EXPECT_EQ(Eval1(Cast(SLit("h\xC3\xA9llo"), SqlType::Varchar(2))), "h\xC3\xA9");
  EXPECT_EQ(Eval1(Cast(Lit(12345), SqlType::Varchar(2))), "12");
  EXPECT_EQ(Eval1(Cast(SLit("ab"), SqlType::Char(4))), "ab  ");  // padding printed
  EXPECT_EQ(Eval1(Call(plan::CONCAT, kText, {Cast(SLit("ab", SqlType::Char(3)), kText), SLit("x")})), "abx");
  EXPECT_EQ(Eval1(Cast(SLit(" 42 "), kInt)), "42");
  EXPECT_EQ(Eval1(Cast(SLit("12.345"), SqlType::Decimal(5, 2))), "12.35");
  ExpectError1(Cast(SLit("x1"), kInt), "22P02", "invalid input syntax for type integer");
  EXPECT_EQ(Eval1(Cast(SLit("2024-02-29"), SqlType::Timestamp())), "2024-02-29 00:00:00");
  plan::Expr ts = Cast(SLit("1999-12-31 23:59:59.5"), SqlType::Timestamp());
  EXPECT_EQ(Eval1(Cast(ts, SqlType::Date())), "1999-12-31");
  EXPECT_EQ(Eval1(Cast(Null(SqlType::Null()), kInt)), "NULL");
}

// ---- LIKE ----

TEST(ExpressionLikeTest, ShapesEscapesAndCase) {
  Batch b = MakeBatch({Column(kText, {"hello", "help", "xhello", "", std::nullopt, "h\xC3\xA9llo", "50%"})});
  plan::Expr s = Col(0, kText);
  auto like = [&](const std::string& p, plan::Op op = plan::LIKE) { return Eval(Call(op, kBool, {s, SLit(p)}), b); };
  EXPECT_EQ(like("hello"), (V{"t", "f", "f", "f", "NULL", "f", "f"}));
  EXPECT_EQ(like("hel%"), (V{"t", "t", "f", "f", "NULL", "f", "f"}));
  EXPECT_EQ(like("%llo"), (V{"t", "f", "t", "f", "NULL", "t", "f"}));
  EXPECT_EQ(like("%ell%"), (V{"t", "f", "t", "f", "NULL", "f", "f"}));
  EXPECT_EQ(like("%"), (V{"t", "t", "t", "t", "NULL", "t", "t"}));
  EXPECT_EQ(like("h_llo"), (V{"t", "f", "f", "f", "NULL", "t", "f"}));  // _ is one UTF-8 character
  EXPECT_EQ(like("%l_o"), (V{"t", "f", "t", "f", "NULL", "t", "f"}));
  EXPECT_EQ(like("h%l%o"), (V{"t", "f", "f", "f", "NULL", "t", "f"}));
  EXPECT_EQ(like("50\\%"), (V{"f", "f", "f", "f", "NULL", "f", "t"}));
  EXPECT_EQ(like("HEL%", plan::ILIKE), (V{"t", "t", "f", "f", "NULL", "f", "f"}));
  EXPECT_EQ(like("hel%", plan::NOT_LIKE), (V{"f", "f", "t", "t", "NULL", "t", "t"}));
  EXPECT_EQ(like("%LLO", plan::NOT_ILIKE), (V{"f", "t", "f", "t", "NULL", "f", "t"}));
  ExpectError(Call(plan::LIKE, kBool, {s, SLit("ab\\")}), b, "22025", "LIKE pattern must not end with escape character");
}

TEST(ExpressionLikeTest, PerRowPatternsAndCharPadding) {
  Batch b = MakeBatch({Column(kText, {"abc", "abc", "abc"}), Column(kText, {"a%", "_c", std::nullopt})});
  EXPECT_EQ(Eval(Call(plan::LIKE, kBool, {Col(0, kText), Col(1, kText)}), b), (V{"t", "f", "NULL"}));
  // PostgreSQL: 'ab'::char(3) LIKE 'ab' is false, LIKE 'ab ' is true.
  EXPECT_EQ(Eval1(Call(plan::LIKE, kBool, {SLit("ab", SqlType::Char(3)), SLit("ab")})), "f");
  EXPECT_EQ(Eval1(Call(plan::LIKE, kBool, {SLit("ab", SqlType::Char(3)), SLit("ab ")})), "t");
  EXPECT_EQ(Eval1(Call(plan::LIKE, kBool, {SLit("abc"), Null(kText)})), "NULL");
}

// ---- string functions ----

TEST(ExpressionStringTest, ConcatCaseLength) {
  Batch b = MakeBatch({Column(kText, {"h\xC3\xA9llo", std::nullopt, "A1"})});
  plan::Expr s = Col(0, kText);
  EXPECT_EQ(Eval(Call(plan::CONCAT, kText, {s, SLit("-"), s}), b), (V{"h\xC3\xA9llo-h\xC3\xA9llo", "NULL", "A1-A1"}));
  EXPECT_EQ(Eval(Fn("upper", kText, {s}), b), (V{"H\xC3\x89LLO", "NULL", "A1"}));
  EXPECT_EQ(Eval(Fn("lower", kText, {s}), b), (V{"h\xC3\xA9llo", "NULL", "a1"}));
  EXPECT_EQ(Eval(Fn("length", kInt, {s}), b), (V{"5", "NULL", "2"}));
  EXPECT_EQ(Eval(Fn("octet_length", kInt, {s}), b), (V{"6", "NULL", "2"}));
  // CHAR(n): length ignores the padding, octet_length counts it.
  EXPECT_EQ(Eval1(Fn("length", kInt, {SLit("ab", SqlType::Char(3))})), "2");
  EXPECT_EQ(Eval1(Fn("octet_length", kInt, {SLit("ab", SqlType::Char(3))})), "3");
}

TEST(ExpressionStringTest, SubstringAndTrim) {
  auto sub = [](int from, std::optional<int> count) {
    std::vector<plan::Expr> args = {SLit("hello"), Lit(from)};
    if (count) args.push_back(Lit(*count));
    return Eval1(Fn("substring", kText, std::move(args)));
  };
  EXPECT_EQ(sub(0, 3), "he");
  EXPECT_EQ(sub(-1, std::nullopt), "hello");
  EXPECT_EQ(sub(2, std::nullopt), "ello");
  EXPECT_EQ(sub(2, 0), "");
  EXPECT_EQ(sub(-5, 7), "h");
  EXPECT_EQ(sub(4, 100), "lo");
  EXPECT_EQ(Eval1(Fn("substr", kText, {SLit("h\xC3\xA9llo"), Lit(2), Lit(2)})), "\xC3\xA9l");
  ExpectError1(Fn("substring", kText, {SLit("hello"), Lit(2), Lit(-1)}), "22011", "negative substring length not allowed");
  EXPECT_EQ(Eval1(Fn("trim", kText, {SLit("  a b  ")})), "a b");
  EXPECT_EQ(Eval1(Fn("ltrim", kText, {SLit("  a  ")})), "a  ");
  EXPECT_EQ(Eval1(Fn("rtrim", kText, {SLit("  a  ")})), "  a");
  EXPECT_EQ(Eval1(Fn("btrim", kText, {SLit("   ")})), "");
}

// ---- numeric functions ----

TEST(ExpressionMathTest, AbsRoundFloorCeil) {
  EXPECT_EQ(Eval1(Fn("abs", kInt, {Lit(-5)})), "5");
  ExpectError1(Fn("abs", kInt, {Lit(INT32_MIN)}), "22003", "integer out of range");
  EXPECT_EQ(Eval1(Fn("abs", SqlType::Decimal(4, 2), {DecLit(-1234, 4, 2)})), "12.34");
  EXPECT_EQ(Eval1(Fn("abs", SqlType::Float64(), {FLit(-0.5)})), "0.5");
  // round(numeric): half away from zero; round(float): half to even (PostgreSQL).
  EXPECT_EQ(Eval1(Fn("round", SqlType::Decimal(2, 0), {DecLit(-25, 2, 1)})), "-3");
  EXPECT_EQ(Eval1(Fn("round", SqlType::Float64(), {FLit(2.5)})), "2");
  EXPECT_EQ(Eval1(Fn("round", SqlType::Decimal(5, 3), {DecLit(15, 2, 1), Lit(3)})), "1.500");
  EXPECT_EQ(Eval1(Fn("round", SqlType::Decimal(6, 0), {DecLit(12345, 5, 1), Lit(-2)})), "1200");
  EXPECT_EQ(Eval1(Fn("round", SqlType::Decimal(5, 2), {DecLit(1005, 4, 3), Lit(2)})), "1.01");
  // round(x, n) with n per row: the result keeps x's scale.
  Batch b = MakeBatch({Column(kInt, {"0", "1", "2"})});
  EXPECT_EQ(Eval(Fn("round", SqlType::Decimal(5, 2), {DecLit(1256, 4, 2), Col(0, kInt)}), b), (V{"13.00", "12.60", "12.56"}));
  EXPECT_EQ(Eval1(Fn("floor", SqlType::Decimal(2, 0), {DecLit(-25, 2, 1)})), "-3");
  EXPECT_EQ(Eval1(Fn("ceil", SqlType::Decimal(2, 0), {DecLit(-25, 2, 1)})), "-2");
  EXPECT_EQ(Eval1(Fn("ceiling", SqlType::Decimal(2, 0), {DecLit(21, 2, 1)})), "3");
  EXPECT_EQ(Eval1(Fn("floor", SqlType::Float64(), {FLit(-0.5)})), "-1");
  EXPECT_EQ(Eval1(Fn("mod", kInt, {Lit(-7), Lit(3)})), "-1");
  ExpectError1(Fn("mod", kInt, {Lit(7), Lit(0)}), "22012", "division by zero");
}

TEST(ExpressionMathTest, NullifGreatestLeast) {
  EXPECT_EQ(Eval1(Fn("nullif", kInt, {Lit(1), Lit(1)})), "NULL");
  EXPECT_EQ(Eval1(Fn("nullif", kInt, {Lit(1), Lit(2)})), "1");
  EXPECT_EQ(Eval1(Fn("nullif", kInt, {Lit(1), Null(kInt)})), "1");
  Batch b = MakeBatch({Column(kInt, {"1", std::nullopt, std::nullopt}), Column(kInt, {"3", "2", std::nullopt})});
  EXPECT_EQ(Eval(Fn("greatest", kInt, {Col(0, kInt), Col(1, kInt), Lit(2)}), b), (V{"3", "2", "2"}));
  EXPECT_EQ(Eval(Fn("least", kInt, {Col(0, kInt), Col(1, kInt)}), b), (V{"1", "2", "NULL"}));
  EXPECT_EQ(Eval1(Fn("greatest", kText, {SLit("b"), SLit("abc")})), "b");
}

// ---- date_part / extract ----

TEST(ExpressionDateTest, FieldsMatchPostgres) {
  plan::Expr ts = Cast(SLit("2020-01-02 03:04:05.5"), SqlType::Timestamp());
  plan::Expr day = Cast(SLit("2024-03-03"), SqlType::Date());
  auto extract = [](const std::string& f, plan::Expr src, SqlType t) {
    return Eval1(Fn("extract", t, {SLit(f), std::move(src)}));
  };
  EXPECT_EQ(extract("second", ts, SqlType::Decimal(8, 6)), "5.500000");
  EXPECT_EQ(extract("millisecond", ts, SqlType::Decimal(8, 3)), "5500.000");
  EXPECT_EQ(extract("microseconds", ts, SqlType::Decimal(18, 0)), "5500000");
  EXPECT_EQ(extract("hour", ts, SqlType::Decimal(18, 0)), "3");
  EXPECT_EQ(extract("minute", ts, SqlType::Decimal(18, 0)), "4");
  EXPECT_EQ(extract("epoch", ts, SqlType::Decimal(18, 6)), "1577934245.500000");
  EXPECT_EQ(extract("dow", day, SqlType::Decimal(18, 0)), "0");
  EXPECT_EQ(extract("isodow", day, SqlType::Decimal(18, 0)), "7");
  EXPECT_EQ(extract("doy", day, SqlType::Decimal(18, 0)), "63");
  EXPECT_EQ(extract("quarter", day, SqlType::Decimal(18, 0)), "1");
  EXPECT_EQ(extract("YEAR", day, SqlType::Decimal(18, 0)), "2024");
  EXPECT_EQ(extract("epoch", Cast(SLit("2020-01-02"), SqlType::Date()), SqlType::Decimal(18, 0)), "1577923200");
  EXPECT_EQ(extract("week", Cast(SLit("2024-01-01"), SqlType::Date()), SqlType::Decimal(18, 0)), "1");
  EXPECT_EQ(extract("week", Cast(SLit("2021-01-01"), SqlType::Date()), SqlType::Decimal(18, 0)), "53");
  EXPECT_EQ(extract("century", Cast(SLit("2000-01-01"), SqlType::Date()), SqlType::Decimal(18, 0)), "20");
  EXPECT_EQ(extract("decade", day, SqlType::Decimal(18, 0)), "202");
  EXPECT_EQ(extract("millennium", Cast(SLit("2001-01-01"), SqlType::Date()), SqlType::Decimal(18, 0)), "3");
  EXPECT_EQ(extract("julian", Cast(SLit("2020-01-01"), SqlType::Date()), SqlType::Decimal(18, 0)), "2458850");
  plan::Expr before = Cast(SLit("1960-01-01 00:00:00.5"), SqlType::Timestamp());
  EXPECT_EQ(extract("epoch", before, SqlType::Decimal(18, 6)), "-315619199.500000");
  EXPECT_EQ(Eval1(Fn("date_part", SqlType::Float64(), {SLit("epoch"), Cast(SLit("2020-01-01 00:00:00.5"), SqlType::Timestamp())})),
            "1577836800.5");
  ExpectError1(Fn("extract", SqlType::Decimal(18, 0), {SLit("hour"), day}), "0A000", "unit \"hour\" not supported for type date");
  ExpectError1(Fn("extract", SqlType::Decimal(18, 0), {SLit("foo"), day}), "22023", "unit \"foo\" not recognized for type date");
}

// ---- plumbing ----

TEST(ExpressionPlumbingTest, TypesRoundTripAndBatchesReuse) {
  for (SqlType t : {SqlType::Decimal(20, 4), SqlType::Varchar(7), SqlType::Char(3), kText, SqlType::Timestamp()}) {
    EXPECT_EQ(FromProtoType(ToProtoType(t)), t);
  }
  // One evaluator over batches of different sizes, string results included.
  ExpressionEvaluator ev(Call(plan::CONCAT, kText, {Col(0, kText), SLit("!")}));
  Vector out;
  ev.Evaluate(MakeBatch({Column(kText, {"a", "b", "c"})}), &out);
  Vector first = out;
  ev.Evaluate(MakeBatch({Column(kText, {"zz"})}), &out);
  EXPECT_EQ(Texts(out), (V{"zz!"}));
  EXPECT_EQ(Texts(first), (V{"a!", "b!", "c!"}));  // earlier results stay valid
  // A full batch of kBatchSize rows.
  std::vector<std::optional<std::string>> many;
  for (size_t i = 0; i < kBatchSize; ++i) many.push_back(std::to_string(i));
  ExpressionEvaluator sum(Call(plan::ADD, SqlType::Int64(), {Col(0, SqlType::Int64()), Lit(1, SqlType::Int64())}));
  Batch big = MakeBatch({Column(SqlType::Int64(), many)});
  sum.Evaluate(big, &out);
  ASSERT_EQ(out.size(), kBatchSize);
  EXPECT_EQ(out.data<int64_t>()[kBatchSize - 1], int64_t(kBatchSize));
}

}  // namespace
}  // namespace strata
