// The decorrelation pass (planner/decorrelation.h) on bound plans: the binder leaves a dependent
// join for each correlated subquery its shortcuts do not cover, and the pass replaces every one
// by ordinary joins, keeping the plan's output columns and leaving no outer reference behind.
#include "planner/decorrelation.h"

#include <gtest/gtest.h>

#include <functional>
#include <string>

#include "planner_test_support.h"
#include "sql/error.h"

namespace strata {
namespace {

int CountKind(const LogicalNode& n, LogicalKind kind) {
  int count = n.kind == kind ? 1 : 0;
  for (const auto& c : n.children) count += CountKind(*c, kind);
  return count;
}

bool ExprHasOuterRef(const plan::Expr& e) {
  if (e.has_outer_ref()) return true;
  for (const auto& a : e.call().args()) if (ExprHasOuterRef(a)) return true;
  return false;
}

// True when any filter, projection, aggregate or join key below `n` still reads an outer row.
bool ReadsOuterRow(const LogicalNode& n) {
  if (n.has_predicate && ExprHasOuterRef(n.predicate)) return true;
  for (const auto& e : n.exprs) if (ExprHasOuterRef(e)) return true;
  for (const auto& e : n.groups) if (ExprHasOuterRef(e)) return true;
  for (const auto& e : n.left_keys) if (ExprHasOuterRef(e)) return true;
  for (const auto& e : n.right_keys) if (ExprHasOuterRef(e)) return true;
  for (const auto& c : n.children) if (ReadsOuterRow(*c)) return true;
  return false;
}

struct Case {
  const char* sql;
  int dependent_joins;  // as the binder leaves them
};

class Decorrelation : public ::testing::TestWithParam<Case> {};

TEST_P(Decorrelation, UnnestsEveryDependentJoinAndKeepsTheColumns) {
  BoundStatement b = testing::BindSql(GetParam().sql, testing::SampleCatalog());
  ASSERT_NE(b.query, nullptr);
  EXPECT_EQ(CountKind(*b.query, LogicalKind::kDependentJoin), GetParam().dependent_joins);
  auto columns = b.query->columns;
  LogicalPtr plan = Decorrelate(std::move(b.query));
  ASSERT_NE(plan, nullptr);
  EXPECT_EQ(CountKind(*plan, LogicalKind::kDependentJoin), 0);
  EXPECT_FALSE(ReadsOuterRow(*plan));
  ASSERT_EQ(plan->columns.size(), columns.size());
  for (size_t i = 0; i < columns.size(); ++i) {
    EXPECT_EQ(plan->columns[i].name, columns[i].name);
    EXPECT_EQ(plan->columns[i].type, columns[i].type);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Shapes, Decorrelation,
    ::testing::Values(
        // Equality correlation: the binder's shortcut, no dependent join.
        Case{"select c_name, (select count(*) from orders where o_cust = c_id) from customers", 0},
        // A comparison other than =: a scalar aggregate per outer value.
        Case{"select c_name, (select count(*) from orders where o_total < c_id) from customers", 1},
        // Under GROUP BY, ORDER BY + LIMIT, a derived table, UNION ALL.
        Case{"select (select max(o_total) from orders where o_cust < c_id group by o_cust limit 1) from customers", 1},
        Case{"select (select o_total from orders where o_cust = c_id order by o_total limit 1) from customers", 1},
        Case{"select (select count(*) from (select * from orders where o_total > c_id) s) from customers", 1},
        Case{"select (select count(*) from (select o_cust from orders where o_cust < c_id union all "
             "select i_order from items where i_qty > c_id) s) from customers", 1},
        // EXISTS and IN forms, quantified comparisons.
        Case{"select c_name from customers where exists (select o_cust from orders where o_total > c_id group by o_cust)", 1},
        Case{"select c_name from customers where c_id in (select o_cust from orders where o_total < c_nation)", 1},
        Case{"select c_name, c_id > all (select o_cust from orders) from customers", 1},
        // Nested: the innermost subquery reads the outermost row (its EXISTS is still a semi join,
        // whose condition reads the outer row until the outer dependent join is unnested).
        Case{"select (select count(*) from orders where exists (select 1 from items where i_order = o_id and "
             "i_qty > c_id)) from customers", 1},
        Case{"select (select count(*) from orders where o_total > (select max(i_qty) from items where i_order < o_id "
             "and i_qty > c_id)) from customers", 2}));

TEST(DecorrelationErrors, AnAggregatingQueryReadsOnlyGroupedColumns) {
  try {
    testing::BindSql("select c_nation, (select count(*) from orders where o_total < c_id) from customers group by c_nation",
                     testing::SampleCatalog());
    FAIL() << "expected 42803";
  } catch (const SqlError& e) {
    EXPECT_EQ(e.sqlstate(), "42803");
  }
}

}  // namespace
}  // namespace strata
