// See leader_client.h.
#include "server/leader_client.h"

#include <cstdio>

namespace strata {

bool TakeLeaderClientFlag(int argc, char** argv, int* i, LeaderClientOptions* o, bool* ok) {
  std::string a = argv[*i];
  std::string* out = a == "--host" ? &o->host : a == "--port" ? &o->port : a == "--user" ? &o->user
                   : a == "--dbname" ? &o->dbname : nullptr;
  if (out == nullptr) return false;
  if (*i + 1 >= argc) {
    *ok = false;
    return true;
  }
  *out = argv[++*i];
  return true;
}

PGconn* ConnectToLeader(const LeaderClientOptions& o, const char* application) {
  const char* keys[] = {"host", "port", "user", "dbname", "application_name", nullptr};
  const char* values[] = {o.host.c_str(), o.port.c_str(), o.user.c_str(), o.dbname.c_str(), application, nullptr};
  PGconn* conn = PQconnectdbParams(keys, values, 0);
  if (PQstatus(conn) != CONNECTION_OK) {
    std::fprintf(stderr, "%s: %s", application, PQerrorMessage(conn));
    PQfinish(conn);
    return nullptr;
  }
  return conn;
}

}  // namespace strata
