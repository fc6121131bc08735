// Column pruning: scans keep only the columns a query reads, through filters, joins and
// aggregates, and the plan still computes the same columns for the client.
#include <gtest/gtest.h>

#include "planner/column_pruning.h"
#include "planner_test_support.h"

namespace strata {
namespace {

const LogicalNode* FindScan(const LogicalNode& n, const std::string& table) {
  if (n.kind == LogicalKind::kScan && n.table.name() == table) return &n;
  for (const auto& c : n.children) {
    if (const LogicalNode* s = FindScan(*c, table)) return s;
  }
  return nullptr;
}

TEST(ColumnPruning, ScansReadOnlyWhatTheQueryUses) {
  auto cat = testing::SampleCatalog();
  BoundStatement b = testing::BindSql(
      "select c_name, sum(o_total) from orders join customers on o_cust = c_id where o_id > 5 group by c_name", cat);
  PruneColumns(b.query.get());
  const LogicalNode* orders = FindScan(*b.query, "orders");
  const LogicalNode* customers = FindScan(*b.query, "customers");
  ASSERT_NE(orders, nullptr);
  ASSERT_NE(customers, nullptr);
  EXPECT_EQ(orders->scan_columns, (std::vector<int>{0, 1, 2}));  // o_id (filter), o_cust (key), o_total
  EXPECT_EQ(customers->scan_columns, (std::vector<int>{0, 1}));  // c_id, c_name; not c_nation
  EXPECT_EQ(b.query->columns.size(), 2u);
  PhysicalPlan p = PlanQuery(*b.query, ClusterShape{2, 2});
  EXPECT_GE(p.plan.stages_size(), 2);
}

TEST(ColumnPruning, CountStarReadsNoColumns) {
  auto cat = testing::SampleCatalog();
  BoundStatement b = testing::BindSql("select count(*) from items", cat);
  PruneColumns(b.query.get());
  const LogicalNode* items = FindScan(*b.query, "items");
  ASSERT_NE(items, nullptr);
  EXPECT_TRUE(items->scan_columns.empty());
}

TEST(ColumnPruning, SemiJoinKeepsOnlyTheInnerKey) {
  auto cat = testing::SampleCatalog();
  BoundStatement b = testing::BindSql(
      "select o_id from orders where exists (select * from items where i_order = o_id and i_qty > 3)", cat);
  PruneColumns(b.query.get());
  const LogicalNode* items = FindScan(*b.query, "items");
  ASSERT_NE(items, nullptr);
  EXPECT_EQ(items->scan_columns, (std::vector<int>{0, 1}));  // i_order (key), i_qty (filter); not i_name
}

}  // namespace
}  // namespace strata
