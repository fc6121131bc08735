// Results stream and queries stop (issue 15): a big result reaches the client while the leader's
// memory stays flat; LIMIT ends the work upstream; cursors pull from the running query; cancel,
// statement_timeout and a client that goes away stop a long query promptly. Time bounds are
// generous (a loaded 2-core machine); each would fail by a wide margin without the mechanism.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "tests/lib/live_cluster.h"
#include "tests/memory/process_stats.h"

namespace strata::testing {
namespace {

using Clock = std::chrono::steady_clock;

double SecondsSince(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

class StreamingTest : public LiveClusterSuite<StreamingTest> {
 protected:
  static void SetUpTestSuite() {
    LiveClusterSuite::SetUpTestSuite();
    if (!cluster_->started()) return;
    PGconn* c = cluster_->Connect();
    // 2,000 rows with a 60-byte string: self cross joins give millions of wide rows.
    for (const char* sql : {
             "create table w (id int, s varchar(80)) diststyle even",
             "insert into w select 1, 'aaaaaaaaaabbbbbbbbbbccccccccccddddddddddeeeeeeeeeeffffffffff'",
             "insert into w select id + 1, s from w", "insert into w select id + 2, s from w",
             "insert into w select id + 4, s from w", "insert into w select id + 8, s from w",
             "insert into w select id + 16, s from w", "insert into w select id + 32, s from w",
             "insert into w select id + 64, s from w", "insert into w select id + 128, s from w",
             "insert into w select id + 256, s from w", "insert into w select id + 512, s from w",
             "insert into w select id + 1024, s from w where id + 1024 <= 2000"}) {
      std::string state = StateOf(c, sql);
      if (!state.empty()) ADD_FAILURE() << sql << " -> " << state;
    }
    PQfinish(c);
  }
  void SetUp() override {
    LiveClusterSuite::SetUp();
    if (HasFatalFailure()) return;
    c_ = cluster_->Connect();
    ASSERT_EQ(PQstatus(c_), CONNECTION_OK) << PQerrorMessage(c_);
    ASSERT_EQ(ValueOf(c_, "select count(*) from w"), "2000");
  }
  void TearDown() override { PQfinish(c_); }

  PGconn* c_ = nullptr;
};

TEST_F(StreamingTest, BigResultStreamsWithLeaderMemoryFlat) {
  // 4M rows of ~70 bytes: held whole on the leader this was well over 500 MB.
  pid_t leader = cluster_->leader_pid();
  int64_t before = RssMb(leader);
  ASSERT_EQ(PQsendQuery(c_, "select a.id, b.id, a.s from w a cross join w b"), 1);
  ASSERT_EQ(PQsetSingleRowMode(c_), 1);
  int64_t rows = 0, peak = before, first_row_ms = -1;
  auto start = Clock::now();
  std::string state;
  while (PGresult* r = PQgetResult(c_)) {
    if (PQresultStatus(r) == PGRES_SINGLE_TUPLE) {
      if (rows == 0) first_row_ms = static_cast<int64_t>(SecondsSince(start) * 1000);
      if (++rows % 200000 == 0) peak = std::max(peak, RssMb(leader));
    } else if (PQresultStatus(r) == PGRES_FATAL_ERROR) {
      state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
    }
    PQclear(r);
  }
  EXPECT_EQ(state, "");
  EXPECT_EQ(rows, 4000000);
  EXPECT_LT(peak - before, 200) << "leader RSS grew from " << before << " MB to " << peak << " MB";
  std::printf("[ streamed ] 4M rows in %.1f s, first row after %lld ms, leader RSS %lld -> peak %lld MB\n",
              SecondsSince(start), static_cast<long long>(first_row_ms), static_cast<long long>(before),
              static_cast<long long>(peak));
}

TEST_F(StreamingTest, LimitStopsTheWorkUpstream) {
  // 2000^3 = 8e9 rows: only a LIMIT that stops the compute nodes returns.
  auto start = Clock::now();
  EXPECT_EQ(ValueOf(c_, "select count(*) from (select a.id from w a, w b, w c limit 7) t"), "7");
  EXPECT_EQ(StateOf(c_, "select a.id, b.s from w a, w b, w c limit 3"), "");
  EXPECT_LT(SecondsSince(start), 30.0);
  // The compute nodes stopped: their CPU does not keep climbing.
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  int64_t cpu = ComputeCpu(cluster_->leader_pid());
  std::this_thread::sleep_for(std::chrono::seconds(2));
  EXPECT_LT(ComputeCpu(cluster_->leader_pid()) - cpu, 100) << "compute nodes still busy after the LIMIT query ended";
  EXPECT_EQ(ValueOf(c_, "select 41 + 1"), "42");
}

TEST_F(StreamingTest, CursorPullsFromTheRunningQuery) {
  ASSERT_EQ(StateOf(c_, "begin"), "");
  auto start = Clock::now();
  ASSERT_EQ(StateOf(c_, "declare big cursor for select a.id, b.id, c.id from w a, w b, w c"), "");
  PGresult* r = PQexec(c_, "fetch 1000 from big");
  ASSERT_EQ(PQresultStatus(r), PGRES_TUPLES_OK) << PQerrorMessage(c_);
  EXPECT_EQ(PQntuples(r), 1000);
  PQclear(r);
  r = PQexec(c_, "fetch 5 from big");
  EXPECT_EQ(PQntuples(r), 5);
  PQclear(r);
  EXPECT_LT(SecondsSince(start), 30.0);  // 8e9 rows: materialising them never finishes
  EXPECT_EQ(StateOf(c_, "close big"), "");
  EXPECT_EQ(StateOf(c_, "commit"), "");
  // A cursor reads the snapshot it was declared in, also when it streams.
  ASSERT_EQ(StateOf(c_, "begin"), "");
  ASSERT_EQ(StateOf(c_, "declare few cursor for select count(*) from w"), "");
  PGconn* other = cluster_->Connect();
  EXPECT_EQ(StateOf(other, "insert into w select 9999, 'x'"), "");
  r = PQexec(c_, "fetch all from few");
  ASSERT_EQ(PQntuples(r), 1);
  EXPECT_STREQ(PQgetvalue(r, 0, 0), "2000");
  PQclear(r);
  EXPECT_EQ(StateOf(c_, "commit"), "");
  EXPECT_EQ(StateOf(other, "delete from w where id = 9999"), "");
  PQfinish(other);
}

TEST_F(StreamingTest, CancelStopsALongQueryPromptly) {
  // A three-way cross join counted on the compute nodes: minutes of work.
  ASSERT_EQ(PQsendQuery(c_, "select count(*) from w a, w b, w c where a.id + b.id + c.id = -1"), 1);
  std::this_thread::sleep_for(std::chrono::seconds(2));
  double took = 0;
  EXPECT_EQ(CancelSent(c_, &took), "57014");
  EXPECT_LT(took, 5.0);
  std::printf("[ cancel ] long compute stage stopped %.0f ms after the cancel request\n", took * 1000);
  EXPECT_EQ(ValueOf(c_, "select 6 * 7"), "42");
}

TEST_F(StreamingTest, StatementTimeoutStopsAStreamingQuery) {
  ASSERT_EQ(StateOf(c_, "set statement_timeout = 1000"), "");
  auto start = Clock::now();
  ASSERT_EQ(PQsendQuery(c_, "select a.id, b.id, c.id from w a, w b, w c where (a.id + b.id * 3 + c.id * 7) % 1000003 = 1000004"), 1);
  EXPECT_EQ(FinishSent(c_), "57014");
  double took = SecondsSince(start);
  EXPECT_LT(took, 6.0);
  std::printf("[ timeout ] 1 s statement_timeout ended the query after %.0f ms\n", took * 1000);
  EXPECT_EQ(StateOf(c_, "reset statement_timeout"), "");
  EXPECT_EQ(ValueOf(c_, "select 1"), "1");
}

TEST_F(StreamingTest, AClientThatGoesAwayStopsItsQuery) {
  PGconn* gone = cluster_->Connect();
  ASSERT_EQ(PQstatus(gone), CONNECTION_OK);
  ASSERT_EQ(PQsendQuery(gone, "select a.id, b.id, c.id from w a, w b, w c where (a.id + b.id * 3 + c.id * 7) % 1000003 = 1000004"), 1);
  std::this_thread::sleep_for(std::chrono::seconds(2));
  PQfinish(gone);  // no cancel request: the socket just closes
  std::this_thread::sleep_for(std::chrono::seconds(3));
  int64_t cpu = ComputeCpu(cluster_->leader_pid());
  std::this_thread::sleep_for(std::chrono::seconds(2));
  EXPECT_LT(ComputeCpu(cluster_->leader_pid()) - cpu, 100) << "the query kept running after its client went away";
  EXPECT_EQ(ValueOf(c_, "select 2"), "2");
}

TEST_F(StreamingTest, AClientThatGoesAwayStopsItsInsert) {
  // Not a streamed SELECT: the session watches its client while the statement runs.
  ASSERT_EQ(StateOf(c_, "create table if_gone (a int)"), "");
  PGconn* gone = cluster_->Connect();
  ASSERT_EQ(PQstatus(gone), CONNECTION_OK);
  ASSERT_EQ(PQsendQuery(gone, "insert into if_gone select a.id from w a, w b, w c where (a.id + b.id * 3 + c.id * 7) % 1000003 = 1000004"), 1);
  std::this_thread::sleep_for(std::chrono::seconds(2));
  PQfinish(gone);
  std::this_thread::sleep_for(std::chrono::seconds(3));
  int64_t cpu = ComputeCpu(cluster_->leader_pid());
  std::this_thread::sleep_for(std::chrono::seconds(2));
  EXPECT_LT(ComputeCpu(cluster_->leader_pid()) - cpu, 100) << "the INSERT kept running after its client went away";
  EXPECT_EQ(ValueOf(c_, "select count(*) from if_gone"), "0");
  EXPECT_EQ(StateOf(c_, "insert into if_gone values (1)"), "");  // no lock left behind
  EXPECT_EQ(ValueOf(c_, "select count(*) from if_gone"), "1");
}

}  // namespace
}  // namespace strata::testing
