// What the CLI commands that talk to a running leader as a PostgreSQL client share (`strata
// crawl`, `strata resize`): the --host / --port / --user / --dbname flags and the libpq connection
// (the password from PGPASSWORD or ~/.pgpass, TLS as libpq's PGSSLMODE says).
#pragma once

#include <libpq-fe.h>

#include <string>

namespace strata {

struct LeaderClientOptions {
  std::string host = "127.0.0.1";
  std::string port = "5439";
  std::string user = "strata";
  std::string dbname = "dev";
};

// When argv[*i] is one of the flags above, takes its value (advancing *i) and returns true;
// *ok becomes false when the value is missing.
bool TakeLeaderClientFlag(int argc, char** argv, int* i, LeaderClientOptions* o, bool* ok);

// Connects as `application` ("strata crawl"); on failure prints libpq's reason after that name
// and returns null.
PGconn* ConnectToLeader(const LeaderClientOptions& o, const char* application);

}  // namespace strata
