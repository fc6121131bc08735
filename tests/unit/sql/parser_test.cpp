// Tests of ParseSql / SplitSql / ResolveTypeName: every construct the decoder maps into the AST,
// error codes and cursor positions (PostgreSQL's own, 1-based), and refused constructs (0A000).
#include <gtest/gtest.h>

#include "sql/error.h"
#include "sql/parser.h"

namespace strata {
namespace {

using ast::ExprKind;
using ast::LiteralKind;

ast::Statement One(std::string_view sql) {
  std::vector<ast::Statement> stmts = ParseSql(sql);
  EXPECT_EQ(stmts.size(), 1u) << sql;
  return std::move(stmts.at(0));
}

// The expression of `SELECT <expr>`.
ast::ExprPtr Expr(const std::string& expr) {
  ast::Statement s = One("SELECT " + expr);
  return std::move(s.select->targets.at(0).expr);
}

SqlError ErrorOf(std::string_view sql) {
  try {
    ParseSql(sql);
  } catch (const SqlError& e) {
    return e;
  }
  ADD_FAILURE() << "no error for: " << sql;
  return SqlError("00000", "");
}

TEST(ParserTest, SelectClauses) {
  ast::Statement s = One(
      "select distinct a, t.b as bee, t.* from s.t as t where a > 1 group by a, 2 having count(*) > 3 "
      "order by a desc nulls first, b asc, c nulls last limit 10 offset 5");
  ASSERT_EQ(s.kind, ast::StatementKind::kSelect);
  const ast::SelectStmt& q = *s.select;
  EXPECT_TRUE(q.distinct);
  ASSERT_EQ(q.targets.size(), 3u);
  EXPECT_EQ(q.targets[0].expr->kind, ExprKind::kColumnRef);
  EXPECT_EQ(q.targets[0].expr->names, std::vector<std::string>{"a"});
  EXPECT_EQ(q.targets[1].alias, "bee");
  EXPECT_EQ(q.targets[1].expr->names, (std::vector<std::string>{"t", "b"}));
  EXPECT_EQ(q.targets[2].expr->kind, ExprKind::kStar);
  EXPECT_EQ(q.targets[2].expr->names, std::vector<std::string>{"t"});
  ASSERT_EQ(q.from.size(), 1u);
  EXPECT_EQ(q.from[0]->schema, "s");
  EXPECT_EQ(q.from[0]->name, "t");
  EXPECT_EQ(q.from[0]->alias, "t");
  EXPECT_EQ(q.where->op, ">");
  ASSERT_EQ(q.group_by.size(), 2u);
  EXPECT_EQ(q.group_by[1]->literal_kind, LiteralKind::kInteger);
  EXPECT_EQ(q.having->args[0]->func_name, "count");
  EXPECT_TRUE(q.having->args[0]->star_arg);
  ASSERT_EQ(q.order_by.size(), 3u);
  EXPECT_TRUE(q.order_by[0].desc);
  EXPECT_EQ(q.order_by[0].nulls_first, std::optional<bool>(true));
  EXPECT_FALSE(q.order_by[1].desc);
  EXPECT_FALSE(q.order_by[1].nulls_first.has_value());
  EXPECT_EQ(q.order_by[2].nulls_first, std::optional<bool>(false));
  EXPECT_EQ(q.limit->text, "10");
  EXPECT_EQ(q.offset->text, "5");
}

TEST(ParserTest, StarAndLimitAll) {
  ast::Statement s = One("select * from t limit all");
  EXPECT_EQ(s.select->targets[0].expr->kind, ExprKind::kStar);
  EXPECT_TRUE(s.select->targets[0].expr->names.empty());
  EXPECT_EQ(s.select->limit, nullptr);
}

TEST(ParserTest, Joins) {
  ast::Statement s = One(
      "select 1 from a join b on a.x = b.x left join c using (y) right outer join d on true "
      "full join e on false cross join f, (select 1) as sub");
  const auto& from = s.select->from;
  ASSERT_EQ(from.size(), 2u);
  EXPECT_EQ(from[1]->kind, ast::TableRef::Kind::kSubquery);
  EXPECT_EQ(from[1]->alias, "sub");
  ASSERT_NE(from[1]->subquery, nullptr);
  // Joins nest to the left: ((((a JOIN b) LEFT c) RIGHT d) FULL e) CROSS f.
  const ast::TableRef* j = from[0].get();
  EXPECT_EQ(j->join_type, ast::JoinType::kCross);
  EXPECT_EQ(j->right->name, "f");
  j = j->left.get();
  EXPECT_EQ(j->join_type, ast::JoinType::kFull);
  j = j->left.get();
  EXPECT_EQ(j->join_type, ast::JoinType::kRight);
  j = j->left.get();
  EXPECT_EQ(j->join_type, ast::JoinType::kLeft);
  EXPECT_EQ(j->using_cols, std::vector<std::string>{"y"});
  j = j->left.get();
  EXPECT_EQ(j->join_type, ast::JoinType::kInner);
  ASSERT_NE(j->on, nullptr);
  EXPECT_EQ(j->on->op, "=");
  EXPECT_EQ(j->left->name, "a");
  EXPECT_EQ(j->right->name, "b");
}

TEST(ParserTest, SubqueryColumnAliases) {
  // TPC-H Q13's shape: the alias list renames the subquery's outputs.
  ast::Statement s = One(
      "select c_count from (select c_custkey, count(o_orderkey) from customer group by c_custkey) "
      "as c_orders (c_custkey, c_count)");
  const ast::TableRef& sub = *s.select->from[0];
  EXPECT_EQ(sub.alias, "c_orders");
  EXPECT_EQ(sub.subquery->targets[0].alias, "c_custkey");
  EXPECT_EQ(sub.subquery->targets[1].alias, "c_count");
  // VALUES gets a wrapping SELECT column1 AS a, column2 AS column2.
  ast::Statement v = One("select a from (values (1, 2)) as v (a)");
  const ast::SelectStmt& wrapper = *v.select->from[0]->subquery;
  ASSERT_EQ(wrapper.targets.size(), 2u);
  EXPECT_EQ(wrapper.targets[0].alias, "a");
  EXPECT_EQ(wrapper.targets[0].expr->names[1], "column1");
  EXPECT_EQ(wrapper.targets[1].alias, "column2");
  EXPECT_EQ(wrapper.from[0]->subquery->values.size(), 1u);
  EXPECT_EQ(ErrorOf("select 1 from (select 1) as s (a, b)").sqlstate(), "42P10");
  EXPECT_EQ(ErrorOf("select 1 from t as s (a, b)").sqlstate(), "0A000");
}

TEST(ParserTest, SetOperationsValuesAndCtes) {
  ast::Statement s = One("with x (c) as (select 1), y as (select 2) "
                         "select c from x union all select 3 except select 4 order by 1");
  const ast::SelectStmt& q = *s.select;
  ASSERT_EQ(q.with.size(), 2u);
  EXPECT_EQ(q.with[0].name, "x");
  EXPECT_EQ(q.with[0].column_names, std::vector<std::string>{"c"});
  EXPECT_EQ(q.op, ast::SetOp::kExcept);
  EXPECT_FALSE(q.all);
  EXPECT_EQ(q.larg->op, ast::SetOp::kUnion);
  EXPECT_TRUE(q.larg->all);
  EXPECT_EQ(q.order_by.size(), 1u);
  EXPECT_EQ(One("select 1 intersect select 2").select->op, ast::SetOp::kIntersect);

  ast::Statement v = One("values (1, 'a'), (2, null)");
  ASSERT_EQ(v.select->values.size(), 2u);
  EXPECT_EQ(v.select->values[1][1]->literal_kind, LiteralKind::kNull);
}

TEST(ParserTest, Literals) {
  EXPECT_EQ(Expr("42")->literal_kind, LiteralKind::kInteger);
  ast::ExprPtr neg = Expr("-5");
  EXPECT_EQ(neg->literal_kind, LiteralKind::kInteger);
  EXPECT_EQ(neg->text, "-5");
  ast::ExprPtr big = Expr("9999999999");
  EXPECT_EQ(big->literal_kind, LiteralKind::kInteger);
  EXPECT_EQ(big->text, "9999999999");
  EXPECT_EQ(Expr("99999999999999999999")->literal_kind, LiteralKind::kNumeric);
  ast::ExprPtr num = Expr("1.50");
  EXPECT_EQ(num->literal_kind, LiteralKind::kNumeric);
  EXPECT_EQ(num->text, "1.50");
  EXPECT_EQ(Expr("1e3")->literal_kind, LiteralKind::kFloat);
  ast::ExprPtr str = Expr("'it''s'");
  EXPECT_EQ(str->literal_kind, LiteralKind::kString);
  EXPECT_EQ(str->text, "it's");
  EXPECT_EQ(Expr("true")->text, "true");
  EXPECT_EQ(Expr("false")->literal_kind, LiteralKind::kBool);
  EXPECT_EQ(Expr("null")->literal_kind, LiteralKind::kNull);
  ast::ExprPtr param = Expr("$2");
  EXPECT_EQ(param->kind, ExprKind::kParam);
  EXPECT_EQ(param->param_index, 2);
}

TEST(ParserTest, TypedLiteralsAndCasts) {
  ast::ExprPtr d = Expr("date '1998-12-01'");
  ASSERT_EQ(d->kind, ExprKind::kCast);
  EXPECT_EQ(d->cast_type.name, "date");
  EXPECT_EQ(d->args[0]->text, "1998-12-01");
  ast::ExprPtr i = Expr("interval '3 month'");
  ASSERT_EQ(i->kind, ExprKind::kCast);
  EXPECT_EQ(i->cast_type.name, "interval");
  ast::ExprPtr c = Expr("cast(a as numeric(12, 2))");
  EXPECT_EQ(c->cast_type.name, "numeric");
  EXPECT_EQ(c->cast_type.mods, (std::vector<int>{12, 2}));
  ast::ExprPtr c2 = Expr("a::varchar(10)");
  EXPECT_EQ(c2->cast_type.name, "varchar");
  EXPECT_EQ(c2->cast_type.mods, std::vector<int>{10});
  EXPECT_EQ(Expr("a::varchar(max)")->cast_type.mods, std::vector<int>{65535});
}

TEST(ParserTest, Operators) {
  ast::ExprPtr e = Expr("a + b * c - d / e % f");
  EXPECT_EQ(e->op, "-");
  EXPECT_EQ(e->args[0]->op, "+");
  EXPECT_EQ(e->args[0]->args[1]->op, "*");
  EXPECT_EQ(e->args[1]->op, "%");
  EXPECT_EQ(Expr("a != b")->op, "<>");
  EXPECT_EQ(Expr("a || b")->op, "||");
  ast::ExprPtr logic = Expr("a and b and c or not d");
  EXPECT_EQ(logic->op, "OR");
  EXPECT_EQ(logic->args[0]->op, "AND");
  EXPECT_EQ(logic->args[0]->args[0]->op, "AND");
  EXPECT_EQ(logic->args[1]->kind, ExprKind::kUnary);
  EXPECT_EQ(logic->args[1]->op, "NOT");
  ast::ExprPtr minus = Expr("-x");
  EXPECT_EQ(minus->kind, ExprKind::kUnary);
  EXPECT_EQ(minus->op, "-");
}

TEST(ParserTest, Predicates) {
  ast::ExprPtr n = Expr("a is not null");
  EXPECT_EQ(n->kind, ExprKind::kIsNull);
  EXPECT_TRUE(n->negated);
  ast::ExprPtr t = Expr("a is not false");
  EXPECT_EQ(t->kind, ExprKind::kIsBool);
  EXPECT_EQ(t->op, "FALSE");
  EXPECT_TRUE(t->negated);
  ast::ExprPtr b = Expr("a not between 1 and 2");
  EXPECT_EQ(b->kind, ExprKind::kBetween);
  EXPECT_TRUE(b->negated);
  EXPECT_EQ(b->args.size(), 3u);
  ast::ExprPtr in = Expr("a not in (1, 2, 3)");
  EXPECT_EQ(in->kind, ExprKind::kInList);
  EXPECT_TRUE(in->negated);
  EXPECT_EQ(in->args.size(), 4u);
  ast::ExprPtr like = Expr("a not ilike 'x%'");
  EXPECT_EQ(like->kind, ExprKind::kLike);
  EXPECT_EQ(like->op, "ILIKE");
  EXPECT_TRUE(like->negated);
  EXPECT_FALSE(Expr("a like 'x'")->negated);
}

TEST(ParserTest, Subqueries) {
  ast::ExprPtr ex = Expr("not exists (select 1)");
  EXPECT_EQ(ex->kind, ExprKind::kExists);
  EXPECT_TRUE(ex->negated);
  ASSERT_NE(ex->subquery, nullptr);
  ast::ExprPtr in = Expr("a not in (select b from t)");
  EXPECT_EQ(in->kind, ExprKind::kInSubquery);
  EXPECT_TRUE(in->negated);
  EXPECT_EQ(in->args[0]->names[0], "a");
  EXPECT_EQ(in->subquery->from[0]->name, "t");
  EXPECT_FALSE(Expr("a in (select b from t)")->negated);
  EXPECT_EQ(Expr("(select max(b) from t)")->kind, ExprKind::kSubquery);
}

TEST(ParserTest, FunctionsAndCase) {
  ast::ExprPtr c = Expr("count(distinct a)");
  EXPECT_EQ(c->func_name, "count");
  EXPECT_TRUE(c->distinct);
  EXPECT_EQ(Expr("coalesce(a, 1)")->func_name, "coalesce");
  EXPECT_EQ(Expr("nullif(a, 1)")->func_name, "nullif");
  EXPECT_EQ(Expr("greatest(a, 1)")->func_name, "greatest");
  EXPECT_EQ(Expr("least(a, 1)")->func_name, "least");
  ast::ExprPtr sub = Expr("substring(a from 2 for 3)");
  EXPECT_EQ(sub->func_name, "substring");
  EXPECT_EQ(sub->args.size(), 3u);
  ast::ExprPtr ext = Expr("extract(year from d)");
  EXPECT_EQ(ext->func_name, "extract");
  EXPECT_EQ(ext->args[0]->literal_kind, LiteralKind::kString);
  EXPECT_EQ(ext->args[0]->text, "year");
  EXPECT_EQ(Expr("current_date")->func_name, "current_date");

  ast::ExprPtr simple = Expr("case a when 1 then 'x' when 2 then 'y' else 'z' end");
  EXPECT_EQ(simple->kind, ExprKind::kCase);
  ASSERT_NE(simple->case_operand, nullptr);
  EXPECT_EQ(simple->when.size(), 2u);
  EXPECT_EQ(simple->then[1]->text, "y");
  EXPECT_EQ(simple->else_expr->text, "z");
  ast::ExprPtr searched = Expr("case when a > 1 then 1 end");
  EXPECT_EQ(searched->case_operand, nullptr);
  EXPECT_EQ(searched->else_expr, nullptr);
}

TEST(ParserTest, LocationsAreRelativeToEachStatement) {
  std::vector<ast::Statement> s = ParseSql("select 1;\n  select a from t");
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s[0].text, "select 1");
  EXPECT_EQ(s[1].text, "select a from t");
  EXPECT_EQ(s[1].select->targets[0].expr->location, 7);
  EXPECT_EQ(s[1].select->from[0]->location, 14);
}

TEST(ParserTest, CreateTable) {
  ast::Statement s = One(
      "create table if not exists s.t (a int primary key, b varchar(10) not null, c decimal, "
      "d numeric(12,2) default 0, e text null, f char, g timestamp, h double precision unique, "
      "primary key (b))");
  ASSERT_EQ(s.kind, ast::StatementKind::kCreateTable);
  const ast::CreateTableStmt& ct = *s.create_table;
  EXPECT_TRUE(ct.if_not_exists);
  EXPECT_EQ(ct.schema, "s");
  EXPECT_EQ(ct.name, "t");
  ASSERT_EQ(ct.columns.size(), 8u);
  EXPECT_TRUE(ct.columns[0].not_null);  // PRIMARY KEY implies NOT NULL
  EXPECT_TRUE(ct.columns[1].not_null);
  EXPECT_FALSE(ct.columns[2].not_null);
  EXPECT_EQ(ct.columns[3].default_expr->text, "0");
  EXPECT_EQ(ResolveTypeName(ct.columns[0].type), SqlType::Int32());
  EXPECT_EQ(ResolveTypeName(ct.columns[1].type), SqlType::Varchar(10));
  EXPECT_EQ(ResolveTypeName(ct.columns[2].type), SqlType::Decimal(18, 0));
  EXPECT_EQ(ResolveTypeName(ct.columns[3].type), SqlType::Decimal(12, 2));
  EXPECT_EQ(ResolveTypeName(ct.columns[4].type), SqlType::Varchar(256));
  EXPECT_EQ(ResolveTypeName(ct.columns[5].type), SqlType::Char(1));
  EXPECT_EQ(ResolveTypeName(ct.columns[6].type), SqlType::Timestamp());
  EXPECT_EQ(ResolveTypeName(ct.columns[7].type), SqlType::Float64());

  ast::Statement ctas = One("create table t2 as select a from t");
  ASSERT_NE(ctas.create_table->as_select, nullptr);
  EXPECT_EQ(ctas.create_table->name, "t2");
}

TEST(ParserTest, DropInsertView) {
  ast::Statement d = One("drop table if exists a, s.b");
  EXPECT_EQ(d.drop->kind, ast::DropStmt::Kind::kTable);
  EXPECT_TRUE(d.drop->if_exists);
  ASSERT_EQ(d.drop->names.size(), 2u);
  EXPECT_EQ(d.drop->names[1].schema, "s");
  EXPECT_EQ(d.drop->names[1].name, "b");
  EXPECT_EQ(One("drop view v").drop->kind, ast::DropStmt::Kind::kView);

  ast::Statement i = One("insert into s.t (a, b) values (1, 'x'), (2, 'y')");
  EXPECT_EQ(i.insert->schema, "s");
  EXPECT_EQ(i.insert->columns, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(i.insert->select->values.size(), 2u);
  ast::Statement i2 = One("insert into t select * from u");
  EXPECT_TRUE(i2.insert->columns.empty());
  EXPECT_EQ(i2.insert->select->from[0]->name, "u");

  ast::Statement v = One("create or replace view v (x, y) as  select a, b from t where a > 1  ");
  EXPECT_TRUE(v.create_view->or_replace);
  EXPECT_EQ(v.create_view->column_names, (std::vector<std::string>{"x", "y"}));
  EXPECT_EQ(v.create_view->query_text, "select a, b from t where a > 1");
  EXPECT_EQ(v.create_view->query->targets.size(), 2u);
}

TEST(ParserTest, TransactionExplainSetShow) {
  std::vector<ast::Statement> s =
      ParseSql("begin; start transaction; commit; end; rollback; abort");
  ASSERT_EQ(s.size(), 6u);
  EXPECT_EQ(s[0].kind, ast::StatementKind::kBegin);
  EXPECT_EQ(s[1].kind, ast::StatementKind::kBegin);
  EXPECT_EQ(s[2].kind, ast::StatementKind::kCommit);
  EXPECT_EQ(s[3].kind, ast::StatementKind::kCommit);
  EXPECT_EQ(s[4].kind, ast::StatementKind::kRollback);
  EXPECT_EQ(s[5].kind, ast::StatementKind::kRollback);

  ast::Statement e = One("explain analyze verbose select 1");
  EXPECT_EQ(e.kind, ast::StatementKind::kExplain);
  EXPECT_TRUE(e.explain_analyze);
  EXPECT_EQ(e.explained->kind, ast::StatementKind::kSelect);
  EXPECT_FALSE(One("explain select 1").explain_analyze);

  ast::Statement set = One("SET extra_float_digits = 3");
  EXPECT_EQ(set.kind, ast::StatementKind::kSet);
  EXPECT_EQ(set.set_name, "extra_float_digits");
  EXPECT_EQ(set.set_value, "3");
  ast::Statement set2 = One("set session application_name to 'PostgreSQL JDBC Driver'");
  EXPECT_EQ(set2.set_name, "application_name");
  EXPECT_EQ(set2.set_value, "PostgreSQL JDBC Driver");
  EXPECT_EQ(One("set search_path to a, b").set_value, "a, b");
  ast::Statement tz = One("SET TIME ZONE 'UTC'");
  EXPECT_EQ(tz.set_name, "timezone");
  EXPECT_EQ(tz.set_value, "UTC");
  ast::Statement iso = One("set transaction isolation level serializable");
  EXPECT_EQ(iso.set_name, "transaction_isolation");
  EXPECT_EQ(iso.set_value, "serializable");
  ast::Statement reset = One("reset datestyle");
  EXPECT_EQ(reset.kind, ast::StatementKind::kSet);
  EXPECT_EQ(reset.set_name, "datestyle");
  EXPECT_TRUE(reset.set_value.empty());
  ast::Statement show = One("SHOW Search_Path");
  EXPECT_EQ(show.kind, ast::StatementKind::kShow);
  EXPECT_EQ(show.set_name, "search_path");
}

TEST(ParserTest, EmptyInput) {
  std::vector<ast::Statement> s = ParseSql("  -- nothing\n");
  ASSERT_EQ(s.size(), 1u);
  EXPECT_EQ(s[0].kind, ast::StatementKind::kEmpty);
}

TEST(ParserTest, SyntaxErrorPositionMatchesPostgres) {
  SqlError e = ErrorOf("select * frm t");
  EXPECT_EQ(e.sqlstate(), "42601");
  EXPECT_EQ(e.message(), "syntax error at or near \"frm\"");
  EXPECT_EQ(e.position(), 10);
  // Character (not byte) positions, and positions in the whole multi-statement string.
  SqlError u = ErrorOf("select 'é'; selec 1");
  EXPECT_EQ(u.position(), 13);
  SqlError end = ErrorOf("select (1");
  EXPECT_EQ(end.message(), "syntax error at end of input");
  EXPECT_EQ(end.position(), 10);
}

TEST(ParserTest, UnsupportedConstructs) {
  struct Case {
    const char* sql;
    const char* message;
  };
  const Case cases[] = {
      {"merge into t using s on t.a = s.a when matched then update set (a, b) = (select 1, 2)", "MERGE ... SET (columns) = (subquery) is not supported yet"},
      {"delete from only t", "ONLY is not supported yet"},
      {"alter table t add column b int, drop column c", "ALTER TABLE with more than one action is not supported yet"},
      {"select (1, 2) in (select 1, 2)", "row-valued IN (subquery) is not supported yet"},
      {"with recursive r(x) as (select 1 union all select x + 1 from r) search depth first by x set o select * from r",
       "SEARCH and CYCLE clauses are not supported yet"},
      {"drop sequence s", "DROP SEQUENCE is not supported yet"},
  };
  for (const Case& c : cases) {
    SqlError e = ErrorOf(c.sql);
    EXPECT_EQ(e.sqlstate(), "0A000") << c.sql;
    EXPECT_EQ(e.message(), c.message) << c.sql;
  }
  EXPECT_EQ(ErrorOf("with recursive r(x) as (select 1 union all select x + 1 from r) search depth first by x set o "
                    "select * from r").position(),
            16);
}

TEST(ParserTest, IsDistinctFromIsABinaryOperator) {
  for (const char* op : {"IS DISTINCT FROM", "IS NOT DISTINCT FROM"}) {
    std::vector<ast::Statement> stmts = ParseSql(std::string("select a ") + op + " b from t");
    const ast::Expr& e = *stmts.at(0).select->targets.at(0).expr;
    EXPECT_EQ(e.kind, ast::ExprKind::kBinary);
    EXPECT_EQ(e.op, op);
    EXPECT_EQ(e.args.size(), 2u);
  }
}

TEST(ParserTest, SplitSql) {
  std::vector<std::string> parts =
      SplitSql("select ';' ; create table t (a int encode zstd) diststyle even;  ;select 2");
  ASSERT_EQ(parts.size(), 3u);
  EXPECT_EQ(parts[0], "select ';'");
  EXPECT_EQ(parts[1], "create table t (a int encode zstd) diststyle even");
  EXPECT_EQ(parts[2], "select 2");
  try {
    SplitSql("select 1; selec 2");
    FAIL();
  } catch (const SqlError& e) {
    EXPECT_EQ(e.sqlstate(), "42601");
    EXPECT_EQ(e.position(), 11);
  }
}

TEST(TypeNamesTest, ResolvesNamesAndDefaults) {
  auto resolve = [](std::string name, std::vector<int> mods = {}) {
    return ResolveTypeName(ast::TypeName{std::move(name), std::move(mods), -1});
  };
  EXPECT_EQ(resolve("int2"), SqlType::Int16());
  EXPECT_EQ(resolve("smallint"), SqlType::Int16());
  EXPECT_EQ(resolve("integer"), SqlType::Int32());
  EXPECT_EQ(resolve("bigint"), SqlType::Int64());
  EXPECT_EQ(resolve("decimal", {38, 10}), SqlType::Decimal(38, 10));
  EXPECT_EQ(resolve("numeric", {5}), SqlType::Decimal(5, 0));
  EXPECT_EQ(resolve("real"), SqlType::Float32());
  EXPECT_EQ(resolve("float"), SqlType::Float64());
  EXPECT_EQ(resolve("boolean"), SqlType::Bool());
  EXPECT_EQ(resolve("bpchar", {4}), SqlType::Char(4));
  EXPECT_EQ(resolve("character varying"), SqlType::Varchar(256));
  EXPECT_EQ(resolve("nvarchar", {65535}), SqlType::Varchar(65535));
  EXPECT_EQ(resolve("date"), SqlType::Date());
  EXPECT_EQ(resolve("timestamp", {6}), SqlType::Timestamp());

  auto state_of = [&](std::string name, std::vector<int> mods) -> std::string {
    try {
      resolve(std::move(name), std::move(mods));
    } catch (const SqlError& e) {
      return e.sqlstate();
    }
    return "none";
  };
  EXPECT_EQ(state_of("numeric", {39, 0}), "22023");
  EXPECT_EQ(state_of("numeric", {5, 6}), "22023");
  EXPECT_EQ(state_of("varchar", {0}), "22023");
  EXPECT_EQ(state_of("varchar", {65536}), "22023");
  EXPECT_EQ(state_of("int4", {3}), "42601");
  EXPECT_EQ(resolve("interval"), SqlType::Interval());
  EXPECT_EQ(resolve("time", {3}), SqlType::Time());
  EXPECT_EQ(resolve("timetz"), SqlType::TimeTz());
  EXPECT_EQ(resolve("time with time zone"), SqlType::TimeTz());
  EXPECT_EQ(state_of("time", {7}), "22023");
  EXPECT_EQ(state_of("bytea", {}), "0A000");
  EXPECT_EQ(state_of("foo", {}), "42704");
  try {
    resolve("foo");
  } catch (const SqlError& e) {
    EXPECT_EQ(e.message(), "type \"foo\" does not exist");
  }
}

TEST(TypeNamesTest, ErrorPositionFromParsedType) {
  ast::Statement s = One("create table t (a foo)");
  try {
    ResolveTypeName(s.create_table->columns[0].type);
    FAIL();
  } catch (const SqlError& e) {
    EXPECT_EQ(e.sqlstate(), "42704");
    EXPECT_EQ(e.position(), 19);
  }
}

TEST(ParserTest, DeleteAndUpdateBecomeRowQueries) {
  ast::Statement d = One("delete from s.t as x using u where x.a = u.a");
  ASSERT_EQ(d.kind, ast::StatementKind::kDelete);
  EXPECT_EQ(d.del->schema, "s");
  EXPECT_EQ(d.del->name, "t");
  ASSERT_EQ(d.del->select->from.size(), 2u);
  EXPECT_EQ(d.del->select->from[0]->alias, "x");
  ASSERT_EQ(d.del->select->targets.size(), 1u);
  EXPECT_EQ(d.del->select->targets[0].expr->names, (std::vector<std::string>{"x", ast::kRowIdColumnName}));
  ASSERT_TRUE(d.del->select->where);

  ast::Statement u = One("update t set b = b + 1, c = 'x' from u where t.a = u.a");
  ASSERT_EQ(u.kind, ast::StatementKind::kUpdate);
  EXPECT_EQ(u.update->set_columns, (std::vector<std::string>{"b", "c"}));
  // row id, the two values, then t.*
  ASSERT_EQ(u.update->select->targets.size(), 4u);
  EXPECT_EQ(u.update->select->targets[3].expr->kind, ast::ExprKind::kStar);
  EXPECT_EQ(u.update->select->from.size(), 2u);

  EXPECT_EQ(One("truncate a, b").truncate_tables.size(), 2u);
  ast::Statement r = One("alter table t rename column a to b");
  ASSERT_EQ(r.kind, ast::StatementKind::kAlterTable);
  EXPECT_EQ(r.alter->action, ast::AlterTableStmt::Action::kRenameColumn);
  EXPECT_EQ(r.alter->old_name, "a");
  EXPECT_EQ(r.alter->new_name, "b");
  EXPECT_EQ(One("create table n (like t)").create_table->like_name, "t");
  EXPECT_FALSE(One("create table n (like t)").create_table->like_including_defaults);
  EXPECT_TRUE(One("create table n (like t including defaults)").create_table->like_including_defaults);
  EXPECT_FALSE(One("create table n (like t excluding defaults)").create_table->like_including_defaults);

  ast::Statement add = One("alter table s.t add column c varchar(9) default 'x' encode zstd");
  ASSERT_EQ(add.alter->action, ast::AlterTableStmt::Action::kAddColumn);
  EXPECT_EQ(add.alter->schema, "s");
  EXPECT_EQ(add.alter->column.name, "c");
  EXPECT_EQ(add.alter->column.encode, "zstd");
  EXPECT_TRUE(add.alter->column.default_expr != nullptr);
  EXPECT_EQ(One("alter table t add d int").alter->column.encode, "");
  EXPECT_EQ(One("alter table t drop column d").alter->action, ast::AlterTableStmt::Action::kDropColumn);
}

TEST(ParserTest, MergeBecomesAJoinQueryWithItsClauses) {
  using A = ast::MergeClause::Action;
  ast::Statement m = One("merge into s.t as x using (select 1 as k, 2 as v) src on x.k = src.k "
                         "when matched and src.v > 0 then update set v = src.v, w = default "
                         "when matched then delete when not matched then insert (k, v) values (k, default)");
  ASSERT_EQ(m.kind, ast::StatementKind::kMerge);
  EXPECT_EQ(m.merge->schema, "s");
  EXPECT_EQ(m.merge->name, "t");
  EXPECT_FALSE(m.merge->remove_duplicates);
  ASSERT_EQ(m.merge->clauses.size(), 3u);
  const auto& up = m.merge->clauses[0];
  EXPECT_EQ(up.action, A::kUpdate);
  EXPECT_TRUE(up.matched);
  EXPECT_EQ(up.columns, (std::vector<std::string>{"v", "w"}));
  ASSERT_EQ(up.values.size(), 2u);
  EXPECT_EQ(up.values[1], -1);  // DEFAULT
  EXPECT_EQ(m.merge->clauses[1].action, A::kDelete);
  const auto& ins = m.merge->clauses[2];
  EXPECT_EQ(ins.action, A::kInsert);
  EXPECT_FALSE(ins.matched);
  // The NOT MATCHED clause's unqualified names are the source's.
  ASSERT_GE(ins.values[0], 0);
  EXPECT_EQ(m.merge->select->targets[ins.values[0]].expr->names, (std::vector<std::string>{"src", "k"}));
  ASSERT_TRUE(m.merge->source_only);
  // row id first, t.* last; a RIGHT JOIN since a clause is WHEN NOT MATCHED.
  EXPECT_EQ(m.merge->select->targets[0].expr->names, (std::vector<std::string>{"x", ast::kRowIdColumnName}));
  EXPECT_EQ(m.merge->select->targets.back().expr->kind, ast::ExprKind::kStar);
  ASSERT_EQ(m.merge->select->from.size(), 1u);
  EXPECT_EQ(m.merge->select->from[0]->join_type, ast::JoinType::kRight);
  EXPECT_EQ(One("merge into t using u on t.a = u.a when matched then do nothing").merge->select->from[0]->join_type,
            ast::JoinType::kInner);

  ast::Statement rd = One("MERGE INTO t USING u AS s ON t.a = s.a REMOVE DUPLICATES;");
  ASSERT_EQ(rd.kind, ast::StatementKind::kMerge);
  EXPECT_TRUE(rd.merge->remove_duplicates);
  EXPECT_TRUE(rd.merge->clauses.empty());
  EXPECT_EQ(rd.merge->select->targets.back().expr->names, (std::vector<std::string>{"s"}));
  EXPECT_EQ(rd.text, "MERGE INTO t USING u AS s ON t.a = s.a REMOVE DUPLICATES");
  EXPECT_EQ(ErrorOf("merge into t using u on t.a = u.a when matched then delete remove duplicates").sqlstate(), "42601");
  EXPECT_EQ(ErrorOf("merge into t using u on t.a = u.a when matched then delete when matched then delete").sqlstate(), "42601");
}

TEST(ParserTest, AlterTableAppendInRedshiftSyntax) {
  ast::Statement a = One("alter table s.t append from \"Src\" filltarget");
  ASSERT_EQ(a.kind, ast::StatementKind::kAppend);
  EXPECT_EQ(a.append->target.schema, "s");
  EXPECT_EQ(a.append->target.name, "t");
  EXPECT_EQ(a.append->source.name, "Src");
  EXPECT_EQ(a.append->extra, ast::AppendStmt::Extra::kFillTarget);
  EXPECT_EQ(One("ALTER TABLE t APPEND FROM u IGNOREEXTRA").append->extra, ast::AppendStmt::Extra::kIgnoreExtra);
  EXPECT_EQ(One("alter table t append from u").append->extra, ast::AppendStmt::Extra::kNone);
  EXPECT_EQ(ErrorOf("alter table t append from u ignoreextra filltarget").sqlstate(), "42601");
  EXPECT_EQ(ErrorOf("alter table t append u").sqlstate(), "42601");
  // A column named append is still PostgreSQL's ALTER TABLE.
  EXPECT_EQ(One("alter table t add column append int").kind, ast::StatementKind::kAlterTable);
}

TEST(ParserTest, VacuumAndAnalyzeCompressionInRedshiftSyntax) {
  using M = ast::VacuumStmt::Mode;
  ast::Statement v = One("vacuum sort only public.t to 75 percent");
  ASSERT_EQ(v.kind, ast::StatementKind::kVacuum);
  EXPECT_EQ(v.vacuum->mode, M::kSortOnly);
  EXPECT_EQ(v.vacuum->schema, "public");
  EXPECT_EQ(v.vacuum->name, "t");
  EXPECT_EQ(v.vacuum->threshold_percent, 75);
  EXPECT_EQ(One("VACUUM").vacuum->mode, M::kFull);
  EXPECT_EQ(One("vacuum delete only t;").vacuum->mode, M::kDeleteOnly);
  EXPECT_EQ(One("vacuum reindex t").vacuum->mode, M::kReindex);
  EXPECT_EQ(One("vacuum full t boost").vacuum->name, "t");
  ast::Statement a = One("analyze compression t (a, b) comprows 1000");
  ASSERT_EQ(a.kind, ast::StatementKind::kAnalyzeCompression);
  EXPECT_EQ(a.analyze_columns, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(One("analyze t (a)").analyze_columns, (std::vector<std::string>{"a"}));
  EXPECT_EQ(ErrorOf("vacuum sort t").sqlstate(), "42601");
  EXPECT_EQ(ErrorOf("vacuum t to 200 percent").sqlstate(), "22023");
  EXPECT_EQ(SplitSql("vacuum t; select 1").size(), 2u);
}

}  // namespace
}  // namespace strata
