// LeaderSession's part in pg_stat_activity, stv_recents and stv_inflight (its entry in the
// SessionDirectory: registered with its backend pid, updated at each statement, removed when
// it ends) and pg_cancel_backend / pg_terminate_backend, which signal another session through
// the directory. As in PostgreSQL, a user may signal its own sessions and a superuser anyone's.
#include <chrono>

#include "server/leader_session.h"
#include "sql/error.h"

namespace strata {

namespace {

int64_t MicrosSince2000() {
  constexpr int64_t kMicrosFrom1970To2000 = 946684800LL * 1000000;
  auto now = std::chrono::system_clock::now().time_since_epoch();
  return std::chrono::duration_cast<std::chrono::microseconds>(now).count() - kMicrosFrom1970To2000;
}

}  // namespace

void LeaderSession::SetBackendPid(int32_t pid) {
  session_values_.backend_pid = pid;
  if (ctx_.sessions == nullptr) return;
  backend_start_micros_ = MicrosSince2000();
  SessionActivity a;
  a.pid = pid;
  a.user = user_;
  a.database = database_;
  a.backend_start_micros = backend_start_micros_;
  auto app = settings_.values().find("application_name");
  if (app != settings_.values().end()) a.application_name = app->second;
  SessionDirectory::Hooks hooks;
  hooks.cancel = [this] { Cancel(); };
  hooks.terminate = [this] {
    if (terminate_hook_) terminate_hook_();
    Cancel();
  };
  ctx_.sessions->Register(a, std::move(hooks));
  in_directory_ = true;
}

void LeaderSession::SetClientCheck(std::function<bool()> client_gone) {
  client_watch_ = std::make_unique<ClientWatch>(std::move(client_gone), [this] { Cancel(); });
}

void LeaderSession::ReportActivity(const std::string& state, const std::string* query) {
  if (!in_directory_) return;
  if (query != nullptr) {
    query_text_ = *query;
    query_start_micros_ = MicrosSince2000();
  }
  SessionActivity a;
  a.pid = session_values_.backend_pid;
  a.state = state;
  a.query = query_text_;
  a.query_start_micros = query_start_micros_;
  a.query_id = session_values_.last_query_id;
  ctx_.sessions->Update(a);
}

bool LeaderSession::SignalBackend(int64_t pid, bool terminate) {
  if (ctx_.sessions == nullptr) return false;
  std::optional<std::string> owner = ctx_.sessions->UserOf(pid);
  if (!owner) return false;  // PostgreSQL: a WARNING and false
  if (*owner != user_ && !UserIsSuperuser(*ctx_.catalog->Current(), user_)) {
    throw SqlError(sqlstate::kInsufficientPrivilege,
                   StrCat("permission denied to ", terminate ? "terminate process" : "cancel query"))
        .WithDetail(StrCat("Only superusers and the user \"", *owner, "\" may ", terminate ? "terminate" : "cancel",
                           " this session's ", terminate ? "process." : "query."));
  }
  return terminate ? ctx_.sessions->Terminate(pid) : ctx_.sessions->Cancel(pid);
}

}  // namespace strata
