// ORDER BY n / GROUP BY n with n beyond int32: PostgreSQL's 42601 "non-integer constant", not an
// uncaught std::out_of_range (found by tests/fuzz/fuzz_sql; its input is in the SQL corpus).
#include <gtest/gtest.h>

#include "sql/error.h"
#include "tests/unit/planner/planner_test_support.h"

namespace strata {
namespace {

std::string StateOf(const std::string& sql) {
  try {
    testing::PlanSql(sql, testing::SampleCatalog());
  } catch (const SqlError& e) {
    return e.sqlstate() + " " + e.message();
  }
  return "ok";
}

TEST(SelectListPositionTest, HugePositionsAreNonIntegerConstants) {
  EXPECT_EQ(StateOf("select o_id from orders order by 9223372036854775807"), "42601 non-integer constant in ORDER BY");
  EXPECT_EQ(StateOf("select o_id from orders order by 2147483648"), "42601 non-integer constant in ORDER BY");
  EXPECT_EQ(StateOf("select o_id from orders group by 99999999999"), "42601 non-integer constant in GROUP BY");
  EXPECT_EQ(StateOf("select o_id from orders union all select c_id from customers order by 1, 9223372036854775807"),
            "42601 non-integer constant in ORDER BY");
}

TEST(SelectListPositionTest, PositionsInRangeStillWork) {
  EXPECT_EQ(StateOf("select o_id from orders order by 1"), "ok");
  EXPECT_EQ(StateOf("select o_id, count(*) from orders group by 1 order by 2"), "ok");
  EXPECT_EQ(StateOf("select o_id from orders order by 2147483647"), "42P10 ORDER BY position 2147483647 is not in select list");
  EXPECT_EQ(StateOf("select o_id from orders union select c_id from customers order by 1"), "ok");
}

}  // namespace
}  // namespace strata
