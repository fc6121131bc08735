// PgServer: the TCP front door of the PostgreSQL protocol. An acceptor thread runs a Boost.Asio
// io_context that accepts connections; each accepted socket gets its own thread running a
// PgConnection with blocking I/O, so long queries never hold up other sessions. All
// connections share one CancelRegistry so that a CancelRequest (which arrives on a new
// connection) reaches its target session. Stop() closes the acceptor, cancels running
// statements, shuts every connection's socket down and joins all threads. The SessionFactory
// is called from connection threads concurrently and must be thread-safe.
//
// Limits, as PostgreSQL's: at most max_connections clients hold a session (or are logging in)
// at once; the next one is refused with FATAL 53300 once its StartupMessage has arrived (so
// that CancelRequests still get through). Connections that have not even sent that are capped
// too (2 x max_connections + 10 threads), beyond which a socket is refused at accept with the
// same error. A client that has not authenticated within authentication_timeout is
// disconnected by a timer on the acceptor's io_context. The listening socket and every accepted
// one are close-on-exec, so child processes never inherit them.
#pragma once

#include <atomic>
#include <chrono>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <cstdint>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "server/pgwire/cancel_registry.h"
#include "server/pgwire/pg_connection.h"
#include "server/pgwire/sql_session.h"

namespace strata::pgwire {

class SocketByteStream;
class TlsContext;

struct PgServerOptions {
  std::string address = "127.0.0.1";
  uint16_t port = 0;  // 0: let the OS pick a free port; port() reports it after Start()
  // Password authentication (see ConnectionSecurity): the stored password of a user, and
  // whether that user must give one (asked at every connect). Null: trust.
  std::function<std::optional<std::string>(const std::string& user)> stored_password;
  std::function<bool(const std::string& user)> passwords_required;
  // TLS: PEM certificate (chain) and private key files; both empty = no TLS (SSLRequest is
  // answered 'N'). Start() fails when they cannot be loaded.
  std::string tls_cert_file;
  std::string tls_key_file;
  bool require_tls = false;  // refuse plain connections (FATAL 28000)
  int max_connections = 0;   // <= 0: no limit
  std::chrono::milliseconds authentication_timeout{0};  // zero: no limit
  // Every connection's events for the server log (ConnectionEvent); null: none.
  std::function<void(const ConnectionEvent&)> on_event;
};

class PgServer {
 public:
  PgServer(SessionFactory factory, PgServerOptions options = {});
  ~PgServer();  // stops the server if it is running
  PgServer(const PgServer&) = delete;
  PgServer& operator=(const PgServer&) = delete;

  // Loads the TLS certificate and key if any, binds, listens and starts accepting. False (with a
  // reason in *error) if the TLS files cannot be used or the address cannot be bound. Call at
  // most once.
  bool Start(std::string* error = nullptr);
  // The bound port (valid after a successful Start()).
  uint16_t port() const { return port_; }
  // Stops accepting, ends every connection and waits for their threads. Idempotent.
  void Stop();
  // Connections whose threads are still running.
  size_t active_connections() const;

 private:
  struct ConnectionSlot {
    std::thread thread;
    std::shared_ptr<SocketByteStream> stream;
    std::atomic<bool> done{false};
    bool admitted = false;  // counted in admitted_ (set and read on the connection's thread)
  };

  void AcceptNext();
  void Spawn(boost::asio::ip::tcp::socket socket);
  // Takes one of the max_connections places for a connection; false when none is left.
  bool Admit(ConnectionSlot* slot);
  // Disconnects `stream` after the authentication timeout unless `authenticated` is set first.
  void ArmAuthenticationTimer(std::shared_ptr<SocketByteStream> stream,
                              std::shared_ptr<std::atomic<bool>> authenticated);

  SessionFactory factory_;
  PgServerOptions options_;
  std::shared_ptr<TlsContext> tls_;  // null without TLS
  CancelRegistry registry_;
  boost::asio::io_context io_;
  boost::asio::ip::tcp::acceptor acceptor_{io_};
  std::thread accept_thread_;
  uint16_t port_ = 0;
  bool started_ = false;
  bool stopped_ = false;
  mutable std::mutex mu_;
  std::list<std::unique_ptr<ConnectionSlot>> connections_;  // GUARDED_BY(mu_)
  std::atomic<int> live_{0};      // connection threads running
  std::atomic<int> admitted_{0};  // connections past their StartupMessage (see Admit)
};

}  // namespace strata::pgwire
