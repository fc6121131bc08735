// Startup over the in-memory stream: SSLRequest refused with 'N', trust authentication, the
// session's ParameterStatus values, BackendKeyData and ReadyForQuery, byte for byte; refusals
// and malformed startup packets.
#include <gtest/gtest.h>

#include "tests/unit/pgwire/wire_test_support.h"

namespace strata::pgwire::testing {
namespace {

TEST_F(WireTest, SslRequestThenStartupIsAnsweredByteForByte) {
  MemoryByteStream stream(
      SslRequest() +
      StartupPacket({{"user", "alice"}, {"database", "dev"}, {"options", "-c x=1"}}) +
      TerminateMsg());
  PgConnection connection(&stream, MakeFactory(state_));
  connection.Run();
  BackendKey key = connection.key();
  EXPECT_NE(key.pid, 0);
  std::string expected = "N";
  expected += std::string("R\0\0\0\x08\0\0\0\0", 9);
  expected += "S" + I32(4 + 15 + 5) + Cstr("server_version") + Cstr("15.0");
  expected += "S" + I32(4 + 16 + 5) + Cstr("client_encoding") + Cstr("UTF8");
  expected += std::string("K\0\0\0\x0c", 5) + I32(key.pid) + I32(key.secret);
  expected += std::string("Z\0\0\0\x05I", 6);
  EXPECT_EQ(stream.output(), expected);
  EXPECT_TRUE(stream.closed());
  EXPECT_EQ(state_->last_startup.at("options"), "-c x=1");
  EXPECT_EQ(state_->last_startup.at("database"), "dev");
  EXPECT_EQ(state_->sessions.load(), 0);  // destroyed with the connection
}

TEST_F(WireTest, GssEncRequestIsRefusedToo) {
  MemoryByteStream stream(I32(8) + I32(80877104) + Startup());
  PgConnection connection(&stream, MakeFactory(state_));
  connection.Run();
  ASSERT_FALSE(stream.output().empty());
  EXPECT_EQ(stream.output()[0], 'N');
  EXPECT_EQ(Types(SplitMessages(stream.output().substr(1))), "RSSKZ");
}

TEST_F(WireTest, FactoryErrorIsFatalAndCloses) {
  MemoryByteStream stream(StartupPacket({{"user", "alice"}, {"database", "nosuchdb"}}) +
                          QueryMsg("x"));
  PgConnection connection(&stream, MakeFactory(state_));
  connection.Run();
  auto msgs = SplitMessages(stream.output());
  ASSERT_EQ(Types(msgs), "E");
  auto f = ErrorFields(msgs[0].body);
  EXPECT_EQ(f['S'], "FATAL");
  EXPECT_EQ(f['V'], "FATAL");
  EXPECT_EQ(f['C'], "3D000");
  EXPECT_EQ(f['M'], "database \"nosuchdb\" does not exist");
  EXPECT_TRUE(stream.closed());
}

TEST_F(WireTest, MissingUserIsRefused) {
  auto msgs = Run(StartupPacket({{"database", "dev"}}), false);
  ASSERT_EQ(Types(msgs), "E");
  EXPECT_EQ(ErrorFields(msgs[0].body)['C'], "28000");
  EXPECT_EQ(state_->sessions.load(), 0);
}

TEST_F(WireTest, DatabaseDefaultsToUserAndMinorVersionIsNegotiated) {
  // Protocol 3.1 with a _pq_ option: NegotiateProtocolVersion(0, ["_pq_.x"]) comes first.
  auto msgs = Run(StartupPacket({{"user", "bob"}, {"_pq_.x", "1"}}, (3 << 16) | 1), false);
  ASSERT_EQ(Types(msgs), "vRSSKZ");
  EXPECT_EQ(msgs[0].body, I32(0) + I32(1) + Cstr("_pq_.x"));
}

TEST_F(WireTest, UnsupportedProtocolVersionIsFatal) {
  auto msgs = Run(StartupPacket({{"user", "bob"}}, 2 << 16), false);
  ASSERT_EQ(Types(msgs), "E");
  EXPECT_EQ(ErrorFields(msgs[0].body)['C'], "0A000");
}

TEST_F(WireTest, BadStartupLengthIsProtocolViolation) {
  for (int64_t len : {3, 7, 10001, 0x7fffffff}) {
    auto msgs = Run(I32(len) + std::string(16, 'a'), false);
    ASSERT_EQ(Types(msgs), "E") << len;
    EXPECT_EQ(ErrorFields(msgs[0].body)['C'], "08P01");
    EXPECT_TRUE(closed_);
  }
}

TEST_F(WireTest, UnterminatedStartupParametersAreProtocolViolation) {
  std::string body = I32(196608) + Cstr("user") + "alice";  // no NULs at the end
  auto msgs = Run(I32(body.size() + 4) + body, false);
  ASSERT_EQ(Types(msgs), "E");
  EXPECT_EQ(ErrorFields(msgs[0].body)['C'], "08P01");
}

TEST_F(WireTest, TruncatedStartupJustCloses) {
  MemoryByteStream stream(I32(40) + I32(196608) + "us");
  PgConnection connection(&stream, MakeFactory(state_));
  connection.Run();
  EXPECT_TRUE(stream.closed());
  EXPECT_EQ(state_->sessions.load(), 0);
}

TEST_F(WireTest, CancelRequestWithUnknownKeyClosesSilently) {
  auto msgs = Run(CancelPacket(1, 2), false);
  EXPECT_TRUE(msgs.empty());
  EXPECT_TRUE(closed_);
  EXPECT_EQ(state_->cancels.load(), 0);
}

TEST_F(WireTest, CancelRequestReachesRegisteredSession) {
  CancelRegistry registry;
  FakeSession session(state_);
  BackendKey key = registry.Register(&session);
  MemoryByteStream wrong(CancelPacket(key.pid, key.secret + 1));
  PgConnection(&wrong, MakeFactory(state_), &registry).Run();
  EXPECT_EQ(state_->cancels.load(), 0);
  MemoryByteStream right(CancelPacket(key.pid, key.secret));
  PgConnection(&right, MakeFactory(state_), &registry).Run();
  EXPECT_EQ(state_->cancels.load(), 1);
  EXPECT_TRUE(right.output().empty());
  registry.Unregister(key);
  EXPECT_EQ(registry.size(), 0u);
}

}  // namespace
}  // namespace strata::pgwire::testing
