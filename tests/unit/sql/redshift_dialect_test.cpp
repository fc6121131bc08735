// Tests of the Redshift dialect layer: lifting DISTSTYLE / DISTKEY / SORTKEY / ENCODE out of
// CREATE TABLE, positions kept intact, errors positioned, and the decoded CreateTableStmt.
#include <gtest/gtest.h>

#include "sql/error.h"
#include "sql/parser.h"
#include "sql/redshift_dialect.h"

namespace strata {
namespace {

SqlError ErrorOf(std::string_view sql) {
  try {
    ParseSql(sql);
  } catch (const SqlError& e) {
    return e;
  }
  ADD_FAILURE() << "no error for: " << sql;
  return SqlError("00000", "");
}

TEST(RedshiftDialectTest, TableAndColumnAttributes) {
  std::vector<ast::Statement> s = ParseSql(
      "create table t (a int encode az64, b varchar(10)) diststyle key distkey(a) compound sortkey(a,b)");
  ASSERT_EQ(s.size(), 1u);
  const ast::CreateTableStmt& ct = *s[0].create_table;
  EXPECT_EQ(ct.diststyle, "KEY");
  EXPECT_EQ(ct.distkey, "a");
  EXPECT_EQ(ct.sortkey, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(ct.sortstyle, "COMPOUND");
  ASSERT_EQ(ct.columns.size(), 2u);
  EXPECT_EQ(ct.columns[0].encode, "az64");
  EXPECT_EQ(ct.columns[1].encode, "");
  EXPECT_EQ(ResolveTypeName(ct.columns[1].type), SqlType::Varchar(10));
  // The statement's text is the original, Redshift clauses included.
  EXPECT_NE(s[0].text.find("compound sortkey(a,b)"), std::string::npos);
}

TEST(RedshiftDialectTest, ColumnAndTableSortkeyTogetherIsRefused) {
  SqlError e = ErrorOf("create table t (a int sortkey, b int) interleaved sortkey (a, b)");
  EXPECT_EQ(e.sqlstate(), "42P16");
  EXPECT_EQ(e.position(), 39);
}

TEST(RedshiftDialectTest, ColumnLevelKeys) {
  ast::Statement s = std::move(ParseSql(
      "CREATE TABLE \"Sales\" (\"Id\" BIGINT NOT NULL ENCODE ZSTD DISTKEY SORTKEY, d DATE ENCODE raw SORTKEY, "
      "note VARCHAR(MAX) ENCODE lzo DEFAULT 'x') BACKUP NO")[0]);
  const ast::CreateTableStmt& ct = *s.create_table;
  EXPECT_EQ(ct.name, "Sales");
  EXPECT_EQ(ct.diststyle, "KEY");  // implied by the column-level DISTKEY
  EXPECT_EQ(ct.distkey, "");
  ASSERT_EQ(ct.columns.size(), 3u);
  EXPECT_EQ(ct.columns[0].name, "Id");
  EXPECT_TRUE(ct.columns[0].not_null);
  EXPECT_EQ(ct.columns[0].encode, "zstd");
  EXPECT_TRUE(ct.columns[0].distkey);
  EXPECT_TRUE(ct.columns[0].sortkey);
  EXPECT_FALSE(ct.columns[1].distkey);
  EXPECT_TRUE(ct.columns[1].sortkey);
  EXPECT_EQ(ct.columns[2].encode, "lzo");
  EXPECT_EQ(ct.columns[2].default_expr->text, "x");
  EXPECT_EQ(ResolveTypeName(ct.columns[2].type), SqlType::Varchar(65535));
}

TEST(RedshiftDialectTest, OtherStylesAndCtas) {
  EXPECT_EQ(ParseSql("create table t (a int) diststyle all")[0].create_table->diststyle, "ALL");
  EXPECT_EQ(ParseSql("create table t (a int) DistStyle Even")[0].create_table->diststyle, "EVEN");
  ast::Statement auto_sort = std::move(ParseSql("create table t (a int) diststyle auto sortkey auto")[0]);
  EXPECT_EQ(auto_sort.create_table->diststyle, "AUTO");
  EXPECT_TRUE(auto_sort.create_table->sortkey.empty());
  ast::Statement ctas =
      std::move(ParseSql("create table t2 diststyle even sortkey (x) as select a as x from t")[0]);
  EXPECT_EQ(ctas.create_table->diststyle, "EVEN");
  EXPECT_EQ(ctas.create_table->sortkey, std::vector<std::string>{"x"});
  ASSERT_NE(ctas.create_table->as_select, nullptr);
}

TEST(RedshiftDialectTest, SeveralStatementsAndLocations) {
  std::vector<ast::Statement> s = ParseSql(
      "create table a (x int encode delta) diststyle even; select x from a; "
      "create table b (y int) distkey (y); select 'diststyle' as diststyle");
  ASSERT_EQ(s.size(), 4u);
  EXPECT_EQ(s[0].create_table->diststyle, "EVEN");
  EXPECT_EQ(s[0].create_table->columns[0].encode, "delta");
  EXPECT_EQ(s[2].create_table->diststyle, "KEY");
  EXPECT_EQ(s[2].create_table->distkey, "y");
  EXPECT_EQ(s[2].create_table->columns[0].encode, "");
  EXPECT_EQ(s[3].select->targets[0].alias, "diststyle");
  EXPECT_EQ(s[3].select->targets[0].expr->text, "diststyle");
  // The column after a lifted ENCODE keeps its position.
  ast::Statement c = std::move(ParseSql("create table t (a int encode zstd, b int)")[0]);
  EXPECT_EQ(c.create_table->columns[1].location, 35);
}

TEST(RedshiftDialectTest, ErrorsCarryPositions) {
  SqlError bad_style = ErrorOf("create table t (a int) diststyle sideways");
  EXPECT_EQ(bad_style.sqlstate(), "42601");
  EXPECT_EQ(bad_style.position(), 34);
  EXPECT_NE(bad_style.message().find("sideways"), std::string::npos);

  SqlError bad_encode = ErrorOf("select 1; create table t (a int encode snappy)");
  EXPECT_EQ(bad_encode.sqlstate(), "42601");
  EXPECT_EQ(bad_encode.message(), "unknown compression encoding \"snappy\"");
  EXPECT_EQ(bad_encode.position(), 40);

  SqlError bad_key = ErrorOf("create table t (a int) distkey (a, b)");
  EXPECT_EQ(bad_key.sqlstate(), "42601");
  EXPECT_EQ(bad_key.message(), "syntax error at or near \",\"");
  EXPECT_EQ(bad_key.position(), 34);

  SqlError no_key = ErrorOf("create table t (a int) diststyle key");
  EXPECT_EQ(no_key.sqlstate(), "42P16");
  SqlError clash = ErrorOf("create table t (a int distkey) diststyle even");
  EXPECT_EQ(clash.sqlstate(), "42P16");
  SqlError two = ErrorOf("create table t (a int distkey, b int distkey)");
  EXPECT_EQ(two.sqlstate(), "42P16");

  SqlError identity = ErrorOf("create table t (a bigint identity(1, 1), b int)");
  EXPECT_EQ(identity.sqlstate(), "0A000");
  EXPECT_EQ(identity.position(), 26);

  // A PostgreSQL syntax error after a lifted clause still points at the right character.
  SqlError later = ErrorOf("create table t (é int encode zstd, b int) diststyle even frob");
  EXPECT_EQ(later.sqlstate(), "42601");
  EXPECT_EQ(later.message(), "syntax error at or near \"frob\"");
  EXPECT_EQ(later.position(), 58);
  // Redshift words outside CREATE TABLE stay PostgreSQL syntax errors.
  EXPECT_EQ(ErrorOf("select 1 diststyle even").position(), 20);
}

TEST(RedshiftDialectTest, LiftKeepsByteLength) {
  std::string sql = "create table t (a int encode zstd) diststyle even sortkey(a)";
  DialectResult d = LiftRedshiftClauses(sql);
  EXPECT_EQ(d.pg_text.size(), sql.size());
  EXPECT_EQ(d.pg_text.find("encode"), std::string::npos);
  EXPECT_EQ(d.pg_text.find("diststyle"), std::string::npos);
  EXPECT_EQ(d.pg_text.substr(0, 21), sql.substr(0, 21));
  ASSERT_EQ(d.tables.size(), 1u);
  EXPECT_EQ(d.tables[0].columns.at("a").encode, "zstd");
}

TEST(RedshiftDialectTest, Helpers) {
  EXPECT_TRUE(IsKnownEncoding("az64"));
  EXPECT_TRUE(IsKnownEncoding("TEXT32K"));
  EXPECT_FALSE(IsKnownEncoding("gzip"));
  EXPECT_EQ(NormalizeIdentifier("FooBar"), "foobar");
  EXPECT_EQ(NormalizeIdentifier("\"Foo\"\"Bar\""), "Foo\"Bar");
  EXPECT_EQ(CharPositionAt("aé b", 4), 4);
  EXPECT_EQ(CharPositionAt("abc", 0), 1);
}

}  // namespace
TEST(RedshiftDialectTest, SelectTopBecomesAMarkerOfTheSameLength) {
  std::string sql = "select top 10 a from t; select top\n7\tb from u; select top x from v";
  DialectResult r = LiftRedshiftClauses(sql);
  EXPECT_EQ(r.pg_text.size(), sql.size());
  EXPECT_EQ(r.pg_text, "select _t(10),a from t; select _t(7),b from u; select top x from v");
  EXPECT_EQ(r.top_offsets, (std::vector<int>{7, 31}));
}

}  // namespace strata
