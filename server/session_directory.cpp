// See session_directory.h. Hooks run under the directory's lock, so a session that has left
// (Unregister takes the lock) is never signalled.
#include "server/session_directory.h"

namespace strata {

void SessionDirectory::Register(const SessionActivity& a, Hooks hooks) {
  std::lock_guard<std::mutex> lock(mu_);
  sessions_[a.pid] = Entry{a, std::move(hooks)};
}

void SessionDirectory::Unregister(int64_t pid) {
  std::lock_guard<std::mutex> lock(mu_);
  sessions_.erase(pid);
}

void SessionDirectory::Update(const SessionActivity& a) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = sessions_.find(a.pid);
  if (it == sessions_.end()) return;
  SessionActivity& e = it->second.activity;
  e.state = a.state;
  e.query = a.query;
  e.query_start_micros = a.query_start_micros;
  e.query_id = a.query_id;
}

void SessionDirectory::QueryEnded(int64_t pid, int64_t query_id, const std::string& state) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = sessions_.find(pid);
  if (it != sessions_.end() && it->second.activity.query_id == query_id) it->second.activity.state = state;
}

std::vector<SessionActivity> SessionDirectory::List() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<SessionActivity> out;
  for (const auto& [pid, e] : sessions_) out.push_back(e.activity);
  return out;
}

std::optional<std::string> SessionDirectory::UserOf(int64_t pid) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = sessions_.find(pid);
  if (it == sessions_.end()) return std::nullopt;
  return it->second.activity.user;
}

bool SessionDirectory::Cancel(int64_t pid) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = sessions_.find(pid);
  if (it == sessions_.end() || !it->second.hooks.cancel) return false;
  it->second.hooks.cancel();
  return true;
}

bool SessionDirectory::Terminate(int64_t pid) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = sessions_.find(pid);
  if (it == sessions_.end() || !it->second.hooks.terminate) return false;
  it->second.hooks.terminate();
  return true;
}

}  // namespace strata
