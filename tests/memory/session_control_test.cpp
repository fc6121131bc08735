// Finding and stopping another session's query (issue 15, item 6): pg_stat_activity,
// stv_recents and stv_inflight show it; pg_cancel_backend stops it (57014) and the session
// stays usable; pg_terminate_backend ends the connection (FATAL 57P01); only the owner or a
// superuser may do either (42501).
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "tests/lib/live_cluster.h"

namespace strata::testing {
namespace {

using Clock = std::chrono::steady_clock;

class SessionControlTest : public LiveClusterSuite<SessionControlTest> {
 protected:
  static void SetUpTestSuite() {
    LiveClusterSuite::SetUpTestSuite();
    if (!cluster_->started()) return;
    PGconn* c = cluster_->Connect();
    for (const char* sql : {"create table n (id int) diststyle even", "insert into n select 1",
                            "insert into n select id + 1 from n", "insert into n select id + 2 from n",
                            "insert into n select id + 4 from n", "insert into n select id + 8 from n",
                            "insert into n select id + 16 from n", "insert into n select id + 32 from n",
                            "insert into n select id + 64 from n", "insert into n select id + 128 from n",
                            "insert into n select id + 256 from n", "insert into n select id + 512 from n",
                            "insert into n select id + 1024 from n",
                            "create user alice password 'Alice-pw-1'", "create user bob password 'Bob-pw-12'",
                            "grant select on n to alice, bob"}) {
      std::string state = StateOf(c, sql);
      if (!state.empty()) ADD_FAILURE() << sql << " -> " << state;
    }
    PQfinish(c);
  }
  // Starts a query of minutes on `c` (2048^3 rows counted) without waiting for it.
  static void StartLongQuery(PGconn* c) {
    ASSERT_EQ(PQsendQuery(c, "select count(*) from n a, n b, n c where (a.id + b.id * 3 + c.id * 7) % 1000003 = 1000004"), 1);
  }
  // Waits until pg_stat_activity shows session `pid` active.
  static bool ShowsActive(PGconn* watcher, const std::string& pid) {
    for (int i = 0; i < 100; ++i) {
      if (ValueOf(watcher, "select state from pg_stat_activity where pid = " + pid) == "active") return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
  }
};

TEST_F(SessionControlTest, ActivityViewsShowTheRunningQuery) {
  PGconn* worker = cluster_->Connect("alice", "Alice-pw-1");
  PGconn* admin = cluster_->Connect();
  ASSERT_EQ(PQstatus(worker), CONNECTION_OK);
  std::string pid = ValueOf(worker, "select pg_backend_pid()");
  EXPECT_EQ(ValueOf(admin, "select usename from pg_stat_activity where pid = " + pid), "alice");
  EXPECT_EQ(ValueOf(admin, "select state from pg_stat_activity where pid = " + pid), "idle");
  StartLongQuery(worker);
  ASSERT_TRUE(ShowsActive(admin, pid));
  EXPECT_NE(ValueOf(admin, "select query from pg_stat_activity where pid = " + pid).find("1000004"), std::string::npos);
  EXPECT_EQ(ValueOf(admin, "select trim(status) from stv_recents where pid = " + pid), "Running");
  EXPECT_EQ(ValueOf(admin, "select count(*) from stv_inflight where pid = " + pid), "1");
  // Another ordinary user sees the session but not its statement.
  PGconn* bob = cluster_->Connect("bob", "Bob-pw-12");
  EXPECT_EQ(ValueOf(bob, "select query from pg_stat_activity where pid = " + pid), "<insufficient privilege>");
  EXPECT_EQ(ValueOf(bob, "select count(*) from stv_inflight where pid = " + pid), "0");
  EXPECT_EQ(StateOf(admin, "select pg_cancel_backend(" + pid + ")"), "");
  EXPECT_EQ(FinishSent(worker), "57014");
  PQfinish(bob);
  PQfinish(admin);
  PQfinish(worker);
}

TEST_F(SessionControlTest, CancelBackendStopsTheQueryAndKeepsTheSession) {
  PGconn* worker = cluster_->Connect("alice", "Alice-pw-1");
  PGconn* same_user = cluster_->Connect("alice", "Alice-pw-1");
  std::string pid = ValueOf(worker, "select pg_backend_pid()");
  StartLongQuery(worker);
  ASSERT_TRUE(ShowsActive(same_user, pid));
  auto start = Clock::now();
  EXPECT_EQ(ValueOf(same_user, "select pg_cancel_backend(" + pid + ")"), "t");
  EXPECT_EQ(FinishSent(worker), "57014");
  EXPECT_LT(std::chrono::duration<double>(Clock::now() - start).count(), 5.0);
  EXPECT_EQ(ValueOf(worker, "select 40 + 2"), "42");  // the session is still usable
  EXPECT_EQ(ValueOf(same_user, "select pg_cancel_backend(999999)"), "f");  // no such session
  PQfinish(same_user);
  PQfinish(worker);
}

TEST_F(SessionControlTest, OnlyTheOwnerOrASuperuserMaySignal) {
  PGconn* worker = cluster_->Connect("alice", "Alice-pw-1");
  PGconn* bob = cluster_->Connect("bob", "Bob-pw-12");
  std::string pid = ValueOf(worker, "select pg_backend_pid()");
  EXPECT_EQ(StateOf(bob, "select pg_cancel_backend(" + pid + ")"), "42501");
  EXPECT_EQ(StateOf(bob, "select pg_terminate_backend(" + pid + ")"), "42501");
  EXPECT_EQ(ValueOf(worker, "select 1"), "1");
  PQfinish(bob);
  PQfinish(worker);
}

TEST_F(SessionControlTest, TerminateBackendEndsTheConnection) {
  PGconn* idle = cluster_->Connect("alice", "Alice-pw-1");
  PGconn* busy = cluster_->Connect("alice", "Alice-pw-1");
  PGconn* admin = cluster_->Connect();
  std::string idle_pid = ValueOf(idle, "select pg_backend_pid()");
  std::string busy_pid = ValueOf(busy, "select pg_backend_pid()");
  StartLongQuery(busy);
  ASSERT_TRUE(ShowsActive(admin, busy_pid));
  EXPECT_EQ(ValueOf(admin, "select pg_terminate_backend(" + busy_pid + ")"), "t");
  std::string busy_state = FinishSent(busy);
  EXPECT_TRUE(busy_state == "57P01" || busy_state == "conn") << busy_state;
  EXPECT_EQ(ValueOf(admin, "select pg_terminate_backend(" + idle_pid + ")"), "t");
  // The idle connection was told FATAL 57P01 and closed: its next statement fails.
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_NE(StateOf(idle, "select 1"), "");
  EXPECT_NE(PQstatus(idle), CONNECTION_OK);
  // Both are gone from pg_stat_activity.
  bool gone = false;
  for (int i = 0; i < 100 && !gone; ++i) {
    gone = ValueOf(admin, "select count(*) from pg_stat_activity where pid in (" + idle_pid + ", " + busy_pid + ")") == "0";
    if (!gone) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_TRUE(gone);
  PQfinish(admin);
  PQfinish(busy);
  PQfinish(idle);
}

// The usual PostgreSQL idiom: the pids come from pg_stat_activity's rows, not a constant.
TEST_F(SessionControlTest, SignalsSessionsFoundInPgStatActivity) {
  PGconn* busy = cluster_->Connect("alice", "Alice-pw-1");
  PGconn* idle = cluster_->Connect("bob", "Bob-pw-12");
  PGconn* admin = cluster_->Connect();
  std::string busy_pid = ValueOf(busy, "select pg_backend_pid()");
  std::string idle_pid = ValueOf(idle, "select pg_backend_pid()");
  StartLongQuery(busy);
  ASSERT_TRUE(ShowsActive(admin, busy_pid));
  EXPECT_EQ(ValueOf(admin, "select count(pg_cancel_backend(pid)) from pg_stat_activity where usename = 'alice' and state = 'active'"), "1");
  EXPECT_EQ(FinishSent(busy), "57014");
  EXPECT_EQ(ValueOf(busy, "select 40 + 2"), "42");
  // A user may not signal another user's session found this way either; nothing is signalled.
  EXPECT_EQ(StateOf(idle, "select pg_terminate_backend(pid) from pg_stat_activity where usename = 'alice'"), "42501");
  EXPECT_EQ(ValueOf(busy, "select 1"), "1");
  // A superuser terminates bob's session by name.
  EXPECT_EQ(ValueOf(admin, "select count(*) from (select pg_terminate_backend(pid) t from pg_stat_activity where usename = 'bob') x where t"), "1");
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_NE(StateOf(idle, "select 1"), "");
  PQfinish(admin);
  PQfinish(busy);
  PQfinish(idle);
}

}  // namespace
}  // namespace strata::testing
