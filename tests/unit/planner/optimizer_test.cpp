// The optimizer stage (planner/optimizer.h): its passes are listed once, in order, each with a
// name; Optimize() runs them over a bound statement's plans (the query, and the rows of CREATE
// TABLE AS) and keeps the columns the client sees.
#include "planner/optimizer.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "planner_test_support.h"

namespace strata {
namespace {

const LogicalNode* FindScan(const LogicalNode& n) {
  if (n.kind == LogicalKind::kScan) return &n;
  for (const auto& c : n.children) {
    if (const LogicalNode* s = FindScan(*c)) return s;
  }
  return nullptr;
}

TEST(Optimizer, PassesAreNamedOnceAndEndWithColumnPruning) {
  const std::vector<OptimizerPass>& passes = OptimizerPasses();
  ASSERT_FALSE(passes.empty());
  std::set<std::string> names;
  for (const OptimizerPass& p : passes) {
    ASSERT_NE(p.run, nullptr);
    EXPECT_TRUE(names.insert(p.name).second) << p.name;
  }
  // Pruning last: a pass after it could reference a column it removed.
  EXPECT_EQ(std::string(passes.back().name), "column_pruning");
}

TEST(Optimizer, OptimizesTheQueryOfABoundStatement) {
  auto cat = testing::SampleCatalog();
  BoundStatement b = testing::BindSql("select c_name from customers where c_id > 3", cat);
  ASSERT_NE(b.query, nullptr);
  const size_t columns_before = FindScan(*b.query)->scan_columns.size();
  Optimize(&b);
  ASSERT_NE(b.query, nullptr);
  EXPECT_LT(FindScan(*b.query)->scan_columns.size(), columns_before);
  EXPECT_EQ(b.query->columns.size(), 1u);
  EXPECT_EQ(b.query->columns[0].name, "c_name");
}

TEST(Optimizer, OptimizesTheRowsOfCreateTableAs) {
  auto cat = testing::SampleCatalog();
  BoundStatement b = testing::BindSql("create table names_only as select c_name from customers", cat);
  ASSERT_NE(b.create_as, nullptr);
  const size_t columns_before = FindScan(*b.create_as)->scan_columns.size();
  Optimize(&b);
  EXPECT_LT(FindScan(*b.create_as)->scan_columns.size(), columns_before);
}

TEST(Optimizer, NoPlanStaysNoPlan) {
  EXPECT_EQ(Optimize(LogicalPtr{}), nullptr);
  auto cat = testing::SampleCatalog();
  BoundStatement b = testing::BindSql("create table plain_t (a int)", cat);
  Optimize(&b);
  EXPECT_EQ(b.query, nullptr);
  EXPECT_EQ(b.create_as, nullptr);
}

}  // namespace
}  // namespace strata
