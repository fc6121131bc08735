// MERGE and ALTER TABLE APPEND against a real cluster with several sessions: concurrent MERGEs
// into one table lose and double nothing, a MERGE in a transaction block on a stale snapshot
// gets 40001, and the command tags (which the SQL logic tests do not see) count what PostgreSQL
// counts: MERGE n, the rows updated, deleted and inserted.
#include <gtest/gtest.h>

#include <string>
#include <thread>

#include "tests/lib/live_cluster.h"

namespace strata::testing {
namespace {

class MergeSessionsTest : public LiveClusterSuite<MergeSessionsTest> {
 protected:
  void SetUp() override {
    LiveClusterSuite::SetUp();
    if (HasFatalFailure()) return;
    a_ = cluster_->Connect();
    b_ = cluster_->Connect();
    c_ = cluster_->Connect();
    for (PGconn* c : {a_, b_, c_}) ASSERT_EQ(PQstatus(c), CONNECTION_OK) << PQerrorMessage(c);
  }
  void TearDown() override {
    for (PGconn* c : {a_, b_, c_}) PQfinish(c);
  }
  // The command tag of `sql`, or "<error SQLSTATE>".
  static std::string TagOf(PGconn* c, const std::string& sql) {
    PGresult* r = PQexec(c, sql.c_str());
    std::string out;
    if (PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK) {
      out = PQcmdStatus(r);
    } else {
      const char* s = PQresultErrorField(r, PG_DIAG_SQLSTATE);
      out = std::string("<error ") + (s ? s : "?") + ">";
    }
    PQclear(r);
    return out;
  }

  PGconn *a_ = nullptr, *b_ = nullptr, *c_ = nullptr;
};

// Two sessions each run 15 autocommit MERGEs into one table: every MERGE adds 1 to the ten
// shared rows and inserts one row of its own. No increment may be lost, no row doubled.
TEST_F(MergeSessionsTest, ConcurrentMergesLoseAndDoubleNothing) {
  for (const char* style : {"distkey(k)", "diststyle even", "diststyle all"}) {
    SCOPED_TRACE(style);
    ASSERT_EQ(StateOf(a_, std::string("drop table if exists mc; create table mc (k int, v int) ") + style +
                              "; insert into mc select g, 0 from generate_series(1, 10) g"),
              "");
    constexpr int kMerges = 15;
    auto worker = [](PGconn* c, int session, std::string* failure) {
      for (int i = 0; i < kMerges; ++i) {
        int own = session * 1000 + i;
        std::string sql = "merge into mc using (select g as k from generate_series(1, 10) g union all select " +
                          std::to_string(own) + ") s on mc.k = s.k when matched then update set v = mc.v + 1 " +
                          "when not matched then insert values (s.k, " + std::to_string(session) + ")";
        std::string state = StateOf(c, sql);
        if (!state.empty()) *failure = state;
      }
    };
    std::string fa, fb;
    std::thread ta(worker, a_, 1, &fa), tb(worker, b_, 2, &fb);
    ta.join();
    tb.join();
    EXPECT_EQ(fa, "");
    EXPECT_EQ(fb, "");
    EXPECT_EQ(ValueOf(c_, "select count(*) from mc"), "40");
    EXPECT_EQ(ValueOf(c_, "select count(distinct k) from mc"), "40");
    EXPECT_EQ(ValueOf(c_, "select sum(v) from mc where k <= 10"), std::to_string(10 * 2 * kMerges));
    EXPECT_EQ(ValueOf(c_, "select min(v) from mc where k <= 10"), std::to_string(2 * kMerges));
    EXPECT_EQ(ValueOf(c_, "select count(*) from mc where k >= 1000 and k < 2000 and v = 1"), std::to_string(kMerges));
    EXPECT_EQ(ValueOf(c_, "select count(*) from mc where k >= 2000 and v = 2"), std::to_string(kMerges));
  }
}

// Inside a transaction block, a MERGE into a table another session changed after the block's
// snapshot is refused with 40001, as UPDATE is; the other session's change stays.
TEST_F(MergeSessionsTest, MergeOnAStaleSnapshotGets40001) {
  ASSERT_EQ(StateOf(a_, "drop table if exists ms; create table ms (k int, v int); insert into ms values (1, 0)"), "");
  ASSERT_EQ(StateOf(a_, "begin; select count(*) from ms"), "");
  ASSERT_EQ(StateOf(b_, "update ms set v = v + 1 where k = 1"), "");
  EXPECT_EQ(StateOf(a_, "merge into ms using (select 1 as k) s on ms.k = s.k when matched then update set v = 100"), "40001");
  StateOf(a_, "rollback");
  EXPECT_EQ(ValueOf(c_, "select v from ms"), "1");
}

// PostgreSQL's tags: MERGE n counts the rows updated, deleted and inserted (not DO NOTHING).
// For REMOVE DUPLICATES (Redshift's), n counts the target rows replaced or removed and the
// source rows inserted.
TEST_F(MergeSessionsTest, CommandTagsCountTheRowsChanged) {
  for (const char* style : {"", " distkey(k)", " diststyle all"}) {
    SCOPED_TRACE(style);
    ASSERT_EQ(StateOf(a_, std::string("drop table if exists mt; create table mt (k int, v int)") + style +
                              "; insert into mt values (1, 1), (2, 2), (3, 3), (3, 33)"),
              "");
    EXPECT_EQ(TagOf(a_, "merge into mt using (select 1 as k union all select 2 union all select 5) s on mt.k = s.k "
                        "when matched and s.k = 1 then delete when matched then update set v = 0 "
                        "when not matched then insert values (s.k, 5)"),
              "MERGE 3");
    EXPECT_EQ(TagOf(a_, "merge into mt using (select 5 as k union all select 6) s on mt.k = s.k "
                        "when matched then do nothing when not matched and s.k = 7 then insert values (7, 7)"),
              "MERGE 0");
    EXPECT_EQ(TagOf(a_, "merge into mt using (select 3 as k, 30 as v union all select 8, 8) s on mt.k = s.k remove duplicates"),
              "MERGE 3");
    EXPECT_EQ(ValueOf(a_, "select count(*) from mt"), "4");
    EXPECT_EQ(ValueOf(a_, "select sum(k) from mt"), "18");
    EXPECT_EQ(ValueOf(a_, "select sum(v) from mt"), "43");
  }
}

// ALTER TABLE APPEND empties the source; in a transaction block it is refused (25001).
TEST_F(MergeSessionsTest, AppendTagAndTransactionBlock) {
  ASSERT_EQ(StateOf(a_, "drop table if exists ap1; drop table if exists ap2; create table ap1 (k int); create table ap2 (k int); "
                        "insert into ap2 values (1), (2)"),
            "");
  EXPECT_EQ(TagOf(a_, "alter table ap1 append from ap2"), "ALTER TABLE");
  EXPECT_EQ(ValueOf(b_, "select count(*) from ap1"), "2");
  EXPECT_EQ(ValueOf(b_, "select count(*) from ap2"), "0");
  ASSERT_EQ(StateOf(a_, "begin"), "");
  EXPECT_EQ(StateOf(a_, "alter table ap2 append from ap1"), "25001");
  StateOf(a_, "rollback");
  EXPECT_EQ(ValueOf(b_, "select count(*) from ap1"), "2");
}

}  // namespace
}  // namespace strata::testing
