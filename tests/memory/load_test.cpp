// Loads in bounded memory, and stoppable (issue 15, items 1, 6 and 8): a COPY of a file several
// times the compute nodes' --memory-limit into a SORTKEY table succeeds, exactly, with each
// compute process's peak RSS under the limit plus a stated slack; cancel and statement_timeout
// stop a COPY promptly and leave the table as it was.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <thread>

#include "tests/lib/live_cluster.h"
#include "tests/memory/process_stats.h"

namespace strata::testing {
namespace {

using Clock = std::chrono::steady_clock;

// The compute nodes' budget, and what a process may hold beyond it: code, the block cache, the
// RPC and file buffers, allocator slack — memory the budget does not count. (Measured: 66-68 MB
// peak since the table writer's buffers count; 144 MB before.)
constexpr int64_t kLimitMb = 64;
constexpr int64_t kSlackMb = 100;
constexpr int64_t kRows = 3000000;  // ~330 MB of text: five times the limit

class LoadTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    cluster_ = new LiveCluster({""}, {"--memory-limit", std::to_string(kLimitMb) + "MB"});
    if (!cluster_->started()) return;
    file_ = cluster_->dir() + "/big.tbl";
    std::FILE* f = std::fopen(file_.c_str(), "w");
    // id | a 90-character text that varies | a key that arrives unsorted
    std::string pad(80, 'p');
    for (int64_t i = 1; i <= kRows; ++i) {
      std::fprintf(f, "%lld|%s%010lld|%lld\n", static_cast<long long>(i), pad.c_str(), static_cast<long long>(i * 7919 % 1000003),
                   static_cast<long long>((i * 48271) % 2147483647));
    }
    std::fclose(f);
  }
  static void TearDownTestSuite() {
    delete cluster_;
    cluster_ = nullptr;
  }
  void SetUp() override {
    ASSERT_TRUE(cluster_->started()) << cluster_->error();
    c_ = cluster_->Connect();
    ASSERT_EQ(PQstatus(c_), CONNECTION_OK) << PQerrorMessage(c_);
  }
  void TearDown() override { PQfinish(c_); }

  static inline LiveCluster* cluster_ = nullptr;
  static inline std::string file_;
  PGconn* c_ = nullptr;
};

TEST_F(LoadTest, CopyOfAFileFiveTimesTheBudgetStaysUnderIt) {
  ASSERT_EQ(StateOf(c_, "create table big (id bigint, s varchar(100), k bigint) diststyle key distkey(id) sortkey(k)"), "");
  auto start = Clock::now();
  std::string message;
  ASSERT_EQ(StateOf(c_, "copy big from '" + file_ + "' delimiter '|'", &message), "") << message;
  double took = std::chrono::duration<double>(Clock::now() - start).count();
  EXPECT_EQ(ValueOf(c_, "select count(*) from big"), std::to_string(kRows));
  EXPECT_EQ(ValueOf(c_, "select sum(id) from big"), std::to_string(kRows * (kRows + 1) / 2));
  EXPECT_EQ(ValueOf(c_, "select sum(k % 1000) from big"), ValueOf(c_, "select sum(t.m) from (select k % 1000 m from big) t"));
  std::vector<pid_t> nodes = ComputePids(cluster_->leader_pid());
  ASSERT_EQ(nodes.size(), 2u);
  for (pid_t p : nodes) {
    int64_t peak = PeakRssMb(p);
    EXPECT_LT(peak, kLimitMb + kSlackMb) << "compute process " << p << " peaked at " << peak << " MB";
    std::printf("[ load ] compute %d peak RSS %lld MB (limit %lld MB + slack %lld MB)\n", p, static_cast<long long>(peak),
                static_cast<long long>(kLimitMb), static_cast<long long>(kSlackMb));
  }
  std::printf("[ load ] %lld rows in %.1f s\n", static_cast<long long>(kRows), took);
  // The sort key order holds: the first rows by k come back in order.
  EXPECT_EQ(ValueOf(c_, "select min(k) from big"), ValueOf(c_, "select k from big order by k limit 1"));
}

TEST_F(LoadTest, CancelAndTimeoutStopACopy) {
  ASSERT_EQ(StateOf(c_, "create table stop_me (id bigint, s varchar(100), k bigint) sortkey(k)"), "");
  ASSERT_EQ(PQsendQuery(c_, ("copy stop_me from '" + file_ + "' delimiter '|'").c_str()), 1);
  // Well inside the load: 3M rows take seconds (4 s on the 2-core CI machine, 1.7 s at best).
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  double cancel_s = 0;
  EXPECT_EQ(CancelSent(c_, &cancel_s), "57014");
  EXPECT_LT(cancel_s, 5.0);
  EXPECT_EQ(ValueOf(c_, "select count(*) from stop_me"), "0");

  ASSERT_EQ(StateOf(c_, "set statement_timeout = 400"), "");
  auto start = Clock::now();
  EXPECT_EQ(StateOf(c_, "copy stop_me from '" + file_ + "' delimiter '|'"), "57014");
  double timeout_s = std::chrono::duration<double>(Clock::now() - start).count();
  EXPECT_LT(timeout_s, 6.5);
  EXPECT_EQ(StateOf(c_, "reset statement_timeout"), "");
  EXPECT_EQ(ValueOf(c_, "select count(*) from stop_me"), "0");
  std::printf("[ copy ] cancel took %.0f ms; a 0.4 s statement_timeout ended the COPY after %.0f ms\n", cancel_s * 1000,
              timeout_s * 1000);
}

// Spill files in the temp folders of the nodes' data (DIR/data/*/tmp), and open ones.
int SpillFilesOnDisk(const std::string& data_dir) {
  int n = 0;
  for (const auto& e : std::filesystem::recursive_directory_iterator(data_dir)) {
    if (e.path().extension() == ".spill") ++n;
  }
  return n;
}

TEST_F(LoadTest, KillDuringASpillLeavesNoTempFiles) {
  ASSERT_EQ(ValueOf(c_, "select count(*) from big"), std::to_string(kRows));  // loaded by the first test
  ASSERT_EQ(StateOf(c_, "set query_memory = '2MB'"), "");
  // Three million groups over 2 MB: the aggregate spills for seconds.
  ASSERT_EQ(PQsendQuery(c_, "select count(*) from (select id, s, count(*) from big group by id, s) t"), 1);
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  std::string data = cluster_->dir() + "/data";
  EXPECT_EQ(SpillFilesOnDisk(data), 0);  // spill files are unlinked as they are made
  ASSERT_TRUE(cluster_->CrashAndRestart()) << cluster_->error();
  EXPECT_EQ(SpillFilesOnDisk(data), 0);
  PQfinish(c_);
  c_ = cluster_->Connect();
  ASSERT_EQ(PQstatus(c_), CONNECTION_OK);
  EXPECT_EQ(ValueOf(c_, "select count(*) from big"), std::to_string(kRows));
  ASSERT_EQ(StateOf(c_, "set query_memory = '2MB'"), "");
  EXPECT_EQ(ValueOf(c_, "select count(*) from (select id % 500000 g, count(*) from big group by 1) t"), "500000");
  EXPECT_EQ(SpillFilesOnDisk(data), 0);
}

// Cancel and statement_timeout while a hash join builds and spills, and while an aggregate spills.
TEST_F(LoadTest, CancelAndTimeoutStopSpillingOperators) {
  ASSERT_EQ(ValueOf(c_, "select count(*) from big"), std::to_string(kRows));
  ASSERT_EQ(StateOf(c_, "set query_memory = '2MB'"), "");
  const char* join = "select count(*) from big a join big b on a.s = b.s and a.k <> b.k";
  const char* aggregate = "select count(*) from (select s, k, count(*) from big group by s, k) t";
  for (const char* sql : {join, aggregate}) {
    ASSERT_EQ(PQsendQuery(c_, sql), 1);
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    double cancel_s = 0;
    EXPECT_EQ(CancelSent(c_, &cancel_s), "57014") << sql;
    EXPECT_LT(cancel_s, 5.0) << sql;
    ASSERT_EQ(StateOf(c_, "set statement_timeout = 1000"), "");
    auto start = Clock::now();
    EXPECT_EQ(StateOf(c_, sql), "57014") << sql;
    double timeout_s = std::chrono::duration<double>(Clock::now() - start).count();
    EXPECT_LT(timeout_s, 6.0) << sql;
    ASSERT_EQ(StateOf(c_, "reset statement_timeout"), "");
    std::printf("[ stop ] %s: cancel %.0f ms; a 1 s statement_timeout ended it after %.0f ms\n",
                sql == join ? "spilling hash join" : "spilling aggregate", cancel_s * 1000, timeout_s * 1000);
  }
  EXPECT_EQ(ValueOf(c_, "select 1"), "1");
}

// The same with the stages pipelined: the join's stage reads both redistributed sides while the
// scans still send them, the inbox spilling under 2 MB; a cancel stops readers that wait for
// rows as well as the producers, and a pipelined answer equals the one-stage-at-a-time answer.
TEST_F(LoadTest, CancelStopsPipelinedStagesAndTheirAnswersMatch) {
  ASSERT_EQ(ValueOf(c_, "select count(*) from big"), std::to_string(kRows));
  ASSERT_EQ(StateOf(c_, "set query_memory = '2MB'"), "");
  ASSERT_EQ(StateOf(c_, "set stage_pipelining = on"), "");
  const char* join = "select count(*) from big a join big b on a.s = b.s and a.k <> b.k";
  ASSERT_EQ(PQsendQuery(c_, join), 1);
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  double cancel_s = 0;
  EXPECT_EQ(CancelSent(c_, &cancel_s), "57014");
  EXPECT_LT(cancel_s, 5.0);
  ASSERT_EQ(StateOf(c_, "set statement_timeout = 1000"), "");
  auto start = Clock::now();
  EXPECT_EQ(StateOf(c_, join), "57014");
  double timeout_s = std::chrono::duration<double>(Clock::now() - start).count();
  EXPECT_LT(timeout_s, 6.0);
  ASSERT_EQ(StateOf(c_, "reset statement_timeout"), "");
  std::printf("[ stop ] pipelined spilling join: cancel %.0f ms; a 1 s statement_timeout ended it after %.0f ms\n",
              cancel_s * 1000, timeout_s * 1000);
  const char* grouped = "select cast(count(*) as varchar) || ' ' || cast(sum(n) as varchar) from "
                        "(select a.id % 1000 g, count(*) n from big a join big b on a.id = b.id + 1 "
                        "where a.id <= 200000 and b.id <= 200000 group by 1) t";
  EXPECT_EQ(ValueOf(c_, grouped), "1000 199999");
  ASSERT_EQ(StateOf(c_, "set stage_pipelining = off"), "");
  EXPECT_EQ(ValueOf(c_, grouped), "1000 199999");
  EXPECT_EQ(SpillFilesOnDisk(cluster_->dir() + "/data"), 0);
  ASSERT_EQ(StateOf(c_, "reset stage_pipelining"), "");
}

}  // namespace
}  // namespace strata::testing
