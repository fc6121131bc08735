// The optimizer stage (planner/optimizer.h): its passes are listed once, in order, each with a
// name; Optimize() runs them over a bound statement's plans (the query, and the rows of CREATE
// TABLE AS) and keeps the columns the client sees.
#include "planner/optimizer.h"
#include "planner/select_binder.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "planner_test_support.h"

namespace strata {
namespace {

// The first node of `kind` in a depth-first walk of the plan.
const LogicalNode* FindFirst(const LogicalNode& n, LogicalKind kind) {
  if (n.kind == kind) return &n;
  for (const auto& c : n.children) {
    if (const LogicalNode* found = FindFirst(*c, kind)) return found;
  }
  return nullptr;
}
const LogicalNode* FindScan(const LogicalNode& n) { return FindFirst(n, LogicalKind::kScan); }
const LogicalNode* FirstJoin(const LogicalNode& n) { return FindFirst(n, LogicalKind::kJoin); }

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

// One pass of the list, run alone.
LogicalPtr RunPass(const std::string& name, LogicalPtr plan) {
  for (const OptimizerPass& p : OptimizerPasses()) {
    if (name == p.name) return p.run(std::move(plan));
  }
  ADD_FAILURE() << "no pass " << name;
  return plan;
}

TEST(Optimizer, JoinOrderTurnsWhereEqualitiesIntoJoinKeysAndPushesFilters) {
  BoundStatement b = testing::BindSql("select c_name from orders, customers where o_cust = c_id and o_total > 5",
                                      testing::SampleCatalog());
  const double bound_rows = b.query->estimated_rows;
  LogicalPtr plan = RunPass("join_order", std::move(b.query));
  const LogicalNode* n = FirstJoin(*plan);
  ASSERT_NE(n, nullptr);
  ASSERT_EQ(n->left_keys.size(), 1u);
  EXPECT_EQ(n->children[0]->kind, LogicalKind::kFilter);  // o_total > 5 pushed to orders
  EXPECT_EQ(plan->estimated_rows, bound_rows);  // the binder estimated it as ordered
}

TEST(Optimizer, JoinOrderFiltersEachTableByWhatAnOrAcrossTablesImplies) {
  // Every branch constrains both tables: each gets the OR of its own constraints as a filter,
  // and the OR itself stays above the join.
  BoundStatement b = testing::BindSql(
      "select c_name from orders, customers where o_cust = c_id and "
      "((o_total > 5 and c_nation = 1) or (o_total < 2 and c_nation = 2))",
      testing::SampleCatalog());
  LogicalPtr plan = RunPass("join_order", std::move(b.query));
  const LogicalNode* j = FirstJoin(*plan);
  ASSERT_NE(j, nullptr);
  int filtered_inputs = 0;
  for (const auto& c : j->children) {
    if (c->kind == LogicalKind::kFilter && c->predicate.has_call() && c->predicate.call().op() == plan::OR) ++filtered_inputs;
  }
  EXPECT_EQ(filtered_inputs, 2);
  EXPECT_TRUE(j->has_predicate || plan->kind == LogicalKind::kProject);
  // A branch without a constraint on customers implies nothing for it.
  BoundStatement b2 = testing::BindSql(
      "select c_name from orders, customers where o_cust = c_id and ((o_total > 5 and c_nation = 1) or o_total < 2)",
      testing::SampleCatalog());
  LogicalPtr plan2 = RunPass("join_order", std::move(b2.query));
  const LogicalNode* j2 = FirstJoin(*plan2);
  ASSERT_NE(j2, nullptr);
  int customers_filtered = 0;
  for (const auto& c : j2->children) {
    if (c->kind == LogicalKind::kFilter && FindScan(*c) != nullptr && FindScan(*c)->table.name() == "customers") {
      ++customers_filtered;
    }
  }
  EXPECT_EQ(customers_filtered, 0);
}

TEST(Optimizer, JoinOrderOrdersADerivedTablesJoinsInsideIt) {
  // The derived table's joins are ordered on their own, below its select list, and each join of
  // both FROM lists gets its equality as a hash key.
  BoundStatement b = testing::BindSql(
      "select * from (select * from orders, customers where o_cust = c_id) d, items where d.o_id = items.i_order",
      testing::SampleCatalog());
  LogicalPtr plan = RunPass("join_order", std::move(b.query));
  // The outer join's inputs: one of them is the derived table, a projection over its own join.
  const LogicalNode* outer = FirstJoin(*plan);
  ASSERT_NE(outer, nullptr);
  bool nested_region = false;
  for (const auto& input : outer->children) {
    const LogicalNode* x = input.get();
    while (x->kind == LogicalKind::kProject || x->kind == LogicalKind::kFilter) {
      if (x->kind == LogicalKind::kProject && x->children[0]->kind == LogicalKind::kJoin) nested_region = true;
      x = x->children[0].get();
    }
  }
  EXPECT_TRUE(nested_region);
  int keyed = 0;
  std::vector<const LogicalNode*> todo = {plan.get()};
  while (!todo.empty()) {
    const LogicalNode* x = todo.back();
    todo.pop_back();
    if (x->kind == LogicalKind::kJoin) {
      EXPECT_EQ(x->left_keys.size(), 1u);  // no cross product, each join on its own key
      ++keyed;
    }
    for (const auto& c : x->children) todo.push_back(c.get());
  }
  EXPECT_EQ(keyed, 2);
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

// The node right above the first scan, after the passes up to and including predicate push-down.
const LogicalNode* AboveScan(const LogicalNode& n) {
  for (const auto& c : n.children) {
    if (c->kind == LogicalKind::kScan) return &n;
    if (const LogicalNode* found = AboveScan(*c)) return found;
  }
  return nullptr;
}

LogicalPtr PushedDown(const std::string& sql) {
  BoundStatement b = testing::BindSql(sql, testing::SampleCatalog());
  LogicalPtr plan = RunPass("decorrelation", std::move(b.query));
  plan = RunPass("join_order", std::move(plan));
  return RunPass("predicate_pushdown", std::move(plan));
}

// True when a filter sits directly on a scan (where the scan's zone maps use it).
bool FilterOnScan(const LogicalNode& plan) {
  const LogicalNode* above = AboveScan(plan);
  return above != nullptr && above->kind == LogicalKind::kFilter;
}

TEST(Optimizer, PredicatePushDownMovesGroupKeyFiltersBelowTheGrouping) {
  LogicalPtr plan = PushedDown("select * from (select o_cust, count(*) n from orders group by o_cust) g where o_cust = 3");
  EXPECT_TRUE(FilterOnScan(*plan));
  EXPECT_EQ(plan->kind, LogicalKind::kProject);  // no filter is left on top
  // A filter on an aggregate's value stays above the grouping.
  plan = PushedDown("select * from (select o_cust, count(*) n from orders group by o_cust) g where n = 3");
  EXPECT_FALSE(FilterOnScan(*plan));
  // A grouping without keys yields a row even of no input: nothing moves below it.
  plan = PushedDown("select * from (select count(*) n from orders) g where 1 = 0");
  EXPECT_FALSE(FilterOnScan(*plan));
}

TEST(Optimizer, PredicatePushDownEvaluatesARepeatedConditionOnce) {
  // As when a WHERE repeats a row-level security predicate (a filter right above the scan).
  LogicalPtr plan = PushedDown("select * from (select * from orders where o_total > 5) t where o_total > 5 and o_cust = 2");
  const LogicalNode* above = AboveScan(*plan);
  ASSERT_NE(above, nullptr);
  ASSERT_EQ(above->kind, LogicalKind::kFilter);
  std::vector<plan::Expr> parts;
  SplitConjuncts(above->predicate, &parts);
  EXPECT_EQ(parts.size(), 2u);  // o_total > 5 once, o_cust = 2
}

TEST(Optimizer, PredicatePushDownCopiesIntoEveryUnionAllBranch) {
  LogicalPtr plan = PushedDown("select * from (select o_id from orders union all select i_order from items) u where o_id = 7");
  const LogicalNode* append = FindFirst(*plan, LogicalKind::kAppend);
  ASSERT_NE(append, nullptr);
  for (const auto& branch : append->children) EXPECT_TRUE(FilterOnScan(*branch));
}

TEST(Optimizer, PredicatePushDownKeepsTheInnerSideOfAnOuterJoin) {
  LogicalPtr plan = PushedDown("select * from orders left join customers on o_cust = c_id where o_total > 5 and c_name = 'x'");
  const LogicalNode* join = FirstJoin(*plan);
  ASSERT_NE(join, nullptr);
  EXPECT_EQ(join->children[0]->kind, LogicalKind::kFilter);  // o_total > 5 went to the outer side
  EXPECT_EQ(join->children[1]->kind, LogicalKind::kScan);     // c_name = 'x' did not
  EXPECT_EQ(plan->children[0]->kind, LogicalKind::kFilter);
}

TEST(Optimizer, PredicatePushDownLeavesVolatileAndLimitedFiltersInPlace) {
  LogicalPtr plan = PushedDown("select * from (select o_id from orders order by o_id limit 5) s where o_id > 2");
  EXPECT_FALSE(FilterOnScan(*plan));
  plan = PushedDown("select * from (select o_id, random() r from orders) s where r < 0.5");
  EXPECT_FALSE(FilterOnScan(*plan));
}

}  // namespace
}  // namespace strata
