// The extended query protocol over the in-memory stream: Parse/Bind/Describe/Execute with a
// row limit (PortalSuspended, then CommandComplete), named statements and
// portals, Close, errors followed by discarding until Sync, binary parameters and results.
#include <gtest/gtest.h>

#include <cstring>

#include "server/pgwire/binary_values.h"
#include "tests/unit/pgwire/wire_test_support.h"

namespace strata::pgwire::testing {
namespace {

class ExtendedQueryTest : public WireTest {
 protected:
  void SetUp() override {
    FakeColumn n{"n", SqlType::Int64(), {}};
    for (int i = 1; i <= 5; ++i) n.values.push_back(std::to_string(i));
    // Two batches (3 + 2 rows) so that the portal cursor crosses a batch boundary.
    Script("select n") = FakeScript{.columns = {n}, .tag = "SELECT 5", .batch_rows = 3};
    Script("select $1, $2") = FakeScript{.param_oids = {23, 25}, .echo_params = true};
    Script("select typed") =
        FakeScript{.columns = {{"b", SqlType::Bool(), {"t"}},
                               {"i2", SqlType::Int16(), {"-2"}},
                               {"i4", SqlType::Int32(), {"70000"}},
                               {"i8", SqlType::Int64(), {"-5000000000"}},
                               {"f4", SqlType::Float32(), {"1.5"}},
                               {"f8", SqlType::Float64(), {"-0.25"}},
                               {"s", SqlType::Varchar(10), {"héllo"}},
                               {"c", SqlType::Char(3), {"ab"}},
                               {"d", SqlType::Date(), {"2000-01-03"}},
                               {"ts", SqlType::Timestamp(), {"1999-12-31 23:59:59"}},
                               {"num", SqlType::Decimal(10, 3), {"-12345.678"}},
                               {"nul", SqlType::Int32(), {std::nullopt}}},
                   .tag = "SELECT 1"};
    Script("insert") = FakeScript{.tag = "INSERT 0 1"};
    Script("boom") = FakeScript{.execute_error = SqlError("22012", "division by zero")};
  }
};

TEST_F(ExtendedQueryTest, ExecuteWithMaxRowsSuspendsThenCompletes) {
  auto msgs = Run(ParseMsg("", "select n") + BindMsg("", "", {}, {}, {}) + DescribeMsg('P', "") +
                  ExecuteMsg("", 2) + ExecuteMsg("", 2) + ExecuteMsg("", 2) + SyncMsg());
  ASSERT_EQ(Types(msgs), "12TDDsDDsDCZ");
  EXPECT_EQ(DataRowValues(msgs[3].body)[0], "1");
  EXPECT_EQ(DataRowValues(msgs[7].body)[0], "4");
  EXPECT_EQ(DataRowValues(msgs[9].body)[0], "5");
  // PostgreSQL's tag counts the rows of the last Execute only.
  EXPECT_EQ(CString(msgs[10].body), "SELECT 1");
  EXPECT_EQ(msgs[11].body, "I");
  EXPECT_EQ(state_->executed.size(), 1u);  // run once, then read from the buffered result
}

TEST_F(ExtendedQueryTest, ExactLimitSuspendsThenEmptyExecuteCompletes) {
  auto msgs = Run(ParseMsg("", "select n") + BindMsg("", "", {}, {}, {}) + ExecuteMsg("", 5) +
                  ExecuteMsg("", 5) + SyncMsg());
  // Filling the limit exactly suspends (as PostgreSQL); the next call completes with 0 rows.
  ASSERT_EQ(Types(msgs), "12DDDDDsCZ");
  EXPECT_EQ(CString(msgs[8].body), "SELECT 0");
}

TEST_F(ExtendedQueryTest, DescribeStatementGivesParametersAndRows) {
  auto msgs = Run(ParseMsg("s1", "select $1, $2", {0, 25}) + DescribeMsg('S', "s1") +
                  ParseMsg("s2", "insert") + DescribeMsg('S', "s2") + SyncMsg());
  ASSERT_EQ(Types(msgs), "1tT1tnZ");
  EXPECT_EQ(msgs[1].body, I16(2) + I32(23) + I32(25));
  EXPECT_EQ(msgs[4].body, I16(0));
}

TEST_F(ExtendedQueryTest, NamedPortalsAndTextParameters) {
  auto msgs = Run(ParseMsg("s", "select $1, $2") +
                  BindMsg("p", "s", {}, {std::string("42"), std::nullopt}, {}) +
                  ExecuteMsg("p", 0) + SyncMsg());
  ASSERT_EQ(Types(msgs), "12DCZ");
  EXPECT_EQ(state_->executed.back(), "select $1, $2|42|<null>");
  auto row = DataRowValues(msgs[2].body);
  EXPECT_EQ(row[0], "42");
  EXPECT_EQ(row[1], std::nullopt);
  EXPECT_EQ(CString(msgs[3].body), "SELECT 1");
}

TEST_F(ExtendedQueryTest, BinaryParametersAreConvertedToText) {
  std::string int4_42("\0\0\0\x2a", 4);
  auto msgs =
      Run(ParseMsg("", "select $1, $2") + BindMsg("", "", {1}, {int4_42, std::string("text")}, {}) +
          ExecuteMsg("", 0) + SyncMsg());
  ASSERT_EQ(Types(msgs), "12DCZ");
  EXPECT_EQ(state_->executed.back(), "select $1, $2|42|text");
}

TEST_F(ExtendedQueryTest, BadBinaryParameterIsAnError) {
  auto msgs = Run(ParseMsg("", "select $1, $2") +
                  BindMsg("", "", {1, 0}, {std::string("\0\0", 2), std::string("x")}, {}) +
                  ExecuteMsg("", 0) + SyncMsg());
  ASSERT_EQ(Types(msgs), "1EZ");
  EXPECT_EQ(ErrorFields(msgs[1].body)['C'], "22P03");
}

TEST_F(ExtendedQueryTest, ErrorDiscardsUntilSync) {
  auto msgs =
      Run(ParseMsg("", "boom") + BindMsg("", "", {}, {}, {}) + ExecuteMsg("", 0) +
          ParseMsg("", "select n") + BindMsg("", "", {}, {}, {}) + ExecuteMsg("", 0) + SyncMsg() +
          ParseMsg("", "insert") + BindMsg("", "", {}, {}, {}) + ExecuteMsg("", 0) + SyncMsg());
  ASSERT_EQ(Types(msgs), "12EZ12CZ");
  EXPECT_EQ(ErrorFields(msgs[2].body)['C'], "22012");
  EXPECT_EQ(CString(msgs[6].body), "INSERT 0 1");
  EXPECT_EQ(state_->executed, (std::vector<std::string>{"boom", "insert"}));
  EXPECT_EQ(state_->errors_seen, 1);
}

TEST_F(ExtendedQueryTest, UnknownStatementAndPortal) {
  auto msgs = Run(BindMsg("", "nope", {}, {}, {}) + SyncMsg() + ExecuteMsg("nope", 0) + SyncMsg() +
                  DescribeMsg('S', "nope") + SyncMsg() + DescribeMsg('P', "nope") + SyncMsg());
  ASSERT_EQ(Types(msgs), "EZEZEZEZ");
  EXPECT_EQ(ErrorFields(msgs[0].body)['C'], "26000");
  EXPECT_EQ(ErrorFields(msgs[2].body)['C'], "34000");
  EXPECT_EQ(ErrorFields(msgs[4].body)['C'], "26000");
  EXPECT_EQ(ErrorFields(msgs[6].body)['C'], "34000");
}

TEST_F(ExtendedQueryTest, ParameterCountMismatchAndDuplicateName) {
  auto msgs = Run(ParseMsg("s", "select $1, $2") + BindMsg("", "s", {}, {std::string("1")}, {}) +
                  SyncMsg() + ParseMsg("s", "insert") + SyncMsg());
  ASSERT_EQ(Types(msgs), "1EZEZ");
  EXPECT_EQ(ErrorFields(msgs[1].body)['C'], "08P01");
  EXPECT_EQ(ErrorFields(msgs[3].body)['C'], "42P05");
}

TEST_F(ExtendedQueryTest, CloseStatementAndPortal) {
  auto msgs = Run(ParseMsg("s", "select n") + BindMsg("p", "s", {}, {}, {}) + CloseMsg('P', "p") +
                  ExecuteMsg("p", 0) + SyncMsg() + BindMsg("p", "s", {}, {}, {}) +
                  CloseMsg('S', "s") + CloseMsg('S', "never-existed") + ExecuteMsg("p", 0) +
                  SyncMsg() + BindMsg("", "s", {}, {}, {}) + SyncMsg());
  // Closing the statement closes its portal too; closing a missing one is no error.
  ASSERT_EQ(Types(msgs), "123EZ233EZEZ");
  EXPECT_EQ(ErrorFields(msgs[3].body)['C'], "34000");
  EXPECT_EQ(ErrorFields(msgs[8].body)['C'], "34000");
  EXPECT_EQ(ErrorFields(msgs[10].body)['C'], "26000");
}

TEST_F(ExtendedQueryTest, UnnamedStatementIsReplacedAndEmptyQuery) {
  auto msgs = Run(ParseMsg("", "insert") + ParseMsg("", "select n") + BindMsg("", "", {}, {}, {}) +
                  ExecuteMsg("", 1) + ParseMsg("", " ") + BindMsg("", "", {}, {}, {}) +
                  DescribeMsg('P', "") + ExecuteMsg("", 0) + SyncMsg());
  ASSERT_EQ(Types(msgs), "112Ds12nIZ");
}

TEST_F(ExtendedQueryTest, FlushSendsWithoutSync) {
  MemoryByteStream stream(Startup() + ParseMsg("", "insert") + FlushMsg());
  PgConnection connection(&stream, MakeFactory(state_));
  connection.Run();
  // The ParseComplete went out on the Flush, before the stream ended.
  std::string flushed = stream.flushed();
  ASSERT_GE(flushed.size(), 5u);
  EXPECT_EQ(flushed.substr(flushed.size() - 5), std::string("1\0\0\0\x04", 5));
}

TEST_F(ExtendedQueryTest, BinaryResults) {
  auto msgs = Run(ParseMsg("", "select typed") + BindMsg("", "", {}, {}, {1}) +
                  DescribeMsg('P', "") + ExecuteMsg("", 0) + SyncMsg());
  ASSERT_EQ(Types(msgs), "12TDCZ");
  // Every field of the portal's RowDescription says binary.
  MessageReader desc(msgs[2].body);
  ASSERT_EQ(desc.Int16(), 12);
  for (int i = 0; i < 12; ++i) {
    desc.CString();
    desc.Bytes(4 + 2 + 4 + 2 + 4);
    EXPECT_EQ(desc.Int16(), 1);
  }
  auto row = DataRowValues(msgs[3].body);
  ASSERT_EQ(row.size(), 12u);
  EXPECT_EQ(*row[0], std::string("\x01", 1));
  EXPECT_EQ(*row[1], std::string("\xff\xfe", 2));
  EXPECT_EQ(*row[2], std::string("\x00\x01\x11\x70", 4));
  EXPECT_EQ(*row[3], std::string("\xff\xff\xff\xfe\xd5\xfa\x0e\x00", 8));
  EXPECT_EQ(*row[4], std::string("\x3f\xc0\x00\x00", 4));
  EXPECT_EQ(*row[5], std::string("\xbf\xd0\x00\x00\x00\x00\x00\x00", 8));
  EXPECT_EQ(*row[6], "héllo");
  EXPECT_EQ(*row[7], "ab ");
  EXPECT_EQ(*row[8], std::string("\0\0\0\x02", 4));
  EXPECT_EQ(*row[9], std::string("\xff\xff\xff\xff\xff\xf0\xbd\xc0", 8));  // -1 s in micros
  // numeric -12345.678: ndigits 3, weight 1, sign 0x4000, dscale 3, digits 1 2345 6780.
  EXPECT_EQ(*row[10], I16(3) + I16(1) + I16(0x4000) + I16(3) + I16(1) + I16(2345) + I16(6780));
  EXPECT_EQ(row[11], std::nullopt);
}

TEST_F(ExtendedQueryTest, MixedResultFormatsAndBadCounts) {
  auto msgs = Run(ParseMsg("", "select typed") +
                  BindMsg("", "", {}, {}, {1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}) +
                  ExecuteMsg("", 0) + SyncMsg() + BindMsg("", "", {}, {}, {1, 0}) + SyncMsg() +
                  BindMsg("", "", {}, {}, {2}) + SyncMsg());
  ASSERT_EQ(Types(msgs), "12DCZEZEZ");
  auto row = DataRowValues(msgs[2].body);
  EXPECT_EQ(*row[0], std::string("\x01", 1));
  EXPECT_EQ(*row[1], "-2");
  EXPECT_EQ(*row[10], "-12345.678");
  EXPECT_EQ(ErrorFields(msgs[5].body)['C'], "08P01");
  EXPECT_EQ(ErrorFields(msgs[7].body)['C'], "22023");
}

TEST_F(ExtendedQueryTest, MalformedBindIsFatal) {
  std::string body = Cstr("") + Cstr("") + I16(0) + I16(1) + I32(100) + "short";
  auto msgs = Run(ParseMsg("", "select $1, $2") + Frame('B', body) + SyncMsg());
  ASSERT_EQ(Types(msgs), "1E");
  EXPECT_EQ(ErrorFields(msgs[1].body)['S'], "FATAL");
  EXPECT_EQ(ErrorFields(msgs[1].body)['C'], "08P01");
  EXPECT_TRUE(closed_);
}

TEST_F(ExtendedQueryTest, PortalsDoNotSurviveSyncOutsideATransaction) {
  auto msgs = Run(ParseMsg("s", "select n") + BindMsg("p", "s", {}, {}, {}) + SyncMsg() +
                  ExecuteMsg("p", 0) + SyncMsg());
  ASSERT_EQ(Types(msgs), "12ZEZ");
  EXPECT_EQ(ErrorFields(msgs[3].body)['C'], "34000");
}

}  // namespace
}  // namespace strata::pgwire::testing
