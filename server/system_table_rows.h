// The rows of the system tables the leader answers (see planner/system_tables.h): built at
// query time from the catalog version the statement reads and, for block-level tables, from
// the compute nodes' manifests.
#pragma once

#include "server/session_directory.h"

#include <string>

#include "executor/exchange_inbox.h"
#include "planner/session_values.h"
#include "server/cluster.h"
#include "server/stl_log.h"
#include "catalog/catalog.pb.h"

namespace strata {

// The leader's in-memory STL tables.
struct SystemLogs {
  const LoadErrorStore* load_errors = nullptr;
  const ScanLog* scans = nullptr;
  // Who reads: a user sees its own statements' rows, a superuser everyone's (as in Redshift).
  std::string viewer;
  bool viewer_is_superuser = true;
  const SessionDirectory* sessions = nullptr;  // pg_stat_activity, stv_recents, stv_inflight
  const StepLog* steps = nullptr;              // svl_query_summary
  const SessionValues* session = nullptr;      // the reader's settings and database (pg_settings)
  bool Shows(const std::string& row_user) const { return viewer_is_superuser || row_user == viewer; }
};

void FillSystemTable(const std::string& name, const catalog::Catalog& cat, Cluster* cluster, int exchange,
                     ExchangeInbox* inbox, const SystemLogs& logs);

}  // namespace strata
