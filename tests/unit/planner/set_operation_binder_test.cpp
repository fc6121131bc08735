// Set operations through the real parser, binder and physical planner: result types and names,
// the plan shapes (Append, per-column grouping, side counts and Repeat), where they run, and
// the errors with their SQLSTATEs.
#include <gtest/gtest.h>

#include "planner_test_support.h"
#include "sql/error.h"

namespace strata {
namespace {

using testing::BindSql;
using testing::ExplainText;
using testing::PlanSql;
using testing::SampleCatalog;

bool Contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

std::string ErrorState(const std::string& sql) {
  try {
    PlanSql(sql, SampleCatalog());
  } catch (const SqlError& e) {
    return e.sqlstate();
  }
  return "";
}

std::string ErrorMessage(const std::string& sql) {
  try {
    PlanSql(sql, SampleCatalog());
  } catch (const SqlError& e) {
    return e.what();
  }
  return "";
}

// The first operator of `op`'s tree (depth first, projections skipped) of the given kind.
const plan::Operator* Find(const plan::Operator& op, plan::Operator::KindCase kind) {
  if (op.kind_case() == kind) return &op;
  const plan::Operator* children[] = {
      op.has_project() ? &op.project().input() : nullptr, op.has_filter() ? &op.filter().input() : nullptr,
      op.has_aggregate() ? &op.aggregate().input() : nullptr, op.has_sort() ? &op.sort().input() : nullptr,
      op.has_limit() ? &op.limit().input() : nullptr, op.has_repeat() ? &op.repeat().input() : nullptr};
  for (const plan::Operator* c : children) {
    if (c == nullptr) continue;
    if (const plan::Operator* f = Find(*c, kind)) return f;
  }
  if (op.has_append()) {
    for (const auto& in : op.append().inputs()) if (const plan::Operator* f = Find(in, kind)) return f;
  }
  return nullptr;
}

TEST(SetOperations, ResultTypesFollowPostgresRules) {
  CatalogVersion cat = SampleCatalog();
  BoundStatement b = BindSql("select o_id from orders union all select e_id from events", cat);
  EXPECT_EQ(b.query->columns.at(0).type, SqlType::Int64());
  EXPECT_EQ(b.query->columns.at(0).name, "o_id");
  b = BindSql("select 1 as x union select 2.5", cat);
  EXPECT_EQ(b.query->columns.at(0).type.id, TypeId::kDecimal);
  EXPECT_EQ(b.query->columns.at(0).name, "x");
  b = BindSql("select null union select 1", cat);
  EXPECT_EQ(b.query->columns.at(0).type, SqlType::Int32());
  b = BindSql("select 'a' union select 'b'", cat);
  EXPECT_EQ(b.query->columns.at(0).type, SqlType::Text());
  b = BindSql("select c_name from customers union select 'somebody with a long name'", cat);
  EXPECT_TRUE(b.query->columns.at(0).type.is_string());
}

TEST(SetOperations, UnionAllOfSliceInputsAppendsWhereTheRowsAre) {
  PhysicalPlan p = PlanSql("select o_id from orders union all select i_order from items", SampleCatalog());
  std::string e = ExplainText(p);
  EXPECT_TRUE(Contains(e, "XN Append")) << e;
  ASSERT_EQ(p.plan.stages_size(), 2) << e;
  EXPECT_FALSE(p.plan.stages(0).on_leader());
  EXPECT_EQ(p.plan.stages(0).sink().kind(), plan::SINK_GATHER);
  const plan::Operator* a = Find(p.plan.stages(0).root(), plan::Operator::kAppend);
  ASSERT_NE(a, nullptr) << e;
  EXPECT_EQ(a->append().inputs_size(), 2);
}

TEST(SetOperations, NestedUnionAllIsOneAppend) {
  PhysicalPlan p = PlanSql("select o_id from orders union all select i_order from items union all select c_id from customers",
                           SampleCatalog());
  const plan::Operator* a = Find(p.plan.stages(0).root(), plan::Operator::kAppend);
  ASSERT_NE(a, nullptr) << ExplainText(p);
  EXPECT_EQ(a->append().inputs_size(), 3);
}

TEST(SetOperations, UnionOfCoLocatedInputsGroupsOnTheSlices) {
  // Both inputs are distributed by their first column (int): equal rows share a slice.
  PhysicalPlan p = PlanSql("select o_id from orders union select i_order from items", SampleCatalog());
  const plan::Operator* agg = Find(p.plan.stages(0).root(), plan::Operator::kAggregate);
  ASSERT_NE(agg, nullptr) << ExplainText(p);
  EXPECT_EQ(agg->aggregate().mode(), plan::SINGLE);
  EXPECT_EQ(agg->aggregate().groups_size(), 1);
  EXPECT_NE(Find(agg->aggregate().input(), plan::Operator::kAppend), nullptr);
}

TEST(SetOperations, UnionOfDifferentlyPlacedInputsAggregatesInTwoPhases) {
  PhysicalPlan p = PlanSql("select o_cust from orders union select e_cust from events", SampleCatalog());
  const plan::Operator* agg = Find(p.plan.stages(0).root(), plan::Operator::kAggregate);
  ASSERT_NE(agg, nullptr) << ExplainText(p);
  EXPECT_EQ(agg->aggregate().mode(), plan::PARTIAL);
}

TEST(SetOperations, IntersectAllCountsSidesAndRepeats) {
  PhysicalPlan p = PlanSql("select o_cust from orders intersect all select e_cust from events", SampleCatalog());
  std::string e = ExplainText(p);
  EXPECT_TRUE(Contains(e, "XN SetOp")) << e;
  bool found = false;
  for (const auto& s : p.plan.stages()) {
    if (const plan::Operator* r = Find(s.root(), plan::Operator::kRepeat)) {
      found = true;
      EXPECT_EQ(r->repeat().count().call().op(), plan::CASE);
    }
  }
  EXPECT_TRUE(found) << e;
  p = PlanSql("select o_cust from orders except all select e_cust from events", SampleCatalog());
  found = false;
  for (const auto& s : p.plan.stages()) {
    if (const plan::Operator* r = Find(s.root(), plan::Operator::kRepeat)) {
      found = true;
      EXPECT_EQ(r->repeat().count().call().op(), plan::SUB);
    }
  }
  EXPECT_TRUE(found) << ExplainText(p);
}

TEST(SetOperations, CatalogAndTableInputsMeetOnTheLeader) {
  PhysicalPlan p = PlanSql("select relname::text from pg_class union all select i_name from items", SampleCatalog());
  ASSERT_FALSE(p.system_inputs.empty());
  const plan::Stage& last = p.plan.stages(p.plan.stages_size() - 1);
  EXPECT_TRUE(last.on_leader());
  EXPECT_NE(Find(last.root(), plan::Operator::kAppend), nullptr) << ExplainText(p);
}

TEST(SetOperations, OrderByNamesOutputColumns) {
  PhysicalPlan p = PlanSql("select o_id as a, o_cust from orders union select i_order, i_qty from items order by a desc, 2 limit 5",
                           SampleCatalog());
  const plan::Operator* sort = Find(p.plan.stages(p.plan.stages_size() - 1).root(), plan::Operator::kSort);
  ASSERT_NE(sort, nullptr) << ExplainText(p);
  ASSERT_EQ(sort->sort().keys_size(), 2);
  EXPECT_EQ(sort->sort().keys(0).expr().column(), 0);
  EXPECT_TRUE(sort->sort().keys(0).desc());
  EXPECT_EQ(sort->sort().keys(1).expr().column(), 1);
}

TEST(SetOperations, Errors) {
  EXPECT_EQ(ErrorState("select 1 union select 1, 2"), "42601");
  EXPECT_EQ(ErrorMessage("select 1 except select 1, 2"), "each EXCEPT query must have the same number of columns");
  EXPECT_EQ(ErrorState("select o_id from orders union select i_name from items"), "42804");
  EXPECT_EQ(ErrorMessage("select o_id from orders union select i_name from items"),
            "UNION types integer and character varying cannot be matched");
  EXPECT_EQ(ErrorState("select 'a' union select 'b' union select 1"), "42804");
  EXPECT_EQ(ErrorState("select 1 union select 'x'"), "22P02");
  EXPECT_EQ(ErrorState("select o_id from orders union select i_order from items order by o_id + 1"), "0A000");
  EXPECT_EQ(ErrorState("select o_id from orders union select i_order from items order by i_order"), "42703");
  EXPECT_EQ(ErrorState("select o_id from orders union select i_order from items order by orders.o_id"), "42P01");
  EXPECT_EQ(ErrorState("select o_id from orders union select i_order from items order by 3"), "42P10");
}

}  // namespace
}  // namespace strata
