// The acceptor and per-connection threads (see pg_server.h).
#include "server/pgwire/pg_server.h"

#include <fcntl.h>

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <system_error>

#include "server/pgwire/backend_messages.h"
#include "server/pgwire/pg_connection.h"
#include "server/pgwire/socket_byte_stream.h"
#include "server/pgwire/tls_byte_stream.h"

namespace strata::pgwire {

namespace asio = boost::asio;
using asio::ip::tcp;

namespace {

void SetCloseOnExec(int fd) { ::fcntl(fd, F_SETFD, ::fcntl(fd, F_GETFD) | FD_CLOEXEC); }

constexpr const char* kTooManyClients = "sorry, too many clients already";

// Answers a client for whom there is no thread at all with FATAL 53300 and closes it. libpq
// reads an ErrorResponse even where it awaits the answer to an SSLRequest.
void RefuseTooMany(tcp::socket& socket) {
  std::string out;
  MessageWriter writer(&out);
  WriteErrorResponse(writer, SqlError(sqlstate::kTooManyConnections, kTooManyClients), Severity::kFatal);
  boost::system::error_code ec;
  asio::write(socket, asio::buffer(out), ec);
  socket.shutdown(tcp::socket::shutdown_both, ec);
  socket.close(ec);
}

}  // namespace

PgServer::PgServer(SessionFactory factory, PgServerOptions options)
    : factory_(std::move(factory)), options_(std::move(options)) {}

PgServer::~PgServer() { Stop(); }

bool PgServer::Start(std::string* error) {
  auto fail = [&](const std::string& what, const boost::system::error_code& ec) {
    if (error) *error = what + ": " + ec.message();
    boost::system::error_code ignored;
    acceptor_.close(ignored);
    return false;
  };
  if (!options_.tls_cert_file.empty() || !options_.tls_key_file.empty()) {
    std::string tls_error;
    tls_ = TlsContext::Load(options_.tls_cert_file, options_.tls_key_file, &tls_error);
    if (!tls_) {
      if (error) *error = tls_error;
      return false;
    }
  }
  boost::system::error_code ec;
  asio::ip::address address = asio::ip::make_address(options_.address, ec);
  if (ec) return fail("invalid listen address " + options_.address, ec);
  tcp::endpoint endpoint(address, options_.port);
  acceptor_.open(endpoint.protocol(), ec);
  if (ec) return fail("cannot open socket", ec);
  SetCloseOnExec(acceptor_.native_handle());
  acceptor_.set_option(tcp::acceptor::reuse_address(true), ec);
  acceptor_.bind(endpoint, ec);
  if (ec) return fail("cannot bind " + options_.address + ":" + std::to_string(options_.port), ec);
  acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return fail("cannot listen", ec);
  port_ = acceptor_.local_endpoint(ec).port();
  started_ = true;
  AcceptNext();
  accept_thread_ = std::thread([this] { io_.run(); });
  return true;
}

void PgServer::AcceptNext() {
  acceptor_.async_accept([this](const boost::system::error_code& ec, tcp::socket socket) {
    if (ec == asio::error::operation_aborted || !acceptor_.is_open()) return;
    if (!ec) Spawn(std::move(socket));
    AcceptNext();  // a failed accept (e.g. out of descriptors) must not stop the server
  });
}

bool PgServer::Admit(ConnectionSlot* slot) {
  if (admitted_.fetch_add(1) >= options_.max_connections) {
    admitted_.fetch_sub(1);
    return false;
  }
  slot->admitted = true;
  return true;
}

void PgServer::ArmAuthenticationTimer(std::shared_ptr<SocketByteStream> stream,
                                      std::shared_ptr<std::atomic<bool>> authenticated) {
  auto timer = std::make_shared<asio::steady_timer>(io_, options_.authentication_timeout);
  timer->async_wait([timer, stream, authenticated](const boost::system::error_code& ec) {
    if (!ec && !authenticated->load()) stream->Shutdown();  // its blocked read returns: it ends
  });
}

void PgServer::Spawn(tcp::socket socket) {
  SetCloseOnExec(socket.native_handle());
  if (options_.max_connections > 0 && live_.load() >= 2 * options_.max_connections + 10) {
    RefuseTooMany(socket);
    return;
  }
  std::lock_guard<std::mutex> lock(mu_);
  // Reap finished connections so that the list stays as long as the live ones.
  for (auto it = connections_.begin(); it != connections_.end();) {
    if ((*it)->done.load()) {
      (*it)->thread.join();
      it = connections_.erase(it);
    } else {
      ++it;
    }
  }
  auto slot = std::make_unique<ConnectionSlot>();
  ConnectionSecurity security;
  security.stored_password = options_.stored_password;
  security.passwords_required = options_.passwords_required;
  security.require_tls = options_.require_tls;
  boost::system::error_code ec;
  tcp::endpoint peer = socket.remote_endpoint(ec);
  if (!ec) {
    security.peer_host = peer.address().to_string();
    security.peer_port = peer.port();
  }
  security.on_event = options_.on_event;
  slot->stream = std::make_shared<SocketByteStream>(std::move(socket));
  if (tls_) {
    SocketByteStream* stream = slot->stream.get();
    std::shared_ptr<TlsContext> tls = tls_;
    security.start_tls = [stream, tls] { return stream->StartTls(*tls); };
  }
  ConnectionSlot* raw = slot.get();
  if (options_.max_connections > 0) security.has_room = [this, raw] { return Admit(raw); };
  auto authenticated = std::make_shared<std::atomic<bool>>(false);
  security.on_authenticated = [authenticated] { authenticated->store(true); };
  live_.fetch_add(1);
  try {
    slot->thread = std::thread([this, raw, stream = slot->stream, security = std::move(security)] {
      {
        PgConnection connection(stream.get(), factory_, &registry_, security);
        connection.Run();
      }
      if (raw->admitted) admitted_.fetch_sub(1);
      live_.fetch_sub(1);
      raw->done.store(true);
    });
  } catch (const std::system_error&) {
    live_.fetch_sub(1);
    return;  // no thread to be had: refuse this client (the socket closes) but keep serving
  }
  if (options_.authentication_timeout.count() > 0) ArmAuthenticationTimer(slot->stream, authenticated);
  connections_.push_back(std::move(slot));
}

void PgServer::Stop() {
  if (!started_ || stopped_) return;
  stopped_ = true;
  asio::post(io_, [this] {
    boost::system::error_code ec;
    acceptor_.close(ec);
    io_.stop();  // pending authentication timers must not keep run() going
  });
  accept_thread_.join();
  // Cancel running statements first (their sessions are all still registered), then shut the
  // sockets down so that every connection thread wakes up and ends.
  registry_.CancelAll();
  std::list<std::unique_ptr<ConnectionSlot>> connections;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (auto& slot : connections_) slot->stream->Shutdown();
    connections.swap(connections_);
  }
  for (auto& slot : connections) slot->thread.join();
}

size_t PgServer::active_connections() const {
  std::lock_guard<std::mutex> lock(mu_);
  size_t n = 0;
  for (const auto& slot : connections_) n += slot->done.load() ? 0 : 1;
  return n;
}

}  // namespace strata::pgwire
