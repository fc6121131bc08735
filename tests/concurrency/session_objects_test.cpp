// What belongs to one session and what sessions share: temporary tables (private, gone when
// their session ends), SQL PREPARE's statements (per session), and schemas (a table created in
// a schema another session drops meanwhile does not survive the commit).
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "tests/lib/live_cluster.h"

namespace strata::testing {
namespace {

class SessionObjectsTest : public LiveClusterSuite<SessionObjectsTest> {
 protected:
  void SetUp() override {
    LiveClusterSuite::SetUp();
    if (HasFatalFailure()) return;
    a_ = cluster_->Connect();
    b_ = cluster_->Connect();
    for (PGconn* c : {a_, b_}) ASSERT_EQ(PQstatus(c), CONNECTION_OK) << PQerrorMessage(c);
  }
  void TearDown() override {
    for (PGconn* c : {a_, b_}) {
      if (c != nullptr) PQfinish(c);
    }
  }
  PGconn *a_ = nullptr, *b_ = nullptr;
};

TEST_F(SessionObjectsTest, TemporaryTablesArePrivateAndEndWithTheirSession) {
  ASSERT_EQ(StateOf(a_, "create table so_shared (v int)"), "");
  ASSERT_EQ(StateOf(a_, "insert into so_shared values (1)"), "");
  // A's temporary table hides the permanent one of the same name, for A only.
  ASSERT_EQ(StateOf(a_, "create temp table so_shared (v int, note varchar(5))"), "");
  ASSERT_EQ(StateOf(a_, "insert into so_shared values (2, 'a'), (3, 'a')"), "");
  EXPECT_EQ(ValueOf(a_, "select sum(v) from so_shared"), "5");
  EXPECT_EQ(ValueOf(b_, "select sum(v) from so_shared"), "1");
  // B cannot reach A's temporary schema by name either.
  std::string temp_schema = ValueOf(a_, "select schemaname from pg_tables where tablename = 'so_shared' and schemaname like 'pg_temp%'");
  ASSERT_EQ(temp_schema.rfind("pg_temp_", 0), 0u) << temp_schema;
  EXPECT_EQ(StateOf(b_, "select * from " + temp_schema + ".so_shared"), "0A000");
  EXPECT_EQ(StateOf(b_, "drop table " + temp_schema + ".so_shared"), "0A000");
  EXPECT_EQ(StateOf(b_, "create table " + temp_schema + ".so_sneaky (v int)"), "42P16");
  // When A ends, its temporary table goes (the leader drops it as the session closes).
  PQfinish(a_);
  a_ = nullptr;
  std::string left = "1";
  for (int i = 0; i < 300 && left != "0"; ++i) {
    left = ValueOf(b_, "select count(*) from pg_tables where tablename = 'so_shared' and schemaname like 'pg_temp%'");
    if (left != "0") std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(left, "0");
  EXPECT_EQ(ValueOf(b_, "select sum(v) from so_shared"), "1");
  EXPECT_EQ(StateOf(b_, "drop table so_shared"), "");
}

TEST_F(SessionObjectsTest, PreparedStatementsBelongToTheirSession) {
  ASSERT_EQ(StateOf(a_, "prepare so_p(int) as select $1 + 1"), "");
  EXPECT_EQ(ValueOf(a_, "execute so_p(41)"), "42");
  EXPECT_EQ(StateOf(b_, "execute so_p(41)"), "26000");
  ASSERT_EQ(StateOf(b_, "prepare so_p(int) as select $1 * 2"), "");
  EXPECT_EQ(ValueOf(b_, "execute so_p(21)"), "42");
  EXPECT_EQ(ValueOf(a_, "execute so_p(1)"), "2");
}

TEST_F(SessionObjectsTest, ATableInASchemaDroppedMeanwhileDoesNotCommit) {
  ASSERT_EQ(StateOf(a_, "create schema so_s"), "");
  ASSERT_EQ(StateOf(a_, "begin"), "");
  ASSERT_EQ(StateOf(a_, "create table so_s.t (v int)"), "");
  ASSERT_EQ(StateOf(b_, "drop schema so_s"), "");  // empty as B sees it
  EXPECT_EQ(StateOf(a_, "commit"), "3F000");
  EXPECT_EQ(ValueOf(b_, "select count(*) from pg_namespace where nspname = 'so_s'"), "0");
  EXPECT_EQ(ValueOf(b_, "select count(*) from pg_tables where schemaname = 'so_s'"), "0");
}

}  // namespace
}  // namespace strata::testing
