// The COPY sub-protocols over the in-memory stream, byte for byte: copy-in from a simple query
// (data concatenated exactly across CopyData messages, Flush/Sync ignored, the rest of the
// query string run afterwards), CopyFail, errors from the sink's Finish and Write (later
// CopyData ignored), a non-COPY message and end of stream during copy-in, copy-in through the
// extended protocol, and copy-out through both protocols.
#include <gtest/gtest.h>

#include "tests/unit/pgwire/wire_test_support.h"

namespace strata::pgwire::testing {
namespace {

class CopyTest : public WireTest {
 protected:
  void SetUp() override {
    Script("copy t from stdin") =
        FakeScript{.notices = {"starting copy"}, .copy_in = true, .copy_columns = 2};
    Script("copy bad_write") =
        FakeScript{.copy_in = true,
                   .copy_columns = 1,
                   .copy_write_error_at = 2,
                   .copy_error = SqlError("22P02", "invalid input syntax for type integer: \"x\"")};
    Script("copy bad_finish") =
        FakeScript{.copy_in = true,
                   .copy_columns = 1,
                   .copy_finish_error = true,
                   .copy_error = SqlError("22P04", "missing data for column \"b\"")};
    Script("copy t to stdout") =
        FakeScript{.tag = "COPY 2", .copy_columns = 3, .copy_out = {"1\tx\t\\N\n", "2\ty\tz\n"}};
    Script("select a") = FakeScript{.columns = {{"a", SqlType::Int32(), {"7"}}}, .tag = "SELECT 1"};
  }
  static std::string CopyResponseBody(int columns) {
    std::string body(1, '\0');
    body += I16(columns);
    for (int i = 0; i < columns; ++i) body += I16(0);
    return body;
  }
};

TEST_F(CopyTest, SimpleQueryCopyInConcatenatesDataExactly) {
  auto msgs = Run(QueryMsg("copy t from stdin; select a") + CopyDataMsg("1\tx\n2\t") +
                  FlushMsg() + CopyDataMsg("") + SyncMsg() + CopyDataMsg(std::string("y\0\n", 3)) +
                  CopyDoneMsg() + TerminateMsg());
  // Notice of the COPY itself, CopyInResponse, Finish()'s notice and tag, then the next
  // statement of the same query string, and one ReadyForQuery (the Sync was swallowed).
  ASSERT_EQ(Types(msgs), "NGNCTDCZ");
  EXPECT_EQ(ErrorFields(msgs[0].body)['M'], "starting copy");
  EXPECT_EQ(msgs[1].body, CopyResponseBody(2));
  EXPECT_NE(raw_.find(std::string("G\0\0\0\x0b\0\0\x02\0\0\0\0", 12)), std::string::npos);
  EXPECT_EQ(ErrorFields(msgs[2].body)['M'], "copy finished");
  EXPECT_EQ(CString(msgs[3].body), "COPY 2");
  EXPECT_EQ(DataRowValues(msgs[5].body)[0], "7");
  EXPECT_EQ(state_->copy_data, std::string("1\tx\n2\ty\0\n", 9));
  EXPECT_EQ(state_->copy_writes.size(), 3u);
  EXPECT_EQ(state_->copy_finishes, 1);
  EXPECT_TRUE(state_->copy_aborts.empty());
  EXPECT_EQ(state_->executed, (std::vector<std::string>{"copy t from stdin", "select a"}));
  EXPECT_TRUE(closed_);
}

TEST_F(CopyTest, CopyFailAbortsTheSinkAndSkipsTheRestOfTheQuery) {
  auto msgs = Run(QueryMsg("copy t from stdin; select a") + CopyDataMsg("1\tx\n") +
                  CopyFailMsg("user pressed ^C") + QueryMsg("select a"));
  ASSERT_EQ(Types(msgs), "NGEZTDCZ");
  auto f = ErrorFields(msgs[2].body);
  EXPECT_EQ(f['S'], "ERROR");
  EXPECT_EQ(f['C'], "57014");
  EXPECT_EQ(f['M'], "COPY from stdin failed: user pressed ^C");
  EXPECT_EQ(state_->copy_aborts, (std::vector<std::string>{"user pressed ^C"}));
  EXPECT_EQ(state_->copy_finishes, 0);
  EXPECT_EQ(state_->errors_seen, 1);
  EXPECT_EQ(state_->executed, (std::vector<std::string>{"copy t from stdin", "select a"}));
}

TEST_F(CopyTest, ErrorFromFinishIsReported) {
  auto msgs = Run(QueryMsg("copy bad_finish") + CopyDataMsg("1\n") + CopyDoneMsg() +
                  QueryMsg("select a"));
  ASSERT_EQ(Types(msgs), "GEZTDCZ");
  EXPECT_EQ(ErrorFields(msgs[1].body)['C'], "22P04");
  EXPECT_EQ(ErrorFields(msgs[1].body)['M'], "missing data for column \"b\"");
  EXPECT_EQ(state_->copy_finishes, 1);
  EXPECT_TRUE(state_->copy_aborts.empty());  // the sink raised the error itself
}

TEST_F(CopyTest, ErrorFromWriteEndsTheCopyAndLaterCopyMessagesAreIgnored) {
  auto msgs = Run(QueryMsg("copy bad_write; select a") + CopyDataMsg("1\n") +
                  CopyDataMsg("x\n") + CopyDataMsg("3\n") + CopyFailMsg("late") +
                  CopyDataMsg("4\n") + CopyDoneMsg() + QueryMsg("select a"));
  // The error and ReadyForQuery come at once; "select a" of the first query never runs.
  ASSERT_EQ(Types(msgs), "GEZTDCZ");
  EXPECT_EQ(ErrorFields(msgs[1].body)['C'], "22P02");
  EXPECT_EQ(state_->copy_writes, (std::vector<std::string>{"1\n", "x\n"}));
  EXPECT_EQ(state_->copy_finishes, 0);
  EXPECT_TRUE(state_->copy_aborts.empty());
  EXPECT_EQ(state_->executed, (std::vector<std::string>{"copy bad_write", "select a"}));
}

TEST_F(CopyTest, NonCopyMessageDuringCopyInIsAProtocolError) {
  auto msgs = Run(QueryMsg("copy t from stdin") + CopyDataMsg("1\n") + QueryMsg("select a") +
                  CopyDataMsg("2\n") + CopyDoneMsg() + QueryMsg("select a"));
  ASSERT_EQ(Types(msgs), "NGEZTDCZ");
  auto f = ErrorFields(msgs[2].body);
  EXPECT_EQ(f['S'], "ERROR");  // not FATAL: the connection goes on
  EXPECT_EQ(f['C'], "08P01");
  EXPECT_EQ(f['M'], "unexpected message type 0x51 during COPY from stdin");
  EXPECT_EQ(state_->copy_data, "1\n");
  ASSERT_EQ(state_->copy_aborts.size(), 1u);
  EXPECT_EQ(state_->copy_aborts[0], f['M']);
  // The Query that broke the copy was consumed; only the later one ran.
  EXPECT_EQ(state_->executed, (std::vector<std::string>{"copy t from stdin", "select a"}));
}

TEST_F(CopyTest, EndOfStreamDuringCopyInAbortsTheSink) {
  auto msgs = Run(QueryMsg("copy t from stdin") + CopyDataMsg("1\n"));
  EXPECT_EQ(Types(msgs), "NG");
  EXPECT_TRUE(closed_);
  EXPECT_EQ(state_->copy_aborts.size(), 1u);
  EXPECT_EQ(state_->copy_finishes, 0);
}

TEST_F(CopyTest, MalformedCopyFailEndsTheConnectionAndAbortsTheSink) {
  auto msgs = Run(QueryMsg("copy t from stdin") + Frame('f', "no terminator"));
  ASSERT_EQ(Types(msgs), "NGE");
  EXPECT_EQ(ErrorFields(msgs[2].body)['S'], "FATAL");
  EXPECT_EQ(ErrorFields(msgs[2].body)['C'], "08P01");
  EXPECT_EQ(state_->copy_aborts.size(), 1u);
  EXPECT_TRUE(closed_);
}

TEST_F(CopyTest, ExtendedProtocolCopyIn) {
  // As libpq does: Sync right behind Execute (swallowed by copy-in), another after CopyDone.
  auto msgs = Run(ParseMsg("", "copy t from stdin") + BindMsg("", "", {}, {}, {}) +
                  DescribeMsg('P', "") + ExecuteMsg("", 0) + SyncMsg() + CopyDataMsg("a\tb\n") +
                  CopyDataMsg("c\td\n") + CopyDoneMsg() + SyncMsg() + QueryMsg("select a"));
  ASSERT_EQ(Types(msgs), "12nNGNCZTDCZ");
  EXPECT_EQ(msgs[4].body, CopyResponseBody(2));
  EXPECT_EQ(CString(msgs[6].body), "COPY 2");
  EXPECT_EQ(state_->copy_data, "a\tb\nc\td\n");
}

TEST_F(CopyTest, ExtendedProtocolCopyInErrorDiscardsUntilSync) {
  auto msgs = Run(ParseMsg("", "copy bad_write") + BindMsg("", "", {}, {}, {}) +
                  ExecuteMsg("", 0) + SyncMsg() + CopyDataMsg("1\n") + CopyDataMsg("x\n") +
                  CopyDataMsg("3\n") + CopyDoneMsg() + ParseMsg("", "select a") + SyncMsg() +
                  ParseMsg("", "select a") + BindMsg("", "", {}, {}, {}) + ExecuteMsg("", 0) +
                  SyncMsg());
  // One ReadyForQuery for the failed copy (at the client's second Sync), nothing for the
  // discarded Parse, then the next batch runs normally.
  ASSERT_EQ(Types(msgs), "12GEZ12DCZ");
  EXPECT_EQ(ErrorFields(msgs[3].body)['C'], "22P02");
  EXPECT_EQ(state_->copy_writes.size(), 2u);
}

TEST_F(CopyTest, SimpleQueryCopyOut) {
  auto msgs = Run(QueryMsg("copy t to stdout; select a"));
  ASSERT_EQ(Types(msgs), "HddcCTDCZ");
  EXPECT_EQ(msgs[0].body, CopyResponseBody(3));
  EXPECT_EQ(msgs[1].body, "1\tx\t\\N\n");
  EXPECT_EQ(msgs[2].body, "2\ty\tz\n");
  EXPECT_EQ(msgs[3].body, "");
  EXPECT_EQ(CString(msgs[4].body), "COPY 2");
  EXPECT_NE(raw_.find(std::string("c\0\0\0\x04" "C\0\0\0\x0b" "COPY 2\0", 17)), std::string::npos);
}

TEST_F(CopyTest, ExtendedProtocolCopyOutIgnoresTheRowLimit) {
  auto msgs = Run(ParseMsg("", "copy t to stdout") + BindMsg("", "", {}, {}, {}) +
                  DescribeMsg('P', "") + ExecuteMsg("", 1) + SyncMsg());
  ASSERT_EQ(Types(msgs), "12nHddcCZ");
  EXPECT_EQ(CString(msgs[7].body), "COPY 2");
}

}  // namespace
}  // namespace strata::pgwire::testing
