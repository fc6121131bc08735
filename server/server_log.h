// The server log of every role (leader, compute, spectrum): one line per event — connections,
// disconnections, errors with their SQLSTATE, statements past log_min_duration_statement with
// their duration and query id — in PostgreSQL's style (log_line_prefix, then "LOG:  message") or
// as JSON lines with PostgreSQL 15's jsonlog field names (--log-format json). Lines go to stderr
// or to a file rotated by size (--log-file, --log-rotation-size, --log-rotation-count). The query
// id is in every line about a query, on the leader and on the nodes that ran its steps, so one
// query can be followed across the cluster. Thread-safe; a line is written whole.
#pragma once

#include <cstdint>
#include <string>

namespace strata {

struct LogOptions {
  std::string role = "leader";       // backend_type: leader | compute | spectrum
  int node_id = -1;                  // compute / spectrum: the node's id once known
  std::string format = "text";       // text | json
  std::string file;                  // "" = stderr
  std::string line_prefix = "%m [%p] %b ";
  int64_t min_duration_ms = -1;      // log_min_duration_statement: -1 none, 0 all
  int64_t rotation_bytes = 10 << 20;
  int rotation_count = 5;
};

// What a line says beside its message; empty fields are left out.
struct LogFields {
  std::string severity = "LOG";  // LOG | WARNING | ERROR | FATAL
  std::string sqlstate;
  std::string user, database, application;
  std::string remote_host;
  int remote_port = 0;
  int64_t pid = 0;               // the session's backend pid (0: the process's)
  int64_t query_id = 0;
  std::string detail, hint, statement;
  double duration_ms = -1;       // set on a duration line
};

// Sets the options (once, at start); before it lines go to stderr in text.
void StartServerLog(const LogOptions& options);
const LogOptions& ServerLogOptions();
void SetServerLogNodeId(int node_id);
// Writes one event.
void ServerLog(const LogFields& fields, const std::string& message);
// A LOG line of the process itself (start-up, failover, resize ...), printf-style; a trailing
// newline in the format is dropped.
void ServerLogf(const char* format, ...) __attribute__((format(printf, 1, 2)));
// A line a child process formatted (its stderr through a pipe): written as it is.
void ServerLogRaw(const std::string& line);
// True when a statement or step that ran `ms` milliseconds is to be logged.
bool LogsDuration(double ms);

// The text form of one line (without its newline) and the JSON one: what ServerLog writes.
std::string FormatLogText(const LogOptions& options, const LogFields& fields, const std::string& message,
                          int64_t now_micros);
std::string FormatLogJson(const LogOptions& options, const LogFields& fields, const std::string& message,
                          int64_t now_micros);

}  // namespace strata
