// pg_cancel_backend(pid) / pg_terminate_backend(pid) over rows (`select pg_terminate_backend(pid)
// from pg_stat_activity where ...`): the leader session installs its signal function on the
// thread that runs the leader's stages (ScopedBackendSignal, around Cluster::Run), and the
// expression node pg_signal_backend(pid, terminate) calls it per row. On a compute node (the pid
// came from a user table) there is none, and the call fails with 0A000. A constant pid is
// folded when the statement is bound instead (planner/catalog_functions.cpp).
#pragma once

#include <cstdint>
#include <functional>

namespace strata {

// Signals session `pid`; false when there is none; throws 42501 when the caller may not.
using BackendSignalFn = std::function<bool(int64_t pid, bool terminate)>;

// The function installed on this thread, or nullptr.
const BackendSignalFn* CurrentBackendSignal();

class ScopedBackendSignal {
 public:
  explicit ScopedBackendSignal(const BackendSignalFn* fn);
  ~ScopedBackendSignal();
  ScopedBackendSignal(const ScopedBackendSignal&) = delete;
  ScopedBackendSignal& operator=(const ScopedBackendSignal&) = delete;

 private:
  const BackendSignalFn* previous_;
};

}  // namespace strata
