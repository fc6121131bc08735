// Per-session values that some SQL functions return (pg_last_copy_id(), pg_last_query_id(),
// now(), current_user, ...). The leader session passes its values to Bind() (planner/binder.h)
// and to the pg_catalog row producers; the binder folds those calls into constants. Without a
// session (unit tests), they return -1 / the clock / defaults.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>

namespace strata {
namespace catalog {
class Catalog;
}

struct SessionValues {
  int64_t last_copy_id = -1;
  int64_t last_query_id = -1;
  // Who and where the session is, for current_user, current_database(), pg_backend_pid(),
  // current_setting() and the pg_catalog rows that depend on the session.
  std::string user;
  std::string database;
  int64_t backend_pid = 0;
  // The schema of the session's temporary tables (pg_temp_<pid>); empty without a session.
  std::string temp_schema;
  const std::map<std::string, std::string>* settings = nullptr;  // lower-case names
  // When the statement being bound and its transaction started, in microseconds since
  // 2000-01-01 UTC (0 when unknown: the clock functions then read the clock).
  int64_t statement_start_micros = 0;
  int64_t transaction_start_micros = 0;
  // Applies a setting for set_config(); unset outside a session.
  std::function<void(const std::string& name, const std::string& value)> apply_setting;
  // pg_cancel_backend(pid) / pg_terminate_backend(pid): signals that session; false when there
  // is none; throws 42501 when this user may not. Unset while a statement is only described.
  std::function<bool(int64_t pid, bool terminate)> signal_backend;
  // The bytes each table's blocks take on the compute nodes, by table id (pg_table_size and
  // friends); asked from the nodes when called. Unset without a cluster.
  std::function<std::map<int64_t, int64_t>()> table_bytes;
};

}  // namespace strata
