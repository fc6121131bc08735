// LeaderSession's SET / RESET / SHOW and statement_timeout. The rules for names and values
// live in SessionSettings (server/session_settings.h); this file maps statements onto it.
#include <cctype>

#include "server/leader_session.h"
#include "sql/error.h"

namespace strata {

struct ParsedStatement;

namespace {

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

Batch TextRows(const std::vector<std::vector<std::string>>& rows, size_t ncolumns) {
  Batch b(std::vector<SqlType>(ncolumns, SqlType::Text()));
  b.SetRows(rows.size());
  for (size_t r = 0; r < rows.size(); ++r) {
    for (size_t c = 0; c < ncolumns; ++c) b.columns[c].SetString(r, rows[r][c]);
  }
  return b;
}

void LeaderSession::ApplySetting(const std::string& name, const std::string& value, bool is_local) {
  settings_.Set(Lower(name), value, is_local, txn_ && txn_->explicit_block);
}

StatementResult LeaderSession::RunSet(const ast::Statement& st) {
  bool in_block = txn_ && txn_->explicit_block;
  StatementResult r;
  bool reset = Lower(st.text.substr(0, 5)) == "reset";
  r.command_tag = reset ? "RESET" : "SET";
  if (st.set_default && st.set_name == "all") {
    settings_.ResetAll(in_block);
    return r;
  }
  // SET TRANSACTION ... lasts for the transaction only, like SET LOCAL.
  bool is_local = st.set_local || st.set_name.starts_with("transaction_");
  std::optional<std::string> value;
  if (!st.set_default) value = st.set_value;
  if (st.set_name == "session_authorization") {
    // SET SESSION AUTHORIZATION u: a superuser's session acts as u until RESET (as PostgreSQL
    // and Redshift); the privileges checked from then on are u's.
    std::string target = value ? *value : authenticated_user_;
    const CatalogPtr cat = ctx_.catalog->Current();
    if (!UserIsSuperuser(*cat, authenticated_user_)) {
      throw SqlError(sqlstate::kInsufficientPrivilege, "permission denied to set session authorization");
    }
    if (!UserExists(*cat, target)) throw SqlError(sqlstate::kUndefinedObject, StrCat("role \"", target, "\" does not exist"));
    user_ = target;
    session_values_.user = target;
    settings_.SetSessionUser(target, UserIsSuperuser(*cat, target));
    return r;
  }
  std::string warning = settings_.Set(st.set_name, value, is_local, in_block);
  if (!warning.empty()) r.notices.push_back(warning);
  for (const auto& [name, more] : st.set_more) settings_.Set(name, more, is_local, in_block);
  return r;
}

bool LeaderSession::ReadOnlyTransaction() const {
  const auto& values = settings_.values();
  auto on = [&](const char* name) {
    auto it = values.find(name);
    return it != values.end() && it->second == "on";
  };
  return on("transaction_read_only") || on("default_transaction_read_only");
}

void LeaderSession::CheckWriteAllowed(const ast::Statement& st) const {
  using K = ast::StatementKind;
  bool writes = false;
  switch (st.kind) {
    case K::kInsert: case K::kDelete: case K::kUpdate: case K::kMerge: case K::kAppend: case K::kTruncate: case K::kAlterTable:
    case K::kCreateTable: case K::kCreateView: case K::kDrop: case K::kSchema: case K::kFunction: case K::kAnalyze:
    case K::kComment: case K::kUser: case K::kPrivilege: case K::kPolicy:
      writes = true;
      break;
    case K::kCopy: writes = st.copy->is_from; break;
    case K::kLock: writes = st.lock_mode > 2; break;  // stronger than ROW SHARE, as in PostgreSQL
    default: break;
  }
  if (!writes || !ReadOnlyTransaction()) return;
  // A temporary table is the session's own: PostgreSQL lets a read-only transaction write it.
  if (st.kind == K::kCreateTable && st.create_table->temporary) return;
  std::string what = st.text.substr(0, st.text.find_first_of(" \t\n("));
  for (char& c : what) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  throw SqlError(sqlstate::kReadOnlySqlTransaction, StrCat("cannot execute ", what, " in a read-only transaction"));
}

StatementResult LeaderSession::RunShow(const ast::Statement& st) {
  StatementResult r;
  r.returns_rows = true;
  r.command_tag = "SHOW";
  if (st.set_name == "all") {
    std::vector<std::vector<std::string>> rows;
    for (const SessionSettings::Row& row : settings_.ShowAll()) rows.push_back({row.name, row.setting, row.description});
    for (const char* name : {"name", "setting", "description"}) r.columns.push_back({name, SqlType::Text()});
    r.batches.push_back(TextRows(rows, 3));
    return r;
  }
  auto [name, value] = settings_.Show(st.set_name);
  r.columns.push_back({name, SqlType::Text()});
  r.batches.push_back(TextRows({{value}}, 1));
  return r;
}

StatementResult LeaderSession::RunWithTimeout(const ParsedStatement& parsed, const std::vector<uint32_t>& param_oids,
                                              const std::vector<std::optional<std::string>>* params) {
  // While the statement runs, a client that goes away cancels it.
  struct WatchScope {
    ClientWatch* w;
    explicit WatchScope(ClientWatch* watch) : w(watch) { if (w) w->Begin(); }
    ~WatchScope() { if (w) w->End(); }
  } watch_scope(client_watch_.get());
  int64_t timeout_ms = settings_.statement_timeout_ms();
  if (timeout_ms <= 0) return Run(parsed, param_oids, params);
  timed_out_ = false;
  timer_.Arm(timeout_ms);
  try {
    StatementResult r = Run(parsed, param_oids, params);
    timer_.Disarm();
    // A deadline that passed just as the statement finished may have set cancelled_; the
    // next Execute clears it.
    return r;
  } catch (const SqlError& e) {
    timer_.Disarm();
    if (timed_out_ && e.sqlstate() == sqlstate::kQueryCanceled) {
      throw SqlError(sqlstate::kQueryCanceled, "canceling statement due to statement timeout");
    }
    throw;
  } catch (...) {
    timer_.Disarm();
    throw;
  }
}

}  // namespace strata
