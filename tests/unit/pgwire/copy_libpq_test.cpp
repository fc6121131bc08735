// COPY against the real PgServer with real clients: libpq's PQputCopyData / PQputCopyEnd /
// PQgetResult over the simple and the extended protocol (an error mid-stream and a CopyFail
// leave the connection usable), PQgetCopyData for copy-out, and psql's \copy ... from stdin.
#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "server/pgwire/pg_server.h"
#include "tests/unit/pgwire/wire_test_support.h"

namespace strata::pgwire::testing {
namespace {

class CopyLibpqTest : public ::testing::Test {
 protected:
  void SetUp() override {
    state_->scripts["copy t from stdin"] = FakeScript{.copy_in = true, .copy_columns = 2};
    state_->scripts["copy bad_write"] =
        FakeScript{.copy_in = true,
                   .copy_columns = 1,
                   .copy_write_error_at = 2,
                   .copy_error = SqlError("22P02", "invalid input syntax for type integer")};
    state_->scripts["copy t to stdout"] =
        FakeScript{.tag = "COPY 2", .copy_columns = 2, .copy_out = {"1\tx\n", "2\ty\n"}};
    state_->scripts["select a"] =
        FakeScript{.columns = {{"a", SqlType::Int32(), {"7"}}}, .tag = "SELECT 1"};
    server_ = std::make_unique<PgServer>(MakeFactory(state_));
    std::string error;
    ASSERT_TRUE(server_->Start(&error)) << error;
  }
  void TearDown() override { server_->Stop(); }

  PGconn* Connect() {
    std::string conninfo = "host=127.0.0.1 port=" + std::to_string(server_->port()) +
                           " user=alice dbname=dev connect_timeout=5 gssencmode=disable";
    PGconn* conn = PQconnectdb(conninfo.c_str());
    EXPECT_EQ(PQstatus(conn), CONNECTION_OK) << PQerrorMessage(conn);
    return conn;
  }
  // True when a plain query still works on the connection afterwards.
  static bool StillUsable(PGconn* conn) {
    PGresult* res = PQexec(conn, "select a");
    bool ok = PQresultStatus(res) == PGRES_TUPLES_OK && std::string(PQgetvalue(res, 0, 0)) == "7";
    PQclear(res);
    return ok;
  }

  std::shared_ptr<FakeState> state_ = std::make_shared<FakeState>();
  std::unique_ptr<PgServer> server_;
};

// Sends `chunks` into a connection already in copy-in mode, ends the copy with `error` (null:
// success) and returns the final result.
PGresult* PutCopy(PGconn* conn, const std::vector<std::string>& chunks, const char* error) {
  for (const auto& c : chunks) EXPECT_EQ(PQputCopyData(conn, c.data(), c.size()), 1);
  EXPECT_EQ(PQputCopyEnd(conn, error), 1);
  return PQgetResult(conn);
}

TEST_F(CopyLibpqTest, CopyInOverTheSimpleProtocol) {
  PGconn* conn = Connect();
  PGresult* res = PQexec(conn, "copy t from stdin");
  ASSERT_EQ(PQresultStatus(res), PGRES_COPY_IN) << PQerrorMessage(conn);
  EXPECT_EQ(PQnfields(res), 2);
  EXPECT_EQ(PQbinaryTuples(res), 0);
  PQclear(res);
  res = PutCopy(conn, {"1\tx\n2", "\ty\n", std::string(100000, 'z') + "\n"}, nullptr);
  ASSERT_EQ(PQresultStatus(res), PGRES_COMMAND_OK) << PQerrorMessage(conn);
  EXPECT_STREQ(PQcmdStatus(res), "COPY 3");
  EXPECT_STREQ(PQcmdTuples(res), "3");
  PQclear(res);
  EXPECT_EQ(PQgetResult(conn), nullptr);
  EXPECT_EQ(state_->copy_data, "1\tx\n2\ty\n" + std::string(100000, 'z') + "\n");
  EXPECT_TRUE(StillUsable(conn));
  PQfinish(conn);
}

TEST_F(CopyLibpqTest, CopyInOverTheExtendedProtocol) {
  PGconn* conn = Connect();
  PGresult* res = PQexecParams(conn, "copy t from stdin", 0, nullptr, nullptr, nullptr, nullptr, 0);
  ASSERT_EQ(PQresultStatus(res), PGRES_COPY_IN) << PQerrorMessage(conn);
  PQclear(res);
  res = PutCopy(conn, {"a\tb\n", "c\td\n"}, nullptr);
  ASSERT_EQ(PQresultStatus(res), PGRES_COMMAND_OK) << PQerrorMessage(conn);
  EXPECT_STREQ(PQcmdTuples(res), "2");
  PQclear(res);
  EXPECT_EQ(PQgetResult(conn), nullptr);
  EXPECT_EQ(state_->copy_data, "a\tb\nc\td\n");
  EXPECT_TRUE(StillUsable(conn));  // the Sync accounting came out even
  PQfinish(conn);
}

TEST_F(CopyLibpqTest, ErrorsEndTheCopyAndLeaveTheConnectionUsable) {
  PGconn* conn = Connect();
  for (bool extended : {false, true}) {
    PGresult* res = extended ? PQexecParams(conn, "copy bad_write", 0, nullptr, nullptr, nullptr,
                                            nullptr, 0)
                             : PQexec(conn, "copy bad_write");
    ASSERT_EQ(PQresultStatus(res), PGRES_COPY_IN) << PQerrorMessage(conn);
    PQclear(res);
    res = PutCopy(conn, {"1\n", "x\n", "3\n", "4\n"}, nullptr);
    EXPECT_EQ(PQresultStatus(res), PGRES_FATAL_ERROR);
    EXPECT_STREQ(PQresultErrorField(res, PG_DIAG_SQLSTATE), "22P02");
    PQclear(res);
    while ((res = PQgetResult(conn)) != nullptr) PQclear(res);
    EXPECT_TRUE(StillUsable(conn)) << (extended ? "extended" : "simple");
  }
  EXPECT_EQ(state_->copy_writes.size(), 4u);  // two per attempt; the rest was ignored

  PGresult* res = PQexec(conn, "copy t from stdin");
  ASSERT_EQ(PQresultStatus(res), PGRES_COPY_IN);
  PQclear(res);
  res = PutCopy(conn, {"1\tx\n"}, "client gave up");
  EXPECT_STREQ(PQresultErrorField(res, PG_DIAG_SQLSTATE), "57014");
  EXPECT_STREQ(PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY),
               "COPY from stdin failed: client gave up");
  PQclear(res);
  EXPECT_EQ(PQgetResult(conn), nullptr);
  EXPECT_EQ(state_->copy_aborts, (std::vector<std::string>{"client gave up"}));
  EXPECT_TRUE(StillUsable(conn));
  PQfinish(conn);
}

TEST_F(CopyLibpqTest, CopyOutWithGetCopyData) {
  PGconn* conn = Connect();
  for (bool extended : {false, true}) {
    PGresult* res = extended ? PQexecParams(conn, "copy t to stdout", 0, nullptr, nullptr,
                                            nullptr, nullptr, 0)
                             : PQexec(conn, "copy t to stdout");
    ASSERT_EQ(PQresultStatus(res), PGRES_COPY_OUT) << PQerrorMessage(conn);
    EXPECT_EQ(PQnfields(res), 2);
    PQclear(res);
    std::vector<std::string> chunks;
    char* buffer = nullptr;
    int n;
    while ((n = PQgetCopyData(conn, &buffer, 0)) > 0) {
      chunks.emplace_back(buffer, n);
      PQfreemem(buffer);
    }
    EXPECT_EQ(n, -1);
    EXPECT_EQ(chunks, (std::vector<std::string>{"1\tx\n", "2\ty\n"}));
    res = PQgetResult(conn);
    EXPECT_EQ(PQresultStatus(res), PGRES_COMMAND_OK);
    EXPECT_STREQ(PQcmdTuples(res), "2");
    PQclear(res);
    EXPECT_EQ(PQgetResult(conn), nullptr);
    EXPECT_TRUE(StillUsable(conn));
  }
  PQfinish(conn);
}

// psql's \copy sends "COPY  t FROM STDIN" and streams the lines up to "\." from its script,
// then goes on with the script.
TEST_F(CopyLibpqTest, PsqlBackslashCopy) {
  const char* psql = "/usr/bin/psql";
  if (access(psql, X_OK) != 0) GTEST_SKIP() << "no psql";
  state_->scripts["COPY  t FROM STDIN"] = FakeScript{.copy_in = true, .copy_columns = 2};
  char dir_template[] = "/tmp/strata_psql_XXXXXX";
  ASSERT_NE(mkdtemp(dir_template), nullptr);
  std::string dir = dir_template;
  {
    std::ofstream script(dir + "/in.sql");
    script << "\\copy t from stdin\n1\tx\n2\ty\n\\.\nselect a;\n";
  }
  std::string command = "timeout 20 " + std::string(psql) + " -X -q -At -v ON_ERROR_STOP=1" +
                        " -h 127.0.0.1 -p " + std::to_string(server_->port()) +
                        " -U alice -d dev -f " + dir + "/in.sql > " + dir + "/out.txt 2>&1";
  int rc = std::system(command.c_str());
  std::ifstream out_file(dir + "/out.txt");
  std::stringstream out;
  out << out_file.rdbuf();
  std::system(("rm -rf " + dir).c_str());
  EXPECT_EQ(rc, 0) << out.str();
  EXPECT_EQ(state_->executed, (std::vector<std::string>{"COPY  t FROM STDIN", "select a"}));
  // psql 15 passes the end-of-data line "\." on as data: the engine's COPY parser must stop
  // there, as PostgreSQL's does.
  EXPECT_EQ(state_->copy_data, "1\tx\n2\ty\n\\.\n");
  EXPECT_NE(out.str().find("NOTICE:  copy finished\n7\n"), std::string::npos) << out.str();
}

}  // namespace
}  // namespace strata::pgwire::testing
