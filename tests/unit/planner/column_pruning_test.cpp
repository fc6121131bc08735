// Column pruning: scans keep only the columns a query reads, through filters, joins and
// aggregates, and the plan still computes the same columns for the client.
#include <gtest/gtest.h>

#include "planner/column_pruning.h"
#include "planner/optimizer.h"
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

// A column only a filter reads (o_id > 5) is dropped right above the filter: a projection of
// the columns wanted above (o_cust, o_total) sits between the filter and the join, so the
// column is not carried into the join's exchange or hash table.
TEST(ColumnPruning, AColumnOnlyAFilterReadsGoesAfterTheFilter) {
  auto cat = testing::SampleCatalog();
  BoundStatement b = testing::BindSql(
      "select c_name, sum(o_total) from orders join customers on o_cust = c_id where o_id > 5 group by c_name", cat);
  Optimize(&b);  // the filter goes down onto the orders scan, then pruning
  const LogicalNode* above = nullptr;
  std::vector<const LogicalNode*> stack{b.query.get()};
  while (!stack.empty()) {
    const LogicalNode* n = stack.back();
    stack.pop_back();
    for (const auto& c : n->children) {
      if (c->kind == LogicalKind::kFilter && FindScan(*c, "orders") != nullptr) above = n;
      stack.push_back(c.get());
    }
  }
  ASSERT_NE(above, nullptr);
  ASSERT_EQ(above->kind, LogicalKind::kProject);
  ASSERT_EQ(above->columns.size(), 2u);
  EXPECT_EQ(above->columns[0].name, "o_cust");
  EXPECT_EQ(above->columns[1].name, "o_total");
  EXPECT_EQ(above->children[0]->columns.size(), 3u);  // the filter still sees o_id

  // Where the query returns the filter's column, nothing is added.
  BoundStatement all = testing::BindSql("select o_id, o_total from orders where o_id > 5", cat);
  Optimize(&all);
  const LogicalNode* n = all.query.get();
  while (n->kind != LogicalKind::kFilter && !n->children.empty()) n = n->children[0].get();
  ASSERT_EQ(n->kind, LogicalKind::kFilter);
  EXPECT_EQ(n->children[0]->kind, LogicalKind::kScan);
}

}  // namespace
}  // namespace strata
