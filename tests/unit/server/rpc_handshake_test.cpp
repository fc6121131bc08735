// The cluster RPC handshake over real loopback sockets: matching secrets connect, a wrong
// secret fails on both sides, a peer that skips the handshake or stays silent is dropped
// before the handler sees a frame, and the handshake's cost is small.
#include "server/rpc_handshake.h"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <thread>

#include "server/rpc_channel.h"
#include "sql/error.h"

namespace strata {
namespace {

const ClusterSecret kSecret("0123456789abcdef0123456789abcdef-cluster-a");
const ClusterSecret kOtherSecret("0123456789abcdef0123456789abcdef-cluster-b");

// An RPC server that counts the frames its handler was given.
struct CountingServer {
  std::atomic<int> frames{0};
  RpcServer server{"127.0.0.1", 0, kSecret, [this](RpcChannel& ch) {
                     RpcFrame f;
                     while (ch.Receive(&f)) {
                       ++frames;
                       ch.SendRaw(rpc::ACK, f.query_id, "");
                     }
                   }};
};

TEST(RpcHandshake, SameSecretConnects) {
  CountingServer s;
  auto ch = RpcChannel::Connect("127.0.0.1", s.server.port(), kSecret);
  ch->SendRaw(rpc::PING, 5, "");
  EXPECT_EQ(ch->Expect(rpc::ACK).query_id, 5u);
  EXPECT_EQ(s.frames, 1);
}

TEST(RpcHandshake, WrongSecretIsRefused) {
  CountingServer s;
  try {
    RpcChannel::Connect("127.0.0.1", s.server.port(), kOtherSecret);
    FAIL() << "connected with the wrong secret";
  } catch (const SqlError& e) {
    EXPECT_EQ(e.sqlstate(), sqlstate::kInvalidAuthorizationSpecification);
    EXPECT_NE(std::string(e.what()).find("does not know the cluster secret"), std::string::npos) << e.what();
  }
  EXPECT_EQ(s.frames, 0);
}

TEST(RpcHandshake, FramesWithoutHandshakeAreDropped) {
  CountingServer s;
  boost::asio::io_context io;
  boost::asio::ip::tcp::socket sock(io);
  sock.connect({boost::asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(s.server.port())});
  // Two well-formed COLLECT_GARBAGE frames (40 bytes: more than a handshake hello).
  char frame[20] = {};
  uint32_t magic = kRpcMagic;
  uint16_t version = kRpcVersion, type = rpc::COLLECT_GARBAGE;
  std::memcpy(frame, &magic, 4);
  std::memcpy(frame + 4, &version, 2);
  std::memcpy(frame + 6, &type, 2);
  boost::asio::write(sock, boost::asio::buffer(frame));
  boost::asio::write(sock, boost::asio::buffer(frame));
  char byte;
  boost::system::error_code ec;
  size_t n = sock.read_some(boost::asio::buffer(&byte, 1), ec);  // the server closes: EOF or reset
  EXPECT_EQ(n, 0u);
  EXPECT_TRUE(ec);
  EXPECT_EQ(s.frames, 0);
}

TEST(RpcHandshake, SilentPeerTimesOut) {
  int fds[2];
  ASSERT_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
  std::string error;
  auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(AuthenticateRpcServer(fds[0], kSecret, std::chrono::milliseconds(200), &error), RpcAuthOutcome::kFailed);
  auto took = std::chrono::steady_clock::now() - start;
  EXPECT_NE(error.find("timed out"), std::string::npos) << error;
  EXPECT_GE(took, std::chrono::milliseconds(150));
  EXPECT_LT(took, std::chrono::seconds(5));
  close(fds[0]);
  close(fds[1]);
}

TEST(RpcHandshake, ClientChecksTheServer) {
  int fds[2];
  ASSERT_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
  std::string server_error, client_error;
  RpcAuthOutcome server_outcome = RpcAuthOutcome::kAuthenticated;
  std::thread server([&] { server_outcome = AuthenticateRpcServer(fds[1], kOtherSecret, std::chrono::seconds(5), &server_error); });
  EXPECT_EQ(AuthenticateRpcClient(fds[0], kSecret, std::chrono::seconds(5), &client_error), RpcAuthOutcome::kWrongSecret);
  EXPECT_NE(client_error.find("does not know the cluster secret"), std::string::npos) << client_error;
  close(fds[0]);  // the server then sees the client leave without a proof
  server.join();
  EXPECT_EQ(server_outcome, RpcAuthOutcome::kFailed);  // the client left before its proof
  EXPECT_FALSE(server_error.empty());
  close(fds[1]);
}

TEST(RpcHandshake, NoSecretNoConnection) {
  int fds[2];
  ASSERT_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
  std::string error;
  EXPECT_EQ(AuthenticateRpcClient(fds[0], ClusterSecret(), std::chrono::seconds(1), &error), RpcAuthOutcome::kFailed);
  EXPECT_EQ(AuthenticateRpcServer(fds[1], ClusterSecret(), std::chrono::seconds(1), &error), RpcAuthOutcome::kFailed);
  close(fds[0]);
  close(fds[1]);
}

TEST(RpcHandshake, CostPerConnection) {
  CountingServer s;
  constexpr int kConnections = 200;
  auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < kConnections; ++i) RpcChannel::Connect("127.0.0.1", s.server.port(), kSecret)->Close();
  auto us = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - start).count();
  std::printf("[ cost     ] connect + handshake: %.1f us per connection\n", static_cast<double>(us) / kConnections);
  EXPECT_LT(us / kConnections, 20000);  // generous: a loaded 2-core machine
}

}  // namespace
}  // namespace strata
