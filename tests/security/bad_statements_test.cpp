// One statement never kills the cluster (issue 14, item 2), against a real cluster over libpq:
// parameter numbers the extended protocol's Parse carries ($0, gaps, huge numbers), statements
// nested or chained far past any stack, and functions whose output size the query controls.
// Each of these killed the leader (SIGSEGV), answered XX000 / 08P01 or held gigabytes; now each
// answers PostgreSQL's SQLSTATE or works, and the same session still answers `select 1`.
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "tests/lib/live_cluster.h"

namespace strata::testing {
namespace {

std::string Repeat(const std::string& s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

std::string Join(const std::string& head, const std::string& sep, int n, std::string (*term)(int)) {
  std::string out = head;
  for (int i = 0; i < n; ++i) out += (i ? sep : "") + term(i);
  return out;
}

class BadStatementsTest : public LiveClusterSuite<BadStatementsTest> {
 protected:
  void SetUp() override {
    LiveClusterSuite::SetUp();
    if (HasFatalFailure()) return;
    conn_ = cluster_->Connect();
    ASSERT_EQ(PQstatus(conn_), CONNECTION_OK) << PQerrorMessage(conn_);
  }
  void TearDown() override { PQfinish(conn_); }

  // The SQLSTATE of a Parse (PQprepare) of `sql`, "" when it succeeds.
  std::string PrepareState(const std::string& sql, std::string* message = nullptr) {
    PGresult* r = PQprepare(conn_, "", sql.c_str(), 0, nullptr);
    std::string out;
    if (PQresultStatus(r) != PGRES_COMMAND_OK) {
      const char* s = PQresultErrorField(r, PG_DIAG_SQLSTATE);
      out = s ? s : "conn";
      if (message) *message = PQresultErrorMessage(r);
    }
    PQclear(r);
    return out;
  }
  // The session (and so the leader) still answers.
  void ExpectAlive() { EXPECT_EQ(ValueOf(conn_, "select 1"), "1") << cluster_->LogTail(); }

  PGconn* conn_ = nullptr;
};


TEST_F(BadStatementsTest, ParameterNumbersAreChecked) {
  ASSERT_EQ(StateOf(conn_, "create table bs_params (a int, b int)"), "");
  std::string message;
  for (const char* sql : {"select $0", "select 1 where 1 = $0", "insert into bs_params values ($0, $2)",
                          "select $2147483647", "select $60000000", "select $65536"}) {
    EXPECT_EQ(PrepareState(sql, &message), "42P02") << sql;
    EXPECT_NE(message.find("there is no parameter $"), std::string::npos) << message;
    ExpectAlive();
  }
  // A gap: as PostgreSQL 15, the type of the missing $2 cannot be determined.
  EXPECT_EQ(PrepareState("insert into bs_params values ($1, $3)", &message), "42P18");
  EXPECT_NE(message.find("could not determine data type of parameter $2"), std::string::npos) << message;
  ExpectAlive();
  // The same statements over the simple protocol.
  EXPECT_EQ(StateOf(conn_, "select $0"), "42P02");
  EXPECT_EQ(StateOf(conn_, "select $2147483647"), "42P02");
  ExpectAlive();
  // Typed parameters still work.
  const char* values[] = {"4", "5"};
  PGresult* r = PQexecParams(conn_, "insert into bs_params values ($1, $2)", 2, nullptr, values, nullptr, nullptr, 0);
  EXPECT_EQ(PQresultStatus(r), PGRES_COMMAND_OK) << PQerrorMessage(conn_);
  PQclear(r);
  EXPECT_EQ(ValueOf(conn_, "select a + b from bs_params"), "9");
}

TEST_F(BadStatementsTest, HugeExpressionsWorkOrAreTooComplex) {
  std::string message;
  EXPECT_EQ(StateOf(conn_, "select 1" + Repeat("+1", 99999), &message), "54001") << message;
  ExpectAlive();
  EXPECT_EQ(StateOf(conn_, "select 'a'" + Repeat("||'a'", 99999)), "54001");
  ExpectAlive();
  // As long a chain as PostgreSQL 15 takes: evaluated on the compute nodes, 1,000 levels deep.
  ASSERT_EQ(StateOf(conn_, "create table bs_deep (a int)"), "");
  ASSERT_EQ(StateOf(conn_, "insert into bs_deep values (1), (2)"), "");
  EXPECT_EQ(ValueOf(conn_, "select sum(a" + Repeat(" + a", 999) + ") from bs_deep"), "3000");
  EXPECT_EQ(ValueOf(conn_, "select 1" + Repeat("+1", 999)), "1000");
  // Lists are flat whatever their length.
  EXPECT_EQ(ValueOf(conn_, Join("select count(*) from bs_deep where ", " or ", 20000,
                                [](int i) { return "a = " + std::to_string(i); })),
            "2");
  // 1,000 ANDs reached the compute nodes 1,000 deep (08P01); 20,000 bound in quadratic time.
  EXPECT_EQ(ValueOf(conn_, Join("select count(*) from bs_deep where ", " and ", 1000,
                                [](int i) { return "a <> " + std::to_string(i + 10); })),
            "2");
  auto started = std::chrono::steady_clock::now();
  EXPECT_EQ(ValueOf(conn_, Join("select count(*) from bs_deep where ", " and ", 20000,
                                [](int i) { return "a <> " + std::to_string(i + 10); })),
            "2");
  EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count(), 10.0);
  EXPECT_EQ(ValueOf(conn_, Join("select count(*) from bs_deep where a in (", ",", 100000,
                                [](int i) { return std::to_string(i); }) + ")"),
            "2");
  ExpectAlive();
}

TEST_F(BadStatementsTest, DeepNestingWorksOrIsTooComplex) {
  // 100-deep parentheses and subqueries were XX000 (protobuf's recursion limit of 100).
  EXPECT_EQ(ValueOf(conn_, "select " + Repeat("(", 100) + "1" + Repeat(")", 100)), "1");
  EXPECT_EQ(ValueOf(conn_, "select " + Repeat("(select ", 100) + "1" + Repeat(")", 100)), "1");
  EXPECT_EQ(StateOf(conn_, "select " + Repeat("(select ", 1000) + "1" + Repeat(")", 1000)), "54001");
  ExpectAlive();
  std::string ctes = "with c0 as (select 1 as x)";
  for (int i = 1; i < 5000; ++i) ctes += ", c" + std::to_string(i) + " as (select x from c" + std::to_string(i - 1) + ")";
  EXPECT_EQ(StateOf(conn_, ctes + " select * from c4999"), "54001");
  ExpectAlive();
  EXPECT_EQ(ValueOf(conn_, "select count(*) from (" +
                               Join("", " union all ", 150, [](int i) { return "select " + std::to_string(i); }) + ") s"),
            "150");
  ExpectAlive();
}

TEST_F(BadStatementsTest, FunctionOutputIsCapped) {
  std::string message;
  EXPECT_EQ(StateOf(conn_, "select format('%999999999s', 1)", &message), "54000") << message;
  EXPECT_NE(message.find("requested length too large"), std::string::npos) << message;
  ExpectAlive();
  EXPECT_EQ(StateOf(conn_, "select format('%*s', 2147483647, 1)"), "54000");
  EXPECT_EQ(StateOf(conn_, "select format('%*s', -9223372036854775808, 1)"), "54000");
  // A replacement that multiplies the string.
  std::string a1000 = Repeat("a", 1000);
  EXPECT_EQ(StateOf(conn_, "select replace('" + a1000 + "', 'a', '" + a1000 + "')"), "54000");
  ExpectAlive();
  EXPECT_EQ(ValueOf(conn_, "select length(format('%10s|%-5s|', 'x', 'y'))"), "17");
  EXPECT_EQ(ValueOf(conn_, "select replace('abc', 'b', 'xyz')"), "axyzc");
}

}  // namespace
}  // namespace strata::testing
