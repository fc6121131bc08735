// Physical planner: distribution steps for joins and two-phase aggregation, checked through
// the plan's stages and its EXPLAIN text.
#include <gtest/gtest.h>

#include "planner_test_support.h"

namespace strata {
namespace {

using testing::ExplainText;
using testing::PlanSql;
using testing::SampleCatalog;

bool Contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

TEST(PhysicalPlanner, CoLocatedJoinNeedsNoRedistribution) {
  PhysicalPlan p = PlanSql("select count(*) from orders join items on o_id = i_order", SampleCatalog());
  EXPECT_TRUE(Contains(ExplainText(p), "DS_DIST_NONE")) << ExplainText(p);
  // Partial aggregate on the slices, then the final one on the leader: two stages.
  ASSERT_EQ(p.plan.stages_size(), 2);
  EXPECT_FALSE(p.plan.stages(0).on_leader());
  EXPECT_EQ(p.plan.stages(0).sink().kind(), plan::SINK_GATHER);
  EXPECT_EQ(p.plan.stages(0).root().aggregate().mode(), plan::PARTIAL);
  EXPECT_TRUE(p.plan.stages(1).on_leader());
  const plan::Operator* op = &p.plan.stages(1).root();
  while (op->has_project()) op = &op->project().input();
  EXPECT_EQ(op->aggregate().mode(), plan::FINAL);
}

TEST(PhysicalPlanner, ExplainShowsConditionsAndKeys) {
  PhysicalPlan p = PlanSql("select o_id from orders join items on o_id = i_order where o_total > 10.5 order by o_id desc",
                           SampleCatalog());
  std::string e = ExplainText(p);
  EXPECT_TRUE(Contains(e, "Hash Cond: (o_id = i_order)") || Contains(e, "Hash Cond: (i_order = o_id)")) << e;
  EXPECT_TRUE(Contains(e, "Filter: (o_total > 10.50)")) << e;
  EXPECT_TRUE(Contains(e, "Merge Key: o_id DESC")) << e;
}

TEST(PhysicalPlanner, SmallInnerIsBroadcast) {
  PhysicalPlan p = PlanSql("select c_name from orders join customers on o_cust = c_id", SampleCatalog());
  EXPECT_TRUE(Contains(ExplainText(p), "DS_BCAST_INNER")) << ExplainText(p);
  EXPECT_EQ(p.plan.stages(0).sink().kind(), plan::SINK_BROADCAST);
}

TEST(PhysicalPlanner, AllTableJoinsWhereItIs) {
  PhysicalPlan p = PlanSql("select n_name from customers join nations on c_nation = n_id", SampleCatalog());
  EXPECT_TRUE(Contains(ExplainText(p), "DS_DIST_ALL_NONE")) << ExplainText(p);
}

// A filtered ALL table, and a join of ALL tables, as a join's build side: every slice reads its
// node's copies (DS_DIST_ALL_NONE) instead of one slice reading them and broadcasting the rows,
// so the plan is one stage on the slices plus the leader's.
TEST(PhysicalPlanner, JoinsOfAllTablesReadEveryNodesCopies) {
  for (const char* sql : {"select c_name from customers join nations on c_nation = n_id where n_name = 'FRANCE'",
                          "select c_name from customers join (select a.n_id from nations a join nations b on a.n_id = b.n_id "
                          "where b.n_name = 'FRANCE') t on c_nation = t.n_id"}) {
    PhysicalPlan p = PlanSql(sql, SampleCatalog());
    const std::string e = ExplainText(p);
    EXPECT_TRUE(Contains(e, "DS_DIST_ALL_NONE")) << e;
    EXPECT_FALSE(Contains(e, "DS_BCAST_INNER")) << e;
    for (const auto& st : p.plan.stages()) EXPECT_NE(st.sink().kind(), plan::SINK_BROADCAST) << e;
  }
}

TEST(PhysicalPlanner, InnerRedistributedToOuterKey) {
  // events (EVEN, 2M rows) joined on orders' distkey: orders is smaller, so it is the inner...
  PhysicalPlan p = PlanSql("select count(*) from events join orders on e_cust = o_id", SampleCatalog());
  std::string e = ExplainText(p);
  EXPECT_TRUE(Contains(e, "DS_DIST_OUTER") || Contains(e, "DS_DIST_INNER")) << e;
}

TEST(PhysicalPlanner, BothSidesRedistributedWhenNeitherIsOnTheKey) {
  PhysicalPlan p = PlanSql("select count(*) from items join events on i_qty = e_cust", SampleCatalog());
  std::string e = ExplainText(p);
  EXPECT_TRUE(Contains(e, "DS_DIST_BOTH")) << e;
  int hash_sinks = 0;
  for (const auto& s : p.plan.stages()) hash_sinks += s.sink().kind() == plan::SINK_HASH;
  EXPECT_EQ(hash_sinks, 2);
}

TEST(PhysicalPlanner, TopNRunsOnTheSlicesFirst) {
  PhysicalPlan p = PlanSql("select o_id from orders order by o_total desc limit 10", SampleCatalog());
  ASSERT_GE(p.plan.stages_size(), 2);
  EXPECT_TRUE(p.plan.stages(0).root().has_sort());
  EXPECT_EQ(p.plan.stages(0).root().sort().limit(), 10);
}

TEST(PhysicalPlanner, SystemTablesAreLeaderOnly) {
  PhysicalPlan p = PlanSql("select count(*) from stv_slices", SampleCatalog());
  ASSERT_EQ(p.system_inputs.size(), 1u);
  for (const auto& s : p.plan.stages()) EXPECT_TRUE(s.on_leader());
}

TEST(PhysicalPlanner, InsertDistributesByTheTargetStyle) {
  CatalogVersion cat = SampleCatalog();
  BoundStatement b = testing::BindSql("insert into orders values (1, 2, 3.5)", cat);
  PhysicalPlan p = PlanInsert(*b.query, b.table, ClusterShape{2, 2});
  ASSERT_EQ(p.plan.stages_size(), 2);
  EXPECT_EQ(p.plan.stages(0).sink().kind(), plan::SINK_HASH);
  EXPECT_EQ(p.plan.stages(1).sink().kind(), plan::SINK_WRITE);
  BoundStatement c = testing::BindSql("insert into nations values (1, 'x')", cat);
  PhysicalPlan q = PlanInsert(*c.query, c.table, ClusterShape{2, 2});
  EXPECT_EQ(q.plan.stages(0).sink().kind(), plan::SINK_TO_NODE_COPY);
}

}  // namespace
}  // namespace strata

namespace strata {
namespace {

// EXISTS / NOT EXISTS / IN whose subquery side is the larger build the outer rows and let the
// subquery's rows probe them (RIGHT_SEMI / RIGHT_ANTI); a smaller subquery side stays the build.
TEST(PhysicalPlanner, TheLargerSideOfASemiJoinProbes) {
  PhysicalPlan p = PlanSql("select count(*) from customers where exists (select 1 from items where i_order = c_id)",
                           SampleCatalog());
  EXPECT_TRUE(Contains(ExplainText(p), "Right Semi Join")) << ExplainText(p);
  p = PlanSql("select count(*) from customers where not exists (select 1 from items where i_order = c_id and i_qty > c_nation)",
              SampleCatalog());
  EXPECT_TRUE(Contains(ExplainText(p), "Right Anti Join")) << ExplainText(p);
  p = PlanSql("select c_name from customers where c_id in (select i_order from items)", SampleCatalog());
  EXPECT_TRUE(Contains(ExplainText(p), "Right Semi Join")) << ExplainText(p);
  // The outer rows come out once each: the build side is never copied to every node.
  EXPECT_FALSE(Contains(ExplainText(p), "DS_BCAST")) << ExplainText(p);
  p = PlanSql("select count(*) from items where exists (select 1 from customers where c_id = i_order)", SampleCatalog());
  EXPECT_FALSE(Contains(ExplainText(p), "Right Semi Join")) << ExplainText(p);
  // NOT IN keeps its sides: it must see every row of the subquery.
  p = PlanSql("select count(*) from customers where c_id not in (select i_order from items)", SampleCatalog());
  EXPECT_FALSE(Contains(ExplainText(p), "Right Anti Join")) << ExplainText(p);
}

double FilterRows(const LogicalNode& n) {
  if (n.kind == LogicalKind::kFilter) return n.estimated_rows;
  for (const auto& c : n.children) {
    if (!c) continue;
    if (double r = FilterRows(*c); r >= 0) return r;
  }
  return -1;
}

// A lower and an upper bound on one column are one range of its values, not two independent
// filters (a month of seven years' dates is a month, not a quarter of the rows).
TEST(PhysicalPlanner, BoundsOnOneColumnAreOneRange) {
  catalog::Catalog c;
  *c.add_tables() = testing::MakeTable(1, "orders", {{"o_id", SqlType::Int32()}, {"o_cust", SqlType::Int32()}}, "KEY", 0, 1000000);
  for (int col = 0; col < 2; ++col) {
    auto* column = c.mutable_tables(0)->mutable_columns(col);
    column->set_has_range(true);
    column->set_min_value(0);
    column->set_max_value(999999);
  }
  CatalogVersion cat = *CatalogVersion::FromProto(c);
  auto rows = [&](const std::string& where) {
    BoundStatement b = testing::BindSql("select count(*) from orders where " + where, cat);
    Optimize(&b);
    return FilterRows(*b.query);
  };
  double r = rows("o_id >= 100000 and o_id < 110000");
  EXPECT_GT(r, 9000);
  EXPECT_LT(r, 11000);
  r = rows("110000 > o_id and o_id >= 100000 and o_id > 105000");  // the tighter lower bound counts
  EXPECT_GT(r, 4500);
  EXPECT_LT(r, 5500);
  r = rows("o_id > 500000 and o_id < 400000");  // nothing between: a value's worth, never zero
  EXPECT_GE(r, 1);
  EXPECT_LT(r, 10);
  // Bounds on different columns stay independent.
  r = rows("o_id < 500000 and o_cust < 500000");
  EXPECT_GT(r, 240000);
  EXPECT_LT(r, 260000);
  r = rows("o_id < 250000");
  EXPECT_GT(r, 240000);
  EXPECT_LT(r, 260000);
}

}  // namespace
}  // namespace strata
