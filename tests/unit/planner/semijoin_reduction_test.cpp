// Semi-join reduction (planner/semijoin_reduction.h): a small input joined to a GROUP BY on its
// group keys filters the GROUP BY's input first — and only where that keeps the answer.
#include "planner/semijoin_reduction.h"

#include <gtest/gtest.h>

#include <string>

#include "planner/optimizer.h"
#include "planner_test_support.h"

namespace strata {
namespace {

// Semi joins below an aggregate anywhere in the plan.
int ReducedAggregates(const LogicalNode& n) {
  int found = 0;
  if (n.kind == LogicalKind::kAggregate && n.children[0]->kind == LogicalKind::kJoin &&
      n.children[0]->join_type == plan::SEMI) {
    ++found;
  }
  for (const auto& c : n.children) if (c) found += ReducedAggregates(*c);
  return found;
}

int Reduced(const std::string& sql) {
  BoundStatement b = testing::BindSql(sql, testing::SampleCatalog());
  Optimize(&b);
  return ReducedAggregates(*b.query);
}

TEST(SemiJoinReduction, FiltersTheGroupedSideByTheSmallSidesKeys) {
  // customers (1,000 rows, filtered) against items (4,000,000) grouped by i_order.
  EXPECT_EQ(Reduced("select c_name, q from customers join (select i_order, sum(i_qty) q from items group by i_order) g "
                    "on g.i_order = c_id where c_nation = 3"),
            1);
  // A scalar subquery correlated by the group key (a LEFT join to the grouped subquery).
  EXPECT_EQ(Reduced("select c_name, (select sum(i_qty) from items where i_order = c_id) from customers where c_nation = 3"), 1);
  // The aggregate on the left of an inner join.
  EXPECT_EQ(Reduced("select q from (select i_order, sum(i_qty) q from items group by i_order) g join customers on g.i_order = c_id"),
            1);
}

// The semi join the reduction made (its build side projects semijoin_key_* columns), or null.
const LogicalNode* ReductionJoin(const LogicalNode& n) {
  if (n.kind == LogicalKind::kJoin && n.join_type == plan::SEMI && n.children.size() == 2 &&
      n.children[1]->kind == LogicalKind::kProject && !n.children[1]->columns.empty() &&
      n.children[1]->columns[0].name.rfind("semijoin_key_", 0) == 0) {
    return &n;
  }
  for (const auto& c : n.children) {
    if (!c) continue;
    if (const LogicalNode* found = ReductionJoin(*c)) return found;
  }
  return nullptr;
}

int Joins(const LogicalNode& n) {
  int found = n.kind == LogicalKind::kJoin ? 1 : 0;
  for (const auto& c : n.children) if (c) found += Joins(*c);
  return found;
}

TEST(SemiJoinReduction, KeysComeFromTheSmallestInputThatHoldsThem) {
  // The outer side is customers x nations, fewer rows than customers (one nation's): the keys
  // (c_id) are taken from the filtered customers alone rather than from a second copy of the
  // join (TPC-H Q2's shape: its filtered parts, not parts x partsupp x supplier x nation).
  BoundStatement b = testing::BindSql(
      "select c_name, (select sum(i_qty) from items where i_order = c_id) from customers join nations on n_id = c_nation "
      "where n_name = 'x'",
      testing::SampleCatalog());
  Optimize(&b);
  const LogicalNode* semi = ReductionJoin(*b.query);
  ASSERT_NE(semi, nullptr);
  EXPECT_EQ(Joins(*semi->children[1]), 0);
}

TEST(SemiJoinReduction, TheSemiJoinGoesDownToTheInputItTests) {
  // The grouped input is items x orders; the keys test items' i_order: items are filtered
  // before the join, not the join's rows after it.
  BoundStatement b = testing::BindSql(
      "select c_name, (select sum(o_total) from items join orders on o_id = i_qty where i_order = c_id) from customers "
      "where c_nation = 3",
      testing::SampleCatalog());
  Optimize(&b);
  const LogicalNode* semi = ReductionJoin(*b.query);
  ASSERT_NE(semi, nullptr);
  EXPECT_EQ(Joins(*semi->children[0]), 0);
}

TEST(SemiJoinReduction, LeavesWhatItCannotReduce) {
  // The grouped side is preserved (it is the LEFT join's left side): every group is output.
  EXPECT_EQ(Reduced("select q from (select i_order, sum(i_qty) q from items group by i_order) g left join customers "
                    "on g.i_order = c_id"),
            0);
  // Joined on an aggregate value, not a group key.
  EXPECT_EQ(Reduced("select c_name from customers join (select i_order, sum(i_qty) q from items group by i_order) g "
                    "on g.q = c_id"),
            0);
  // The other side is not small: orders (1,000,000) against items (4,000,000).
  EXPECT_EQ(Reduced("select o_total, q from orders join (select i_order, sum(i_qty) q from items group by i_order) g "
                    "on g.i_order = o_id"),
            0);
  // Under a quarter of items' rows, but keys for most of its groups (orders filtered to about
  // 300,000 against about 400,000 groups): the semi join would drop too little.
  EXPECT_EQ(Reduced("select o_total, q from (select * from orders where o_total > 5) o join "
                    "(select i_order, sum(i_qty) q from items group by i_order) g on g.i_order = o_id"),
            0);
  // A volatile small side would differ between its two evaluations.
  EXPECT_EQ(Reduced("select c_name, q from (select * from customers where random() < 0.5) c join "
                    "(select i_order, sum(i_qty) q from items group by i_order) g on g.i_order = c_id"),
            0);
}

// The first semi join of the plan (depth first), or null.
const LogicalNode* FirstSemiJoin(const LogicalNode& n) {
  if (n.kind == LogicalKind::kJoin && n.join_type == plan::SEMI) return &n;
  for (const auto& c : n.children) {
    if (!c) continue;
    if (const LogicalNode* found = FirstSemiJoin(*c)) return found;
  }
  return nullptr;
}

TEST(SemiJoinReduction, MovesAnInBelowTheJoinToTheTableItTests) {
  // TPC-H Q18's shape: orders IN (a grouped subquery) joined to items. The semi join ends on
  // orders' side of the join, not above the joined rows.
  BoundStatement b = testing::BindSql(
      "select o_id, sum(i_qty) from orders, items where o_id = i_order and "
      "o_id in (select i_order from items group by i_order having sum(i_qty) > 300) group by o_id",
      testing::SampleCatalog());
  Optimize(&b);
  const LogicalNode* semi = FirstSemiJoin(*b.query);
  ASSERT_NE(semi, nullptr);
  const LogicalNode* probe = semi->children[0].get();
  while (probe->kind == LogicalKind::kProject || probe->kind == LogicalKind::kFilter) probe = probe->children[0].get();
  ASSERT_EQ(probe->kind, LogicalKind::kScan);
  EXPECT_EQ(probe->table.name(), "orders");
}

}  // namespace
}  // namespace strata
