// The leader's server-log lines for its PostgreSQL port (server/server_log.h), in PostgreSQL's
// words: "connection received", "connection authorized", "disconnection: session time", and
// every error with its SQLSTATE and statement (FATAL for the ones that end a connection).
#include <cstdio>

#include "server/leader.h"
#include "server/server_log.h"
#include "sql/error.h"

namespace strata {

std::function<void(const pgwire::ConnectionEvent&)> ConnectionLogger(bool connections, bool disconnections) {
  return [connections, disconnections](const pgwire::ConnectionEvent& e) {
    using K = pgwire::ConnectionEvent::Kind;
    LogFields f;
    f.user = e.user;
    f.database = e.database;
    f.application = e.application;
    f.remote_host = e.host;
    f.remote_port = e.port;
    f.pid = e.pid;
    switch (e.kind) {
      case K::kReceived:
        if (connections) ServerLog(f, StrCat("connection received: host=", e.host, " port=", e.port));
        return;
      case K::kAuthorized:
        if (connections) {
          ServerLog(f, StrCat("connection authorized: user=", e.user, " database=", e.database,
                              e.application.empty() ? "" : " application_name=" + e.application,
                              e.tls ? " SSL enabled" : ""));
        }
        return;
      case K::kDisconnected:
        if (disconnections) {
          const int64_t ms = e.session_ms;
          char time[48];
          std::snprintf(time, sizeof time, "%lld:%02lld:%02lld.%03lld", static_cast<long long>(ms / 3600000),
                        static_cast<long long>(ms / 60000 % 60), static_cast<long long>(ms / 1000 % 60),
                        static_cast<long long>(ms % 1000));
          ServerLog(f, StrCat("disconnection: session time: ", time, " user=", e.user, " database=", e.database,
                              " host=", e.host, " port=", e.port));
        }
        return;
      case K::kRefused:
      case K::kError:
        f.severity = e.kind == K::kRefused ? "FATAL" : "ERROR";
        f.sqlstate = e.sqlstate;
        f.detail = e.detail;
        f.hint = e.hint;
        f.statement = e.statement;
        f.query_id = e.query_id;
        ServerLog(f, e.message);
        return;
    }
  };
}

}  // namespace strata
