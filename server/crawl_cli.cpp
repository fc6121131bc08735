// See crawl_cli.h.
#include "server/crawl_cli.h"

#include "server/leader_client.h"

#include <cstdio>
#include <string>
#include <vector>

namespace strata {
namespace {

std::string Quote(const std::string& s, char q) {
  std::string out(1, q);
  for (char c : s) {
    if (c == q) out.push_back(q);
    out.push_back(c);
  }
  out.push_back(q);
  return out;
}

int Usage(FILE* out = stderr, int rc = 2) {
  std::fprintf(out,
               "usage: strata crawl LOCATION --schema S [--table T] [--host 127.0.0.1] [--port 5439] [--user strata] [--dbname dev]\n"
               "  infers external tables from the files under LOCATION (s3://... or file:///...) and records them in\n"
               "  the external schema S (made when missing); a re-run adds new columns and partitions.\n");
  return rc;
}

}  // namespace

int RunCrawlCli(int argc, char** argv) {
  std::string location, schema, table;
  LeaderClientOptions leader;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&](std::string* out) {
      if (i + 1 >= argc) return false;
      *out = argv[++i];
      return true;
    };
    bool ok = true;
    if (TakeLeaderClientFlag(argc, argv, &i, &leader, &ok)) {
    } else if (a == "--schema") ok = value(&schema);
    else if (a == "--table") ok = value(&table);
    else if (a == "--help" || a == "-h") return Usage(stdout, 0);
    else if (!a.empty() && a[0] != '-' && location.empty()) location = a;
    else ok = false;
    if (!ok) return Usage();
  }
  if (location.empty() || schema.empty()) return Usage();
  PGconn* conn = ConnectToLeader(leader, "strata crawl");
  if (conn == nullptr) return 1;
  std::string sql = "crawl " + Quote(location, '\'') + " into schema " + Quote(schema, '"');
  if (!table.empty()) sql += " table " + Quote(table, '"');
  PGresult* r = PQexec(conn, sql.c_str());
  int rc = 0;
  if (PQresultStatus(r) != PGRES_TUPLES_OK) {
    std::fprintf(stderr, "strata crawl: %s", PQresultErrorMessage(r));
    rc = 1;
  } else {
    for (int row = 0; row < PQntuples(r); ++row) {
      std::printf("%s.%s: %s (%s, %s columns, %s new; %s partitions, %s new; %s files)\n", schema.c_str(),
                  PQgetvalue(r, row, 0), PQgetvalue(r, row, 1), PQgetvalue(r, row, 2), PQgetvalue(r, row, 3),
                  PQgetvalue(r, row, 4), PQgetvalue(r, row, 5), PQgetvalue(r, row, 6), PQgetvalue(r, row, 7));
    }
  }
  PQclear(r);
  PQfinish(conn);
  return rc;
}

}  // namespace strata
