// Who may reach the server's files, against a real cluster started with one --allow-path folder
// (issue 14, item 3): COPY FROM and UNLOAD TO a server path need a superuser and stay inside the
// allowed folders — never the data folder, not through "..", not through a symbolic link —
// CLEANPATH deletes nothing outside them, is_superuser tells the truth, a dropped user's open
// session can do nothing more, and load errors are visible only to their own user.
#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "tests/lib/live_cluster.h"

namespace strata::testing {
namespace {

namespace fs = std::filesystem;

class ServerFilesTest : public LiveClusterSuite<ServerFilesTest> {
 protected:
  static void SetUpTestSuite() {
    // The cluster's own temp folder is allowed; its data folder lies inside it, so the test also
    // shows that the data folder stays out of reach even under an allowed folder.
    cluster_ = new LiveCluster({""});
    if (!cluster_->started()) return;
    allowed_ = cluster_->dir();
    std::ofstream(allowed_ + "/rows.csv") << "1,one\n2,two\n";
    std::ofstream(allowed_ + "/bad.csv") << "1,one\nx,two\n";
    outside_ = allowed_ + "-outside";
    fs::create_directories(outside_);
    std::ofstream(outside_ + "/keep.txt") << "3,three\n";
    fs::create_symlink(outside_ + "/keep.txt", allowed_ + "/link.csv");
  }
  static void TearDownTestSuite() {
    LiveClusterSuite::TearDownTestSuite();
    fs::remove_all(outside_);
  }
  void SetUp() override {
    LiveClusterSuite::SetUp();
    if (HasFatalFailure()) return;
    admin_ = cluster_->Connect();
    ASSERT_EQ(PQstatus(admin_), CONNECTION_OK) << PQerrorMessage(admin_);
    StateOf(admin_, "create table if not exists f (a int, b varchar(10))");
  }
  void TearDown() override { PQfinish(admin_); }

  static std::string allowed_, outside_;
  PGconn* admin_ = nullptr;
};

std::string ServerFilesTest::allowed_;
std::string ServerFilesTest::outside_;

TEST_F(ServerFilesTest, SuperuserReadsOnlyInsideAllowedFolders) {
  EXPECT_EQ(StateOf(admin_, "copy f from '" + allowed_ + "/rows.csv' csv"), "");
  EXPECT_EQ(StateOf(admin_, "copy f from 'file://" + allowed_ + "/rows.csv' csv"), "");
  std::string message;
  EXPECT_EQ(StateOf(admin_, "copy f from '/etc/passwd'", &message), "42501");
  EXPECT_NE(message.find("outside the folders"), std::string::npos) << message;
  EXPECT_EQ(StateOf(admin_, "copy f from '/proc/self/environ'"), "42501");
  EXPECT_EQ(StateOf(admin_, "copy f from '" + allowed_ + "/../../etc/passwd'"), "42501");
  EXPECT_EQ(StateOf(admin_, "copy f from '" + allowed_ + "/link.csv' csv"), "42501");  // a link leading out
  EXPECT_EQ(StateOf(admin_, "copy f from '" + allowed_ + "/data/'"), "42501");        // the data folder
  EXPECT_EQ(StateOf(admin_, "copy f from '" + allowed_ + "/data/catalog.pb'"), "42501");
}

TEST_F(ServerFilesTest, UnloadAndCleanpathStayInside) {
  EXPECT_EQ(StateOf(admin_, "unload ('select 1') to '" + outside_ + "/x_' allowoverwrite"), "42501");
  EXPECT_EQ(StateOf(admin_, "unload ('select 1') to '" + outside_ + "/keep' cleanpath"), "42501");
  EXPECT_TRUE(fs::exists(outside_ + "/keep.txt"));
  EXPECT_EQ(StateOf(admin_, "unload ('select 1') to '" + allowed_ + "/data/x_' cleanpath"), "42501");
  EXPECT_TRUE(fs::exists(allowed_ + "/data"));
  EXPECT_EQ(StateOf(admin_, "unload ('select 1') to '" + allowed_ + "/out/u_'"), "");
  EXPECT_FALSE(fs::is_empty(allowed_ + "/out"));
}

TEST_F(ServerFilesTest, OrdinaryUsersReachNoServerFile) {
  ASSERT_EQ(StateOf(admin_, "drop user if exists alice; create user alice password 'Alice-Pw-1'"), "")
      << PQerrorMessage(admin_);
  // Even a user who may insert into the table reads no server file.
  ASSERT_EQ(StateOf(admin_, "grant insert on f to public"), "") << PQerrorMessage(admin_);
  PGconn* alice = cluster_->Connect("alice", "Alice-Pw-1");
  ASSERT_EQ(PQstatus(alice), CONNECTION_OK) << PQerrorMessage(alice);
  std::string message;
  EXPECT_EQ(StateOf(alice, "copy f from '" + allowed_ + "/rows.csv' csv", &message), "42501");
  EXPECT_NE(message.find("must be superuser"), std::string::npos) << message;
  EXPECT_EQ(StateOf(alice, "copy f from '/etc/shadow'"), "42501");
  EXPECT_EQ(StateOf(alice, "unload ('select 1') to '" + allowed_ + "/alice_'"), "42501");
  EXPECT_EQ(ValueOf(alice, "select current_setting('is_superuser')"), "off");
  EXPECT_EQ(ValueOf(admin_, "select current_setting('is_superuser')"), "on");
  EXPECT_EQ(StateOf(alice, "create user mallory superuser password 'Mallory-Pw-1'"), "42501");
  PQfinish(alice);
}

TEST_F(ServerFilesTest, LoadErrorsAreSeenByTheirOwnUserOnly) {
  ASSERT_EQ(StateOf(admin_, "drop user if exists bob; create user bob password 'Bob-Pw-1'"), "");
  EXPECT_EQ(StateOf(admin_, "copy f from '" + allowed_ + "/bad.csv' csv maxerror 5"), "");
  EXPECT_NE(ValueOf(admin_, "select count(*) from stl_load_errors"), "0");
  PGconn* bob = cluster_->Connect("bob", "Bob-Pw-1");
  ASSERT_EQ(PQstatus(bob), CONNECTION_OK) << PQerrorMessage(bob);
  EXPECT_EQ(ValueOf(bob, "select count(*) from stl_load_errors"), "0");
  PQfinish(bob);
}

TEST_F(ServerFilesTest, ADroppedUsersOpenSessionCanDoNothingMore) {
  ASSERT_EQ(StateOf(admin_, "drop user if exists carol; create user carol superuser password 'Carol-Pw-1'"), "");
  PGconn* carol = cluster_->Connect("carol", "Carol-Pw-1");
  ASSERT_EQ(PQstatus(carol), CONNECTION_OK) << PQerrorMessage(carol);
  EXPECT_EQ(ValueOf(carol, "select 1"), "1");
  ASSERT_EQ(StateOf(admin_, "drop user carol"), "");
  EXPECT_EQ(StateOf(carol, "create user eve superuser password 'Eve-Pw-1'"), "28000");
  EXPECT_EQ(ValueOf(admin_, "select count(*) from pg_user where usename = 'eve'"), "0");
  PQfinish(carol);
  PGconn* again = cluster_->Connect("carol", "Carol-Pw-1");
  EXPECT_NE(PQstatus(again), CONNECTION_OK);
  PQfinish(again);
}

}  // namespace
}  // namespace strata::testing
