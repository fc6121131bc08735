// The simple query protocol over the in-memory stream: two statements, NULLs, notices and
// ParameterStatus, errors mid-way (fields and position, later statements not run), empty
// queries, transaction status, and malformed or unknown messages.
#include <gtest/gtest.h>

#include "tests/unit/pgwire/wire_test_support.h"

namespace strata::pgwire::testing {
namespace {

class SimpleQueryTest : public WireTest {
 protected:
  void SetUp() override {
    Script("select a, b") = FakeScript{.columns = {{"a", SqlType::Int32(), {"1", std::nullopt}},
                                                   {"b", SqlType::Text(), {"x", "yz"}}},
                                       .tag = "SELECT 2"};
    Script("create table t") = FakeScript{.tag = "CREATE TABLE", .notices = {"hello"}};
    Script("boom") = FakeScript{.execute_error = SqlError("22012", "division by zero", 8)
                                                     .WithDetail("some detail")
                                                     .WithHint("some hint")};
    Script("begin") = FakeScript{.tag = "BEGIN", .status_after = 'T'};
    Script("set x") = FakeScript{.tag = "SET", .parameter_status = {{"application_name", "psql"}}};
  }
};

TEST_F(SimpleQueryTest, TwoStatementsByteForByte) {
  auto msgs = Run(QueryMsg("create table t; select a, b") + TerminateMsg());
  ASSERT_EQ(Types(msgs), "NCTDDCZ");
  EXPECT_EQ(ErrorFields(msgs[0].body)['M'], "hello");
  EXPECT_EQ(ErrorFields(msgs[0].body)['S'], "NOTICE");
  EXPECT_EQ(CString(msgs[1].body), "CREATE TABLE");
  // RowDescription: 2 fields; "a" int4 (oid 23, len 4, typmod -1), "b" text (25, -1, -1).
  std::string row_desc = I16(2) + Cstr("a") + I32(0) + I16(0) + I32(23) + I16(4) + I32(-1) +
                         I16(0) + Cstr("b") + I32(0) + I16(0) + I32(25) + I16(-1) + I32(-1) +
                         I16(0);
  EXPECT_EQ(msgs[2].body, row_desc);
  EXPECT_EQ(msgs[3].body, I16(2) + I32(1) + "1" + I32(1) + "x");
  EXPECT_EQ(msgs[4].body, I16(2) + I32(-1) + I32(2) + "yz");
  EXPECT_EQ(msgs[5].body, Cstr("SELECT 2"));
  EXPECT_EQ(msgs[6].body, "I");
  // The whole DataRow frame, type and length included.
  EXPECT_NE(raw_.find(std::string("D\0\0\0\x10\0\x02\xff\xff\xff\xff\0\0\0\x02yz", 17)),
            std::string::npos);
  ASSERT_EQ(state_->executed.size(), 2u);
  EXPECT_TRUE(closed_);
}

TEST_F(SimpleQueryTest, ErrorMidwaySkipsTheRest) {
  auto msgs = Run(QueryMsg("select a, b; boom; create table t") + QueryMsg("select a, b"));
  ASSERT_EQ(Types(msgs), "TDDCEZTDDCZ");
  auto f = ErrorFields(msgs[4].body);
  EXPECT_EQ(f['S'], "ERROR");
  EXPECT_EQ(f['V'], "ERROR");
  EXPECT_EQ(f['C'], "22012");
  EXPECT_EQ(f['M'], "division by zero");
  EXPECT_EQ(f['D'], "some detail");
  EXPECT_EQ(f['H'], "some hint");
  // Position 8 within "boom" becomes 8 + 13 within the whole query string.
  EXPECT_EQ(f['P'], "21");
  EXPECT_EQ(state_->executed, (std::vector<std::string>{"select a, b", "boom", "select a, b"}));
  EXPECT_EQ(state_->errors_seen, 1);
}

TEST_F(SimpleQueryTest, PrepareErrorHasPosition) {
  auto msgs = Run(QueryMsg("nonsense"));
  ASSERT_EQ(Types(msgs), "EZ");
  auto f = ErrorFields(msgs[0].body);
  EXPECT_EQ(f['C'], "42601");
  EXPECT_EQ(f['P'], "1");
  EXPECT_EQ(f.count('D'), 0u);
}

TEST_F(SimpleQueryTest, EmptyQueryGivesEmptyQueryResponse) {
  auto msgs = Run(QueryMsg("  ; ") + QueryMsg(""));
  EXPECT_EQ(Types(msgs), "IZIZ");
}

TEST_F(SimpleQueryTest, TransactionStatusAndFailedBlock) {
  auto msgs = Run(QueryMsg("begin") + QueryMsg("boom"));
  ASSERT_EQ(Types(msgs), "CZEZ");
  EXPECT_EQ(msgs[1].body, "T");
  EXPECT_EQ(msgs[3].body, "E");
}

TEST_F(SimpleQueryTest, ParameterStatusBeforeReadyForQuery) {
  auto msgs = Run(QueryMsg("set x"));
  ASSERT_EQ(Types(msgs), "CSZ");
  EXPECT_EQ(msgs[1].body, Cstr("application_name") + Cstr("psql"));
}

TEST_F(SimpleQueryTest, UnknownMessageTypeIsFatalProtocolViolation) {
  auto msgs = Run(Frame('?', "abc") + QueryMsg("select a, b"));
  ASSERT_EQ(Types(msgs), "E");
  auto f = ErrorFields(msgs[0].body);
  EXPECT_EQ(f['S'], "FATAL");
  EXPECT_EQ(f['C'], "08P01");
  EXPECT_TRUE(closed_);
  EXPECT_TRUE(state_->executed.empty());
}

TEST_F(SimpleQueryTest, BadLengthsAndTruncationAreProtocolViolations) {
  std::vector<std::string> bad = {
      std::string("Q\0\0\0\x02", 5),              // length below 4
      std::string("Q\x7f\xff\xff\xff", 5),        // beyond the 1 GB limit
      std::string("Q\0\0\0\x20select", 11),       // body cut short
      std::string("Q\0\0", 3),                    // length word cut short
      Frame('Q', "no terminator"),                // string without NUL
      Frame('Q', Cstr("select a, b") + "extra"),  // trailing garbage
  };
  for (const auto& b : bad) {
    auto msgs = Run(b);
    ASSERT_EQ(Types(msgs), "E") << b;
    EXPECT_EQ(ErrorFields(msgs[0].body)['C'], "08P01");
    EXPECT_TRUE(closed_);
  }
  EXPECT_TRUE(state_->executed.empty());
}

TEST_F(SimpleQueryTest, RandomGarbageNeverCrashes) {
  uint32_t seed = 12345;
  for (int round = 0; round < 300; ++round) {
    std::string junk;
    int n = 1 + round % 40;
    for (int i = 0; i < n; ++i) {
      seed = seed * 1103515245 + 12345;
      junk.push_back(static_cast<char>(seed >> 16));
    }
    if (round % 3 == 0) junk[0] = "QPBDECS"[round % 7];
    Run(junk);
    EXPECT_TRUE(closed_);
  }
}

TEST_F(SimpleQueryTest, EndOfStreamWithoutTerminateCloses) {
  auto msgs = Run(QueryMsg("select a, b"));
  EXPECT_EQ(Types(msgs), "TDDCZ");
  EXPECT_TRUE(closed_);
}

// A stream whose writes fail once `budget` bytes have gone out: a client that went away.
class BrokenPipeStream : public MemoryByteStream {
 public:
  BrokenPipeStream(std::string input, size_t budget)
      : MemoryByteStream(std::move(input)), budget_(budget) {}
  bool Write(const void* src, size_t n) override {
    if (n > budget_) return false;
    budget_ -= n;
    return MemoryByteStream::Write(src, n);
  }

 private:
  size_t budget_;
};

class LargeResultTest : public WireTest {
 protected:
  void SetUp() override {
    FakeColumn c{"s", SqlType::Text(), {}};
    for (int i = 0; i < 5000; ++i) c.values.push_back("row number " + std::to_string(i));
    Script("big") = FakeScript{.columns = {c}, .tag = "SELECT 5000"};
  }
};

TEST_F(LargeResultTest, LargeResultsAreFlushedInPieces) {
  MemoryByteStream stream(Startup() + QueryMsg("big"));
  PgConnection connection(&stream, MakeFactory(state_));
  connection.Run();
  auto msgs = SplitMessages(stream.output());
  size_t rows = 0;
  for (const auto& m : msgs) rows += m.type == 'D';
  EXPECT_EQ(rows, 5000u);
  EXPECT_EQ(DataRowValues(msgs[msgs.size() - 3].body)[0], "row number 4999");
  EXPECT_GT(stream.flush_count(), 3u);  // > 64 KiB of rows went out before the end
}

TEST_F(LargeResultTest, VanishedClientEndsTheConnection) {
  BrokenPipeStream stream(Startup() + QueryMsg("big") + QueryMsg("big"), 70 * 1024);
  PgConnection connection(&stream, MakeFactory(state_));
  connection.Run();
  EXPECT_TRUE(stream.closed());
  EXPECT_EQ(state_->executed.size(), 1u);  // the second query was never read
  EXPECT_EQ(state_->sessions.load(), 0);
}

}  // namespace
}  // namespace strata::pgwire::testing
