// The leader session's side of the query history (server/query_history.h): a record is started
// when a statement begins, with its text, user, session, transaction and kind, and written when
// it ends — by the statement itself, or by its streamed query when the rows outlive it.
#include <algorithm>
#include <cctype>
#include <cstdio>

#include "planner/clock_functions.h"
#include "server/metrics.h"
#include "server/leader_session.h"
#include "server/server_log.h"
#include "sql/error.h"

namespace strata {
namespace {

// svl_statementtext's type of a statement: QUERY for what reads or writes rows, DDL for what
// changes definitions, UTILITY for the rest.
std::string StatementType(const ast::Statement& st) {
  using K = ast::StatementKind;
  switch (st.kind) {
    case K::kSelect: case K::kInsert: case K::kDelete: case K::kUpdate: case K::kMerge: case K::kCopy: case K::kUnload:
    case K::kExplain: case K::kDeclareCursor: case K::kFetch: case K::kCall: case K::kExecute:
      return "QUERY";
    case K::kCreateTable:
      return st.create_table && st.create_table->as_select ? "QUERY" : "DDL";
    case K::kDrop: case K::kCreateView: case K::kAlterTable: case K::kTruncate: case K::kSchema: case K::kFunction:
    case K::kComment: case K::kExternal: case K::kAppend: case K::kUser: case K::kPrivilege: case K::kPolicy:
      return "DDL";
    default:
      return "UTILITY";
  }
}


}  // namespace

void FinishRecord(rpc::QueryRecord* r, const std::string& sqlstate, const std::string& message, int64_t rows) {
  r->set_end_micros(ClockMicros());
  r->set_rows(rows);
  r->set_sqlstate(sqlstate);
  r->set_error(message);
  r->set_status(sqlstate.empty() ? "success" : sqlstate == sqlstate::kQueryCanceled ? "canceled" : "failed");
  // log_min_duration_statement: PostgreSQL's duration line, with the query id.
  const double ms = static_cast<double>(r->end_micros() - r->start_micros()) / 1000.0;
  Metrics::Get().ObserveStatement(r->status(), ms / 1000.0);
  if (LogsDuration(ms)) {
    LogFields f;
    f.user = r->user();
    f.database = r->database();
    f.pid = r->pid();
    f.query_id = r->query();
    f.duration_ms = ms;
    char duration[64];
    std::snprintf(duration, sizeof duration, "duration: %.3f ms", ms);
    ServerLog(f, StrCat(duration, "  query: ", r->query(), "  statement: ", r->text()));
  }
}

int64_t RowsOfTag(const std::string& tag) {
  size_t space = tag.rfind(' ');
  if (space == std::string::npos || space + 1 >= tag.size()) return -1;
  for (size_t i = space + 1; i < tag.size(); ++i) {
    if (!std::isdigit(static_cast<unsigned char>(tag[i]))) return -1;
  }
  return std::stoll(tag.substr(space + 1));
}

void LeaderSession::StartHistoryRecord(const std::string& sql, const ast::Statement& st) {
  history_pending_ = nullptr;
  if (ctx_.history == nullptr || st.kind == ast::StatementKind::kEmpty) return;
  if (!txn_ || history_xid_ == 0) history_xid_ = ctx_.history->NextXid();
  auto r = std::make_shared<rpc::QueryRecord>();
  r->set_query(session_values_.last_query_id);  // replaced when the statement runs a query
  r->set_pid(session_values_.backend_pid);
  r->set_user(user_);
  r->set_database(database_);
  auto label = settings_.values().find("query_group");
  r->set_label(label != settings_.values().end() ? label->second : "default");
  // The text is kept up to kMaxTextBytes (whole characters): a statement of megabytes of VALUES
  // would otherwise be held 100,000 times over in memory and on disk.
  size_t keep = std::min(sql.size(), QueryHistory::kMaxTextBytes);
  while (keep < sql.size() && keep > 0 && (static_cast<unsigned char>(sql[keep]) & 0xC0) == 0x80) --keep;
  r->set_text(sql.substr(0, keep));
  r->set_type(StatementType(st));
  r->set_start_micros(ClockMicros());
  r->set_xid(history_xid_);
  history_pending_ = std::move(r);
}

void LeaderSession::EndHistoryRecord(const std::string& sqlstate, const std::string& message, int64_t rows) {
  std::shared_ptr<rpc::QueryRecord> r = std::move(history_pending_);
  history_pending_ = nullptr;
  if (TransactionStatus() == 'I') history_xid_ = 0;
  if (r == nullptr) return;  // none, or its streamed query writes it
  // A statement that ran a query carries that query's id; one that ran none has none.
  r->set_query(session_values_.last_query_id != r->query() ? session_values_.last_query_id : 0);
  FinishRecord(r.get(), sqlstate, message, rows);
  ctx_.history->Record(*r);
}

}  // namespace strata
