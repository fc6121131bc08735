// Tests of the catalog functions (executor/expr_catalog.cpp and the files it names): regex
// match with its compiled-pattern cache, array literals read and written, format_type,
// quote_ident / quote_literal, string pieces, and LISTAGG in the hash aggregate (SINGLE equals
// PARTIAL then FINAL). Expected values were checked against PostgreSQL 15 where it has the
// function.
#include <gtest/gtest.h>

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "executor/expression.h"
#include "executor/hash_aggregate.h"
#include "sql/pg_array_literal.h"
#include "planner/expr_builder.h"
#include "planner/function_catalog.h"
#include "sql/error.h"
#include "tests/unit/executor/batch_source.h"

namespace strata {
namespace {

using Opt = std::optional<std::string>;
using V = std::vector<std::string>;
const SqlType kText = SqlType::Text();
const SqlType kInt = SqlType::Int32();
const SqlType kBool = SqlType::Bool();

plan::Expr Col(int i, SqlType t) { return ColumnExpr(i, t); }

plan::Expr Lit(int64_t v, SqlType t = kInt) {
  plan::Expr e;
  *e.mutable_type() = ToProtoType(t);
  e.mutable_literal()->set_i64(v);
  return e;
}

plan::Expr SLit(const std::string& s) {
  plan::Expr e;
  *e.mutable_type() = ToProtoType(kText);
  e.mutable_literal()->set_str(s);
  return e;
}

plan::Expr Null(SqlType t) {
  plan::Expr e;
  *e.mutable_type() = ToProtoType(t);
  e.mutable_literal()->set_is_null(true);
  return e;
}

plan::Expr Fn(const std::string& name, SqlType t, std::vector<plan::Expr> args) {
  plan::Expr e;
  *e.mutable_type() = ToProtoType(t);
  e.mutable_call()->set_op(plan::FUNCTION);
  e.mutable_call()->set_function(name);
  for (auto& a : args) *e.mutable_call()->add_args() = std::move(a);
  return e;
}

Vector TextColumn(const std::vector<Opt>& values) {
  Vector v(kText, values.size());
  for (size_t i = 0; i < values.size(); ++i) {
    if (values[i]) v.SetString(i, *values[i]);
    else v.SetNull(i, true);
  }
  return v;
}

Batch TextBatch(std::vector<std::vector<Opt>> cols) {
  Batch b;
  b.rows = cols.empty() ? 1 : cols[0].size();
  for (auto& c : cols) b.columns.push_back(TextColumn(c));
  return b;
}

std::string Text(const Vector& v, size_t i) {
  if (v.IsNull(i)) return "NULL";
  switch (v.physical()) {
    case PhysicalType::kString: return std::string(v.data<std::string_view>()[i]);
    case PhysicalType::kBool: return v.data<uint8_t>()[i] ? "t" : "f";
    case PhysicalType::kInt32: return std::to_string(v.data<int32_t>()[i]);
    default: return "?";
  }
}

V Eval(const plan::Expr& e, const Batch& b) {
  ExpressionEvaluator ev(e);
  Vector out;
  ev.Evaluate(b, &out);
  EXPECT_EQ(out.size(), b.rows);
  V r;
  for (size_t i = 0; i < out.size(); ++i) r.push_back(Text(out, i));
  return r;
}

std::string Eval1(const plan::Expr& e) { return Eval(e, TextBatch({})).at(0); }

void ExpectError(const plan::Expr& e, const Batch& b, const std::string& state, const std::string& text) {
  try {
    Eval(e, b);
    ADD_FAILURE() << "expected error " << state;
  } catch (const SqlError& err) {
    EXPECT_EQ(err.sqlstate(), state) << err.message();
    EXPECT_NE(err.message().find(text), std::string::npos) << err.message();
  }
}

TEST(RegexTest, MatchNoMatchNullAndCase) {
  Batch b = TextBatch({{"abc", "ABC", std::nullopt, "xbz", ""}, {"^a.c$", "^a.c$", "b", "b", "^$"}});
  EXPECT_EQ(Eval(Fn("textregexeq", kBool, {Col(0, kText), Col(1, kText)}), b), (V{"t", "f", "NULL", "t", "t"}));
  EXPECT_EQ(Eval(Fn("texticregexeq", kBool, {Col(0, kText), Col(1, kText)}), b), (V{"t", "t", "NULL", "t", "t"}));
  EXPECT_EQ(Eval1(Fn("textregexeq", kBool, {SLit("abc"), Null(kText)})), "NULL");
  EXPECT_EQ(Eval1(Fn("textregexeq", kBool, {SLit("pg_class"), SLit("^(pg_class|pg_type)$")})), "t");
}

TEST(RegexTest, PatternChangesPerRowAndAcrossBatches) {
  plan::Expr e = Fn("textregexeq", kBool, {Col(0, kText), Col(1, kText)});
  ExpressionEvaluator ev(e);
  Vector out;
  Batch b1 = TextBatch({{"aa", "aa", "bb", "bb"}, {"a", "b", "b", "a"}});
  ev.Evaluate(b1, &out);
  EXPECT_EQ((V{Text(out, 0), Text(out, 1), Text(out, 2), Text(out, 3)}), (V{"t", "f", "t", "f"}));
  Batch b2 = TextBatch({{"cc"}, {"c+"}});
  ev.Evaluate(b2, &out);
  EXPECT_EQ(Text(out, 0), "t");
}

TEST(RegexTest, InvalidPatternIs2201B) {
  ExpectError(Fn("textregexeq", kBool, {SLit("abc"), SLit("(")}), TextBatch({}), "2201B", "invalid regular expression: ");
  // A NULL subject row does not compile the pattern.
  EXPECT_EQ(Eval1(Fn("textregexeq", kBool, {Null(kText), SLit("(")})), "NULL");
}

TEST(FormatTypeTest, EveryOid) {
  auto ft = [](int64_t oid, std::optional<int> typmod) {
    return Eval1(Fn("format_type", kText, {Lit(oid, SqlType::Int64()), typmod ? Lit(*typmod) : Null(kInt)}));
  };
  EXPECT_EQ(ft(16, -1), "boolean");
  EXPECT_EQ(ft(20, -1), "bigint");
  EXPECT_EQ(ft(21, -1), "smallint");
  EXPECT_EQ(ft(23, -1), "integer");
  EXPECT_EQ(ft(23, 5), "integer");
  EXPECT_EQ(ft(25, -1), "text");
  EXPECT_EQ(ft(700, -1), "real");
  EXPECT_EQ(ft(701, -1), "double precision");
  EXPECT_EQ(ft(1042, 14), "character(10)");
  EXPECT_EQ(ft(1042, -1), "bpchar");
  EXPECT_EQ(ft(1042, std::nullopt), "character");
  EXPECT_EQ(ft(1043, 14), "character varying(10)");
  EXPECT_EQ(ft(1043, -1), "character varying");
  EXPECT_EQ(ft(1082, -1), "date");
  EXPECT_EQ(ft(1114, -1), "timestamp without time zone");
  EXPECT_EQ(ft(1114, 3), "timestamp(3) without time zone");
  EXPECT_EQ(ft(1184, -1), "timestamp with time zone");
  EXPECT_EQ(ft(1700, ((10 << 16) | 2) + 4), "numeric(10,2)");
  EXPECT_EQ(ft(1700, -1), "numeric");
  EXPECT_EQ(ft(19, -1), "name");
  EXPECT_EQ(ft(26, -1), "oid");
  EXPECT_EQ(ft(18, -1), "\"char\"");
  EXPECT_EQ(ft(1009, -1), "text[]");
  EXPECT_EQ(ft(1005, -1), "smallint[]");
  EXPECT_EQ(ft(1007, -1), "integer[]");
  EXPECT_EQ(ft(1016, -1), "bigint[]");
  EXPECT_EQ(ft(1015, -1), "character varying[]");
  EXPECT_EQ(ft(1015, 14), "character varying(10)[]");
  EXPECT_EQ(ft(1000, -1), "boolean[]");
  EXPECT_EQ(ft(2205, -1), "regclass");
  EXPECT_EQ(ft(2206, -1), "regtype");
  EXPECT_EQ(ft(9999, -1), "???");
  EXPECT_EQ(Eval1(Fn("format_type", kText, {Null(SqlType::Int64()), Lit(1)})), "NULL");
}

TEST(ArrayLiteralTest, ReadsQuotingEscapesAndNulls) {
  ArrayLiteralReader reader;
  reader.Reset(R"( { a , "b c" , NULL , "NULL" , x\,y , "" , c d } )");
  V got;
  std::string_view v;
  bool is_null;
  while (reader.Next(&v, &is_null)) got.push_back(is_null ? "<null>" : std::string(v));
  EXPECT_EQ(got, (V{"a", "b c", "<null>", "NULL", "x,y", "", "c d"}));
  reader.Reset("{}");
  EXPECT_EQ(reader.CountRemaining(), 0u);
  for (const char* bad : {"", "abc", "{a", "{a,,b}", "{a,}", "{{1}}", "{a} x", "{\"a}"}) {
    try {
      reader.Reset(bad);
      reader.CountRemaining();
      ADD_FAILURE() << "accepted " << bad;
    } catch (const SqlError& err) {
      EXPECT_EQ(err.sqlstate(), "22P02") << bad;
    }
  }
}

TEST(ArrayLiteralTest, WritesLikePostgres) {
  std::string out;
  for (const char* e : {"", "null", "NULL", "a b", "a\"b", "a\\b", "{x}", "a,b", "plain"}) {
    if (!out.empty()) out.push_back(',');
    AppendArrayElement(e, &out);
  }
  // PostgreSQL 15: array['', 'null', 'NULL', 'a b', 'a"b', 'a\b', '{x}', 'a,b', 'plain']::text
  EXPECT_EQ(out, R"("","null","NULL","a b","a\"b","a\\b","{x}","a,b",plain)");
}

TEST(ArrayFunctionTest, AnyEqFollowsPostgresNullRules) {
  Batch b = TextBatch({{"a", "c", std::nullopt, std::nullopt, "b", "a"},
                       {"{a,b}", "{a,b}", "{}", "{a}", "{b,NULL}", std::nullopt}});
  EXPECT_EQ(Eval(Fn("pg_any_eq", kBool, {Col(0, kText), Col(1, kText)}), b), (V{"t", "f", "f", "NULL", "t", "NULL"}));
  EXPECT_EQ(Eval1(Fn("pg_any_eq", kBool, {SLit("a"), SLit("{b,NULL}")})), "NULL");
  EXPECT_EQ(Eval1(Fn("pg_any_eq", kBool, {SLit("a b"), SLit("{x,\"a b\"}")})), "t");
  // An integer element is compared as text.
  EXPECT_EQ(Eval1(Fn("pg_any_eq", kBool, {Lit(3), SLit("{1,2,3}")})), "t");
}

TEST(ArrayFunctionTest, ToStringElementCounts) {
  const char* arr = "{a,NULL,\"b c\"}";
  EXPECT_EQ(Eval1(Fn("array_to_string", kText, {SLit(arr), SLit(",")})), "a,b c");
  EXPECT_EQ(Eval1(Fn("array_to_string", kText, {SLit(arr), SLit(","), SLit("*")})), "a,*,b c");
  EXPECT_EQ(Eval1(Fn("array_to_string", kText, {SLit(arr), SLit(","), Null(kText)})), "a,b c");
  EXPECT_EQ(Eval1(Fn("array_to_string", kText, {SLit("{}"), SLit(",")})), "");
  EXPECT_EQ(Eval1(Fn("array_to_string", kText, {SLit(arr), Null(kText)})), "NULL");
  EXPECT_EQ(Eval1(Fn("pg_array_element", kText, {SLit(arr), Lit(3)})), "b c");
  EXPECT_EQ(Eval1(Fn("pg_array_element", kText, {SLit(arr), Lit(2)})), "NULL");
  EXPECT_EQ(Eval1(Fn("pg_array_element", kText, {SLit(arr), Lit(0)})), "NULL");
  EXPECT_EQ(Eval1(Fn("pg_array_element", kText, {SLit(arr), Lit(4)})), "NULL");
  EXPECT_EQ(Eval1(Fn("array_upper", kInt, {SLit(arr), Lit(1)})), "3");
  EXPECT_EQ(Eval1(Fn("array_upper", kInt, {SLit(arr), Lit(2)})), "NULL");
  EXPECT_EQ(Eval1(Fn("array_upper", kInt, {SLit("{}"), Lit(1)})), "NULL");
  EXPECT_EQ(Eval1(Fn("cardinality", kInt, {SLit(arr)})), "3");
  EXPECT_EQ(Eval1(Fn("cardinality", kInt, {SLit("{}")})), "0");
}

TEST(ArrayFunctionTest, BuildAndQuote) {
  EXPECT_EQ(Eval1(Fn("pg_array_text", kText, {SLit("public"), SLit("a b"), Null(kText), SLit("")})),
            R"({public,"a b",NULL,""})");
  EXPECT_EQ(Eval1(Fn("pg_array_text", kText, {})), "{}");
  EXPECT_EQ(Eval1(Fn("pg_array_quote", kText, {SLit("x\"y")})), R"("x\"y")");
  EXPECT_EQ(Eval1(Fn("pg_array_quote", kText, {SLit("plain")})), "plain");
  EXPECT_EQ(Eval1(Fn("pg_array_quote", kText, {Null(kText)})), "NULL");
}

TEST(CatalogFunctionTest, QuoteIdentAndLiteral) {
  Batch b = TextBatch({{"abc", "Abc", "1a", "a\"b", "select", "_x9", "", "int", "name", std::nullopt}});
  EXPECT_EQ(Eval(Fn("quote_ident", kText, {Col(0, kText)}), b),
            (V{"abc", "\"Abc\"", "\"1a\"", "\"a\"\"b\"", "\"select\"", "_x9", "\"\"", "\"int\"", "name", "NULL"}));
  EXPECT_EQ(Eval1(Fn("quote_literal", kText, {SLit("it's")})), "'it''s'");
  EXPECT_EQ(Eval1(Fn("quote_literal", kText, {SLit("a\\b")})), "E'a\\\\b'");
  EXPECT_EQ(Eval1(Fn("quote_literal", kText, {Lit(42)})), "'42'");
}

TEST(CatalogFunctionTest, EncodingAndGetExpr) {
  EXPECT_EQ(Eval1(Fn("pg_encoding_to_char", kText, {Lit(6)})), "UTF8");
  EXPECT_EQ(Eval1(Fn("pg_encoding_to_char", kText, {Lit(0)})), "SQL_ASCII");
  EXPECT_EQ(Eval1(Fn("pg_encoding_to_char", kText, {Lit(999)})), "");
  EXPECT_EQ(Eval1(Fn("pg_get_expr", kText, {SLit("nextval(1)"), Lit(5, SqlType::Int64())})), "nextval(1)");
  EXPECT_EQ(Eval1(Fn("pg_get_expr", kText, {Null(kText), Lit(5, SqlType::Int64())})), "NULL");
}

TEST(StringPartsTest, ReplaceSplitStrposLeftRightConcat) {
  EXPECT_EQ(Eval1(Fn("replace", kText, {SLit("abcabc"), SLit("b"), SLit("XX")})), "aXXcaXXc");
  EXPECT_EQ(Eval1(Fn("replace", kText, {SLit("abc"), SLit(""), SLit("X")})), "abc");
  EXPECT_EQ(Eval1(Fn("replace", kText, {SLit("aaa"), SLit("aa"), SLit("b")})), "ba");
  EXPECT_EQ(Eval1(Fn("replace", kText, {SLit("aaa"), Null(kText), SLit("b")})), "NULL");
  auto split = [](const char* s, const char* d, int n) { return Eval1(Fn("split_part", kText, {SLit(s), SLit(d), Lit(n)})); };
  EXPECT_EQ(split("a,b,c", ",", 2), "b");
  EXPECT_EQ(split("a,b,c", ",", -1), "c");
  EXPECT_EQ(split("a,b,c", ",", -3), "a");
  EXPECT_EQ(split("a,b,c", ",", -4), "");
  EXPECT_EQ(split("a,b,c", ",", 4), "");
  EXPECT_EQ(split("abc", "", 1), "abc");
  EXPECT_EQ(split("abc", "", 2), "");
  EXPECT_EQ(split("abc", ",", -1), "abc");
  EXPECT_EQ(split("a<>b<>c", "<>", 3), "c");
  ExpectError(Fn("split_part", kText, {SLit("a"), SLit(","), Lit(0)}), TextBatch({}), "22023", "field position must not be zero");
  EXPECT_EQ(Eval1(Fn("strpos", kInt, {SLit("héllo"), SLit("l")})), "3");
  EXPECT_EQ(Eval1(Fn("strpos", kInt, {SLit("hello"), SLit("")})), "1");
  EXPECT_EQ(Eval1(Fn("strpos", kInt, {SLit("a"), SLit("b")})), "0");
  EXPECT_EQ(Eval1(Fn("left", kText, {SLit("héllo"), Lit(2)})), "hé");
  EXPECT_EQ(Eval1(Fn("left", kText, {SLit("hello"), Lit(-2)})), "hel");
  EXPECT_EQ(Eval1(Fn("right", kText, {SLit("héllo"), Lit(2)})), "lo");
  EXPECT_EQ(Eval1(Fn("right", kText, {SLit("hello"), Lit(-2)})), "llo");
  EXPECT_EQ(Eval1(Fn("left", kText, {SLit("abc"), Lit(0)})), "");
  EXPECT_EQ(Eval1(Fn("concat", kText, {SLit("a"), Null(kText), Lit(1)})), "a1");
  EXPECT_EQ(Eval1(Fn("concat", kText, {Null(kText)})), "");
}

TEST(CatalogSignatureTest, ResolvesTypes) {
  FunctionSignature sig = ResolveFunction("format_type", {SqlType::Int64(), kInt});
  EXPECT_EQ(sig.result, kText);
  EXPECT_EQ(ResolveFunction("textregexeq", {SqlType::Varchar(10), kText}).result, kBool);
  EXPECT_EQ(ResolveFunction("pg_array_text", {}).result, kText);
  EXPECT_EQ(ResolveFunction("pg_array_text", {kInt, kText}).arg_types, (std::vector<SqlType>{kText, kText}));
  EXPECT_EQ(ResolveFunction("array_upper", {kText, SqlType::Int64()}).arg_types, (std::vector<SqlType>{kText, kInt}));
  EXPECT_THROW(ResolveFunction("textregexeq", {kText, kInt}), SqlError);
  EXPECT_THROW(ResolveFunction("replace", {kText, kText}), SqlError);
}

// ---- LISTAGG ----

plan::Aggregate ListaggSpec(plan::AggMode mode, bool grouped, const std::string& delimiter) {
  plan::Aggregate a;
  if (grouped) *a.add_groups() = ColumnExpr(0, kText);
  plan::AggSpec s;
  s.set_func(plan::LISTAGG);
  *s.mutable_arg() = ColumnExpr(1, kText);
  *s.mutable_result_type() = ToProtoType(SqlType::Varchar(65535));
  s.set_delimiter(delimiter);
  *a.add_aggs() = s;
  a.set_mode(mode);
  return a;
}

std::vector<V> Drain(Operator& op) {
  std::vector<V> rows;
  Batch b;
  while (op.Next(&b)) {
    for (size_t r = 0; r < b.rows; ++r) {
      V row;
      for (const auto& c : b.columns) row.push_back(Text(c, r));
      rows.push_back(row);
    }
  }
  std::sort(rows.begin(), rows.end());
  return rows;
}

// Splits a LISTAGG result and sorts the pieces: the order of values is unspecified.
std::string Sorted(const std::string& s, char delim) {
  if (s == "NULL") return s;
  V parts;
  size_t at = 0;
  for (size_t hit; (hit = s.find(delim, at)) != std::string::npos; at = hit + 1) parts.push_back(s.substr(at, hit - at));
  parts.push_back(s.substr(at));
  std::sort(parts.begin(), parts.end());
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : std::string(1, delim)) + p;
  return out;
}

std::vector<Batch> ListaggInput() {
  return {TextBatch({{"g1", "g2", "g1", "g3", "g1"}, {"a", "x", std::nullopt, std::nullopt, "b"}}),
          TextBatch({{"g2", "g1"}, {"y", "c"}})};
}

TEST(ListaggTest, SingleGroupedAndUngrouped) {
  ExecContext ctx;
  auto rows = Drain(*MakeHashAggregate(ListaggSpec(plan::SINGLE, true, ","), std::make_unique<BatchSource>(ListaggInput()), ctx));
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0][0], "g1");
  EXPECT_EQ(Sorted(rows[0][1], ','), "a,b,c");
  EXPECT_EQ(Sorted(rows[1][1], ','), "x,y");
  EXPECT_EQ(rows[2], (V{"g3", "NULL"}));
  auto all = Drain(*MakeHashAggregate(ListaggSpec(plan::SINGLE, false, ";"), std::make_unique<BatchSource>(ListaggInput()), ctx));
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(Sorted(all[0][0], ';'), "a;b;c;x;y");
  auto empty = Drain(*MakeHashAggregate(ListaggSpec(plan::SINGLE, false, ","), std::make_unique<BatchSource>(std::vector<Batch>{}), ctx));
  EXPECT_EQ(empty, (std::vector<V>{{"NULL"}}));
}

TEST(ListaggTest, PartialThenFinalEqualsSingle) {
  ExecContext ctx;
  std::vector<Batch> input = ListaggInput();
  std::vector<Batch> states;
  for (size_t k = 0; k < input.size(); ++k) {
    auto p = MakeHashAggregate(ListaggSpec(plan::PARTIAL, true, "|"), std::make_unique<BatchSource>(std::vector<Batch>{input[k]}), ctx);
    Batch b;
    while (p->Next(&b)) states.push_back(b);
  }
  auto rows = Drain(*MakeHashAggregate(ListaggSpec(plan::FINAL, true, "|"), std::make_unique<BatchSource>(states), ctx));
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(Sorted(rows[0][1], '|'), "a|b|c");
  EXPECT_EQ(Sorted(rows[1][1], '|'), "x|y");
  EXPECT_EQ(rows[2][1], "NULL");
}

TEST(ListaggTest, OverlongResultIs22001) {
  ExecContext ctx;
  std::string big(40000, 'x');
  std::vector<Batch> input{TextBatch({{"g", "g"}, {big, big}})};
  try {
    Drain(*MakeHashAggregate(ListaggSpec(plan::SINGLE, true, ""), std::make_unique<BatchSource>(input), ctx));
    ADD_FAILURE() << "no error";
  } catch (const SqlError& err) {
    EXPECT_EQ(err.sqlstate(), "22001");
  }
}

}  // namespace
}  // namespace strata
