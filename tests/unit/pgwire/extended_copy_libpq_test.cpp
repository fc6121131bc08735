// Through libpq against the real PgServer: COPY run as a named prepared statement
// (PQprepare + PQexecPrepared, as pgjdbc-style drivers do over the extended protocol) enters
// copy-in and copy-out exactly like a simple query, and can be executed again; and settings
// changed by a statement reach the client as ParameterStatus in both protocols
// (PQparameterStatus sees the new value once the statement's result is read).
#include <gtest/gtest.h>
#include <libpq-fe.h>

#include <string>
#include <vector>

#include "server/pgwire/pg_server.h"
#include "tests/unit/pgwire/wire_test_support.h"

namespace strata::pgwire::testing {
namespace {

class ExtendedCopyLibpqTest : public ::testing::Test {
 protected:
  void SetUp() override {
    state_->scripts["copy t from stdin"] = FakeScript{.copy_in = true, .copy_columns = 2};
    state_->scripts["copy t to stdout"] =
        FakeScript{.tag = "COPY 2", .copy_columns = 1, .copy_out = {"1\n", "2\n"}};
    state_->scripts["set application_name = 'etl'"] =
        FakeScript{.tag = "SET", .parameter_status = {{"application_name", "etl"}}};
    state_->scripts["set datestyle = 'german'"] =
        FakeScript{.tag = "SET", .parameter_status = {{"DateStyle", "German, DMY"}}};
    state_->scripts["select a"] =
        FakeScript{.columns = {{"a", SqlType::Int32(), {"7"}}}, .tag = "SELECT 1"};
    server_ = std::make_unique<PgServer>(MakeFactory(state_));
    std::string error;
    ASSERT_TRUE(server_->Start(&error)) << error;
    std::string conninfo = "host=127.0.0.1 port=" + std::to_string(server_->port()) +
                           " user=alice dbname=dev connect_timeout=5 gssencmode=disable";
    conn_ = PQconnectdb(conninfo.c_str());
    ASSERT_EQ(PQstatus(conn_), CONNECTION_OK) << PQerrorMessage(conn_);
  }
  void TearDown() override {
    PQfinish(conn_);
    server_->Stop();
  }
  void Prepare(const char* name, const char* sql) {
    PGresult* res = PQprepare(conn_, name, sql, 0, nullptr);
    ASSERT_EQ(PQresultStatus(res), PGRES_COMMAND_OK) << PQerrorMessage(conn_);
    PQclear(res);
  }
  bool StillUsable() {
    PGresult* res = PQexec(conn_, "select a");
    bool ok = PQresultStatus(res) == PGRES_TUPLES_OK && std::string(PQgetvalue(res, 0, 0)) == "7";
    PQclear(res);
    return ok;
  }

  std::shared_ptr<FakeState> state_ = std::make_shared<FakeState>();
  std::unique_ptr<PgServer> server_;
  PGconn* conn_ = nullptr;
};

TEST_F(ExtendedCopyLibpqTest, PreparedCopyInRunsTwice) {
  Prepare("load", "copy t from stdin");
  // Describe of the statement: a COPY returns no rows.
  PGresult* desc = PQdescribePrepared(conn_, "load");
  ASSERT_EQ(PQresultStatus(desc), PGRES_COMMAND_OK) << PQerrorMessage(conn_);
  EXPECT_EQ(PQnfields(desc), 0);
  PQclear(desc);
  for (int round = 0; round < 2; ++round) {
    PGresult* res = PQexecPrepared(conn_, "load", 0, nullptr, nullptr, nullptr, 0);
    ASSERT_EQ(PQresultStatus(res), PGRES_COPY_IN) << PQerrorMessage(conn_);
    EXPECT_EQ(PQnfields(res), 2);
    PQclear(res);
    std::string row = std::to_string(round) + "\tx\n";
    ASSERT_EQ(PQputCopyData(conn_, row.data(), static_cast<int>(row.size())), 1);
    ASSERT_EQ(PQputCopyEnd(conn_, nullptr), 1);
    res = PQgetResult(conn_);
    ASSERT_EQ(PQresultStatus(res), PGRES_COMMAND_OK) << PQerrorMessage(conn_);
    EXPECT_STREQ(PQcmdStatus(res), "COPY 1");
    PQclear(res);
    EXPECT_EQ(PQgetResult(conn_), nullptr);
  }
  EXPECT_EQ(state_->copy_data, "0\tx\n1\tx\n");
  EXPECT_EQ(state_->copy_finishes, 2);
  EXPECT_TRUE(StillUsable());
}

TEST_F(ExtendedCopyLibpqTest, PreparedCopyInCopyFailLeavesTheConnectionUsable) {
  Prepare("load", "copy t from stdin");
  PGresult* res = PQexecPrepared(conn_, "load", 0, nullptr, nullptr, nullptr, 0);
  ASSERT_EQ(PQresultStatus(res), PGRES_COPY_IN) << PQerrorMessage(conn_);
  PQclear(res);
  ASSERT_EQ(PQputCopyData(conn_, "1\tx\n", 4), 1);
  ASSERT_EQ(PQputCopyEnd(conn_, "stop"), 1);
  res = PQgetResult(conn_);
  EXPECT_STREQ(PQresultErrorField(res, PG_DIAG_SQLSTATE), "57014");
  PQclear(res);
  while ((res = PQgetResult(conn_)) != nullptr) PQclear(res);
  EXPECT_EQ(state_->copy_aborts, (std::vector<std::string>{"stop"}));
  EXPECT_TRUE(StillUsable());
}

TEST_F(ExtendedCopyLibpqTest, PreparedCopyOut) {
  Prepare("dump", "copy t to stdout");
  for (int round = 0; round < 2; ++round) {
    PGresult* res = PQexecPrepared(conn_, "dump", 0, nullptr, nullptr, nullptr, 0);
    ASSERT_EQ(PQresultStatus(res), PGRES_COPY_OUT) << PQerrorMessage(conn_);
    EXPECT_EQ(PQnfields(res), 1);
    PQclear(res);
    std::string data;
    char* buffer = nullptr;
    int n;
    while ((n = PQgetCopyData(conn_, &buffer, 0)) > 0) {
      data.append(buffer, n);
      PQfreemem(buffer);
    }
    EXPECT_EQ(n, -1);
    EXPECT_EQ(data, "1\n2\n");
    res = PQgetResult(conn_);
    EXPECT_EQ(PQresultStatus(res), PGRES_COMMAND_OK);
    EXPECT_STREQ(PQcmdTuples(res), "2");
    PQclear(res);
    EXPECT_EQ(PQgetResult(conn_), nullptr);
  }
  EXPECT_TRUE(StillUsable());
}

TEST_F(ExtendedCopyLibpqTest, ParameterStatusAfterSetInBothProtocols) {
  EXPECT_STREQ(PQparameterStatus(conn_, "client_encoding"), "UTF8");
  EXPECT_EQ(PQparameterStatus(conn_, "application_name"), nullptr);
  PGresult* res = PQexec(conn_, "set application_name = 'etl'");
  ASSERT_EQ(PQresultStatus(res), PGRES_COMMAND_OK) << PQerrorMessage(conn_);
  PQclear(res);
  ASSERT_NE(PQparameterStatus(conn_, "application_name"), nullptr);
  EXPECT_STREQ(PQparameterStatus(conn_, "application_name"), "etl");

  Prepare("ds", "set datestyle = 'german'");
  res = PQexecPrepared(conn_, "ds", 0, nullptr, nullptr, nullptr, 0);
  ASSERT_EQ(PQresultStatus(res), PGRES_COMMAND_OK) << PQerrorMessage(conn_);
  PQclear(res);
  ASSERT_NE(PQparameterStatus(conn_, "DateStyle"), nullptr);
  EXPECT_STREQ(PQparameterStatus(conn_, "DateStyle"), "German, DMY");
}

}  // namespace
}  // namespace strata::pgwire::testing
