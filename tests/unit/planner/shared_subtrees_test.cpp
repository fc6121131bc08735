// Shared subtrees (planner/shared_subtrees.h): the copies of a repeated join are marked as one
// group, pruned to the same columns (the union of what their parents need) and planned as one
// stage whose exchange every copy reads; copies that differ, hold random() or scan little are
// computed each time.
#include <gtest/gtest.h>

#include "planner/optimizer.h"
#include "planner/shared_subtrees.h"
#include "planner_test_support.h"

namespace strata {
namespace {

void Marked(const LogicalNode& n, std::vector<const LogicalNode*>* out) {
  if (n.share_group >= 0) out->push_back(&n);
  for (const auto& c : n.children) Marked(*c, out);
}

// Table scans of orders (table id 1) over all stages.
int OrdersScans(const PhysicalPlan& p) {
  int scans = 0;
  for (const auto& s : p.plan.stages()) {
    const std::string text = s.root().DebugString();
    for (size_t at = text.find("table_id: 1\n"); at != std::string::npos; at = text.find("table_id: 1\n", at + 1)) ++scans;
  }
  return scans;
}

// TPC-H Q11's shape: the join is in the query, which needs o_cust, and in its subquery, which
// does not.
constexpr const char* kTwice =
    "select o_cust, sum(o_total) from orders join customers on o_cust = c_id where c_nation = 3 group by o_cust "
    "having sum(o_total) > (select sum(o_total) / 100 from orders join customers on o_cust = c_id where c_nation = 3)";

TEST(SharedSubtrees, BothCopiesOfARepeatedJoinArePrunedAlikeAndPlannedOnce) {
  auto cat = testing::SampleCatalog();
  BoundStatement b = testing::BindSql(kTwice, cat);
  Optimize(&b);
  std::vector<const LogicalNode*> marked;
  Marked(*b.query, &marked);
  ASSERT_EQ(marked.size(), 2u);
  EXPECT_EQ(marked[0]->share_group, marked[1]->share_group);
  const std::string fp = SubtreeFingerprint(*marked[0]);
  ASSERT_FALSE(fp.empty());
  EXPECT_EQ(fp, SubtreeFingerprint(*marked[1]));  // the subquery's copy keeps o_cust too

  PhysicalPlan p = testing::PlanSql(kTwice, cat);
  EXPECT_EQ(OrdersScans(p), 1) << testing::ExplainText(p);
  EXPECT_NE(testing::ExplainText(p).find("Shared: computed once"), std::string::npos);
}

TEST(SharedSubtrees, CopiesThatDifferOrDrawRandomNumbersAreComputedEachTime) {
  auto cat = testing::SampleCatalog();
  for (const char* sql : {
           // another constant in the subquery's copy
           "select o_cust, sum(o_total) from orders join customers on o_cust = c_id where c_nation = 3 group by o_cust "
           "having sum(o_total) > (select sum(o_total) / 100 from orders join customers on o_cust = c_id where c_nation = 4)",
           // random() below the joins
           "select (select count(*) from (select * from orders where random() < 0.5) o join customers on o_cust = c_id), "
           "(select count(*) from (select * from orders where random() < 0.5) o join customers on o_cust = c_id)",
           // a small table only (nations, customers): not worth a stage
           "select (select count(*) from customers join nations on c_nation = n_id), "
           "(select count(*) from customers join nations on c_nation = n_id)"}) {
    BoundStatement b = testing::BindSql(sql, cat);
    Optimize(&b);
    std::vector<const LogicalNode*> marked;
    Marked(*b.query, &marked);
    EXPECT_TRUE(marked.empty()) << sql;
  }
  PhysicalPlan p = testing::PlanSql(
      "select (select count(*) from (select * from orders where random() < 0.5) o join customers on o_cust = c_id), "
      "(select count(*) from (select * from orders where random() < 0.5) o join customers on o_cust = c_id)",
      cat);
  EXPECT_EQ(OrdersScans(p), 2);
}

}  // namespace
}  // namespace strata
