// Binder: name resolution, PostgreSQL's typing rules and the errors users see.
#include <gtest/gtest.h>

#include "planner/join_order.h"
#include "planner_test_support.h"
#include "sql/error.h"

namespace strata {
namespace {

using testing::BindSql;
using testing::SampleCatalog;

std::string ErrorState(const std::string& sql) {
  try {
    BindSql(sql, SampleCatalog());
  } catch (const SqlError& e) {
    return e.sqlstate();
  }
  return "ok";
}

TEST(Binder, ResolvesColumnsAndTypes) {
  BoundStatement b = BindSql("select o_id, o_total * 2, o_total + 1 from orders", SampleCatalog());
  ASSERT_EQ(b.result.size(), 3u);
  EXPECT_EQ(b.result[0].name, "o_id");
  EXPECT_EQ(b.result[0].type, SqlType::Int32());
  EXPECT_EQ(b.result[1].type.id, TypeId::kDecimal);
  EXPECT_EQ(b.result[1].type.scale, 2);
  EXPECT_EQ(b.result[2].type.scale, 2);
}

TEST(Binder, AggregateTypesFollowPostgres) {
  BoundStatement b = BindSql("select count(*), sum(o_id), sum(o_total), min(o_total), avg(o_total) from orders", SampleCatalog());
  EXPECT_EQ(b.result[0].type, SqlType::Int64());
  EXPECT_EQ(b.result[1].type, SqlType::Int64());         // sum(int4) -> bigint
  EXPECT_EQ(b.result[2].type, SqlType::Decimal(38, 2));  // sum(numeric(12,2)) keeps the scale
  EXPECT_EQ(b.result[3].type, SqlType::Decimal(12, 2));
  EXPECT_EQ(b.result[4].type.id, TypeId::kDecimal);
}

TEST(Binder, UserErrors) {
  EXPECT_EQ(ErrorState("select nosuch from orders"), "42703");
  EXPECT_EQ(ErrorState("select * from nosuch"), "42P01");
  EXPECT_EQ(ErrorState("select o_id from orders, orders"), "42702");
  EXPECT_EQ(ErrorState("select o_id, count(*) from orders"), "42803");
  EXPECT_EQ(ErrorState("select * from orders where o_id"), "42804");
  EXPECT_EQ(ErrorState("select * from orders where count(*) > 1"), "42803");
  EXPECT_EQ(ErrorState("select o_id + 'abc' from orders"), "22P02");
  EXPECT_EQ(ErrorState("select c_name + 1 from customers"), "42883");
  EXPECT_EQ(ErrorState("select x.o_id from orders"), "42P01");
}

TEST(Binder, ErrorPositionPointsAtTheName) {
  try {
    BindSql("select o_id, nosuch from orders", SampleCatalog());
    FAIL();
  } catch (const SqlError& e) {
    EXPECT_EQ(e.position(), 14);
  }
}

TEST(Binder, StringLiteralTakesTheColumnType) {
  BoundStatement b = BindSql("select o_id from orders where o_total > '10.5'", SampleCatalog());
  ASSERT_EQ(b.query->kind, LogicalKind::kProject);
  const LogicalNode& filter = *b.query->children[0];
  ASSERT_EQ(filter.kind, LogicalKind::kFilter);
  const plan::Expr& rhs = filter.predicate.call().args(1);
  ASSERT_TRUE(rhs.has_literal());
  EXPECT_EQ(rhs.literal().i64(), 1050);  // folded to numeric(12,2) at bind time
}

TEST(Binder, AFromListIsMarkedForTheOptimizerNotOrdered) {
  // Join ordering is the optimizer's (tests/unit/planner/optimizer_test.cpp): the binder leaves
  // the comma list as written, marks where it ends, and estimates it as it will be ordered.
  BoundStatement b = BindSql("select c_name from orders, customers where o_cust = c_id and o_total > 5", SampleCatalog());
  const LogicalNode* n = b.query.get();
  while (!n->join_region) {
    ASSERT_FALSE(n->children.empty());
    n = n->children[0].get();
  }
  ASSERT_EQ(n->kind, LogicalKind::kFilter);
  const LogicalNode& cross = *n->children[0];
  ASSERT_EQ(cross.kind, LogicalKind::kJoin);
  EXPECT_TRUE(cross.left_keys.empty());
  EXPECT_EQ(n->estimated_rows, OrderedJoinRows(*n));
}

TEST(Binder, OrderByAliasPositionAndHiddenColumn) {
  BoundStatement b = BindSql("select o_id as k from orders order by k desc, 1, o_cust", SampleCatalog());
  EXPECT_EQ(b.result.size(), 1u);  // o_cust sorts but is not returned
}

TEST(Binder, InsertChecksTargetColumns) {
  EXPECT_EQ(ErrorState("insert into orders (nosuch) values (1)"), "42703");
  EXPECT_EQ(ErrorState("insert into orders values (1, 2, 3, 4)"), "42601");
  EXPECT_EQ(ErrorState("insert into orders values ('x', 1, 1)"), "22P02");
  EXPECT_EQ(ErrorState("insert into customers (c_name) values ('123456789012345678901')"), "22001");
}

TEST(Binder, CreateTableRecordsDistribution) {
  BoundStatement b = BindSql("create table t (a int, b varchar(5)) diststyle key distkey(b) sortkey(a, b)", SampleCatalog());
  EXPECT_EQ(b.table.dist_style(), catalog::DIST_KEY);
  EXPECT_EQ(b.table.distkey(), 1);
  ASSERT_EQ(b.table.sortkey_size(), 2);
  EXPECT_EQ(ErrorState("create table orders (a int)"), "42P07");
  EXPECT_EQ(ErrorState("create table t (a int, a int)"), "42701");
}

}  // namespace
}  // namespace strata
