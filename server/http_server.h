// The leader's HTTP port (--http-port; loopback unless --http-listen says otherwise; HTTPS with the
// PostgreSQL port's --tls-cert/--tls-key): the web console's files (server/console_assets.h), its
// JSON API and Prometheus metrics, on cpp-httplib.
//
//   POST /api/login {user, password}      a session cookie (the database's users and passwords,
//                                         checked as the PostgreSQL port checks them)
//   POST /api/logout, GET /api/me
//   POST /api/query {sql, max_rows, tag}  runs SQL as the user in a session of its own (so
//                                         privileges, RLS, WLM and the query history all apply):
//                                         the last statement's columns and rows as text
//   POST /api/cancel {tag}                cancels the user's running /api/query of that tag
//   GET|PUT /api/dashboards               the user's saved queries and dashboards (a JSON object,
//                                         <= 1 MB, kept in DATA/leader/console/)
//   GET /metrics                          Prometheus text (server/metrics.h)
//
// Every /api and /metrics request needs a login: the session cookie, or HTTP Basic credentials
// (for scrapers and curl). Bad input gets a 4xx JSON answer, never a crash.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "server/metrics.h"
#include "server/pgwire/sql_session.h"

namespace strata {

struct HttpOptions {
  std::string address = "127.0.0.1";
  int port = 0;  // 0: any free port (port() says which)
  std::string tls_cert_file, tls_key_file;  // both set: HTTPS
  std::string data_dir;                     // the leader's: dashboards go under it
  // The PostgreSQL port's password rules: a user's stored verifier, whether it must give one,
  // whether it exists and is a superuser.
  std::function<std::optional<std::string>(const std::string& user)> stored_password;
  std::function<bool(const std::string& user)> passwords_required;
  std::function<bool(const std::string& user)> user_exists;
  std::function<bool(const std::string& user)> is_superuser;
  SessionFactory sessions;         // makes the session an /api/query runs in
  Metrics::Sources metrics;        // what /metrics's gauges read
};

class HttpServer {
 public:
  explicit HttpServer(HttpOptions options);
  ~HttpServer();
  // Binds and starts serving on its own threads; false with *error when it cannot.
  bool Start(std::string* error);
  int port() const { return port_; }
  void Stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  int port_ = 0;
};

}  // namespace strata
