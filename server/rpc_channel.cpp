#include "server/rpc_channel.h"
#include "server/server_log.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include "server/rpc_handshake.h"
#include "sql/error.h"

namespace strata {

namespace asio = boost::asio;
using asio::ip::tcp;

namespace {
constexpr uint32_t kMaxPayload = 1u << 30;

void SetCloseOnExec(int fd) { ::fcntl(fd, F_SETFD, ::fcntl(fd, F_GETFD) | FD_CLOEXEC); }

// A TCP connection to host:port (no handshake yet); `host` is an address or a name (every
// address it resolves to is tried in turn). Throws SqlError 08000.
tcp::socket ConnectSocket(const std::string& host, int port) {
  static asio::io_context io;  // blocking sockets need no running context
  tcp::socket socket(io);
  boost::system::error_code ec;
  std::vector<tcp::endpoint> endpoints;
  asio::ip::address numeric = asio::ip::make_address(host, ec);
  if (!ec) {
    endpoints.emplace_back(numeric, static_cast<unsigned short>(port));
  } else {
    tcp::resolver resolver(io);
    auto results = resolver.resolve(host, std::to_string(port), ec);
    if (!ec) for (const auto& r : results) endpoints.push_back(r.endpoint());
  }
  for (const auto& ep : endpoints) {
    ec = {};
    if (socket.is_open()) socket.close(ec);
    socket.open(ep.protocol(), ec);
    if (ec) continue;
    SetCloseOnExec(socket.native_handle());
    socket.connect(ep, ec);
    if (!ec) break;
  }
  if (!ec && endpoints.empty()) ec = asio::error::host_not_found;
  if (ec) {
    throw SqlError(sqlstate::kConnectionException,
                   StrCat("could not connect to ", host, ":", port, ": ", ec.message()));
  }
  socket.set_option(tcp::no_delay(true), ec);
  return socket;
}

}  // namespace

std::unique_ptr<RpcChannel> RpcChannel::Connect(const std::string& host, int port, const ClusterSecret& secret,
                                                std::chrono::milliseconds handshake_timeout) {
  tcp::socket socket = ConnectSocket(host, port);
  std::string error;
  RpcAuthOutcome outcome = AuthenticateRpcClient(socket.native_handle(), secret, handshake_timeout, &error);
  if (outcome != RpcAuthOutcome::kAuthenticated) {
    boost::system::error_code ec;
    socket.close(ec);
    throw SqlError(outcome == RpcAuthOutcome::kWrongSecret ? sqlstate::kInvalidAuthorizationSpecification
                                                          : sqlstate::kConnectionException,
                   StrCat("could not authenticate with the cluster node at ", host, ":", port, ": ", error));
  }
  return std::make_unique<RpcChannel>(std::move(socket));
}

void RpcChannel::Send(rpc::MessageType type, uint64_t query_id, const google::protobuf::MessageLite& msg) {
  SendRaw(type, query_id, msg.SerializeAsString());
}

void RpcChannel::SendRaw(rpc::MessageType type, uint64_t query_id, const std::string& payload) {
  char header[20];
  uint32_t magic = kRpcMagic;
  uint16_t version = kRpcVersion;
  uint16_t t = static_cast<uint16_t>(type);
  uint32_t len = static_cast<uint32_t>(payload.size());
  std::memcpy(header, &magic, 4);
  std::memcpy(header + 4, &version, 2);
  std::memcpy(header + 6, &t, 2);
  std::memcpy(header + 8, &query_id, 8);
  std::memcpy(header + 16, &len, 4);
  boost::system::error_code ec;
  std::array<asio::const_buffer, 2> bufs{asio::buffer(header, 20), asio::buffer(payload)};
  asio::write(socket_, bufs, ec);
  if (ec) throw SqlError(sqlstate::kConnectionException, "lost connection to a cluster node: " + ec.message());
}

bool RpcChannel::Receive(RpcFrame* frame) {
  char header[20];
  boost::system::error_code ec;
  asio::read(socket_, asio::buffer(header, 20), ec);
  if (ec == asio::error::eof) return false;
  if (ec) throw SqlError(sqlstate::kConnectionException, "lost connection to a cluster node: " + ec.message());
  uint32_t magic, len;
  uint16_t version, type;
  std::memcpy(&magic, header, 4);
  std::memcpy(&version, header + 4, 2);
  std::memcpy(&type, header + 6, 2);
  std::memcpy(&frame->query_id, header + 8, 8);
  std::memcpy(&len, header + 16, 4);
  if (magic != kRpcMagic || version != kRpcVersion || len > kMaxPayload) {
    throw SqlError(sqlstate::kProtocolViolation, "bad frame from a cluster node");
  }
  frame->type = static_cast<rpc::MessageType>(type);
  frame->payload.resize(len);
  asio::read(socket_, asio::buffer(frame->payload), ec);
  if (ec) throw SqlError(sqlstate::kConnectionException, "lost connection to a cluster node: " + ec.message());
  return true;
}

bool RpcChannel::WaitReadable(std::chrono::milliseconds timeout) {
  pollfd p{socket_.native_handle(), POLLIN, 0};
  int rc;
  do {
    rc = ::poll(&p, 1, static_cast<int>(timeout.count()));
  } while (rc < 0 && errno == EINTR);
  return rc != 0;  // an error reads as "readable": the read that follows reports it
}

bool RpcChannel::WaitReadable(std::chrono::milliseconds timeout, int wake_fd) {
  pollfd p[2] = {{socket_.native_handle(), POLLIN, 0}, {wake_fd, POLLIN, 0}};
  int rc;
  do {
    rc = ::poll(p, 2, static_cast<int>(timeout.count()));
  } while (rc < 0 && errno == EINTR);
  if (rc < 0) return true;  // the read that follows reports it
  return p[0].revents != 0;
}

RpcFrame RpcChannel::Expect(rpc::MessageType type, std::chrono::milliseconds timeout) {
  if (!WaitReadable(timeout)) {
    throw SqlError(sqlstate::kConnectionFailure,
                   StrCat("a cluster node did not answer within ", timeout.count() / 1000.0, " s"));
  }
  return Expect(type);
}

RpcFrame RpcChannel::Expect(rpc::MessageType type) {
  RpcFrame f;
  if (!Receive(&f)) throw SqlError(sqlstate::kConnectionException, "a cluster node closed the connection");
  if (f.type == rpc::ERROR) {
    rpc::Error e;
    e.ParseFromString(f.payload);
    SqlError err(e.sqlstate(), e.message());
    if (!e.detail().empty()) err.WithDetail(e.detail());
    if (!e.hint().empty()) err.WithHint(e.hint());
    throw err;
  }
  if (f.type != type) throw SqlError(sqlstate::kProtocolViolation, "unexpected message from a cluster node");
  return f;
}

void RpcChannel::Close() {
  boost::system::error_code ec;
  socket_.shutdown(tcp::socket::shutdown_both, ec);
  socket_.close(ec);
}

bool SplitHostPort(const std::string& text, int default_port, std::string* host, int* port) {
  *port = default_port;
  std::string rest;
  if (!text.empty() && text[0] == '[') {  // [v6]:port
    size_t close = text.find(']');
    if (close == std::string::npos) return false;
    *host = text.substr(1, close - 1);
    rest = text.substr(close + 1);
    if (!rest.empty() && rest[0] != ':') return false;
  } else if (std::count(text.begin(), text.end(), ':') == 1) {
    size_t colon = text.find(':');
    *host = text.substr(0, colon);
    rest = text.substr(colon);
  } else {
    *host = text;  // a bare host, or a bare IPv6 address
  }
  if (!rest.empty()) {
    std::string digits = rest.substr(1);
    if (digits.empty() || digits.size() > 5 || digits.find_first_not_of("0123456789") != std::string::npos) return false;
    *port = std::atoi(digits.c_str());
    if (*port > 65535) return false;
  }
  return !host->empty();
}

bool IsWildcardAddress(const std::string& host) {
  boost::system::error_code ec;
  asio::ip::address a = asio::ip::make_address(host, ec);
  return !ec && a.is_unspecified();
}

RpcServer::RpcServer(const std::string& host, int port, ClusterSecret secret, Handler handler)
    : acceptor_(io_), secret_(std::move(secret)), handler_(std::move(handler)) {
  if (secret_.empty()) STRATA_INTERNAL_ERROR("an RPC server needs the cluster secret");
  boost::system::error_code ec;
  asio::ip::address address = asio::ip::make_address(host, ec);
  if (ec) throw SqlError(sqlstate::kSystemError, StrCat("invalid listen address \"", host, "\": expected an IP address"));
  tcp::endpoint ep(address, static_cast<unsigned short>(port));
  acceptor_.open(ep.protocol(), ec);
  if (!ec) SetCloseOnExec(acceptor_.native_handle());
  if (!ec) acceptor_.set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) acceptor_.bind(ep, ec);
  if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) throw SqlError(sqlstate::kSystemError, StrCat("cannot listen on ", host, ":", port, ": ", ec.message()));
  port_ = acceptor_.local_endpoint().port();
  local_host_ = address.is_unspecified() ? (address.is_v6() ? "::1" : "127.0.0.1") : host;
  accept_thread_ = std::thread([this] { AcceptLoop(); });
}

RpcServer::~RpcServer() { Stop(); }

void RpcServer::Stop() {
  if (stopping_.exchange(true)) return;
  boost::system::error_code ec;
  // A blocked accept() is not woken by close() on Linux: connect once to wake it.
  try {
    ConnectSocket(local_host_, port_).close(ec);
  } catch (const std::exception&) {
  }
  acceptor_.close(ec);
  if (accept_thread_.joinable()) accept_thread_.join();
  std::lock_guard<std::mutex> lock(mu_);
  for (auto& c : connections_) {
    if (!c.done) ::shutdown(c.fd, SHUT_RDWR);
  }
  for (auto& c : connections_) c.thread.join();
  connections_.clear();
}

void RpcServer::AcceptLoop() {
  while (!stopping_) {
    boost::system::error_code ec;
    tcp::socket socket(io_);
    acceptor_.accept(socket, ec);
    if (ec) {
      if (stopping_) return;
      continue;
    }
    SetCloseOnExec(socket.native_handle());
    socket.set_option(tcp::no_delay(true), ec);
    std::lock_guard<std::mutex> lock(mu_);
    for (auto it = connections_.begin(); it != connections_.end();) {
      if (it->done) {
        it->thread.join();
        it = connections_.erase(it);
      } else {
        ++it;
      }
    }
    if (stopping_) return;
    Connection& c = connections_.emplace_back();
    c.fd = socket.native_handle();
    c.thread = std::thread([this, &c, s = std::move(socket)]() mutable {
      std::string error;
      if (AuthenticateRpcServer(s.native_handle(), secret_, kRpcHandshakeTimeout, &error) == RpcAuthOutcome::kAuthenticated) {
        RpcChannel ch(std::move(s));
        try {
          handler_(ch);
        } catch (const std::exception&) {
          // A broken peer ends its own connection only.
        }
        ch.Close();
      } else {
        if (!stopping_) ServerLogf("dropped a cluster RPC connection on port %d: %s\n", port_, error.c_str());
        boost::system::error_code ignored;
        s.shutdown(tcp::socket::shutdown_both, ignored);
        s.close(ignored);
      }
      c.done = true;
    });
  }
}

}  // namespace strata
