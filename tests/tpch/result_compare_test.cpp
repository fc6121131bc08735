// Unit tests for the differential test's own rules: value matching, ordered versus multiset
// comparison, and cutting SQL files into statements (a wrong rule here would hide Strata bugs).
#include <gtest/gtest.h>

#include "tests/tpch/result_compare.h"
#include "tests/tpch/sql_script.h"

namespace strata::tpch {
namespace {

ResultRow Row(std::initializer_list<const char*> values) {
  ResultRow row;
  for (const char* v : values) row.push_back(v == nullptr ? std::nullopt : std::optional<std::string>(v));
  return row;
}

TEST(ValuesMatchTest, NumbersWithinToleranceTextExactNullOnlyNull) {
  EXPECT_TRUE(ValuesMatch("25.5220058532573370", "25.52"));
  EXPECT_TRUE(ValuesMatch("100", "100.00"));
  EXPECT_FALSE(ValuesMatch("100.00", "100.02"));
  EXPECT_TRUE(ValuesMatch("123456789012.34", "123456789012.349"));  // absolute 0.009
  EXPECT_TRUE(ValuesMatch("5678901234567.00", "5678901234567.004"));
  EXPECT_TRUE(ValuesMatch("5678901234567.00", "5678901234568.00"));   // 1.8e-13 relative
  EXPECT_FALSE(ValuesMatch("5678901234567.00", "5678901300000.00"));  // 1.2e-8 relative
  EXPECT_TRUE(ValuesMatch("BRAZIL                   ", "BRAZIL"));
  EXPECT_FALSE(ValuesMatch("BRAZIL", "brazil"));
  EXPECT_FALSE(ValuesMatch("1995-03-15", "1995-03-16"));  // dates are text, not 1995 - 3 - 15
  EXPECT_FALSE(ValuesMatch("13-555-1234", "13-555-1235"));
  EXPECT_TRUE(ValuesMatch(std::nullopt, std::nullopt));
  EXPECT_FALSE(ValuesMatch(std::nullopt, "0"));
  EXPECT_FALSE(ValuesMatch("", std::nullopt));
}

TEST(FirstDifferenceTest, OrderedComparisonSeesOrderMultisetDoesNot) {
  std::vector<ResultRow> pg = {Row({"A", "1"}), Row({"B", "2"})};
  std::vector<ResultRow> strata = {Row({"B", "2.000"}), Row({"A", "1"})};
  EXPECT_TRUE(FirstDifference(pg, strata, /*ordered=*/true).has_value());
  EXPECT_FALSE(FirstDifference(pg, strata, /*ordered=*/false).has_value());
}

TEST(FirstDifferenceTest, ReportsRowCountValueAndColumnCount) {
  std::vector<ResultRow> pg = {Row({"A", "1"}), Row({"B", "2"})};
  std::optional<std::string> d = FirstDifference(pg, {Row({"A", "1"})}, true);
  ASSERT_TRUE(d.has_value());
  EXPECT_NE(d->find("row count differs: postgres 2, strata 1"), std::string::npos);
  d = FirstDifference(pg, {Row({"A", "1"}), Row({"B", "3"})}, true);
  ASSERT_TRUE(d.has_value());
  EXPECT_NE(d->find("row 2 column 2: postgres '2', strata '3'"), std::string::npos);
  d = FirstDifference(pg, {Row({"A"}), Row({"B"})}, false);
  ASSERT_TRUE(d.has_value());
  EXPECT_NE(d->find("column count"), std::string::npos);
  EXPECT_FALSE(FirstDifference({}, {}, true).has_value());
}

TEST(FirstDifferenceTest, MultisetSortsNumbersByValueAndKeepsDuplicates) {
  std::vector<ResultRow> pg = {Row({"10"}), Row({"9"}), Row({"9"}), Row({nullptr})};
  std::vector<ResultRow> strata = {Row({"9.0"}), Row({nullptr}), Row({"10.00"}), Row({"9"})};
  EXPECT_FALSE(FirstDifference(pg, strata, false).has_value());
  std::vector<ResultRow> missing_duplicate = {Row({"9"}), Row({nullptr}), Row({"10"}), Row({"10"})};
  EXPECT_TRUE(FirstDifference(pg, missing_duplicate, false).has_value());
}

TEST(SqlScriptTest, SplitsAtSemicolonsOutsideQuotesAndComments) {
  std::vector<std::string> s = SplitStatements(
      "-- header; not a statement\ncreate view v as select ';' as x;\n\nselect 1 -- tail;\n;\n"
      "drop view v;");
  ASSERT_EQ(s.size(), 3u);
  EXPECT_EQ(s[0], "create view v as select ';' as x");
  EXPECT_EQ(s[1], "select 1");
  EXPECT_EQ(s[2], "drop view v");
  EXPECT_TRUE(ReturnsRows(s[1]));
  EXPECT_FALSE(ReturnsRows(s[0]));
}

TEST(SqlScriptTest, OrderByOnlyCountsAtTheOutermostLevel) {
  EXPECT_TRUE(HasTopLevelOrderBy("select a from t order by a"));
  EXPECT_TRUE(HasTopLevelOrderBy("select a\nfrom t\norder\n  by a desc limit 10"));
  EXPECT_FALSE(HasTopLevelOrderBy("select * from (select a from t order by a) s"));
  EXPECT_FALSE(HasTopLevelOrderBy("select 'order by' from t"));
  EXPECT_FALSE(HasTopLevelOrderBy("select sum(x) from t"));
}

}  // namespace
}  // namespace strata::tpch
