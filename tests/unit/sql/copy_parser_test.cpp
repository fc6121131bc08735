// COPY and UNLOAD parsing (sql/copy_parser.h): Redshift's free option lists, PostgreSQL's
// parenthesised and old-style options, COPY (query) TO STDOUT, and syntax errors with positions.
#include "sql/copy_parser.h"

#include <gtest/gtest.h>

#include "sql/error.h"
#include "sql/parser.h"

namespace strata {
namespace {

using Options = std::vector<std::pair<std::string, std::string>>;

TEST(CopyParserTest, RedshiftOptionList) {
  ast::Statement st = ParseCopyOrUnload(
      "copy public.Sales (a, \"B\") from 's3://bucket/p/' iam_role 'arn:aws:iam::1:role/x' "
      "format as csv quote as '''' ignoreheader 1 delimiter ',' gzip maxerror as 10 "
      "dateformat 'auto' compupdate off region 'eu-west-1';");
  ASSERT_EQ(st.kind, ast::StatementKind::kCopy);
  const ast::CopyStmt& c = *st.copy;
  EXPECT_EQ(c.schema, "public");
  EXPECT_EQ(c.name, "sales");
  EXPECT_EQ(c.columns, (std::vector<std::string>{"a", "B"}));
  EXPECT_TRUE(c.is_from);
  EXPECT_EQ(c.source, "s3://bucket/p/");
  EXPECT_EQ(c.options, (Options{{"iam_role", "arn:aws:iam::1:role/x"}, {"format", "csv"}, {"quote", "'"},
                                {"ignoreheader", "1"}, {"delimiter", ","}, {"gzip", ""}, {"maxerror", "10"},
                                {"dateformat", "auto"}, {"compupdate", "off"}, {"region", "eu-west-1"}}));
}

TEST(CopyParserTest, JsonAndParquetForms) {
  ast::Statement st = ParseCopyOrUnload("COPY t FROM 's3://b/j' JSON 'auto ignorecase' NULL AS 'x'");
  EXPECT_EQ(st.copy->options, (Options{{"format", "json"}, {"json", "auto ignorecase"}, {"null", "x"}}));
  st = ParseCopyOrUnload("COPY t FROM 's3://b/p' FORMAT AS PARQUET");
  EXPECT_EQ(st.copy->options, (Options{{"format", "parquet"}}));
  st = ParseCopyOrUnload("COPY t FROM 's3://b/j' FORMAT JSON AS 's3://b/paths.json' CREDENTIALS 'aws_access_key_id=A;aws_secret_access_key=B'");
  EXPECT_EQ(st.copy->options, (Options{{"format", "json"}, {"json", "s3://b/paths.json"},
                                      {"credentials", "aws_access_key_id=A;aws_secret_access_key=B"}}));
}

TEST(CopyParserTest, PostgresForms) {
  ast::Statement st = ParseCopyOrUnload("COPY  t FROM STDIN WITH (FORMAT csv, HEADER true, DELIMITER ';', NULL '')");
  EXPECT_TRUE(st.copy->from_stdin);
  EXPECT_EQ(st.copy->options, (Options{{"format", "csv"}, {"header", "true"}, {"delimiter", ";"}, {"null", ""}}));
  st = ParseCopyOrUnload("copy t from stdin csv header");
  EXPECT_EQ(st.copy->options, (Options{{"format", "csv"}, {"header", ""}}));
  st = ParseCopyOrUnload("COPY (select a, ')' from t where b = 'x') TO STDOUT WITH CSV");
  EXPECT_FALSE(st.copy->is_from);
  EXPECT_TRUE(st.copy->to_stdout);
  EXPECT_EQ(st.copy->query_text, "select a, ')' from t where b = 'x'");
}

TEST(CopyParserTest, Unload) {
  ast::Statement st = ParseCopyOrUnload(
      "UNLOAD ('select * from t where d = ''2024-01-01''') TO 's3://b/out/t_' "
      "IAM_ROLE DEFAULT FORMAT PARQUET PARTITION BY (year, month) INCLUDE MAXFILESIZE 100 MB MANIFEST VERBOSE PARALLEL OFF CLEANPATH");
  ASSERT_EQ(st.kind, ast::StatementKind::kUnload);
  const ast::UnloadStmt& u = *st.unload;
  EXPECT_EQ(u.query_text, "select * from t where d = '2024-01-01'");
  EXPECT_EQ(u.target, "s3://b/out/t_");
  EXPECT_EQ(u.options, (Options{{"iam_role", "default"}, {"format", "parquet"}, {"partition_include", ""},
                                {"partition", "year,month"}, {"maxfilesize", "100 mb"}, {"manifest", "verbose"},
                                {"parallel", "off"}, {"cleanpath", ""}}));
}

TEST(CopyParserTest, SyntaxErrorsHavePositions) {
  try {
    ParseCopyOrUnload("COPY t FROM 's3://b' DELIMITER AS");
    FAIL();
  } catch (const SqlError& e) {
    EXPECT_EQ(e.sqlstate(), "42601");
    EXPECT_EQ(e.message(), "syntax error at end of input");
    EXPECT_EQ(e.position(), 34);  // one past the last character, as PostgreSQL reports it
  }
  try {
    ParseCopyOrUnload("COPY t INTO 's3://b'");
    FAIL();
  } catch (const SqlError& e) {
    EXPECT_EQ(e.message(), "syntax error at or near \"INTO\"");
    EXPECT_EQ(e.position(), 8);
  }
}

TEST(CopyParserTest, ParseSqlRoutesCopyAndSplitKeepsOtherStatements) {
  std::vector<std::string> parts = SplitSql("select 1; copy t from 's3://b/x;y' csv; select 'copy'");
  ASSERT_EQ(parts.size(), 3u);
  EXPECT_EQ(parts[1], "copy t from 's3://b/x;y' csv");
  std::vector<ast::Statement> stmts = ParseSql("create table copy_log (a int); unload ('select 1') to '/tmp/x'");
  ASSERT_EQ(stmts.size(), 2u);
  EXPECT_EQ(stmts[0].kind, ast::StatementKind::kCreateTable);
  EXPECT_EQ(stmts[1].kind, ast::StatementKind::kUnload);
  EXPECT_TRUE(IsCopyOrUnload("  -- load\n COPY t FROM STDIN"));
  EXPECT_FALSE(IsCopyOrUnload("copyright"));
}

}  // namespace
}  // namespace strata
