// The table behind CancelRequest. Each live connection registers its session under the
// (process id, secret key) pair it sent in BackendKeyData; a CancelRequest arrives on a new
// connection carrying that pair, and the registry forwards it to the session's Cancel(). The
// mutex is held while Cancel() runs and while a connection unregisters, so a session is never
// cancelled after its connection has let go of it.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <random>

#include "server/pgwire/sql_session.h"

namespace strata::pgwire {

struct BackendKey {
  int32_t pid = 0;
  int32_t secret = 0;
};

class CancelRegistry {
 public:
  CancelRegistry();

  // Allocates a fresh key (unique pid, random secret) and records `session` under it.
  BackendKey Register(SqlSession* session);
  void Unregister(const BackendKey& key);
  // Calls Cancel() on the session registered under exactly this key. False if none matches.
  bool Cancel(const BackendKey& key);
  // Cancels every registered session (server shutdown).
  void CancelAll();
  size_t size() const;

 private:
  mutable std::mutex mu_;
  std::map<int32_t, std::pair<int32_t, SqlSession*>> sessions_;  // pid -> (secret, session)
  int32_t next_pid_;
  std::mt19937 rng_;
};

}  // namespace strata::pgwire
