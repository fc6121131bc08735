// Concurrent writers against a real cluster: the reproductions of issue 14 (autocommit UPDATEs
// and DELETEs racing other writers lost or invented rows) and how waits for a table's write lock
// end — granted in arrival order, 55P03 after lock_timeout, 40P01 only for a real cycle, 57014
// on cancel or statement_timeout. Latency bounds are generous (a loaded 2-core machine).
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "tests/lib/live_cluster.h"

namespace strata::testing {
namespace {

using Clock = std::chrono::steady_clock;

class LockWaitTest : public LiveClusterSuite<LockWaitTest> {
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
  // Sends `sql` without waiting for its answer.
  static void Send(PGconn* c, const std::string& sql) { ASSERT_EQ(PQsendQuery(c, sql.c_str()), 1) << PQerrorMessage(c); }
  // True while the statement sent on `c` has not been answered, after waiting `ms`.
  static bool StillBusy(PGconn* c, int ms) {
    std::this_thread::sleep_for(std::chrono::milliseconds(ms));
    PQconsumeInput(c);
    return PQisBusy(c) == 1;
  }
  // The SQLSTATE the sent statement ended with ("" for success); waits at most `timeout_s`.
  static std::string Finish(PGconn* c, int timeout_s = 60) {
    auto deadline = Clock::now() + std::chrono::seconds(timeout_s);
    while (Clock::now() < deadline) {
      PQconsumeInput(c);
      if (!PQisBusy(c)) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    if (PQisBusy(c)) return "still waiting";
    std::string state;
    while (PGresult* r = PQgetResult(c)) {
      ExecStatusType st = PQresultStatus(r);
      if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK && state.empty()) {
        const char* s = PQresultErrorField(r, PG_DIAG_SQLSTATE);
        state = s ? s : "?";
      }
      PQclear(r);
    }
    return state;
  }
  static double SecondsSince(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

  PGconn *a_ = nullptr, *b_ = nullptr, *c_ = nullptr;
};


// Issue 14: two sessions each running an autocommit `update … set v = v + 1` ten times left
// 64 rows summing to 896.
TEST_F(LockWaitTest, ConcurrentAutocommitUpdatesOfOneRowAllCount) {
  ASSERT_EQ(StateOf(a_, "drop table if exists c1; create table c1 (k int, v int); insert into c1 values (1, 0)"), "");
  auto worker = [](PGconn* c, std::string* failure) {
    for (int i = 0; i < 10; ++i) {
      std::string s = StateOf(c, "update c1 set v = v + 1 where k = 1");
      if (!s.empty()) *failure = s;
    }
  };
  std::string fa, fb;
  std::thread ta(worker, a_, &fa), tb(worker, b_, &fb);
  ta.join();
  tb.join();
  EXPECT_EQ(fa, "");
  EXPECT_EQ(fb, "");
  EXPECT_EQ(ValueOf(c_, "select count(*) from c1"), "1");
  EXPECT_EQ(ValueOf(c_, "select v from c1"), "20");
}

// Issue 14: a session inserting and deleting its own rows erased another session's committed rows.
TEST_F(LockWaitTest, DeleteOfOwnRowsNeverTouchesAnotherSessionsRows) {
  ASSERT_EQ(StateOf(a_, "drop table if exists d1; create table d1 (s int, i int)"), "");
  std::string fa, fb;
  std::thread ta([&] {
    for (int i = 0; i < 30; ++i) {
      std::string s = StateOf(a_, "insert into d1 values (2, " + std::to_string(i) + ")");
      if (s.empty()) s = StateOf(a_, "delete from d1 where s = 2");
      if (!s.empty()) fa = s;
    }
  });
  std::thread tb([&] {
    for (int i = 0; i < 30; ++i) {
      std::string s = StateOf(b_, "insert into d1 values (1, " + std::to_string(i) + ")");
      if (!s.empty()) fb = s;
    }
  });
  ta.join();
  tb.join();
  EXPECT_EQ(fa, "");
  EXPECT_EQ(fb, "");
  EXPECT_EQ(ValueOf(c_, "select count(*) from d1 where s = 1"), "30");
  EXPECT_EQ(ValueOf(c_, "select count(distinct i) from d1 where s = 1"), "30");
  EXPECT_EQ(ValueOf(c_, "select count(*) from d1 where s = 2"), "0");
}

// Inside a transaction block the later writer of a table it read gets 40001, not a merge.
TEST_F(LockWaitTest, ExplicitTransactionOnAStaleSnapshotGets40001) {
  ASSERT_EQ(StateOf(a_, "drop table if exists e1; create table e1 (k int, v int); insert into e1 values (1, 0)"), "");
  ASSERT_EQ(StateOf(a_, "begin; select count(*) from e1"), "");
  ASSERT_EQ(StateOf(b_, "update e1 set v = v + 1 where k = 1"), "");
  EXPECT_EQ(StateOf(a_, "update e1 set v = v + 1 where k = 1"), "40001");
  StateOf(a_, "rollback");
  EXPECT_EQ(ValueOf(c_, "select v from e1"), "1");
}

TEST_F(LockWaitTest, LockTimeoutEndsTheWaitWith55P03) {
  ASSERT_EQ(StateOf(a_, "drop table if exists l1; create table l1 (k int)"), "");
  ASSERT_EQ(StateOf(a_, "begin; insert into l1 values (1)"), "");
  ASSERT_EQ(StateOf(b_, "set lock_timeout = '300ms'"), "");
  auto t0 = Clock::now();
  std::string message;
  EXPECT_EQ(StateOf(b_, "insert into l1 values (2)", &message), "55P03");
  EXPECT_NE(message.find("lock timeout"), std::string::npos) << message;
  EXPECT_LT(SecondsSince(t0), 10.0);
  EXPECT_EQ(StateOf(b_, "reset lock_timeout"), "");
  EXPECT_EQ(StateOf(a_, "commit"), "");
  EXPECT_EQ(ValueOf(c_, "select count(*) from l1"), "1");
}

TEST_F(LockWaitTest, AWaiterWithoutTimeoutWaitsAndThenSucceeds) {
  ASSERT_EQ(StateOf(a_, "drop table if exists w1; create table w1 (k int)"), "");
  ASSERT_EQ(StateOf(a_, "begin; insert into w1 values (1)"), "");
  Send(b_, "insert into w1 values (2)");
  EXPECT_TRUE(StillBusy(b_, 1500));  // no deadlock, so no error: it waits
  EXPECT_EQ(StateOf(a_, "commit"), "");
  EXPECT_EQ(Finish(b_), "");
  EXPECT_EQ(ValueOf(c_, "select count(*) from w1"), "2");
}

TEST_F(LockWaitTest, ARealCycleIsADeadlockAndOnlyOneSideFails) {
  ASSERT_EQ(StateOf(a_, "drop table if exists x1; drop table if exists x2; create table x1 (k int); create table x2 (k int)"), "");
  ASSERT_EQ(StateOf(a_, "begin; insert into x1 values (1)"), "");
  ASSERT_EQ(StateOf(b_, "begin; insert into x2 values (1)"), "");
  Send(a_, "insert into x2 values (2)");  // a waits for b
  ASSERT_TRUE(StillBusy(a_, 300));
  std::string message;
  EXPECT_EQ(StateOf(b_, "insert into x1 values (2)", &message), "40P01");  // b would wait for a
  EXPECT_NE(message.find("deadlock detected"), std::string::npos) << message;
  EXPECT_EQ(StateOf(b_, "rollback"), "");
  EXPECT_EQ(Finish(a_), "");
  EXPECT_EQ(StateOf(a_, "commit"), "");
  EXPECT_EQ(ValueOf(c_, "select count(*) from x2"), "1");
  EXPECT_EQ(ValueOf(c_, "select count(*) from x1"), "1");
}

TEST_F(LockWaitTest, WaitersAreServedInArrivalOrder) {
  ASSERT_EQ(StateOf(a_, "drop table if exists f1; create table f1 (k int)"), "");
  ASSERT_EQ(StateOf(a_, "begin; insert into f1 values (1)"), "");
  Send(b_, "begin; insert into f1 values (2)");
  ASSERT_TRUE(StillBusy(b_, 300));
  Send(c_, "insert into f1 values (3)");
  ASSERT_TRUE(StillBusy(c_, 300));
  EXPECT_EQ(StateOf(a_, "commit"), "");
  EXPECT_EQ(Finish(b_), "");        // b came first and now holds the lock in its block
  EXPECT_TRUE(StillBusy(c_, 500));  // so c still waits
  EXPECT_EQ(StateOf(b_, "commit"), "");
  EXPECT_EQ(Finish(c_), "");
  EXPECT_EQ(ValueOf(a_, "select count(*) from f1"), "3");
}

TEST_F(LockWaitTest, CancelAndStatementTimeoutEndALockWait) {
  ASSERT_EQ(StateOf(a_, "drop table if exists k1; create table k1 (k int)"), "");
  ASSERT_EQ(StateOf(a_, "begin; insert into k1 values (1)"), "");
  Send(b_, "insert into k1 values (2)");
  ASSERT_TRUE(StillBusy(b_, 300));
  auto t0 = Clock::now();
  PGcancel* cancel = PQgetCancel(b_);
  char err[256];
  ASSERT_EQ(PQcancel(cancel, err, sizeof err), 1) << err;
  PQfreeCancel(cancel);
  EXPECT_EQ(Finish(b_, 20), "57014");
  EXPECT_LT(SecondsSince(t0), 10.0);
  EXPECT_EQ(ValueOf(b_, "select 1"), "1");  // the session goes on

  ASSERT_EQ(StateOf(c_, "set statement_timeout = '400ms'"), "");
  t0 = Clock::now();
  std::string message;
  EXPECT_EQ(StateOf(c_, "insert into k1 values (3)", &message), "57014");
  EXPECT_NE(message.find("statement timeout"), std::string::npos) << message;
  EXPECT_LT(SecondsSince(t0), 10.0);
  EXPECT_EQ(StateOf(c_, "reset statement_timeout"), "");
  EXPECT_EQ(StateOf(a_, "commit"), "");
  EXPECT_EQ(ValueOf(c_, "select count(*) from k1"), "1");
}

}  // namespace
}  // namespace strata::testing
