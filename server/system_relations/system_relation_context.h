// What a system relation's row producer reads (planner/system_relation.h declares the producer
// type; this folder holds one file per relation): the catalog version the statement reads, the
// cluster (for block-level tables, which ask the compute nodes), the leader's in-memory STL
// logs and session list, and the reading session. The leader builds one per statement that
// reads system relations (server/leader_query.cpp).
#pragma once

#include <string>

#include "planner/session_values.h"
#include "planner/system_relation.h"
#include "server/cluster.h"
#include "server/session_directory.h"
#include "server/stl_log.h"
#include "server/query_history.h"
#include "server/wlm.h"
#include "catalog/catalog_version.h"

namespace strata {

struct SystemRelationContext {
  const CatalogVersion& cat;
  Cluster* cluster = nullptr;
  const LoadErrorStore* load_errors = nullptr;  // stl_load_errors
  const ScanLog* scans = nullptr;               // stl_scan
  // Who reads: a user sees its own statements' rows, a superuser everyone's (as in Redshift).
  std::string viewer = {};
  bool viewer_is_superuser = true;
  const SessionDirectory* sessions = nullptr;  // pg_stat_activity, stv_recents, stv_inflight
  const StepLog* steps = nullptr;              // svl_query_summary
  const SessionValues* session = nullptr;      // the reader's settings and database (nullptr = defaults)
  class SnapshotService* snapshots = nullptr;  // svv_snapshots, stv_snapshot_progress
  const QueryHistory* history = nullptr;       // stl_query, svl_qlog, sys_query_history ...
  const Wlm* wlm = nullptr;                    // stv_wlm_*, stl_wlm_*

  bool Shows(const std::string& row_user) const { return viewer_is_superuser || row_user == viewer; }
  // The reading session's database, as information_schema's *_catalog columns name it.
  std::string Database() const { return session != nullptr && !session->database.empty() ? session->database : "dev"; }
};

}  // namespace strata
