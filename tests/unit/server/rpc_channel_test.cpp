// Cluster RPC framing, byte for byte and over a real loopback socket: frames round-trip with
// their type and query id, errors come back as SqlError, and an authenticated peer sending
// garbage is refused (rpc_handshake_test.cpp covers peers that do not authenticate).
#include <gtest/gtest.h>

#include <cstring>

#include "server/rpc_channel.h"
#include "server/rpc_handshake.h"
#include "sql/error.h"

namespace strata {
namespace {

const ClusterSecret kSecret("0123456789abcdef0123456789abcdef-test");

TEST(RpcChannel, FramesRoundTripOverASocket) {
  RpcServer server("127.0.0.1", 0, kSecret, [](RpcChannel& ch) {
    RpcFrame f;
    while (ch.Receive(&f)) {
      if (f.type == rpc::PING) {
        ch.SendRaw(rpc::ACK, f.query_id, f.payload + "!");
      } else {
        rpc::Error e;
        e.set_sqlstate("22012");
        e.set_message("division by zero");
        ch.Send(rpc::ERROR, f.query_id, e);
      }
    }
  });
  auto ch = RpcChannel::Connect("127.0.0.1", server.port(), kSecret);
  ch->SendRaw(rpc::PING, 42, "hello");
  RpcFrame f = ch->Expect(rpc::ACK);
  EXPECT_EQ(f.query_id, 42u);
  EXPECT_EQ(f.payload, "hello!");
  std::string big(3 << 20, 'x');  // larger than a socket buffer
  ch->SendRaw(rpc::PING, 7, big);
  EXPECT_EQ(ch->Expect(rpc::ACK).payload.size(), big.size() + 1);
  ch->SendRaw(rpc::RUN_STAGE, 9, "");
  try {
    ch->Expect(rpc::ACK);
    FAIL();
  } catch (const SqlError& e) {
    EXPECT_EQ(e.sqlstate(), "22012");
  }
  ch->Close();
  server.Stop();
}

TEST(RpcChannel, BadMagicIsAProtocolViolation) {
  std::atomic<bool> refused{false};
  RpcServer server("127.0.0.1", 0, kSecret, [&](RpcChannel& ch) {
    RpcFrame f;
    try {
      ch.Receive(&f);
    } catch (const SqlError& e) {
      refused = e.sqlstate() == sqlstate::kProtocolViolation;
    }
  });
  boost::asio::io_context io;
  boost::asio::ip::tcp::socket s(io);
  s.connect({boost::asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(server.port())});
  std::string error;
  ASSERT_EQ(AuthenticateRpcClient(s.native_handle(), kSecret, kRpcHandshakeTimeout, &error),
            RpcAuthOutcome::kAuthenticated) << error;
  char junk[20];
  std::memset(junk, 'Z', sizeof junk);
  boost::asio::write(s, boost::asio::buffer(junk));
  for (int i = 0; i < 200 && !refused; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_TRUE(refused);
  server.Stop();
}

TEST(RpcChannel, ConnectToAClosedPortFailsCleanly) {
  int port;
  {
    RpcServer server("127.0.0.1", 0, kSecret, [](RpcChannel&) {});
    port = server.port();
  }
  try {
    RpcChannel::Connect("127.0.0.1", port, kSecret);
    FAIL();
  } catch (const SqlError& e) {
    EXPECT_EQ(e.sqlstate(), sqlstate::kConnectionException);
  }
}

}  // namespace
}  // namespace strata
