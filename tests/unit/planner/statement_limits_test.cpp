// Statements of any size a client may send either parse, bind and plan, or fail with 54001
// "statement too complex" (sql/nesting_limit.h) — never by running the thread out of stack —
// and $n numbers are checked before anything is sized by them (42P02, 42P18). Issue 14 item 2:
// each of these crashed the leader or held gigabytes before.
#include <gtest/gtest.h>
#include <pthread.h>

#include <chrono>
#include <functional>
#include <string>

#include "planner/optimizer.h"
#include "sql/error.h"
#include "sql/nesting_limit.h"
#include "sql/redshift_dialect.h"
#include "tests/unit/planner/planner_test_support.h"

namespace strata {
namespace {

using testing::SampleCatalog;

std::string Repeat(const std::string& s, int n) {
  std::string out;
  out.reserve(s.size() * n);
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

std::string Terms(const std::string& head, const std::string& sep, int n, const std::function<std::string(int)>& term) {
  std::string out = head;
  for (int i = 0; i < n; ++i) out += (i ? sep : "") + term(i);
  return out;
}

// Parses, binds and plans `sql` against the sample catalog, with `param_oids` as a Parse
// message's types and no values (prepare time); returns "" or the SQLSTATE.
std::string FrontEnd(const std::string& sql, std::string* message = nullptr) {
  try {
    CatalogVersion cat = SampleCatalog();
    std::vector<ast::Statement> stmts = ParseSql(sql);
    BoundStatement b = Bind(stmts.at(0), cat, {}, nullptr);
    Optimize(&b);
    if (b.query) {
      PlanQuery(*b.query, ClusterShape{2, 2});
    }
    return "";
  } catch (const SqlError& e) {
    if (message) *message = e.message() + " / " + e.detail();
    return e.sqlstate();
  }
}

// Runs `fn` on a thread with a `stack_bytes` stack, as a session thread would run it.
void OnStack(size_t stack_bytes, const std::function<void()>& fn) {
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, stack_bytes);
  pthread_t thread;
  auto body = [](void* p) -> void* {
    (*static_cast<const std::function<void()>*>(p))();
    return nullptr;
  };
  ASSERT_EQ(pthread_create(&thread, &attr, body, const_cast<std::function<void()>*>(&fn)), 0);
  pthread_join(thread, nullptr);
  pthread_attr_destroy(&attr);
}

// The session threads have 8 MB; the limits must hold with a wide margin, so these run on 2 MB.
constexpr size_t kTestStack = 2 << 20;

TEST(StatementLimitsTest, LongOperatorChainsAreTooComplexNotACrash) {
  OnStack(kTestStack, [] {
    std::string message;
    EXPECT_EQ(FrontEnd("select 1" + Repeat("+1", 99999), &message), "54001") << message;
    EXPECT_NE(message.find("statement too complex"), std::string::npos) << message;
    EXPECT_EQ(FrontEnd("select 'a'" + Repeat("||'a'", 99999)), "54001");
    // Just past what the decoder takes after the token estimate let it through.
    EXPECT_EQ(FrontEnd("select 1" + Repeat("+1", 2000)), "54001");
    // As deep as PostgreSQL 15 goes with its default stack: works.
    EXPECT_EQ(FrontEnd("select 1" + Repeat("+1", 999)), "");
    EXPECT_EQ(FrontEnd("select o_id from orders where o_id" + Repeat(" + o_id", 1200) + " > 0"), "");
  });
}

TEST(StatementLimitsTest, NestingWorksOrIsTooComplex) {
  OnStack(kTestStack, [] {
    // 100-deep parentheses and subqueries used to fail on protobuf's recursion limit (XX000).
    EXPECT_EQ(FrontEnd("select " + Repeat("(", 100) + "1" + Repeat(")", 100)), "");
    EXPECT_EQ(FrontEnd("select " + Repeat("(select ", 100) + "1" + Repeat(")", 100)), "");
    EXPECT_EQ(FrontEnd("select " + Repeat("(", 1000) + "1" + Repeat(")", 1000)), "");
    EXPECT_EQ(FrontEnd("select " + Repeat("(select ", 1000) + "1" + Repeat(")", 1000)), "54001");
    EXPECT_EQ(FrontEnd("select " + Repeat("abs(", 1000) + "1" + Repeat(")", 1000)), "");
    EXPECT_EQ(FrontEnd("select " + Repeat("case when true then ", 400) + "1" + Repeat(" end", 400)), "");
    EXPECT_EQ(FrontEnd("select " + Repeat("case when true then ", 1600) + "1" + Repeat(" end", 1600)), "54001");
    // Deeper still, the token estimate refuses before libpg_query runs; bison's own stack limit
    // (PostgreSQL's 42601 "memory exhausted") would come next.
    EXPECT_EQ(FrontEnd("select " + Repeat("(", 20000) + "1" + Repeat(")", 20000)), "54001");
    EXPECT_EQ(FrontEnd("select " + Repeat("not ", 20000) + "true"), "54001");
    EXPECT_EQ(FrontEnd("select " + Repeat("case when true then ", 3000) + "1" + Repeat(" end", 3000)), "42601");
  });
}

TEST(StatementLimitsTest, CteChainsAndSetOperations) {
  OnStack(kTestStack, [] {
    auto ctes = [](int n) {
      std::string s = "with c0 as (select 1 as x)";
      for (int i = 1; i < n; ++i) s += ", c" + std::to_string(i) + " as (select x from c" + std::to_string(i - 1) + ")";
      return s + " select * from c" + std::to_string(n - 1);
    };
    EXPECT_EQ(FrontEnd(ctes(5000)), "54001");
    EXPECT_EQ(FrontEnd(ctes(100)), "");
    // Each CTE reads the one before twice: 2^40 query blocks unless the count is bounded.
    std::string doubling = "with c0 as (select 1 as x)";
    for (int i = 1; i < 40; ++i) {
      doubling += ", c" + std::to_string(i) + " as (select x from c" + std::to_string(i - 1) +
                  " union all select x from c" + std::to_string(i - 1) + ")";
    }
    EXPECT_EQ(FrontEnd(doubling + " select count(*) from c39"), "54001");
    EXPECT_EQ(FrontEnd(Terms("", " union all ", 150, [](int i) { return "select " + std::to_string(i); })), "");
    // A chain of set operations binds link after link: 1,000 arms are no deeper than two.
    EXPECT_EQ(FrontEnd(Terms("", " union all ", 1000, [](int i) { return "select " + std::to_string(i); })), "");
    EXPECT_EQ(FrontEnd(Terms("", " union ", 1000, [](int i) { return "select " + std::to_string(i % 7); })), "");
    // INTERSECT / EXCEPT links each add a level to the plan: bounded as nested query blocks.
    EXPECT_EQ(FrontEnd(Terms("", " intersect ", 150, [](int) { return "select 1"; })), "");
    EXPECT_EQ(FrontEnd(Terms("", " except ", 1000, [](int i) { return "select " + std::to_string(i); })), "54001");
    EXPECT_EQ(FrontEnd(Terms("", " union all ", 5000, [](int i) { return "select " + std::to_string(i); })), "54001");
    EXPECT_EQ(FrontEnd(Terms("select 1 from orders a0", " ", 2000,
                             [](int i) { return "join orders a" + std::to_string(i + 1) + " on true"; })),
              "54001");
  });
}

TEST(StatementLimitsTest, BigFlatListsBindInLinearTime) {
  OnStack(kTestStack, [] {
    auto started = std::chrono::steady_clock::now();
    EXPECT_EQ(FrontEnd(Terms("select o_id from orders where ", " and ", 20000,
                             [](int i) { return "o_id <> " + std::to_string(i); })),
              "");
    double and_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    EXPECT_LT(and_seconds, 2.0);  // quadratic binding took minutes
    EXPECT_EQ(FrontEnd(Terms("select o_id from orders where ", " or ", 20000,
                             [](int i) { return "o_id = " + std::to_string(i); })),
              "");
    EXPECT_EQ(FrontEnd(Terms("select o_id from orders where o_id in (", ",", 100000,
                             [](int i) { return std::to_string(i); }) + ")"),
              "");
    EXPECT_EQ(FrontEnd(Terms("select case o_id ", " ", 20000,
                             [](int i) { return "when " + std::to_string(i) + " then " + std::to_string(i); }) +
                       " end from orders"),
              "");
    // Mixed AND/OR lists stay flat too; 1,000 ANDs used to reach compute nodes 1,000 deep.
    EXPECT_EQ(FrontEnd(Terms("select 1 from orders where ", " or ", 2000, [](int i) {
                return "(o_id = " + std::to_string(i) + " and o_cust = " + std::to_string(i) + ")";
              })),
              "");
  });
}

TEST(StatementLimitsTest, ParameterNumbersAreChecked) {
  std::string message;
  EXPECT_EQ(FrontEnd("select $0", &message), "42P02");
  EXPECT_NE(message.find("there is no parameter $0"), std::string::npos) << message;
  EXPECT_EQ(FrontEnd("select 1 where 1 = $0"), "42P02");
  EXPECT_EQ(FrontEnd("insert into orders values ($0, $2)"), "42P02");
  EXPECT_EQ(FrontEnd("select $2147483647", &message), "42P02");
  EXPECT_NE(message.find("there is no parameter $2147483647"), std::string::npos) << message;
  EXPECT_EQ(FrontEnd("select $60000000"), "42P02");
  EXPECT_EQ(FrontEnd("select $65536"), "42P02");
  // A gap: PostgreSQL 15 cannot tell $1's type and says so.
  EXPECT_EQ(FrontEnd("select $2::int", &message), "42P18");
  EXPECT_NE(message.find("could not determine data type of parameter $1"), std::string::npos) << message;
  EXPECT_EQ(FrontEnd("insert into orders values ($1, $3)"), "42P18");
  EXPECT_EQ(FrontEnd("select $1, $2::int"), "");
}

TEST(StatementLimitsTest, EstimateBoundsRealDepth) {
  auto estimate = [](const std::string& sql) {
    std::vector<SqlToken> tokens;
    EXPECT_TRUE(ScanSqlTokens(sql, &tokens));
    return EstimateNesting(tokens, sql);
  };
  // Flat lists stay shallow however long they are.
  EXPECT_LT(estimate(Terms("select 1 where ", " or ", 5000, [](int i) { return "a = " + std::to_string(i); })), 10);
  EXPECT_LT(estimate(Terms("select 1 where a in (", ",", 5000, [](int i) { return std::to_string(i); }) + ")"), 10);
  // Chains count every link, even when their links hold separators.
  EXPECT_GE(estimate("select 1" + Repeat("+1", 3000)), 3000);
  EXPECT_GE(estimate(Terms("", " union ", 3000, [](int) { return "select a, b where a and b"; })), 3000);
  EXPECT_GE(estimate(Terms("select 1 from t0", " ", 3000, [](int) { return "join t on a and b"; })), 3000);
  EXPECT_GE(estimate("select " + Repeat("case when a then ", 3000) + "1" + Repeat(" end", 3000)), 3000);
  // Separate statements do not add up.
  EXPECT_LT(estimate(Repeat("select 1 union select 2; ", 3000)), 10);
}

}  // namespace
}  // namespace strata
