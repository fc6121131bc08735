// See resize_cli.h.
#include "server/resize_cli.h"

#include "server/leader_client.h"

#include <cstdio>
#include <cstdlib>
#include <string>

namespace strata {
namespace {

int Usage(FILE* out = stderr, int rc = 2) {
  std::fprintf(out,
               "usage: strata resize --nodes N [--host 127.0.0.1] [--port 5439] [--user strata] [--dbname dev]\n"
               "  moves the cluster's slices (and their blocks) onto N compute nodes while it runs; reads go on,\n"
               "  writes pause for the moment of the switch. N is 1 to the cluster's slice count.\n");
  return rc;
}

void PrintNotice(void*, const char* message) { std::fprintf(stderr, "strata resize: %s", message); }

}  // namespace

int RunResizeCli(int argc, char** argv) {
  std::string nodes;
  LeaderClientOptions leader;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    bool ok = true;
    if (TakeLeaderClientFlag(argc, argv, &i, &leader, &ok)) {
    } else if (a == "--nodes" && i + 1 < argc) nodes = argv[++i];
    else if (a == "--help" || a == "-h") return Usage(stdout, 0);
    else ok = false;
    if (!ok) return Usage();
  }
  if (nodes.empty() || nodes.find_first_not_of("0123456789") != std::string::npos || nodes.size() > 6) return Usage();
  PGconn* conn = ConnectToLeader(leader, "strata resize");
  if (conn == nullptr) return 1;
  PQsetNoticeProcessor(conn, PrintNotice, nullptr);
  std::fprintf(stderr, "strata resize: resizing to %s compute nodes\n", nodes.c_str());
  PGresult* r = PQexec(conn, ("resize cluster to " + nodes + " nodes").c_str());
  int rc = 0;
  if (PQresultStatus(r) != PGRES_COMMAND_OK) {
    std::fprintf(stderr, "strata resize: %s", PQresultErrorMessage(r));
    rc = 1;
  }
  PQclear(r);
  PQfinish(conn);
  return rc;
}

}  // namespace strata
