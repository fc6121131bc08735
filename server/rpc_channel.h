// Framed, versioned messages over TCP between Strata processes (Boost.Asio, blocking I/O).
//   frame := u32 magic 'STRA' | u16 version | u16 type (rpc::MessageType) | u64 query id |
//            u32 payload length | payload (a serialized rpc.proto message)
// Every connection opens with the cluster handshake (rpc_handshake.h): Connect() proves the
// cluster secret and checks the server's proof, RpcServer drops a peer that cannot prove it
// before reading a single frame. A peer that sends a bad magic, an unknown version or an
// oversized frame is disconnected. Every socket here is close-on-exec, so that the child
// processes of `strata serve` never inherit a listening port or a connection.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <list>
#include <mutex>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio.hpp>
#include <google/protobuf/message_lite.h>

#include "server/cluster_secret.h"
#include "server/rpc_handshake.h"
#include "server/rpc.pb.h"

namespace strata {

inline constexpr uint32_t kRpcMagic = 0x41525453;  // "STRA" little endian
inline constexpr uint16_t kRpcVersion = 1;

struct RpcFrame {
  rpc::MessageType type = rpc::MSG_UNSPECIFIED;
  uint64_t query_id = 0;
  std::string payload;
};

class RpcChannel {
 public:
  explicit RpcChannel(boost::asio::ip::tcp::socket socket) : socket_(std::move(socket)) {}
  // Connects to host:port and runs the cluster handshake with `secret`; throws SqlError 28000
  // when the server proves a different secret, 08000 when it cannot connect or the handshake
  // fails otherwise.
  // `handshake_timeout` bounds the handshake (a frozen peer accepts the TCP connection but
  // never answers it).
  static std::unique_ptr<RpcChannel> Connect(const std::string& host, int port, const ClusterSecret& secret,
                                             std::chrono::milliseconds handshake_timeout = kRpcHandshakeTimeout);

  void Send(rpc::MessageType type, uint64_t query_id, const google::protobuf::MessageLite& msg);
  void SendRaw(rpc::MessageType type, uint64_t query_id, const std::string& payload);
  // Reads the next frame; false when the peer closed the connection cleanly.
  bool Receive(RpcFrame* frame);
  // Reads the next frame and requires it to be `type` (an ERROR reply is thrown as SqlError).
  RpcFrame Expect(rpc::MessageType type);
  // The same, waiting at most `timeout` for the frame to begin; 08006 when it does not.
  RpcFrame Expect(rpc::MessageType type, std::chrono::milliseconds timeout);
  // True once a frame (or the peer's close) can be read, false when `timeout` passes first:
  // the way to wait on a peer without trusting it to answer.
  bool WaitReadable(std::chrono::milliseconds timeout);
  // The same, but also returns false as soon as the file descriptor `wake_fd` is readable.
  bool WaitReadable(std::chrono::milliseconds timeout, int wake_fd);
  void Close();
  // This end's IP address (which of the host's addresses the connection leaves from).
  std::string local_address() const {
    boost::system::error_code ec;
    auto ep = socket_.local_endpoint(ec);
    return ec ? std::string() : ep.address().to_string();
  }

 private:
  boost::asio::ip::tcp::socket socket_;
};

// Accepts connections on 127.0.0.1 (or `host`) and serves each on its own thread: the handler
// runs only for a peer that proved `secret` within kRpcHandshakeTimeout. Stop() ends every
// connection (shutting its socket down) and joins the threads.
// "host:port", "[v6]:port", or a bare host (then `default_port`), split; false when malformed.
bool SplitHostPort(const std::string& text, int default_port, std::string* host, int* port);
// Whether `host` is a wildcard listen address (0.0.0.0, ::).
bool IsWildcardAddress(const std::string& host);

class RpcServer {
 public:
  using Handler = std::function<void(RpcChannel&)>;
  // Listens on `host` (a numeric IPv4 or IPv6 address; 0.0.0.0 or :: for every one) and `port`
  // (0: any free one). Throws SqlError 58000 when it cannot.
  RpcServer(const std::string& host, int port, ClusterSecret secret, Handler handler);
  ~RpcServer();
  int port() const { return port_; }
  // An address this server is reached at from this host: the listen address, or loopback when
  // it listens on every address.
  const std::string& local_host() const { return local_host_; }
  void Stop();

 private:
  void AcceptLoop();

  struct Connection {
    std::thread thread;
    boost::asio::ip::tcp::socket::native_handle_type fd = -1;
    std::atomic<bool> done{false};
  };

  boost::asio::io_context io_;
  boost::asio::ip::tcp::acceptor acceptor_;
  ClusterSecret secret_;
  Handler handler_;
  int port_ = 0;
  std::string local_host_;
  std::atomic<bool> stopping_{false};
  std::thread accept_thread_;
  std::mutex mu_;
  std::list<Connection> connections_;  // joined at Stop(); finished ones reaped on accept
};

}  // namespace strata
